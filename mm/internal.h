/* SPDX-License-Identifier: MIT */
/* Between the files of mm/: page-table work on user ranges, and the mm's VMA lifetime. */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <kairos/mm_types.h>
#include <kairos/rbtree.h>

/* memory.c; all with mmap_lock held. */
/* Free every page and page table in [start, end) after dropping their translations. */
void unmap_region(struct mm_struct *mm, unsigned long start, unsigned long end);
/* Rewrite the present PTEs of [start, end) for vma->vm_flags, which were old_flags. */
void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		       unsigned long old_flags);
/* fork: map src_vma's anonymous pages into dst too, write-protected in both. 0 or -ENOMEM. */
int copy_page_range(struct mm_struct *dst, struct vm_area_struct *src_vma);
/* mremap: the PTEs of [old_addr, +len) move to new_addr (a free range). 0, or -ENOMEM
 * with nothing moved. */
int move_page_tables(struct mm_struct *mm, unsigned long old_addr, unsigned long new_addr,
		     unsigned long len);

/* mmap.c */
static inline struct vm_area_struct *rb_vma(struct rb_node *node)
{
	return node ? rb_entry(node, struct vm_area_struct, vm_rb) : NULL;
}

static inline struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	return rb_vma(rb_next(&vma->vm_rb));
}

static inline struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	return rb_vma(rb_prev(&vma->vm_rb));
}

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

/* The VMA containing addr, or NULL. */
static inline struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

/*
 * Linux's overcommit heuristic (vm.overcommit_memory = 0, no swap here): one request for
 * more pages than there is RAM fails with ENOMEM; anything smaller is let through.
 */
int vm_enough_memory(unsigned long pages);

/* Memory that request is charged for: private and writable, without MAP_NORESERVE. */
static inline bool accountable_mapping(unsigned long vm_flags)
{
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/*
 * The address-space limits (current's): whether mm may map npages more pages with flags
 * under RLIMIT_AS and, for data (private writable non-stack memory), RLIMIT_DATA;
 * whether len more bytes may be locked (flags has VM_LOCKED) under RLIMIT_MEMLOCK
 * (-EAGAIN); and whether current may lock at all (a zero RLIMIT_MEMLOCK: no, unless
 * privileged). count_vm_pages sums what is mapped in [start, end).
 */
struct vm_pages {
	unsigned long total, data, locked;
};
void count_vm_pages(struct mm_struct *mm, unsigned long start, unsigned long end,
		    struct vm_pages *n);
bool may_expand_vm(struct mm_struct *mm, unsigned long flags, unsigned long npages);
int mlock_future_check(struct mm_struct *mm, unsigned long flags, unsigned long len);
bool can_do_mlock(void);

/* current's RLIMIT_STACK, or its default for a task without limits (a kernel thread). */
unsigned long stack_rlimit(void);
/* Copy oldmm's VMAs and pages into the new mm. 0 or -ENOMEM. */
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm);
/* Unmap and free everything: the last user is gone. */
void exit_mmap(struct mm_struct *mm);
/* vma keeps [vm_start, addr); a new VMA after it takes [addr, vm_end). 0 or -ENOMEM. */
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr);
/* Fold vma into neighbours it can join; returns the VMA that now holds its range. */
struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *vma);
/* Give [start, end) of vma the flags newflags, splitting and merging: the VMA that then
 * covers [start, end), or an ERR_PTR. */
struct vm_area_struct *vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					unsigned long newflags);
/* A VMA like vma, for [start, start + len) at file page pgoff, linked (and merged) into
 * vma's mm, which must have that range free. NULL without memory. */
struct vm_area_struct *copy_vma(struct vm_area_struct *vma, unsigned long start,
				unsigned long len, unsigned long pgoff);

/* mlock.c */
/* Fault in [start, end) of the mm: 0, or -ENOMEM if part of it is not mapped, -EFAULT
 * if a page cannot be made present (PROT_NONE, past the end of a file), as for mlock. */
int populate_range(struct mm_struct *mm, unsigned long start, unsigned long end);

#endif
