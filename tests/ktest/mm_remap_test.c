// SPDX-License-Identifier: MIT
/*
 * mremap, madvise, msync, mincore and the mlock family, called as user space calls them
 * (usys) from kernel threads on adopted address spaces, with Linux 6.1's answers.
 */
#include <kairos/fs.h>
#include <kairos/ktest.h>
#include <kairos/string.h>

#include "user_mm.h"

#define RW		(PROT_READ | PROT_WRITE)
#define P		PAGE_SIZE
#define BASE		0x40000000UL

static unsigned long mremap(unsigned long addr, unsigned long old_len, unsigned long new_len,
			    unsigned long flags, unsigned long new_addr)
{
	return usys(mremap, addr, old_len, new_len, flags, new_addr);
}

static long madvise(unsigned long addr, unsigned long len, long advice)
{
	return usys(madvise, addr, len, advice);
}

/* Pages 0..n-1 of [addr, ...) hold i + 1 in their first word. */
static void fill_pages(unsigned long addr, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		put_word(addr + i * P, i + 1);
}

static bool pages_hold(unsigned long addr, unsigned int n, unsigned int first)
{
	for (unsigned int i = 0; i < n; i++)
		if (word_at(addr + i * P) != first + i + 1)
			return false;
	return true;
}

KTEST(mm_mremap)
{
	struct mm_struct *mm = enter_new_mm();
	struct page *pg;
	unsigned long a;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	KTEST_EXPECT_EQ(t, umap(BASE, 4 * P, RW, MAP_FIXED), BASE);
	fill_pages(BASE, 4);

	/* Shrinking unmaps the tail; the same size changes nothing. */
	KTEST_EXPECT_EQ(t, mremap(BASE, 4 * P, 3 * P, 0, 0), BASE);
	KTEST_EXPECT(t, pages_hold(BASE, 3, 0) && !readable(BASE + 3 * P));
	KTEST_EXPECT_EQ(t, mremap(BASE, 3 * P, 3 * P, 0, 0), BASE);
	/* Growing where there is room: in place, the new part zero. */
	KTEST_EXPECT_EQ(t, mremap(BASE, 3 * P, 6 * P, 0, 0), BASE);
	KTEST_EXPECT_EQ(t, mm->map_count, 1);
	KTEST_EXPECT(t, pages_hold(BASE, 3, 0) && word_at(BASE + 5 * P) == 0);

	/* No room: ENOMEM unless it may move; moving takes the pages, not copies. */
	KTEST_EXPECT_EQ(t, umap(BASE + 6 * P, P, PROT_READ, MAP_FIXED), BASE + 6 * P);
	KTEST_EXPECT_EQ(t, mremap(BASE, 6 * P, 8 * P, 0, 0), -ENOMEM);
	pg = page_at(mm, BASE + P);
	a = mremap(BASE, 6 * P, 8 * P, MREMAP_MAYMOVE, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a) && a != BASE);
	KTEST_EXPECT(t, pages_hold(a, 3, 0) && page_at(mm, a + P) == pg);
	KTEST_EXPECT(t, !readable(BASE) && readable(BASE + 6 * P));
	KTEST_EXPECT(t, writable(a + 7 * P));

	/* MREMAP_FIXED replaces what is at the target. */
	KTEST_EXPECT_EQ(t, umap(BASE + 32 * P, 4 * P, RW, MAP_FIXED), BASE + 32 * P);
	KTEST_EXPECT(t, put_word(BASE + 35 * P, 99));
	KTEST_EXPECT_EQ(t, mremap(a, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, BASE + 32 * P),
			BASE + 32 * P);
	KTEST_EXPECT(t, pages_hold(BASE + 32 * P, 2, 0) && word_at(BASE + 35 * P) == 99);
	KTEST_EXPECT(t, !readable(a) && word_at(a + 2 * P) == 3);
	/* MREMAP_DONTUNMAP: the old range stays mapped, empty. */
	a = mremap(BASE + 32 * P, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a) && pages_hold(a, 2, 0));
	KTEST_EXPECT(t, readable(BASE + 32 * P) && word_at(BASE + 32 * P) == 0);

	/* Errors, in Linux's order. */
	KTEST_EXPECT_EQ(t, mremap(BASE + 32 * P, P, P, 8, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, mremap(BASE + 32 * P, P, P, MREMAP_FIXED, BASE), -EINVAL);
	KTEST_EXPECT_EQ(t, mremap(BASE + 32 * P, P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
				  0), -EINVAL);
	KTEST_EXPECT_EQ(t, mremap(BASE + 32 * P + 1, P, P, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, mremap(BASE + 32 * P, P, 0, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, mremap(BASE + 100 * P, P, P, 0, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, mremap(BASE + 100 * P, 2 * P, P, 0, 0), -EFAULT);
	/* [32, 36) is one VMA again (the empty old range merged back): 5 pages cross it. */
	KTEST_EXPECT_EQ(t, mremap(BASE + 32 * P, 5 * P, 6 * P, MREMAP_MAYMOVE, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, mremap(BASE + 32 * P, P, P, MREMAP_MAYMOVE | MREMAP_FIXED,
				  BASE + 32 * P), -EINVAL);	/* overlaps */
	KTEST_EXPECT_EQ(t, mremap(BASE + 32 * P, P, P, MREMAP_MAYMOVE | MREMAP_FIXED,
				  BASE + 1), -EINVAL);
	KTEST_EXPECT_EQ(t, mremap(BASE + 32 * P, 0, P, MREMAP_MAYMOVE, 0), -EINVAL);
	leave_mm(mm);
}

/* Moving a shared mapping keeps its file offset; old_len 0 duplicates it. */
KTEST(mm_mremap_shared)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long a, d;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	KTEST_EXPECT_EQ(t, ksys_mmap_pgoff(BASE, 4 * P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
					   -1UL, 0), BASE);
	fill_pages(BASE, 4);
	d = mremap(BASE + P, 0, 2 * P, MREMAP_MAYMOVE, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(d) && pages_hold(d, 2, 1));
	KTEST_EXPECT(t, page_at(mm, d) == page_at(mm, BASE + P) && readable(BASE + P));
	/* Moving the tail half keeps the pages where the file has them. */
	a = mremap(BASE + 2 * P, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, BASE + 64 * P);
	KTEST_EXPECT_EQ(t, a, BASE + 64 * P);
	KTEST_EXPECT(t, pages_hold(a, 2, 2));
	KTEST_EXPECT(t, put_word(d + P, 77) && word_at(a) == 77);
	/* Growing in place finds the object's pages; past its size there are none
	 * (SIGBUS), as in Linux. */
	KTEST_EXPECT_EQ(t, mremap(BASE, 2 * P, 5 * P, 0, 0), BASE);
	KTEST_EXPECT_EQ(t, word_at(BASE + 2 * P), 77);
	KTEST_EXPECT_EQ(t, word_at(BASE + 3 * P), 4);
	KTEST_EXPECT(t, !readable(BASE + 4 * P));
	leave_mm(mm);
}

KTEST(mm_madvise)
{
	struct mm_struct *mm = enter_new_mm(), *child;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	KTEST_EXPECT_EQ(t, umap(BASE, 4 * P, RW, MAP_FIXED), BASE);
	fill_pages(BASE, 4);
	/* Hints are accepted and change no data. */
	KTEST_EXPECT_EQ(t, madvise(BASE, 4 * P, MADV_NORMAL), 0);
	KTEST_EXPECT_EQ(t, madvise(BASE, 4 * P, MADV_RANDOM), 0);
	KTEST_EXPECT_EQ(t, madvise(BASE, 4 * P, MADV_SEQUENTIAL), 0);
	KTEST_EXPECT_EQ(t, madvise(BASE, 4 * P, MADV_WILLNEED), 0);
	KTEST_EXPECT_EQ(t, madvise(BASE, 4 * P, MADV_NORMAL), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 1);
	KTEST_EXPECT(t, pages_hold(BASE, 4, 0));
	/* DONTNEED: anonymous private memory reads as zeros again. */
	KTEST_EXPECT_EQ(t, madvise(BASE + P, 2 * P, MADV_DONTNEED), 0);
	KTEST_EXPECT(t, page_at(mm, BASE + P) == NULL);
	KTEST_EXPECT(t, word_at(BASE) == 1 && word_at(BASE + P) == 0 &&
		     word_at(BASE + 2 * P) == 0 && word_at(BASE + 3 * P) == 4);
	/* Shared memory keeps its contents: the pages are found again. */
	KTEST_EXPECT_EQ(t, ksys_mmap_pgoff(BASE + 8 * P, 2 * P, RW,
					   MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0),
			BASE + 8 * P);
	KTEST_EXPECT(t, put_word(BASE + 8 * P, 5));
	KTEST_EXPECT_EQ(t, madvise(BASE + 8 * P, 2 * P, MADV_DONTNEED), 0);
	KTEST_EXPECT_EQ(t, word_at(BASE + 8 * P), 5);
	KTEST_EXPECT_EQ(t, madvise(BASE + 8 * P, 2 * P, MADV_FREE), -EINVAL);
	KTEST_EXPECT_EQ(t, madvise(BASE + 8 * P, 2 * P, MADV_WIPEONFORK), -EINVAL);

	/* A hole: applied where mapped, and ENOMEM. */
	KTEST_EXPECT(t, put_word(BASE, 6));
	KTEST_EXPECT_EQ(t, madvise(BASE, 10 * P, MADV_DONTNEED), -ENOMEM);
	KTEST_EXPECT_EQ(t, word_at(BASE), 0);
	KTEST_EXPECT_EQ(t, madvise(BASE + 20 * P, P, MADV_NORMAL), -ENOMEM);
	/* Bad arguments. */
	KTEST_EXPECT_EQ(t, madvise(BASE, P, 5), -EINVAL);
	KTEST_EXPECT_EQ(t, madvise(BASE, P, 1000), -EINVAL);
	KTEST_EXPECT_EQ(t, madvise(BASE + 1, P, MADV_NORMAL), -EINVAL);
	KTEST_EXPECT_EQ(t, madvise(BASE, -1UL, MADV_NORMAL), -EINVAL);
	KTEST_EXPECT_EQ(t, madvise(BASE, 0, 1000), -EINVAL);
	KTEST_EXPECT_EQ(t, madvise(BASE + 20 * P, 0, MADV_NORMAL), 0);

	/* Fork: DONTFORK leaves a range out, WIPEONFORK gives the child zeros. */
	fill_pages(BASE, 4);
	KTEST_EXPECT_EQ(t, madvise(BASE, P, MADV_DONTFORK), 0);
	KTEST_EXPECT_EQ(t, madvise(BASE + 2 * P, P, MADV_WIPEONFORK), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 5);	/* four pieces and the shared mapping */
	child = dup_mm(mm);
	KTEST_EXPECT(t, child != NULL);
	if (child) {
		kthread_unuse_mm(mm);
		kthread_use_mm(child);
		KTEST_EXPECT(t, !readable(BASE));
		KTEST_EXPECT_EQ(t, word_at(BASE + P), 2);
		KTEST_EXPECT_EQ(t, word_at(BASE + 2 * P), 0);
		KTEST_EXPECT_EQ(t, word_at(BASE + 3 * P), 4);
		leave_mm(child);
		kthread_use_mm(mm);
	}
	KTEST_EXPECT(t, pages_hold(BASE, 4, 0));
	KTEST_EXPECT_EQ(t, madvise(BASE, 4 * P, MADV_DOFORK), 0);
	KTEST_EXPECT_EQ(t, madvise(BASE, 4 * P, MADV_KEEPONFORK), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 2);

	/* POPULATE_WRITE faults the pages in; on a read-only mapping it is EINVAL. */
	KTEST_EXPECT_EQ(t, umap(BASE + 16 * P, 2 * P, RW, MAP_FIXED), BASE + 16 * P);
	KTEST_EXPECT_EQ(t, madvise(BASE + 16 * P, 2 * P, MADV_POPULATE_WRITE), 0);
	KTEST_EXPECT(t, page_at(mm, BASE + 17 * P) != NULL);
	KTEST_EXPECT_EQ(t, ksys_mprotect(BASE + 16 * P, 2 * P, PROT_READ), 0);
	KTEST_EXPECT_EQ(t, madvise(BASE + 16 * P, 2 * P, MADV_POPULATE_WRITE), -EINVAL);
	leave_mm(mm);
}

KTEST(mm_msync_mincore)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long vec_addr = BASE + 64 * P;
	u8 vec[8];

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	KTEST_EXPECT_EQ(t, umap(BASE, 4 * P, RW, MAP_FIXED), BASE);
	KTEST_EXPECT_EQ(t, umap(BASE + 8 * P, P, RW, MAP_FIXED), BASE + 8 * P);
	KTEST_EXPECT_EQ(t, umap(vec_addr, P, RW, MAP_FIXED), vec_addr);

	KTEST_EXPECT_EQ(t, usys(msync, BASE, 4 * P, MS_SYNC), 0);
	KTEST_EXPECT_EQ(t, usys(msync, BASE, 4 * P, MS_ASYNC | MS_INVALIDATE), 0);
	KTEST_EXPECT_EQ(t, usys(msync, BASE, 0, MS_SYNC), 0);
	KTEST_EXPECT_EQ(t, usys(msync, BASE, P, 8), -EINVAL);
	KTEST_EXPECT_EQ(t, usys(msync, BASE, P, MS_SYNC | MS_ASYNC), -EINVAL);
	KTEST_EXPECT_EQ(t, usys(msync, BASE + 1, P, MS_SYNC), -EINVAL);
	KTEST_EXPECT_EQ(t, usys(msync, BASE, 9 * P, MS_SYNC), -ENOMEM);	/* a hole */
	KTEST_EXPECT_EQ(t, usys(msync, BASE + 16 * P, P, MS_ASYNC), -ENOMEM);
	KTEST_EXPECT_EQ(t, usys(msync, BASE, -P, MS_SYNC), -ENOMEM);

	/* mincore: touched pages are in core, untouched anonymous ones are not. */
	KTEST_EXPECT(t, put_word(BASE + P, 1) && word_at(BASE + 3 * P) == 0);
	KTEST_EXPECT_EQ(t, usys(mincore, BASE, 4 * P, vec_addr), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(vec, uptr(vec_addr), 4), 0);
	KTEST_EXPECT(t, vec[0] == 0 && vec[1] == 1 && vec[2] == 0 && vec[3] == 1);
	KTEST_EXPECT_EQ(t, usys(mincore, BASE, 3 * P + 1, vec_addr), 0);	/* rounds up */
	KTEST_EXPECT_EQ(t, usys(mincore, BASE + 1, P, vec_addr), -EINVAL);
	KTEST_EXPECT_EQ(t, usys(mincore, BASE, 6 * P, vec_addr), -ENOMEM);
	KTEST_EXPECT_EQ(t, usys(mincore, BASE + 16 * P, P, vec_addr), -ENOMEM);
	KTEST_EXPECT_EQ(t, usys(mincore, BASE, P, BASE + 32 * P), -EFAULT);
	KTEST_EXPECT_EQ(t, usys(mincore, BASE, P, TASK_SIZE), -EFAULT);
	KTEST_EXPECT_EQ(t, usys(mincore, TASK_SIZE - P, 2 * P, vec_addr), -ENOMEM);
	leave_mm(mm);
}

KTEST(mm_mlock)
{
	struct mm_struct *mm = enter_new_mm();
	struct vm_area_struct *vma;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	KTEST_EXPECT_EQ(t, umap(BASE, 4 * P, RW, MAP_FIXED), BASE);
	/* mlock populates and marks; the range is page-rounded outwards. */
	KTEST_EXPECT_EQ(t, usys(mlock, BASE + P + 100, P), 0);
	KTEST_EXPECT(t, page_at(mm, BASE) == NULL && page_at(mm, BASE + P) != NULL &&
		     page_at(mm, BASE + 2 * P) != NULL && page_at(mm, BASE + 3 * P) == NULL);
	KTEST_EXPECT_EQ(t, mm->map_count, 3);
	vma = find_vma(mm, BASE + P);
	KTEST_EXPECT(t, vma->vm_flags & VM_LOCKED);
	/* Locked memory refuses MADV_DONTNEED. */
	KTEST_EXPECT_EQ(t, madvise(BASE + P, P, MADV_DONTNEED), -EINVAL);
	KTEST_EXPECT_EQ(t, madvise(BASE + P, P, MADV_DONTNEED_LOCKED), 0);
	KTEST_EXPECT_EQ(t, usys(munlock, BASE, 4 * P), 0);
	KTEST_EXPECT_EQ(t, mm->map_count, 1);
	/* A hole, or PROT_NONE that cannot be populated: ENOMEM. */
	KTEST_EXPECT_EQ(t, usys(mlock, BASE, 8 * P), -ENOMEM);
	KTEST_EXPECT_EQ(t, usys(munlock, BASE, 8 * P), -ENOMEM);
	KTEST_EXPECT_EQ(t, umap(BASE + 8 * P, P, PROT_NONE, MAP_FIXED), BASE + 8 * P);
	KTEST_EXPECT_EQ(t, usys(mlock, BASE + 8 * P, P), -ENOMEM);
	KTEST_EXPECT_EQ(t, usys(mlock2, BASE, P, 2), -EINVAL);
	/* MLOCK_ONFAULT marks without populating. */
	KTEST_EXPECT_EQ(t, usys(mlock2, BASE + 3 * P, P, MLOCK_ONFAULT), 0);
	KTEST_EXPECT(t, page_at(mm, BASE + 3 * P) == NULL);
	KTEST_EXPECT_EQ(t, usys(munlockall), 0);

	/* mlockall: everything now, and what comes later too. */
	KTEST_EXPECT_EQ(t, usys(mlockall, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, usys(mlockall, MCL_ONFAULT), -EINVAL);
	KTEST_EXPECT_EQ(t, usys(mlockall, 8), -EINVAL);
	KTEST_EXPECT_EQ(t, usys(mlockall, MCL_CURRENT | MCL_FUTURE), 0);
	KTEST_EXPECT(t, page_at(mm, BASE) != NULL && page_at(mm, BASE + 3 * P) != NULL);
	KTEST_EXPECT_EQ(t, umap(BASE + 16 * P, 2 * P, RW, MAP_FIXED), BASE + 16 * P);
	KTEST_EXPECT(t, page_at(mm, BASE + 17 * P) != NULL);
	KTEST_EXPECT(t, find_vma(mm, BASE + 16 * P)->vm_flags & VM_LOCKED);
	KTEST_EXPECT_EQ(t, usys(munlockall), 0);
	KTEST_EXPECT(t, !(find_vma(mm, BASE)->vm_flags & VM_LOCKED));
	KTEST_EXPECT_EQ(t, umap(BASE + 32 * P, P, RW, MAP_FIXED), BASE + 32 * P);
	KTEST_EXPECT(t, page_at(mm, BASE + 32 * P) == NULL);
	leave_mm(mm);
}
