/* SPDX-License-Identifier: MIT */
/*
 * Resource limits: kept per thread group in signal->rlim (init's are Linux's defaults,
 * the others inherited at fork), changed by setrlimit/prlimit64 (kernel/rlimit.c) under
 * the group's siglock. Enforcement is each subsystem's.
 */
#ifndef KAIROS_RESOURCE_H
#define KAIROS_RESOURCE_H

#include <kairos/sched.h>
#include <kairos/signal.h>
#include <uapi/resource.h>

static inline unsigned long task_rlimit(const struct task_struct *p, unsigned int limit)
{
	return READ_ONCE(p->signal->rlim[limit].rlim_cur);
}

static inline unsigned long rlimit(unsigned int limit)
{
	return task_rlimit(current, limit);
}

static inline unsigned long rlimit_max(unsigned int limit)
{
	return READ_ONCE(current->signal->rlim[limit].rlim_max);
}

/* Both the group's own and its reaped children's usage (wait4's). */
#define RUSAGE_BOTH	(-2)

/* p's resource usage as getrusage(who) reports it; who is RUSAGE_SELF, _CHILDREN,
 * _THREAD (p is current) or _BOTH. p's sighand must still be there. */
void getrusage(struct task_struct *p, int who, struct rusage *r);

#endif
