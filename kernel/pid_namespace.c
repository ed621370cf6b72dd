// SPDX-License-Identifier: MIT
/*
 * PID namespaces: made by clone(CLONE_NEWPID) and unshare(CLONE_NEWPID) (copy_pid_ns),
 * freed with their last reference (a struct pid made in them, a task whose children go
 * in them, a child namespace, a /proc mount), and ended when their init exits
 * (zap_pid_ns_processes): then everyone else in them is killed and reaped, and nobody
 * may enter any more.
 */
#include <kairos/bitmap.h>
#include <kairos/err.h>
#include <kairos/pid.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/slab.h>
#include <uapi/errno.h>
#include <uapi/sched.h>
#include <uapi/wait.h>

static struct pid_namespace *create_pid_namespace(struct pid_namespace *parent)
{
	unsigned int level = parent->level + 1;
	struct pid_namespace *ns;

	if (level > MAX_PID_NS_LEVEL)
		return ERR_PTR(-ENOSPC);
	ns = kzalloc(sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return ERR_PTR(-ENOMEM);
	ns->pidmap = kcalloc(BITS_TO_LONGS(PID_MAX_DEFAULT), sizeof(long), GFP_KERNEL);
	if (!ns->pidmap) {
		kfree(ns);
		return ERR_PTR(-ENOMEM);
	}
	atomic_set(&ns->count, 1);
	ns->level = level;
	ns->parent = get_pid_ns(parent);
	ns->pid_allocated = PIDNS_ADDING;
	return ns;
}

void put_pid_ns(struct pid_namespace *ns)
{
	while (ns && ns != &init_pid_ns && atomic_dec_and_test(&ns->count)) {
		struct pid_namespace *parent = ns->parent;

		kfree(ns->pidmap);
		kfree(ns);
		ns = parent;
	}
}

struct pid_namespace *copy_pid_ns(unsigned long flags, struct pid_namespace *old_ns)
{
	if (!(flags & CLONE_NEWPID))
		return get_pid_ns(old_ns);
	/* Our children already go in a namespace of their own (unshare): one at a time. */
	if (task_active_pid_ns(current) != old_ns)
		return ERR_PTR(-EINVAL);
	return create_pid_namespace(old_ns);
}

void zap_pid_ns_processes(struct pid_namespace *pid_ns)
{
	struct task_struct *me = current;
	/* A zombie leader keeps its number until we, its last thread, are gone. */
	unsigned int init_pids = thread_group_leader(me) ? 1 : 2;
	unsigned long flags;
	long rc;

	spin_lock_irqsave(&tasklist_lock, flags);
	pid_ns->pid_allocated &= ~PIDNS_ADDING;
	spin_unlock_irqrestore(&tasklist_lock, flags);

	/* Our children are reaped as they die from here on: nobody else would. */
	spin_lock_irqsave(&me->sighand->siglock, flags);
	me->sighand->action[SIGCHLD - 1].sa.sa_handler = SIG_IGN;
	spin_unlock_irqrestore(&me->sighand->siglock, flags);

	spin_lock_irqsave(&tasklist_lock, flags);
	for (unsigned long nr = find_next_bit(pid_ns->pidmap, pid_max, 2);
	     nr < (unsigned long)pid_max; nr = find_next_bit(pid_ns->pidmap, pid_max, nr + 1)) {
		struct task_struct *task = pid_task(find_pid_ns(nr, pid_ns), PIDTYPE_PID);

		if (task && !fatal_signal_pending(task))
			group_send_sig_info(SIGKILL, SEND_SIG_PRIV, task);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);

	/* The zombies already there. A signal of ours must not end the waits early. */
	do {
		clear_bit(TIF_SIGPENDING, &me->thread_info.flags);
		rc = kernel_wait4(-1, NULL, __WALL, NULL);
	} while (rc != -ECHILD);

	/* Those whose parent is outside (it forked into our namespace) go when it reaps
	 * them; free_pid wakes us as the count comes down. */
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(pid_ns->pid_allocated) == init_pids)
			break;
		clear_bit(TIF_SIGPENDING, &me->thread_info.flags);
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}
