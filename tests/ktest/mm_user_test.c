// SPDX-License-Identifier: MIT
/*
 * User address spaces, exercised from kernel threads that adopt them: mmap placement and
 * flags, demand paging, munmap, mprotect, brk, stack growth, fork's copy-on-write, and
 * ASIDs keeping mms apart across CPUs and across generation rollover.
 */
#include <kairos/completion.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/smp.h>
#include <kairos/string.h>

#include "user_mm.h"

#define RW		(PROT_READ | PROT_WRITE)
#define P		PAGE_SIZE
/* 2 MiB aligned: a few pages there share one last-level table. */
#define BASE		0x40000000UL

KTEST(mm_mmap_placement)
{
	struct mm_struct *mm = enter_new_mm();
	const unsigned long h = 0x30000000UL;
	unsigned long a, b, d;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	/* Top-down below mmap_base; the next one right below, merged with it. */
	a = umap(0, 4 * P, RW, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a) && IS_ALIGNED(a, P));
	KTEST_EXPECT(t, a + 4 * P <= mm->mmap_base && a >= mmap_min_addr);
	b = umap(0, 4 * P, RW, 0);
	KTEST_EXPECT_EQ(t, b, a - 4 * P);
	KTEST_EXPECT_EQ(t, mm->map_count, 1);
	/* Different permissions: a VMA of its own. */
	KTEST_EXPECT_EQ(t, umap(0, P, PROT_READ, 0), b - P);
	KTEST_EXPECT_EQ(t, mm->map_count, 2);

	/* A free hint is taken (rounded up to a page); a taken one is not. */
	KTEST_EXPECT_EQ(t, umap(h, 2 * P, RW, 0), h);
	d = umap(h + P, 2 * P, RW, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(d) && (d + 2 * P <= h || d >= h + 2 * P));
	KTEST_EXPECT_EQ(t, umap(h + 8 * P + 123, P, RW, 0), h + 9 * P);
	d = umap(TASK_SIZE - P, 2 * P, RW, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(d) && d + 2 * P <= mm->mmap_base);

	/* MAP_FIXED replaces: the old contents are gone, the neighbour's stay. */
	KTEST_EXPECT_EQ(t, put_user(11UL, (u64 __user *)uptr(h)), 0);
	KTEST_EXPECT_EQ(t, put_user(12UL, (u64 __user *)uptr(h + P)), 0);
	KTEST_EXPECT_EQ(t, umap(h, P, RW, MAP_FIXED), h);
	KTEST_EXPECT_EQ(t, word_at(h), 0);
	KTEST_EXPECT_EQ(t, word_at(h + P), 12);
	KTEST_EXPECT_EQ(t, umap(h, P, RW, MAP_FIXED_NOREPLACE), -EEXIST);
	KTEST_EXPECT_EQ(t, umap(h + P / 2, P, RW, MAP_FIXED_NOREPLACE), -EINVAL);
	KTEST_EXPECT_EQ(t, umap(h + 64 * P, P, RW, MAP_FIXED_NOREPLACE), h + 64 * P);
	KTEST_EXPECT_EQ(t, word_at(h), 0);

	KTEST_EXPECT_EQ(t, umap(h + 1, P, RW, MAP_FIXED), -EINVAL);
	KTEST_EXPECT_EQ(t, umap(0, 0, RW, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, umap(0, P, RW, MAP_FIXED), -EPERM);
	KTEST_EXPECT_EQ(t, umap(TASK_SIZE - P, 2 * P, RW, MAP_FIXED), -ENOMEM);
	KTEST_EXPECT_EQ(t, umap(0, 1UL << 60, RW, 0), -ENOMEM);
	KTEST_EXPECT_EQ(t, umap(0, ~0UL - 5, RW, 0), -ENOMEM);
	/* Anonymous memory is private or shared; 6.1 validates nothing else for it. */
	KTEST_EXPECT_EQ(t, ksys_mmap_pgoff(0, P, RW, MAP_ANONYMOUS, -1UL, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, ksys_mmap_pgoff(0, P, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1UL, 0),
			-EINVAL);
	KTEST_EXPECT_EQ(t, ksys_mmap_pgoff(0, P, RW, MAP_SHARED | MAP_GROWSDOWN | MAP_ANONYMOUS,
					   -1UL, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, ksys_mmap_pgoff(0, P, RW, MAP_PRIVATE | MAP_HUGETLB | MAP_ANONYMOUS,
					   -1UL, 0), -ENOMEM);
	KTEST_EXPECT_EQ(t, ksys_mmap_pgoff(0, P, RW, MAP_PRIVATE, 3, 0), -EBADF);
	leave_mm(mm);
}

/*
 * Linux's overcommit heuristic: one request for more writable private (or shared
 * anonymous) memory than there is RAM fails, unless MAP_NORESERVE; nothing is charged
 * for what cannot be written.
 */
KTEST(mm_overcommit)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long big = (totalram_pages() + 1) * P, a;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	KTEST_EXPECT_EQ(t, umap(0, big, RW, 0), -ENOMEM);
	KTEST_EXPECT_EQ(t, ksys_mmap_pgoff(0, big, RW, MAP_SHARED | MAP_ANONYMOUS, -1UL, 0),
			-ENOMEM);
	a = umap(0, big, RW, MAP_NORESERVE);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a) && ksys_munmap(a, big) == 0);
	a = ksys_mmap_pgoff(0, big, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1UL, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a) && ksys_munmap(a, big) == 0);
	a = umap(0, big, PROT_READ, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a));
	KTEST_EXPECT_EQ(t, ksys_mprotect(a, big, RW), -ENOMEM);
	KTEST_EXPECT_EQ(t, ksys_mprotect(a, P, RW), 0);
	KTEST_EXPECT(t, writable(a));
	/* brk and mremap ask for it too. */
	mm->start_brk = mm->brk = BASE;
	KTEST_EXPECT_EQ(t, ksys_brk(BASE + big), BASE);
	KTEST_EXPECT_EQ(t, ksys_brk(BASE + P), BASE + P);
	KTEST_EXPECT_EQ(t, usys(mremap, BASE, P, P + big, MREMAP_MAYMOVE, 0), -ENOMEM);
	leave_mm(mm);
}

/* Pages come on first touch, read or write, one each; everything goes back at the end. */
KTEST(mm_demand_paging)
{
	unsigned long start = settled_pages(), before, a;
	struct mm_struct *mm = enter_new_mm();
	u64 v;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	a = umap(BASE, 64 * P, RW, MAP_FIXED);
	KTEST_EXPECT_EQ(t, a, BASE);
	KTEST_EXPECT(t, page_at(mm, a) == NULL);
	/* The first touch also brings the tables. */
	KTEST_EXPECT_EQ(t, put_user(1UL, (u64 __user *)uptr(a)), 0);
	before = nr_free_pages();
	for (unsigned int i = 1; i <= 10; i++) {
		if (i & 1)
			KTEST_EXPECT_EQ(t, put_user((u64)i, (u64 __user *)uptr(a + i * P)), 0);
		else
			KTEST_EXPECT(t, !get_user(v, (u64 __user *)uptr(a + i * P + 8)) && !v);
	}
	KTEST_EXPECT_EQ(t, before - nr_free_pages(), 10);
	for (unsigned int i = 0; i < 64; i++)
		KTEST_EXPECT_EQ(t, page_at(mm, a + i * P) != NULL, i <= 10);
	KTEST_EXPECT_EQ(t, word_at(a + 3 * P), 3);
	KTEST_EXPECT_EQ(t, word_at(a + 4 * P), 0);
	/* Touching again allocates nothing. */
	before = nr_free_pages();
	KTEST_EXPECT_EQ(t, put_user(7UL, (u64 __user *)uptr(a + 4 * P)), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	/* munmap gives back the pages and the three tables below the pgd. */
	before = pages_not_in_use();
	KTEST_EXPECT_EQ(t, ksys_munmap(a, 64 * P), 0);
	KTEST_EXPECT_EQ(t, pages_not_in_use() - before, 11 + 3);
	leave_mm(mm);
	KTEST_EXPECT_EQ(t, settled_pages(), start);
}

KTEST(mm_munmap_split)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long a;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	a = umap(BASE, 8 * P, RW, MAP_FIXED);
	for (unsigned int i = 0; i < 8; i++)
		KTEST_EXPECT_EQ(t, put_user((u64)i + 100, (u64 __user *)uptr(a + i * P)), 0);
	/* A hole in the middle: two VMAs left, both with their data. */
	KTEST_EXPECT_EQ(t, ksys_munmap(a + 3 * P, 2 * P), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 2);
	KTEST_EXPECT(t, !readable(a + 3 * P) && !readable(a + 4 * P) && !writable(a + 4 * P));
	KTEST_EXPECT(t, page_at(mm, a + 3 * P) == NULL);
	KTEST_EXPECT_EQ(t, word_at(a + 2 * P), 102);
	KTEST_EXPECT_EQ(t, word_at(a + 5 * P), 105);
	/* Length rounds up; a range with nothing in it is fine; bad arguments are not. */
	KTEST_EXPECT_EQ(t, ksys_munmap(a + 7 * P, 1), 0);
	KTEST_EXPECT(t, !readable(a + 7 * P) && readable(a + 6 * P));
	KTEST_EXPECT_EQ(t, ksys_munmap(a + 100 * P, P), 0);
	KTEST_EXPECT_EQ(t, ksys_munmap(a + 1, P), -EINVAL);
	KTEST_EXPECT_EQ(t, ksys_munmap(a, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, ksys_munmap(TASK_SIZE - P, 2 * P), -EINVAL);
	/* Across both pieces and the hole. */
	KTEST_EXPECT_EQ(t, ksys_munmap(a + P, 6 * P), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 1);
	KTEST_EXPECT_EQ(t, word_at(a), 100);
	KTEST_EXPECT(t, !readable(a + P) && !readable(a + 6 * P));
	leave_mm(mm);
}

KTEST(mm_mprotect)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long a;
	u8 buf[16];

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	a = umap(BASE, 4 * P, RW, MAP_FIXED);
	for (unsigned int i = 0; i < 4; i++)
		KTEST_EXPECT_EQ(t, put_user((u64)i + 1, (u64 __user *)uptr(a + i * P)), 0);

	/* Read-only in the middle: writes fail and change nothing, reads work. */
	KTEST_EXPECT_EQ(t, ksys_mprotect(a + P, 2 * P, PROT_READ), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 3);
	KTEST_EXPECT(t, !writable(a + P) && !writable(a + 2 * P + 8));
	KTEST_EXPECT_EQ(t, put_user(9UL, (u64 __user *)uptr(a + P)), -EFAULT);
	KTEST_EXPECT_EQ(t, word_at(a + P), 2);
	KTEST_EXPECT_EQ(t, word_at(a + 2 * P), 3);
	KTEST_EXPECT(t, writable(a) && writable(a + 3 * P));
	/* A write straddling into the read-only part stops exactly there. */
	memset(buf, 0x33, sizeof(buf));
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a + P - 4), buf, sizeof(buf)), 12);
	/* Never-touched pages of a read-only VMA read as zero. */
	KTEST_EXPECT_EQ(t, ksys_munmap(a + 2 * P, P), 0);
	KTEST_EXPECT_EQ(t, umap(a + 2 * P, P, PROT_READ, MAP_FIXED), a + 2 * P);
	KTEST_EXPECT_EQ(t, word_at(a + 2 * P), 0);
	KTEST_EXPECT(t, !writable(a + 2 * P));

	/* Writable again: neighbours merge back into one VMA. */
	KTEST_EXPECT_EQ(t, ksys_mprotect(a + P, 2 * P, RW), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 1);
	KTEST_EXPECT(t, writable(a + P) && writable(a + 2 * P));
	KTEST_EXPECT_EQ(t, put_user(9UL, (u64 __user *)uptr(a + P)), 0);
	KTEST_EXPECT_EQ(t, word_at(a + P), 9);

	/* PROT_NONE: no access at all, but the pages survive it. */
	KTEST_EXPECT_EQ(t, put_user(44UL, (u64 __user *)uptr(a + 3 * P)), 0);
	KTEST_EXPECT_EQ(t, ksys_mprotect(a, 4 * P, PROT_NONE), 0);
	KTEST_EXPECT(t, !readable(a) && !readable(a + P) && !writable(a + 3 * P));
	KTEST_EXPECT_EQ(t, ksys_mprotect(a, 4 * P, PROT_READ | PROT_EXEC), 0);
	KTEST_EXPECT_EQ(t, word_at(a + P), 9);
	KTEST_EXPECT_EQ(t, word_at(a + 3 * P), 44);

	/* The first piece merges into the next as it changes: the walk goes on from there. */
	KTEST_EXPECT_EQ(t, ksys_mprotect(a + P, P, RW), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 3);
	KTEST_EXPECT_EQ(t, ksys_mprotect(a, 3 * P, RW), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 2);
	KTEST_EXPECT(t, writable(a) && writable(a + 2 * P) && !writable(a + 3 * P));

	KTEST_EXPECT_EQ(t, ksys_mprotect(a + 1, P, PROT_READ), -EINVAL);
	KTEST_EXPECT_EQ(t, ksys_mprotect(a, P, PROT_READ | PROT_BTI), -EINVAL);
	KTEST_EXPECT_EQ(t, ksys_mprotect(a, P, PROT_READ | PROT_GROWSDOWN), -EINVAL);
	KTEST_EXPECT_EQ(t, ksys_mprotect(a, 8 * P, RW), -ENOMEM);	/* runs into a hole */
	KTEST_EXPECT_EQ(t, ksys_mprotect(a + 16 * P, P, RW), -ENOMEM);
	KTEST_EXPECT_EQ(t, ksys_mprotect(a, 0, RW), 0);
	leave_mm(mm);
}

KTEST(mm_brk)
{
	struct mm_struct *mm = enter_new_mm();
	const unsigned long base = 0x20000000UL + 123;
	unsigned long top, low;
	u8 buf[P];

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	/* As exec leaves it: the break just past the data, in the data's last page. */
	KTEST_EXPECT_EQ(t, umap(ALIGN_DOWN(base, P), P, RW, MAP_FIXED), ALIGN_DOWN(base, P));
	mm->start_brk = mm->brk = base;
	KTEST_EXPECT_EQ(t, ksys_brk(0), base);
	top = base + 3 * P + 100;
	KTEST_EXPECT_EQ(t, ksys_brk(top), top);
	memset(buf, 0xab, sizeof(buf));
	for (unsigned long p = base; p < top; p += sizeof(buf))
		KTEST_EXPECT_EQ(t, copy_to_user(uptr(p), buf, min(sizeof(buf), top - p)), 0);
	/* Whole pages: the rest of the break's page is usable, the next page is not. */
	KTEST_EXPECT(t, writable(top) && !readable(ALIGN(top, P)));

	/* Shrinking unmaps the pages above the new break's page only. */
	low = base + P + 10;
	KTEST_EXPECT_EQ(t, ksys_brk(low), low);
	KTEST_EXPECT(t, !readable(ALIGN(low, P)));
	KTEST_EXPECT_EQ(t, copy_from_user(buf, uptr(ALIGN(low, P) - 16), 16), 0);
	KTEST_EXPECT_EQ(t, buf[15], 0xab);
	/* Growing again brings zeroed pages. */
	KTEST_EXPECT_EQ(t, ksys_brk(top), top);
	KTEST_EXPECT_EQ(t, word_at(ALIGN(low, P)), 0);
	KTEST_EXPECT_EQ(t, word_at(ALIGN(low, P) + P), 0);
	KTEST_EXPECT_EQ(t, word_at(base), 0xababababababababUL);

	/* Failures leave the break where it was and say so. */
	KTEST_EXPECT_EQ(t, ksys_brk(base - 1), top);
	KTEST_EXPECT_EQ(t, ksys_brk(~0UL - 10), top);
	KTEST_EXPECT_EQ(t, umap(ALIGN(top, P) + 2 * P, P, RW, MAP_FIXED), ALIGN(top, P) + 2 * P);
	KTEST_EXPECT_EQ(t, ksys_brk(ALIGN(top, P) + P + 1), top);
	KTEST_EXPECT_EQ(t, ksys_brk(ALIGN(top, P) + P), ALIGN(top, P) + P);
	KTEST_EXPECT_EQ(t, ksys_brk(base), base);
	KTEST_EXPECT(t, readable(base) && !readable(ALIGN(base, P)));
	KTEST_EXPECT_EQ(t, mm->map_count, 2);
	leave_mm(mm);
}

KTEST(mm_stack_growth)
{
	struct mm_struct *mm = enter_new_mm();
	const unsigned long g = 0x50000000UL;
	struct vm_area_struct *vma;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	KTEST_EXPECT_EQ(t, setup_stack_vma(mm, 16 * P, 0), 0);
	KTEST_EXPECT_EQ(t, setup_stack_vma(mm, 16 * P, 0), -EEXIST);
	KTEST_EXPECT(t, writable(STACK_TOP - 8));
	/* Below the VMA: it grows to the page of the access. */
	KTEST_EXPECT(t, writable(STACK_TOP - 16 * P - 100));
	vma = find_vma(mm, STACK_TOP - 1);
	KTEST_EXPECT_EQ(t, vma->vm_start, STACK_TOP - 17 * P);
	KTEST_EXPECT_EQ(t, word_at(STACK_TOP - 16 * P - 100), 0x5a5a);
	KTEST_EXPECT(t, readable(STACK_TOP - (4UL << 20)));
	KTEST_EXPECT_EQ(t, vma->vm_start, STACK_TOP - (4UL << 20));
	/* Up to _STK_LIM and no further. */
	KTEST_EXPECT(t, !writable(STACK_TOP - _STK_LIM - 8));
	KTEST_EXPECT(t, writable(STACK_TOP - _STK_LIM));
	KTEST_EXPECT_EQ(t, vma->vm_start, STACK_TOP - _STK_LIM);
	KTEST_EXPECT_EQ(t, mm->map_count, 1);

	/* A MAP_GROWSDOWN stack keeps a guard gap from the mapping below it. */
	KTEST_EXPECT_EQ(t, umap(g, 4 * P, RW, MAP_FIXED | MAP_GROWSDOWN), g);
	KTEST_EXPECT_EQ(t, umap(g - (2UL << 20) - 4 * P, 4 * P, RW, MAP_FIXED),
			g - (2UL << 20) - 4 * P);
	KTEST_EXPECT(t, !writable(g - (3UL << 19)));	/* 0.5 MiB above the mapping */
	KTEST_EXPECT(t, writable(g - (1UL << 19)));	/* 1.5 MiB above it */
	/* mmap keeps the gap free too: a hint inside it is not taken. */
	KTEST_EXPECT(t, umap(g - (1UL << 19) - 2 * P, P, RW, 0) != g - (1UL << 19) - 2 * P);
	/* mprotect with PROT_GROWSDOWN reaches down to the start of the stack. */
	KTEST_EXPECT_EQ(t, ksys_mprotect(g + P, P, PROT_READ | PROT_GROWSDOWN), 0);
	KTEST_EXPECT(t, !writable(g - (1UL << 19)) && !writable(g) && writable(g + 2 * P));
	leave_mm(mm);
}

/*
 * RLIMIT_STACK bounds stack growth (read at each fault) and sets how much room mmap
 * leaves below the stack (read when exec makes the mm). A kernel thread without a
 * signal_struct borrows one here.
 */
KTEST(mm_stack_rlimit)
{
	struct signal_struct *saved = current->signal, *sig, *local = NULL;
	struct mm_struct *mm;
	unsigned long old;

	if (!saved) {
		local = kzalloc(sizeof(*local), GFP_KERNEL);
		KTEST_EXPECT(t, local != NULL);
		if (!local)
			return;
		current->signal = local;
	}
	sig = current->signal;
	old = sig->rlim[RLIMIT_STACK].rlim_cur;

	sig->rlim[RLIMIT_STACK].rlim_cur = 1UL << 20;
	mm = enter_new_mm();
	KTEST_EXPECT(t, mm != NULL);
	if (mm) {
		KTEST_EXPECT_EQ(t, mm->mmap_base, STACK_TOP - (128UL << 20));
		KTEST_EXPECT_EQ(t, setup_stack_vma(mm, 16 * P, 0), 0);
		KTEST_EXPECT(t, writable(STACK_TOP - (1UL << 20)));
		KTEST_EXPECT(t, !writable(STACK_TOP - (1UL << 20) - 8));
		/* Raised while running: the stack may grow further at once. */
		sig->rlim[RLIMIT_STACK].rlim_cur = 64UL << 20;
		KTEST_EXPECT(t, writable(STACK_TOP - (48UL << 20)));
		KTEST_EXPECT(t, writable(STACK_TOP - (64UL << 20)));
		KTEST_EXPECT(t, !writable(STACK_TOP - (64UL << 20) - 8));
		leave_mm(mm);
	}
	sig->rlim[RLIMIT_STACK].rlim_cur = 512UL << 20;
	mm = mm_alloc();
	KTEST_EXPECT(t, mm && mm->mmap_base == STACK_TOP - (512UL << 20) - stack_guard_gap);
	if (mm)
		mmput(mm);
	sig->rlim[RLIMIT_STACK].rlim_cur = RLIM_INFINITY;
	mm = mm_alloc();
	KTEST_EXPECT(t, mm && mm->mmap_base == ALIGN_DOWN(STACK_TOP - STACK_TOP / 6 * 5, P));
	if (mm)
		mmput(mm);

	sig->rlim[RLIMIT_STACK].rlim_cur = old;
	current->signal = saved;
	kfree(local);
}

/* fork's copy: pages shared until written, then each side sees only its own writes. */
KTEST(mm_dup_cow)
{
	unsigned long start = settled_pages(), n;
	struct mm_struct *a = enter_new_mm(), *b;
	struct page *shared[6];
	u8 buf[P];

	KTEST_EXPECT(t, a != NULL);
	if (!a)
		return;
	KTEST_EXPECT_EQ(t, umap(BASE, 8 * P, RW, MAP_FIXED), BASE);
	KTEST_EXPECT_EQ(t, umap(BASE + 16 * P, P, PROT_READ, MAP_FIXED), BASE + 16 * P);
	for (unsigned int i = 0; i < 6; i++) {
		memset(buf, i + 1, sizeof(buf));
		KTEST_EXPECT_EQ(t, copy_to_user(uptr(BASE + i * P), buf, P), 0);
		shared[i] = page_at(a, BASE + i * P);
	}
	KTEST_EXPECT(t, readable(BASE + 16 * P));

	/* The copy takes its tables only (pgd + three levels): no data pages. */
	n = pages_not_in_use();
	b = dup_mm(a);
	KTEST_EXPECT(t, b != NULL);
	if (!b) {
		leave_mm(a);
		return;
	}
	KTEST_EXPECT_EQ(t, n - pages_not_in_use(), 4);
	KTEST_EXPECT_EQ(t, b->map_count, 2);
	for (unsigned int i = 0; i < 6; i++) {
		KTEST_EXPECT(t, page_at(b, BASE + i * P) == shared[i]);
		KTEST_EXPECT_EQ(t, page_count(shared[i]), 2);
	}
	KTEST_EXPECT(t, page_at(b, BASE + 6 * P) == NULL);
	KTEST_EXPECT(t, page_at(b, BASE + 16 * P) == page_at(a, BASE + 16 * P));

	/* A writes page 0: it gets a copy, B keeps the original. */
	n = pages_not_in_use();
	KTEST_EXPECT_EQ(t, put_user(0xa0UL, (u64 __user *)uptr(BASE)), 0);
	KTEST_EXPECT_EQ(t, n - pages_not_in_use(), 1);
	KTEST_EXPECT(t, page_at(a, BASE) != shared[0]);
	KTEST_EXPECT_EQ(t, page_count(shared[0]), 1);
	KTEST_EXPECT_EQ(t, word_at(BASE + 8), 0x0101010101010101UL);
	KTEST_EXPECT(t, !writable(BASE + 16 * P));

	kthread_unuse_mm(a);
	kthread_use_mm(b);
	KTEST_EXPECT_EQ(t, word_at(BASE), 0x0101010101010101UL);
	/* B is the last user of page 0 now: it takes it over without a copy. */
	n = pages_not_in_use();
	KTEST_EXPECT_EQ(t, put_user(0xb0UL, (u64 __user *)uptr(BASE)), 0);
	KTEST_EXPECT_EQ(t, pages_not_in_use(), n);
	KTEST_EXPECT(t, page_at(b, BASE) == shared[0]);
	/* Page 1 is still shared: B copies. */
	KTEST_EXPECT_EQ(t, put_user(0xb1UL, (u64 __user *)uptr(BASE + P)), 0);
	KTEST_EXPECT_EQ(t, n - pages_not_in_use(), 1);
	KTEST_EXPECT_EQ(t, page_count(shared[1]), 1);
	KTEST_EXPECT_EQ(t, word_at(BASE + P + 8), 0x0202020202020202UL);
	KTEST_EXPECT_EQ(t, put_user(0xb6UL, (u64 __user *)uptr(BASE + 6 * P)), 0);
	KTEST_EXPECT(t, !writable(BASE + 16 * P));
	kthread_unuse_mm(b);

	/* A sees none of B's writes; then A goes first and B keeps its pages. */
	kthread_use_mm(a);
	KTEST_EXPECT_EQ(t, word_at(BASE), 0xa0);
	KTEST_EXPECT_EQ(t, word_at(BASE + P), 0x0202020202020202UL);
	KTEST_EXPECT_EQ(t, word_at(BASE + 6 * P), 0);
	for (unsigned int i = 2; i < 6; i++)
		KTEST_EXPECT_EQ(t, word_at(BASE + i * P), 0x0101010101010101UL * (i + 1));
	leave_mm(a);
	kthread_use_mm(b);
	KTEST_EXPECT_EQ(t, word_at(BASE), 0xb0);
	KTEST_EXPECT_EQ(t, word_at(BASE + P), 0xb1);
	KTEST_EXPECT_EQ(t, word_at(BASE + 6 * P), 0xb6);
	KTEST_EXPECT_EQ(t, word_at(BASE + 5 * P), 0x0606060606060606UL);
	KTEST_EXPECT_EQ(t, page_count(shared[5]), 1);
	leave_mm(b);
	KTEST_EXPECT_EQ(t, settled_pages(), start);
}

/* A kernel page shown to user space (as the sigreturn trampoline is): found again after
 * fork and MADV_DONTNEED, copied on write, kept apart from its neighbours. */
KTEST(mm_special_mapping)
{
	struct mm_struct *mm = enter_new_mm(), *child;
	struct page *kpage = alloc_page(GFP_KERNEL | __GFP_ZERO);
	const unsigned long flags = VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	struct page *pages[2];
	int count;

	KTEST_EXPECT(t, mm && kpage);
	if (!mm || !kpage)
		goto out;
	*(u64 *)page_address(kpage) = 0x1234;
	pages[0] = pages[1] = kpage;
	count = page_count(kpage);
	mmap_write_lock(mm);
	KTEST_EXPECT_EQ(t, install_special_mapping(mm, BASE, 2 * P, flags, pages), 0);
	KTEST_EXPECT_EQ(t, install_special_mapping(mm, BASE + P, P, flags, pages), -EEXIST);
	mmap_write_unlock(mm);
	KTEST_EXPECT_EQ(t, umap(BASE + 2 * P, P, PROT_READ | PROT_EXEC, MAP_FIXED), BASE + 2 * P);
	KTEST_EXPECT_EQ(t, mm->map_count, 2);
	KTEST_EXPECT(t, word_at(BASE) == 0x1234 && word_at(BASE + P) == 0x1234);
	KTEST_EXPECT(t, page_at(mm, BASE) == kpage && !writable(BASE));
	KTEST_EXPECT_EQ(t, page_count(kpage), count + 2);
	/* Growing it is refused, as Linux refuses to grow a special mapping. */
	KTEST_EXPECT_EQ(t, usys(mremap, BASE, 2 * P, 4 * P, MREMAP_MAYMOVE, 0), -EFAULT);

	child = dup_mm(mm);
	KTEST_EXPECT(t, child != NULL);
	if (child) {
		kthread_unuse_mm(mm);
		kthread_use_mm(child);
		KTEST_EXPECT(t, word_at(BASE + P) == 0x1234 && page_at(child, BASE + P) == kpage);
		leave_mm(child);
		kthread_use_mm(mm);
	}
	KTEST_EXPECT_EQ(t, usys(madvise, BASE, 2 * P, MADV_DONTNEED), 0);
	KTEST_EXPECT(t, page_at(mm, BASE) == NULL && word_at(BASE) == 0x1234);
	/* Made writable, it is written in a copy of its own. */
	KTEST_EXPECT_EQ(t, ksys_mprotect(BASE, P, PROT_READ | PROT_WRITE), 0);
	KTEST_EXPECT(t, put_word(BASE, 7) && page_at(mm, BASE) != kpage);
	KTEST_EXPECT_EQ(t, *(u64 *)page_address(kpage), 0x1234);
	KTEST_EXPECT_EQ(t, ksys_mprotect(BASE, P, PROT_READ | PROT_EXEC), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 3);
	KTEST_EXPECT_EQ(t, word_at(BASE + P), 0x1234);
	KTEST_EXPECT_EQ(t, ksys_munmap(BASE, 3 * P), 0);
	KTEST_EXPECT_EQ(t, page_count(kpage), count);
out:
	if (mm)
		leave_mm(mm);
	if (kpage)
		__free_page(kpage);
}

struct asid_worker {
	struct completion done;
	unsigned int id;
	unsigned int iters;
	int errors;		/* a word read back wrong: another mm's page showed through */
	bool setup_failed;
	u64 gen_first, gen_last;
};

/* The same VA in every worker's own mm; each checks it sees only its own data. */
static int asid_worker_fn(void *arg)
{
	struct asid_worker *w = arg;
	struct mm_struct *mm = enter_new_mm();

	if (!mm || umap(BASE, 2 * P, RW, MAP_FIXED) != BASE) {
		w->setup_failed = true;
		goto out;
	}
	for (unsigned int i = 0; i < w->iters; i++) {
		u64 want = (u64)w->id << 32 | i;

		if (i == 1)
			w->gen_first = atomic64_read(&mm->context.id) >> ASID_BITS;
		if (put_user(want, (u64 __user *)uptr(BASE)) ||
		    put_user(~want, (u64 __user *)uptr(BASE + P + 8)))
			w->errors++;
		/* Let the other mms on this CPU run in between. */
		if (i % 4 == 0)
			msleep(1);
		else
			do_sched_yield();
		if (word_at(BASE) != want || word_at(BASE + P + 8) != ~want)
			w->errors++;
	}
	w->gen_last = atomic64_read(&mm->context.id) >> ASID_BITS;
out:
	if (mm)
		leave_mm(mm);
	complete(&w->done);
	return 0;
}

/* n workers spread over the online CPUs; returns how many saw a new ASID generation. */
static unsigned int run_asid_workers(struct ktest_ctx *t, unsigned int n, unsigned int iters)
{
	struct asid_worker *w = kcalloc(n, sizeof(*w), GFP_KERNEL);
	unsigned int cpu = cpumask_first(&cpu_online_mask), rolled = 0;

	KTEST_EXPECT(t, w != NULL);
	if (!w)
		return 0;
	for (unsigned int i = 0; i < n; i++) {
		struct task_struct *k;

		init_completion(&w[i].done);
		w[i].id = i;
		w[i].iters = iters;
		k = kthread_create(asid_worker_fn, &w[i], "ktest_asid/%u", i);
		KTEST_EXPECT(t, !IS_ERR(k));
		if (IS_ERR(k)) {
			complete(&w[i].done);
			continue;
		}
		kthread_bind(k, cpu);
		wake_up_process(k);
		cpu = cpumask_next(cpu, &cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(&cpu_online_mask);
	}
	for (unsigned int i = 0; i < n; i++) {
		wait_for_completion(&w[i].done);
		if (w[i].setup_failed || w[i].errors)
			ktest_fail(t, __FILE__, __LINE__, "worker %u: setup %s, %d wrong reads", i,
				   w[i].setup_failed ? "failed" : "ok", w[i].errors);
		rolled += w[i].gen_last != w[i].gen_first;
	}
	kfree(w);
	return rolled;
}

/* Two or three mms per CPU at the same VA, switching constantly. */
KTEST(mm_asid_separation)
{
	unsigned long start;

	/* A first round may grow what stays (page tables of the vmalloc area that kernel
	 * stacks come from); memory must come back from the second. */
	run_asid_workers(t, 3 * num_online_cpus(), 1);
	start = settled_pages();
	run_asid_workers(t, 3 * num_online_cpus(), 200);
	KTEST_EXPECT(t, ttbr0_is_reserved());
	KTEST_EXPECT_EQ(t, settled_pages(), start);
}

/*
 * More live mms than ASIDs: generations roll over again and again, and contents must
 * not mix. (Each rollover serialises every CPU's next switch on cpu_asid_lock, which is
 * slow under QEMU on few host cores: hence the modest numbers.)
 */
KTEST(mm_asid_rollover)
{
	unsigned int rolled;

	asid_debug_set_limit(nr_cpu_ids + 8);
	rolled = run_asid_workers(t, nr_cpu_ids + 12, 40);
	asid_debug_set_limit(0);
	KTEST_EXPECT(t, rolled > 0);
}
