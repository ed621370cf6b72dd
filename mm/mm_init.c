// SPDX-License-Identifier: MIT
/*
 * The life of an mm_struct: created empty (exec) or copied (fork), used by tasks
 * (mm_users) and referenced as a struct (mm_count), and torn down in two steps: the
 * mappings when the last user goes, the struct and its pgd when the last reference goes.
 *
 * Kernel threads run on &init_mm, whose TTBR0 is the empty reserved table, instead of
 * borrowing the previous task's mm as Linux does: a kernel thread can never reach user
 * memory by accident, and no CPU keeps a dead mm's tables loaded, at the cost of a TTBR0
 * write (no flush) on each switch between a user task and a kernel thread.
 */
#include <asm/mmu_context.h>
#include <kairos/bug.h>
#include <kairos/fs.h>
#include <kairos/mman.h>
#include <kairos/mm.h>
#include <kairos/sched.h>
#include <kairos/slab.h>

#include "internal.h"

struct mm_struct init_mm = {
	.mm_rb = RB_ROOT,
	.pgd = swapper_pg_dir,
	.mm_users = ATOMIC_INIT(2),	/* never dropped to zero */
	.mm_count = ATOMIC_INIT(1),
	.mmap_lock = __MUTEX_INITIALIZER(init_mm.mmap_lock),
};

/* Linux's gap below the stack when not randomizing: at least 128 MiB, at most 5/6. */
#define MMAP_MIN_GAP	(128UL << 20)
#define MMAP_MAX_GAP	(STACK_TOP / 6 * 5)

/*
 * mmap's region ends where the stack may grow to (RLIMIT_STACK) and its guard gap
 * begin. An unlimited stack gets the largest gap: Linux would switch to the legacy
 * bottom-up layout instead, which Kairos does not have.
 */
static unsigned long arch_pick_mmap_layout(void)
{
	unsigned long gap = stack_rlimit();

	if (gap + stack_guard_gap > gap)
		gap += stack_guard_gap;
	gap = clamp(gap, MMAP_MIN_GAP, MMAP_MAX_GAP);
	return ALIGN_DOWN(STACK_TOP - gap, PAGE_SIZE);
}

/* kmalloc rather than a cache of its own: its size class fits, and it needs no boot hook. */
struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	mm->pgd = (pte_t *)get_zeroed_page(GFP_KERNEL);
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	mm->mm_rb = RB_ROOT;
	atomic_set(&mm->mm_users, 1);
	atomic_set(&mm->mm_count, 1);
	mutex_init(&mm->mmap_lock);
	mm->task_size = TASK_SIZE;
	mm->mmap_base = arch_pick_mmap_layout();
	return mm;
}

int set_mm_exe_file(struct mm_struct *mm, struct file *file)
{
	struct file *old = mm->exe_file;

	if (file) {
		if (deny_write_access(file))
			return -EACCES;
		get_file(file);
	}
	mm->exe_file = file;
	if (old) {
		allow_write_access(old);
		fput(old);
	}
	return 0;
}

struct mm_struct *dup_mm(struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	/* oldmm already denies writes to its image: a second deny cannot fail. */
	if (oldmm->exe_file)
		WARN_ON(set_mm_exe_file(mm, oldmm->exe_file));
	if (dup_mmap(mm, oldmm)) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/*
 * Its ASID is not given back: ASIDs are only reclaimed at rollover, and the TLB entries
 * still tagged with it cannot be used before the flush that comes with rollover.
 */
void mmdrop(struct mm_struct *mm)
{
	if (!atomic_dec_and_test(&mm->mm_count))
		return;
	BUG_ON(mm == &init_mm);
	free_page((unsigned long)mm->pgd);
	kfree(mm);
}

void mmput(struct mm_struct *mm)
{
	if (!atomic_dec_and_test(&mm->mm_users))
		return;
	exit_mmap(mm);
	set_mm_exe_file(mm, NULL);
	mmdrop(mm);
}

/* IRQs off: a context switch in between would load the other mm from active_mm. */
void kthread_use_mm(struct mm_struct *mm)
{
	struct task_struct *tsk = current;
	struct mm_struct *prev = tsk->active_mm;
	unsigned long flags;

	BUG_ON(!(tsk->flags & PF_KTHREAD) || tsk->mm);
	mmgrab(mm);
	local_irq_save(flags);
	tsk->mm = mm;
	tsk->active_mm = mm;
	switch_mm(prev, mm, tsk);
	local_irq_restore(flags);
}

void kthread_unuse_mm(struct mm_struct *mm)
{
	struct task_struct *tsk = current;
	unsigned long flags;

	BUG_ON(tsk->mm != mm);
	local_irq_save(flags);
	tsk->mm = NULL;
	tsk->active_mm = &init_mm;
	switch_mm(mm, &init_mm, tsk);
	local_irq_restore(flags);
	mmdrop(mm);
}

struct mm_struct *get_task_mm(struct task_struct *tsk)
{
	struct mm_struct *mm;

	task_lock(tsk);
	mm = tsk->mm;
	/* A kernel thread's borrowed mm (kthread_use_mm) is not its own. */
	if (mm && ((tsk->flags & PF_KTHREAD) || !mmget_not_zero(mm)))
		mm = NULL;
	task_unlock(tsk);
	return mm;
}
