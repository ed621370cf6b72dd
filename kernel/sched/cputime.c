// SPDX-License-Identifier: MIT
/* CPU time of tasks and thread groups: see include/kairos/cputime.h. */
#include <kairos/cputime.h>
#include <kairos/kernel_stat.h>
#include <kairos/sched.h>
#include <kairos/signal.h>

#include "sched.h"

DEFINE_PER_CPU(struct kernel_cpustat, kernel_cpustat);

static void account_cpustat(int index, u64 cputime)
{
	u64 *cpustat = this_cpu_ptr(&kernel_cpustat)->cpustat;

	WRITE_ONCE(cpustat[index], cpustat[index] + cputime);
}

/*
 * Linux's account_process_tick: the whole tick goes to what it interrupted. The tick's own hard interrupt is not counted as IRQ time, only
 * one it nested in; softirqs run at irq_exit or in ksoftirqd are. No task waits for
 * block I/O (io_schedule) yet, so idle time is never iowait.
 */
void account_process_tick(struct task_struct *p, int user_tick)
{
	int irq = hardirq_count() - HARDIRQ_OFFSET;
	u64 cputime = TICK_NSEC;

	if (user_tick) {
		WRITE_ONCE(p->utime, p->utime + cputime);
		account_cpustat(task_nice(p) > 0 ? CPUTIME_NICE : CPUTIME_USER, cputime);
	} else if (p != this_rq()->idle || irq || in_softirq()) {
		WRITE_ONCE(p->stime, p->stime + cputime);
		account_cpustat(irq ? CPUTIME_IRQ : in_softirq() ? CPUTIME_SOFTIRQ : CPUTIME_SYSTEM,
				cputime);
	} else {
		account_cpustat(CPUTIME_IDLE, cputime);
	}
}

/* What those ticks would have found: the idle task, with nothing else to count. */
void account_idle_ticks(unsigned long ticks)
{
	account_cpustat(CPUTIME_IDLE, ticks * TICK_NSEC);
}

u64 task_sched_runtime(struct task_struct *p)
{
	unsigned long flags;
	struct rq *rq;
	u64 ns;

	rq = task_rq_lock(p, &flags);
	/* A running task's current slice is added to its sum only at the next update. */
	if (task_current(rq, p) && task_on_rq_queued(p) && p->sched_class->update_curr) {
		update_rq_clock(rq);
		p->sched_class->update_curr(rq);
	}
	ns = p->se.sum_exec_runtime;
	task_rq_unlock(rq, p, flags);
	return ns;
}

/*
 * stime * rtime / total without a 128-bit division: bits are dropped from the larger
 * factor and from total alike until the product fits in 64 bits.
 */
static u64 scale_stime(u64 stime, u64 rtime, u64 total)
{
	while ((stime | rtime) >> 32) {
		if (stime > rtime)
			stime >>= 1;
		else
			rtime >>= 1;
		total >>= 1;
	}
	return total ? stime * rtime / total : 0;
}

/*
 * Linux's cputime_adjust: split the runtime in the proportion of the samples utime :
 * stime, but never report either lower than before (a new sample can tip the
 * proportion), so that readers taking differences never see time go back.
 */
static void cputime_adjust(struct task_cputime *curr, struct prev_cputime *prev)
{
	u64 rtime = curr->sum_exec_runtime, stime, utime;
	unsigned long flags;

	spin_lock_irqsave(&prev->lock, flags);
	if (prev->stime + prev->utime >= rtime)
		goto out;
	stime = curr->stime;
	utime = curr->utime;
	if (!stime)
		utime = rtime;
	else if (!utime)
		stime = rtime;
	else
		stime = min(scale_stime(stime, rtime, stime + utime), rtime);
	stime = max(stime, prev->stime);
	utime = rtime - stime;
	if (utime < prev->utime) {
		utime = prev->utime;
		stime = rtime - utime;
	}
	prev->stime = stime;
	prev->utime = utime;
out:
	curr->utime = prev->utime;
	curr->stime = prev->stime;
	spin_unlock_irqrestore(&prev->lock, flags);
}

void task_cputime_adjusted(struct task_struct *p, struct task_cputime *times)
{
	times->utime = READ_ONCE(p->utime);
	times->stime = READ_ONCE(p->stime);
	times->sum_exec_runtime = task_sched_runtime(p);
	cputime_adjust(times, &p->prev_cputime);
}

void thread_group_cputime_adjusted(struct task_struct *tsk, struct task_cputime *times)
{
	struct signal_struct *sig = tsk->signal;
	struct task_struct *t;

	times->utime = sig->utime;
	times->stime = sig->stime;
	times->sum_exec_runtime = sig->sum_sched_runtime;
	list_for_each_entry(t, &sig->thread_head, thread_node) {
		times->utime += READ_ONCE(t->utime);
		times->stime += READ_ONCE(t->stime);
		times->sum_exec_runtime += task_sched_runtime(t);
	}
	cputime_adjust(times, &sig->prev_cputime);
}
