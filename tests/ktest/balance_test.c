// SPDX-License-Identifier: MIT
/*
 * Softirqs and the load balancer in the kernel: where and in what context softirqs run,
 * that SCHED_SOFTIRQ balances every busy CPU, placement of a woken task, spreading of CPU hogs
 * stacked on one CPU, pinned tasks staying put, and the stopper pushing a running task.
 * (Balancing policy over long runs — fairness, 64 CPUs — is tested in schedsim.)
 */
#include <asm/processor.h>
#include <kairos/atomic.h>
#include <kairos/delay.h>
#include <kairos/hrtimer.h>
#include <kairos/interrupt.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>
#include <kairos/printk.h>
#include <kairos/sched.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>
#include <kairos/time.h>

#include "../../kernel/sched/sched.h"

#define MAX_HOGS	(2 * NR_CPUS)

/* What one run of the test softirq saw. */
struct softirq_probe {
	atomic_t runs;			/* so far */
	int reraise_until;		/* raise again until this many runs */
	atomic_t in_irq_exit;		/* runs in an interrupted context */
	bool first_in_irq_exit;
	atomic_t in_ksoftirqd;		/* runs in ksoftirqd/N of the raising CPU */
	atomic_t bad_context;		/* not softirq context, in hardirq, or IRQs off */
	atomic_t wrong_cpu;
	unsigned int cpu;		/* where it was raised */
};

static struct softirq_probe sp;

static bool is_ksoftirqd(struct task_struct *p, unsigned int cpu)
{
	char name[TASK_COMM_LEN];

	snprintf(name, sizeof(name), "ksoftirqd/%u", cpu);
	return !strcmp(p->comm, name);
}

static void test_softirq_action(struct softirq_action *h)
{
	unsigned int cpu = smp_processor_id();

	if (!in_softirq() || in_irq() || irqs_disabled())
		atomic_inc(&sp.bad_context);
	if (cpu != sp.cpu)
		atomic_inc(&sp.wrong_cpu);
	if (is_ksoftirqd(current, cpu)) {
		atomic_inc(&sp.in_ksoftirqd);
	} else {
		if (!atomic_read(&sp.runs))
			sp.first_in_irq_exit = true;
		atomic_inc(&sp.in_irq_exit);
	}
	if (atomic_inc_return(&sp.runs) < sp.reraise_until)
		raise_softirq(HI_SOFTIRQ);
}

struct irq_raiser {
	struct hrtimer timer;
	atomic_t fired;
	bool hardirq_context;
};

static enum hrtimer_restart raise_from_irq(struct hrtimer *timer)
{
	struct irq_raiser *r = container_of(timer, struct irq_raiser, timer);

	r->hardirq_context = in_irq() && in_interrupt() && hardirq_count() == HARDIRQ_OFFSET &&
			     !in_softirq();
	raise_softirq(HI_SOFTIRQ);
	atomic_set_release(&r->fired, 1);
	return HRTIMER_NORESTART;
}

/* Raise HI_SOFTIRQ from an hrtimer interrupt on this CPU; wait until it has run `runs`
 * times. */
static void raise_in_irq_and_wait(struct ktest_ctx *t, int runs)
{
	static struct irq_raiser r;
	u64 t0 = ktime_get_ns();

	memset(&sp, 0, sizeof(sp));
	sp.reraise_until = runs;
	r = (struct irq_raiser){ .hardirq_context = false };
	hrtimer_init(&r.timer, raise_from_irq);
	preempt_disable();		/* the timer fires on the CPU that armed it */
	sp.cpu = smp_processor_id();
	hrtimer_start(&r.timer, ktime_get_ns() + NSEC_PER_MSEC);
	preempt_enable();
	/* Bounds here are for liveness only: generous, as host load can delay vCPUs. */
	while (atomic_read_acquire(&sp.runs) < runs && ktime_get_ns() - t0 < 10 * NSEC_PER_SEC)
		msleep(1);
	KTEST_EXPECT(t, atomic_read_acquire(&r.fired));
	KTEST_EXPECT(t, r.hardirq_context);
	KTEST_EXPECT_EQ(t, atomic_read(&sp.runs), runs);
	KTEST_EXPECT_EQ(t, atomic_read(&sp.bad_context), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&sp.wrong_cpu), 0);
}

/*
 * A softirq raised in an interrupt runs at its irq_exit, on that CPU, in softirq context
 * with IRQs on (raised again, again there, unless a reschedule is pending); one that keeps
 * raising itself is served there at most 10 times, then by ksoftirqd; one raised from a
 * task is served by ksoftirqd.
 */
KTEST(softirq_contexts_and_ksoftirqd)
{
	unsigned int in_irq_exit;

	KTEST_EXPECT(t, !in_interrupt() && !in_irq() && !in_softirq());
	open_softirq(HI_SOFTIRQ, test_softirq_action);

	raise_in_irq_and_wait(t, 3);
	KTEST_EXPECT(t, sp.first_in_irq_exit);
	KTEST_EXPECT_EQ(t, atomic_read(&sp.in_irq_exit) + atomic_read(&sp.in_ksoftirqd), 3);

	raise_in_irq_and_wait(t, 200);
	KTEST_EXPECT(t, sp.first_in_irq_exit);
	in_irq_exit = atomic_read(&sp.in_irq_exit);
	if (in_irq_exit < 1 || in_irq_exit > 10)
		ktest_fail(t, __FILE__, __LINE__, "%u runs at irq_exit, want 1 to 10", in_irq_exit);
	KTEST_EXPECT_EQ(t, atomic_read(&sp.in_ksoftirqd), 200 - in_irq_exit);

	memset(&sp, 0, sizeof(sp));
	sp.reraise_until = 1;
	preempt_disable();
	sp.cpu = smp_processor_id();
	raise_softirq(HI_SOFTIRQ);
	preempt_enable();
	WAIT_FOR(atomic_read_acquire(&sp.runs));
	KTEST_EXPECT_EQ(t, atomic_read(&sp.runs), 1);
	KTEST_EXPECT_EQ(t, atomic_read(&sp.bad_context), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&sp.wrong_cpu), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&sp.in_ksoftirqd), 1);
}

struct hog {
	atomic_t *stop;
	atomic_t ran;
	unsigned int first_cpu;
};

static int hog_fn(void *arg)
{
	struct hog *h = arg;

	h->first_cpu = smp_processor_id();
	atomic_set_release(&h->ran, 1);
	while (!atomic_read_acquire(h->stop))
		cpu_relax();
	return 0;
}

struct hogs {
	atomic_t stop;
	unsigned int n;
	struct hog hog[MAX_HOGS];
	struct task_struct *task[MAX_HOGS];
};

static void cpumask_one(struct cpumask *mask, unsigned int cpu)
{
	cpumask_clear(mask);
	cpumask_set_cpu(cpu, mask);
}

/* n more hogs of a fair policy, allowed on mask only, woken; false if one failed. */
static bool start_hogs(struct ktest_ctx *t, struct hogs *hs, unsigned int n,
		       const struct cpumask *mask, int policy, int nice)
{
	struct sched_param param = { .sched_priority = 0 };

	for (unsigned int end = hs->n + n; hs->n < end; hs->n++) {
		struct hog *h = &hs->hog[hs->n];
		struct task_struct *p;

		*h = (struct hog){ .stop = &hs->stop };
		p = kthread_create(hog_fn, h, "ktest-hog%u", hs->n);
		KTEST_EXPECT(t, !IS_ERR(p));
		if (IS_ERR(p))
			return false;
		get_task_struct(p);
		hs->task[hs->n] = p;
		KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(p, mask), 0);
		KTEST_EXPECT_EQ(t, sched_setscheduler(p, policy, &param), 0);
		set_user_nice(p, nice);
		wake_up_process(p);
	}
	return true;
}

static void stop_hogs(struct hogs *hs)
{
	atomic_set_release(&hs->stop, 1);
	for (unsigned int i = 0; i < hs->n; i++) {
		kthread_stop(hs->task[i]);
		put_task_struct(hs->task[i]);
	}
	hs->n = 0;
	atomic_set(&hs->stop, 0);
}

/*
 * Every busy CPU's tick raises SCHED_SOFTIRQ at least once per longest balance interval
 * (0.1 s per CPU); one CPU has no domain and never does. (An idle CPU stops its tick
 * and balances only when kicked: nohz_test.c.)
 */
KTEST(sched_softirq_runs_on_every_busy_cpu)
{
	static struct hogs hs;
	unsigned int before[NR_CPUS], cpu;
	struct cpumask one;

	for_each_online_cpu(cpu) {
		cpumask_one(&one, cpu);
		if (!start_hogs(t, &hs, 1, &one, SCHED_NORMAL, 0))
			goto out;
	}
	msleep(20);
	for_each_online_cpu(cpu)
		before[cpu] = kstat_softirqs_cpu(SCHED_SOFTIRQ, cpu);
	msleep(100 * num_online_cpus() + 100);
	for_each_online_cpu(cpu) {
		unsigned int runs = kstat_softirqs_cpu(SCHED_SOFTIRQ, cpu) - before[cpu];

		if (num_online_cpus() == 1)
			KTEST_EXPECT_EQ(t, runs, 0);
		else if (!runs)
			ktest_fail(t, __FILE__, __LINE__, "no balancing on CPU %u", cpu);
	}
out:
	stop_hogs(&hs);
}

/* Long enough for 20 passes of a busy CPU's balancer at its longest interval. */
static u64 balance_bound_ns(void)
{
	struct sched_domain *sd = cpu_rq(0)->sd;

	return 20ULL * sd->max_interval * sd->busy_factor * NSEC_PER_MSEC;
}

static unsigned int hogs_on(struct hogs *hs, unsigned int cpu)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < hs->n; i++)
		n += task_cpu(hs->task[i]) == cpu;
	return n;
}

static bool needs_smp(struct ktest_ctx *t)
{
	if (num_online_cpus() > 1)
		return true;
	ktest_skip(t, "one CPU: nothing to balance");
	return false;
}

/*
 * 2 hogs per CPU, all pinned to CPU 0, then allowed everywhere: the balancer spreads them
 * to 2 per CPU within 20 balance intervals.
 */
KTEST(balance_spreads_hogs_from_one_cpu)
{
	static struct hogs hs;
	unsigned int ncpus = num_online_cpus(), cpu, worst = 0;
	struct cpumask cpu0;
	u64 t0, bound;

	if (!needs_smp(t))
		return;
	bound = balance_bound_ns();
	cpumask_one(&cpu0, 0);
	if (!start_hogs(t, &hs, 2 * ncpus, &cpu0, SCHED_NORMAL, 0))
		goto out;
	msleep(20);
	KTEST_EXPECT_EQ(t, hogs_on(&hs, 0), hs.n);
	for (unsigned int i = 0; i < hs.n; i++)
		KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(hs.task[i], &cpu_online_mask), 0);

	t0 = ktime_get_ns();
	do {
		msleep(10);
		worst = 0;
		for_each_online_cpu(cpu)
			worst = max(worst, hogs_on(&hs, cpu));
	} while (worst > 2 && ktime_get_ns() - t0 < bound);
	printk("ktest: %u hogs spread to at most %u per CPU in %lu ms (bound %lu ms)\n",
	       hs.n, worst, (unsigned long)((ktime_get_ns() - t0) / NSEC_PER_MSEC),
	       (unsigned long)(bound / NSEC_PER_MSEC));
	if (worst > 2)
		ktest_fail(t, __FILE__, __LINE__, "still %u hogs on one CPU", worst);
out:
	stop_hogs(&hs);
}

/*
 * Hogs pinned to the last CPU never leave it while the balancer, which moves an unpinned
 * hog queued with them, looks at them for 20 idle balance intervals (at least 200 ms).
 */
KTEST(balance_leaves_pinned_tasks)
{
	static struct hogs hs;
	unsigned int last = cpumask_last(&cpu_online_mask), pinned;
	u64 migrations[MAX_HOGS], t0, watch;
	struct cpumask one;
	bool moved = false;

	if (!needs_smp(t))
		return;
	watch = max(20ULL * cpu_rq(0)->sd->max_interval, 200ULL) * NSEC_PER_MSEC;
	cpumask_one(&one, last);
	if (!start_hogs(t, &hs, 4, &one, SCHED_NORMAL, 0))
		goto out;
	pinned = hs.n - 1;
	msleep(20);
	for (unsigned int i = 0; i < hs.n; i++)
		migrations[i] = READ_ONCE(hs.task[i]->se.nr_migrations);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(hs.task[pinned], &cpu_online_mask), 0);

	/* Watch the pinned ones for the whole window, and longer until the freed one moves:
	 * with more vCPUs than host cores a balance pass can come late, but it must come. */
	t0 = ktime_get_ns();
	while (ktime_get_ns() - t0 < watch ||
	       (!moved && ktime_get_ns() - t0 < 10 * NSEC_PER_SEC)) {
		for (unsigned int i = 0; i < pinned; i++)
			if (task_cpu(hs.task[i]) != last)
				ktest_fail(t, __FILE__, __LINE__, "pinned hog %u on CPU %u", i,
					   task_cpu(hs.task[i]));
		moved |= task_cpu(hs.task[pinned]) != last;
		msleep(5);
	}
	for (unsigned int i = 0; i < pinned; i++)
		KTEST_EXPECT_EQ(t, READ_ONCE(hs.task[i]->se.nr_migrations), migrations[i]);
	KTEST_EXPECT(t, moved);
out:
	stop_hogs(&hs);
}

static int duty_fn(void *arg)
{
	struct hog *h = arg;

	atomic_set_release(&h->ran, 1);
	while (!atomic_read_acquire(h->stop)) {
		u64 t0 = ktime_get_ns();

		while (ktime_get_ns() - t0 < 4 * NSEC_PER_MSEC)
			cpu_relax();
		msleep(4);
	}
	return 0;
}

/*
 * The median of n samples of p's load, 10 ms apart. The host may stall an emulated CPU
 * for a hundred milliseconds: a stall while p runs or sleeps swings one sample to
 * nearly 1024 or 0, not the median.
 */
static unsigned long median_load(struct task_struct *p, unsigned int n)
{
	unsigned long v[16];

	n = min(n, (unsigned int)ARRAY_SIZE(v));
	for (unsigned int i = 0; i < n; i++) {
		unsigned long x = READ_ONCE(p->se.avg.load_avg);
		unsigned int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
		msleep(10);
	}
	return v[n / 2];
}

/*
 * PELT: an always-runnable nice-0 task's load tends to 1024, its queue's with it; one
 * runnable about half the time (4 ms on, 4-8 ms asleep) settles in between.
 */
KTEST(pelt_load_follows_runnable_time)
{
	static struct hogs hs;
	static struct hog duty;
	unsigned int last = cpumask_last(&cpu_online_mask);
	struct task_struct *d;
	unsigned long load, rq_load, duty_load;
	struct cpumask one;

	cpumask_one(&one, last);
	if (!start_hogs(t, &hs, 1, &one, SCHED_NORMAL, 0))
		goto out;
	duty = (struct hog){ .stop = &hs.stop };
	d = kthread_create(duty_fn, &duty, "ktest-duty");
	KTEST_EXPECT(t, !IS_ERR(d));
	if (IS_ERR(d))
		goto out;
	get_task_struct(d);
	cpumask_one(&one, cpumask_first(&cpu_online_mask));
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(d, &one), 0);
	wake_up_process(d);
	msleep(400);		/* 12 half-lives */
	load = READ_ONCE(hs.task[0]->se.avg.load_avg);
	rq_load = READ_ONCE(cpu_rq(last)->cfs.avg.load_avg);
	/*
	 * The host can hold a vCPU off for longer than the 150 ms of samples: the task stays
	 * runnable, or asleep (its timer late), throughout, and every sample moves the same
	 * way. Such a window is measured again a second later, when the load has followed
	 * the duty cycle again, up to six times. Broken PELT fails all six.
	 */
	for (int i = 0; i < 6; i++) {
		duty_load = median_load(d, 15);
		if (duty_load >= 200 && duty_load <= 800)
			break;
		printk("ktest: half-time task's load %lu, again in 1 s\n", duty_load);
		msleep(1000);
	}
	atomic_set_release(&hs.stop, 1);
	kthread_stop(d);
	put_task_struct(d);
	printk("ktest: PELT loads: hog %lu, its queue %lu, half-time task %lu\n", load, rq_load,
	       duty_load);
	if (load < 950 || load > 1024)
		ktest_fail(t, __FILE__, __LINE__, "hog load %lu, want 950..1024", load);
	if (last != cpumask_first(&cpu_online_mask) && (rq_load < load - 50 || rq_load > load + 50))
		ktest_fail(t, __FILE__, __LINE__, "its queue's load %lu, want %lu +- 50", rq_load,
			   load);
	if (duty_load < 200 || duty_load > 800)
		ktest_fail(t, __FILE__, __LINE__, "half-time task's load %lu, want 200..800",
			   duty_load);
out:
	stop_hogs(&hs);
}

/* Stop works of active balances that have run, on every CPU's behalf. */
static unsigned int active_balances_run(void)
{
	unsigned int cpu, n = 0;
	struct sched_domain *sd;

	for_each_online_cpu(cpu)
		for_each_domain(cpu, sd)
			n += READ_ONCE(sd->alb_count);
	return n;
}

/*
 * A hog that never stops running on its CPU, queued with a pinned SCHED_IDLE task that
 * does not get to run beside it (nice -20 against weight 3: once every two minutes): when
 * the hog may also run on CPU 0, a balance pass there that has failed often enough
 * already cannot detach it (it runs) and must have the stopper push it.
 *
 * The pass is made here, on CPU 0, at once: left to the periodic balancer, the hog could
 * also be pulled the ordinary way in an instant some kthread preempts it there (after two
 * failures the cache-hot test no longer holds it). The stopper preempting it opens the
 * same window, so CPU 0 may take it before the push does: either way it moves, and only
 * because the stopper ran. (schedsim tests the periodic path.)
 */
KTEST(balance_active_pushes_running_hog)
{
	static struct hogs hs;
	unsigned int last = cpumask_last(&cpu_online_mask), stops;
	struct task_struct *hog, *idler;
	struct cpumask one, saved, cpu0, both;
	struct sched_domain *sd;
	unsigned long flags;
	u64 t0, migrations;

	if (!needs_smp(t))
		return;
	cpumask_copy(&saved, &current->cpus_mask);
	cpumask_one(&cpu0, 0);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &cpu0), 0);
	cpumask_one(&one, last);
	/* The idler runs alone first, so that its vruntime is far ahead of the hog's. */
	if (!start_hogs(t, &hs, 1, &one, SCHED_IDLE, 0))
		goto out;
	idler = hs.task[0];
	WAIT_FOR(atomic_read_acquire(&hs.hog[0].ran));
	KTEST_EXPECT(t, atomic_read_acquire(&hs.hog[0].ran));
	if (!start_hogs(t, &hs, 1, &one, SCHED_NORMAL, -20))
		goto out;
	hog = hs.task[1];
	/* Its last turn comes at the hog's first slice end at the latest. */
	msleep(100);
	KTEST_EXPECT_EQ(t, task_cpu(hog), last);

	stops = active_balances_run();
	migrations = READ_ONCE(hog->se.nr_migrations);
	cpumask_or(&both, &one, &cpu0);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(hog, &both), 0);
	local_irq_save(flags);		/* CPU 0's own balancing waits meanwhile */
	sd = this_rq()->sd;
	sd->nr_balance_failed = sd->cache_nice_tries + 2;
	KTEST_EXPECT_EQ(t, load_balance(0, this_rq(), sd, CPU_NOT_IDLE), 0);
	local_irq_restore(flags);
	t0 = ktime_get_ns();
	while ((READ_ONCE(hog->se.nr_migrations) == migrations || active_balances_run() == stops) &&
	       ktime_get_ns() - t0 < 10 * NSEC_PER_SEC)
		msleep(1);
	/* CPU 0 may give it back later, since we run there too: no check of where it is. */
	KTEST_EXPECT(t, READ_ONCE(hog->se.nr_migrations) > migrations);
	KTEST_EXPECT(t, active_balances_run() > stops);
	KTEST_EXPECT_EQ(t, task_cpu(idler), last);
out:
	stop_hogs(&hs);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &saved), 0);
}

/*
 * Placement: with two hogs on every other CPU, a new thread woken from CPU 0 starts on
 * CPU 0, the least loaded, wherever it was created.
 */
KTEST(wakeup_goes_to_least_loaded_cpu)
{
	static struct hogs hs;
	static atomic_t stop;
	static struct hog probe;
	struct cpumask saved, cpu0;
	struct task_struct *p;
	unsigned int cpu;

	if (!needs_smp(t))
		return;
	for_each_online_cpu(cpu) {
		struct cpumask one;

		if (!cpu)
			continue;
		cpumask_one(&one, cpu);
		if (!start_hogs(t, &hs, 2, &one, SCHED_NORMAL, 0))
			goto out;
	}
	cpumask_copy(&saved, &current->cpus_mask);
	cpumask_one(&cpu0, 0);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &cpu0), 0);
	msleep(50);

	atomic_set(&stop, 1);
	probe = (struct hog){ .stop = &stop };
	p = kthread_create(hog_fn, &probe, "ktest-probe");
	KTEST_EXPECT(t, !IS_ERR(p));
	if (!IS_ERR(p)) {
		get_task_struct(p);	/* it ends by itself, maybe before kthread_stop */
		wake_up_process(p);
		/* Stopped before it ran, it would never run hog_fn. */
		WAIT_FOR(atomic_read_acquire(&probe.ran));
		kthread_stop(p);
		put_task_struct(p);
		KTEST_EXPECT(t, atomic_read_acquire(&probe.ran));
		KTEST_EXPECT_EQ(t, probe.first_cpu, 0);
	}
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(current, &saved), 0);
out:
	stop_hogs(&hs);
}
