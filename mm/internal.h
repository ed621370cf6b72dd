/* SPDX-License-Identifier: MIT */
/* Between the files of mm/: page-table work on user ranges, and the mm's VMA lifetime. */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <kairos/mm_types.h>

/* memory.c; all with mmap_lock held. */
/* Free every page and page table in [start, end) after dropping their translations. */
void unmap_region(struct mm_struct *mm, unsigned long start, unsigned long end);
/* Rewrite the present PTEs of [start, end) for vma->vm_flags, which were old_flags. */
void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		       unsigned long old_flags);
/* fork: map src_vma's present pages into dst too, write-protected in both. 0 or -ENOMEM. */
int copy_page_range(struct mm_struct *dst, struct vm_area_struct *src_vma);

/* mmap.c */
/* Copy oldmm's VMAs and pages into the new mm. 0 or -ENOMEM. */
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm);
/* Unmap and free everything: the last user is gone. */
void exit_mmap(struct mm_struct *mm);

#endif
