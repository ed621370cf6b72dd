// SPDX-License-Identifier: MIT
/*
 * RT placement, push and pull on a real SMP machine: the most important runnable RT
 * tasks are the ones running, each on a CPU it may use; pinned tasks stay in their mask;
 * a woken RT task goes where it runs at once rather than queue behind a busier one.
 *
 * The state is read from a stop_machine callback: every CPU is held in its stopper with
 * IRQs off, so the run queues cannot change while they are read, and the stopper, in a
 * class above RT, leaves each CPU's RT tasks queued as they were (the one that was
 * running first in its list). A CPU whose RT time is throttled is left out: its RT tasks
 * wait for its period to end, by design.
 */
#include <asm/processor.h>
#include <kairos/atomic.h>
#include <kairos/delay.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>
#include <kairos/sched.h>
#include <kairos/smp.h>
#include <kairos/stop_machine.h>
#include <kairos/string.h>

#include "../../kernel/sched/sched.h"

#define MAX_SPINNERS	(2 * 8 + 1)	/* more than CPUs, up to -smp 8 */
#define SNAP_MAX	24		/* RT tasks recorded per CPU */
#define SNAPSHOTS	8

struct spinner {
	struct task_struct *task;
	int prio;			/* task->prio: lower is more important */
	struct cpumask mask;
	unsigned long ran_on;		/* a bit for each CPU it was seen running on */
	atomic_t *stop;
};

struct rt_snap {
	unsigned int nr[NR_CPUS];
	bool throttled[NR_CPUS];
	bool overflow;
	struct {
		char comm[TASK_COMM_LEN];
		int prio;
		struct cpumask mask;
	} t[NR_CPUS][SNAP_MAX];		/* by priority: [0] runs (or would, first) */
};

static int spin_fn(void *arg)
{
	struct spinner *s = arg;

	while (!atomic_read_acquire(s->stop))
		s->ran_on |= 1UL << smp_processor_id();
	return 0;
}

/* Every CPU's RT queue, in priority order (stop_machine callback: all CPUs held). */
static int snapshot_fn(void *data)
{
	struct rt_snap *snap = data;
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct rq *rq = cpu_rq(cpu);
		struct rt_prio_array *array = &rq->rt.active;
		struct sched_rt_entity *rt_se;
		unsigned int idx, n = 0;

		rq_lock(rq);
		snap->throttled[cpu] = rq->rt.rt_throttled;
		for_each_set_bit(idx, array->bitmap, MAX_RT_PRIO) {
			list_for_each_entry(rt_se, &array->queue[idx], run_list) {
				struct task_struct *p = container_of(rt_se, struct task_struct, rt);

				if (n == SNAP_MAX) {
					snap->overflow = true;
					break;
				}
				memcpy(snap->t[cpu][n].comm, p->comm, TASK_COMM_LEN);
				snap->t[cpu][n].prio = p->prio;
				cpumask_copy(&snap->t[cpu][n].mask, &p->cpus_mask);
				n++;
			}
		}
		snap->nr[cpu] = n;
		rq_unlock(rq);
	}
	return 0;
}

/*
 * No RT task waits while a less important one (or none) runs on another CPU it may use.
 * False if a throttled CPU made the snapshot unfit for the all-CPU checks.
 */
static bool check_snapshot(struct ktest_ctx *t, const struct rt_snap *s)
{
	bool whole = true;
	unsigned int c, d;

	KTEST_EXPECT(t, !s->overflow);
	for_each_online_cpu(c) {
		if (s->throttled[c]) {
			whole = false;
			continue;
		}
		for (unsigned int j = 1; j < s->nr[c]; j++) {
			for_each_cpu_and(d, &s->t[c][j].mask, &cpu_online_mask) {
				if (d == c || s->throttled[d])
					continue;
				if (!s->nr[d] || s->t[d][0].prio > s->t[c][j].prio) {
					ktest_fail(t, __FILE__, __LINE__,
						   "%s (prio %d) waits on cpu%u while cpu%u runs %s",
						   s->t[c][j].comm, s->t[c][j].prio, c, d,
						   s->nr[d] ? s->t[d][0].comm : "no RT task");
					return whole;
				}
			}
		}
	}
	return whole;
}

/* Keep the test on its CPU at FIFO 99 so that it can watch over RT tasks hogging all. */
static void observer_begin(struct cpumask *saved)
{
	struct sched_param fifo99 = { .sched_priority = MAX_RT_PRIO - 1 };
	struct cpumask one;

	cpumask_copy(saved, &current->cpus_mask);
	cpumask_clear(&one);
	cpumask_set_cpu(smp_processor_id(), &one);
	set_cpus_allowed_ptr(current, &one);
	sched_setscheduler_nocheck(current, SCHED_FIFO, &fifo99);
}

static void observer_end(const struct cpumask *saved)
{
	struct sched_param normal = { .sched_priority = 0 };

	sched_setscheduler_nocheck(current, SCHED_NORMAL, &normal);
	set_cpus_allowed_ptr(current, saved);
}

static bool start_spinners(struct ktest_ctx *t, struct spinner *sp, int n)
{
	for (int i = 0; i < n; i++) {
		struct sched_param param = { .sched_priority = MAX_RT_PRIO - 1 - sp[i].prio };

		sp[i].task = kthread_create(spin_fn, &sp[i], "ktest-rt/%d", i);
		KTEST_EXPECT(t, !IS_ERR(sp[i].task));
		if (IS_ERR(sp[i].task)) {
			atomic_set_release(sp[i].stop, 1);
			while (i--) {
				kthread_stop(sp[i].task);
				put_task_struct(sp[i].task);
			}
			return false;
		}
		get_task_struct(sp[i].task);	/* it may exit before kthread_stop */
		KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(sp[i].task, &sp[i].mask), 0);
		KTEST_EXPECT_EQ(t, sched_setscheduler_nocheck(sp[i].task, SCHED_FIFO, &param), 0);
	}
	for (int i = 0; i < n; i++)
		wake_up_process(sp[i].task);
	return true;
}

static void stop_spinners(struct spinner *sp, int n)
{
	atomic_set_release(sp[0].stop, 1);
	for (int i = 0; i < n; i++) {
		kthread_stop(sp[i].task);
		put_task_struct(sp[i].task);
	}
}

/*
 * Snapshots while n spinners run and the observer wakes now and then on its CPU (each
 * time preempting a spinner there, which must be pushed on). If all, the tops of the
 * CPUs must be exactly the most important spinners. Returns the snapshots that saw no
 * throttled CPU.
 */
static int watch(struct ktest_ctx *t, struct spinner *sp, int n, bool all)
{
	static struct rt_snap snap;
	unsigned int ncpus = num_online_cpus(), cpu;
	int whole = 0;

	for (int k = 0; k < SNAPSHOTS && !t->failed; k++) {
		msleep(20);
		memset(&snap, 0, sizeof(snap));
		stop_machine(snapshot_fn, &snap, NULL);
		if (!check_snapshot(t, &snap))
			continue;
		whole++;
		if (!all)
			continue;
		/* prio p (lower is better) is among the ncpus best iff fewer than ncpus beat it. */
		for_each_online_cpu(cpu) {
			int better = 0;

			KTEST_EXPECT(t, snap.nr[cpu] > 0);
			if (!snap.nr[cpu])
				break;
			for (int i = 0; i < n; i++)
				better += sp[i].prio < snap.t[cpu][0].prio;
			KTEST_EXPECT(t, better < (int)ncpus);
		}
	}
	return whole;
}

/* 2N + 1 spinners of distinct priorities on N CPUs: the N best run, the others wait. */
KTEST(rt_smp_most_important_run)
{
	static struct spinner sp[MAX_SPINNERS];
	int n = min(2 * (int)num_online_cpus() + 1, MAX_SPINNERS);
	atomic_t stop = ATOMIC_INIT(0);
	struct cpumask saved;

	for (int i = 0; i < n; i++) {
		sp[i] = (struct spinner){ .prio = 90 - 3 * i, .stop = &stop };
		cpumask_copy(&sp[i].mask, &cpu_online_mask);
	}
	observer_begin(&saved);
	if (start_spinners(t, sp, n)) {
		KTEST_EXPECT(t, watch(t, sp, n, true) > 0);
		stop_spinners(sp, n);
	}
	observer_end(&saved);
}

/*
 * Spinners with affinity: a third pinned to one CPU, a third to two, the rest free.
 * None runs outside its mask, and none waits where it could run instead of a less
 * important one.
 */
KTEST(rt_smp_affinity)
{
	static struct spinner sp[MAX_SPINNERS];
	unsigned int ncpus = num_online_cpus();
	int n = min(2 * (int)ncpus + 1, MAX_SPINNERS);
	atomic_t stop = ATOMIC_INIT(0);
	struct cpumask saved;

	for (int i = 0; i < n; i++) {
		/* Online CPUs are 0..ncpus-1 on QEMU virt. */
		sp[i] = (struct spinner){ .prio = 90 - 3 * i, .stop = &stop };
		cpumask_clear(&sp[i].mask);
		if (i % 3 == 2) {
			cpumask_copy(&sp[i].mask, &cpu_online_mask);
			continue;
		}
		cpumask_set_cpu(i % ncpus, &sp[i].mask);
		if (i % 3 == 1)
			cpumask_set_cpu((i + 1) % ncpus, &sp[i].mask);
	}
	observer_begin(&saved);
	if (start_spinners(t, sp, n)) {
		KTEST_EXPECT(t, watch(t, sp, n, false) > 0);
		stop_spinners(sp, n);
		for (int i = 0; i < n; i++)
			KTEST_EXPECT_EQ(t, sp[i].ran_on & ~cpumask_bits(&sp[i].mask)[0], 0);
	}
	observer_end(&saved);
}

struct waker {
	unsigned int cpu;
	atomic_t runs;
};

static int wakee_fn(void *arg)
{
	struct waker *w = arg;

	while (!kthread_should_stop()) {
		WRITE_ONCE(w->cpu, smp_processor_id());
		atomic_inc_return(&w->runs);
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/*
 * A FIFO 10 task last ran on CPU A, where a FIFO 50 task now spins: woken, it must run
 * at once on another CPU. Queued on A it would wait as long as the spinner runs.
 */
KTEST(rt_smp_wakeup_goes_elsewhere)
{
	struct sched_param fifo10 = { .sched_priority = 10 }, fifo50 = { .sched_priority = 50 };
	static struct waker w;
	static struct spinner hog;
	struct task_struct *wakee;
	atomic_t stop = ATOMIC_INIT(0);
	struct cpumask one, saved, first;
	unsigned int a;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	/* The test itself stays off A, where the spinner will leave it no time. */
	a = cpumask_last(&cpu_online_mask);
	cpumask_clear(&one);
	cpumask_set_cpu(a, &one);
	cpumask_clear(&first);
	cpumask_set_cpu(cpumask_first(&cpu_online_mask), &first);
	cpumask_copy(&saved, &current->cpus_mask);
	set_cpus_allowed_ptr(current, &first);

	w = (struct waker){ .runs = ATOMIC_INIT(0) };
	wakee = kthread_create(wakee_fn, &w, "ktest-rtwake");
	KTEST_EXPECT(t, !IS_ERR(wakee));
	if (IS_ERR(wakee))
		goto out;
	set_cpus_allowed_ptr(wakee, &one);
	sched_setscheduler_nocheck(wakee, SCHED_FIFO, &fifo10);
	wake_up_process(wakee);
	WAIT_FOR(atomic_read(&w.runs) >= 1 && !READ_ONCE(wakee->on_rq));
	KTEST_EXPECT_EQ(t, READ_ONCE(w.cpu), a);
	/* Asleep on A, and free to go anywhere: its mask covers A, so it stays there. */
	set_cpus_allowed_ptr(wakee, &cpu_online_mask);

	hog = (struct spinner){ .prio = MAX_RT_PRIO - 1 - 50, .mask = one, .stop = &stop };
	hog.task = kthread_create(spin_fn, &hog, "ktest-rthog");
	KTEST_EXPECT(t, !IS_ERR(hog.task));
	if (!IS_ERR(hog.task)) {
		get_task_struct(hog.task);
		set_cpus_allowed_ptr(hog.task, &one);
		sched_setscheduler_nocheck(hog.task, SCHED_FIFO, &fifo50);
		wake_up_process(hog.task);
		WAIT_FOR(READ_ONCE(hog.ran_on) & (1UL << a));
		KTEST_EXPECT(t, cpu_curr(a) == hog.task);

		wake_up_process(wakee);
		/* Pushed off A at once: RT throttling's gap on A (after 950 ms) would show in w.cpu. */
		WAIT_FOR(atomic_read(&w.runs) >= 2);
		KTEST_EXPECT_EQ(t, atomic_read(&w.runs), 2);
		KTEST_EXPECT(t, READ_ONCE(w.cpu) != a);
		stop_spinners(&hog, 1);
	}
	kthread_stop(wakee);
out:
	set_cpus_allowed_ptr(current, &saved);
}
