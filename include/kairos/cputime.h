/* SPDX-License-Identifier: MIT */
/*
 * CPU time of tasks and thread groups (kernel/sched/cputime.c), in ns. The scheduler's
 * runtime (sum_exec_runtime) is exact; utime and stime are samples of where the time
 * went (user or kernel) and are scaled so that they add up to the runtime, as Linux's
 * cputime_adjust does (and, as it does, never lower than reported before). The tick
 * samples them (account_process_tick); until it has, the runtime counts as user time.
 */
#ifndef KAIROS_CPUTIME_H
#define KAIROS_CPUTIME_H

#include <kairos/spinlock.h>
#include <kairos/types.h>

struct task_struct;

/* utime and stime as last reported: cputime_adjust never lets them go back. */
struct prev_cputime {
	u64 utime;
	u64 stime;
	spinlock_t lock;
};

#define PREV_CPUTIME_INIT	{ .lock = __SPIN_LOCK_UNLOCKED }

static inline void prev_cputime_init(struct prev_cputime *prev)
{
	prev->utime = prev->stime = 0;
	spin_lock_init(&prev->lock);
}

struct task_cputime {
	u64 utime;
	u64 stime;
	u64 sum_exec_runtime;
};

/* At every tick, IRQs off: a tick's time to p (user_tick: it ran in user mode) and to
 * the CPU's kernel_cpustat. */
void account_process_tick(struct task_struct *p, int user_tick);
/* Ticks an idle CPU did without (tickless idle), to its idle time; IRQs off. */
void account_idle_ticks(unsigned long ticks);
/* p's runtime including the part of its current slice not yet accounted. */
u64 task_sched_runtime(struct task_struct *p);
/* p's own times, utime + stime == its runtime. */
void task_cputime_adjusted(struct task_struct *p, struct task_cputime *times);
/* The thread group's: its live threads and the ones that died (signal_struct);
 * tasklist_lock held. */
void thread_group_cputime_adjusted(struct task_struct *tsk, struct task_cputime *times);

#endif
