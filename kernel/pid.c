// SPDX-License-Identifier: MIT
/*
 * PID numbers: a bitmap of the taken ones and a hash from number to task. The seed's
 * alloc_pid hands out the next number after the last, wrapping to RESERVED_PIDS.
 */
#include <kairos/bitmap.h>
#include <kairos/pid.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <uapi/errno.h>

#define PIDHASH_BITS	8

int pid_max = PID_MAX_DEFAULT;
static DECLARE_BITMAP(pid_map, PID_MAX_DEFAULT);
static int last_pid;
static struct list_head pid_hash[1 << PIDHASH_BITS];

struct pid_namespace init_pid_ns = {
	.child_reaper = &init_task,
};

void __init pid_idr_init(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(pid_hash); i++)
		INIT_LIST_HEAD(&pid_hash[i]);
}

/* A live process group or session still carries the number (struct pid would). */
static bool pid_in_use_by_group(int nr)
{
	struct task_struct *p;

	for_each_process(p)
		if (p->signal->pgrp == nr || p->signal->session == nr)
			return true;
	return false;
}

/* The first number in [from, pid_max) that is free, taken; -1 if none. */
static int take_free_pid(int from)
{
	for (;;) {
		unsigned long nr = find_next_zero_bit(pid_map, pid_max, from);

		if (nr >= (unsigned long)pid_max)
			return -1;
		if (!pid_in_use_by_group(nr)) {
			__set_bit(nr, pid_map);
			return nr;
		}
		from = nr + 1;
	}
}

int alloc_pid(int set_tid)
{
	int pid;

	if (set_tid) {
		if (set_tid < 1 || set_tid >= pid_max)
			return -EINVAL;
		if (test_bit(set_tid, pid_map) || pid_in_use_by_group(set_tid))
			return -EEXIST;
		__set_bit(set_tid, pid_map);
		return set_tid;
	}
	pid = take_free_pid(last_pid + 1);
	if (pid < 0)
		pid = take_free_pid(RESERVED_PIDS);
	if (pid < 0)
		return -EAGAIN;
	last_pid = pid;
	return pid;
}

void free_pid(int pid)
{
	__clear_bit(pid, pid_map);
}

static struct list_head *pid_bucket(int nr)
{
	return &pid_hash[nr & (ARRAY_SIZE(pid_hash) - 1)];
}

void attach_pid(struct task_struct *p)
{
	list_add(&p->pid_chain, pid_bucket(p->pid));
}

void detach_pid(struct task_struct *p)
{
	list_del_init(&p->pid_chain);
}

void exchange_tids(struct task_struct *left, struct task_struct *right)
{
	int pid = left->pid;

	detach_pid(left);
	detach_pid(right);
	left->pid = right->pid;
	right->pid = pid;
	attach_pid(left);
	attach_pid(right);
}

struct task_struct *find_task_by_vpid(int nr)
{
	struct task_struct *p;

	list_for_each_entry(p, pid_bucket(nr), pid_chain)
		if (p->pid == nr)
			return p;
	return NULL;
}

struct pid_namespace *task_active_pid_ns(struct task_struct *p)
{
	return &init_pid_ns;
}

int task_pid_nr_ns(struct task_struct *p, struct pid_namespace *ns)
{
	return p->pid;
}

int task_tgid_nr_ns(struct task_struct *p, struct pid_namespace *ns)
{
	return p->tgid;
}

int task_ppid_nr_ns(struct task_struct *p, struct pid_namespace *ns)
{
	return p->pid ? p->real_parent->tgid : 0;
}

int task_pgrp_nr_ns(struct task_struct *p, struct pid_namespace *ns)
{
	return p->signal ? p->signal->pgrp : 0;
}

int task_session_nr_ns(struct task_struct *p, struct pid_namespace *ns)
{
	return p->signal ? p->signal->session : 0;
}

struct task_struct *find_task_by_pid_ns(int nr, struct pid_namespace *ns)
{
	return find_task_by_vpid(nr);
}

int pid_ns_last_pid(struct pid_namespace *ns)
{
	return last_pid;
}

struct task_struct *next_tgid_task(int *nr, struct pid_namespace *ns)
{
	for (int n = *nr; n < pid_max; n++) {
		struct task_struct *p;

		n = find_next_bit(pid_map, pid_max, n);
		if (n >= pid_max)
			break;
		p = find_task_by_vpid(n);
		if (p && p->pid == p->tgid) {
			*nr = n;
			return p;
		}
	}
	return NULL;
}
