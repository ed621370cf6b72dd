// SPDX-License-Identifier: MIT
/*
 * The scheduler's system calls: thin wrappers over the core (sched/core.c) that find the
 * task, validate the arguments and check permission in Linux's order, with Linux's
 * errors. A PID of 0 is the caller; any thread's TID names that thread.
 */
#include <kairos/cred.h>
#include <kairos/pid.h>
#include <kairos/resource.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/time.h>
#include <kairos/uaccess.h>

#include "sched/sched.h"

#define SETPARAM_POLICY			-1	/* sched_setparam: keep the policy */

#define SCHED_FLAG_RECLAIM		0x02
#define SCHED_FLAG_DL_OVERRUN		0x04
#define SCHED_FLAG_KEEP_POLICY		0x08
#define SCHED_FLAG_KEEP_PARAMS		0x10
#define SCHED_FLAG_UTIL_CLAMP_MIN	0x20
#define SCHED_FLAG_UTIL_CLAMP_MAX	0x40
#define SCHED_FLAG_ALL			0x7f

/* struct sched_attr as user space sees it: VER0 (48 bytes) and VER1's clamps. */
struct sched_attr_user {
	u32 size;
	u32 sched_policy;
	u64 sched_flags;
	s32 sched_nice;
	u32 sched_priority;
	u64 sched_runtime;
	u64 sched_deadline;
	u64 sched_period;
	u32 sched_util_min;
	u32 sched_util_max;
};
#define SCHED_ATTR_SIZE_VER0		48

/* The task pid names (0: current), with a reference; NULL if none. */
static struct task_struct *find_get_task(pid_t pid)
{
	struct task_struct *p;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	p = pid ? find_task_by_vpid(pid) : current;
	if (p)
		get_task_struct(p);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return p;
}

/* Whether current may change p's scheduling without privilege: the same owner. */
static bool check_same_owner(const struct task_struct *p)
{
	return current->cred.euid == p->cred.euid || current->cred.euid == p->cred.uid;
}

/* Whether RLIMIT_NICE lets p go down to nice (20 - nice <= the limit). */
static bool is_nice_reduction(const struct task_struct *p, int nice)
{
	return (unsigned long)(MAX_NICE - nice + 1) <= task_rlimit(p, RLIMIT_NICE);
}

static bool can_nice(const struct task_struct *p, int nice)
{
	return is_nice_reduction(p, nice) || capable(CAP_SYS_NICE);
}

/* Linux's user_check_sched_setscheduler: -EPERM unless allowed or privileged. */
static int user_check_sched_setscheduler(struct task_struct *p, const struct sched_attr *attr)
{
	int policy = attr->sched_policy;
	unsigned long rlim_rtprio;

	if (capable(CAP_SYS_NICE))
		return 0;
	if (fair_policy(policy) && attr->sched_nice < task_nice(p) &&
	    !is_nice_reduction(p, attr->sched_nice))
		return -EPERM;
	if (rt_policy(policy)) {
		rlim_rtprio = task_rlimit(p, RLIMIT_RTPRIO);
		if (policy != (int)p->policy && !rlim_rtprio)
			return -EPERM;
		if (attr->sched_priority > p->rt_priority && attr->sched_priority > rlim_rtprio)
			return -EPERM;
	}
	if (dl_policy(policy))
		return -EPERM;
	/* SCHED_IDLE counts as nice 20 for leaving it. */
	if (idle_policy(p->policy) && !idle_policy(policy) && !is_nice_reduction(p, task_nice(p)))
		return -EPERM;
	if (!check_same_owner(p))
		return -EPERM;
	if (p->sched_reset_on_fork && !(attr->sched_flags & SCHED_FLAG_RESET_ON_FORK))
		return -EPERM;
	return 0;
}

/* The current parameters, where sched_setattr(KEEP_PARAMS) and sched_getattr get them. */
static void get_params(struct task_struct *p, struct sched_attr *attr)
{
	if (dl_policy(p->policy))
		__getparam_dl(p, attr);
	else if (rt_policy(p->policy))
		attr->sched_priority = p->rt_priority;
	else
		attr->sched_nice = task_nice(p);
}

/*
 * A deadline task's bandwidth is admitted over every CPU (Linux's root domain): it may
 * not be confined to fewer.
 */
static bool dl_affinity_ok(const struct cpumask *mask)
{
	struct cpumask online;

	cpumask_and(&online, mask, &cpu_online_mask);
	return cpumask_equal(&online, &cpu_online_mask);
}

/*
 * attr->sched_policy SETPARAM_POLICY keeps p's policy and reset-on-fork flag.
 * keep_params (sched_setattr's SCHED_FLAG_KEEP_PARAMS): attr holds p's parameters; it is
 * checked with the policy asked for, but as in Linux only the reset-on-fork flag changes.
 */
static int sched_setattr_user(struct task_struct *p, struct sched_attr *attr, bool keep_params)
{
	unsigned long flags;
	int ret;

	if ((int)attr->sched_policy == SETPARAM_POLICY) {
		attr->sched_policy = p->policy;
		if (p->sched_reset_on_fork)
			attr->sched_flags |= SCHED_FLAG_RESET_ON_FORK;
	}
	ret = sched_check_attr(attr);
	if (!ret)
		ret = user_check_sched_setscheduler(p, attr);
	if (ret)
		return ret;
	if (keep_params)
		attr->sched_policy = p->policy;
	if (dl_policy(attr->sched_policy)) {
		spin_lock_irqsave(&p->pi_lock, flags);
		ret = dl_affinity_ok(&p->cpus_mask) ? 0 : -EPERM;
		spin_unlock_irqrestore(&p->pi_lock, flags);
		if (ret)
			return ret;
	}
	return sched_setattr(p, attr);
}

static long do_sched_setscheduler(pid_t pid, int policy, struct sched_param __user *param)
{
	struct sched_attr attr = { 0 };
	struct sched_param lparam;
	struct task_struct *p;
	long ret;

	if (!param || pid < 0)
		return -EINVAL;
	if (copy_from_user(&lparam, param, sizeof(lparam)))
		return -EFAULT;
	p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	attr.sched_priority = lparam.sched_priority;
	attr.sched_nice = task_nice(p);
	if (policy != SETPARAM_POLICY && (policy & SCHED_RESET_ON_FORK)) {
		attr.sched_flags = SCHED_FLAG_RESET_ON_FORK;
		policy &= ~SCHED_RESET_ON_FORK;
	}
	attr.sched_policy = policy;
	/* The old interface cannot reach SCHED_DEADLINE's parameters. */
	ret = dl_policy(policy) ? -EINVAL : sched_setattr_user(p, &attr, false);
	put_task_struct(p);
	return ret;
}

SYSCALL_DEFINE3(sched_setscheduler, pid_t, pid, int, policy, struct sched_param __user *, param)
{
	if (policy < 0)
		return -EINVAL;
	return do_sched_setscheduler(pid, policy, param);
}

SYSCALL_DEFINE2(sched_setparam, pid_t, pid, struct sched_param __user *, param)
{
	return do_sched_setscheduler(pid, SETPARAM_POLICY, param);
}

SYSCALL_DEFINE1(sched_getscheduler, pid_t, pid)
{
	struct task_struct *p;
	long ret;

	if (pid < 0)
		return -EINVAL;
	p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	ret = p->policy | (p->sched_reset_on_fork ? SCHED_RESET_ON_FORK : 0);
	put_task_struct(p);
	return ret;
}

SYSCALL_DEFINE2(sched_getparam, pid_t, pid, struct sched_param __user *, param)
{
	struct sched_param lp = { 0 };
	struct task_struct *p;

	if (!param || pid < 0)
		return -EINVAL;
	p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	if (rt_policy(p->policy))
		lp.sched_priority = p->rt_priority;
	put_task_struct(p);
	return copy_to_user(param, &lp, sizeof(lp)) ? -EFAULT : 0;
}

/*
 * A user struct sched_attr of any size from VER0 to a page: bytes past what we know
 * must be zero (-E2BIG, with the size we know written back).
 */
static int sched_copy_attr(struct sched_attr_user __user *uattr, struct sched_attr_user *attr)
{
	u32 size;
	u8 b;

	memset(attr, 0, sizeof(*attr));
	if (get_user(size, &uattr->size))
		return -EFAULT;
	if (!size)
		size = SCHED_ATTR_SIZE_VER0;
	if (size < SCHED_ATTR_SIZE_VER0 || size > PAGE_SIZE)
		goto err_size;
	if (copy_from_user(attr, uattr, min((size_t)size, sizeof(*attr))))
		return -EFAULT;
	for (u32 i = sizeof(*attr); i < size; i++) {
		if (get_user(b, (u8 __user *)uattr + i))
			return -EFAULT;
		if (b)
			goto err_size;
	}
	if ((attr->sched_flags & (SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX)) &&
	    size < sizeof(*attr))
		return -EINVAL;
	attr->sched_nice = clamp(attr->sched_nice, MIN_NICE, MAX_NICE);
	return 0;
err_size:
	put_user((u32)sizeof(*attr), &uattr->size);
	return -E2BIG;
}

/*
 * Flags the core does not implement (reclaim, overrun signals, utilisation clamps)
 * are refused with -EINVAL rather than ignored.
 */
SYSCALL_DEFINE3(sched_setattr, pid_t, pid, struct sched_attr_user __user *, uattr,
		unsigned int, flags)
{
	struct sched_attr_user ua;
	struct sched_attr attr;
	struct task_struct *p;
	long ret;

	if (!uattr || pid < 0 || flags)
		return -EINVAL;
	ret = sched_copy_attr(uattr, &ua);
	if (ret)
		return ret;
	if ((int)ua.sched_policy < 0)
		return -EINVAL;
	p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	attr = (struct sched_attr){
		.size = sizeof(attr),
		.sched_policy = (ua.sched_flags & SCHED_FLAG_KEEP_POLICY) ?
				(u32)SETPARAM_POLICY : ua.sched_policy,
		.sched_flags = ua.sched_flags & ~(u64)(SCHED_FLAG_KEEP_POLICY |
						       SCHED_FLAG_KEEP_PARAMS),
		.sched_nice = ua.sched_nice,
		.sched_priority = ua.sched_priority,
		.sched_runtime = ua.sched_runtime,
		.sched_deadline = ua.sched_deadline,
		.sched_period = ua.sched_period,
	};
	if (ua.sched_flags & SCHED_FLAG_KEEP_PARAMS)
		get_params(p, &attr);
	ret = sched_setattr_user(p, &attr, ua.sched_flags & SCHED_FLAG_KEEP_PARAMS);
	put_task_struct(p);
	return ret;
}

SYSCALL_DEFINE4(sched_getattr, pid_t, pid, struct sched_attr_user __user *, uattr,
		unsigned int, usize, unsigned int, flags)
{
	struct sched_attr_user ua = { 0 };
	struct sched_attr attr = { 0 };
	struct task_struct *p;

	if (!uattr || pid < 0 || usize > PAGE_SIZE || usize < SCHED_ATTR_SIZE_VER0 || flags)
		return -EINVAL;
	p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	get_params(p, &attr);
	ua.sched_policy = p->policy;
	ua.sched_flags = p->sched_reset_on_fork ? SCHED_FLAG_RESET_ON_FORK : 0;
	put_task_struct(p);
	ua.sched_nice = attr.sched_nice;
	ua.sched_priority = attr.sched_priority;
	ua.sched_runtime = attr.sched_runtime;
	ua.sched_deadline = attr.sched_deadline;
	ua.sched_period = attr.sched_period;
	/* An older caller gets what fits; a newer one's extra bytes are left alone. */
	ua.size = min(usize, (unsigned int)sizeof(ua));
	if (!access_ok(uattr, usize))
		return -EFAULT;
	return copy_to_user(uattr, &ua, ua.size) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(sched_get_priority_max, int, policy)
{
	if (rt_policy(policy))
		return MAX_RT_PRIO - 1;
	if (fair_policy(policy) || dl_policy(policy))
		return 0;
	return -EINVAL;
}

SYSCALL_DEFINE1(sched_get_priority_min, int, policy)
{
	if (rt_policy(policy))
		return 1;
	if (fair_policy(policy) || dl_policy(policy))
		return 0;
	return -EINVAL;
}

/* The time slice, in whole ticks as Linux reports it; 0 for FIFO and deadline tasks. */
SYSCALL_DEFINE2(sched_rr_get_interval, pid_t, pid, struct __kernel_timespec __user *, interval)
{
	struct task_struct *p;
	struct timespec64 ts;
	unsigned long flags;
	unsigned int slice = 0;
	struct rq *rq;

	if (pid < 0)
		return -EINVAL;
	p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	rq = task_rq_lock(p, &flags);
	if (p->sched_class->get_rr_interval)
		slice = p->sched_class->get_rr_interval(rq, p);
	task_rq_unlock(rq, p, flags);
	put_task_struct(p);
	ts = ns_to_timespec64(slice / TICK_NSEC * TICK_NSEC);
	return put_timespec64(&ts, interval);
}

SYSCALL_DEFINE0(sched_yield)
{
	do_sched_yield();
	return 0;
}

#define CPUMASK_SIZE	sizeof(struct cpumask)

SYSCALL_DEFINE3(sched_setaffinity, pid_t, pid, unsigned int, len,
		unsigned long __user *, user_mask_ptr)
{
	struct cpumask mask;
	struct task_struct *p;
	long ret;

	/* A short mask leaves the CPUs past it out; a long one is cut. */
	memset(&mask, 0, sizeof(mask));
	if (copy_from_user(&mask, user_mask_ptr, min((size_t)len, CPUMASK_SIZE)))
		return -EFAULT;
	p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	if (p->flags & PF_NO_SETAFFINITY)
		ret = -EINVAL;
	else if (!check_same_owner(p) && !capable(CAP_SYS_NICE))
		ret = -EPERM;
	else if (dl_policy(p->policy) && !dl_affinity_ok(&mask))
		ret = -EBUSY;
	else
		ret = set_cpus_allowed_ptr(p, &mask);
	put_task_struct(p);
	return ret;
}

/* Returns the bytes written: the kernel's mask size. */
SYSCALL_DEFINE3(sched_getaffinity, pid_t, pid, unsigned int, len,
		unsigned long __user *, user_mask_ptr)
{
	struct cpumask mask;
	struct task_struct *p;
	unsigned long flags;
	unsigned int retlen;

	if ((size_t)len * 8 < nr_cpu_ids || (len & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	spin_lock_irqsave(&p->pi_lock, flags);
	cpumask_and(&mask, &p->cpus_mask, &cpu_online_mask);
	spin_unlock_irqrestore(&p->pi_lock, flags);
	put_task_struct(p);
	retlen = min((size_t)len, CPUMASK_SIZE);
	return copy_to_user(user_mask_ptr, &mask, retlen) ? -EFAULT : (long)retlen;
}

/*
 * Call fn on every thread that PRIO_PROCESS / PRIO_PGRP / PRIO_USER who names (0: the
 * caller's own). The task list holds one task per thread group. tasklist_lock held.
 */
static void for_each_prio_target(int which, int who, void (*fn)(struct task_struct *, void *),
				 void *arg)
{
	struct task_struct *g, *t;

	if (which == PRIO_PROCESS) {
		t = who ? find_task_by_vpid(who) : current;
		if (t)
			fn(t, arg);
		return;
	}
	if (which == PRIO_PGRP) {
		struct pid *pgrp = who ? find_vpid(who) : task_pgrp(current);

		if (!pgrp)
			return;
		for_each_pid_task(pgrp, PIDTYPE_PGID, g)
			list_for_each_entry(t, &g->signal->thread_head, thread_node)
				fn(t, arg);
		return;
	}
	if (!who)
		who = current->cred.uid;
	list_for_each_entry(g, &init_task.tasks, tasks) {
		if (!g->signal)		/* a kernel thread may have none */
			continue;
		/* Only those our PID namespace sees. */
		list_for_each_entry(t, &g->signal->thread_head, thread_node)
			if (t->cred.uid == (uid_t)who && task_pid_vnr(t))
				fn(t, arg);
	}
}

struct prio_set {
	int niceval;
	int error;
};

/* Linux's set_one_prio: the first error found sticks over -ESRCH. */
static void set_one_prio(struct task_struct *p, void *arg)
{
	struct prio_set *ps = arg;
	const struct cred *pcred = &p->cred;

	if (pcred->uid != current->cred.euid && pcred->euid != current->cred.euid &&
	    !capable(CAP_SYS_NICE)) {
		ps->error = -EPERM;
	} else if (ps->niceval < task_nice(p) && !can_nice(p, ps->niceval)) {
		ps->error = -EACCES;
	} else {
		if (ps->error == -ESRCH)
			ps->error = 0;
		set_user_nice(p, ps->niceval);
	}
}

SYSCALL_DEFINE3(setpriority, int, which, int, who, int, niceval)
{
	struct prio_set ps = { .niceval = clamp(niceval, MIN_NICE, MAX_NICE), .error = -ESRCH };
	unsigned long flags;

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	spin_lock_irqsave(&tasklist_lock, flags);
	for_each_prio_target(which, who, set_one_prio, &ps);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ps.error;
}

static void get_one_prio(struct task_struct *p, void *arg)
{
	long *best = arg;

	/* 20 - nice: 1 (nice 19) .. 40 (nice -20), never mistaken for an error. */
	*best = max(*best, (long)(MAX_NICE - task_nice(p) + 1));
}

SYSCALL_DEFINE2(getpriority, int, which, int, who)
{
	long best = -ESRCH;
	unsigned long flags;

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	spin_lock_irqsave(&tasklist_lock, flags);
	for_each_prio_target(which, who, get_one_prio, &best);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return best;
}
