// SPDX-License-Identifier: MIT
/*
 * The stop class: one task per CPU (migration/N), above every other class, so that work
 * queued for it runs at once, preempting whatever runs on that CPU (the first seed).
 */
#include "sched.h"

static int select_task_rq_stop(struct task_struct *p, int cpu, int flags)
{
	return task_cpu(p);	/* stop tasks never migrate */
}

/* Nothing outranks the stop task, so no waker preempts it. */
static void check_preempt_curr_stop(struct rq *rq, struct task_struct *p, int flags)
{
}

static void set_next_task_stop(struct rq *rq, struct task_struct *stop, bool first)
{
	stop->se.exec_start = rq_clock_task(rq);
}

static struct task_struct *pick_next_task_stop(struct rq *rq)
{
	struct task_struct *stop = rq->stop;

	if (!stop || !task_on_rq_queued(stop))
		return NULL;
	set_next_task_stop(rq, stop, true);
	return stop;
}

static void enqueue_task_stop(struct rq *rq, struct task_struct *p, int flags)
{
	add_nr_running(rq, 1);
}

static void dequeue_task_stop(struct rq *rq, struct task_struct *p, int flags)
{
	sub_nr_running(rq, 1);
}

static void yield_task_stop(struct rq *rq)
{
	BUG();	/* the stop task never yields: it runs its work and sleeps */
}

static void update_curr_stop(struct rq *rq)
{
	struct task_struct *curr = rq->curr;
	u64 now = rq_clock_task(rq);

	if ((s64)(now - curr->se.exec_start) > 0)
		curr->se.sum_exec_runtime += now - curr->se.exec_start;
	curr->se.exec_start = now;
}

static void put_prev_task_stop(struct rq *rq, struct task_struct *prev)
{
	update_curr_stop(rq);
}

static void task_tick_stop(struct rq *rq, struct task_struct *curr, int queued)
{
	update_curr_stop(rq);
}

static void switched_to_stop(struct rq *rq, struct task_struct *p)
{
	BUG();	/* only sched_set_stop_task makes a stop task */
}

static void prio_changed_stop(struct rq *rq, struct task_struct *p, int oldprio)
{
	BUG();
}

const struct sched_class stop_sched_class = {
	.enqueue_task = enqueue_task_stop,
	.dequeue_task = dequeue_task_stop,
	.yield_task = yield_task_stop,
	.check_preempt_curr = check_preempt_curr_stop,
	.pick_next_task = pick_next_task_stop,
	.put_prev_task = put_prev_task_stop,
	.set_next_task = set_next_task_stop,
	.select_task_rq = select_task_rq_stop,
	.task_tick = task_tick_stop,
	.switched_to = switched_to_stop,
	.prio_changed = prio_changed_stop,
	.update_curr = update_curr_stop,
	.next = &dl_sched_class,
};

/* Make stop cpu's stop task; it must be asleep (a freshly created kthread). */
void sched_set_stop_task(int cpu, struct task_struct *stop)
{
	struct sched_param param = { .sched_priority = MAX_RT_PRIO - 1 };

	/* FIFO 99 first so that its priority reads right in /proc, as Linux shows it. */
	sched_setscheduler_nocheck(stop, SCHED_FIFO, &param);
	stop->sched_class = &stop_sched_class;
	cpu_rq(cpu)->stop = stop;
}
