// SPDX-License-Identifier: MIT
/*
 * The deadline class (SCHED_DEADLINE): earliest deadline first over a tree of absolute
 * deadlines, each task run by a constant-bandwidth server (CBS). A task asks for
 * dl_runtime of every dl_period, done within dl_deadline of the period's start; each such
 * period is an instance with its own absolute deadline and budget (runtime).
 *
 * The running task stays in the tree. When its budget runs out it is throttled: taken out
 * of the tree (and of rq->nr_running) until dl_timer fires at its next period, which
 * replenishes it and queues it again. A task that wakes keeps its deadline and budget only
 * if they fit its bandwidth from now on (the CBS wake-up rule); otherwise it starts a new
 * instance. Admission control keeps the admitted bandwidth under dl_bw_limit per CPU.
 *
 * Deadlines live on rq_clock(), which is sched_clock(), the same clock as hrtimers, so
 * absolute deadlines arm timers as they are.
 *
 * Deadline misses (dl_se->nr_deadline_misses). An instance misses when its task still
 * wanted to run it after its absolute deadline. Each instance counts at most once, when
 * it ends:
 *  - its budget ran out later than the deadline (the moment it ran out, not the moment
 *    the tick noticed), or the task yielded or blocked later than the deadline;
 *  - a runnable task replenished so late that even its next deadline has passed counts
 *    one miss for the instances skipped that got nothing.
 * So a task running an instance past its deadline is counted when that instance ends,
 * at most its remaining runtime later.
 *
 * SMP: global EDF in Linux's way, by placement and migration rather than one shared
 * queue. A waking task goes to a CPU where it runs at once, one with no deadline task
 * first, else the one whose earliest deadline is latest (select_task_rq_dl); a task left
 * waiting is pushed to such a CPU (push_dl_task: on wake-up, replenishment and after each
 * pick); a CPU about to run something later pulls the earliest task waiting elsewhere
 * that it could run (pull_dl_task, from balance_dl). As in rt.c, the CPUs are scanned
 * (Linux keeps a heap of them, cpudl) and each move is checked again under both locks.
 * Global EDF is not optimal: it meets every deadline for implicit-deadline tasks of
 * total utilisation U on m CPUs when U <= m - (m - 1) * u_max (Goossens, Funk, Baruah).
 */
#include "sched.h"

#include <uapi/errno.h>

/* Budgets are compared in units of 2^DL_SCALE ns so that the products fit in 64 bits. */
#define DL_SCALE		10
/* Linux's bounds on a period, in us. */
#define DL_PERIOD_MIN_US	100
#define DL_PERIOD_MAX_US	(1U << 22)
/* The shortest hrtick, as Linux: a budget ending sooner is noticed by that one. */
#define HRTICK_MIN_NS		10000LL

/* The RT limit applied per CPU, as Linux: to_ratio(1000000 us, 950000 us). */
u64 dl_bw_limit = ((u64)950000 << BW_SHIFT) / 1000000;

/* Bandwidth admitted to deadline tasks, over one root domain of all online CPUs. */
static DEFINE_SPINLOCK(dl_bw_lock);
static u64 dl_total_bw;

/* CPUs with a deadline task waiting, where pull_dl_task looks; dlo_count of them. */
static struct cpumask dlo_mask;
static atomic_t dlo_count;

static DEFINE_PER_CPU(struct balance_callback, dl_push_head);
static DEFINE_PER_CPU(struct balance_callback, dl_pull_head);

/* a before b, correct across wrap-around of the clock. */
static inline bool dl_time_before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

static inline struct task_struct *dl_task_of(struct sched_dl_entity *dl_se)
{
	return container_of(dl_se, struct task_struct, dl);
}

/* In the tree: queued and not throttled. */
static inline bool on_dl_rq(const struct sched_dl_entity *dl_se)
{
	return !RB_EMPTY_NODE(&dl_se->rb_node);
}

static inline bool dl_is_implicit(const struct sched_dl_entity *dl_se)
{
	return dl_se->dl_deadline == dl_se->dl_period;
}

/* When the current instance's period ends and the next one starts. */
static inline u64 dl_next_period(const struct sched_dl_entity *dl_se)
{
	return dl_se->deadline - dl_se->dl_deadline + dl_se->dl_period;
}

static inline bool is_leftmost(struct task_struct *p, struct dl_rq *dl_rq)
{
	return rb_first_cached(&dl_rq->root) == &p->dl.rb_node;
}

/* Parameters. */

bool __checkparam_dl(const struct sched_attr *attr)
{
	u64 period = attr->sched_period ?: attr->sched_deadline;

	if (!attr->sched_deadline)
		return false;
	/* Budgets lose their low DL_SCALE bits in comparisons. */
	if (attr->sched_runtime < (1ULL << DL_SCALE))
		return false;
	/* The top bit is the sign in wrap-safe comparisons. */
	if ((attr->sched_deadline | attr->sched_period) & (1ULL << 63))
		return false;
	if (period < attr->sched_deadline || attr->sched_deadline < attr->sched_runtime)
		return false;
	return period >= (u64)DL_PERIOD_MIN_US * NSEC_PER_USEC &&
	       period <= (u64)DL_PERIOD_MAX_US * NSEC_PER_USEC;
}

void __setparam_dl(struct task_struct *p, const struct sched_attr *attr)
{
	struct sched_dl_entity *dl_se = &p->dl;

	dl_se->dl_runtime = attr->sched_runtime;
	dl_se->dl_deadline = attr->sched_deadline;
	dl_se->dl_period = attr->sched_period ?: attr->sched_deadline;
	dl_se->dl_bw = to_ratio(dl_se->dl_period, dl_se->dl_runtime);
	dl_se->dl_density = to_ratio(dl_se->dl_deadline, dl_se->dl_runtime);
	/* New parameters, new instance: the next enqueue starts it. */
	dl_se->dl_new = 1;
}

void __getparam_dl(struct task_struct *p, struct sched_attr *attr)
{
	struct sched_dl_entity *dl_se = &p->dl;

	attr->sched_priority = p->rt_priority;
	attr->sched_runtime = dl_se->dl_runtime;
	attr->sched_deadline = dl_se->dl_deadline;
	attr->sched_period = dl_se->dl_period;
}

/* A zero period in attr means the deadline, as it does when set. */
bool dl_param_changed(struct task_struct *p, const struct sched_attr *attr)
{
	struct sched_dl_entity *dl_se = &p->dl;

	return dl_se->dl_runtime != attr->sched_runtime ||
	       dl_se->dl_deadline != attr->sched_deadline ||
	       dl_se->dl_period != (attr->sched_period ?: attr->sched_deadline);
}

/*
 * Admission control, Linux's rule: the sum of the bandwidths of all deadline tasks must
 * stay within dl_bw_limit times the online CPUs. A single task is not held to one CPU's
 * limit (Linux does not either; a task's bandwidth is at most 1 by __checkparam_dl).
 * Called before p->policy and p->dl change; leaving the class always succeeds.
 */
int sched_dl_overflow(struct task_struct *p, int policy, const struct sched_attr *attr)
{
	u64 period = attr->sched_period ?: attr->sched_deadline;
	u64 new_bw = dl_policy(policy) ? to_ratio(period, attr->sched_runtime) : 0;
	u64 old_bw = dl_policy(p->policy) ? p->dl.dl_bw : 0;
	u64 cap = dl_bw_limit * num_online_cpus();
	unsigned long flags;
	int err = 0;

	if (new_bw == old_bw)
		return 0;
	spin_lock_irqsave(&dl_bw_lock, flags);
	if (dl_policy(policy) && dl_total_bw - old_bw + new_bw > cap)
		err = -EBUSY;
	else
		dl_total_bw = dl_total_bw - old_bw + new_bw;
	spin_unlock_irqrestore(&dl_bw_lock, flags);
	return err;
}

/*
 * A dead task: stop its replenishment timer and give back its bandwidth. Called without
 * run-queue locks (finish_task_switch), since the timer's callback takes them. Calling
 * it twice is harmless: the bandwidth is zeroed once given back.
 */
void sched_dl_task_exit(struct task_struct *p)
{
	unsigned long flags;

	hrtimer_cancel(&p->dl.dl_timer);
	if (!dl_policy(p->policy))
		return;
	spin_lock_irqsave(&dl_bw_lock, flags);
	dl_total_bw -= p->dl.dl_bw;
	spin_unlock_irqrestore(&dl_bw_lock, flags);
	p->dl.dl_bw = 0;
}

/* The constant-bandwidth server. */

bool dl_entity_overflow(const struct sched_dl_entity *dl_se, u64 t)
{
	/* runtime / (deadline - t) > dl_runtime / dl_deadline, cross-multiplied. */
	u64 left = (dl_se->dl_deadline >> DL_SCALE) * ((u64)dl_se->runtime >> DL_SCALE);
	u64 right = ((dl_se->deadline - t) >> DL_SCALE) * (dl_se->dl_runtime >> DL_SCALE);

	return right < left;
}

static void replenish_dl_new_period(struct rq *rq, struct sched_dl_entity *dl_se)
{
	dl_se->deadline = rq_clock(rq) + dl_se->dl_deadline;
	dl_se->runtime = dl_se->dl_runtime;
}

static void setup_new_dl_entity(struct rq *rq, struct sched_dl_entity *dl_se)
{
	dl_se->dl_new = 0;
	dl_se->dl_throttled = 0;
	dl_se->dl_yielded = 0;
	replenish_dl_new_period(rq, dl_se);
}

/* The next period: a full budget, less any overrun of the last one. */
static void replenish_dl_entity(struct rq *rq, struct sched_dl_entity *dl_se)
{
	/* A yield gave up what was left. */
	if (dl_se->dl_yielded && dl_se->runtime > 0)
		dl_se->runtime = 0;
	while (dl_se->runtime <= 0) {
		dl_se->deadline += dl_se->dl_period;
		dl_se->runtime += dl_se->dl_runtime;
	}
	/* So late that this deadline has passed too: start afresh from now. */
	if (dl_time_before(dl_se->deadline, rq_clock(rq))) {
		if (task_on_rq_queued(dl_task_of(dl_se)))
			dl_se->nr_deadline_misses++;
		replenish_dl_new_period(rq, dl_se);
	}
	dl_se->dl_yielded = 0;
	dl_se->dl_throttled = 0;
}

/*
 * The CBS wake-up rule: keep the deadline and budget only if the deadline is ahead and
 * the budget fits the task's bandwidth until then. A constrained task (deadline shorter
 * than period) whose deadline is ahead keeps it with the budget its density allows until
 * then (Linux's revised wake-up), since a new instance could exceed its bandwidth.
 */
static void update_dl_entity(struct rq *rq, struct sched_dl_entity *dl_se)
{
	u64 now = rq_clock(rq);

	if (!dl_time_before(dl_se->deadline, now) && !dl_entity_overflow(dl_se, now))
		return;
	if (!dl_is_implicit(dl_se) && !dl_time_before(dl_se->deadline, now)) {
		dl_se->runtime = (dl_se->dl_density * (dl_se->deadline - now)) >> BW_SHIFT;
		return;
	}
	replenish_dl_new_period(rq, dl_se);
}

/* The EDF tree. */

static bool __dl_less(struct rb_node *a, const struct rb_node *b)
{
	return dl_time_before(rb_entry(a, struct sched_dl_entity, rb_node)->deadline,
			      rb_entry(b, struct sched_dl_entity, rb_node)->deadline);
}

static void update_earliest_dl(struct dl_rq *dl_rq)
{
	struct rb_node *left = rb_first_cached(&dl_rq->root);

	WRITE_ONCE(dl_rq->earliest_dl,
		   left ? rb_entry(left, struct sched_dl_entity, rb_node)->deadline : 0);
}

/* Whether a deadline task waits on rq (kept in dlo_mask for pull_dl_task). */
static void dl_update_overload(struct rq *rq)
{
	bool overloaded = rq->dl.dl_nr_running > 1;

	if (overloaded == rq->dl.overloaded)
		return;
	rq->dl.overloaded = overloaded;
	if (overloaded) {
		cpumask_set_cpu(rq->cpu, &dlo_mask);
		/* The mask before the count: pull_dl_task reads them the other way round. */
		smp_wmb();
		atomic_inc(&dlo_count);
	} else {
		atomic_dec(&dlo_count);
		cpumask_clear_cpu(rq->cpu, &dlo_mask);
	}
}

/* After a change of dl_nr_running: the overload state of both classes. */
static void update_dl_nr_running(struct rq *rq, int delta)
{
	WRITE_ONCE(rq->dl.dl_nr_running, rq->dl.dl_nr_running + delta);
	update_earliest_dl(&rq->dl);
	dl_update_overload(rq);
	rt_update_overload(rq);
}

static void __enqueue_dl_entity(struct rq *rq, struct sched_dl_entity *dl_se)
{
	rb_add_cached(&dl_se->rb_node, &rq->dl.root, __dl_less);
	add_nr_running(rq, 1);
	update_dl_nr_running(rq, 1);
}

static void __dequeue_dl_entity(struct rq *rq, struct sched_dl_entity *dl_se)
{
	struct dl_rq *dl_rq = &rq->dl;

	if (!on_dl_rq(dl_se))
		return;
	rb_erase_cached(&dl_se->rb_node, &dl_rq->root);
	RB_CLEAR_NODE(&dl_se->rb_node);
	sub_nr_running(rq, 1);
	update_dl_nr_running(rq, -1);
}

static void enqueue_dl_entity(struct rq *rq, struct sched_dl_entity *dl_se, int flags)
{
	if (dl_se->dl_new)
		setup_new_dl_entity(rq, dl_se);
	else if (flags & ENQUEUE_REPLENISH)
		replenish_dl_entity(rq, dl_se);
	else if (flags & ENQUEUE_WAKEUP)
		update_dl_entity(rq, dl_se);
	else if ((flags & ENQUEUE_RESTORE) && dl_time_before(dl_se->deadline, rq_clock(rq)))
		replenish_dl_new_period(rq, dl_se);
	__enqueue_dl_entity(rq, dl_se);
}

static void check_preempt_curr_dl(struct rq *rq, struct task_struct *p, int flags)
{
	if (dl_time_before(p->dl.deadline, rq->curr->dl.deadline))
		resched_curr(rq);
}

/* SMP: placement, push and pull. */

/* A CPU with no deadline task, by how little else it has: RT by priority, fair, idle. */
static u64 dl_free_rank(struct rq *rq)
{
	int prio = READ_ONCE(rq->rt.highest_prio);

	if (prio < MAX_RT_PRIO)
		return prio;
	return READ_ONCE(rq->nr_running) ? MAX_RT_PRIO : MAX_RT_PRIO + 1;
}

/*
 * The CPU p may use where it would run at once and disturb least: one with no deadline
 * task (dl_free_rank), else the one whose earliest deadline is latest and after p's.
 * Among equals prefer, else the lowest-numbered. Run queues are read without their locks.
 * -1 if p would preempt nowhere.
 */
static int find_later_cpu(struct task_struct *p, int prefer)
{
	bool best_free = false;
	u64 best_key = 0;
	int cpu, best = -1;

	for_each_cpu_and(cpu, &p->cpus_mask, &cpu_online_mask) {
		struct rq *rq = cpu_rq(cpu);
		bool free = !READ_ONCE(rq->dl.dl_nr_running);
		u64 key;
		int cmp;

		if (free) {
			key = dl_free_rank(rq);
		} else {
			key = READ_ONCE(rq->dl.earliest_dl);
			if (!dl_time_before(p->dl.deadline, key))
				continue;
		}
		if (best < 0)
			cmp = 1;
		else if (free != best_free)
			cmp = free ? 1 : -1;
		else if (key == best_key)
			cmp = 0;
		else
			cmp = (free ? key > best_key : dl_time_before(best_key, key)) ? 1 : -1;
		if (cmp > 0 || (cmp == 0 && cpu == prefer)) {
			best = cpu;
			best_free = free;
			best_key = key;
		}
	}
	return best;
}

static int select_task_rq_dl(struct task_struct *p, int prev_cpu, int wake_flags)
{
	int cpu = find_later_cpu(p, prev_cpu);

	return cpu >= 0 ? cpu : prev_cpu;
}

/* The earliest task in rq's tree that is not running and may move (to cpu if >= 0). */
static struct task_struct *pick_pushable_task_dl(struct rq *rq, int cpu)
{
	struct rb_node *node;

	for (node = rb_first_cached(&rq->dl.root); node; node = rb_next(node)) {
		struct task_struct *p = dl_task_of(rb_entry(node, struct sched_dl_entity, rb_node));

		if (task_current(rq, p) || task_running(rq, p) || p->nr_cpus_allowed < 2)
			continue;
		if (cpu < 0 || cpumask_test_cpu(cpu, &p->cpus_mask))
			return p;
	}
	return NULL;
}

#define DL_MAX_TRIES	3

/* Whether p, in the tree, would preempt the deadline work on rq (locked). */
static bool dl_runs_at_once(struct rq *rq, struct task_struct *p)
{
	return !rq->dl.dl_nr_running || dl_time_before(p->dl.deadline, rq->dl.earliest_dl);
}

/*
 * With rq (p's) locked, lock the run queue find_later_cpu chooses for p. Taking it may
 * drop rq->lock, and then p may have run, moved or changed: if it is no longer rq's task
 * to push, give up. NULL if there is no such CPU.
 */
static struct rq *find_lock_later_rq(struct task_struct *p, struct rq *rq)
{
	for (int tries = 0; tries < DL_MAX_TRIES; tries++) {
		int cpu = find_later_cpu(p, -1);
		struct rq *later;

		if (cpu < 0 || cpu == rq->cpu)
			return NULL;
		later = cpu_rq(cpu);
		if (double_lock_balance(rq, later) &&
		    (task_rq(p) != rq || !task_on_rq_queued(p) || !dl_task(p) ||
		     !cpumask_test_cpu(cpu, &p->cpus_mask) || pick_pushable_task_dl(rq, -1) != p)) {
			double_unlock_balance(rq, later);
			return NULL;
		}
		if (dl_runs_at_once(later, p))
			return later;
		double_unlock_balance(rq, later);
	}
	return NULL;
}

/* Both run queues locked: p leaves src for dst. */
static void move_task_dl(struct rq *src, struct task_struct *p, struct rq *dst)
{
	deactivate_task(src, p, 0);
	set_task_cpu(p, dst->cpu);
	activate_task(dst, p, 0);
	check_preempt_curr(dst, p, 0);
}

/* Move rq's earliest waiting deadline task to a CPU where it runs at once; false if none. */
static bool push_dl_task(struct rq *rq)
{
	struct task_struct *next, *p;
	struct rq *later;

	if (!rq->dl.overloaded)
		return false;
	next = pick_pushable_task_dl(rq, -1);
	if (!next)
		return false;
retry:
	/*
	 * A current task that is not a deadline task in the tree is on its way out (a
	 * reschedule is pending) or the stopper: next runs here then. One that is later
	 * than next gives way to it.
	 */
	if (!dl_task(rq->curr) || !on_dl_rq(&rq->curr->dl))
		return false;
	if (dl_time_before(next->dl.deadline, rq->curr->dl.deadline)) {
		resched_curr(rq);
		return false;
	}
	get_task_struct(next);		/* rq->lock may be dropped: next may run and exit */
	later = find_lock_later_rq(next, rq);
	if (!later) {
		/* With the lock dropped another task may have become the one to push. */
		p = pick_pushable_task_dl(rq, -1);
		put_task_struct(next);
		if (!p || p == next)
			return false;
		next = p;
		goto retry;
	}
	move_task_dl(rq, next, later);
	double_unlock_balance(rq, later);
	put_task_struct(next);
	return true;
}

static void push_dl_tasks(struct rq *rq)
{
	while (push_dl_task(rq))
		;
}

static void dl_queue_push_tasks(struct rq *rq)
{
	if (rq->dl.overloaded)
		queue_balance_callback(rq, &per_cpu(dl_push_head, rq->cpu), push_dl_tasks);
}

/*
 * Take the deadline tasks waiting on other CPUs that are earlier than everything queued
 * here and may run here (the earliest ends up running; the others are pushed on after
 * the pick). this_rq->lock is held and may be dropped.
 */
static void pull_dl_task(struct rq *this_rq)
{
	int this_cpu = this_rq->cpu, cpu;

	if (!atomic_read(&dlo_count))
		return;
	smp_rmb();	/* pairs with dl_update_overload */
	for_each_cpu(cpu, &dlo_mask) {
		struct rq *src = cpu_rq(cpu);
		struct task_struct *p, *curr;

		/* Everything there is later than our earliest (read without its lock). */
		if (cpu == this_cpu || (this_rq->dl.dl_nr_running &&
		    !dl_time_before(READ_ONCE(src->dl.earliest_dl), this_rq->dl.earliest_dl)))
			continue;
		double_lock_balance(this_rq, src);
		p = pick_pushable_task_dl(src, this_cpu);
		curr = src->curr;
		/* Skip one earlier than src's current task: it is about to run there. */
		if (p && dl_runs_at_once(this_rq, p) && dl_task(curr) && on_dl_rq(&curr->dl) &&
		    !dl_time_before(p->dl.deadline, curr->dl.deadline))
			move_task_dl(src, p, this_rq);
		double_unlock_balance(this_rq, src);
	}
}

/* The core's schedule runs queued callbacks: ask rq for one. */
static void dl_queue_pull_task(struct rq *rq)
{
	queue_balance_callback(rq, &per_cpu(dl_pull_head, rq->cpu), pull_dl_task);
	resched_curr(rq);
}

/*
 * Before the pick (prev still current, so never moved): pull earlier work. True if this
 * or a higher class has a task, so the lower classes need not balance.
 */
static int balance_dl(struct rq *rq, struct task_struct *prev)
{
	pull_dl_task(rq);
	return rq->dl.dl_nr_running || (rq->stop && task_on_rq_queued(rq->stop));
}

/* p was woken onto rq and waits there (it did not preempt): push what waits elsewhere. */
static void task_woken_dl(struct rq *rq, struct task_struct *p)
{
	if (!task_running(rq, p) && !test_tsk_need_resched(rq->curr))
		push_dl_tasks(rq);
}

/*
 * Arm the replenishment for the next period; false if it has begun already (the caller
 * replenishes at once). A timer still pending or running will do the replenishing.
 */
static bool start_dl_timer(struct rq *rq, struct task_struct *p)
{
	struct sched_dl_entity *dl_se = &p->dl;
	u64 act = dl_next_period(dl_se);

	if (dl_time_before(act, rq_clock(rq)))
		return false;
	if (!hrtimer_active(&dl_se->dl_timer))
		hrtimer_start(&dl_se->dl_timer, act);
	return true;
}

/*
 * A constrained task waking after its deadline but before its next period would get a
 * new instance at once and so more than its bandwidth: it waits for that period.
 */
static void dl_check_constrained_dl(struct rq *rq, struct sched_dl_entity *dl_se)
{
	u64 now = rq_clock(rq);

	if (!dl_time_before(dl_se->deadline, now) || !dl_time_before(now, dl_next_period(dl_se)))
		return;
	if (!start_dl_timer(rq, dl_task_of(dl_se)))
		return;
	dl_se->dl_throttled = 1;
	if (dl_se->runtime > 0)
		dl_se->runtime = 0;
}

static void enqueue_task_dl(struct rq *rq, struct task_struct *p, int flags)
{
	struct sched_dl_entity *dl_se = &p->dl;

	/* A replenished task is counted already; otherwise it joins this queue. */
	if (!(flags & ENQUEUE_REPLENISH))
		rq->dl.running_bw += dl_se->dl_bw;
	if (!dl_se->dl_new && !dl_se->dl_throttled && !dl_is_implicit(dl_se))
		dl_check_constrained_dl(rq, dl_se);
	/* Throttled: dl_task_timer queues it at its next period. */
	if (dl_se->dl_throttled && !(flags & ENQUEUE_REPLENISH))
		return;
	enqueue_dl_entity(rq, dl_se, flags);
}

static enum hrtimer_restart dl_task_timer(struct hrtimer *timer)
{
	struct sched_dl_entity *dl_se = container_of(timer, struct sched_dl_entity, dl_timer);
	struct task_struct *p = dl_task_of(dl_se);
	unsigned long flags;
	struct rq *rq;

	rq = task_rq_lock(p, &flags);
	/* It left the class, or got new parameters, since the timer was armed. */
	if (!dl_task(p) || !dl_se->dl_throttled)
		goto unlock;
	update_rq_clock(rq);
	if (!task_on_rq_queued(p)) {
		/* Asleep: the wake-up decides whether this instance still fits. */
		replenish_dl_entity(rq, dl_se);
		goto unlock;
	}
	enqueue_task_dl(rq, p, ENQUEUE_REPLENISH);
	if (dl_task(rq->curr))
		check_preempt_curr_dl(rq, p, 0);
	else
		resched_curr(rq);
	/* Back in the tree behind an earlier task: it may run at once elsewhere. */
	push_dl_tasks(rq);
unlock:
	task_rq_unlock(rq, p, flags);
	return HRTIMER_NORESTART;
}

void init_dl_task_timer(struct sched_dl_entity *dl_se)
{
	hrtimer_init(&dl_se->dl_timer, dl_task_timer);
}

/* Accounting: charge the budget; throttle the task when it is spent or yielded. */

static void start_hrtick_dl(struct rq *rq, struct task_struct *p)
{
	s64 delay = max(p->dl.runtime, HRTICK_MIN_NS);

	hrtimer_start(&rq->hrtick_timer, rq_clock(rq) + delay);
}

static void update_curr_dl(struct rq *rq)
{
	struct task_struct *curr = rq->curr;
	struct sched_dl_entity *dl_se = &curr->dl;
	u64 now = rq_clock_task(rq);
	s64 delta_exec;

	if (!dl_task(curr) || !on_dl_rq(dl_se))
		return;
	delta_exec = now - curr->se.exec_start;
	if (delta_exec > 0) {
		curr->se.sum_exec_runtime += delta_exec;
		curr->se.exec_start = now;
		dl_se->runtime -= delta_exec;
		/*
		 * Deadline time counts against the RT allowance too, as in Linux, so that RT
		 * and DL together leave the lower classes their share; only up to the
		 * allowance, so that a CPU overloaded by DL alone does not starve RT for good.
		 */
		if (rq->rt.rt_runtime != RUNTIME_INF && rq->rt.rt_time < rq->rt.rt_runtime)
			rq->rt.rt_time += delta_exec;
	}
	if (dl_se->runtime > 0 && !dl_se->dl_yielded)
		return;

	dl_se->dl_throttled = 1;
	/* The instance ended when the budget ran out (runtime <= 0 is the overrun) or now. */
	if (dl_time_before(dl_se->deadline, now + min(dl_se->runtime, 0LL)))
		dl_se->nr_deadline_misses++;
	__dequeue_dl_entity(rq, dl_se);
	if (!start_dl_timer(rq, curr))
		enqueue_task_dl(rq, curr, ENQUEUE_REPLENISH);
	if (!is_leftmost(curr, &rq->dl))
		resched_curr(rq);
}

/* From the hrtick (queued) with budget left, as the clock was read early: look again. */
static void task_tick_dl(struct rq *rq, struct task_struct *p, int queued)
{
	update_curr_dl(rq);
	if (queued && on_dl_rq(&p->dl) && p->dl.runtime > 0 && is_leftmost(p, &rq->dl))
		start_hrtick_dl(rq, p);
}

/* The hrtick: end the current deadline task's budget on time, between ticks. */
static enum hrtimer_restart hrtick(struct hrtimer *timer)
{
	struct rq *rq = container_of(timer, struct rq, hrtick_timer);

	rq_lock(rq);
	update_rq_clock(rq);
	if (dl_task(rq->curr))
		task_tick_dl(rq, rq->curr, 1);
	rq_unlock(rq);
	return HRTIMER_NORESTART;
}

void init_dl_rq(struct dl_rq *dl_rq)
{
	struct rq *rq = container_of(dl_rq, struct rq, dl);

	dl_rq->root = RB_ROOT_CACHED;
	dl_rq->dl_nr_running = 0;
	dl_rq->running_bw = 0;
	dl_rq->earliest_dl = 0;
	dl_rq->overloaded = false;
	/* The hrtick serves only deadline tasks, so it is set up with their queue. */
	hrtimer_init(&rq->hrtick_timer, hrtick);
}

/* The class hooks. */

static void dequeue_task_dl(struct rq *rq, struct task_struct *p, int flags)
{
	update_curr_dl(rq);
	/* Blocking ends the instance: a miss if its deadline has passed. */
	if ((flags & DEQUEUE_SLEEP) && on_dl_rq(&p->dl) &&
	    dl_time_before(p->dl.deadline, rq_clock(rq)))
		p->dl.nr_deadline_misses++;
	__dequeue_dl_entity(rq, &p->dl);
	rq->dl.running_bw -= p->dl.dl_bw;
}

/* sched_yield: done with this instance; sleep until the next period, with a full budget. */
static void yield_task_dl(struct rq *rq)
{
	rq->curr->dl.dl_yielded = 1;
	update_curr_dl(rq);
}

static void set_next_task_dl(struct rq *rq, struct task_struct *p, bool first)
{
	p->se.exec_start = rq_clock_task(rq);
	if (on_dl_rq(&p->dl))
		start_hrtick_dl(rq, p);
	/* Picked: the deadline and RT tasks left waiting here may run elsewhere. */
	if (first) {
		dl_queue_push_tasks(rq);
		rt_queue_push_tasks(rq);
	}
}

static struct task_struct *pick_next_task_dl(struct rq *rq)
{
	struct rb_node *left = rb_first_cached(&rq->dl.root);
	struct task_struct *p;

	if (!left)
		return NULL;
	p = dl_task_of(rb_entry(left, struct sched_dl_entity, rb_node));
	set_next_task_dl(rq, p, true);
	return p;
}

static void put_prev_task_dl(struct rq *rq, struct task_struct *p)
{
	update_curr_dl(rq);
	hrtimer_try_to_cancel(&rq->hrtick_timer);
}

/*
 * Outside the class a pending replenishment means nothing. If rq has no deadline task
 * left, those waiting elsewhere may run here.
 */
static void switched_from_dl(struct rq *rq, struct task_struct *p)
{
	hrtimer_try_to_cancel(&p->dl.dl_timer);
	p->dl.dl_throttled = 0;
	p->dl.dl_yielded = 0;
	if (task_on_rq_queued(p) && !rq->dl.dl_nr_running)
		dl_queue_pull_task(rq);
}

/* Queued: preempt the current task, or wait and maybe go elsewhere (after a schedule). */
static void switched_to_dl(struct rq *rq, struct task_struct *p)
{
	if (!task_on_rq_queued(p) || task_current(rq, p))
		return;
	dl_queue_push_tasks(rq);
	resched_curr(rq);
}

/* New parameters (a new deadline): running, give way to an earlier one; queued, preempt. */
static void prio_changed_dl(struct rq *rq, struct task_struct *p, int oldprio)
{
	if (!task_on_rq_queued(p))
		return;
	if (task_current(rq, p)) {
		if (!is_leftmost(p, &rq->dl))
			resched_curr(rq);
	} else if (!dl_task(rq->curr) || dl_time_before(p->dl.deadline, rq->curr->dl.deadline)) {
		resched_curr(rq);
	}
}

const struct sched_class dl_sched_class = {
	.enqueue_task		= enqueue_task_dl,
	.dequeue_task		= dequeue_task_dl,
	.yield_task		= yield_task_dl,
	.check_preempt_curr	= check_preempt_curr_dl,
	.pick_next_task		= pick_next_task_dl,
	.put_prev_task		= put_prev_task_dl,
	.set_next_task		= set_next_task_dl,
	.balance		= balance_dl,
	.select_task_rq		= select_task_rq_dl,
	.task_woken		= task_woken_dl,
	.task_tick		= task_tick_dl,
	.task_dead		= sched_dl_task_exit,
	.switched_from		= switched_from_dl,
	.switched_to		= switched_to_dl,
	.prio_changed		= prio_changed_dl,
	.update_curr		= update_curr_dl,
	.next			= &rt_sched_class,
};
