/* SPDX-License-Identifier: MIT */
/*
 * The mmap family. do_* work on the mm they are given and expect its mmap_lock held;
 * ksys_* have the system calls' semantics, work on current->mm and take the lock.
 * Only anonymous private memory exists so far.
 */
#ifndef KAIROS_MMAN_H
#define KAIROS_MMAN_H

#include <kairos/err.h>
#include <kairos/mm_types.h>
#include <uapi/mman.h>

/* Lowest address mmap hands out or MAP_FIXED accepts (vm.mmap_min_addr). */
#define mmap_min_addr		PAGE_SIZE
/* Kept free below a VM_GROWSDOWN VMA so that a stack cannot grow into a mapping. */
#define stack_guard_gap		(256UL << PAGE_SHIFT)
/* vm.max_map_count */
#define sysctl_max_map_count	65530

/* PROT_* and VM_* share their low three bits. */
static inline unsigned long calc_vm_prot_bits(unsigned long prot)
{
	return prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
}

static inline unsigned long calc_vm_flag_bits(unsigned long flags)
{
	return flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0;
}

/* Where mmap would place len bytes (addr: a hint, or the place with MAP_FIXED), or
 * -errno (IS_ERR_VALUE). */
unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len,
				unsigned long flags);
/*
 * A VMA over [addr, addr + len) showing the kernel's pages (one per page of len) to user
 * space, like Linux's [vdso]: mapped at once, never merged with other VMAs, shared by
 * fork; mprotect and munmap treat it as any VMA. addr must be free. 0 or -errno.
 */
int install_special_mapping(struct mm_struct *mm, unsigned long addr, unsigned long len,
			    unsigned long vm_flags, struct page **pages);
/* Returns the address mapped, or -errno (IS_ERR_VALUE). */
unsigned long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags);
int do_munmap(struct mm_struct *mm, unsigned long start, size_t len);
int do_mprotect(struct mm_struct *mm, unsigned long start, size_t len, unsigned long prot);
/* Anonymous data memory at [addr, addr + len), which must be free (brk, exec's bss). */
int do_brk_flags(struct mm_struct *mm, unsigned long addr, unsigned long len,
		 unsigned long flags);

unsigned long ksys_mmap_pgoff(unsigned long addr, unsigned long len, unsigned long prot,
			      unsigned long flags, unsigned long fd, unsigned long pgoff);
int ksys_munmap(unsigned long addr, size_t len);
int ksys_mprotect(unsigned long start, size_t len, unsigned long prot);
/* The new break, or the old one if it cannot move there (Linux's brk). */
unsigned long ksys_brk(unsigned long brk);

#endif
