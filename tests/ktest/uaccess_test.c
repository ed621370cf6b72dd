// SPDX-License-Identifier: MIT
/*
 * User access from a kernel thread with an adopted mm: copies both ways, get/put_user,
 * clear_user, user strings, and every kind of bad pointer (NULL, kernel, unmapped,
 * straddling the end of a mapping, too large), none of which may oops or touch memory
 * it must not.
 */
#include <kairos/ktest.h>
#include <kairos/string.h>

#include "user_mm.h"

#define RW	(PROT_READ | PROT_WRITE)

static u8 kbuf[3 * PAGE_SIZE], kbuf2[3 * PAGE_SIZE];

static void fill(u8 *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 7 + (i >> 8));
}

static bool all_bytes(const u8 *p, size_t n, u8 v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

KTEST(uaccess_copy_roundtrip)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long a;
	u8 v8;
	u16 v16;
	u32 v32;
	u64 v64;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	a = umap(0, 4 * PAGE_SIZE, RW, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a));
	if (IS_ERR_VALUE(a))
		goto out;
	/* Odd start and length: both the word loop and the byte tail run. */
	fill(kbuf, sizeof(kbuf), 1);
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a + 3), kbuf, sizeof(kbuf) - 5), 0);
	memset(kbuf2, 0, sizeof(kbuf2));
	KTEST_EXPECT_EQ(t, copy_from_user(kbuf2, uptr(a + 3), sizeof(kbuf) - 5), 0);
	KTEST_EXPECT(t, !memcmp(kbuf, kbuf2, sizeof(kbuf) - 5));
	/* Memory never written reads as zero. */
	KTEST_EXPECT_EQ(t, copy_from_user(kbuf2, uptr(a + 3 * PAGE_SIZE), PAGE_SIZE), 0);
	KTEST_EXPECT(t, all_bytes(kbuf2, PAGE_SIZE, 0));

	KTEST_EXPECT_EQ(t, put_user((u8)0xa1, (u8 __user *)uptr(a + 1)), 0);
	KTEST_EXPECT_EQ(t, put_user((u16)0xb2c3, (u16 __user *)uptr(a + 2)), 0);
	KTEST_EXPECT_EQ(t, put_user(0xd4e5f607U, (u32 __user *)uptr(a + 4)), 0);
	KTEST_EXPECT_EQ(t, put_user(0x0123456789abcdefUL, (u64 __user *)uptr(a + 9)), 0);
	KTEST_EXPECT_EQ(t, get_user(v8, (u8 __user *)uptr(a + 1)), 0);
	KTEST_EXPECT_EQ(t, get_user(v16, (u16 __user *)uptr(a + 2)), 0);
	KTEST_EXPECT_EQ(t, get_user(v32, (u32 __user *)uptr(a + 4)), 0);
	KTEST_EXPECT_EQ(t, get_user(v64, (u64 __user *)uptr(a + 9)), 0);
	KTEST_EXPECT_EQ(t, v8, 0xa1);
	KTEST_EXPECT_EQ(t, v16, 0xb2c3);
	KTEST_EXPECT_EQ(t, v32, 0xd4e5f607U);
	KTEST_EXPECT_EQ(t, v64, 0x0123456789abcdefUL);
	/* The same bytes through a tagged pointer (top byte ignored). */
	KTEST_EXPECT_EQ(t, get_user(v64, (u64 __user *)uptr(a + 9 + (0x5aUL << 56))), 0);
	KTEST_EXPECT_EQ(t, v64, 0x0123456789abcdefUL);

	KTEST_EXPECT_EQ(t, clear_user(uptr(a + 5), 2 * PAGE_SIZE + 11), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(kbuf2, uptr(a), 2 * PAGE_SIZE + 32), 0);
	KTEST_EXPECT(t, all_bytes(kbuf2 + 5, 2 * PAGE_SIZE + 11, 0));
	KTEST_EXPECT_EQ(t, kbuf2[1], 0xa1);
	KTEST_EXPECT_EQ(t, kbuf2[2 * PAGE_SIZE + 16], kbuf[2 * PAGE_SIZE + 13]);
out:
	leave_mm(mm);
	KTEST_EXPECT(t, ttbr0_is_reserved());
	/* Without an mm, no user address is reachable. */
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), kbuf, 8), 8);
	KTEST_EXPECT_EQ(t, get_user(v64, (u64 __user *)uptr(a)), -EFAULT);
}

KTEST(uaccess_bad_pointers)
{
	static u64 kernel_word = 0x1122334455667788UL;
	struct mm_struct *mm = enter_new_mm();
	u8 *heap = kmalloc(64, GFP_KERNEL);
	unsigned long a, huge[] = { ~0UL, 1UL << 47, (unsigned long)__INT_MAX__ + 1 };
	u64 v = 1;

	KTEST_EXPECT(t, mm && heap);
	if (!mm || !heap)
		goto out;
	a = umap(0, PAGE_SIZE, RW, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a));
	if (IS_ERR_VALUE(a))
		goto out;
	fill(kbuf, 64, 3);

	/* NULL: nothing is mapped there, ever. */
	KTEST_EXPECT_EQ(t, copy_to_user(NULL, kbuf, 16), 16);
	memset(kbuf2, 0xee, 16);
	KTEST_EXPECT_EQ(t, copy_from_user(kbuf2, NULL, 16), 16);
	KTEST_EXPECT(t, all_bytes(kbuf2, 16, 0));
	KTEST_EXPECT_EQ(t, get_user(v, (u64 __user *)NULL), -EFAULT);
	KTEST_EXPECT_EQ(t, v, 0);
	KTEST_EXPECT_EQ(t, put_user(v, (u64 __user *)NULL), -EFAULT);
	KTEST_EXPECT_EQ(t, clear_user(NULL, 9), 9);

	/* Kernel addresses: refused, and never written, even past access_ok. */
	memset(heap, 0x5c, 64);
	KTEST_EXPECT_EQ(t, copy_to_user(uptr((unsigned long)heap), kbuf, 64), 64);
	KTEST_EXPECT_EQ(t, __arch_copy_to_user(uptr((unsigned long)heap), kbuf, 64), 64);
	KTEST_EXPECT_EQ(t, __arch_clear_user(uptr((unsigned long)heap), 64), 64);
	KTEST_EXPECT_EQ(t, put_user(0UL, (u64 __user *)uptr((unsigned long)heap)), -EFAULT);
	KTEST_EXPECT(t, all_bytes(heap, 64, 0x5c));
	KTEST_EXPECT_EQ(t, put_user(0UL, (u64 __user *)uptr((unsigned long)&kernel_word)), -EFAULT);
	KTEST_EXPECT_EQ(t, __arch_copy_to_user(uptr((unsigned long)&kernel_word), kbuf, 8), 8);
	KTEST_EXPECT_EQ(t, READ_ONCE(kernel_word), 0x1122334455667788UL);
	/* Nor read: kernel data does not leak out through copy_from_user. */
	KTEST_EXPECT_EQ(t, copy_from_user(kbuf2, uptr((unsigned long)&kernel_word), 8), 8);
	KTEST_EXPECT_EQ(t, __arch_copy_from_user(kbuf2, uptr((unsigned long)&kernel_word), 8), 8);
	KTEST_EXPECT_EQ(t, get_user(v, (u64 __user *)uptr((unsigned long)&kernel_word)), -EFAULT);
	/* A "tag" that makes bit 55 select TTBR1 is a kernel address too. */
	KTEST_EXPECT(t, !access_ok(uptr(((unsigned long)heap) & ~(0xffUL << 56)), 8));
	KTEST_EXPECT(t, access_ok(uptr(USER_VA_END - 8), 8));
	KTEST_EXPECT(t, !access_ok(uptr(USER_VA_END - 8), 9));

	/* Huge sizes: refused whole, neither buffer touched. */
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), kbuf, 64), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(huge); i++) {
		memset(kbuf2, 0x77, 64);
		KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), kbuf2, huge[i]), huge[i]);
		KTEST_EXPECT_EQ(t, copy_from_user(kbuf2, uptr(a), huge[i]), huge[i]);
		KTEST_EXPECT_EQ(t, clear_user(uptr(a), huge[i]), huge[i]);
		KTEST_EXPECT(t, all_bytes(kbuf2, 64, 0x77));
	}
	KTEST_EXPECT_EQ(t, copy_from_user(kbuf2, uptr(a), 64), 0);
	KTEST_EXPECT(t, !memcmp(kbuf2, kbuf, 64));
	/* At the top of user space: one byte past it is refused, up to it merely unmapped. */
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(USER_VA_END - 8), kbuf, 9), 9);
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(USER_VA_END - 8), kbuf, 8), 8);

	/* Unmapped: gone after munmap. */
	KTEST_EXPECT_EQ(t, ksys_munmap(a, PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), kbuf, 64), 64);
	KTEST_EXPECT_EQ(t, copy_from_user(kbuf2, uptr(a), 64), 64);
	KTEST_EXPECT_EQ(t, get_user(v, (u64 __user *)uptr(a)), -EFAULT);
out:
	kfree(heap);
	if (mm)
		leave_mm(mm);
}

/* A copy that runs off the end of a mapping stops exactly at the last mapped byte. */
KTEST(uaccess_straddle_exact)
{
	static const unsigned long before[] = { 1, 5, 7, 8, 9, 13, 16, 100 };
	static const unsigned long lens[] = { 8, 16, 40, 4096 };
	struct mm_struct *mm = enter_new_mm();
	unsigned long a, end;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	a = umap(0, 3 * PAGE_SIZE, RW, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a));
	if (IS_ERR_VALUE(a))
		goto out;
	KTEST_EXPECT_EQ(t, ksys_munmap(a + 2 * PAGE_SIZE, PAGE_SIZE), 0);
	end = a + 2 * PAGE_SIZE;
	fill(kbuf, sizeof(kbuf), 9);

	for (unsigned int i = 0; i < ARRAY_SIZE(before); i++) {
		for (unsigned int j = 0; j < ARRAY_SIZE(lens); j++) {
			unsigned long b = before[i], n = lens[j], want = n > b ? n - b : 0;
			unsigned long got;

			KTEST_EXPECT_EQ(t, clear_user(uptr(end - PAGE_SIZE), PAGE_SIZE), 0);
			got = copy_to_user(uptr(end - b), kbuf, n);
			if (got != want)
				ktest_fail(t, __FILE__, __LINE__, "copy_to_user at end - %lu, "
					   "%lu bytes: %lu left, want %lu", b, n, got, want);
			/* Exactly the reachable bytes were written. */
			memset(kbuf2, 0, sizeof(kbuf2));
			KTEST_EXPECT_EQ(t, copy_from_user(kbuf2, uptr(end - b), min(b, n)), 0);
			KTEST_EXPECT(t, !memcmp(kbuf2, kbuf, min(b, n)));

			memset(kbuf2, 0xee, sizeof(kbuf2));
			got = copy_from_user(kbuf2, uptr(end - b), n);
			if (got != want)
				ktest_fail(t, __FILE__, __LINE__, "copy_from_user at end - %lu, "
					   "%lu bytes: %lu left, want %lu", b, n, got, want);
			KTEST_EXPECT(t, !memcmp(kbuf2, kbuf, min(b, n)));
			KTEST_EXPECT(t, all_bytes(kbuf2 + min(b, n), n - min(b, n), 0));

			got = clear_user(uptr(end - b), n);
			KTEST_EXPECT_EQ(t, got, want);
		}
	}
out:
	leave_mm(mm);
}

KTEST(uaccess_user_strings)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long a, end;
	char dst[32];

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	a = umap(0, PAGE_SIZE, RW, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a));
	if (IS_ERR_VALUE(a))
		goto out;
	end = a + PAGE_SIZE;
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), "hello", 6), 0);

	memset(dst, 'x', sizeof(dst));
	KTEST_EXPECT_EQ(t, strncpy_from_user(dst, uptr(a), sizeof(dst)), 5);
	KTEST_EXPECT(t, !strcmp(dst, "hello"));
	KTEST_EXPECT_EQ(t, dst[6], 'x');
	/* The limit cuts it: no NUL is written. */
	memset(dst, 'x', sizeof(dst));
	KTEST_EXPECT_EQ(t, strncpy_from_user(dst, uptr(a), 3), 3);
	KTEST_EXPECT(t, !memcmp(dst, "helx", 4));
	KTEST_EXPECT_EQ(t, strncpy_from_user(dst, uptr(a), 0), 0);
	KTEST_EXPECT_EQ(t, strnlen_user(uptr(a), 64), 6);
	KTEST_EXPECT_EQ(t, strnlen_user(uptr(a), 6), 6);
	KTEST_EXPECT_EQ(t, strnlen_user(uptr(a), 5), 6);	/* count + 1: too long */
	KTEST_EXPECT_EQ(t, strnlen_user(uptr(a), 0), 0);

	/* Unterminated up to the end of the mapping. */
	memset(kbuf, 'a', 16);
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(end - 16), kbuf, 16), 0);
	KTEST_EXPECT_EQ(t, strncpy_from_user(dst, uptr(end - 16), sizeof(dst)), -EFAULT);
	KTEST_EXPECT_EQ(t, strncpy_from_user(dst, uptr(end - 16), 16), 16);
	KTEST_EXPECT_EQ(t, strnlen_user(uptr(end - 16), sizeof(dst)), 0);
	KTEST_EXPECT_EQ(t, strnlen_user(uptr(end - 16), 16), 17);

	/* Bad pointers. */
	KTEST_EXPECT_EQ(t, strncpy_from_user(dst, NULL, sizeof(dst)), -EFAULT);
	KTEST_EXPECT_EQ(t, strnlen_user(NULL, 8), 0);
	KTEST_EXPECT_EQ(t, strncpy_from_user(dst, uptr((unsigned long)"kernel"), 8), -EFAULT);
	KTEST_EXPECT_EQ(t, strnlen_user(uptr((unsigned long)"kernel"), 8), 0);
	/* Running off the top of user space. */
	KTEST_EXPECT_EQ(t, strnlen_user(uptr(USER_VA_END - 4), 64), 0);
out:
	leave_mm(mm);
}

/* In atomic context a fault cannot sleep on mmap_lock: the access fails instead. */
KTEST(uaccess_atomic_no_fault)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long a;
	u64 v = 0;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	a = umap(0, 2 * PAGE_SIZE, RW, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a));
	if (IS_ERR_VALUE(a))
		goto out;
	KTEST_EXPECT_EQ(t, put_user(42UL, (u64 __user *)uptr(a)), 0);
	preempt_disable();
	/* Present: works. Not yet faulted in: fails, and nothing gets mapped. */
	KTEST_EXPECT_EQ(t, get_user(v, (u64 __user *)uptr(a)), 0);
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a + PAGE_SIZE), &v, 8), 8);
	preempt_enable();
	KTEST_EXPECT_EQ(t, v, 42);
	KTEST_EXPECT(t, page_at(mm, a + PAGE_SIZE) == NULL);
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a + PAGE_SIZE), &v, 8), 0);
	KTEST_EXPECT(t, page_at(mm, a + PAGE_SIZE) != NULL);
out:
	leave_mm(mm);
}
