/* SPDX-License-Identifier: MIT */
/*
 * User address spaces: struct mm_struct (page tables, ASID, the VMAs) and struct
 * vm_area_struct (one run of pages with the same permissions), their lifetime, and the
 * fault handler's entry. The mmap family is in kairos/mman.h.
 *
 * Locking: mm->mmap_lock (a mutex, taken for both reading and writing until there is an
 * rwsem) covers the VMA tree and the page tables below TTBR0. Faults take it, so no
 * user access may be made while holding it. A file's inode->i_mutex comes before it (a
 * write() faults on its user buffer; truncation unmaps the file's pages in every mm);
 * the file's i_data.i_mmap_lock (a spinlock: the VMAs mapping it) comes after it.
 */
#ifndef KAIROS_MM_TYPES_H
#define KAIROS_MM_TYPES_H

#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/pgtable.h>
#include <kairos/atomic.h>
#include <kairos/list.h>
#include <kairos/mutex.h>
#include <kairos/rbtree.h>
#include <kairos/types.h>

#define TASK_SIZE		USER_VA_END
#define STACK_TOP		TASK_SIZE
/* Linux's arm64 bound on auxv words: 2 * (2 arch entries + 20 generic + AT_NULL). */
#define AT_VECTOR_SIZE		46
/* RLIMIT_STACK's default: the most a stack VMA grows to unless setrlimit says otherwise. */
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
#define VM_LOCKED		0x00002000UL	/* mlock: populated, and kept so */
#define VM_SEQ_READ		0x00008000UL	/* madvise hints, kept for /proc only */
#define VM_RAND_READ		0x00010000UL
#define VM_DONTCOPY		0x00020000UL	/* MADV_DONTFORK: fork leaves it out */
#define VM_DONTEXPAND		0x00040000UL	/* mremap may not grow it (special mappings) */
#define VM_LOCKONFAULT		0x00080000UL	/* mlock2(MLOCK_ONFAULT): not populated */
#define VM_NORESERVE		0x00200000UL
#define VM_WIPEONFORK		0x02000000UL	/* MADV_WIPEONFORK: the child gets zeroes */
#define VM_DONTDUMP		0x04000000UL
#define VM_MERGEABLE		0x80000000UL	/* MADV_MERGEABLE: accepted, nothing merges */

#define VM_ACCESS_FLAGS		(VM_READ | VM_WRITE | VM_EXEC)
#define VM_DATA_DEFAULT_FLAGS	(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define VM_STACK_FLAGS		(VM_DATA_DEFAULT_FLAGS | VM_GROWSDOWN)

struct file;
struct mm_struct;
struct task_struct;
struct vm_operations_struct;

/*
 * Anonymous memory has no vm_ops: its pages are zero-filled on first touch and belong to
 * the mm alone. A file mapping (shared anonymous memory is one too: an unlinked tmpfs
 * file, see shmem_zero_setup) has the file's vm_ops, whose ->fault finds the file's
 * page; a private one maps that page read-only and copies it on the first write.
 */
struct vm_area_struct {
	unsigned long vm_start;		/* first byte */
	unsigned long vm_end;		/* first byte after */
	unsigned long vm_flags;		/* VM_* */
	struct mm_struct *vm_mm;
	struct rb_node vm_rb;		/* in mm->mm_rb, by address */
	struct file *vm_file;		/* mapped file (a reference), or NULL */
	unsigned long vm_pgoff;		/* vm_start's offset in the file, in pages */
	const struct vm_operations_struct *vm_ops;
	struct list_head shared;	/* in the file's i_data.i_mmap, under i_mmap_lock */
	unsigned int vm_unmap_seq;	/* unmap_mapping_range pass that last zapped it */
	void *vm_private_data;		/* vm_ops' own */
};

/*
 * Resident pages by kind, as Linux's rss_stat: anonymous ones (PG_anon: private memory
 * and private copies of file pages) and file ones (shared memory's too: no RssShmem).
 */
enum {
	MM_FILEPAGES,
	MM_ANONPAGES,
	NR_MM_COUNTERS
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
	unsigned long arg_start, arg_end;	/* argv's strings on the stack (/proc cmdline) */
	unsigned long env_start, env_end;	/* envp's (/proc environ) */
	unsigned long def_flags;	/* VM_LOCKED after mlockall(MCL_FUTURE) */
	struct file *exe_file;		/* the image exec ran: held write-denied */
	/* Pages the page tables map (mm/memory.c), changed under mmap_lock, read
	 * without it; and the most they have been together. */
	unsigned long rss_stat[NR_MM_COUNTERS];
	unsigned long hiwater_rss;
	/* The auxiliary vector exec gave the program, to AT_NULL (/proc/PID/auxv). */
	unsigned long saved_auxv[AT_VECTOR_SIZE];
};

static inline unsigned long get_mm_counter(const struct mm_struct *mm, int member)
{
	return READ_ONCE(mm->rss_stat[member]);
}

static inline unsigned long get_mm_rss(const struct mm_struct *mm)
{
	return get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES);
}

/* The resident-set peak, in pages (VmHWM, ru_maxrss). */
static inline unsigned long get_mm_hiwater_rss(const struct mm_struct *mm)
{
	return READ_ONCE(mm->hiwater_rss);
}

/* *maxrss = max(*maxrss, mm's peak): what a process keeps of an mm it leaves. */
static inline void setmax_mm_hiwater_rss(unsigned long *maxrss, const struct mm_struct *mm)
{
	unsigned long hiwater = get_mm_hiwater_rss(mm);

	if (*maxrss < hiwater)
		*maxrss = hiwater;
}

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
/*
 * exec, on the new mm before anyone else sees it: file (NULL: none) becomes the image,
 * taking a reference and a deny_write_access of its own; the old one is given back.
 */
int set_mm_exe_file(struct mm_struct *mm, struct file *file);

static inline void mmget(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_users);
}

/* A user reference unless the last one is already gone (the mm is being torn down). */
static inline bool mmget_not_zero(struct mm_struct *mm)
{
	int users = atomic_read(&mm->mm_users);

	while (users)
		if (atomic_try_cmpxchg(&mm->mm_users, &users, users + 1))
			return true;
	return false;
}

static inline void mmgrab(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_count);
}

/* The last mmput unmaps everything; the last mmdrop frees the pgd and the struct. */
void mmput(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);

/* tsk (current) stops using mm at exit or exec (kernel/fork.c): its robust futexes are
 * released, CLONE_CHILD_CLEARTID's word is zeroed and woken, a vfork parent resumes.
 * mm is NULL for a kernel thread, which has only the last to do. */
void mm_release(struct task_struct *tsk, struct mm_struct *mm);

/* Let a kernel thread reach mm's user addresses (uaccess), and stop again. The caller
 * keeps a user reference (mm_users) across the pair. */
void kthread_use_mm(struct mm_struct *mm);
void kthread_unuse_mm(struct mm_struct *mm);

/* tsk's address space with a user reference (mmput), or NULL for a kernel thread or a
 * task past exit_mm (kernel/fork.c). */
struct mm_struct *get_task_mm(struct task_struct *tsk);
/* Copy len bytes at addr in mm (not current's) to buf, faulting pages in as a read
 * would, whatever the VMA's protection (/proc's cmdline and environ): the bytes copied,
 * short at the first address that cannot be read. Takes mmap_lock. */
int access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf, int len);

/* The first VMA ending above addr, or NULL. mmap_lock held. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* The first VMA overlapping [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end);
/* Grow a VM_GROWSDOWN vma down over addr: 0, or -ENOMEM past RLIMIT_STACK or the guard
 * gap. */
int expand_stack(struct vm_area_struct *vma, unsigned long addr);
/* A main-thread stack VMA of size bytes ending at STACK_TOP, as exec sets one up, with
 * vm_flags added (VM_EXEC: PT_GNU_STACK asks for it). Takes mmap_lock itself. */
int setup_stack_vma(struct mm_struct *mm, unsigned long size, unsigned long vm_flags);

typedef unsigned int vm_fault_t;
#define VM_FAULT_OOM		0x000001
#define VM_FAULT_SIGBUS		0x000002	/* a file page beyond the end of the file */
#define VM_FAULT_SIGSEGV	0x000040

#define FAULT_FLAG_WRITE	0x01

struct page;

/* A fault on a file mapping, as its ->fault sees it. */
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address;		/* page-aligned */
	unsigned long pgoff;		/* the page's index in the file */
	unsigned int flags;		/* FAULT_FLAG_* */
	struct page *page;		/* ->fault's answer, with a reference for the caller */
};

struct vm_operations_struct {
	/* A copy of the VMA was made (split, fork, mremap), or the VMA goes away. */
	void (*open)(struct vm_area_struct *vma);
	void (*close)(struct vm_area_struct *vma);
	/* Find (or make) the file's page at vmf->pgoff: 0 with vmf->page set, or
	 * VM_FAULT_SIGBUS (past the end of the file), VM_FAULT_OOM. mmap_lock held, so
	 * it may not take the file's i_mutex. */
	vm_fault_t (*fault)(struct vm_fault *vmf);
};

static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->vm_ops;
}

/* The page mapped at addr in vma, or NULL; no reference is taken. mmap_lock held. The
 * same page wherever it is mapped: a shared mapping's page is the file's. */
struct page *follow_page(struct vm_area_struct *vma, unsigned long addr);


/* Make addr in vma accessible as flags ask (the access is allowed by vma->vm_flags):
 * 0 or VM_FAULT_*. mmap_lock held. */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long addr,
			   unsigned int flags);

#endif
