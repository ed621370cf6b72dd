/* SPDX-License-Identifier: MIT */
/* Helpers for the tests that run kernel threads on user address spaces. */
#ifndef KTEST_USER_MM_H
#define KTEST_USER_MM_H

#include <asm/mmu_context.h>
#include <asm/pgtable.h>
#include <kairos/delay.h>
#include <kairos/mm.h>
#include <kairos/mman.h>
#include <kairos/slab.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>

#include "mm_accounting.h"

/* A fresh address space, adopted by the calling kernel thread; NULL if out of memory. */
static inline struct mm_struct *enter_new_mm(void)
{
	struct mm_struct *mm = mm_alloc();

	if (mm)
		kthread_use_mm(mm);
	return mm;
}

/* Back to the reserved TTBR0, and the address space freed. */
static inline void leave_mm(struct mm_struct *mm)
{
	kthread_unuse_mm(mm);
	mmput(mm);
}

/* Anonymous private memory in current->mm: the address, or -errno. */
static inline unsigned long umap(unsigned long addr, unsigned long len, unsigned long prot,
				 unsigned long flags)
{
	return ksys_mmap_pgoff(addr, len, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
}

static inline void __user *uptr(unsigned long addr)
{
	return (void __user *)addr;
}

/* The u64 at addr, or ~0 if it cannot be read. */
static inline u64 word_at(unsigned long addr)
{
	u64 v;

	return get_user(v, (u64 __user *)uptr(addr)) ? ~0UL : v;
}

static inline bool put_word(unsigned long addr, u64 v)
{
	return !put_user(v, (u64 __user *)uptr(addr));
}

static inline bool writable(unsigned long addr)
{
	return put_word(addr, 0x5a5a);
}

static inline bool readable(unsigned long addr)
{
	u64 v;

	return !copy_from_user(&v, uptr(addr), sizeof(v));
}

/* A system call as user space makes it: arguments in x0.., the result as it returns. */
#define usys(name, ...) ({						\
	struct pt_regs __regs = { .regs = { __VA_ARGS__ } };		\
	__arm64_sys_##name(&__regs);					\
})

/* The page mapped at addr in mm, or NULL. */
static inline struct page *page_at(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	struct page *page = NULL;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr)
		page = follow_page(vma, addr);
	mmap_read_unlock(mm);
	return page;
}


/* The count once other CPUs have stopped allocating (as mm_test.c's settled_counts). */
static inline unsigned long settled_pages(void)
{
	unsigned long n = pages_not_in_use();

	for (int i = 0; i < 100; i++) {
		msleep(10);
		if (n == pages_not_in_use())
			break;
		n = pages_not_in_use();
	}
	return n;
}

static inline bool ttbr0_is_reserved(void)
{
	return (read_sysreg(ttbr0_el1) & PTE_ADDR_MASK) == __pa_symbol(reserved_pg_dir);
}

#endif
