// SPDX-License-Identifier: MIT
/*
 * The mm's resident-set counters (MM_ANONPAGES, MM_FILEPAGES) against a walk of its page
 * tables, after each thing that maps or unmaps pages: demand faults, private file pages
 * and their copies, shared file pages, fork's copy, copy-on-write breaking, munmap,
 * MADV_DONTNEED, mremap, truncation; and the peak (hiwater_rss) as it only grows.
 */
#include <kairos/fs.h>
#include <kairos/ktest.h>
#include <kairos/string.h>

#include "fs_fixture.h"
#include "user_mm.h"

#define RW		(PROT_READ | PROT_WRITE)
#define P		PAGE_SIZE
#define BASE		0x40000000UL

/* What the page tables map, by kind, counted the slow way. */
static void walk_rss(struct mm_struct *mm, unsigned long *anon, unsigned long *file)
{
	struct vm_area_struct *vma;

	*anon = *file = 0;
	mmap_read_lock(mm);
	for (vma = find_vma(mm, 0); vma; vma = find_vma(mm, vma->vm_end)) {
		for (unsigned long addr = vma->vm_start; addr < vma->vm_end; addr += P) {
			struct page *page = follow_page(vma, addr);

			if (page)
				++*(PageAnon(page) ? anon : file);
		}
	}
	mmap_read_unlock(mm);
}

/* The counters equal the walk, which has anon and file pages. */
#define EXPECT_RSS(t, mm, anon, file)							\
	do {										\
		unsigned long a_, f_;							\
		walk_rss(mm, &a_, &f_);							\
		KTEST_EXPECT_EQ(t, a_, (unsigned long)(anon));				\
		KTEST_EXPECT_EQ(t, f_, (unsigned long)(file));				\
		KTEST_EXPECT_EQ(t, get_mm_counter(mm, MM_ANONPAGES), a_);		\
		KTEST_EXPECT_EQ(t, get_mm_counter(mm, MM_FILEPAGES), f_);		\
		KTEST_EXPECT(t, get_mm_hiwater_rss(mm) >= a_ + f_);			\
	} while (0)

static struct file *make_file(struct ktest_ctx *t, struct fs_fixture *f, unsigned int pages)
{
	struct file *file = filp_open(&f->ctx, "data", O_RDWR | O_CREAT, 0644);
	u8 buf[P];
	loff_t pos = 0;

	KTEST_EXPECT(t, !IS_ERR(file));
	if (IS_ERR(file))
		return NULL;
	memset(buf, 0x5a, P);
	for (unsigned int p = 0; p < pages; p++)
		KTEST_EXPECT_EQ(t, kernel_write(file, buf, P, &pos), (ssize_t)P);
	return file;
}

KTEST(mm_rss_counters)
{
	struct mm_struct *a, *b = NULL;
	struct fs_fixture f;
	struct file *file;

	if (!fs_setup(t, &f))
		return;
	file = make_file(t, &f, 8);
	a = enter_new_mm();
	KTEST_EXPECT(t, file && a);
	if (!file || !a)
		goto out;
	EXPECT_RSS(t, a, 0, 0);
	KTEST_EXPECT_EQ(t, get_mm_hiwater_rss(a), 0);

	/* Anonymous memory: each page touched counts once, read or written. */
	KTEST_EXPECT_EQ(t, umap(BASE, 32 * P, RW, MAP_FIXED), BASE);
	for (unsigned int i = 0; i < 20; i++)
		KTEST_EXPECT(t, i & 1 ? readable(BASE + i * P) : put_word(BASE + i * P, i));
	KTEST_EXPECT(t, put_word(BASE + 3 * P, 3));	/* again: nothing new */
	EXPECT_RSS(t, a, 20, 0);

	/* A private file mapping: the file's pages, then a private copy of one. */
	KTEST_EXPECT_EQ(t, vm_mmap(file, BASE + 64 * P, 8 * P, RW, MAP_PRIVATE | MAP_FIXED, 0),
			BASE + 64 * P);
	for (unsigned int i = 0; i < 4; i++)
		KTEST_EXPECT(t, readable(BASE + (64 + i) * P));
	EXPECT_RSS(t, a, 20, 4);
	KTEST_EXPECT(t, put_word(BASE + 65 * P, 1));	/* copy-on-write: file -> anon */
	KTEST_EXPECT(t, put_word(BASE + 70 * P, 1));	/* a first touch that writes */
	EXPECT_RSS(t, a, 22, 3);
	/* A shared one: written in place, still file pages. */
	KTEST_EXPECT_EQ(t, vm_mmap(file, BASE + 96 * P, 4 * P, RW, MAP_SHARED | MAP_FIXED, 0),
			BASE + 96 * P);
	KTEST_EXPECT(t, put_word(BASE + 96 * P, 7) && readable(BASE + 97 * P));
	EXPECT_RSS(t, a, 22, 5);
	KTEST_EXPECT_EQ(t, get_mm_hiwater_rss(a), 27);

	/* fork: the anonymous pages are shared into the copy, file pages found again. */
	b = dup_mm(a);
	KTEST_EXPECT(t, b != NULL);
	if (!b)
		goto out;
	EXPECT_RSS(t, b, 22, 0);
	KTEST_EXPECT_EQ(t, get_mm_hiwater_rss(b), 22);
	/* Breaking the sharing replaces a page: the counts do not move. */
	KTEST_EXPECT(t, put_word(BASE + 2 * P, 9));
	EXPECT_RSS(t, a, 22, 5);
	kthread_unuse_mm(a);
	kthread_use_mm(b);
	KTEST_EXPECT(t, put_word(BASE + 4 * P, 9) && readable(BASE + 66 * P));
	EXPECT_RSS(t, b, 22, 1);
	kthread_unuse_mm(b);
	kthread_use_mm(a);

	/* Unmapping gives pages back; the peak stays. */
	KTEST_EXPECT_EQ(t, ksys_munmap(BASE, 10 * P), 0);
	EXPECT_RSS(t, a, 12, 5);
	KTEST_EXPECT_EQ(t, do_madvise(a, BASE + 10 * P, 4 * P, MADV_DONTNEED), 0);
	EXPECT_RSS(t, a, 8, 5);
	/* A move keeps its pages. */
	KTEST_EXPECT_EQ(t, do_mremap(a, BASE + 14 * P, 6 * P, 6 * P,
				     MREMAP_MAYMOVE | MREMAP_FIXED, BASE + 200 * P),
			BASE + 200 * P);
	EXPECT_RSS(t, a, 8, 5);
	/* Truncation takes the file's pages (and the copies past the end) from every mm. */
	KTEST_EXPECT_EQ(t, do_ftruncate(&f.ctx, file, P), 0);
	EXPECT_RSS(t, a, 6, 2);
	EXPECT_RSS(t, b, 20, 0);
	KTEST_EXPECT_EQ(t, get_mm_hiwater_rss(a), 27);
	KTEST_EXPECT_EQ(t, get_mm_hiwater_rss(b), 23);
out:
	if (b)
		mmput(b);
	if (a)
		leave_mm(a);
	if (file)
		fput(file);
	fs_teardown(t, &f);
}
