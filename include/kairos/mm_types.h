/* SPDX-License-Identifier: MIT */
/*
 * User address spaces: struct mm_struct (page tables, ASID, the VMAs) and struct
 * vm_area_struct (one run of pages with the same permissions), their lifetime, and the
 * fault handler's entry. The mmap family is in kairos/mman.h.
 *
 * Locking: mm->mmap_lock (a mutex, taken for both reading and writing until there is an
 * rwsem) covers the VMA tree and the page tables below TTBR0. Faults take it, so no
 * user access may be made while holding it.
 */
#ifndef KAIROS_MM_TYPES_H
#define KAIROS_MM_TYPES_H

#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/pgtable.h>
#include <kairos/atomic.h>
#include <kairos/mutex.h>
#include <kairos/rbtree.h>
#include <kairos/types.h>

#define TASK_SIZE		USER_VA_END
#define STACK_TOP		TASK_SIZE
/* RLIMIT_STACK's default until there are rlimits: the most a stack VMA grows to. */
#define _STK_LIM		(8UL << 20)

/* vm_flags, with Linux's values. */
#define VM_NONE			0x00000000UL
#define VM_READ			0x00000001UL
#define VM_WRITE		0x00000002UL
#define VM_EXEC			0x00000004UL
#define VM_SHARED		0x00000008UL
#define VM_MAYREAD		0x00000010UL	/* what mprotect may grant later */
#define VM_MAYWRITE		0x00000020UL
#define VM_MAYEXEC		0x00000040UL
#define VM_MAYSHARE		0x00000080UL
#define VM_GROWSDOWN		0x00000100UL	/* a stack: faults just below extend it */

#define VM_ACCESS_FLAGS		(VM_READ | VM_WRITE | VM_EXEC)
#define VM_DATA_DEFAULT_FLAGS	(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define VM_STACK_FLAGS		(VM_DATA_DEFAULT_FLAGS | VM_GROWSDOWN)

struct mm_struct;
struct task_struct;

struct vm_area_struct {
	unsigned long vm_start;		/* first byte */
	unsigned long vm_end;		/* first byte after */
	unsigned long vm_flags;		/* VM_* */
	struct mm_struct *vm_mm;
	struct rb_node vm_rb;		/* in mm->mm_rb, by address */
};

struct mm_struct {
	struct rb_root mm_rb;		/* the VMAs; they never overlap */
	int map_count;
	pte_t *pgd;			/* level-0 table (linear-map address) */
	atomic_t mm_users;		/* tasks using the address space: mmget/mmput */
	atomic_t mm_count;		/* references to the struct itself: mmgrab/mmdrop */
	mm_context_t context;
	struct mutex mmap_lock;
	unsigned long task_size;	/* end of the user half */
	unsigned long mmap_base;	/* top of the region mmap searches first */
	unsigned long start_brk, brk;	/* the heap: [start_brk, brk) */
	unsigned long start_stack;
};

/* The kernel threads' mm: nothing mapped below TTBR0 (reserved_pg_dir). */
extern struct mm_struct init_mm;

static inline void mmap_write_lock(struct mm_struct *mm)
{
	mutex_lock(&mm->mmap_lock);
}

static inline void mmap_write_unlock(struct mm_struct *mm)
{
	mutex_unlock(&mm->mmap_lock);
}

static inline void mmap_read_lock(struct mm_struct *mm)
{
	mutex_lock(&mm->mmap_lock);
}

static inline void mmap_read_unlock(struct mm_struct *mm)
{
	mutex_unlock(&mm->mmap_lock);
}

/* An empty address space (layout from arch_pick_mmap_layout), one user; NULL if no memory. */
struct mm_struct *mm_alloc(void);
/* fork's copy: same VMAs, every present page shared copy-on-write. NULL if no memory. */
struct mm_struct *dup_mm(struct mm_struct *oldmm);

static inline void mmget(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_users);
}

static inline void mmgrab(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_count);
}

/* tsk stops using mm (exit, exec): CLONE_CHILD_CLEARTID's word is cleared and its futex
 * woken, a vfork parent is released. */
void mm_release(struct task_struct *tsk, struct mm_struct *mm);

/* The last mmput unmaps everything; the last mmdrop frees the pgd and the struct. */
void mmput(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);

/* Let a kernel thread reach mm's user addresses (uaccess), and stop again. The caller
 * keeps a user reference (mm_users) across the pair. */
void kthread_use_mm(struct mm_struct *mm);
void kthread_unuse_mm(struct mm_struct *mm);

/* The first VMA ending above addr, or NULL. mmap_lock held. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* The first VMA overlapping [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end);
/* Grow a VM_GROWSDOWN vma down over addr: 0, or -ENOMEM past _STK_LIM or the guard gap. */
int expand_stack(struct vm_area_struct *vma, unsigned long addr);
/* A main-thread stack VMA of size bytes ending at STACK_TOP, as exec sets one up.
 * Takes mmap_lock itself. */
int setup_stack_vma(struct mm_struct *mm, unsigned long size);

typedef unsigned int vm_fault_t;
#define VM_FAULT_OOM		0x000001
#define VM_FAULT_SIGSEGV	0x000040

#define FAULT_FLAG_WRITE	0x01

struct page;
/* The page mapped at addr in vma, or NULL; no reference is taken. mmap_lock held. */
struct page *follow_page(struct vm_area_struct *vma, unsigned long addr);

/* Make addr in vma accessible as flags ask (the access is allowed by vma->vm_flags):
 * 0 or VM_FAULT_*. mmap_lock held. */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long addr,
			   unsigned int flags);

#endif
