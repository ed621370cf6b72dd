// SPDX-License-Identifier: MIT
/*
 * The fair class (CFS) of Linux 5.15, for a single level of entities: one cfs_rq per CPU,
 * no groups. Runnable tasks are ordered by vruntime in an rbtree; the running one is kept
 * out of the tree. Run time is charged in virtual time, ns scaled by NICE_0_LOAD / weight,
 * so a heavier task's vruntime grows more slowly and it gets picked more often.
 *
 * A task off every queue holds either an absolute vruntime (it went to sleep here) or one
 * relative to the min_vruntime of the queue it left (new, migrating, or saved across a
 * change of attributes). Dequeue without DEQUEUE_SLEEP, task_fork and migrate_task_rq of
 * a waking task make it relative; enqueue without ENQUEUE_WAKEUP, or with
 * ENQUEUE_MIGRATED, adds the new queue's min_vruntime back.
 */
#include "sched.h"

/*
 * Nice levels are a geometric series: one level is worth about 10% of CPU time against
 * a neighbour, hence a factor of about 1.25 between consecutive weights.
 */
const int sched_prio_to_weight[40] = {
	/* -20 */ 88761, 71755, 56483, 46273, 36291,
	/* -15 */ 29154, 23254, 18705, 14949, 11916,
	/* -10 */  9548,  7620,  6100,  4904,  3906,
	/*  -5 */  3121,  2501,  1991,  1586,  1277,
	/*   0 */  1024,   820,   655,   526,   423,
	/*   5 */   335,   272,   215,   172,   137,
	/*  10 */   110,    87,    70,    56,    45,
	/*  15 */    36,    29,    23,    18,    15,
};

/* 2^32 / weight, so dividing by a weight is a multiply and a shift. */
const u32 sched_prio_to_wmult[40] = {
	/* -20 */     48388,     59856,     76040,     92818,    118348,
	/* -15 */    147320,    184698,    229616,    287308,    360437,
	/* -10 */    449829,    563644,    704093,    875809,   1099582,
	/*  -5 */   1376151,   1717300,   2157191,   2708050,   3363326,
	/*   0 */   4194304,   5237765,   6557202,   8165337,  10153587,
	/*   5 */  12820798,  15790321,  19976592,  24970740,  31350126,
	/*  10 */  39045157,  49367440,  61356676,  76695844,  95443717,
	/*  15 */ 119304647, 148102320, 186737708, 238609294, 286331153,
};

/* SCHED_IDLE: far below nice 19, yet never zero. */
#define WEIGHT_IDLEPRIO		3
#define WMULT_IDLEPRIO		1431655765

#define WMULT_CONST		(~0U)

/* Base tunables for one CPU; sched_init_granularity() scales them up. */
#define BASE_LATENCY		6000000U
#define BASE_MIN_GRANULARITY	750000U
#define BASE_WAKEUP_GRANULARITY	1000000U

unsigned int sysctl_sched_latency = BASE_LATENCY;
unsigned int sysctl_sched_min_granularity = BASE_MIN_GRANULARITY;
unsigned int sysctl_sched_wakeup_granularity = BASE_WAKEUP_GRANULARITY;
unsigned int sysctl_sched_child_runs_first;

/* latency / min_granularity: beyond this many tasks the period grows instead. */
static const unsigned int sched_nr_latency = 8;

/*
 * More CPUs make a longer latency tolerable for the same interactivity, so Linux scales
 * by 1 + log2(CPUs), counting at most 8.
 */
void sched_init_granularity(unsigned int ncpus)
{
	unsigned int cpus = clamp(ncpus, 1U, 8U);
	unsigned int factor = 1 + (31 - __builtin_clz(cpus));

	sysctl_sched_latency = factor * BASE_LATENCY;
	sysctl_sched_min_granularity = factor * BASE_MIN_GRANULARITY;
	sysctl_sched_wakeup_granularity = factor * BASE_WAKEUP_GRANULARITY;
}

static inline struct rq *rq_of(struct cfs_rq *cfs_rq)
{
	return container_of(cfs_rq, struct rq, cfs);
}

static inline struct task_struct *task_of(struct sched_entity *se)
{
	return container_of(se, struct task_struct, se);
}

static inline struct cfs_rq *task_cfs_rq(struct task_struct *p)
{
	return &task_rq(p)->cfs;
}

static inline void update_load_add(struct load_weight *lw, unsigned long inc)
{
	lw->weight += inc;
	lw->inv_weight = 0;
}

static inline void update_load_sub(struct load_weight *lw, unsigned long dec)
{
	lw->weight -= dec;
	lw->inv_weight = 0;
}

/* Sums of weights get their inverse computed lazily, on first use. */
static void update_inv_weight(struct load_weight *lw)
{
	if (likely(lw->inv_weight))
		return;
	if (unlikely(lw->weight >= WMULT_CONST))
		lw->inv_weight = 1;
	else if (unlikely(!lw->weight))
		lw->inv_weight = WMULT_CONST;
	else
		lw->inv_weight = WMULT_CONST / lw->weight;
}

static inline int fls32(u32 x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/*
 * delta_exec * weight / lw->weight without a division: weight * inv_weight is the ratio
 * in 32.32 fixed point. Whenever it outgrows 32 bits, its low bits are dropped and the
 * final shift shortened, so the last product (64 x 32 bits) keeps the most precision.
 */
u64 __calc_delta(u64 delta_exec, unsigned long weight, struct load_weight *lw)
{
	u64 fact = weight;
	int shift = WMULT_SHIFT;
	int fs;

	update_inv_weight(lw);

	fs = fls32(fact >> 32);
	shift -= fs;
	fact >>= fs;

	fact *= lw->inv_weight;

	fs = fls32(fact >> 32);
	shift -= fs;
	fact >>= fs;

	return (u64)(((unsigned __int128)delta_exec * fact) >> shift);
}

/* Real time to the virtual time of se: a nice-0 task's vruntime runs at wall speed. */
static inline u64 calc_delta_fair(u64 delta, struct sched_entity *se)
{
	if (unlikely(se->load.weight != NICE_0_LOAD))
		delta = __calc_delta(delta, NICE_0_LOAD, &se->load);
	return delta;
}

/* vruntime wraps: compare by signed difference only. */
static inline bool entity_before(const struct sched_entity *a, const struct sched_entity *b)
{
	return (s64)(a->vruntime - b->vruntime) < 0;
}

static inline u64 max_vruntime(u64 a, u64 b)
{
	return (s64)(b - a) > 0 ? b : a;
}

static inline u64 min_vruntime(u64 a, u64 b)
{
	return (s64)(b - a) < 0 ? b : a;
}

/* Every runnable task should run once per period: latency, stretched when crowded. */
static u64 sched_period(unsigned int nr_running)
{
	if (unlikely(nr_running > sched_nr_latency))
		return (u64)nr_running * sysctl_sched_min_granularity;
	return sysctl_sched_latency;
}

/* se's share of the period, by weight; an entity not yet queued counts as if it were. */
static u64 sched_slice(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	struct load_weight *load = &cfs_rq->load, lw;
	u64 slice = sched_period(cfs_rq->nr_running + !se->on_rq);

	if (unlikely(!se->on_rq)) {
		lw = cfs_rq->load;
		update_load_add(&lw, se->load.weight);
		load = &lw;
	}
	slice = __calc_delta(slice, se->load.weight, load);
	return max(slice, (u64)sysctl_sched_min_granularity);
}

static inline u64 sched_vslice(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	return calc_delta_fair(sched_slice(cfs_rq, se), se);
}

static inline struct sched_entity *__pick_first_entity(struct cfs_rq *cfs_rq)
{
	return rb_entry_safe(rb_first_cached(&cfs_rq->tasks_timeline),
			     struct sched_entity, run_node);
}

static inline struct sched_entity *__pick_next_entity(struct sched_entity *se)
{
	return rb_entry_safe(rb_next(&se->run_node), struct sched_entity, run_node);
}

/*
 * min_vruntime follows the smallest vruntime on the queue (curr's or the leftmost's) but
 * never goes back, so that placement against it cannot hand out credit. Read without
 * the lock by migrate_task_rq_fair(), hence WRITE_ONCE.
 */
static void update_min_vruntime(struct cfs_rq *cfs_rq)
{
	struct sched_entity *curr = cfs_rq->curr;
	struct sched_entity *left = __pick_first_entity(cfs_rq);
	u64 vruntime = cfs_rq->min_vruntime;

	if (curr && !curr->on_rq)
		curr = NULL;
	if (curr)
		vruntime = curr->vruntime;
	if (left)
		vruntime = curr ? min_vruntime(vruntime, left->vruntime) : left->vruntime;

	WRITE_ONCE(cfs_rq->min_vruntime, max_vruntime(cfs_rq->min_vruntime, vruntime));
}

/* Charge the running entity for the time since it was last charged. */
static void update_curr(struct cfs_rq *cfs_rq)
{
	struct sched_entity *curr = cfs_rq->curr;
	u64 now = rq_clock_task(rq_of(cfs_rq));
	u64 delta_exec;

	if (unlikely(!curr))
		return;

	delta_exec = now - curr->exec_start;
	if (unlikely((s64)delta_exec <= 0))
		return;

	curr->exec_start = now;
	curr->sum_exec_runtime += delta_exec;
	cfs_rq->exec_clock += delta_exec;
	curr->vruntime += calc_delta_fair(delta_exec, curr);
	update_min_vruntime(cfs_rq);
}

static bool __entity_less(struct rb_node *a, const struct rb_node *b)
{
	return entity_before(rb_entry(a, struct sched_entity, run_node),
			     rb_entry(b, struct sched_entity, run_node));
}

static void __enqueue_entity(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	rb_add_cached(&se->run_node, &cfs_rq->tasks_timeline, __entity_less);
}

static void __dequeue_entity(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	rb_erase_cached(&se->run_node, &cfs_rq->tasks_timeline);
}

/*
 * A new task starts one virtual slice after min_vruntime (START_DEBIT), so forking cannot
 * be used to grab CPU time. A waking task is credited at most half a latency of sleep
 * (GENTLE_FAIR_SLEEPERS). Neither may move an entity back in virtual time.
 */
static void place_entity(struct cfs_rq *cfs_rq, struct sched_entity *se, bool initial)
{
	u64 vruntime = cfs_rq->min_vruntime;

	if (initial)
		vruntime += sched_vslice(cfs_rq, se);
	else
		vruntime -= sysctl_sched_latency >> 1;

	se->vruntime = max_vruntime(se->vruntime, vruntime);
}

static void account_entity_enqueue(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	update_load_add(&cfs_rq->load, se->load.weight);
	list_add(&se->group_node, &rq_of(cfs_rq)->cfs_tasks);
	cfs_rq->nr_running++;
}

static void account_entity_dequeue(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	update_load_sub(&cfs_rq->load, se->load.weight);
	list_del_init(&se->group_node);
	cfs_rq->nr_running--;
}

static void enqueue_entity(struct cfs_rq *cfs_rq, struct sched_entity *se, int flags)
{
	bool renorm = !(flags & ENQUEUE_WAKEUP) || (flags & ENQUEUE_MIGRATED);
	bool curr = cfs_rq->curr == se;

	/* The running entity must be absolute before update_curr() advances it. */
	if (renorm && curr)
		se->vruntime += cfs_rq->min_vruntime;

	update_curr(cfs_rq);

	/*
	 * Others after it: against the min_vruntime of before the update they would be placed
	 * in the past, ahead of tasks that have been waiting.
	 */
	if (renorm && !curr)
		se->vruntime += cfs_rq->min_vruntime;

	account_entity_enqueue(cfs_rq, se);
	if (flags & ENQUEUE_WAKEUP)
		place_entity(cfs_rq, se, false);
	if (!curr)
		__enqueue_entity(cfs_rq, se);
	se->on_rq = 1;
}

static void clear_buddies(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	if (cfs_rq->last == se)
		cfs_rq->last = NULL;
	if (cfs_rq->next == se)
		cfs_rq->next = NULL;
	if (cfs_rq->skip == se)
		cfs_rq->skip = NULL;
}

static void dequeue_entity(struct cfs_rq *cfs_rq, struct sched_entity *se, int flags)
{
	update_curr(cfs_rq);
	clear_buddies(cfs_rq, se);

	if (se != cfs_rq->curr)
		__dequeue_entity(cfs_rq, se);
	se->on_rq = 0;
	account_entity_dequeue(cfs_rq, se);

	/*
	 * After update_curr(), which moved min_vruntime if se held it back; before the update
	 * below, which no longer counts se and may move it further.
	 */
	if (!(flags & DEQUEUE_SLEEP))
		se->vruntime -= cfs_rq->min_vruntime;

	/*
	 * Coming straight back (SAVE without MOVE), se must find min_vruntime where it left
	 * it, or it would be requeued further right than it was.
	 */
	if ((flags & (DEQUEUE_SAVE | DEQUEUE_MOVE)) != DEQUEUE_SAVE)
		update_min_vruntime(cfs_rq);
}

/* Buddies are hints to pick_next_entity(); SCHED_IDLE tasks never get one. */
static void set_next_buddy(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	if (!idle_policy(task_of(se)->policy))
		cfs_rq->next = se;
}

static void set_last_buddy(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	if (!idle_policy(task_of(se)->policy))
		cfs_rq->last = se;
}

/* Wake-up granularity in se's virtual time: light tasks preempt less readily. */
static u64 wakeup_gran(struct sched_entity *se)
{
	return calc_delta_fair(sysctl_sched_wakeup_granularity, se);
}

/*
 * Should se run instead of curr? -1: se is not behind curr at all; 0: behind by no more
 * than the wake-up granularity; 1: by more, so curr should be preempted.
 */
static int wakeup_preempt_entity(struct sched_entity *curr, struct sched_entity *se)
{
	s64 vdiff = curr->vruntime - se->vruntime;

	if (vdiff <= 0)
		return -1;
	if (vdiff > (s64)wakeup_gran(se))
		return 1;
	return 0;
}

/*
 * The leftmost entity, unless a buddy may run instead without being unfair by more than
 * the wake-up granularity: first avoid the one that yielded (skip), then prefer the one a
 * wake-up preempted for (next), then the one it preempted (last), for cache warmth.
 * Called with curr put back, so the tree holds every runnable entity.
 */
static struct sched_entity *pick_next_entity(struct cfs_rq *cfs_rq)
{
	struct sched_entity *left = __pick_first_entity(cfs_rq);
	struct sched_entity *se = left;

	if (cfs_rq->skip == se) {
		struct sched_entity *second = __pick_next_entity(se);

		if (second && wakeup_preempt_entity(second, left) < 1)
			se = second;
	}

	if (cfs_rq->next && wakeup_preempt_entity(cfs_rq->next, left) < 1)
		se = cfs_rq->next;
	else if (cfs_rq->last && wakeup_preempt_entity(cfs_rq->last, left) < 1)
		se = cfs_rq->last;

	return se;
}

static void set_next_entity(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	clear_buddies(cfs_rq, se);

	/* The running entity is kept out of the tree. */
	if (se->on_rq)
		__dequeue_entity(cfs_rq, se);

	se->exec_start = rq_clock_task(rq_of(cfs_rq));
	cfs_rq->curr = se;
	/* Where this turn began, for check_preempt_tick(). */
	se->prev_sum_exec_runtime = se->sum_exec_runtime;
}

static void put_prev_entity(struct cfs_rq *cfs_rq, struct sched_entity *prev)
{
	/* Still queued: dequeue_entity() did not charge it, so charge it here. */
	if (prev->on_rq) {
		update_curr(cfs_rq);
		__enqueue_entity(cfs_rq, prev);
	}
	cfs_rq->curr = NULL;
}

/* Preempt curr once it has used its slice, or fallen a slice behind the leftmost. */
static void check_preempt_tick(struct cfs_rq *cfs_rq, struct sched_entity *curr)
{
	u64 ideal_runtime = sched_slice(cfs_rq, curr);
	u64 delta_exec = curr->sum_exec_runtime - curr->prev_sum_exec_runtime;
	struct sched_entity *se;
	s64 delta;

	if (delta_exec > ideal_runtime) {
		resched_curr(rq_of(cfs_rq));
		/* It had its turn: no buddy may bring it straight back. */
		clear_buddies(cfs_rq, curr);
		return;
	}

	/*
	 * Past the minimum granularity, a task that narrowly missed wake-up preemption need
	 * not wait for curr's whole slice.
	 */
	if (delta_exec < sysctl_sched_min_granularity)
		return;

	se = __pick_first_entity(cfs_rq);
	delta = curr->vruntime - se->vruntime;
	if (delta > (s64)ideal_runtime)
		resched_curr(rq_of(cfs_rq));
}

static void entity_tick(struct cfs_rq *cfs_rq, struct sched_entity *curr, int queued)
{
	update_curr(cfs_rq);

	/* A tick aimed at the end of curr's slice: it has run out. */
	if (queued) {
		resched_curr(rq_of(cfs_rq));
		return;
	}

	if (cfs_rq->nr_running > 1)
		check_preempt_tick(cfs_rq, curr);
}

static void enqueue_task_fair(struct rq *rq, struct task_struct *p, int flags)
{
	enqueue_entity(&rq->cfs, &p->se, flags);
	add_nr_running(rq, 1);
}

static void dequeue_task_fair(struct rq *rq, struct task_struct *p, int flags)
{
	dequeue_entity(&rq->cfs, &p->se, flags);
	sub_nr_running(rq, 1);
}

/* Step aside once: the next pick avoids us if that is not too unfair to the others. */
static void yield_task_fair(struct rq *rq)
{
	struct task_struct *curr = rq->curr;
	struct cfs_rq *cfs_rq = &rq->cfs;
	struct sched_entity *se = &curr->se;

	if (unlikely(rq->nr_running == 1))
		return;

	clear_buddies(cfs_rq, se);

	/* Batch tasks are charged at the tick; others now, so the pick sees them as is. */
	if (curr->policy != SCHED_BATCH) {
		update_rq_clock(rq);
		update_curr(cfs_rq);
	}

	cfs_rq->skip = se;
}

/* check_preempt_curr for two fair tasks: should the woken p preempt rq->curr? */
static void check_preempt_wakeup(struct rq *rq, struct task_struct *p, int wake_flags)
{
	struct task_struct *curr = rq->curr;
	struct cfs_rq *cfs_rq = &rq->cfs;
	struct sched_entity *se = &curr->se, *pse = &p->se;
	bool scale = cfs_rq->nr_running >= sched_nr_latency;

	if (unlikely(se == pse))
		return;

	/* Already decided, e.g. by wake_up_new_task(). */
	if (test_tsk_need_resched(curr))
		return;

	if (unlikely(idle_policy(curr->policy)) && likely(!idle_policy(p->policy)))
		goto preempt;

	/* Batch and idle tasks leave preemption to the tick. */
	if (unlikely(p->policy != SCHED_NORMAL))
		return;

	update_curr(cfs_rq);
	if (wakeup_preempt_entity(se, pse) == 1) {
		set_next_buddy(cfs_rq, pse);
		goto preempt;
	}
	return;

preempt:
	resched_curr(rq);
	/*
	 * Remember whom we preempted, to give the CPU back soon while its cache is warm; only
	 * on a crowded queue, and never to a task off the queue or to the idle task (fair
	 * during early boot).
	 */
	if (unlikely(!se->on_rq || curr == rq->idle))
		return;
	if (scale)
		set_last_buddy(cfs_rq, se);
}

/*
 * The core's fast path, prev of the fair or idle class (or NULL when already put): if a
 * fair task is runnable, put prev, pick and make the pick current; else NULL, prev kept.
 */
struct task_struct *pick_next_task_fair(struct rq *rq, struct task_struct *prev)
{
	struct cfs_rq *cfs_rq = &rq->cfs;
	struct sched_entity *se;

	if (!cfs_rq->nr_running)
		return NULL;

	if (prev)
		put_prev_task(rq, prev);

	se = pick_next_entity(cfs_rq);
	set_next_entity(cfs_rq, se);
	/* rq->cfs_tasks is most recently run first. */
	list_del(&se->group_node);
	list_add(&se->group_node, &rq->cfs_tasks);
	return task_of(se);
}

static struct task_struct *__pick_next_task_fair(struct rq *rq)
{
	return pick_next_task_fair(rq, NULL);
}

static void put_prev_task_fair(struct rq *rq, struct task_struct *prev)
{
	put_prev_entity(&rq->cfs, &prev->se);
}

static void set_next_task_fair(struct rq *rq, struct task_struct *p, bool first)
{
	struct sched_entity *se = &p->se;

	if (task_on_rq_queued(p)) {
		list_del(&se->group_node);
		list_add(&se->group_node, &rq->cfs_tasks);
	}
	set_next_entity(&rq->cfs, se);
}

/* Pulling work when about to go idle (newidle balance) comes with load balancing. */
static int balance_fair(struct rq *rq, struct task_struct *prev)
{
	return rq->nr_running != 0;
}

/* Until real placement: where p last ran if it still may, else its first allowed CPU. */
static int select_task_rq_fair(struct task_struct *p, int prev_cpu, int wake_flags)
{
	unsigned int cpu;

	if (is_cpu_allowed(p, prev_cpu))
		return prev_cpu;
	cpu = cpumask_first_and(&p->cpus_mask, &cpu_online_mask);
	/* None: the core's fallback decides. */
	return cpu < nr_cpumask_bits ? (int)cpu : prev_cpu;
}

/*
 * Called from set_task_cpu() under p->pi_lock, p's old rq not locked. A waking task
 * slept with an absolute vruntime; make it relative to the old queue, and the wake-up
 * enqueue (ENQUEUE_MIGRATED) adds the new one's. The old min_vruntime is one 64-bit word
 * written with WRITE_ONCE, so a lockless read sees some recent value, which is enough.
 */
static void migrate_task_rq_fair(struct task_struct *p, int new_cpu)
{
	if (READ_ONCE(p->__state) == TASK_WAKING)
		p->se.vruntime -= READ_ONCE(task_cfs_rq(p)->min_vruntime);

	/* Its cache footprint stays behind: it no longer counts as having just run. */
	p->se.exec_start = 0;
}

static void task_tick_fair(struct rq *rq, struct task_struct *curr, int queued)
{
	entity_tick(&rq->cfs, &curr->se, queued);
}

/*
 * The child starts from the parent's vruntime, placed at least one virtual slice past
 * min_vruntime; it leaves relative, as wake_up_new_task() may enqueue it elsewhere.
 * Called with p's (this CPU's) rq locked and its clock updated.
 */
static void task_fork_fair(struct task_struct *p)
{
	struct cfs_rq *cfs_rq = task_cfs_rq(p);
	struct sched_entity *se = &p->se, *curr = cfs_rq->curr;

	if (curr) {
		update_curr(cfs_rq);
		se->vruntime = curr->vruntime;
	}
	place_entity(cfs_rq, se, true);

	if (sysctl_sched_child_runs_first && curr && entity_before(curr, se)) {
		u64 vruntime = curr->vruntime;

		/* put_prev_entity() requeues the parent at its new key. */
		curr->vruntime = se->vruntime;
		se->vruntime = vruntime;
		resched_curr(rq_of(cfs_rq));
	}

	se->vruntime -= cfs_rq->min_vruntime;
}

static void prio_changed_fair(struct rq *rq, struct task_struct *p, int oldprio)
{
	if (!task_on_rq_queued(p) || rq->cfs.nr_running == 1)
		return;

	/* Running and now weaker: let the others have a look; queued: maybe preempt. */
	if (task_current(rq, p)) {
		if (p->prio > oldprio)
			resched_curr(rq);
	} else {
		check_preempt_curr(rq, p, 0);
	}
}

/*
 * Whether p's vruntime is relative already: queued or migrating ones were dequeued
 * without DEQUEUE_SLEEP, and a child that never ran got it so from task_fork_fair().
 */
static bool vruntime_normalized(struct task_struct *p)
{
	return p->on_rq || !p->se.sum_exec_runtime;
}

static void switched_from_fair(struct rq *rq, struct task_struct *p)
{
	struct cfs_rq *cfs_rq = task_cfs_rq(p);
	struct sched_entity *se = &p->se;

	/* A sleeper leaving the class: its sleep so far is worth no more than a wake-up's. */
	if (!vruntime_normalized(p)) {
		place_entity(cfs_rq, se, false);
		se->vruntime -= cfs_rq->min_vruntime;
	}
}

static void switched_to_fair(struct rq *rq, struct task_struct *p)
{
	if (!vruntime_normalized(p))
		p->se.vruntime += task_cfs_rq(p)->min_vruntime;

	if (task_on_rq_queued(p)) {
		/* Most likely from RT: a running p is re-picked, a queued one may preempt. */
		if (task_current(rq, p))
			resched_curr(rq);
		else
			check_preempt_curr(rq, p, 0);
	}
}

/* In ns (Linux reports jiffies): p's slice at the moment, 0 on an otherwise idle queue. */
static unsigned int get_rr_interval_fair(struct rq *rq, struct task_struct *p)
{
	u64 slice;

	if (!rq->cfs.load.weight)
		return 0;
	slice = sched_slice(&rq->cfs, &p->se);
	return slice > ~0U ? ~0U : (unsigned int)slice;
}

static void update_curr_fair(struct rq *rq)
{
	update_curr(&rq->cfs);
}

/*
 * p's weight from its nice level (SCHED_IDLE: the idle weight). With update_load, a
 * queued fair task moves its queue's load sum to the new weight, after being charged
 * for its run so far at the old one; vruntime, the tree's key, stays as it is.
 */
void set_load_weight(struct task_struct *p, bool update_load)
{
	int prio = p->static_prio - MAX_RT_PRIO;
	struct sched_entity *se = &p->se;
	struct cfs_rq *cfs_rq = NULL;

	if (update_load && p->sched_class == &fair_sched_class && se->on_rq) {
		cfs_rq = task_cfs_rq(p);
		if (cfs_rq->curr == se)
			update_curr(cfs_rq);
		update_load_sub(&cfs_rq->load, se->load.weight);
	}

	if (idle_policy(p->policy)) {
		se->load.weight = WEIGHT_IDLEPRIO;
		se->load.inv_weight = WMULT_IDLEPRIO;
	} else {
		se->load.weight = sched_prio_to_weight[prio];
		se->load.inv_weight = sched_prio_to_wmult[prio];
	}

	if (cfs_rq)
		update_load_add(&cfs_rq->load, se->load.weight);
}

/* Starting near the wrap point makes wrap-around bugs show up early. */
void init_cfs_rq(struct cfs_rq *cfs_rq)
{
	cfs_rq->tasks_timeline = RB_ROOT_CACHED;
	cfs_rq->min_vruntime = (u64)(-(1LL << 20));
}

const struct sched_class fair_sched_class = {
	.enqueue_task		= enqueue_task_fair,
	.dequeue_task		= dequeue_task_fair,
	.yield_task		= yield_task_fair,
	.check_preempt_curr	= check_preempt_wakeup,
	.pick_next_task		= __pick_next_task_fair,
	.put_prev_task		= put_prev_task_fair,
	.set_next_task		= set_next_task_fair,
	.balance		= balance_fair,
	.select_task_rq		= select_task_rq_fair,
	.migrate_task_rq	= migrate_task_rq_fair,
	.task_tick		= task_tick_fair,
	.task_fork		= task_fork_fair,
	.switched_from		= switched_from_fair,
	.switched_to		= switched_to_fair,
	.prio_changed		= prio_changed_fair,
	.get_rr_interval	= get_rr_interval_fair,
	.update_curr		= update_curr_fair,
	.next			= &idle_sched_class,
};
