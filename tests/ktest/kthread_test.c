// SPDX-License-Identifier: MIT
/* Kernel threads: creation through kthreadd, stop, park, per-CPU threads, workers, PIDs 0-2. */
#include <kairos/atomic.h>
#include <kairos/delay.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>

#include "ktest_kthread.h"
#include <kairos/percpu.h>
#include <kairos/sched.h>
#include <kairos/slab.h>
#include <kairos/smp.h>
#include <kairos/smpboot.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>
#include <kairos/time.h>
#include <uapi/errno.h>

#include "../../kernel/sched/sched.h"

struct stop_arg {
	atomic_t ran;
	struct task_struct *self;
	int result;
};

static int stop_fn(void *data)
{
	struct stop_arg *a = data;

	a->self = current;
	atomic_inc(&a->ran);
	ktest_wait_for_stop();
	return a->result;
}

/* kthread_stop returns the function's result; a thread stopped unwoken never runs it. */
KTEST(kthread_stop_returns_result)
{
	static struct stop_arg a;
	struct task_struct *k;

	memset(&a, 0, sizeof(a));
	a.result = 42;
	k = kthread_create(stop_fn, &a, "ktest_stop/%d", 7);
	KTEST_EXPECT(t, !IS_ERR(k));
	if (IS_ERR(k))
		return;
	KTEST_EXPECT(t, !strcmp(k->comm, "ktest_stop/7"));
	KTEST_EXPECT(t, kthread_data(k) == &a);
	KTEST_EXPECT_EQ(t, k->real_parent->pid, 2);
	KTEST_EXPECT(t, k->flags & PF_KTHREAD);
	KTEST_EXPECT(t, k->pid > 2);
	/* Created asleep: it must not run before it is woken. */
	msleep(5);
	KTEST_EXPECT_EQ(t, atomic_read(&a.ran), 0);
	wake_up_process(k);
	KTEST_EXPECT(t, WAIT_FOR(atomic_read(&a.ran) == 1));
	KTEST_EXPECT(t, a.self == k);
	KTEST_EXPECT_EQ(t, kthread_stop(k), 42);

	memset(&a, 0, sizeof(a));
	k = kthread_create(stop_fn, &a, "ktest_unwoken");
	KTEST_EXPECT(t, !IS_ERR(k));
	if (IS_ERR(k))
		return;
	KTEST_EXPECT_EQ(t, kthread_stop(k), -EINTR);
	KTEST_EXPECT_EQ(t, atomic_read(&a.ran), 0);

	/* Many in a row: results stay with their threads, nothing runs out. */
	for (int i = 0; i < 50; i++) {
		memset(&a, 0, sizeof(a));
		a.result = i;
		k = kthread_run(stop_fn, &a, "ktest_stop%d", i);
		if (IS_ERR(k)) {
			ktest_fail(t, __FILE__, __LINE__, "create %d: %ld", i, PTR_ERR(k));
			return;
		}
		/* Stop some before they ran, some after. */
		if (i & 1)
			WAIT_FOR(atomic_read(&a.ran) == 1);
		KTEST_EXPECT_EQ(t, kthread_stop(k), (i & 1) || atomic_read(&a.ran) ? i : -EINTR);
	}
}

static int spin_fn(void *data)
{
	atomic_t *count = data;

	while (!kthread_should_stop()) {
		if (kthread_should_park())
			kthread_parkme();
		atomic_inc(count);
		cond_resched();
	}
	return atomic_read(count);
}

/* kthread_run: the thread runs at once and keeps going until kthread_should_stop. */
KTEST(kthread_run_until_stop)
{
	static atomic_t count;
	struct task_struct *k;
	int last;

	atomic_set(&count, 0);
	k = kthread_run(spin_fn, &count, "ktest_spin");
	KTEST_EXPECT(t, !IS_ERR(k));
	if (IS_ERR(k))
		return;
	KTEST_EXPECT(t, WAIT_FOR(atomic_read(&count) > 1000));
	last = kthread_stop(k);
	KTEST_EXPECT(t, last > 1000);
	/* Stopped means gone: nothing counts any more. */
	KTEST_EXPECT_EQ(t, atomic_read(&count), last);
	msleep(5);
	KTEST_EXPECT_EQ(t, atomic_read(&count), last);
}

/* A parked thread sleeps in TASK_PARKED and runs nothing until unparked. */
KTEST(kthread_park_unpark)
{
	static atomic_t count;
	struct task_struct *k;
	int parked_at;

	atomic_set(&count, 0);
	k = kthread_run(spin_fn, &count, "ktest_park");
	KTEST_EXPECT(t, !IS_ERR(k));
	if (IS_ERR(k))
		return;
	for (int round = 0; round < 5; round++) {
		int before = atomic_read(&count);

		KTEST_EXPECT(t, WAIT_FOR(atomic_read(&count) > before + 100));
		KTEST_EXPECT_EQ(t, kthread_park(k), 0);
		KTEST_EXPECT_EQ(t, READ_ONCE(k->__state), TASK_PARKED);
		KTEST_EXPECT_EQ(t, READ_ONCE(k->on_cpu), 0);
		KTEST_EXPECT_EQ(t, READ_ONCE(k->on_rq), 0);
		parked_at = atomic_read(&count);
		msleep(10);
		/* Neither time nor an ordinary wake-up ends a park. */
		wake_up_process(k);
		msleep(2);
		KTEST_EXPECT_EQ(t, atomic_read(&count), parked_at);
		KTEST_EXPECT_EQ(t, READ_ONCE(k->__state), TASK_PARKED);
		kthread_unpark(k);
		KTEST_EXPECT(t, WAIT_FOR(atomic_read(&count) > parked_at));
	}
	/* Stopping a parked thread unparks it first. */
	KTEST_EXPECT_EQ(t, kthread_park(k), 0);
	KTEST_EXPECT(t, kthread_stop(k) >= parked_at);
}

struct cpu_arg {
	unsigned int cpu;
	atomic_t runs;
	atomic_t wrong;
};

static int cpu_fn(void *data)
{
	struct cpu_arg *a = data;

	while (!kthread_should_stop()) {
		if (kthread_should_park())
			kthread_parkme();
		preempt_disable();
		if (smp_processor_id() != a->cpu)
			atomic_inc(&a->wrong);
		preempt_enable();
		atomic_inc(&a->runs);
		msleep(1);
	}
	return 0;
}

/* kthread_create_on_cpu: named for its CPU, runs only there, also after a park. */
KTEST(kthread_create_on_cpu_stays)
{
	static struct cpu_arg args[NR_CPUS];
	struct task_struct *k[NR_CPUS];
	char name[TASK_COMM_LEN];
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		args[cpu].cpu = cpu;
		atomic_set(&args[cpu].runs, 0);
		atomic_set(&args[cpu].wrong, 0);
		k[cpu] = kthread_create_on_cpu(cpu_fn, &args[cpu], cpu, "ktest_cpu/%u");
		if (IS_ERR(k[cpu])) {
			ktest_fail(t, __FILE__, __LINE__, "cpu %u: %ld", cpu, PTR_ERR(k[cpu]));
			return;
		}
		snprintf(name, sizeof(name), "ktest_cpu/%u", cpu);
		KTEST_EXPECT(t, !strcmp(k[cpu]->comm, name));
		KTEST_EXPECT_EQ(t, k[cpu]->nr_cpus_allowed, 1);
		KTEST_EXPECT(t, cpumask_test_cpu(cpu, &k[cpu]->cpus_mask));
		KTEST_EXPECT(t, k[cpu]->flags & PF_NO_SETAFFINITY);
		wake_up_process(k[cpu]);
	}
	for_each_online_cpu(cpu)
		KTEST_EXPECT(t, WAIT_FOR(atomic_read(&args[cpu].runs) > 5));
	for_each_online_cpu(cpu) {
		int runs;

		KTEST_EXPECT_EQ(t, kthread_park(k[cpu]), 0);
		runs = atomic_read(&args[cpu].runs);
		/* Unbind it, as taking its CPU down would: unpark must bind it again. */
		kthread_bind_mask(k[cpu], &cpu_possible_mask);
		kthread_unpark(k[cpu]);
		KTEST_EXPECT(t, WAIT_FOR(atomic_read(&args[cpu].runs) > runs + 5));
		KTEST_EXPECT_EQ(t, k[cpu]->nr_cpus_allowed, 1);
	}
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, kthread_stop(k[cpu]), 0);
		KTEST_EXPECT_EQ(t, atomic_read(&args[cpu].wrong), 0);
	}
}

/* smpboot: a test smp_hotplug_thread with per-CPU counters. */
static DEFINE_PER_CPU(struct task_struct *, hp_task);
static DEFINE_PER_CPU(int, hp_pending);
static DEFINE_PER_CPU(atomic_t, hp_fn_runs);
static DEFINE_PER_CPU(atomic_t, hp_create);
static DEFINE_PER_CPU(atomic_t, hp_setup);
static DEFINE_PER_CPU(atomic_t, hp_cleanup);
static DEFINE_PER_CPU(atomic_t, hp_park);
static DEFINE_PER_CPU(atomic_t, hp_unpark);
static atomic_t hp_wrong_cpu;

static void hp_check_cpu(unsigned int cpu)
{
	if (smp_processor_id() != cpu || current != per_cpu(hp_task, cpu))
		atomic_inc(&hp_wrong_cpu);
}

static int hp_should_run(unsigned int cpu)
{
	return READ_ONCE(per_cpu(hp_pending, cpu));
}

static void hp_fn(unsigned int cpu)
{
	hp_check_cpu(cpu);
	WRITE_ONCE(per_cpu(hp_pending, cpu), 0);
	atomic_inc(&per_cpu(hp_fn_runs, cpu));
}

static void hp_create_fn(unsigned int cpu)
{
	struct task_struct *p = per_cpu(hp_task, cpu);

	/* Created parked and off its CPU, before it ever ran. */
	if (!p || READ_ONCE(p->__state) != TASK_PARKED || READ_ONCE(p->on_cpu) ||
	    atomic_read(&per_cpu(hp_setup, cpu)))
		atomic_inc(&hp_wrong_cpu);
	atomic_inc(&per_cpu(hp_create, cpu));
}

static void hp_setup_fn(unsigned int cpu)
{
	hp_check_cpu(cpu);
	atomic_inc(&per_cpu(hp_setup, cpu));
}

static void hp_cleanup_fn(unsigned int cpu, bool online)
{
	hp_check_cpu(cpu);
	if (!online)
		atomic_inc(&hp_wrong_cpu);
	atomic_inc(&per_cpu(hp_cleanup, cpu));
}

static void hp_park_fn(unsigned int cpu)
{
	hp_check_cpu(cpu);
	atomic_inc(&per_cpu(hp_park, cpu));
}

static void hp_unpark_fn(unsigned int cpu)
{
	hp_check_cpu(cpu);
	atomic_inc(&per_cpu(hp_unpark, cpu));
}

static struct smp_hotplug_thread hp_threads = {
	.store = &hp_task,
	.thread_should_run = hp_should_run,
	.thread_fn = hp_fn,
	.create = hp_create_fn,
	.setup = hp_setup_fn,
	.cleanup = hp_cleanup_fn,
	.park = hp_park_fn,
	.unpark = hp_unpark_fn,
	.thread_comm = "ktest_hp/%u",
};

KTEST(smpboot_percpu_thread)
{
	char name[TASK_COMM_LEN];
	unsigned int cpu;

	atomic_set(&hp_wrong_cpu, 0);
	for_each_possible_cpu(cpu) {
		per_cpu(hp_task, cpu) = NULL;
		per_cpu(hp_pending, cpu) = 0;
		atomic_set(&per_cpu(hp_fn_runs, cpu), 0);
		atomic_set(&per_cpu(hp_create, cpu), 0);
		atomic_set(&per_cpu(hp_setup, cpu), 0);
		atomic_set(&per_cpu(hp_cleanup, cpu), 0);
		atomic_set(&per_cpu(hp_park, cpu), 0);
		atomic_set(&per_cpu(hp_unpark, cpu), 0);
	}
	KTEST_EXPECT_EQ(t, smpboot_register_percpu_thread(&hp_threads), 0);
	for_each_online_cpu(cpu) {
		struct task_struct *p = per_cpu(hp_task, cpu);

		KTEST_EXPECT(t, p != NULL);
		if (!p)
			return;
		snprintf(name, sizeof(name), "ktest_hp/%u", cpu);
		KTEST_EXPECT(t, !strcmp(p->comm, name));
		KTEST_EXPECT_EQ(t, p->real_parent->pid, 2);
		KTEST_EXPECT_EQ(t, atomic_read(&per_cpu(hp_create, cpu)), 1);
		KTEST_EXPECT(t, WAIT_FOR(atomic_read(&per_cpu(hp_setup, cpu)) == 1));
	}
	/* Nothing pending yet: thread_fn has not run. */
	msleep(5);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, atomic_read(&per_cpu(hp_fn_runs, cpu)), 0);
	for (int round = 1; round <= 3; round++) {
		for_each_online_cpu(cpu) {
			WRITE_ONCE(per_cpu(hp_pending, cpu), 1);
			wake_up_process(per_cpu(hp_task, cpu));
		}
		for_each_online_cpu(cpu)
			KTEST_EXPECT(t, WAIT_FOR(atomic_read(&per_cpu(hp_fn_runs, cpu)) == round));
	}
	/* park() and unpark() run in the thread, on its CPU; setup() does not run again. */
	for_each_online_cpu(cpu) {
		struct task_struct *p = per_cpu(hp_task, cpu);

		KTEST_EXPECT_EQ(t, kthread_park(p), 0);
		KTEST_EXPECT_EQ(t, atomic_read(&per_cpu(hp_park, cpu)), 1);
		kthread_unpark(p);
		KTEST_EXPECT(t, WAIT_FOR(atomic_read(&per_cpu(hp_unpark, cpu)) == 1));
		WRITE_ONCE(per_cpu(hp_pending, cpu), 1);
		wake_up_process(p);
		KTEST_EXPECT(t, WAIT_FOR(atomic_read(&per_cpu(hp_fn_runs, cpu)) == 4));
		KTEST_EXPECT_EQ(t, atomic_read(&per_cpu(hp_setup, cpu)), 1);
	}
	smpboot_unregister_percpu_thread(&hp_threads);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT(t, per_cpu(hp_task, cpu) == NULL);
		KTEST_EXPECT_EQ(t, atomic_read(&per_cpu(hp_cleanup, cpu)), 1);
		KTEST_EXPECT_EQ(t, atomic_read(&per_cpu(hp_setup, cpu)), 1);
	}
	KTEST_EXPECT_EQ(t, atomic_read(&hp_wrong_cpu), 0);
}

#define NR_TEST_WORKS	100

struct test_work {
	struct kthread_work work;
	atomic_t runs;
	struct task_struct *ran_in;
};

static struct test_work test_works[NR_TEST_WORKS];
static struct kthread_worker *test_worker;

static void test_work_fn(struct kthread_work *work)
{
	struct test_work *tw = container_of(work, struct test_work, work);

	tw->ran_in = current;
	atomic_inc(&tw->runs);
}

struct queuer_arg {
	unsigned int index, nr;
	atomic_t refused;
	atomic_t started;
};

/* Queue every nr-th work, starting at index, from this CPU. */
static int queuer_fn(void *data)
{
	struct queuer_arg *q = data;

	atomic_set(&q->started, 1);
	for (unsigned int i = q->index; i < NR_TEST_WORKS; i += q->nr) {
		if (!kthread_queue_work(test_worker, &test_works[i].work))
			atomic_inc(&q->refused);
		if (i % 8 == 0)
			cond_resched();
	}
	ktest_wait_for_stop();
	return 0;
}

/* Holds the worker busy until released. */
static int blocker_release;
static atomic_t blocker_running, blocker_done;

static void blocker_fn(struct kthread_work *work)
{
	atomic_set(&blocker_running, 1);
	while (!READ_ONCE(blocker_release))
		msleep(1);
	atomic_inc(&blocker_done);
}

static int releaser_fn(void *unused)
{
	msleep(20);
	WRITE_ONCE(blocker_release, 1);
	return 0;
}

/* Works queued from every CPU each run exactly once, in the worker's thread. */
KTEST(kthread_worker_runs_works)
{
	static struct queuer_arg qargs[NR_CPUS];
	struct task_struct *queuers[NR_CPUS];
	DEFINE_KTHREAD_WORK(blocker, blocker_fn);
	unsigned int cpu, n = 0, nr = num_online_cpus();

	test_worker = kthread_create_worker(0, "ktest_worker");
	KTEST_EXPECT(t, !IS_ERR(test_worker));
	if (IS_ERR(test_worker))
		return;
	KTEST_EXPECT(t, !strcmp(test_worker->task->comm, "ktest_worker"));
	for (int i = 0; i < NR_TEST_WORKS; i++) {
		kthread_init_work(&test_works[i].work, test_work_fn);
		atomic_set(&test_works[i].runs, 0);
		test_works[i].ran_in = NULL;
	}
	for_each_online_cpu(cpu) {
		qargs[n].index = n;
		qargs[n].nr = nr;
		atomic_set(&qargs[n].refused, 0);
		atomic_set(&qargs[n].started, 0);
		queuers[n] = kthread_create_on_cpu(queuer_fn, &qargs[n], cpu, "ktest_q/%u");
		KTEST_EXPECT(t, !IS_ERR(queuers[n]));
		if (IS_ERR(queuers[n]))
			return;
		n++;
	}
	for (unsigned int i = 0; i < n; i++)
		wake_up_process(queuers[i]);
	for (unsigned int i = 0; i < n; i++) {
		/*
		 * A thread stopped before it ran its function would not queue anything. Once
		 * started it queues its share before it looks for the stop, however long
		 * the lock's handovers between eight vCPUs take on a loaded host.
		 */
		KTEST_EXPECT(t, WAIT_FOR(atomic_read(&qargs[i].started)));
		KTEST_EXPECT_EQ(t, kthread_stop(queuers[i]), 0);
		KTEST_EXPECT_EQ(t, atomic_read(&qargs[i].refused), 0);
	}
	kthread_flush_worker(test_worker);
	for (int i = 0; i < NR_TEST_WORKS; i++) {
		KTEST_EXPECT_EQ(t, atomic_read(&test_works[i].runs), 1);
		KTEST_EXPECT(t, test_works[i].ran_in == test_worker->task);
	}

	/* Queued twice while waiting: refused the second time, runs once; flush waits. */
	WRITE_ONCE(blocker_release, 0);
	atomic_set(&blocker_running, 0);
	atomic_set(&blocker_done, 0);
	KTEST_EXPECT(t, kthread_queue_work(test_worker, &blocker));
	KTEST_EXPECT(t, WAIT_FOR(atomic_read(&blocker_running)));
	KTEST_EXPECT(t, kthread_queue_work(test_worker, &test_works[0].work));
	KTEST_EXPECT(t, !kthread_queue_work(test_worker, &test_works[0].work));
	/* Running is not queued: the blocker may be queued again. */
	KTEST_EXPECT(t, kthread_queue_work(test_worker, &blocker));
	WRITE_ONCE(blocker_release, 1);
	kthread_flush_work(&test_works[0].work);
	KTEST_EXPECT_EQ(t, atomic_read(&test_works[0].runs), 2);
	/* The blocker was queued again while it ran; flushing waits for that run too. */
	kthread_flush_work(&blocker);
	KTEST_EXPECT_EQ(t, atomic_read(&blocker_done), 2);

	/* Flushing a work while it runs waits for it to finish. */
	WRITE_ONCE(blocker_release, 0);
	atomic_set(&blocker_running, 0);
	KTEST_EXPECT(t, kthread_queue_work(test_worker, &blocker));
	KTEST_EXPECT(t, WAIT_FOR(atomic_read(&blocker_running)));
	KTEST_EXPECT(t, !IS_ERR(kthread_run(releaser_fn, NULL, "ktest_release")));
	kthread_flush_work(&blocker);
	KTEST_EXPECT_EQ(t, atomic_read(&blocker_done), 3);
	/* Flushing an idle work returns at once. */
	kthread_flush_work(&blocker);
	kthread_destroy_worker(test_worker);
}

/* A worker bound to a CPU runs its works there. */
static atomic_t bound_wrong;

static void bound_work_fn(struct kthread_work *work)
{
	preempt_disable();
	if (smp_processor_id() != cpumask_first(&current->cpus_mask) ||
	    current->nr_cpus_allowed != 1)
		atomic_inc(&bound_wrong);
	preempt_enable();
}

KTEST(kthread_worker_on_cpu)
{
	unsigned int cpu;

	atomic_set(&bound_wrong, 0);
	for_each_online_cpu(cpu) {
		struct kthread_worker *w = kthread_create_worker_on_cpu(cpu, 0, "ktest_w/%u", cpu);
		DEFINE_KTHREAD_WORK(work, bound_work_fn);

		KTEST_EXPECT(t, !IS_ERR(w));
		if (IS_ERR(w))
			return;
		KTEST_EXPECT(t, cpumask_test_cpu(cpu, &w->task->cpus_mask));
		for (int i = 0; i < 10; i++) {
			kthread_queue_work(w, &work);
			kthread_flush_work(&work);
		}
		kthread_destroy_worker(w);
	}
	KTEST_EXPECT_EQ(t, atomic_read(&bound_wrong), 0);
}

/* The tree the seed draws: swapper/N (PID 0) per CPU, kernel_init (1), kthreadd (2). */
KTEST(kthread_boot_task_tree)
{
	struct task_struct *pid1 = NULL, *pid2 = NULL, *p, *k;
	static struct stop_arg a;
	char name[TASK_COMM_LEN];
	unsigned long flags;
	unsigned int cpu;
	bool found_k = false;

	memset(&a, 0, sizeof(a));
	k = kthread_create(stop_fn, &a, "ktest_tree");
	KTEST_EXPECT(t, !IS_ERR(k));
	if (IS_ERR(k))
		return;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (p->pid == 1)
			pid1 = p;
		else if (p->pid == 2)
			pid2 = p;
		else if (p == k)
			found_k = true;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);

	KTEST_EXPECT(t, pid1 != NULL);
	KTEST_EXPECT(t, pid2 != NULL);
	KTEST_EXPECT(t, found_k);
	if (pid1)
		KTEST_EXPECT(t, pid1->real_parent == &init_task);
	if (pid2) {
		KTEST_EXPECT(t, pid2 == kthreadd_task);
		KTEST_EXPECT(t, !strcmp(pid2->comm, "kthreadd"));
		KTEST_EXPECT(t, pid2->real_parent == &init_task);
		/* Not bound to CPU 0 as swapper/0 is, and neither are its children. */
		KTEST_EXPECT_EQ(t, pid2->nr_cpus_allowed, cpumask_weight(&cpu_possible_mask));
	}
	KTEST_EXPECT(t, k->real_parent == kthreadd_task);
	KTEST_EXPECT_EQ(t, k->nr_cpus_allowed, cpumask_weight(&cpu_possible_mask));
	KTEST_EXPECT_EQ(t, init_task.pid, 0);
	for_each_online_cpu(cpu) {
		struct task_struct *idle = cpu_rq(cpu)->idle;

		snprintf(name, sizeof(name), "swapper/%u", cpu);
		KTEST_EXPECT_EQ(t, idle->pid, 0);
		KTEST_EXPECT(t, !strcmp(idle->comm, name));
		KTEST_EXPECT(t, is_idle_task(idle));
		KTEST_EXPECT_EQ(t, task_cpu(idle), cpu);
	}
	KTEST_EXPECT(t, cpu_rq(0)->idle == &init_task);
	KTEST_EXPECT_EQ(t, kthread_stop(k), -EINTR);
}
