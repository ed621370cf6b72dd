// SPDX-License-Identifier: MIT
/*
 * Scheduler micro-benchmarks: the cost of a context switch between two kernel threads on
 * one CPU, and of pick_next_task with 10, 1,000 and 10,000 runnable fair tasks.
 */
#include <asm/processor.h>
#include <kairos/atomic.h>
#include <kairos/delay.h>
#include <kairos/err.h>
#include <kairos/kbench.h>
#include <kairos/kthread.h>
#include <kairos/slab.h>
#include <kairos/sprintf.h>
#include <kairos/time.h>

#include "../../kernel/sched/sched.h"

#define PINGPONG_ROUNDS	20000

struct pingpong {
	struct task_struct *peer;
	atomic_t *turn;		/* which side may run: 0 or 1 */
	atomic_t *finished;
	int side;
};

/* Each side waits for its turn, hands it over and wakes the other: two switches per
 * round, both on one CPU. */
static int pingpong_fn(void *arg)
{
	struct pingpong *me = arg;

	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		for (;;) {
			set_current_state(TASK_UNINTERRUPTIBLE);
			if (atomic_read_acquire(me->turn) == me->side)
				break;
			schedule();
		}
		__set_current_state(TASK_RUNNING);
		atomic_set_release(me->turn, !me->side);
		wake_up_process(me->peer);
	}
	atomic_inc_return(me->finished);
	return 0;
}

KBENCH(context_switch)
{
	static atomic_t turn, finished;
	static struct pingpong a, b;
	unsigned int cpu = cpumask_last(&cpu_online_mask);
	struct task_struct *ta, *tb;
	u64 t0, c0, ns, cycles, switches;

	atomic_set(&turn, 0);
	atomic_set(&finished, 0);
	a = (struct pingpong){ .side = 0, .turn = &turn, .finished = &finished };
	b = (struct pingpong){ .side = 1, .turn = &turn, .finished = &finished };
	ta = kthread_create_on_cpu(pingpong_fn, &a, cpu, "bench-ping/%u");
	tb = kthread_create_on_cpu(pingpong_fn, &b, cpu, "bench-pong/%u");
	if (IS_ERR(ta) || IS_ERR(tb))
		return;
	a.peer = tb;
	b.peer = ta;
	switches = READ_ONCE(cpu_rq(cpu)->nr_switches);
	t0 = ktime_get_ns();
	c0 = arch_counter_get_cntvct();
	get_task_struct(ta);
	get_task_struct(tb);
	wake_up_process(ta);
	wake_up_process(tb);
	/* Both must run all their rounds: a thread stopped before it starts never runs. */
	while (atomic_read_acquire(&finished) < 2)
		msleep(1);
	ns = ktime_get_ns() - t0;
	cycles = arch_counter_get_cntvct() - c0;
	switches = READ_ONCE(cpu_rq(cpu)->nr_switches) - switches;
	kthread_stop(ta);
	kthread_stop(tb);
	put_task_struct(ta);
	put_task_struct(tb);
	kbench_report("switches", switches, "count");
	kbench_report("per_switch", ns / switches, "ns");
	kbench_report("per_switch_counter", cycles * 1000 / switches, "milli-ticks");
}

/*
 * pick_next_task_fair on a private run queue holding n runnable fair tasks: each round
 * puts the previous pick back (an rbtree insert) and picks the leftmost (an erase), with
 * the clock advanced so that the picks rotate through the tree.
 */
static void bench_pick_next(unsigned int n)
{
	struct rq *rq = kzalloc(sizeof(*rq), GFP_KERNEL);
	struct task_struct **tasks = kcalloc(n, sizeof(*tasks), GFP_KERNEL);
	struct task_struct *prev = NULL;
	unsigned int made = 0;
	const unsigned int rounds = 2000;
	unsigned long flags;
	char metric[32];
	u64 t0, ns;

	if (!rq || !tasks)
		goto out;
	for (; made < n; made++) {
		tasks[made] = kzalloc(sizeof(struct task_struct), GFP_KERNEL);
		if (!tasks[made])
			goto out;
	}
	spin_lock_init(&rq->lock);
	init_cfs_rq(&rq->cfs);
	INIT_LIST_HEAD(&rq->cfs_tasks);
	local_irq_save(flags);
	rq_lock(rq);
	rq->clock = rq->clock_task = 1;
	for (unsigned int i = 0; i < n; i++) {
		struct task_struct *p = tasks[i];

		p->policy = SCHED_NORMAL;
		p->static_prio = p->normal_prio = p->prio = NICE_TO_PRIO(i % 40 - 20);
		p->sched_class = &fair_sched_class;
		set_load_weight(p, false);
		p->se.vruntime = (u64)i * 1000;		/* relative: enqueue adds min_vruntime */
		fair_sched_class.enqueue_task(rq, p, 0);
		p->on_rq = TASK_ON_RQ_QUEUED;
	}
	rq->curr = rq->idle = tasks[0];		/* any task: only cfs state is used */
	t0 = ktime_get_ns();
	for (unsigned int r = 0; r < rounds; r++) {
		rq->clock += NSEC_PER_MSEC;
		rq->clock_task = rq->clock;
		prev = pick_next_task_fair(rq, prev);
	}
	ns = ktime_get_ns() - t0;
	rq_unlock(rq);
	local_irq_restore(flags);
	snprintf(metric, sizeof(metric), "tasks_%u", n);
	kbench_report(metric, ns / rounds, "ns");
out:
	while (made)
		kfree(tasks[--made]);
	kfree(tasks);
	kfree(rq);
}

KBENCH(pick_next_task)
{
	bench_pick_next(10);
	bench_pick_next(1000);
	bench_pick_next(10000);
}
