// SPDX-License-Identifier: MIT
/*
 * The real-time class (the seed's "Priority and Class"): SCHED_FIFO and SCHED_RR over
 * one list per priority and a bitmap of the non-empty lists. The running task stays on
 * its list; the highest non-empty list's head runs. SCHED_RR tasks have a slice of
 * sysctl_sched_rr_timeslice_ms and go to the tail of their list when it runs out.
 *
 * RT throttling: RT tasks may use sysctl_sched_rt_runtime_us of every
 * sysctl_sched_rt_period_us, so that a runaway FIFO task leaves the lower classes a
 * little time. Linux accounts per CPU too, but ends each period from one global hrtimer;
 * here every CPU ends its own periods at its tick (rt_period_tick) and whenever the
 * current RT task is accounted, so a boundary is seen up to one tick late. The effect is
 * the same: a CPU-bound FIFO task gets ~950 ms of each second and lower classes ~50 ms.
 * While throttled, the RT tasks stay on their lists but are not counted in
 * rq->nr_running (rt_queued is false), so pick_next_task_rt finds nothing.
 */
#include "sched.h"

unsigned int sysctl_sched_rr_timeslice_ms = 100;
int sysctl_sched_rt_period_us = 1000000;
int sysctl_sched_rt_runtime_us = 950000;

/* The RR slice in ticks, at least one; 0 ms means the 100 ms default, as in Linux. */
static unsigned int sched_rr_timeslice(void)
{
	unsigned int ms = READ_ONCE(sysctl_sched_rr_timeslice_ms);

	if (!ms)
		ms = 100;
	return DIV_ROUND_UP(ms * HZ, 1000);
}

static u64 sched_rt_period(void)
{
	return (u64)READ_ONCE(sysctl_sched_rt_period_us) * NSEC_PER_USEC;
}

static u64 sched_rt_runtime(void)
{
	int us = READ_ONCE(sysctl_sched_rt_runtime_us);

	return us < 0 ? RUNTIME_INF : (u64)us * NSEC_PER_USEC;
}

static inline struct task_struct *rt_task_of(struct sched_rt_entity *rt_se)
{
	return container_of(rt_se, struct task_struct, rt);
}

void init_rt_rq(struct rt_rq *rt_rq)
{
	struct rt_prio_array *array = &rt_rq->active;
	int i;

	for (i = 0; i < MAX_RT_PRIO; i++) {
		INIT_LIST_HEAD(&array->queue[i]);
		__clear_bit(i, array->bitmap);
	}
	/* The stop bit: a search of the whole bitmap ends here when every list is empty. */
	__set_bit(MAX_RT_PRIO, array->bitmap);
	rt_rq->rt_nr_running = 0;
	rt_rq->highest_prio = MAX_RT_PRIO;
	rt_rq->rt_time = 0;
	rt_rq->rt_runtime = sched_rt_runtime();
	rt_rq->rt_period_start = 0;
	rt_rq->rt_throttled = false;
	rt_rq->rt_queued = false;
}

/* Take the RT tasks out of rq->nr_running (throttled, or about to change their count). */
static void dequeue_top_rt_rq(struct rq *rq)
{
	struct rt_rq *rt_rq = &rq->rt;

	if (!rt_rq->rt_queued)
		return;
	sub_nr_running(rq, rt_rq->rt_nr_running);
	rt_rq->rt_queued = false;
}

static void enqueue_top_rt_rq(struct rq *rq)
{
	struct rt_rq *rt_rq = &rq->rt;

	if (rt_rq->rt_queued || rt_rq->rt_throttled || !rt_rq->rt_nr_running)
		return;
	add_nr_running(rq, rt_rq->rt_nr_running);
	rt_rq->rt_queued = true;
}

/*
 * End the periods that have passed: each one gives back rt_runtime of the RT time used,
 * and a throttled queue runs again once what is left fits in a period's allowance. The
 * core calls this every tick whatever runs; update_curr_rt calls it too.
 */
void rt_period_tick(struct rq *rq)
{
	struct rt_rq *rt_rq = &rq->rt;
	u64 period = sched_rt_period();
	u64 elapsed = rq_clock(rq) - rt_rq->rt_period_start;
	u64 overrun;

	if (elapsed < period)
		return;
	overrun = elapsed / period;
	rt_rq->rt_period_start += overrun * period;
	/* A changed sysctl takes effect from the new period. */
	rt_rq->rt_runtime = sched_rt_runtime();
	if (rt_rq->rt_runtime == RUNTIME_INF)
		rt_rq->rt_time = 0;
	else
		rt_rq->rt_time -= min(rt_rq->rt_time, overrun * rt_rq->rt_runtime);

	if (rt_rq->rt_throttled && rt_rq->rt_time < rt_rq->rt_runtime) {
		rt_rq->rt_throttled = false;
		enqueue_top_rt_rq(rq);
		if (rt_rq->rt_nr_running && rt_rq->highest_prio < rq->curr->prio)
			resched_curr(rq);
	}
}

/* Whether RT has used up this period's allowance; if so the queue is now throttled. */
static bool sched_rt_runtime_exceeded(struct rq *rq)
{
	struct rt_rq *rt_rq = &rq->rt;

	if (rt_rq->rt_throttled)
		return true;
	/* An allowance of the whole period (or more) never throttles. */
	if (rt_rq->rt_runtime >= sched_rt_period())
		return false;
	if (rt_rq->rt_time <= rt_rq->rt_runtime)
		return false;
	rt_rq->rt_throttled = true;
	dequeue_top_rt_rq(rq);
	return true;
}

/* Charge the current RT task for the time since it was last accounted. */
static void update_curr_rt(struct rq *rq)
{
	struct task_struct *curr = rq->curr;
	u64 now = rq_clock_task(rq);
	u64 delta_exec;

	if (curr->sched_class != &rt_sched_class)
		return;
	delta_exec = now - curr->se.exec_start;
	if ((s64)delta_exec <= 0)
		return;
	curr->se.sum_exec_runtime += delta_exec;
	curr->se.exec_start = now;

	/* The time belongs to the period it ends in. */
	rt_period_tick(rq);
	if (rq->rt.rt_runtime == RUNTIME_INF)
		return;
	rq->rt.rt_time += delta_exec;
	if (sched_rt_runtime_exceeded(rq))
		resched_curr(rq);
}

static void __enqueue_rt_entity(struct rt_rq *rt_rq, struct sched_rt_entity *rt_se, bool head)
{
	int prio = rt_task_of(rt_se)->prio;
	struct list_head *queue = &rt_rq->active.queue[prio];

	if (head)
		list_add(&rt_se->run_list, queue);
	else
		list_add_tail(&rt_se->run_list, queue);
	__set_bit(prio, rt_rq->active.bitmap);
	rt_se->on_rq = 1;
	rt_rq->rt_nr_running++;
	if (prio < rt_rq->highest_prio)
		rt_rq->highest_prio = prio;
}

static void __dequeue_rt_entity(struct rt_rq *rt_rq, struct sched_rt_entity *rt_se)
{
	int prio = rt_task_of(rt_se)->prio;

	list_del_init(&rt_se->run_list);
	if (list_empty(&rt_rq->active.queue[prio]))
		__clear_bit(prio, rt_rq->active.bitmap);
	rt_se->on_rq = 0;
	rt_rq->rt_nr_running--;
	/* The stop bit makes an empty bitmap give MAX_RT_PRIO. */
	if (prio == rt_rq->highest_prio)
		rt_rq->highest_prio = find_first_bit(rt_rq->active.bitmap, MAX_RT_PRIO + 1);
}

static void enqueue_task_rt(struct rq *rq, struct task_struct *p, int flags)
{
	/* A new RT task (slice 0) starts with a full RR slice. */
	if (!p->rt.time_slice)
		p->rt.time_slice = sched_rr_timeslice();
	dequeue_top_rt_rq(rq);
	__enqueue_rt_entity(&rq->rt, &p->rt, flags & ENQUEUE_HEAD);
	enqueue_top_rt_rq(rq);
}

static void dequeue_task_rt(struct rq *rq, struct task_struct *p, int flags)
{
	update_curr_rt(rq);
	dequeue_top_rt_rq(rq);
	__dequeue_rt_entity(&rq->rt, &p->rt);
	enqueue_top_rt_rq(rq);
}

/* Move a queued task to the head or tail of its priority's list. */
static void requeue_task_rt(struct rq *rq, struct task_struct *p, bool head)
{
	struct sched_rt_entity *rt_se = &p->rt;
	struct list_head *queue = &rq->rt.active.queue[p->prio];

	if (!rt_se->on_rq)
		return;
	list_del(&rt_se->run_list);
	if (head)
		list_add(&rt_se->run_list, queue);
	else
		list_add_tail(&rt_se->run_list, queue);
}

static void yield_task_rt(struct rq *rq)
{
	requeue_task_rt(rq, rq->curr, false);
}

/* Only a strictly higher priority preempts: equals wait for a yield, block or RR expiry. */
static void check_preempt_curr_rt(struct rq *rq, struct task_struct *p, int flags)
{
	if (p->prio < rq->curr->prio)
		resched_curr(rq);
}

static void set_next_task_rt(struct rq *rq, struct task_struct *p, bool first)
{
	p->se.exec_start = rq_clock_task(rq);
}

static struct task_struct *pick_task_rt(struct rq *rq)
{
	struct rt_prio_array *array = &rq->rt.active;
	int idx = find_first_bit(array->bitmap, MAX_RT_PRIO);

	return rt_task_of(list_first_entry(&array->queue[idx], struct sched_rt_entity, run_list));
}

static struct task_struct *pick_next_task_rt(struct rq *rq)
{
	struct task_struct *p;

	/* Nothing queued, or throttled. */
	if (!rq->rt.rt_queued)
		return NULL;
	p = pick_task_rt(rq);
	set_next_task_rt(rq, p, true);
	return p;
}

static void put_prev_task_rt(struct rq *rq, struct task_struct *p)
{
	update_curr_rt(rq);
}

static void task_tick_rt(struct rq *rq, struct task_struct *p, int queued)
{
	struct sched_rt_entity *rt_se = &p->rt;

	update_curr_rt(rq);
	if (p->policy != SCHED_RR)
		return;
	if (--rt_se->time_slice)
		return;
	rt_se->time_slice = sched_rr_timeslice();
	/* Round-robin only among equals: alone on its list, the task just goes on. */
	if (rt_se->run_list.prev != rt_se->run_list.next) {
		requeue_task_rt(rq, p, false);
		resched_curr(rq);
	}
}

/*
 * Placement comes with the SMP work (push/pull); until then stay where the task last ran
 * if it may, else take the first CPU it may use.
 */
static int select_task_rq_rt(struct task_struct *p, int prev_cpu, int wake_flags)
{
	unsigned int cpu;

	if (is_cpu_allowed(p, prev_cpu))
		return prev_cpu;
	cpu = cpumask_first_and(&p->cpus_mask, &cpu_online_mask);
	return cpu < nr_cpu_ids ? (int)cpu : prev_cpu;
}

/* A task that became RT while queued preempts a lower-priority current task. */
static void switched_to_rt(struct rq *rq, struct task_struct *p)
{
	if (task_current(rq, p) || !task_on_rq_queued(p))
		return;
	if (p->prio < rq->curr->prio)
		resched_curr(rq);
}

/*
 * Running: give way if a queued task now outranks it. Queued: run if it now outranks
 * the current task. (Linux on SMP also pulls work when the running task is lowered.)
 */
static void prio_changed_rt(struct rq *rq, struct task_struct *p, int oldprio)
{
	if (!task_on_rq_queued(p))
		return;
	if (task_current(rq, p)) {
		if (rq->rt.highest_prio < p->prio)
			resched_curr(rq);
	} else if (p->prio < rq->curr->prio) {
		resched_curr(rq);
	}
}

static unsigned int get_rr_interval_rt(struct rq *rq, struct task_struct *p)
{
	if (p->policy == SCHED_RR)
		return sched_rr_timeslice() * TICK_NSEC;
	return 0;
}

const struct sched_class rt_sched_class = {
	.enqueue_task		= enqueue_task_rt,
	.dequeue_task		= dequeue_task_rt,
	.yield_task		= yield_task_rt,
	.check_preempt_curr	= check_preempt_curr_rt,
	.pick_next_task		= pick_next_task_rt,
	.put_prev_task		= put_prev_task_rt,
	.set_next_task		= set_next_task_rt,
	.select_task_rq		= select_task_rq_rt,
	.task_tick		= task_tick_rt,
	.switched_to		= switched_to_rt,
	.prio_changed		= prio_changed_rt,
	.get_rr_interval	= get_rr_interval_rt,
	.update_curr		= update_curr_rt,
	.next			= &fair_sched_class,
};
