// SPDX-License-Identifier: MIT
/*
 * struct pid: the seed's alloc_pid (one number per namespace level, each the next free
 * after the namespace's last, wrapping to RESERVED_PIDS), attach_pid / detach_pid /
 * change_pid, and the lookups from a number in a namespace to a struct pid (a hash over
 * every namespace's numbers) and to the tasks using it.
 */
#include <kairos/bitmap.h>
#include <kairos/err.h>
#include <kairos/pid.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/slab.h>
#include <uapi/errno.h>

#define PIDHASH_BITS	9

int pid_max = PID_MAX_DEFAULT;
static DECLARE_BITMAP(init_pidmap, PID_MAX_DEFAULT);
static struct list_head pid_hash[1 << PIDHASH_BITS];

struct pid_namespace init_pid_ns = {
	.count = ATOMIC_INIT(1),
	.pidmap = init_pidmap,
	.pid_allocated = PIDNS_ADDING,
	.child_reaper = &init_task,
	.ns = { .ops = &pidns_operations, .inum = PROC_PID_INIT_INO },
};

struct pid init_struct_pid = {
	.count = ATOMIC_INIT(1),
	.tasks = {
		LIST_HEAD_INIT(init_struct_pid.tasks[PIDTYPE_PID]),
		LIST_HEAD_INIT(init_struct_pid.tasks[PIDTYPE_TGID]),
		LIST_HEAD_INIT(init_struct_pid.tasks[PIDTYPE_PGID]),
		LIST_HEAD_INIT(init_struct_pid.tasks[PIDTYPE_SID]),
	},
	.numbers = { { .nr = 0, .ns = &init_pid_ns } },
};

void __init pid_idr_init(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(pid_hash); i++)
		INIT_LIST_HEAD(&pid_hash[i]);
	/* Number 0 is swapper's in the root namespace: never handed out. */
	__set_bit(0, init_pidmap);
}

static struct list_head *pid_bucket(int nr, struct pid_namespace *ns)
{
	unsigned long h = (unsigned long)nr ^ ((unsigned long)ns >> 6);

	return &pid_hash[h & (ARRAY_SIZE(pid_hash) - 1)];
}

void put_pid(struct pid *pid)
{
	struct pid_namespace *ns;

	if (!pid || !atomic_dec_and_test(&pid->count))
		return;
	ns = ns_of_pid(pid);
	kfree(pid);
	put_pid_ns(ns);
}

/* The next free number of ns after its last one, as Linux's cyclic allocation: init
 * needs 1, but once past RESERVED_PIDS the search wraps back to there. */
static int alloc_pid_nr(struct pid_namespace *ns)
{
	int pid_min = ns->last_pid + 1 > RESERVED_PIDS ? RESERVED_PIDS : 1;
	unsigned long nr;

	nr = find_next_zero_bit(ns->pidmap, pid_max, max(ns->last_pid + 1, pid_min));
	if (nr >= (unsigned long)pid_max)
		nr = find_next_zero_bit(ns->pidmap, pid_max, pid_min);
	if (nr >= (unsigned long)pid_max)
		return -EAGAIN;
	__set_bit(nr, ns->pidmap);
	ns->last_pid = nr;
	return nr;
}

/* set_tid: exactly nr in ns. The cursor stays where it was, as Linux's. */
static int alloc_pid_set_tid(struct pid_namespace *ns, int nr)
{
	if (test_bit(nr, ns->pidmap))
		return -EEXIST;
	__set_bit(nr, ns->pidmap);
	return nr;
}

struct pid *alloc_pid(struct pid_namespace *ns, int *set_tid, size_t set_tid_size)
{
	struct pid_namespace *tmp;
	unsigned long flags;
	struct pid *pid;
	int i, nr, err;

	/* set_tid[0] is ns's own number, then outward: no more than there are levels. */
	if (set_tid_size > ns->level + 1)
		return ERR_PTR(-EINVAL);
	pid = kmalloc(sizeof(*pid) + (ns->level + 1) * sizeof(pid->numbers[0]), GFP_KERNEL);
	if (!pid)
		return ERR_PTR(-ENOMEM);
	atomic_set(&pid->count, 1);
	pid->level = ns->level;
	for (int type = 0; type < PIDTYPE_MAX; type++)
		INIT_LIST_HEAD(&pid->tasks[type]);

	spin_lock_irqsave(&tasklist_lock, flags);
	tmp = ns;
	for (i = ns->level; i >= 0; i--) {
		int tid = set_tid_size ? set_tid[ns->level - i] : 0;

		if (set_tid_size) {
			err = -EINVAL;
			if (tid < 1 || tid >= pid_max)
				goto out_free;
			/* A namespace without an init yet can only be asked for its init. */
			if (tid != 1 && !tmp->child_reaper)
				goto out_free;
			err = -EPERM;
			if (!capable(CAP_CHECKPOINT_RESTORE))
				goto out_free;
			set_tid_size--;
		}
		nr = tid ? alloc_pid_set_tid(tmp, tid) : alloc_pid_nr(tmp);
		if (nr < 0) {
			err = nr;
			goto out_free;
		}
		pid->numbers[i].nr = nr;
		pid->numbers[i].ns = tmp;
		tmp = tmp->parent;
	}
	/* Its init is gone (zap_pid_ns_processes), or its first fork failed: as Linux. */
	err = -ENOMEM;
	if (!(ns->pid_allocated & PIDNS_ADDING))
		goto out_free;
	get_pid_ns(ns);
	for (i = ns->level; i >= 0; i--) {
		struct upid *upid = &pid->numbers[i];

		list_add(&upid->pid_chain, pid_bucket(upid->nr, upid->ns));
		upid->ns->pid_allocated++;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return pid;

out_free:
	while (++i <= (int)ns->level)
		__clear_bit(pid->numbers[i].nr, pid->numbers[i].ns->pidmap);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	kfree(pid);
	return ERR_PTR(err);
}

void free_pid(struct pid *pid)
{
	for (int i = 0; i <= (int)pid->level; i++) {
		struct upid *upid = &pid->numbers[i];
		struct pid_namespace *ns = upid->ns;

		switch (--ns->pid_allocated) {
		case 2:
		case 1:
			/* zap_pid_ns_processes waits for all but its init's numbers to go. */
			wake_up_process(ns->child_reaper);
			break;
		case PIDNS_ADDING:
			/* The fork of the namespace's first process failed: it is unusable. */
			ns->pid_allocated = 0;
			break;
		}
		__clear_bit(upid->nr, ns->pidmap);
		list_del(&upid->pid_chain);
	}
	put_pid(pid);
}

static struct pid **task_pid_ptr(struct task_struct *task, enum pid_type type)
{
	return type == PIDTYPE_PID ? &task->thread_pid : &task->signal->pids[type];
}

void attach_pid(struct task_struct *task, enum pid_type type)
{
	struct pid *pid = *task_pid_ptr(task, type);

	list_add_tail(&task->pid_links[type], &pid->tasks[type]);
}

static void __change_pid(struct task_struct *task, enum pid_type type, struct pid *new)
{
	struct pid **pid_ptr = task_pid_ptr(task, type);
	struct pid *pid = *pid_ptr;

	list_del_init(&task->pid_links[type]);
	*pid_ptr = new;
	for (int tmp = 0; tmp < PIDTYPE_MAX; tmp++)
		if (!list_empty(&pid->tasks[tmp]))
			return;
	free_pid(pid);
}

void detach_pid(struct task_struct *task, enum pid_type type)
{
	__change_pid(task, type, NULL);
}

void change_pid(struct task_struct *task, enum pid_type type, struct pid *pid)
{
	__change_pid(task, type, pid);
	attach_pid(task, type);
}

void transfer_pid(struct task_struct *old, struct task_struct *new, enum pid_type type)
{
	if (type == PIDTYPE_PID)
		new->thread_pid = old->thread_pid;
	list_replace_init(&old->pid_links[type], &new->pid_links[type]);
}

void exchange_tids(struct task_struct *left, struct task_struct *right)
{
	struct pid *pid1 = left->thread_pid, *pid2 = right->thread_pid;
	int nr = left->pid;

	list_del_init(&left->pid_links[PIDTYPE_PID]);
	list_del_init(&right->pid_links[PIDTYPE_PID]);
	left->thread_pid = pid2;
	right->thread_pid = pid1;
	left->pid = right->pid;
	right->pid = nr;
	attach_pid(left, PIDTYPE_PID);
	attach_pid(right, PIDTYPE_PID);
}

struct task_struct *pid_task(struct pid *pid, enum pid_type type)
{
	if (!pid || list_empty(&pid->tasks[type]))
		return NULL;
	return list_first_entry(&pid->tasks[type], struct task_struct, pid_links[type]);
}

int pid_nr_ns(struct pid *pid, struct pid_namespace *ns)
{
	struct upid *upid;

	if (!pid || !ns || ns->level > pid->level)
		return 0;
	upid = &pid->numbers[ns->level];
	return upid->ns == ns ? upid->nr : 0;
}

int pid_vnr(struct pid *pid)
{
	return pid_nr_ns(pid, task_active_pid_ns(current));
}

struct pid *find_pid_ns(int nr, struct pid_namespace *ns)
{
	struct upid *upid;

	list_for_each_entry(upid, pid_bucket(nr, ns), pid_chain)
		if (upid->nr == nr && upid->ns == ns)
			return container_of(upid, struct pid, numbers[ns->level]);
	return NULL;
}

struct pid *find_vpid(int nr)
{
	return find_pid_ns(nr, task_active_pid_ns(current));
}

struct pid *find_get_pid(int nr)
{
	unsigned long flags;
	struct pid *pid;

	spin_lock_irqsave(&tasklist_lock, flags);
	pid = get_pid(find_vpid(nr));
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return pid;
}

struct pid *get_task_pid(struct task_struct *task, enum pid_type type)
{
	unsigned long flags;
	struct pid *pid;

	spin_lock_irqsave(&tasklist_lock, flags);
	pid = get_pid(type == PIDTYPE_PID ? task->thread_pid :
		      task->signal ? task->signal->pids[type] : NULL);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return pid;
}

struct pid *task_pid(struct task_struct *p)
{
	return p->thread_pid;
}

struct pid *task_tgid(struct task_struct *p)
{
	return p->signal ? p->signal->pids[PIDTYPE_TGID] : NULL;
}

struct pid *task_pgrp(struct task_struct *p)
{
	return p->signal ? p->signal->pids[PIDTYPE_PGID] : NULL;
}

struct pid *task_session(struct task_struct *p)
{
	return p->signal ? p->signal->pids[PIDTYPE_SID] : NULL;
}

struct pid_namespace *task_active_pid_ns(struct task_struct *p)
{
	return ns_of_pid(task_pid(p));
}

int task_pid_nr_ns(struct task_struct *p, struct pid_namespace *ns)
{
	return pid_nr_ns(task_pid(p), ns);
}

int task_tgid_nr_ns(struct task_struct *p, struct pid_namespace *ns)
{
	return pid_nr_ns(task_tgid(p), ns);
}

/* The parent process as ns sees it: 0 for init, whose parent is the idle task, and for
 * a namespace's init, whose parent is outside. */
int task_ppid_nr_ns(struct task_struct *p, struct pid_namespace *ns)
{
	return p->pid ? task_tgid_nr_ns(p->real_parent, ns) : 0;
}

int task_pgrp_nr_ns(struct task_struct *p, struct pid_namespace *ns)
{
	return pid_nr_ns(task_pgrp(p), ns);
}

int task_session_nr_ns(struct task_struct *p, struct pid_namespace *ns)
{
	return pid_nr_ns(task_session(p), ns);
}

int task_pid_vnr(struct task_struct *p)
{
	return pid_vnr(task_pid(p));
}

int task_tgid_vnr(struct task_struct *p)
{
	return pid_vnr(task_tgid(p));
}

int task_pgrp_vnr(struct task_struct *p)
{
	return pid_vnr(task_pgrp(p));
}

int task_session_vnr(struct task_struct *p)
{
	return pid_vnr(task_session(p));
}

struct task_struct *find_task_by_pid_ns(int nr, struct pid_namespace *ns)
{
	return pid_task(find_pid_ns(nr, ns), PIDTYPE_PID);
}

struct task_struct *find_task_by_vpid(int nr)
{
	return find_task_by_pid_ns(nr, task_active_pid_ns(current));
}

int pid_ns_last_pid(struct pid_namespace *ns)
{
	return ns->last_pid;
}

struct task_struct *next_tgid_task(int *nr, struct pid_namespace *ns)
{
	for (unsigned long n = *nr; n < (unsigned long)pid_max; n++) {
		struct task_struct *p;

		n = find_next_bit(ns->pidmap, pid_max, n);
		if (n >= (unsigned long)pid_max)
			break;
		p = pid_task(find_pid_ns(n, ns), PIDTYPE_TGID);
		if (p) {
			*nr = n;
			return p;
		}
	}
	return NULL;
}
