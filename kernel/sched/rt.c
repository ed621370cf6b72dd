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
 *
 * SMP, as in Linux: the most important runnable RT tasks are the ones running, each on a
 * CPU it may use. Three mechanisms keep it so:
 *  - placement (select_task_rq_rt): a task that would not run at once where it last ran
 *    goes to the CPU whose work is least important;
 *  - push (push_rt_tasks): an RT task that waits moves to a CPU whose work it outranks;
 *    tried when a task wakes behind another (task_woken_rt) and after each pick, when
 *    the task switched out may be the one waiting (set_next_task_rt queues it);
 *  - pull (pull_rt_task): before picking, a CPU takes the RT tasks waiting elsewhere that
 *    outrank everything it has (balance_rt).
 * Where Linux keeps cpupri (CPUs by priority) and per-queue lists of pushable tasks, this
 * scans: the CPUs (at most NR_CPUS = 64, each run queue's summary read without its lock,
 * a hint that the move checks again under both locks) and a queue's lists. A throttled
 * queue neither takes RT tasks nor gives them: they wait for its period to end.
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

/* CPUs with an RT task waiting, where pull_rt_task looks; rto_count of them. */
static struct cpumask rto_mask;
static atomic_t rto_count;

static DEFINE_PER_CPU(struct balance_callback, rt_push_head);
static DEFINE_PER_CPU(struct balance_callback, rt_pull_head);

static void rt_queue_pull_task(struct rq *rq);

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
	rt_rq->overloaded = false;
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
		WRITE_ONCE(rt_rq->rt_throttled, false);
		enqueue_top_rt_rq(rq);
		/* Push and pull passed this queue by while it was throttled. */
		rt_queue_push_tasks(rq);
		rt_queue_pull_task(rq);
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
	WRITE_ONCE(rt_rq->rt_throttled, true);
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
		WRITE_ONCE(rt_rq->highest_prio, prio);
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
		WRITE_ONCE(rt_rq->highest_prio,
			   find_first_bit(rt_rq->active.bitmap, MAX_RT_PRIO + 1));
}

/*
 * Whether an RT task waits on rq: more than one is queued, or one behind a deadline task.
 * Kept in rto_mask for pull_rt_task; deadline.c calls this as its count changes.
 */
void rt_update_overload(struct rq *rq)
{
	unsigned int nr = rq->rt.rt_nr_running;
	bool overloaded = nr > 1 || (nr && rq->dl.dl_nr_running);

	if (overloaded == rq->rt.overloaded)
		return;
	rq->rt.overloaded = overloaded;
	if (overloaded) {
		cpumask_set_cpu(rq->cpu, &rto_mask);
		/* The mask before the count: pull_rt_task reads them the other way round. */
		smp_wmb();
		atomic_inc(&rto_count);
	} else {
		atomic_dec(&rto_count);
		cpumask_clear_cpu(rq->cpu, &rto_mask);
	}
}

static void enqueue_task_rt(struct rq *rq, struct task_struct *p, int flags)
{
	/* A new RT task (slice 0) starts with a full RR slice. */
	if (!p->rt.time_slice)
		p->rt.time_slice = sched_rr_timeslice();
	/* RLIMIT_RTTIME counts CPU time since the task last blocked. */
	if (flags & ENQUEUE_WAKEUP)
		p->rt.timeout = 0;
	dequeue_top_rt_rq(rq);
	__enqueue_rt_entity(&rq->rt, &p->rt, flags & ENQUEUE_HEAD);
	enqueue_top_rt_rq(rq);
	rt_update_overload(rq);
}

static void dequeue_task_rt(struct rq *rq, struct task_struct *p, int flags)
{
	update_curr_rt(rq);
	dequeue_top_rt_rq(rq);
	__dequeue_rt_entity(&rq->rt, &p->rt);
	enqueue_top_rt_rq(rq);
	rt_update_overload(rq);
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
	/* Picked: the tasks left waiting here (prev among them) may run elsewhere. */
	if (first)
		rt_queue_push_tasks(rq);
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
	/* Linux's watchdog: a tick of running without blocking, for RLIMIT_RTTIME (checked
	 * by the tick's posix-cpu-timers, outside the scheduler). */
	rt_se->timeout++;
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
 * How much the work on rq matters, on the task prio scale (lower matters more): its best
 * queued RT task; -1, above every RT task, when a deadline task is queued or RT is
 * throttled there; MAX_RT_PRIO for fair work, one more for an idle CPU (the best place).
 * Read without rq->lock.
 */
static int rt_rq_level(struct rq *rq)
{
	int prio;

	if (READ_ONCE(rq->dl.dl_nr_running) || READ_ONCE(rq->rt.rt_throttled))
		return MAX_DL_PRIO - 1;
	prio = READ_ONCE(rq->rt.highest_prio);
	if (prio < MAX_RT_PRIO)
		return prio;
	return READ_ONCE(rq->nr_running) ? MAX_RT_PRIO : MAX_RT_PRIO + 1;
}

/*
 * The CPU p may use whose work matters least, if p outranks it: among equals prefer, else
 * the lowest-numbered, so that placement is deterministic. -1 if p outranks no CPU's work.
 */
static int find_lowest_cpu(struct task_struct *p, int prefer)
{
	int cpu, best = -1, best_level = p->prio;

	for_each_cpu_and(cpu, &p->cpus_mask, &cpu_online_mask) {
		int level = rt_rq_level(cpu_rq(cpu));

		if (level > best_level || (level == best_level && cpu == prefer && best >= 0)) {
			best = cpu;
			best_level = level;
		}
	}
	return best;
}

/* Stay where p last ran (its cache) if it runs there at once; else the least busy CPU. */
static int select_task_rq_rt(struct task_struct *p, int prev_cpu, int wake_flags)
{
	int cpu;

	if (is_cpu_allowed(p, prev_cpu) && rt_rq_level(cpu_rq(prev_cpu)) > p->prio)
		return prev_cpu;
	cpu = find_lowest_cpu(p, prev_cpu);
	return cpu >= 0 ? cpu : prev_cpu;
}

/*
 * The most important task queued on rq that is not running and may move: to cpu, or if
 * cpu < 0 to some CPU whose work it outranks. (Linux tries only the first that may move:
 * one held by its affinity would keep the others from moving.) The first in the queue
 * runs as soon as a stopper is done with the CPU: stop_machine does not reshuffle.
 */
static struct task_struct *pick_pushable_task_rt(struct rq *rq, int cpu)
{
	struct rt_prio_array *array = &rq->rt.active;
	bool skip_first = rq->curr == rq->stop;
	struct sched_rt_entity *rt_se;
	unsigned int idx;

	for_each_set_bit(idx, array->bitmap, MAX_RT_PRIO) {
		list_for_each_entry(rt_se, &array->queue[idx], run_list) {
			struct task_struct *p = rt_task_of(rt_se);

			if (skip_first) {
				skip_first = false;
				continue;
			}
			if (task_current(rq, p) || task_running(rq, p) || p->nr_cpus_allowed < 2)
				continue;
			if (cpu >= 0 ? cpumask_test_cpu(cpu, &p->cpus_mask) :
				       find_lowest_cpu(p, -1) >= 0)
				return p;
		}
	}
	return NULL;
}

#define RT_MAX_TRIES	3

/*
 * With rq (p's) locked, lock the run queue of the CPU whose work p outranks the most.
 * Taking it may drop rq->lock, and then p may have run, moved or changed: if it is no
 * longer rq's task to push, give up. NULL if there is no such CPU.
 */
static struct rq *find_lock_lowest_rq(struct task_struct *p, struct rq *rq)
{
	for (int tries = 0; tries < RT_MAX_TRIES; tries++) {
		int cpu = find_lowest_cpu(p, -1);
		struct rq *lowest;

		if (cpu < 0 || cpu == rq->cpu)
			return NULL;
		lowest = cpu_rq(cpu);
		if (double_lock_balance(rq, lowest) &&
		    (task_rq(p) != rq || !task_on_rq_queued(p) || !rt_task(p) ||
		     task_current(rq, p) || task_running(rq, p) ||
		     !cpumask_test_cpu(cpu, &p->cpus_mask))) {
			double_unlock_balance(rq, lowest);
			return NULL;
		}
		/* The hint again, under lowest's lock this time. */
		if (rt_rq_level(lowest) > p->prio)
			return lowest;
		double_unlock_balance(rq, lowest);
	}
	return NULL;
}

/* Both run queues locked: p leaves src for dst. */
static void move_task_rt(struct rq *src, struct task_struct *p, struct rq *dst)
{
	deactivate_task(src, p, 0);
	set_task_cpu(p, dst->cpu);
	activate_task(dst, p, 0);
	check_preempt_curr(dst, p, 0);
}

/* Move the most important RT task waiting on rq that outranks some CPU's work there. */
static bool push_rt_task(struct rq *rq)
{
	struct task_struct *next, *p;
	struct rq *lowest;

	if (!rq->rt.overloaded || rq->rt.rt_throttled)
		return false;
	next = pick_pushable_task_rt(rq, -1);
	if (!next)
		return false;
retry:
	/* It runs here as soon as the current task gives way. */
	if (next->prio < rq->curr->prio) {
		resched_curr(rq);
		return false;
	}
	get_task_struct(next);		/* rq->lock may be dropped: next may run and exit */
	lowest = find_lock_lowest_rq(next, rq);
	if (!lowest) {
		/* With the lock dropped another task may have become the one to push. */
		p = pick_pushable_task_rt(rq, -1);
		put_task_struct(next);
		if (!p || p == next)
			return false;
		next = p;
		goto retry;
	}
	move_task_rt(rq, next, lowest);
	double_unlock_balance(rq, lowest);
	put_task_struct(next);
	return true;
}

static void push_rt_tasks(struct rq *rq)
{
	while (push_rt_task(rq))
		;
}

/* Push from rq once its switch is done (queue_balance_callback). */
void rt_queue_push_tasks(struct rq *rq)
{
	if (rq->rt.overloaded)
		queue_balance_callback(rq, &per_cpu(rt_push_head, rq->cpu), push_rt_tasks);
}

/*
 * Take the RT tasks waiting on other CPUs that outrank everything queued here and may
 * run here (the most important of them ends up running; the others are pushed on after
 * the pick). this_rq->lock is held and may be dropped.
 */
static void pull_rt_task(struct rq *this_rq)
{
	int this_cpu = this_rq->cpu, cpu;

	if (!atomic_read(&rto_count))
		return;
	smp_rmb();	/* pairs with rt_update_overload */
	for_each_cpu(cpu, &rto_mask) {
		struct rq *src = cpu_rq(cpu);
		struct task_struct *p;

		/* Nothing there outranks our work (read without its lock). */
		if (cpu == this_cpu || READ_ONCE(src->rt.highest_prio) >= rt_rq_level(this_rq))
			continue;
		double_lock_balance(this_rq, src);
		p = src->rt.rt_throttled ? NULL : pick_pushable_task_rt(src, this_cpu);
		/* Skip one that outranks src's current task: it is about to run there. */
		if (p && p->prio < rt_rq_level(this_rq) && p->prio >= src->curr->prio)
			move_task_rt(src, p, this_rq);
		double_unlock_balance(this_rq, src);
	}
}

/* The core's schedule runs queued callbacks: ask rq for one. */
static void rt_queue_pull_task(struct rq *rq)
{
	queue_balance_callback(rq, &per_cpu(rt_pull_head, rq->cpu), pull_rt_task);
	resched_curr(rq);
}

/*
 * Before the pick (prev still current, so never moved): pull what outranks the work here.
 * True if this or a higher class has a task, so the lower classes need not balance.
 */
static int balance_rt(struct rq *rq, struct task_struct *prev)
{
	pull_rt_task(rq);
	return rq->rt.rt_queued || rq->dl.dl_nr_running ||
	       (rq->stop && task_on_rq_queued(rq->stop));
}

/* p was woken onto rq and waits there (it did not preempt): push what waits elsewhere. */
static void task_woken_rt(struct rq *rq, struct task_struct *p)
{
	if (!task_running(rq, p) && !test_tsk_need_resched(rq->curr))
		push_rt_tasks(rq);
}

/* p left the class; if rq has no RT task left, those waiting elsewhere may run here. */
static void switched_from_rt(struct rq *rq, struct task_struct *p)
{
	if (task_on_rq_queued(p) && !rq->rt.rt_nr_running)
		rt_queue_pull_task(rq);
}

/* Became RT while queued: the schedule asked for preempts for it, or pushes it on. */
static void switched_to_rt(struct rq *rq, struct task_struct *p)
{
	if (task_current(rq, p) || !task_on_rq_queued(p))
		return;
	rt_queue_push_tasks(rq);
	resched_curr(rq);
}

/*
 * Running: give way if a queued task now outranks it, and if lowered, pull what now
 * outranks it. Queued: run if it now outranks the current task, else maybe elsewhere.
 */
static void prio_changed_rt(struct rq *rq, struct task_struct *p, int oldprio)
{
	if (!task_on_rq_queued(p))
		return;
	if (task_current(rq, p)) {
		if (oldprio < p->prio)
			rt_queue_pull_task(rq);
		if (rq->rt.highest_prio < p->prio)
			resched_curr(rq);
	} else {
		rt_queue_push_tasks(rq);
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
	.balance		= balance_rt,
	.select_task_rq		= select_task_rq_rt,
	.task_woken		= task_woken_rt,
	.task_tick		= task_tick_rt,
	.switched_from		= switched_from_rt,
	.switched_to		= switched_to_rt,
	.prio_changed		= prio_changed_rt,
	.get_rr_interval	= get_rr_interval_rt,
	.update_curr		= update_curr_rt,
	.next			= &fair_sched_class,
};
