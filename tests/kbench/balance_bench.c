// SPDX-License-Identifier: MIT
/*
 * SMP scheduling micro-benchmarks: a stop_one_cpu round trip, moving a running task with
 * set_cpus_allowed_ptr (which goes through the stopper of its CPU), and one pass of the
 * load balancer over a balanced machine (the cost every tick's SCHED_SOFTIRQ may pay).
 */
#include <asm/processor.h>
#include <kairos/atomic.h>
#include <kairos/err.h>
#include <kairos/kbench.h>
#include <kairos/kthread.h>
#include <kairos/sprintf.h>
#include <kairos/stop_machine.h>
#include <kairos/time.h>

#include "../../kernel/sched/sched.h"

static int noop_stop(void *arg)
{
	return 0;
}

/* stop_one_cpu to another CPU and to this one: queue, wake the stopper, wait for it. */
KBENCH(stop_one_cpu)
{
	const unsigned int rounds = 1000;
	unsigned int other;
	u64 t0, ns;

	preempt_disable();
	other = smp_processor_id() == cpumask_first(&cpu_online_mask) ?
		cpumask_last(&cpu_online_mask) : cpumask_first(&cpu_online_mask);
	preempt_enable();
	t0 = ktime_get_ns();
	for (unsigned int i = 0; i < rounds; i++)
		stop_one_cpu(other, noop_stop, NULL);
	ns = ktime_get_ns() - t0;
	kbench_report("remote", ns / rounds, "ns");

	t0 = ktime_get_ns();
	for (unsigned int i = 0; i < rounds; i++)
		stop_one_cpu(task_cpu(current), noop_stop, NULL);
	ns = ktime_get_ns() - t0;
	kbench_report("local", ns / rounds, "ns");
}

static int spin_fn(void *arg)
{
	atomic_t *stop = arg;

	while (!atomic_read_acquire(stop))
		cpu_relax();
	return 0;
}

/*
 * A CPU hog moved back and forth between the first and last CPUs by set_cpus_allowed_ptr:
 * each move preempts it with its CPU's stopper (migration_cpu_stop).
 */
KBENCH(migrate_running_task)
{
	const unsigned int rounds = 200;
	unsigned int a = cpumask_first(&cpu_online_mask), b = cpumask_last(&cpu_online_mask);
	static atomic_t stop;
	struct cpumask on_a, on_b;
	unsigned int moved = 0;
	struct task_struct *p;
	u64 t0, ns;

	if (a == b)
		return;
	cpumask_clear(&on_a);
	cpumask_set_cpu(a, &on_a);
	cpumask_clear(&on_b);
	cpumask_set_cpu(b, &on_b);
	atomic_set(&stop, 0);
	p = kthread_create(spin_fn, &stop, "bench-hog");
	if (IS_ERR(p))
		return;
	get_task_struct(p);
	set_cpus_allowed_ptr(p, &on_a);
	wake_up_process(p);

	t0 = ktime_get_ns();
	for (unsigned int i = 0; i < rounds; i++) {
		set_cpus_allowed_ptr(p, &on_b);
		moved += task_cpu(p) == b;
		set_cpus_allowed_ptr(p, &on_a);
		moved += task_cpu(p) == a;
	}
	ns = ktime_get_ns() - t0;
	atomic_set_release(&stop, 1);
	kthread_stop(p);
	put_task_struct(p);
	kbench_report("moves", moved, "count");
	kbench_report("per_move", ns / (2 * rounds), "ns");
}

/*
 * load_balance() of this CPU's lowest domain with every CPU idle but this one: the
 * statistics over all CPUs, then "balanced". IRQs off, as the softirq would not interleave.
 */
KBENCH(load_balance_pass)
{
	const unsigned int rounds = 1000;
	struct sched_domain *sd;
	unsigned long flags;
	char metric[32];
	u64 t0, ns;

	local_irq_save(flags);
	sd = this_rq()->sd;
	if (!sd) {
		local_irq_restore(flags);
		return;
	}
	t0 = ktime_get_ns();
	for (unsigned int i = 0; i < rounds; i++)
		load_balance(smp_processor_id(), this_rq(), sd, CPU_NOT_IDLE);
	ns = ktime_get_ns() - t0;
	local_irq_restore(flags);
	/* Named by domain size, so runs on machines of different sizes stay apart. */
	snprintf(metric, sizeof(metric), "per_pass_%ucpus", sd->span_weight);
	kbench_report(metric, ns / rounds, "ns");
}
