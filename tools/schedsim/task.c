// SPDX-License-Identifier: MIT
/*
 * schedsim: tasks without processes. The kernel's fork.c, exit.c and pid.c make user
 * processes (memory, files, signals, thread groups, wait) that a machine of kernel
 * threads has none of; this is the part of them the scheduler sees, along the same
 * graph: kernel_thread -> dup_task_struct / sched_fork / copy_thread / a PID ->
 * wake_up_new_task, and do_exit -> unlink (nobody waits) -> do_task_dead.
 */
#include <stdio.h>

#include <kairos/bitmap.h>
#include <kairos/bug.h>
#include <kairos/kthread.h>
#include <kairos/pid.h>
#include <kairos/sched.h>
#include <kairos/slab.h>
#include <kairos/vmalloc.h>
#include <uapi/errno.h>

static struct kmem_cache *task_struct_cachep;
static DECLARE_BITMAP(pid_map, PID_MAX_DEFAULT);
static int last_pid;

void fork_init(void)
{
	task_struct_cachep = kmem_cache_create("task_struct", sizeof(struct task_struct),
					       L1_CACHE_BYTES, 0);
	BUG_ON(!task_struct_cachep);
}

void set_task_comm(struct task_struct *p, const char *name)
{
	unsigned long flags;

	spin_lock_irqsave(&p->pi_lock, flags);
	snprintf(p->comm, sizeof(p->comm), "%s", name);
	spin_unlock_irqrestore(&p->pi_lock, flags);
}

/* No signals here: kthreadd's children go without anyone waiting anyway. */
void ignore_signals(struct task_struct *t)
{
}

static int sim_alloc_pid(void)
{
	unsigned long pid = find_next_zero_bit(pid_map, PID_MAX_DEFAULT, last_pid + 1);

	if (pid >= PID_MAX_DEFAULT)
		pid = find_next_zero_bit(pid_map, PID_MAX_DEFAULT, RESERVED_PIDS);
	if (pid >= PID_MAX_DEFAULT)
		return -EAGAIN;
	__set_bit(pid, pid_map);
	last_pid = pid;
	return pid;
}

/* tasklist_lock held. */
struct task_struct *find_task_by_vpid(int nr)
{
	struct task_struct *p;

	list_for_each_entry(p, &init_task.tasks, tasks)
		if (p->pid == nr)
			return p;
	return NULL;
}

/* One PID namespace here: the numbers are the root's (schedule_tail's CLONE_CHILD_SETTID). */
int task_pid_vnr(struct task_struct *p)
{
	return p->pid;
}

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
	/* Alive (dropped when switched out dead), and in the task list (dropped at exit). */
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

int kernel_thread(int (*fn)(void *), void *arg, unsigned long flags)
{
	struct task_struct *p = dup_task_struct(current);
	unsigned long irqflags;
	int err, pid;

	if (!p)
		return -ENOMEM;
	p->flags = (current->flags & ~(PF_IDLE | PF_EXITING | PF_NO_SETAFFINITY)) | PF_KTHREAD;
	p->exit_state = 0;
	err = sched_fork(flags, p);
	if (err)
		goto free;
	copy_thread(p, fn, arg, 0, flags, 0);
	spin_lock_irqsave(&tasklist_lock, irqflags);
	pid = sim_alloc_pid();
	if (pid < 0) {
		spin_unlock_irqrestore(&tasklist_lock, irqflags);
		err = pid;
		goto free;
	}
	p->pid = p->tgid = pid;
	p->real_parent = p->parent = current;
	list_add_tail(&p->sibling, &current->children);
	list_add_tail(&p->tasks, &init_task.tasks);
	spin_unlock_irqrestore(&tasklist_lock, irqflags);
	wake_up_new_task(p);
	return pid;		/* p may already have run and died; its PID stays reserved */
free:
	p->__state = TASK_NEW;
	__put_task_struct(p);
	return err;
}

/* The idle task of a secondary CPU: a copy of swapper/0 that never enters the task list. */
struct task_struct *fork_idle(unsigned int cpu)
{
	struct task_struct *idle = dup_task_struct(&init_task);
	char name[TASK_COMM_LEN];

	BUG_ON(!idle);
	idle->pid = idle->tgid = 0;
	idle->real_parent = idle->parent = &init_task;
	init_idle(idle, cpu);
	snprintf(name, sizeof(name), "swapper/%u", cpu);
	set_task_comm(idle, name);
	return idle;
}

/* Nobody waits: the task leaves the lists, its children go to init, then it is dead. */
void __noreturn do_exit(long code)
{
	struct task_struct *tsk = current, *reaper, *child, *n;
	unsigned long flags;

	BUG_ON(is_idle_task(tsk));
	tsk->flags |= PF_EXITING;
	tsk->exit_code = (int)code;
	spin_lock_irqsave(&tasklist_lock, flags);
	reaper = find_task_by_vpid(1);
	if (!reaper)
		reaper = &init_task;
	if (reaper == tsk)
		panic("Attempted to kill init! exitcode=0x%08x", tsk->exit_code);
	list_for_each_entry_safe(child, n, &tsk->children, sibling) {
		child->real_parent = child->parent = reaper;
		list_move_tail(&child->sibling, &reaper->children);
	}
	tsk->exit_state = EXIT_DEAD;
	list_del(&tsk->tasks);
	list_del(&tsk->sibling);
	__clear_bit(tsk->pid, pid_map);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	put_task_struct(tsk);		/* the task list's reference */
	do_task_dead();
}
