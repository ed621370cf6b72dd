// SPDX-License-Identifier: MIT
/*
 * The idle class: each CPU's swapper/N (PID 0), picked when nothing else is runnable,
 * and the idle loop it runs: wait for an interrupt until there is work, then schedule.
 */
#include "sched.h"

#include <kairos/tick.h>

/* Anything that wakes on an idle CPU preempts the idle task. */
static void check_preempt_curr_idle(struct rq *rq, struct task_struct *p, int flags)
{
	resched_curr(rq);
}

static void set_next_task_idle(struct rq *rq, struct task_struct *next, bool first)
{
}

static struct task_struct *pick_next_task_idle(struct rq *rq)
{
	set_next_task_idle(rq, rq->idle, true);
	return rq->idle;
}

static void put_prev_task_idle(struct rq *rq, struct task_struct *prev)
{
}

/* The idle task is never queued: it runs when the queues are empty. */
static void dequeue_task_idle(struct rq *rq, struct task_struct *p, int flags)
{
	BUG();
}

static void enqueue_task_idle(struct rq *rq, struct task_struct *p, int flags)
{
	BUG();
}

static void task_tick_idle(struct rq *rq, struct task_struct *curr, int queued)
{
}

static void yield_task_idle(struct rq *rq)
{
}

static void switched_to_idle(struct rq *rq, struct task_struct *p)
{
	BUG();
}

static void prio_changed_idle(struct rq *rq, struct task_struct *p, int oldprio)
{
	BUG();
}

static int select_task_rq_idle(struct task_struct *p, int prev_cpu, int wake_flags)
{
	return task_cpu(p);
}

const struct sched_class idle_sched_class = {
	.enqueue_task = enqueue_task_idle,
	.dequeue_task = dequeue_task_idle,
	.yield_task = yield_task_idle,
	.check_preempt_curr = check_preempt_curr_idle,
	.pick_next_task = pick_next_task_idle,
	.put_prev_task = put_prev_task_idle,
	.set_next_task = set_next_task_idle,
	.select_task_rq = select_task_rq_idle,
	.task_tick = task_tick_idle,
	.switched_to = switched_to_idle,
	.prio_changed = prio_changed_idle,
	.next = NULL,
};

/*
 * IRQs go off before need_resched is tested, so a wake-up IPI arriving between the test
 * and the wait cannot be missed: WFI returns for a pending interrupt even while masked.
 * The tick stops before the wait (tickless idle) and restarts once there is work.
 */
static void do_idle(void)
{
	while (!need_resched()) {
		local_irq_disable();
		if (!need_resched()) {
			tick_nohz_idle_stop_tick();
			arch_cpu_idle();
		}
		local_irq_enable();
	}
	tick_nohz_idle_exit();
	schedule_idle();
}

void __noreturn cpu_startup_entry(void)
{
	for (;;)
		do_idle();
}
