/* SPDX-License-Identifier: MIT */
/*
 * The mmap family. do_* work on the mm they are given and expect its mmap_lock held;
 * ksys_* and vm_* have the system calls' semantics, work on current->mm and take the
 * lock. The system calls themselves (mmap, munmap, mprotect, brk, mremap, madvise,
 * msync, mincore, mlock and friends) are defined in mm/.
 */
#ifndef KAIROS_MMAN_H
#define KAIROS_MMAN_H

#include <kairos/err.h>
#include <kairos/fs.h>
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
	return (flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0) |
	       (flags & MAP_LOCKED ? VM_LOCKED : 0);
}

/* Where mmap would place len bytes (addr: a hint, or the place with MAP_FIXED), or
 * -errno (IS_ERR_VALUE). */
unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len,
				unsigned long flags);
/*
 * A VMA over [addr, addr + len) showing the kernel's pages (one per page of len) to user
 * space, like Linux's [vdso]: found again on every fault (after fork, MADV_DONTNEED),
 * copied on write, never merged with other VMAs; mprotect, mremap (without growing) and
 * munmap treat it as any VMA. addr must be free. pages is copied. 0 or -errno.
 */
int install_special_mapping(struct mm_struct *mm, unsigned long addr, unsigned long len,
			    unsigned long vm_flags, struct page **pages);
/*
 * A mapping of file (NULL: anonymous memory) from page pgoff: the address mapped, or
 * -errno (IS_ERR_VALUE). *populate says whether the caller should fault the range in
 * (MAP_POPULATE, MAP_LOCKED, mlockall(MCL_FUTURE)).
 */
unsigned long do_mmap(struct mm_struct *mm, struct file *file, unsigned long addr,
		      unsigned long len, unsigned long prot, unsigned long flags,
		      unsigned long pgoff, bool *populate);
int do_munmap(struct mm_struct *mm, unsigned long start, size_t len);
int do_mprotect(struct mm_struct *mm, unsigned long start, size_t len, unsigned long prot);
/* Anonymous data memory at [addr, addr + len), which must be free (brk, exec's bss). */
int do_brk_flags(struct mm_struct *mm, unsigned long addr, unsigned long len,
		 unsigned long flags);

/* mremap's work: the new address, or -errno. */
unsigned long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			unsigned long new_len, unsigned long flags, unsigned long new_addr);
int do_madvise(struct mm_struct *mm, unsigned long start, size_t len, int behavior);

/* For the kernel's own mappings (exec): offset in bytes, page-aligned. */
unsigned long vm_mmap(struct file *file, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, unsigned long offset);
unsigned long ksys_mmap_pgoff(unsigned long addr, unsigned long len, unsigned long prot,
			      unsigned long flags, unsigned long fd, unsigned long pgoff);
int ksys_munmap(unsigned long addr, size_t len);
int ksys_mprotect(unsigned long start, size_t len, unsigned long prot);
/* The new break, or the old one if it cannot move there (Linux's brk). */
unsigned long ksys_brk(unsigned long brk);

/*
 * Truncation: the file's pages from byte holebegin on (rounded down to a page) leave
 * every mapping, private copies of them included, so that touching them again raises
 * SIGBUS. The caller holds the inode's i_mutex and has set the new size already.
 */
void unmap_mapping_range(struct address_space *mapping, loff_t holebegin);

/* mm/shmem.c: shared anonymous memory is an unlinked tmpfs file. */
/* An unlinked tmpfs file of size bytes, open read-write; or an ERR_PTR. */
struct file *shmem_file_setup(const char *name, loff_t size);
/* MAP_SHARED anonymous (and /dev/zero) memory: vma now maps a new such file. 0/-errno. */
int shmem_zero_setup(struct vm_area_struct *vma);

/* A driver's ->mmap for memory that is anonymous after all (private /dev/zero). */
static inline void vma_set_anonymous(struct vm_area_struct *vma)
{
	vma->vm_ops = NULL;
}

#endif
