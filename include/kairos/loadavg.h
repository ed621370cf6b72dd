/* SPDX-License-Identifier: MIT */
/*
 * The load average (kernel/sched/loadavg.c): avenrun[] in FSHIFT-bit fixed point, the
 * 1, 5 and 15 minute averages of runnable plus uninterruptible tasks, as Linux keeps
 * them and shows them in /proc/loadavg and sysinfo(2).
 */
#ifndef KAIROS_LOADAVG_H
#define KAIROS_LOADAVG_H

#include <kairos/atomic.h>
#include <kairos/config.h>
#include <kairos/types.h>

#define FSHIFT		11			/* bits of precision */
#define FIXED_1		(1 << FSHIFT)		/* 1.0 */
#define LOAD_FREQ	(5 * HZ + 1)		/* 5 s and a tick: not in step with periodic work */
#define EXP_1		1884			/* 1 / exp(5 s / 1 min), fixed point */
#define EXP_5		2014			/* 1 / exp(5 s / 5 min) */
#define EXP_15		2037			/* 1 / exp(5 s / 15 min) */

#define LOAD_INT(x)	((x) >> FSHIFT)
#define LOAD_FRAC(x)	LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

/* sysinfo(2) gives the averages with 16 fraction bits. */
#define SI_LOAD_SHIFT	16

extern unsigned long avenrun[3];
extern atomic64_t calc_load_tasks;

/* avenrun[] + offset, shifted left by shift. */
void get_avenrun(unsigned long *loads, unsigned long offset, int shift);

/* One decay step: load * exp + active * (1 - exp), rounded up while load grows. */
static inline unsigned long calc_load(unsigned long load, unsigned long exp,
				      unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

/* x^n in FSHIFT-bit fixed point, by squaring: n decay steps at once. */
static inline unsigned long fixed_power_int(unsigned long x, unsigned int n)
{
	unsigned long result = FIXED_1;

	while (n) {
		if (n & 1)
			result = (result * x + FIXED_1 / 2) >> FSHIFT;
		n >>= 1;
		if (n)
			x = (x * x + FIXED_1 / 2) >> FSHIFT;
	}
	return result;
}

/* n steps of calc_load with the same active count (windows in which no CPU ticked). */
static inline unsigned long calc_load_n(unsigned long load, unsigned long exp,
					unsigned long active, unsigned long n)
{
	return calc_load(load, fixed_power_int(exp, n), active);
}

/* From the jiffies keeper, after jiffies moved (kernel/time/tick-sched.c). */
void calc_global_load(void);
/* Before the first tick. */
void init_loadavg(void);

#endif
