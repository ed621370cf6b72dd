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
#include <kairos/proc_ns.h>
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
	int err;

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
	err = ns_alloc_inum(&ns->ns);
	if (err) {
		kfree(ns->pidmap);
		kfree(ns);
		return ERR_PTR(err);
	}
	ns->ns.ops = &pidns_operations;
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

static struct pid_namespace *to_pid_ns(struct ns_common *ns)
{
	return container_of(ns, struct pid_namespace, ns);
}

/* /proc/PID/ns/pid: the namespace the task is in (none once it is reaped). */
static struct ns_common *pidns_get(struct task_struct *task)
{
	struct pid_namespace *ns;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	ns = task_active_pid_ns(task);
	if (ns)
		get_pid_ns(ns);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ns ? &ns->ns : NULL;
}

/*
 * pid_for_children: where its children go. None (ENOENT) while that namespace has no
 * init yet (after unshare, before the first fork), and none for a zombie (Linux drops
 * a task's namespaces as it exits), as on Linux.
 */
static struct ns_common *pidns_for_children_get(struct task_struct *task)
{
	struct pid_namespace *ns = NULL;
	unsigned long flags;
	bool has_init;

	task_lock(task);
	if (!READ_ONCE(task->exit_state))
		ns = task->pid_ns_for_children;
	if (ns)
		get_pid_ns(ns);
	task_unlock(task);
	if (!ns)
		return NULL;
	spin_lock_irqsave(&tasklist_lock, flags);
	has_init = ns->child_reaper;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!has_init) {
		put_pid_ns(ns);
		return NULL;
	}
	return &ns->ns;
}

static void pidns_put(struct ns_common *ns)
{
	put_pid_ns(to_pid_ns(ns));
}

/*
 * setns(2) to a PID namespace: our later children go in it. Only our own active
 * namespace or one below it, so that fork's return value names the child and nobody
 * escapes upwards (EINVAL otherwise).
 */
static int pidns_install(struct ns_common *ns)
{
	struct pid_namespace *active = task_active_pid_ns(current);
	struct pid_namespace *new = to_pid_ns(ns), *ancestor, *old;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (new->level < active->level)
		return -EINVAL;
	for (ancestor = new; ancestor->level > active->level; ancestor = ancestor->parent)
		;
	if (ancestor != active)
		return -EINVAL;
	task_lock(current);
	old = current->pid_ns_for_children;
	current->pid_ns_for_children = get_pid_ns(new);
	task_unlock(current);
	put_pid_ns(old);
	return 0;
}

const struct proc_ns_operations pidns_operations = {
	.name = "pid",
	.type = CLONE_NEWPID,
	.get = pidns_get,
	.put = pidns_put,
	.install = pidns_install,
};

const struct proc_ns_operations pidns_for_children_operations = {
	.name = "pid_for_children",
	.real_ns_name = "pid",
	.type = CLONE_NEWPID,
	.get = pidns_for_children_get,
	.put = pidns_put,
	.install = pidns_install,
};
