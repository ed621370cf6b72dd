// SPDX-License-Identifier: MIT
/*
 * The stopper machinery (the first seed): work queued on a CPU's stopper runs at once,
 * whatever runs there; stop_machine holds every CPU in lock-step with IRQs off; affinity
 * changes race safely with wake-ups and exits.
 */
#include <asm/processor.h>
#include <asm/smp.h>
#include <kairos/atomic.h>
#include <kairos/delay.h>
#include <kairos/irq.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>
#include <kairos/sched.h>
#include <kairos/stop_machine.h>
#include <kairos/string.h>
#include <kairos/time.h>
#include <uapi/errno.h>

#include "../../kernel/sched/sched.h"

struct hog {
	atomic_t stop;
	atomic_t spinning;
};

static int hog_fn(void *arg)
{
	struct hog *h = arg;

	atomic_set_release(&h->spinning, 1);
	while (!atomic_read_acquire(&h->stop))
		cpu_relax();
	return 0;
}

struct stop_probe {
	unsigned int cpu;
	unsigned long ipis_at_run;
	struct task_struct *victim;
	bool victim_was_curr;
};

static int probe_fn(void *arg)
{
	struct stop_probe *p = arg;

	p->cpu = smp_processor_id();
	p->ipis_at_run = ipi_count(p->cpu, IPI_RESCHEDULE);
	p->victim_was_curr = current->sched_class == &stop_sched_class;
	return 42;
}

/* Keep the test on its CPU, so that it can watch another CPU it has handed over. */
static unsigned int pin_self(struct cpumask *saved)
{
	unsigned int me = task_cpu(current);
	struct cpumask one;

	cpumask_copy(saved, &current->cpus_mask);
	cpumask_clear(&one);
	cpumask_set_cpu(me, &one);
	set_cpus_allowed_ptr(current, &one);
	return me;
}

static unsigned int other_cpu(unsigned int me)
{
	return me == cpumask_first(&cpu_online_mask) ? cpumask_last(&cpu_online_mask) :
						      cpumask_first(&cpu_online_mask);
}

/*
 * A busy task of the given policy on another CPU; stop_one_cpu must preempt it at once,
 * not at a later tick. Waking the stopper sets the hog's need_resched and then sends the
 * reschedule IPI, whose return to the hog preempts it: so the IPI must have reached that
 * CPU before the stopper runs. (Counting ticks in between instead measured the host: a
 * vCPU the host holds off for a tick period takes the tick with the IPI.) Several
 * trials, so that a reschedule IPI sent there for some other reason cannot pass for it.
 */
#define STOP_TRIALS	5

static void stop_preempts(struct ktest_ctx *t, const struct sched_attr *attr)
{
	static struct hog h;
	struct task_struct *hog;
	struct cpumask saved;
	unsigned int cpu;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	cpu = other_cpu(pin_self(&saved));

	atomic_set(&h.stop, 0);
	atomic_set(&h.spinning, 0);
	hog = kthread_create_on_cpu(hog_fn, &h, cpu, "ktest-hog/%u");
	KTEST_EXPECT(t, !IS_ERR(hog));
	if (IS_ERR(hog))
		return;
	KTEST_EXPECT_EQ(t, sched_setattr(hog, attr), 0);
	wake_up_process(hog);
	while (!atomic_read_acquire(&h.spinning))
		msleep(1);
	for (int i = 0; i < STOP_TRIALS; i++) {
		struct stop_probe probe = { .cpu = ~0U };
		unsigned long ipis;

		/* Back on its CPU after the last trial (a deadline hog may sit out throttled). */
		KTEST_EXPECT(t, WAIT_FOR(cpu_curr(cpu) == hog));
		ipis = ipi_count(cpu, IPI_RESCHEDULE);
		KTEST_EXPECT_EQ(t, stop_one_cpu(cpu, probe_fn, &probe), 42);
		KTEST_EXPECT_EQ(t, probe.cpu, cpu);
		KTEST_EXPECT(t, probe.victim_was_curr);
		KTEST_EXPECT(t, probe.ipis_at_run > ipis);
	}
	KTEST_EXPECT(t, atomic_read(&h.stop) == 0);	/* the hog was still spinning */
	atomic_set_release(&h.stop, 1);
	kthread_stop(hog);
	set_cpus_allowed_ptr(current, &saved);
}

KTEST(stop_one_cpu_preempts_fifo99)
{
	struct sched_attr fifo = { .size = sizeof(fifo), .sched_policy = SCHED_FIFO,
				   .sched_priority = 99 };

	stop_preempts(t, &fifo);
}

KTEST(stop_one_cpu_preempts_deadline)
{
	struct sched_attr dl = {
		.size = sizeof(dl), .sched_policy = SCHED_DEADLINE,
		.sched_runtime = 9 * NSEC_PER_MSEC, .sched_deadline = 10 * NSEC_PER_MSEC,
		.sched_period = 10 * NSEC_PER_MSEC,
	};

	stop_preempts(t, &dl);
}

KTEST(stop_one_cpu_nowait_and_errors)
{
	static struct stop_probe probe;
	struct cpu_stop_work work;
	unsigned int cpu = cpumask_first(&cpu_online_mask);

	probe = (struct stop_probe){ .cpu = ~0U };
	KTEST_EXPECT(t, stop_one_cpu_nowait(cpu, probe_fn, &probe, &work));
	WAIT_FOR(READ_ONCE(probe.cpu) != ~0U);
	KTEST_EXPECT_EQ(t, READ_ONCE(probe.cpu), cpu);
	KTEST_EXPECT_EQ(t, stop_two_cpus(cpu, cpu, probe_fn, &probe), -EINVAL);
}

struct machine_probe {
	unsigned long irqs_before[NR_CPUS];
	unsigned long irqs_after[NR_CPUS];
	bool others_stopped;
	bool others_quiet;
	unsigned int ran_on;
	atomic_t runs;
};

/* Runs on one CPU while all others spin in the stop class with IRQs off. */
static int machine_fn(void *arg)
{
	struct machine_probe *m = arg;
	unsigned int cpu, this_cpu = smp_processor_id();
	u64 t0;

	atomic_inc_return(&m->runs);
	m->ran_on = this_cpu;
	m->others_stopped = true;
	for_each_online_cpu(cpu) {
		m->irqs_before[cpu] = irq_count(cpu);
		if (READ_ONCE(cpu_curr(cpu))->sched_class != &stop_sched_class)
			m->others_stopped = false;
	}
	/* Two ticks: a CPU with IRQs on would have taken its timer interrupt. */
	t0 = ktime_get_ns();
	while (ktime_get_ns() - t0 < 2 * TICK_NSEC)
		cpu_relax();
	m->others_quiet = true;
	for_each_online_cpu(cpu) {
		m->irqs_after[cpu] = irq_count(cpu);
		if (cpu != this_cpu && m->irqs_after[cpu] != m->irqs_before[cpu])
			m->others_quiet = false;
	}
	return 7;
}

KTEST(stop_machine_lock_step)
{
	static struct machine_probe m;
	struct cpumask one;

	memset(&m, 0, sizeof(m));
	KTEST_EXPECT_EQ(t, stop_machine(machine_fn, &m, NULL), 7);
	KTEST_EXPECT_EQ(t, atomic_read(&m.runs), 1);
	KTEST_EXPECT_EQ(t, m.ran_on, cpumask_first(&cpu_online_mask));
	KTEST_EXPECT(t, m.others_stopped);
	KTEST_EXPECT(t, m.others_quiet);
	/* On a chosen CPU. */
	memset(&m, 0, sizeof(m));
	cpumask_clear(&one);
	cpumask_set_cpu(cpumask_last(&cpu_online_mask), &one);
	KTEST_EXPECT_EQ(t, stop_machine(machine_fn, &m, &one), 7);
	KTEST_EXPECT_EQ(t, m.ran_on, cpumask_last(&cpu_online_mask));
	KTEST_EXPECT(t, m.others_quiet);
}

KTEST(stop_two_cpus_lock_step)
{
	static struct machine_probe m;
	unsigned int a = cpumask_first(&cpu_online_mask), b = cpumask_last(&cpu_online_mask);

	if (a == b) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	memset(&m, 0, sizeof(m));
	KTEST_EXPECT_EQ(t, stop_two_cpus(a, b, machine_fn, &m), 7);
	KTEST_EXPECT_EQ(t, m.ran_on, a);
	KTEST_EXPECT_EQ(t, atomic_read(&m.runs), 1);
	/* b spun with IRQs off while fn ran on a. */
	KTEST_EXPECT_EQ(t, m.irqs_after[b], m.irqs_before[b]);
}

struct blocker {
	atomic_t entered;
	atomic_t release;
};

static int blocking_fn(void *arg)
{
	struct blocker *b = arg;

	atomic_inc_return(&b->entered);
	while (!atomic_read_acquire(&b->release))
		cpu_relax();
	return 0;
}

struct blocker_req {
	struct blocker *b;
	unsigned int cpu;
};

static int stop_cpus_thread(void *arg)
{
	struct blocker_req *req = arg;
	struct cpumask one;

	cpumask_clear(&one);
	cpumask_set_cpu(req->cpu, &one);
	return stop_cpus(&one, blocking_fn, req->b);
}

static int nop_fn(void *arg)
{
	return 0;
}

/*
 * While a stop_cpus is in progress, try_stop_cpus gives up with -EAGAIN. The blocked
 * stopper holds its CPU, so this test pins itself to another one meanwhile.
 */
KTEST(try_stop_cpus_contended)
{
	static struct blocker b;
	static struct blocker_req req;
	struct cpumask one, saved;
	struct task_struct *th;
	unsigned int me;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	me = pin_self(&saved);
	cpumask_clear(&one);
	cpumask_set_cpu(me, &one);
	atomic_set(&b.entered, 0);
	atomic_set(&b.release, 0);
	req.b = &b;
	req.cpu = other_cpu(me);
	th = kthread_run(stop_cpus_thread, &req, "ktest-stopcpus");
	KTEST_EXPECT(t, !IS_ERR(th));
	if (IS_ERR(th))
		return;
	get_task_struct(th);
	while (!atomic_read_acquire(&b.entered))
		msleep(1);
	KTEST_EXPECT_EQ(t, try_stop_cpus(&one, nop_fn, NULL), -EAGAIN);
	atomic_set_release(&b.release, 1);
	KTEST_EXPECT_EQ(t, kthread_stop(th), 0);
	put_task_struct(th);
	KTEST_EXPECT_EQ(t, try_stop_cpus(&one, nop_fn, NULL), 0);
	set_cpus_allowed_ptr(current, &saved);
}

/*
 * Affinity storm: workers sleep and wake constantly; shufflers keep changing their masks
 * and check, each time set_cpus_allowed_ptr returns, that a runnable worker sits on an
 * allowed CPU; workers also come and go (exit and are replaced).
 */
#define STORM_WORKERS	8
#define STORM_CHANGES	400

struct storm {
	spinlock_t lock;		/* workers[] changes while shufflers read it */
	struct task_struct *workers[STORM_WORKERS];
	atomic_t violations;
	atomic_t changes;
	atomic_t worker_rounds;
	atomic_t shufflers_started;
};

static int storm_worker(void *arg)
{
	struct storm *s = arg;

	while (!kthread_should_stop()) {
		atomic_inc(&s->worker_rounds);
		if (atomic_read(&s->worker_rounds) & 1)
			schedule_timeout_uninterruptible(1);
		else
			do_sched_yield();
	}
	return 0;
}

struct shuffler {
	struct storm *s;
	unsigned int first;		/* owns workers first, first + SHUFFLERS, ... */
};

#define SHUFFLERS	(STORM_WORKERS / 2)

/* Only this shuffler changes its workers' masks, so each check sees its own change. */
static int storm_shuffler(void *arg)
{
	struct shuffler *sh = arg;
	struct storm *s = sh->s;
	u64 rng = 0x9e3779b97f4a7c15UL * (sh->first + 1);

	atomic_inc(&s->shufflers_started);
	for (int i = 0; i < STORM_CHANGES; i++) {
		struct task_struct *p;
		struct cpumask mask;
		unsigned long flags;
		unsigned int cpu;

		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		cpumask_clear(&mask);
		for_each_online_cpu(cpu)
			if ((rng >> cpu) & 1)
				cpumask_set_cpu(cpu, &mask);
		if (cpumask_empty(&mask))
			cpumask_set_cpu(cpumask_first(&cpu_online_mask), &mask);
		spin_lock_irqsave(&s->lock, flags);
		p = s->workers[sh->first + SHUFFLERS * ((rng >> 32) % (STORM_WORKERS / SHUFFLERS))];
		get_task_struct(p);
		spin_unlock_irqrestore(&s->lock, flags);
		if (set_cpus_allowed_ptr(p, &mask))
			atomic_inc(&s->violations);
		spin_lock_irqsave(&p->pi_lock, flags);
		if (READ_ONCE(p->on_rq) && !cpumask_test_cpu(task_cpu(p), &mask))
			atomic_inc(&s->violations);
		spin_unlock_irqrestore(&p->pi_lock, flags);
		put_task_struct(p);
		atomic_inc(&s->changes);
	}
	return 0;
}

/* A worker stopped before it first ran never runs its function: -EINTR, as in Linux. */
static void stop_worker(struct ktest_ctx *t, struct task_struct *p)
{
	int ret = kthread_stop(p);

	KTEST_EXPECT(t, ret == 0 || ret == -EINTR);
}

KTEST(affinity_storm)
{
	static struct storm s;
	static struct shuffler sh[SHUFFLERS];
	struct task_struct *shufflers[SHUFFLERS];
	unsigned int n_shufflers = SHUFFLERS;

	memset(&s, 0, sizeof(s));
	spin_lock_init(&s.lock);
	for (int i = 0; i < STORM_WORKERS; i++) {
		s.workers[i] = kthread_run(storm_worker, &s, "ktest-storm");
		KTEST_EXPECT(t, !IS_ERR(s.workers[i]));
		if (IS_ERR(s.workers[i]))
			return;
	}
	for (unsigned int i = 0; i < n_shufflers; i++) {
		sh[i] = (struct shuffler){ .s = &s, .first = i };
		shufflers[i] = kthread_create(storm_shuffler, &sh[i], "ktest-shuffle");
		KTEST_EXPECT(t, !IS_ERR(shufflers[i]));
		if (IS_ERR(shufflers[i]))
			return;
		/* Held before it runs: it may finish its changes and exit at once. */
		get_task_struct(shufflers[i]);
		wake_up_process(shufflers[i]);
	}
	/*
	 * Workers exit and are replaced while the storm goes on. Every shuffler must have
	 * started before it is stopped below: one the host kept off its vCPU until then
	 * would never run its function (-EINTR), while the others made half the changes.
	 */
	while (atomic_read(&s.changes) < (int)(n_shufflers * STORM_CHANGES) / 2 ||
	       atomic_read(&s.shufflers_started) < (int)n_shufflers)
		msleep(2);
	for (int i = 0; i < STORM_WORKERS; i += 2) {
		struct task_struct *old, *new = kthread_run(storm_worker, &s, "ktest-storm");
		unsigned long flags;

		KTEST_EXPECT(t, !IS_ERR(new));
		if (IS_ERR(new))
			break;
		spin_lock_irqsave(&s.lock, flags);
		old = s.workers[i];
		s.workers[i] = new;
		spin_unlock_irqrestore(&s.lock, flags);
		stop_worker(t, old);
	}
	for (unsigned int i = 0; i < n_shufflers; i++) {
		KTEST_EXPECT_EQ(t, kthread_stop(shufflers[i]), 0);
		put_task_struct(shufflers[i]);
	}
	for (int i = 0; i < STORM_WORKERS; i++)
		stop_worker(t, s.workers[i]);
	KTEST_EXPECT_EQ(t, atomic_read(&s.violations), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&s.changes), (int)(n_shufflers * STORM_CHANGES));
	KTEST_EXPECT(t, atomic_read(&s.worker_rounds) > STORM_WORKERS);
}
