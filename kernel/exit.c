// SPDX-License-Identifier: MIT
/*
 * Ending tasks along the seed's graph: do_exit -> exit_notify (forget_original_parent,
 * then zombie or, when nobody will wait, dead and release_task) -> do_task_dead.
 * For now every task is a kernel thread, whose parent never waits: they reap themselves.
 * User processes add zombies, SIGCHLD and wait.
 */
#include <kairos/bug.h>
#include <kairos/pid.h>
#include <kairos/sched.h>

/* The task children are handed to when their parent dies: init, once it exists. */
static struct task_struct *child_reaper(void)
{
	struct task_struct *init = find_task_by_vpid(1);

	return init ? init : &init_task;
}

static void release_task(struct task_struct *p)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_del(&p->tasks);
	list_del(&p->sibling);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	free_pid(p->pid);
	put_task_struct(p);		/* the task list's reference */
}

static void forget_original_parent(struct task_struct *father)
{
	struct task_struct *reaper = child_reaper(), *child, *n;

	if (reaper == father)
		panic("Attempted to kill init! exitcode=0x%08x", father->exit_code);
	list_for_each_entry_safe(child, n, &father->children, sibling) {
		child->real_parent = child->parent = reaper;
		list_move_tail(&child->sibling, &reaper->children);
	}
}

static void exit_notify(struct task_struct *tsk)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	forget_original_parent(tsk);
	tsk->exit_state = EXIT_DEAD;	/* a kernel thread's parent does not wait */
	spin_unlock_irqrestore(&tasklist_lock, flags);
	release_task(tsk);
}

void __noreturn do_exit(long code)
{
	struct task_struct *tsk = current;

	BUG_ON(is_idle_task(tsk));
	tsk->flags |= PF_EXITING;
	tsk->exit_code = (int)code;
	exit_notify(tsk);
	do_task_dead();
}

/* PLACEHOLDER until thread groups: the caller is the only thread. */
void __noreturn do_group_exit(int exit_code)
{
	do_exit(exit_code);
}

/* PLACEHOLDER until thread groups: the caller is the only thread. */
int de_thread(struct task_struct *tsk __maybe_unused)
{
	return 0;
}
