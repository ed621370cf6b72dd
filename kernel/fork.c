// SPDX-License-Identifier: MIT
/*
 * Creating tasks along the seed's graph: kernel_clone -> copy_process -> dup_task_struct /
 * sched_fork / copy_thread / alloc_pid -> wake_up_new_task. Kernel threads only for now;
 * user processes add the clone flags and address spaces.
 */
#include <kairos/bug.h>
#include <kairos/err.h>
#include <kairos/kthread.h>
#include <kairos/mm_types.h>
#include <kairos/pid.h>
#include <kairos/sched.h>
#include <kairos/slab.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>
#include <kairos/vmalloc.h>
#include <uapi/errno.h>

struct kernel_clone_args {
	unsigned long flags;
	int (*fn)(void *);
	void *fn_arg;
};

static struct kmem_cache *task_struct_cachep;
int nr_threads;			/* tasks alive, as Linux counts them (sysinfo) */

void __init fork_init(void)
{
	task_struct_cachep = kmem_cache_create("task_struct", sizeof(struct task_struct),
					       L1_CACHE_BYTES, 0);
	BUG_ON(!task_struct_cachep);
}

void set_task_comm(struct task_struct *p, const char *name)
{
	unsigned long flags;

	spin_lock_irqsave(&p->pi_lock, flags);
	strscpy(p->comm, name, sizeof(p->comm));
	spin_unlock_irqrestore(&p->pi_lock, flags);
}

/* The seed's dup_task_struct: a task_struct and a stack, copied from orig, then reset. */
static struct task_struct *dup_task_struct(struct task_struct *orig)
{
	struct task_struct *tsk = kmem_cache_alloc(task_struct_cachep, GFP_KERNEL);
	void *stack;

	if (!tsk)
		return NULL;
	stack = alloc_thread_stack();
	if (!stack) {
		kmem_cache_free(task_struct_cachep, tsk);
		return NULL;
	}
	*tsk = *orig;
	tsk->stack = stack;
	*end_of_stack(tsk) = STACK_END_MAGIC;
	tsk->thread_info.flags = 0;
	/* One reference for being alive (dropped when it is switched out dead), one for
	 * its place in the task list (dropped by release_task). */
	atomic_set(&tsk->usage, 2);
	spin_lock_init(&tsk->pi_lock);
	tsk->worker_private = NULL;
	INIT_LIST_HEAD(&tsk->children);
	INIT_LIST_HEAD(&tsk->sibling);
	INIT_LIST_HEAD(&tsk->tasks);
	return tsk;
}

void __put_task_struct(struct task_struct *p)
{
	BUG_ON(!(p->__state & TASK_DEAD) && p->__state != TASK_NEW);
	free_kthread_struct(p);
	free_thread_stack(p->stack);
	kmem_cache_free(task_struct_cachep, p);
}

static struct task_struct *copy_process(struct kernel_clone_args *args)
{
	struct task_struct *p = dup_task_struct(current);
	unsigned long flags;
	int err, pid;

	if (!p)
		return ERR_PTR(-ENOMEM);
	p->flags = (current->flags & ~(PF_IDLE | PF_EXITING | PF_NO_SETAFFINITY)) | PF_KTHREAD;
	/* Kernel threads have no user memory: they run on init_mm's empty TTBR0. */
	p->mm = NULL;
	p->active_mm = &init_mm;
	p->exit_state = 0;
	p->exit_code = 0;
	err = sched_fork(args->flags, p);
	if (err)
		goto free;
	copy_thread(p, args->fn, args->fn_arg, 0, args->flags, 0);
	pid = alloc_pid();
	if (pid < 0) {
		err = pid;
		goto free;
	}
	p->pid = p->tgid = pid;

	spin_lock_irqsave(&tasklist_lock, flags);
	p->real_parent = p->parent = current;
	list_add_tail(&p->sibling, &current->children);
	list_add_tail(&p->tasks, &init_task.tasks);
	nr_threads++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return p;
free:
	p->__state = TASK_NEW;
	__put_task_struct(p);
	return ERR_PTR(err);
}

/* The seed's kernel_clone: copy_process, then wake_up_new_task. */
static int kernel_clone(struct kernel_clone_args *args)
{
	struct task_struct *p = copy_process(args);

	if (IS_ERR(p))
		return PTR_ERR(p);
	wake_up_new_task(p);
	return p->pid;		/* p may already have run and died; its pid stays reserved */
}

int kernel_thread(int (*fn)(void *), void *arg, unsigned long flags)
{
	struct kernel_clone_args args = { .flags = flags, .fn = fn, .fn_arg = arg };

	return kernel_clone(&args);
}

/* The idle task of a secondary CPU: a copy of swapper/0 that never enters the task list. */
struct task_struct *fork_idle(unsigned int cpu)
{
	struct task_struct *idle = dup_task_struct(&init_task);
	char name[TASK_COMM_LEN];

	BUG_ON(!idle);
	idle->pid = idle->tgid = 0;
	idle->mm = NULL;
	idle->active_mm = &init_mm;
	idle->real_parent = idle->parent = &init_task;
	init_idle(idle, cpu);
	snprintf(name, sizeof(name), "swapper/%u", cpu);
	set_task_comm(idle, name);
	return idle;
}

/* PLACEHOLDER until the life-cycle work lands: nobody waits on an mm yet. */
void mm_release(struct task_struct *tsk __maybe_unused, struct mm_struct *mm __maybe_unused)
{
}
