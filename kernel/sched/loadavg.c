// SPDX-License-Identifier: MIT
/*
 * The load average, as Linux computes it (/proc/loadavg, sysinfo): an exponentially
 * decaying average of the number of tasks that are runnable or in uninterruptible
 * sleep, sampled every LOAD_FREQ (5 s and a tick) and kept in FSHIFT-bit fixed point:
 *
 *	avenrun[n] = avenrun[n] * e + active * (1 - e),  e = exp(-5 s / 1, 5, 15 min)
 *
 * Each CPU folds the change in its own count (nr_running + nr_uninterruptible) into the
 * global calc_load_tasks at its first tick after the sample time (calc_global_load_tick);
 * ten ticks later the jiffies keeper updates avenrun from the sum (calc_global_load),
 * so that every CPU has folded by then. Counts are not read across CPUs at one instant:
 * a task moving between them is counted once, by one of them.
 *
 * A CPU that stops its tick in idle (NO_HZ) folds when it stops (calc_load_nohz_start),
 * into calc_load_nohz[], which the next sample adds in. Between a sample time and its
 * update the folds go to the other slot, for the sample after: a CPU that ran at the
 * sample time and went idle just after must count as it was at the sample time (or a
 * task busy half of the time would never be seen). When every CPU idled through whole
 * sample windows, the first update after catches up with all of them at once.
 */
#include <kairos/loadavg.h>
#include <kairos/time.h>
#include "sched.h"

atomic64_t calc_load_tasks;
unsigned long calc_load_update;		/* jiffies of the next sample */
unsigned long avenrun[3];
static atomic64_t calc_load_nohz[2];	/* idle CPUs' folds, for this sample and the next */
static int calc_load_idx;		/* calc_load_nohz[idx & 1] goes into the next sample */

void get_avenrun(unsigned long *loads, unsigned long offset, int shift)
{
	loads[0] = (READ_ONCE(avenrun[0]) + offset) << shift;
	loads[1] = (READ_ONCE(avenrun[1]) + offset) << shift;
	loads[2] = (READ_ONCE(avenrun[2]) + offset) << shift;
}

/* The change in rq's contribution since it last folded; on rq's CPU, IRQs off. */
long calc_load_fold_active(struct rq *rq, long adjust)
{
	long nr_active, delta = 0;

	nr_active = rq->nr_running - adjust;
	nr_active += (int)rq->nr_uninterruptible;
	if (nr_active != rq->calc_load_active) {
		delta = nr_active - rq->calc_load_active;
		rq->calc_load_active = nr_active;
	}
	return delta;
}

/* Each CPU's tick, rq's lock held: fold once per LOAD_FREQ, at or after the sample time. */
void calc_global_load_tick(struct rq *rq)
{
	long delta;

	if (time_before(jiffies, rq->calc_load_update))
		return;
	delta = calc_load_fold_active(rq, 0);
	if (delta)
		atomic64_add(delta, &calc_load_tasks);
	rq->calc_load_update += LOAD_FREQ;
}

/* The slot an idle CPU folds into: past the sample time, the next sample's. */
static int calc_load_write_idx(void)
{
	int idx = READ_ONCE(calc_load_idx);

	smp_rmb();	/* the index is read before the time it depends on */
	if (!time_before(jiffies, READ_ONCE(calc_load_update)))
		idx++;
	return idx & 1;
}

void calc_load_nohz_start(void)
{
	long delta = calc_load_fold_active(this_rq(), 0);

	if (delta)
		atomic64_add(delta, &calc_load_nohz[calc_load_write_idx()]);
}

/*
 * The tick restarts: fold at the next sample as usual, unless this CPU stopped before
 * the one whose update is pending now: its count is in calc_load_nohz already.
 */
void calc_load_nohz_stop(void)
{
	struct rq *rq = this_rq();

	rq->calc_load_update = READ_ONCE(calc_load_update);
	if (time_before(jiffies, rq->calc_load_update))
		return;
	if (time_before(jiffies, rq->calc_load_update + 10))
		rq->calc_load_update += LOAD_FREQ;
}

static void calc_global_update(unsigned long n, long active)
{
	active = active > 0 ? active * FIXED_1 : 0;
	WRITE_ONCE(avenrun[0], calc_load_n(avenrun[0], EXP_1, active, n));
	WRITE_ONCE(avenrun[1], calc_load_n(avenrun[1], EXP_5, active, n));
	WRITE_ONCE(avenrun[2], calc_load_n(avenrun[2], EXP_15, active, n));
}

/* The jiffies keeper, after jiffies moved: a new sample once every CPU had its turn. */
void calc_global_load(void)
{
	unsigned long sample_window = READ_ONCE(calc_load_update), n;
	long delta;

	if (time_before(jiffies, sample_window + 10))
		return;
	delta = atomic64_xchg(&calc_load_nohz[calc_load_idx & 1], 0);
	if (delta)
		atomic64_add(delta, &calc_load_tasks);
	calc_global_update(1, atomic64_read(&calc_load_tasks));
	sample_window += LOAD_FREQ;
	/* Whole windows in which nobody ticked: the count has not changed since. */
	if (!time_before(jiffies, sample_window + 10)) {
		n = 1 + (jiffies - sample_window - 10) / LOAD_FREQ;
		calc_global_update(n, atomic64_read(&calc_load_tasks));
		sample_window += n * LOAD_FREQ;
	}
	WRITE_ONCE(calc_load_update, sample_window);
	smp_wmb();	/* the new sample time before the slot that folds into it */
	WRITE_ONCE(calc_load_idx, calc_load_idx + 1);
}

void __init init_loadavg(void)
{
	unsigned int cpu;

	calc_load_update = jiffies + LOAD_FREQ;
	for_each_possible_cpu(cpu)
		cpu_rq(cpu)->calc_load_update = calc_load_update;
}
