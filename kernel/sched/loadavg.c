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
 * ten ticks later the timekeeping CPU updates avenrun from the sum (calc_global_load),
 * so that every CPU has folded by then. Counts are not read across CPUs at one instant:
 * a task moving between them is counted once, by one of them.
 */
#include <kairos/loadavg.h>
#include <kairos/time.h>
#include "sched.h"

atomic64_t calc_load_tasks;
unsigned long calc_load_update;		/* jiffies of the next sample */
unsigned long avenrun[3];

void get_avenrun(unsigned long *loads, unsigned long offset, int shift)
{
	loads[0] = (READ_ONCE(avenrun[0]) + offset) << shift;
	loads[1] = (READ_ONCE(avenrun[1]) + offset) << shift;
	loads[2] = (READ_ONCE(avenrun[2]) + offset) << shift;
}

/* The change in rq's contribution since it last folded; rq's lock held. */
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

/* The timekeeping CPU, after jiffies moved: a new sample once every CPU had its turn. */
void calc_global_load(void)
{
	unsigned long sample_window = READ_ONCE(calc_load_update);
	long active;

	if (time_before(jiffies, sample_window + 10))
		return;
	active = atomic64_read(&calc_load_tasks);
	active = active > 0 ? active * FIXED_1 : 0;
	WRITE_ONCE(avenrun[0], calc_load(avenrun[0], EXP_1, active));
	WRITE_ONCE(avenrun[1], calc_load(avenrun[1], EXP_5, active));
	WRITE_ONCE(avenrun[2], calc_load(avenrun[2], EXP_15, active));
	WRITE_ONCE(calc_load_update, sample_window + LOAD_FREQ);
}

void __init init_loadavg(void)
{
	unsigned int cpu;

	calc_load_update = jiffies + LOAD_FREQ;
	for_each_possible_cpu(cpu)
		cpu_rq(cpu)->calc_load_update = calc_load_update;
}
