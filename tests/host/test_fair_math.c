// SPDX-License-Identifier: MIT
/*
 * The fair class's arithmetic, with kernel/sched/fair.c compiled unchanged for the host:
 * __calc_delta() against exact 128-bit division, the nice weight tables, the shares they
 * give, and the scaling of the tunables. Nothing here queues a task, so the core
 * functions fair.c calls are stubs that must never run.
 */
#include <stdlib.h>

#include <kairos/interrupt.h>

#include "../../kernel/sched/sched.h"

#include "rand.h"
#include "tap.h"

/* What fair.c links against. */
struct rq runqueues;
unsigned long __per_cpu_offset[NR_CPUS];
DEFINE_PER_CPU(unsigned int, cpu_number);
struct cpumask cpu_online_mask, cpu_possible_mask;
const struct sched_class idle_sched_class;
volatile u64 jiffies_64;
bool host_irqs_off;

void activate_task(struct rq *rq, struct task_struct *p, int flags)
{
	abort();
}

void deactivate_task(struct rq *rq, struct task_struct *p, int flags)
{
	abort();
}

void set_task_cpu(struct task_struct *p, unsigned int new_cpu)
{
	abort();
}

void do_raw_spin_lock(spinlock_t *lock)
{
	abort();
}

void do_raw_spin_unlock(spinlock_t *lock)
{
	abort();
}

void assert_spin_locked(spinlock_t *lock)
{
	abort();
}

u64 sched_clock(void)
{
	abort();
}

void open_softirq(int nr, void (*action)(struct softirq_action *))
{
	abort();
}

void raise_softirq(unsigned int nr)
{
	abort();
}

bool stop_one_cpu_nowait(unsigned int cpu, cpu_stop_fn_t fn, void *arg,
			 struct cpu_stop_work *work_buf)
{
	abort();
}

void resched_curr(struct rq *rq)
{
	abort();
}

void smp_send_reschedule(int cpu)
{
	abort();
}

void update_rq_clock(struct rq *rq)
{
	abort();
}

void check_preempt_curr(struct rq *rq, struct task_struct *p, int flags)
{
	abort();
}

typedef unsigned __int128 u128;

static u64 exact_delta(u64 delta, unsigned long weight, unsigned long lw_weight)
{
	return (u64)((u128)delta * weight / lw_weight);
}

/*
 * The inverse is truncated to (2^32 - 1) / W, the 32.32 factor loses at most 2^-31 of
 * itself to its shift, and the result is floored: relative error below (W + 3) / 2^32
 * plus at most 2 ns, W being lw->weight. The tables' inverses are 2^32 / w rounded
 * either way, so with them the error has the same bound in both directions.
 */
static u64 error_bound(u64 exact, unsigned long lw_weight)
{
	return (u64)(((u128)(exact + 1) * (lw_weight + 3)) >> 32) + 2;
}

static u64 calc(u64 delta, unsigned long weight, unsigned long lw_weight, u32 inv_weight)
{
	struct load_weight lw = { .weight = lw_weight, .inv_weight = inv_weight };

	return __calc_delta(delta, weight, &lw);
}

static unsigned long random_weight(void)
{
	switch (rnd_below(4)) {
	case 0:
		return sched_prio_to_weight[rnd_below(40)];
	case 1:
		return NICE_0_LOAD;
	case 2:	/* a queue's sum of task weights */
		return sched_prio_to_weight[rnd_below(40)] * (1 + rnd_below(64));
	default:
		return 1 + rnd_below(1UL << 24);
	}
}

static void test_calc_delta_random(void)
{
	int i;

	tap_bulk_begin();
	for (i = 0; i < 200000; i++) {
		u64 delta = rnd() >> (24 + rnd_below(40));	/* up to 2^40 ns, ~18 min */
		unsigned long weight = random_weight();
		unsigned long lw_weight = random_weight();
		u64 exact = exact_delta(delta, weight, lw_weight);
		u64 got = calc(delta, weight, lw_weight, 0);

		CHECK(got <= exact && exact - got <= error_bound(exact, lw_weight),
		      "delta %llu weight %lu / %lu: got %llu, exact %llu",
		      (unsigned long long)delta, weight, lw_weight,
		      (unsigned long long)got, (unsigned long long)exact);
	}
	tap_bulk_end("__calc_delta, computed inverse: exact - (W+3)/2^32 rel - 2 <= got <= exact");
}

/* calc_delta_fair()'s case: NICE_0_LOAD over one task's weight, inverse from the table. */
static void test_calc_delta_tables(void)
{
	int i, n;

	tap_bulk_begin();
	for (i = 0; i < 40; i++) {
		unsigned long w = sched_prio_to_weight[i];

		for (n = 0; n < 2000; n++) {
			u64 delta = rnd() >> (24 + rnd_below(40));
			u64 exact = exact_delta(delta, NICE_0_LOAD, w);
			u64 got = calc(delta, NICE_0_LOAD, w, sched_prio_to_wmult[i]);
			u64 err = got > exact ? got - exact : exact - got;

			CHECK(err <= error_bound(exact, w),
			      "nice %d delta %llu: got %llu, exact %llu", i - 20,
			      (unsigned long long)delta, (unsigned long long)got,
			      (unsigned long long)exact);
		}
	}
	tap_bulk_end("__calc_delta, table inverses: |got - exact| within the same bound");
}

static void test_tables(void)
{
	double ratio, total = 1.0, lo = 1.0, hi = 1.0;
	bool inverse_ok = true, steps_ok = true;
	int i;

	for (i = 0; i < 40; i++) {
		s64 w = sched_prio_to_weight[i];
		s64 err = (s64)sched_prio_to_wmult[i] * w - (1LL << 32);

		if (err <= -w || err >= w) {
			tap_diag("nice %d: %lld * %u is %lld off 2^32", i - 20, (long long)w,
				 sched_prio_to_wmult[i], (long long)err);
			inverse_ok = false;
		}
		if (i == 39)
			break;
		ratio = (double)w / sched_prio_to_weight[i + 1];
		if (ratio < 1.19 || ratio > 1.29) {
			tap_diag("nice %d -> %d: ratio %.3f", i - 20, i - 19, ratio);
			steps_ok = false;
		}
		total *= ratio;
		lo *= 1.245;
		hi *= 1.255;
	}
	TAP_OK(inverse_ok, "wmult[i] is 2^32 / weight[i] to within 1");
	TAP_OK(sched_prio_to_weight[20] == NICE_0_LOAD && sched_prio_to_wmult[20] == 1U << 22,
	       "nice 0 is NICE_0_LOAD, inverse 2^22");
	TAP_OK(steps_ok, "each nice step is a factor 1.19..1.29");
	TAP_OK(total > lo && total < hi, "the steps average 1.25 (1.245..1.255)");
}

/*
 * Two tasks sharing one period get slices in proportion to their weights, and both
 * slices are worth the same virtual time: what makes the split fair.
 */
static void check_pair(int nice_a, int nice_b, double share_a)
{
	char name[96];
	int ia = nice_a + 20, ib = nice_b + 20;
	unsigned long wa = sched_prio_to_weight[ia], wb = sched_prio_to_weight[ib];
	struct load_weight queue = { .weight = wa + wb };
	struct load_weight la = { wa, sched_prio_to_wmult[ia] };
	struct load_weight lb = { wb, sched_prio_to_wmult[ib] };
	u64 period = 6000000;
	u64 sa = __calc_delta(period, wa, &queue), sb = __calc_delta(period, wb, &queue);
	u64 va = __calc_delta(sa, NICE_0_LOAD, &la), vb = __calc_delta(sb, NICE_0_LOAD, &lb);
	double ratio = (double)sa / sb, want = (double)wa / wb;
	double share = (double)sa / period;

	snprintf(name, sizeof(name), "nice %d vs %d: slices %llu + %llu ns of 6 ms",
		 nice_a, nice_b, (unsigned long long)sa, (unsigned long long)sb);
	TAP_OK(sa + sb <= period && sa + sb >= period - 8, name);
	snprintf(name, sizeof(name), "nice %d vs %d: slice ratio %.6f = %lu/%lu", nice_a,
		 nice_b, ratio, wa, wb);
	TAP_OK(ratio > want * (1 - 1e-6) && ratio < want * (1 + 1e-6), name);
	snprintf(name, sizeof(name), "nice %d vs %d: %.2f%% of the CPU", nice_a, nice_b,
		 share * 100);
	TAP_OK(share > share_a - 0.0001 && share < share_a + 0.0001, name);
	snprintf(name, sizeof(name), "nice %d vs %d: equal vruntime per period (%llu, %llu)",
		 nice_a, nice_b, (unsigned long long)va, (unsigned long long)vb);
	TAP_OK(va > vb ? va - vb <= 8 : vb - va <= 8, name);
}

static void test_granularity(void)
{
	static const unsigned int cpus[] = { 0, 1, 2, 3, 4, 7, 8, 16, 64 };
	static const unsigned int factor[] = { 1, 1, 2, 2, 3, 3, 4, 4, 4 };
	bool ok = true;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cpus); i++) {
		unsigned int f = factor[i];

		sched_init_granularity(cpus[i]);
		if (sysctl_sched_latency != f * 6000000U ||
		    sysctl_sched_min_granularity != f * 750000U ||
		    sysctl_sched_wakeup_granularity != f * 1000000U) {
			tap_diag("%u CPUs: %u %u %u, want factor %u", cpus[i],
				 sysctl_sched_latency, sysctl_sched_min_granularity,
				 sysctl_sched_wakeup_granularity, f);
			ok = false;
		}
	}
	sched_init_granularity(1);
	TAP_OK(ok, "tunables scale by 1 + log2(min(CPUs, 8)) from 6 / 0.75 / 1 ms");
	TAP_OK(sysctl_sched_child_runs_first == 0, "child_runs_first is off");
}

int main(void)
{
	rnd_seed(0xfa12);
	test_tables();
	check_pair(0, 5, 1024.0 / 1359);
	check_pair(0, 1, 1024.0 / 1844);
	test_calc_delta_random();
	test_calc_delta_tables();
	test_granularity();
	return tap_done();
}
