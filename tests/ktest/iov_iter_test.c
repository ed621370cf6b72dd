// SPDX-License-Identifier: MIT
/*
 * iov_iter over kernel segments and over user segments of an adopted mm: copies that
 * cross segments (empty ones too), faults that end a copy short without touching what
 * lies past the fault, advance and revert, and import_iovec's checks.
 */
#include <kairos/fs.h>
#include <kairos/ktest.h>
#include <kairos/string.h>
#include <kairos/uio.h>

#include "user_mm.h"

#define RW	(PROT_READ | PROT_WRITE)

static bool all_zero(const char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

KTEST(iov_iter_kvec)
{
	char a[4], b[1], c[8], out[13];
	struct kvec kv[4] = { { a, 4 }, { b, 0 }, { c, 8 }, { b, 1 } };
	struct iov_iter it;

	memset(a, 0, 4);
	memset(c, 0, 8);
	iov_iter_kvec(&it, READ, kv, 4, 13);
	KTEST_EXPECT_EQ(t, copy_to_iter("0123456789", 6, &it), 6);
	KTEST_EXPECT(t, !memcmp(a, "0123", 4));
	KTEST_EXPECT(t, !memcmp(c, "45", 2));
	KTEST_EXPECT_EQ(t, iov_iter_count(&it), 7);
	/* Back over the segment boundary and the empty segment: the same bytes again. */
	iov_iter_revert(&it, 3);
	KTEST_EXPECT_EQ(t, iov_iter_count(&it), 10);
	KTEST_EXPECT_EQ(t, copy_to_iter("xyz", 3, &it), 3);
	KTEST_EXPECT(t, !memcmp(a, "012x", 4));
	KTEST_EXPECT(t, !memcmp(c, "yz", 2));
	iov_iter_advance(&it, 5);
	KTEST_EXPECT_EQ(t, iov_iter_count(&it), 2);
	KTEST_EXPECT_EQ(t, iov_iter_zero(100, &it), 2);	/* at most what is left */
	KTEST_EXPECT_EQ(t, c[7], 0);
	KTEST_EXPECT_EQ(t, b[0], 0);
	KTEST_EXPECT_EQ(t, copy_to_iter("!", 1, &it), 0);

	iov_iter_kvec(&it, WRITE, kv, 4, 13);
	memset(out, '.', sizeof(out));
	KTEST_EXPECT_EQ(t, copy_from_iter(out, sizeof(out), &it), 13);
	KTEST_EXPECT(t, !memcmp(out, "012xyz", 6));
	KTEST_EXPECT_EQ(t, iov_iter_count(&it), 0);
}

/* A fault ends the copy at the last byte before it, and nothing after it changes. */
KTEST(iov_iter_user_faults)
{
	struct mm_struct *mm = enter_new_mm();
	struct iovec iov[3];
	struct iov_iter it;
	char buf[32], back[8];
	unsigned long a;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	a = umap(0, 2 * PAGE_SIZE, RW, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a));
	if (IS_ERR_VALUE(a))
		goto out;
	KTEST_EXPECT_EQ(t, ksys_munmap(a + PAGE_SIZE, PAGE_SIZE), 0);
	/* 8 good bytes, 8 straddling the end (4 good), 8 good. */
	iov[0] = (struct iovec){ uptr(a), 8 };
	iov[1] = (struct iovec){ uptr(a + PAGE_SIZE - 4), 8 };
	iov[2] = (struct iovec){ uptr(a + 16), 8 };
	iov_iter_init(&it, READ, iov, 3, 24);
	KTEST_EXPECT_EQ(t, copy_to_iter("abcdefghijklmnopqrstuvwx", 24, &it), 12);
	KTEST_EXPECT_EQ(t, iov_iter_count(&it), 12);
	KTEST_EXPECT_EQ(t, copy_from_user(back, uptr(a + PAGE_SIZE - 4), 4), 0);
	KTEST_EXPECT(t, !memcmp(back, "ijkl", 4));
	KTEST_EXPECT_EQ(t, copy_from_user(back, uptr(a + 16), 8), 0);
	KTEST_EXPECT(t, all_zero(back, 8));

	/* From user memory: bytes past the fault in the destination stay as they were. */
	iov_iter_init(&it, WRITE, iov, 3, 24);
	memset(buf, 'X', sizeof(buf));
	KTEST_EXPECT_EQ(t, copy_from_iter(buf, 24, &it), 12);
	KTEST_EXPECT(t, !memcmp(buf, "abcdefghijkl", 12));
	KTEST_EXPECT_EQ(t, buf[12], 'X');
	KTEST_EXPECT_EQ(t, buf[23], 'X');
	/* Kernel addresses in a user iterator are refused. */
	iov[0] = (struct iovec){ (void __user *)buf, 8 };
	iov_iter_init(&it, READ, iov, 1, 8);
	KTEST_EXPECT_EQ(t, copy_to_iter("12345678", 8, &it), 0);
	KTEST_EXPECT_EQ(t, iov_iter_zero(8, &it), 0);
	KTEST_EXPECT_EQ(t, buf[0], 'a');
out:
	leave_mm(mm);
}

KTEST(iov_iter_import)
{
	struct mm_struct *mm = enter_new_mm();
	struct iovec fast[UIO_FASTIOV], *iov, kiov[UIO_FASTIOV + 1];
	struct iov_iter it;
	unsigned long a;
	ssize_t n;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	a = umap(0, PAGE_SIZE, RW, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a));
	if (IS_ERR_VALUE(a))
		goto out;
	for (unsigned int i = 0; i < ARRAY_SIZE(kiov); i++)
		kiov[i] = (struct iovec){ uptr(a + 2048 + i * 16), 16 };
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), kiov, sizeof(kiov)), 0);

	/* Up to UIO_FASTIOV segments use the caller's array. */
	iov = fast;
	n = import_iovec(READ, uptr(a), UIO_FASTIOV, UIO_FASTIOV, &iov, &it);
	KTEST_EXPECT_EQ(t, n, UIO_FASTIOV * 16);
	KTEST_EXPECT(t, iov == NULL);
	KTEST_EXPECT_EQ(t, iov_iter_count(&it), UIO_FASTIOV * 16);
	/* One more: an allocation for the caller to free. */
	iov = fast;
	n = import_iovec(READ, uptr(a), UIO_FASTIOV + 1, UIO_FASTIOV, &iov, &it);
	KTEST_EXPECT_EQ(t, n, (UIO_FASTIOV + 1) * 16);
	KTEST_EXPECT(t, iov != NULL && iov != fast);
	KTEST_EXPECT_EQ(t, copy_to_iter(kiov, sizeof(kiov), &it), (UIO_FASTIOV + 1) * 16);
	kfree(iov);

	iov = fast;
	KTEST_EXPECT_EQ(t, import_iovec(READ, uptr(a), UIO_MAXIOV + 1, UIO_FASTIOV, &iov, &it),
			-EINVAL);
	iov = fast;
	KTEST_EXPECT_EQ(t, import_iovec(READ, uptr(a + PAGE_SIZE - 8), 2, UIO_FASTIOV, &iov,
					&it), -EFAULT);
	iov = fast;
	KTEST_EXPECT_EQ(t, import_iovec(READ, (void __user *)kiov, 2, UIO_FASTIOV, &iov, &it),
			-EFAULT);
	/* A segment outside user memory is EFAULT, a length below zero EINVAL, first. */
	kiov[1].iov_base = (void __user *)kiov;
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), kiov, sizeof(kiov)), 0);
	iov = fast;
	KTEST_EXPECT_EQ(t, import_iovec(READ, uptr(a), 3, UIO_FASTIOV, &iov, &it), -EFAULT);
	kiov[2].iov_len = -1UL;
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), kiov, sizeof(kiov)), 0);
	iov = fast;
	KTEST_EXPECT_EQ(t, import_iovec(READ, uptr(a), 3, UIO_FASTIOV, &iov, &it), -EINVAL);
	/* A total past MAX_RW_COUNT is cut there (low addresses: the ranges fit). */
	kiov[0] = (struct iovec){ uptr(PAGE_SIZE), MAX_RW_COUNT - 100 };
	kiov[1] = (struct iovec){ uptr(PAGE_SIZE), 1000 };
	kiov[2] = (struct iovec){ uptr(PAGE_SIZE), 5 };
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), kiov, 3 * sizeof(*kiov)), 0);
	iov = fast;
	KTEST_EXPECT_EQ(t, import_iovec(READ, uptr(a), 3, UIO_FASTIOV, &iov, &it), MAX_RW_COUNT);
	KTEST_EXPECT_EQ(t, fast[1].iov_len, 100);
	KTEST_EXPECT_EQ(t, fast[2].iov_len, 0);
out:
	leave_mm(mm);
}
