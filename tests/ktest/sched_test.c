// SPDX-License-Identifier: MIT
/*
 * The scheduler core in the kernel: many threads switching on every CPU, class
 * precedence, priorities and policies through the kernel API, affinity, yield.
 * (Scheduling policy in detail — shares, slices, deadlines — is tested in schedsim.)
 */
#include <asm/processor.h>
#include <kairos/atomic.h>
#include <kairos/completion.h>
#include <kairos/delay.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>
#include <kairos/sched.h>
#include <kairos/smp.h>
#include <uapi/errno.h>

#include "../../kernel/sched/sched.h"
#include "ktest_kthread.h"

#define SWITCHERS_PER_CPU	4
#define SWITCH_ROUNDS		200

struct switcher {
	atomic_t *done;
	unsigned int cpu;
	bool wrong_cpu;
	unsigned long rounds;
};

static int switcher_fn(void *arg)
{
	struct switcher *s = arg;

	for (int i = 0; i < SWITCH_ROUNDS; i++) {
		if (smp_processor_id() != s->cpu)
			s->wrong_cpu = true;
		s->rounds++;
		if (i & 1)
			do_sched_yield();
		else
			schedule_timeout_uninterruptible(1);
	}
	atomic_inc_return(s->done);
	return 0;
}

/*
 * Threads pinned four to a CPU yield and sleep in turns: every one finishes, stays on its
 * CPU, and every switch passed the scheduler's stack-end check (a failure panics).
 */
KTEST(context_switch_many_threads_every_cpu)
{
	static struct switcher sw[NR_CPUS * SWITCHERS_PER_CPU];
	struct task_struct *tasks[NR_CPUS * SWITCHERS_PER_CPU];
	unsigned int cpu, n = 0;
	atomic_t done = ATOMIC_INIT(0);
	u64 switches_before = 0, switches_after = 0;

	for_each_online_cpu(cpu)
		switches_before += READ_ONCE(cpu_rq(cpu)->nr_switches);
	for_each_online_cpu(cpu) {
		for (int i = 0; i < SWITCHERS_PER_CPU; i++, n++) {
			sw[n] = (struct switcher){ .done = &done, .cpu = cpu };
			tasks[n] = kthread_create_on_cpu(switcher_fn, &sw[n], cpu, "ktest-sw/%u");
			KTEST_EXPECT(t, !IS_ERR(tasks[n]));
			if (IS_ERR(tasks[n]))
				return;
			get_task_struct(tasks[n]);
			wake_up_process(tasks[n]);
		}
	}
	while (atomic_read_acquire(&done) < (int)n)
		msleep(5);
	for (unsigned int i = 0; i < n; i++) {
		KTEST_EXPECT_EQ(t, sw[i].rounds, SWITCH_ROUNDS);
		KTEST_EXPECT(t, !sw[i].wrong_cpu);
		put_task_struct(tasks[i]);
	}
	for_each_online_cpu(cpu)
		switches_after += READ_ONCE(cpu_rq(cpu)->nr_switches);
	if (switches_after - switches_before < (u64)n * SWITCH_ROUNDS / 2)
		ktest_fail(t, __FILE__, __LINE__, "only %lu switches for %u threads",
			   (unsigned long)(switches_after - switches_before), n);
}

struct preempt_probe {
	struct completion go, done;
	struct task_struct *victim;
	u64 victim_runtime_before, victim_runtime_after;
	atomic_t stop;
	bool ran;
};

static int busy_fair_fn(void *arg)
{
	struct preempt_probe *p = arg;

	while (!atomic_read_acquire(&p->stop))
		cpu_relax();
	return 0;
}

static int fifo_fn(void *arg)
{
	struct preempt_probe *p = arg;
	u64 t0;

	wait_for_completion(&p->go);
	/* While this FIFO task holds the CPU, the fair task there must not run at all. */
	p->victim_runtime_before = READ_ONCE(p->victim->se.sum_exec_runtime);
	t0 = ktime_get_ns();
	while (ktime_get_ns() - t0 < 3 * TICK_NSEC)
		cpu_relax();
	p->victim_runtime_after = READ_ONCE(p->victim->se.sum_exec_runtime);
	p->ran = true;
	complete(&p->done);
	ktest_wait_for_stop();
	return 0;
}

/* A woken SCHED_FIFO task preempts a busy fair task on its CPU and keeps it off. */
KTEST(rt_preempts_fair)
{
	static struct preempt_probe p;
	struct sched_param fifo = { .sched_priority = 50 };
	struct task_struct *busy, *rt;
	unsigned int cpu = cpumask_last(&cpu_online_mask);

	p = (struct preempt_probe){ .ran = false };
	init_completion(&p.go);
	init_completion(&p.done);
	atomic_set(&p.stop, 0);
	busy = kthread_create_on_cpu(busy_fair_fn, &p, cpu, "ktest-busy/%u");
	rt = kthread_create_on_cpu(fifo_fn, &p, cpu, "ktest-fifo/%u");
	KTEST_EXPECT(t, !IS_ERR(busy) && !IS_ERR(rt));
	if (IS_ERR(busy) || IS_ERR(rt))
		return;
	p.victim = busy;
	KTEST_EXPECT_EQ(t, sched_setscheduler(rt, SCHED_FIFO, &fifo), 0);
	KTEST_EXPECT(t, rt->sched_class == &rt_sched_class);
	KTEST_EXPECT_EQ(t, rt->prio, MAX_RT_PRIO - 1 - 50);
	get_task_struct(busy);
	get_task_struct(rt);	/* it may finish before kthread_stop looks at it */
	wake_up_process(busy);
	wake_up_process(rt);
	msleep(2 * 1000 / HZ);		/* both on their CPU, the FIFO one waiting */
	complete(&p.go);
	/* Its measurement done; stopping it earlier could stop it before it ever ran. */
	wait_for_completion(&p.done);
	kthread_stop(rt);
	put_task_struct(rt);
	KTEST_EXPECT(t, p.ran);
	KTEST_EXPECT_EQ(t, p.victim_runtime_after, p.victim_runtime_before);
	atomic_set_release(&p.stop, 1);
	kthread_stop(busy);
	put_task_struct(busy);
}

static int sleeper_fn(void *arg)
{
	ktest_wait_for_stop();
	return 0;
}

/* sched_setscheduler / sched_setattr validate as Linux does and set what they say. */
KTEST(setscheduler_kernel_api)
{
	struct task_struct *p = kthread_run(sleeper_fn, NULL, "ktest-policy");
	struct sched_param prm;
	struct sched_attr attr = { .size = sizeof(attr) };

	KTEST_EXPECT(t, !IS_ERR(p));
	if (IS_ERR(p))
		return;
	prm.sched_priority = 0;
	KTEST_EXPECT_EQ(t, sched_setscheduler(p, SCHED_FIFO, &prm), -EINVAL);
	prm.sched_priority = 100;
	KTEST_EXPECT_EQ(t, sched_setscheduler(p, SCHED_RR, &prm), -EINVAL);
	prm.sched_priority = 1;
	KTEST_EXPECT_EQ(t, sched_setscheduler(p, SCHED_NORMAL, &prm), -EINVAL);
	KTEST_EXPECT_EQ(t, sched_setscheduler(p, 4, &prm), -EINVAL);	/* no policy 4 */
	KTEST_EXPECT_EQ(t, sched_setscheduler(p, SCHED_DEADLINE, &prm), -EINVAL);

	prm.sched_priority = 99;
	KTEST_EXPECT_EQ(t, sched_setscheduler(p, SCHED_RR, &prm), 0);
	KTEST_EXPECT(t, p->policy == SCHED_RR && p->prio == 0 && p->rt_priority == 99);
	prm.sched_priority = 0;
	KTEST_EXPECT_EQ(t, sched_setscheduler(p, SCHED_BATCH, &prm), 0);
	KTEST_EXPECT(t, p->sched_class == &fair_sched_class && p->prio == DEFAULT_PRIO);

	set_user_nice(p, 5);
	KTEST_EXPECT_EQ(t, task_nice(p), 5);
	KTEST_EXPECT_EQ(t, p->se.load.weight, sched_prio_to_weight[25]);
	set_user_nice(p, 42);		/* out of range: ignored */
	KTEST_EXPECT_EQ(t, task_nice(p), 5);
	KTEST_EXPECT_EQ(t, sched_setscheduler(p, SCHED_IDLE, &prm), 0);
	KTEST_EXPECT_EQ(t, p->se.load.weight, 3);	/* WEIGHT_IDLEPRIO */

	attr.sched_policy = SCHED_NORMAL;
	attr.sched_nice = -21;
	KTEST_EXPECT_EQ(t, sched_setattr(p, &attr), -EINVAL);
	attr.sched_nice = -3;
	KTEST_EXPECT_EQ(t, sched_setattr(p, &attr), 0);
	KTEST_EXPECT(t, p->policy == SCHED_NORMAL && task_nice(p) == -3);
	KTEST_EXPECT_EQ(t, p->prio, NICE_TO_PRIO(-3));
	kthread_stop(p);
}

/* Deadline admission: bandwidth is admitted up to 95% per online CPU, then -EBUSY. */
KTEST(deadline_admission_control)
{
	struct task_struct *tasks[NR_CPUS * 4 + 2];
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = SCHED_DEADLINE,
		.sched_runtime = 30 * NSEC_PER_MSEC,
		.sched_deadline = 100 * NSEC_PER_MSEC,
		.sched_period = 100 * NSEC_PER_MSEC,
	};
	struct sched_attr normal = { .size = sizeof(normal), .sched_policy = SCHED_NORMAL };
	/* 30% each against 95% of every online CPU in total, as Linux admits. */
	unsigned int fit = 95 * num_online_cpus() / 30, n = 0;
	int err = 0;

	while (n < fit + 1) {
		tasks[n] = kthread_run(sleeper_fn, NULL, "ktest-dl");
		KTEST_EXPECT(t, !IS_ERR(tasks[n]));
		if (IS_ERR(tasks[n]))
			break;
		err = sched_setattr(tasks[n], &attr);
		n++;
		if (err)
			break;
	}
	KTEST_EXPECT_EQ(t, n, fit + 1);
	KTEST_EXPECT_EQ(t, err, -EBUSY);
	KTEST_EXPECT(t, tasks[n - 1]->policy == SCHED_NORMAL);
	if (n > 1)
		KTEST_EXPECT(t, tasks[0]->sched_class == &dl_sched_class);
	/* Leaving SCHED_DEADLINE releases bandwidth: now the refused one fits. */
	KTEST_EXPECT_EQ(t, sched_setattr(tasks[0], &normal), 0);
	KTEST_EXPECT_EQ(t, sched_setattr(tasks[n - 1], &attr), 0);
	attr.sched_runtime = 200 * NSEC_PER_MSEC;	/* runtime > deadline */
	KTEST_EXPECT_EQ(t, sched_setattr(tasks[0], &attr), -EINVAL);
	for (unsigned int i = 0; i < n; i++)
		kthread_stop(tasks[i]);
}

static int affinity_fn(void *arg)
{
	struct cpumask *seen = arg;

	while (!kthread_should_stop()) {
		cpumask_set_cpu(smp_processor_id(), seen);
		schedule_timeout_uninterruptible(1);
	}
	return 0;
}

/* set_cpus_allowed_ptr moves a thread, and it then runs only where it is allowed. */
KTEST(affinity_moves_thread)
{
	static struct cpumask seen, allowed;
	unsigned int last = cpumask_last(&cpu_online_mask);
	struct task_struct *p;

	cpumask_clear(&seen);
	p = kthread_run(affinity_fn, &seen, "ktest-aff");
	KTEST_EXPECT(t, !IS_ERR(p));
	if (IS_ERR(p))
		return;
	cpumask_clear(&allowed);
	cpumask_set_cpu(last, &allowed);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(p, &allowed), 0);
	msleep(20);
	cpumask_clear(&seen);
	/* It runs every tick or so, but the host may hold its vCPU off for longer. */
	KTEST_EXPECT(t, WAIT_FOR(cpumask_test_cpu(last, &seen)));
	msleep(40);
	KTEST_EXPECT_EQ(t, cpumask_weight(&seen), 1);
	KTEST_EXPECT_EQ(t, task_cpu(p), last);
	cpumask_clear(&allowed);
	KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(p, &allowed), -EINVAL);	/* empty */
	kthread_stop(p);
}

/* The debug view lists every CPU's queue (the ktest log shows it). */
KTEST(sched_show_state_runs)
{
	sched_show_state();
	KTEST_EXPECT(t, cpu_rq(0)->idle && is_idle_task(cpu_rq(0)->idle));
	KTEST_EXPECT_EQ(t, cpu_rq(0)->idle->pid, 0);
}
