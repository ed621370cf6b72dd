// SPDX-License-Identifier: MIT
/*
 * The load average's arithmetic (kernel/sched/loadavg.c, kairos/loadavg.h): a constant
 * number of active tasks pulls the three averages towards it as exp(-t / 1, 5, 15 min)
 * says, reaches it exactly and stays; with none left they decay to exactly 0; a CPU folds
 * only the change in its count; /proc/loadavg's hundredths round to nearest.
 */
#include <kairos/ktest.h>
#include <kairos/loadavg.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>

#include "../../kernel/sched/sched.h"

static const unsigned long exps[3] = { EXP_1, EXP_5, EXP_15 };

/* Fixed point between lo and hi thousandths of n. */
static bool within(unsigned long load, unsigned long n, unsigned int lo, unsigned int hi)
{
	return load * 1000 >= n * FIXED_1 * lo && load * 1000 <= n * FIXED_1 * hi;
}

static void step(unsigned long loads[3], unsigned long n)
{
	for (int i = 0; i < 3; i++)
		loads[i] = calc_load(loads[i], exps[i], n * FIXED_1);
}

KTEST(loadavg_constant_load_converges)
{
	static const unsigned long ns[] = { 1, 2, 7 };

	for (unsigned int k = 0; k < ARRAY_SIZE(ns); k++) {
		unsigned long n = ns[k], loads[3] = { 0, 0, 0 }, prev[3];
		int samples;

		/* One minute is 12 samples: 1 - 1/e, 1 - e^-(1/5), 1 - e^-(1/15) of n. */
		for (samples = 0; samples < 12; samples++) {
			memcpy(prev, loads, sizeof(prev));
			step(loads, n);
			for (int i = 0; i < 3; i++)
				KTEST_EXPECT(t, loads[i] >= prev[i]);
		}
		KTEST_EXPECT(t, within(loads[0], n, 626, 640));
		KTEST_EXPECT(t, within(loads[1], n, 178, 186));
		KTEST_EXPECT(t, within(loads[2], n, 62, 68));
		/* Rounding up while below: n itself is reached, and is a fixed point. */
		for (samples = 12; samples < 5000 && loads[2] != n * FIXED_1; samples++)
			step(loads, n);
		KTEST_EXPECT_EQ(t, loads[0], n * FIXED_1);
		KTEST_EXPECT_EQ(t, loads[1], n * FIXED_1);
		KTEST_EXPECT_EQ(t, loads[2], n * FIXED_1);
		step(loads, n);
		KTEST_EXPECT_EQ(t, loads[0], n * FIXED_1);
		KTEST_EXPECT_EQ(t, loads[2], n * FIXED_1);

		/* Nothing active: a minute later 1/e of it is left in the 1-minute average. */
		for (samples = 0; samples < 12; samples++)
			step(loads, 0);
		KTEST_EXPECT(t, within(loads[0], n, 360, 374));
		for (samples = 0; samples < 5000 && loads[2]; samples++)
			step(loads, 0);
		KTEST_EXPECT_EQ(t, loads[0], 0);
		KTEST_EXPECT_EQ(t, loads[2], 0);
	}
}

KTEST(loadavg_fold_counts_changes)
{
	static struct rq rq;	/* a stand-in: only the counts are looked at */

	memset(&rq, 0, sizeof(rq));
	rq.nr_running = 3;
	rq.nr_uninterruptible = 2;
	KTEST_EXPECT_EQ(t, calc_load_fold_active(&rq, 0), 5);
	KTEST_EXPECT_EQ(t, calc_load_fold_active(&rq, 0), 0);
	rq.nr_running = 1;
	KTEST_EXPECT_EQ(t, calc_load_fold_active(&rq, 0), -2);
	/* More woke here than slept here: this CPU's share is negative. */
	rq.nr_uninterruptible = (unsigned int)-1;
	KTEST_EXPECT_EQ(t, calc_load_fold_active(&rq, 0), -3);
	/* adjust leaves out the caller itself. */
	rq.nr_uninterruptible = 0;
	rq.nr_running = 2;
	KTEST_EXPECT_EQ(t, calc_load_fold_active(&rq, 1), 1);
}

KTEST(loadavg_hundredths_round)
{
	static const struct { unsigned long load; const char *text; } cases[] = {
		{ 0, "0.00" }, { FIXED_1, "1.00" }, { FIXED_1 * 3 / 2, "1.50" },
		{ FIXED_1 - 1, "1.00" }, { FIXED_1 / 100, "0.01" }, { FIXED_1 / 400, "0.00" },
		{ 12 * FIXED_1 + FIXED_1 / 4, "12.25" },
	};
	char buf[16];

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned long x = cases[i].load + FIXED_1 / 200;	/* as get_avenrun's offset */

		snprintf(buf, sizeof(buf), "%lu.%02lu", LOAD_INT(x), LOAD_FRAC(x));
		if (strcmp(buf, cases[i].text))
			ktest_fail(t, __FILE__, __LINE__, "%lu shows as %s, not %s",
				   cases[i].load, buf, cases[i].text);
	}
}
