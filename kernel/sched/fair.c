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
 *
 * Across CPUs (the seed's "Scheduler and Run Queue", load balancing): every task carries a
 * decayed average of its load (PELT, below) and each queue the sum over its tasks; new and
 * waking tasks are placed on an idle CPU if there is one (select_task_rq_fair); the tick
 * raises SCHED_SOFTIRQ, whose handler pulls tasks from the busiest CPU (load_balance); a
 * CPU about to go idle pulls one at once (newidle_balance).
 */
#include "sched.h"

#include <kairos/delay.h>
#include <kairos/interrupt.h>

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

/* A task that ran this recently still has its cache here: prefer not to move it. */
unsigned int sysctl_sched_migration_cost = 500000U;
unsigned int sysctl_sched_nr_migrate = 32;

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
static u64 __sched_period(unsigned int nr_running)
{
	if (unlikely(nr_running > sched_nr_latency))
		return (u64)nr_running * sysctl_sched_min_granularity;
	return sysctl_sched_latency;
}

/* se's share of the period, by weight; an entity not yet queued counts as if it were. */
static u64 sched_slice(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	struct load_weight *load = &cfs_rq->load, lw;
	u64 slice = __sched_period(cfs_rq->nr_running + !se->on_rq);

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

/*
 * Load tracking (PELT): time is cut into periods of 1024 us (2^20 ns). What happened n
 * periods ago counts y^n, with y^32 = 1/2: a load halves in 32 ms. An entity's load_sum is
 * its decayed runnable time (queued or running), in us; a queue's is the same weighted by
 * the weight queued at each moment, which makes it the sum of its entities' weighted
 * sums. Divided by the largest sum possible at this point of the period, load_avg is a
 * load in weight units: an always runnable nice-0 task tends to 1024, a sleeper to 0.
 * Integer arithmetic only, y^n as a 32-bit fraction.
 *
 * A queue counts only what is queued on it: a task adds its average when enqueued and
 * takes it away when dequeued (sleep or migration), so the load a balancer sees follows
 * tasks at once; the decay says how much each one really runs.
 */
#define LOAD_AVG_PERIOD		32
#define LOAD_AVG_MAX		47742	/* the sum of 1024 y^n for n >= 0, in this arithmetic */
#define PELT_MIN_DIVIDER	(LOAD_AVG_MAX - 1024)

/* floor(2^32 y^n), with y^0 = 1 rounded down to fit. */
static const u32 runnable_avg_yN_inv[LOAD_AVG_PERIOD] = {
	0xffffffff, 0xfa83b2db, 0xf5257d15, 0xefe4b99b, 0xeac0c6e7, 0xe5b906e7, 0xe0ccdeec,
	0xdbfbb797, 0xd744fcca, 0xd2a81d91, 0xce248c15, 0xc9b9bd86, 0xc5672a11, 0xc12c4cca,
	0xbd08a39f, 0xb8fbaf47, 0xb504f333, 0xb123f581, 0xad583eea, 0xa9a15ab4, 0xa5fed6a9,
	0xa2704303, 0x9ef53260, 0x9b8d39b9, 0x9837f051, 0x94f4efa8, 0x91c3d373, 0x8ea4398b,
	0x8b95c1e3, 0x88980e80, 0x85aac367, 0x82cd8698,
};

/* val * y^n: whole half-lives as shifts, the rest from the table. */
static u64 decay_load(u64 val, u64 n)
{
	if (unlikely(n > LOAD_AVG_PERIOD * 63))
		return 0;
	val >>= n / LOAD_AVG_PERIOD;
	return (u64)(((unsigned __int128)val * runnable_avg_yN_inv[n % LOAD_AVG_PERIOD]) >> 32);
}

/*
 * Runnable throughout: d1 us ending the period that closed `periods` ago, the whole
 * periods since (1024 y^n each, 0 < n < periods: all of them less those from n = periods
 * on, less n = 0), and d3 us of the current one, not decayed yet.
 */
static u32 accumulate_segments(u64 periods, u32 d1, u32 d3)
{
	u32 c2 = LOAD_AVG_MAX - decay_load(LOAD_AVG_MAX, periods) - 1024;

	return decay_load(d1, periods) + c2 + d3;
}

/* delta us more, carrying load all along (0: not runnable). True if a period ended. */
static bool accumulate_sum(u64 delta, struct sched_avg *sa, unsigned long load)
{
	u32 contrib = (u32)delta;
	u64 periods;

	delta += sa->period_contrib;
	periods = delta / 1024;
	if (periods) {
		sa->load_sum = decay_load(sa->load_sum, periods);
		delta %= 1024;
		if (load)
			contrib = accumulate_segments(periods, 1024 - sa->period_contrib, delta);
	}
	sa->period_contrib = delta;
	if (load)
		sa->load_sum += (u64)load * contrib;
	return periods;
}

static bool update_load_sum(u64 now, struct sched_avg *sa, unsigned long load)
{
	u64 delta = now - sa->last_update_time;

	/* The clock of the CPU it migrated to may lag the last one's a little. */
	if ((s64)delta < 0) {
		sa->last_update_time = now;
		return false;
	}
	delta >>= 10;		/* ns to 1024 ns, "us" */
	if (!delta)
		return false;
	sa->last_update_time += delta << 10;
	return accumulate_sum(delta, sa, load);
}

/* The largest sum possible now: every past period full, plus the current one so far. */
static u32 pelt_divider(const struct sched_avg *sa)
{
	return PELT_MIN_DIVIDER + sa->period_contrib;
}

static void se_update_load_avg(struct sched_entity *se)
{
	se->avg.load_avg = se->load.weight * se->avg.load_sum / pelt_divider(&se->avg);
}

/* Bring se's average and its queue's to now, before se joins or leaves the queue. */
static void update_load_avg(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	u64 now = rq_clock_task(rq_of(cfs_rq));

	if (update_load_sum(now, &se->avg, se->on_rq))
		se_update_load_avg(se);
	/* load_avg is read by other CPUs' balancers without the lock. */
	if (update_load_sum(now, &cfs_rq->avg, cfs_rq->load.weight))
		WRITE_ONCE(cfs_rq->avg.load_avg,
			   cfs_rq->avg.load_sum / pelt_divider(&cfs_rq->avg));
}

static void enqueue_load_avg(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	cfs_rq->avg.load_sum += (u64)se->load.weight * se->avg.load_sum;
	WRITE_ONCE(cfs_rq->avg.load_avg, cfs_rq->avg.load_avg + se->avg.load_avg);
}

/* The two were rounded at different moments: never let the queue's go below zero. */
static void dequeue_load_avg(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	u64 sum = (u64)se->load.weight * se->avg.load_sum;

	cfs_rq->avg.load_sum -= min(sum, cfs_rq->avg.load_sum);
	WRITE_ONCE(cfs_rq->avg.load_avg,
		   cfs_rq->avg.load_avg - min(se->avg.load_avg, cfs_rq->avg.load_avg));
}

/* A new task counts as fully loaded until it shows otherwise, so that forks spread. */
static void init_entity_runnable_average(struct sched_entity *se, u64 now)
{
	se->avg.last_update_time = now;
	se->avg.period_contrib = 0;
	se->avg.load_sum = PELT_MIN_DIVIDER;
	se_update_load_avg(se);
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

	update_load_avg(cfs_rq, se);
	enqueue_load_avg(cfs_rq, se);
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
	update_load_avg(cfs_rq, se);
	dequeue_load_avg(cfs_rq, se);
	clear_buddies(cfs_rq, se);

	if (se != cfs_rq->curr)
		__dequeue_entity(cfs_rq, se);
	se->on_rq = 0;
	account_entity_dequeue(cfs_rq, se);
	/* Empty: exactly nothing queued, whatever rounding left behind. */
	if (!cfs_rq->nr_running) {
		cfs_rq->avg.load_sum = 0;
		WRITE_ONCE(cfs_rq->avg.load_avg, 0);
	}

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
		update_load_avg(cfs_rq, prev);
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
	update_load_avg(cfs_rq, curr);

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

static int newidle_balance(struct rq *this_rq);
static void update_idle_average(struct rq *rq);

/*
 * The core's fast path, prev of the fair or idle class (or NULL from the class walk, prev
 * already put): if a fair task is runnable, put prev, pick and make the pick current.
 * Else, from the fast path, try to pull one (rq->lock is dropped meanwhile); NULL if
 * there is still none, prev kept, or RETRY_TASK if a higher class's task came.
 */
struct task_struct *pick_next_task_fair(struct rq *rq, struct task_struct *prev)
{
	struct cfs_rq *cfs_rq = &rq->cfs;
	struct sched_entity *se;
	int new_tasks;

again:
	if (!cfs_rq->nr_running)
		goto idle;

	if (prev)
		put_prev_task(rq, prev);

	se = pick_next_entity(cfs_rq);
	set_next_entity(cfs_rq, se);
	/* rq->cfs_tasks is most recently run first. */
	list_del(&se->group_node);
	list_add(&se->group_node, &rq->cfs_tasks);
	if (unlikely(rq->idle_stamp))
		update_idle_average(rq);
	return task_of(se);

idle:
	/* From the class walk, balance_fair() has tried already. */
	if (!prev)
		return NULL;
	new_tasks = newidle_balance(rq);
	if (new_tasks < 0)
		return RETRY_TASK;
	if (new_tasks > 0)
		goto again;
	return NULL;
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

/*
 * Placement and load balancing (the seed's "Scheduler and Run Queue"):
 *
 *   select_task_rq_fair: a new or waking task goes to an idle CPU if there is one (its old
 *     CPU first, for its cache); else a new one to the least loaded CPU it may use, a
 *     waking one to its old CPU or its waker's (wake_affine).
 *   scheduler_tick -> trigger_load_balance -> raise_softirq(SCHED_SOFTIRQ) ->
 *     run_rebalance_domains -> rebalance_domains -> for each domain whose interval
 *     (get_sd_balance_interval) has passed: load_balance -> find_busiest_group ->
 *     find_busiest_queue -> detach_tasks -> attach_tasks; or, when the only task that
 *     could move is running there, active balance: that CPU's stopper pushes it here.
 *   pick_next_task_fair / balance_fair -> newidle_balance: a CPU about to go idle pulls.
 *
 * The balancer reads other CPUs' queues without their locks (nr_running, load_avg): it
 * only decides from them; what it moves it takes under the source's lock (detach, the
 * task marked TASK_ON_RQ_MIGRATING), then gives under the destination's (attach), one
 * lock at a time, IRQs off all along so that nothing on this CPU waits on the migrating
 * task. Only one CPU writes a domain's state: the one it belongs to.
 */

/* Some CPU has had a task waiting since the last balance said otherwise. */
int sched_overloaded;

/* The longest a balance interval may grow to, in jiffies: 0.1 s per CPU. */
static unsigned long max_load_balance_interval;
/* All the tasks a balancer saw were pinned: how far it may back off, ms. */
#define MAX_PINNED_INTERVAL	512

/* Wrap-safe jiffies comparison: is a at or after b? */
static inline bool jiffies_ge(unsigned long a, unsigned long b)
{
	return (long)(a - b) >= 0;
}

/* Nothing runs on cpu and nothing waits there (read without its lock: a hint). */
static bool idle_cpu(int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	return READ_ONCE(rq->curr) == rq->idle && !READ_ONCE(rq->nr_running);
}

static unsigned long cpu_load(struct rq *rq)
{
	return READ_ONCE(rq->cfs.avg.load_avg);
}

static unsigned long task_h_load(struct task_struct *p)
{
	return p->se.avg.load_avg;
}

/* The widest of cpu's domains with flag set. */
static struct sched_domain *widest_domain(int cpu, int flag)
{
	struct sched_domain *sd, *found = NULL;

	for_each_domain(cpu, sd)
		if (sd->flags & flag)
			found = sd;
	return found;
}

/* The lowest-numbered idle CPU of sd's span that p may use; else fallback. */
static int find_idle_cpu(struct sched_domain *sd, struct task_struct *p, int fallback)
{
	unsigned int cpu;

	for_each_cpu_and(cpu, sched_domain_span(sd), &p->cpus_mask)
		if (cpu_online(cpu) && idle_cpu(cpu))
			return cpu;
	return fallback;
}

/*
 * The lowest-numbered idle CPU of sd's span that p may use; else the least loaded (fair
 * load, then queue length), the lowest-numbered on a tie, so that runs are reproducible.
 */
static int find_idlest_cpu(struct sched_domain *sd, struct task_struct *p, int prev_cpu)
{
	unsigned long min_load = ~0UL;
	unsigned int min_nr = ~0U;
	int best = prev_cpu;
	unsigned int cpu;

	for_each_cpu_and(cpu, sched_domain_span(sd), &p->cpus_mask) {
		struct rq *rq = cpu_rq(cpu);
		unsigned long load = cpu_load(rq);
		unsigned int nr = READ_ONCE(rq->nr_running);

		if (!cpu_online(cpu))
			continue;
		if (idle_cpu(cpu))
			return cpu;
		if (load < min_load || (load == min_load && nr < min_nr)) {
			min_load = load;
			min_nr = nr;
			best = cpu;
		}
	}
	return best;
}

/*
 * Linux's wake_affine: should the wakee come to the waker's CPU rather than go back to its
 * own, where its cache may be? Yes if the waker's is idle (a wake-up from an interrupt)
 * and p's own is not, or if the waker is about to sleep and alone there (sync); no if
 * p's own is idle; else yes if the waker's CPU with p would be less loaded than p's own,
 * which gets half the domain's imbalance margin for its cache. Loads are runnable loads,
 * so p's is in neither.
 */
static bool wake_affine(struct sched_domain *sd, struct task_struct *p, int this_cpu,
			int prev_cpu, bool sync)
{
	long this_eff_load, prev_eff_load;

	if (idle_cpu(this_cpu))
		return !idle_cpu(prev_cpu);
	if (sync && READ_ONCE(cpu_rq(this_cpu)->nr_running) == 1)
		return true;
	if (idle_cpu(prev_cpu))
		return false;
	this_eff_load = cpu_load(cpu_rq(this_cpu));
	if (sync) {
		/* The waker: this CPU's running task. */
		long current_load = task_h_load(READ_ONCE(cpu_rq(this_cpu)->curr));

		if (current_load > this_eff_load)
			return true;
		this_eff_load -= current_load;
	}
	this_eff_load = (this_eff_load + task_h_load(p)) * 100;
	prev_eff_load = cpu_load(cpu_rq(prev_cpu)) * (100 + (sd->imbalance_pct - 100) / 2);
	/* On a tie, a sync wake-up stacks p on its waker. */
	if (sync)
		prev_eff_load++;
	return this_eff_load < prev_eff_load;
}

/* Linux's select_idle_sibling: target if idle, else p's own CPU, else any idle CPU. */
static int select_idle_sibling(struct sched_domain *sd, struct task_struct *p, int prev_cpu,
			       int target)
{
	if (idle_cpu(target))
		return target;
	if (idle_cpu(prev_cpu))
		return prev_cpu;
	return find_idle_cpu(sd, p, target);
}

/*
 * Where p should run, for a fork, an exec or a wake-up (p->pi_lock held, no rq lock).
 * A wake-up looks within the cache domain: its CPU (wake_affine chooses between p's
 * previous CPU and the waker's) if idle, else p's previous CPU if idle, else any idle
 * CPU, else that CPU all the same: the load balancer, not each wake-up, evens out busy
 * CPUs, and a wake-up that stays put crosses no CPUs. A fork or an exec looks within the
 * widest domain that balances them: the previous CPU if idle, else any idle CPU, else the
 * least loaded.
 */
static int select_task_rq_fair(struct task_struct *p, int prev_cpu, int wake_flags)
{
	int this_cpu = smp_processor_id(), target = prev_cpu;
	struct sched_domain *sd;

	if (wake_flags & WF_TTWU)
		sd = widest_domain(prev_cpu, SD_SHARE_PKG_RESOURCES);
	else
		sd = widest_domain(prev_cpu, wake_flags & WF_FORK ? SD_BALANCE_FORK :
								    SD_BALANCE_EXEC);
	if (!sd)
		return prev_cpu;
	if (!(wake_flags & WF_TTWU) || !is_cpu_allowed(p, prev_cpu)) {
		if (is_cpu_allowed(p, prev_cpu) && idle_cpu(prev_cpu))
			return prev_cpu;
		return find_idlest_cpu(sd, p, prev_cpu);
	}
	if ((sd->flags & SD_WAKE_AFFINE) && this_cpu != prev_cpu &&
	    cpumask_test_cpu(this_cpu, sched_domain_span(sd)) && is_cpu_allowed(p, this_cpu) &&
	    wake_affine(sd, p, this_cpu, prev_cpu, wake_flags & WF_SYNC))
		target = this_cpu;
	return select_idle_sibling(sd, p, prev_cpu, target);
}

enum group_type {
	group_has_spare,	/* fewer tasks than CPUs */
	group_fully_busy,	/* one per CPU */
	group_overloaded,	/* some wait */
};

enum migration_type {
	migrate_load,		/* imbalance is load to move */
	migrate_task,		/* imbalance is a number of tasks */
};

#define LBF_ALL_PINNED	0x01	/* every task looked at was not allowed on dst_cpu */
#define LBF_ACTIVE_LB	0x02	/* the stopper's push: cache-hot tasks go too */

struct lb_env {
	struct sched_domain *sd;
	int src_cpu;
	struct rq *src_rq;
	int dst_cpu;
	struct rq *dst_rq;
	enum cpu_idle_type idle;
	long imbalance;
	enum migration_type migration_type;
	unsigned int flags;
	unsigned int loop, loop_max;
	struct cpumask *cpus;		/* where the busiest may be (less all-pinned ones) */
	struct list_head tasks;		/* detached, to attach */
};

struct sg_lb_stats {
	unsigned long group_load;	/* sum of cpu_load() */
	unsigned long avg_load;		/* per SCHED_CAPACITY_SCALE of capacity */
	unsigned long group_capacity;
	unsigned int sum_nr_running;	/* tasks of every class */
	unsigned int sum_h_nr_running;	/* fair tasks: what can be moved */
	unsigned int idle_cpus;
	unsigned int group_weight;
	enum group_type group_type;
};

struct sd_lb_stats {
	struct sched_group *busiest;
	unsigned long total_load;
	unsigned long total_capacity;
	unsigned long avg_load;		/* of the whole domain */
	struct sg_lb_stats busiest_stat;
	struct sg_lb_stats local_stat;
};

static enum group_type group_classify(const struct sg_lb_stats *sgs)
{
	if (sgs->sum_nr_running > sgs->group_weight)
		return group_overloaded;
	if (sgs->sum_nr_running < sgs->group_weight)
		return group_has_spare;
	return group_fully_busy;
}

static void update_sg_lb_stats(struct lb_env *env, struct sched_group *group,
			       struct sg_lb_stats *sgs, bool *overload)
{
	unsigned int i;

	*sgs = (struct sg_lb_stats){ .group_type = group_has_spare };
	for_each_cpu_and(i, sched_group_span(group), env->cpus) {
		struct rq *rq = cpu_rq(i);
		unsigned int nr_running = READ_ONCE(rq->nr_running);

		sgs->group_load += cpu_load(rq);
		sgs->sum_h_nr_running += READ_ONCE(rq->cfs.nr_running);
		sgs->sum_nr_running += nr_running;
		if (nr_running > 1)
			*overload = true;
		if (!nr_running && idle_cpu(i))
			sgs->idle_cpus++;
	}
	sgs->group_capacity = group->group_capacity;
	sgs->group_weight = group->group_weight;
	sgs->group_type = group_classify(sgs);
	sgs->avg_load = sgs->group_load * SCHED_CAPACITY_SCALE / sgs->group_capacity;
}

/*
 * Is sg busier than the busiest so far? The worse group type first; among overloaded or
 * fully busy groups the higher average load, among groups with spare capacity the one
 * with fewer idle CPUs, then more tasks. A group without fair tasks has nothing to give.
 */
static bool update_sd_pick_busiest(struct sd_lb_stats *sds, const struct sg_lb_stats *sgs)
{
	const struct sg_lb_stats *busiest = &sds->busiest_stat;

	if (!sgs->sum_h_nr_running)
		return false;
	if (!sds->busiest || sgs->group_type > busiest->group_type)
		return true;
	if (sgs->group_type < busiest->group_type)
		return false;
	if (sgs->group_type != group_has_spare)
		return sgs->avg_load > busiest->avg_load;
	if (sgs->idle_cpus != busiest->idle_cpus)
		return sgs->idle_cpus < busiest->idle_cpus;
	return sgs->sum_nr_running > busiest->sum_nr_running;
}

static void update_sd_lb_stats(struct lb_env *env, struct sd_lb_stats *sds)
{
	struct sched_group *sg = env->sd->groups;
	bool overload = false;

	do {
		/* The ring starts at the group of this CPU: the local one. */
		bool local_group = sg == env->sd->groups;
		struct sg_lb_stats tmp, *sgs = local_group ? &sds->local_stat : &tmp;

		update_sg_lb_stats(env, sg, sgs, &overload);
		if (!local_group && update_sd_pick_busiest(sds, sgs)) {
			sds->busiest = sg;
			sds->busiest_stat = *sgs;
		}
		sds->total_load += sgs->group_load;
		sds->total_capacity += sgs->group_capacity;
		sg = sg->next;
	} while (sg != env->sd->groups);

	/* The top level has seen every CPU: it knows whether any has a task waiting. */
	if (!env->sd->parent)
		WRITE_ONCE(sched_overloaded, overload);
}

/*
 * How much to move from busiest to local (env->imbalance, in env->migration_type units).
 * A local group with spare capacity takes tasks: half the difference in tasks, or, for
 * groups of several CPUs, half the difference in idle CPUs. Otherwise both will be busy:
 * move load so that neither goes past the domain's average.
 */
static void calculate_imbalance(struct lb_env *env, struct sd_lb_stats *sds)
{
	struct sg_lb_stats *local = &sds->local_stat, *busiest = &sds->busiest_stat;

	if (local->group_type == group_has_spare) {
		env->migration_type = migrate_task;
		if (busiest->group_weight == 1) {
			env->imbalance = ((long)busiest->sum_nr_running -
					  (long)local->sum_nr_running) / 2;
		} else {
			env->imbalance = ((long)local->idle_cpus -
					  (long)busiest->idle_cpus) / 2;
		}
		env->imbalance = max(env->imbalance, 0L);
		return;
	}

	sds->avg_load = sds->total_load * SCHED_CAPACITY_SCALE / sds->total_capacity;
	if (local->avg_load >= busiest->avg_load || local->avg_load >= sds->avg_load ||
	    busiest->avg_load <= sds->avg_load) {
		env->imbalance = 0;
		return;
	}
	env->migration_type = migrate_load;
	env->imbalance = min((busiest->avg_load - sds->avg_load) * busiest->group_capacity,
			     (sds->avg_load - local->avg_load) * local->group_capacity) /
			 SCHED_CAPACITY_SCALE;
}

/*
 * The busiest group of env->sd, if moving work from it to the local group is worth it;
 * NULL when the domain is balanced enough. An overloaded local group only pulls from a
 * group imbalance_pct busier; a busiest group that is not overloaded only gives to an
 * idle CPU, and not its last fair task.
 */
static struct sched_group *find_busiest_group(struct lb_env *env)
{
	struct sd_lb_stats sds = { .busiest = NULL };
	struct sg_lb_stats *local = &sds.local_stat, *busiest = &sds.busiest_stat;

	update_sd_lb_stats(env, &sds);
	if (!sds.busiest)
		goto out_balanced;
	if (local->group_type > busiest->group_type)
		goto out_balanced;
	if (local->group_type == group_overloaded &&
	    100 * busiest->avg_load <= env->sd->imbalance_pct * local->avg_load)
		goto out_balanced;
	if (busiest->group_type != group_overloaded) {
		if (env->idle == CPU_NOT_IDLE)
			goto out_balanced;
		if (busiest->group_weight > 1 && local->idle_cpus <= busiest->idle_cpus + 1)
			goto out_balanced;
		if (busiest->sum_h_nr_running == 1)
			goto out_balanced;
	}
	calculate_imbalance(env, &sds);
	return env->imbalance ? sds.busiest : NULL;

out_balanced:
	env->imbalance = 0;
	return NULL;
}

/*
 * The queue of group to take from: for a load, the most loaded one, unless its only fair
 * task alone is more than the imbalance; for tasks, the one with the most fair tasks.
 */
static struct rq *find_busiest_queue(struct lb_env *env, struct sched_group *group)
{
	unsigned long busiest_load = 0;
	unsigned int busiest_nr = 0;
	struct rq *busiest = NULL;
	unsigned int i;

	for_each_cpu_and(i, sched_group_span(group), env->cpus) {
		struct rq *rq = cpu_rq(i);
		unsigned int nr_running = READ_ONCE(rq->cfs.nr_running);
		unsigned long load = cpu_load(rq);

		if (!nr_running)
			continue;
		if (env->migration_type == migrate_load) {
			if (nr_running == 1 && load > (unsigned long)env->imbalance)
				continue;
			if (load > busiest_load) {
				busiest_load = load;
				busiest = rq;
			}
		} else if (nr_running > busiest_nr) {
			busiest_nr = nr_running;
			busiest = rq;
		}
	}
	return busiest;
}

/*
 * Did p run so recently on src that its cache is likely still warm there? A buddy is
 * about to run again; a SCHED_IDLE task never matters.
 */
static bool task_hot(struct task_struct *p, struct lb_env *env)
{
	struct cfs_rq *cfs_rq = &env->src_rq->cfs;
	s64 delta;

	if (idle_policy(p->policy))
		return false;
	if (env->dst_rq->nr_running && (&p->se == cfs_rq->next || &p->se == cfs_rq->last))
		return true;
	delta = rq_clock_task(env->src_rq) - p->se.exec_start;
	return delta < (s64)sysctl_sched_migration_cost;
}

/* May p go from src to dst? Not if dst is outside its mask, it runs, or it is hot. */
static bool can_migrate_task(struct task_struct *p, struct lb_env *env)
{
	lockdep_assert_rq_held(env->src_rq);

	if (!cpumask_test_cpu(env->dst_cpu, &p->cpus_mask))
		return false;
	env->flags &= ~LBF_ALL_PINNED;
	if (task_running(env->src_rq, p))
		return false;
	if (env->flags & LBF_ACTIVE_LB)
		return true;
	/* Failing again and again is worse than a cold cache. */
	return !task_hot(p, env) || env->sd->nr_balance_failed > env->sd->cache_nice_tries;
}

/* The CPU time p has had, weighted as CFS weighs it: comparable between CPUs. */
static u64 task_vtime(struct task_struct *p)
{
	return calc_delta_fair(p->se.sum_exec_runtime, &p->se);
}

/*
 * Moving more load than the imbalance does not even out the CPUs, it only trades places:
 * with N + 1 tasks on N CPUs, the one that leaves the shared CPU goes on sharing and the
 * one it leaves behind gets a CPU to itself. Over time every task should get its turn
 * (deterministic ticks would otherwise lock one pattern in for ever), so the task that
 * has had less CPU time stays: p may go only if it has had at least as much as src's
 * running task.
 */
static bool fair_to_trade(struct task_struct *p, struct lb_env *env)
{
	struct task_struct *curr = env->src_rq->curr;

	return curr->sched_class != &fair_sched_class || task_vtime(p) >= task_vtime(curr);
}

/* Off src, marked TASK_ON_RQ_MIGRATING: nobody touches it until attach_task. */
static void detach_task(struct task_struct *p, struct lb_env *env)
{
	deactivate_task(env->src_rq, p, DEQUEUE_NOCLOCK);
	set_task_cpu(p, env->dst_cpu);
}

/*
 * The seed's detach_tasks, src_rq locked: from the tail of cfs_tasks (least recently
 * run), detach what may move until the imbalance is covered, onto env->tasks. A task that
 * may not move goes to the head, so that each is looked at once. A newly idle CPU takes
 * one; an idle CPU does not empty the source.
 */
static int detach_tasks(struct lb_env *env)
{
	struct list_head *tasks = &env->src_rq->cfs_tasks;
	int detached = 0;

	lockdep_assert_rq_held(env->src_rq);
	while (!list_empty(tasks) && env->imbalance > 0) {
		struct task_struct *p;
		unsigned long load;

		if (env->idle != CPU_NOT_IDLE && env->src_rq->nr_running <= 1)
			break;
		if (++env->loop > env->loop_max)
			break;
		p = list_last_entry(tasks, struct task_struct, se.group_node);
		if (!can_migrate_task(p, env))
			goto next;
		if (env->migration_type == migrate_load) {
			load = max(task_h_load(p), 1UL);
			/* Not more than asked for, unless failures have piled up. */
			if ((load >> min(env->sd->nr_balance_failed, 31U)) >
			    (unsigned long)env->imbalance)
				goto next;
			if (load > (unsigned long)env->imbalance && !fair_to_trade(p, env))
				goto next;
			env->imbalance -= load;
		} else {
			env->imbalance--;
		}
		detach_task(p, env);
		list_add(&p->se.group_node, &env->tasks);
		detached++;
		if (env->idle == CPU_NEWLY_IDLE)
			break;
		continue;
next:
		list_del(&p->se.group_node);
		list_add(&p->se.group_node, tasks);
	}
	return detached;
}

/* dst_rq locked: p joins it and may preempt what runs there. */
static void attach_task(struct rq *rq, struct task_struct *p)
{
	lockdep_assert_rq_held(rq);
	activate_task(rq, p, ENQUEUE_NOCLOCK);
	check_preempt_curr(rq, p, 0);
}

static void attach_tasks(struct lb_env *env)
{
	rq_lock(env->dst_rq);
	update_rq_clock(env->dst_rq);
	while (!list_empty(&env->tasks)) {
		struct task_struct *p = list_first_entry(&env->tasks, struct task_struct,
							 se.group_node);

		list_del_init(&p->se.group_node);
		attach_task(env->dst_rq, p);
	}
	rq_unlock(env->dst_rq);
}

/* Only repeated failure justifies stopping a CPU to take its running task. */
static bool need_active_balance(struct lb_env *env)
{
	return env->sd->nr_balance_failed > env->sd->cache_nice_tries + 2;
}

/*
 * The task the stopper pushes (busiest locked): of those that may go, the one that has
 * had the most CPU time, so that a poorer one keeps this CPU (see fair_to_trade); the
 * least recently run on a tie.
 */
static struct task_struct *detach_one_task(struct lb_env *env)
{
	struct list_head *tasks = &env->src_rq->cfs_tasks, *pos;
	struct task_struct *best = NULL;
	u64 best_vtime = 0;

	lockdep_assert_rq_held(env->src_rq);
	for (pos = tasks->prev; pos != tasks; pos = pos->prev) {
		struct task_struct *p = list_entry(pos, struct task_struct, se.group_node);
		u64 vtime;

		if (!can_migrate_task(p, env))
			continue;
		vtime = task_vtime(p);
		if (!best || vtime > best_vtime) {
			best = p;
			best_vtime = vtime;
		}
	}
	if (best)
		detach_task(best, env);
	return best;
}

/*
 * The stop work of an active balance, on the busiest CPU's stopper (migration/N), which
 * has just preempted the task that was running there: now queued, it can be detached
 * and pushed to push_cpu like any other.
 */
static int active_load_balance_cpu_stop(void *data)
{
	struct rq *busiest_rq = data, *target_rq = cpu_rq(busiest_rq->push_cpu);
	struct task_struct *p = NULL;
	struct sched_domain *sd;

	local_irq_disable();
	rq_lock(busiest_rq);
	if (!busiest_rq->active_balance || busiest_rq->nr_running <= 1)
		goto out_unlock;
	for_each_domain(target_rq->cpu, sd)
		if (cpumask_test_cpu(busiest_rq->cpu, sched_domain_span(sd)))
			break;
	if (sd) {
		struct lb_env env = {
			.sd = sd,
			.dst_cpu = target_rq->cpu,
			.dst_rq = target_rq,
			.src_cpu = busiest_rq->cpu,
			.src_rq = busiest_rq,
			.idle = CPU_IDLE,
			.flags = LBF_ACTIVE_LB,
		};

		sd->alb_count++;
		update_rq_clock(busiest_rq);
		p = detach_one_task(&env);
	}
out_unlock:
	busiest_rq->active_balance = 0;
	rq_unlock(busiest_rq);
	if (p) {
		rq_lock(target_rq);
		update_rq_clock(target_rq);
		attach_task(target_rq, p);
		rq_unlock(target_rq);
	}
	local_irq_enable();
	return 0;
}

/* The busiest CPU's running task may come here: have its stopper push it, at most once. */
static bool kick_active_balance(struct rq *busiest, int this_cpu)
{
	unsigned long flags;
	bool kick = false;

	local_irq_save(flags);
	rq_lock(busiest);
	if (!cpumask_test_cpu(this_cpu, &busiest->curr->cpus_mask)) {
		rq_unlock(busiest);
		local_irq_restore(flags);
		return false;
	}
	if (!busiest->active_balance) {
		busiest->active_balance = 1;
		busiest->push_cpu = this_cpu;
		kick = true;
	}
	rq_unlock(busiest);
	local_irq_restore(flags);

	/* A stopper that does not take work (not started yet) will never clear the flag. */
	if (kick && !stop_one_cpu_nowait(busiest->cpu, active_load_balance_cpu_stop, busiest,
					 &busiest->active_balance_work)) {
		local_irq_save(flags);
		rq_lock(busiest);
		busiest->active_balance = 0;
		rq_unlock(busiest);
		local_irq_restore(flags);
	}
	return true;
}

/*
 * The seed's load_balance: move tasks from the busiest CPU of sd to this one, or ask the
 * busiest CPU's stopper to push its running task here. Returns the number of tasks pulled.
 * The balance interval goes back to its minimum whenever an imbalance is found, and
 * doubles (up to max_interval, or MAX_PINNED_INTERVAL when everything was pinned) while
 * the domain is balanced.
 */
int load_balance(int this_cpu, struct rq *this_rq, struct sched_domain *sd,
		 enum cpu_idle_type idle)
{
	struct cpumask cpus;
	struct lb_env env = {
		.sd = sd,
		.dst_cpu = this_cpu,
		.dst_rq = this_rq,
		.idle = idle,
		.cpus = &cpus,
		.tasks = LIST_HEAD_INIT(env.tasks),
	};
	struct sched_group *group;
	struct rq *busiest;
	unsigned long flags;
	int ld_moved = 0;

	cpumask_and(&cpus, sched_domain_span(sd), &cpu_online_mask);
redo:
	group = find_busiest_group(&env);
	if (!group)
		goto out_balanced;
	busiest = find_busiest_queue(&env, group);
	if (!busiest)
		goto out_balanced;

	env.src_cpu = busiest->cpu;
	env.src_rq = busiest;
	env.flags |= LBF_ALL_PINNED;
	if (READ_ONCE(busiest->nr_running) > 1) {
		env.loop = 0;
		env.loop_max = min(sysctl_sched_nr_migrate, READ_ONCE(busiest->nr_running));
		local_irq_save(flags);
		rq_lock(busiest);
		update_rq_clock(busiest);
		ld_moved = detach_tasks(&env);
		rq_unlock(busiest);
		if (ld_moved)
			attach_tasks(&env);
		local_irq_restore(flags);

		/* Nothing there may come here: look for the next busiest without it. */
		if (unlikely(env.flags & LBF_ALL_PINNED)) {
			__cpumask_clear_cpu(busiest->cpu, &cpus);
			if (!cpumask_subset(&cpus, sched_group_span(sd->groups)))
				goto redo;
			goto out_all_pinned;
		}
	}

	if (!ld_moved) {
		if (idle != CPU_NEWLY_IDLE)
			sd->nr_balance_failed++;
		if (need_active_balance(&env)) {
			if (!kick_active_balance(busiest, this_cpu))
				goto out_one_pinned;
			/* The push ignores cache heat; the next passes may too. */
			sd->nr_balance_failed = sd->cache_nice_tries + 1;
		}
	} else {
		sd->nr_balance_failed = 0;
	}
	sd->balance_interval = sd->min_interval;
	return ld_moved;

out_balanced:
out_all_pinned:
	sd->nr_balance_failed = 0;
out_one_pinned:
	if (idle != CPU_NEWLY_IDLE &&
	    (((env.flags & LBF_ALL_PINNED) && sd->balance_interval < MAX_PINNED_INTERVAL) ||
	     sd->balance_interval < sd->max_interval))
		sd->balance_interval *= 2;
	return 0;
}

/* How often to balance sd: less often while busy, in jiffies. */
static unsigned long get_sd_balance_interval(struct sched_domain *sd, bool cpu_busy)
{
	unsigned long interval = sd->balance_interval;

	if (cpu_busy)
		interval *= sd->busy_factor;
	interval = msecs_to_jiffies(interval);
	return clamp(interval, 1UL, max_load_balance_interval);
}

/*
 * Above the lowest level, one CPU balances for its group: the first idle one, else the
 * first. (Single-CPU groups: always this CPU.)
 */
static bool should_we_balance(int cpu, struct sched_domain *sd)
{
	struct sched_group *sg = sd->groups;
	unsigned int i;

	for_each_cpu_and(i, sched_group_span(sg), &cpu_online_mask)
		if (idle_cpu(i))
			return (int)i == cpu;
	return (int)cpumask_first(sched_group_span(sg)) == cpu;
}

/* The seed's rebalance_domains: each level whose interval has passed, lowest first. */
static void rebalance_domains(struct rq *rq, enum cpu_idle_type idle)
{
	unsigned long next_balance = jiffies + 60 * HZ;
	bool busy = idle != CPU_IDLE, balancing = true, decayed = false;
	u64 max_cost = 0;
	int cpu = rq->cpu;
	struct sched_domain *sd;

	for_each_domain(cpu, sd) {
		unsigned long interval = get_sd_balance_interval(sd, busy);

		/* What newidle balancing costs is forgotten slowly: 1% a second. */
		if (jiffies_ge(jiffies, sd->next_decay_max_lb_cost)) {
			sd->max_newidle_lb_cost = sd->max_newidle_lb_cost * 253 / 256;
			sd->next_decay_max_lb_cost = jiffies + HZ;
			decayed = true;
		}
		max_cost += sd->max_newidle_lb_cost;

		if (jiffies_ge(jiffies, sd->last_balance + interval)) {
			/* Not our turn here, nor at any level above. */
			if (balancing && !should_we_balance(cpu, sd))
				balancing = false;
			if (balancing && load_balance(cpu, rq, sd, idle)) {
				/* It pulled work: no longer idle. */
				idle = idle_cpu(cpu) ? CPU_IDLE : CPU_NOT_IDLE;
				busy = idle != CPU_IDLE;
			}
			sd->last_balance = jiffies;
			interval = get_sd_balance_interval(sd, busy);
		}
		if (!jiffies_ge(sd->last_balance + interval, next_balance))
			next_balance = sd->last_balance + interval;
	}
	WRITE_ONCE(rq->next_balance, next_balance);
	if (decayed)
		rq->max_idle_balance_cost = max((u64)sysctl_sched_migration_cost, max_cost);
}

/* SCHED_SOFTIRQ. Every CPU ticks, idle or not, so each balances itself (no nohz kick). */
static void run_rebalance_domains(struct softirq_action *h)
{
	struct rq *this_rq = this_rq();

	rebalance_domains(this_rq, idle_cpu(this_rq->cpu) ? CPU_IDLE : CPU_NOT_IDLE);
}

void trigger_load_balance(struct rq *rq)
{
	/* No domains yet (boot), or none at all (one CPU). */
	if (unlikely(!READ_ONCE(rq->sd)))
		return;
	if (jiffies_ge(jiffies, READ_ONCE(rq->next_balance)))
		raise_softirq(SCHED_SOFTIRQ);
}

/* An idle period ended (rq locked): fold it into avg_idle, 1/8 at a time. */
static void update_idle_average(struct rq *rq)
{
	s64 delta = rq_clock(rq) - rq->idle_stamp;
	u64 cap = 2 * rq->max_idle_balance_cost;

	rq->avg_idle += (delta - (s64)rq->avg_idle) / 8;
	rq->avg_idle = min(rq->avg_idle, cap);
	rq->idle_stamp = 0;
}

/*
 * this_rq has nothing to run: pull a task from the busiest CPU before going idle. The core
 * calls this with this_rq locked and prev still current; the lock is dropped while other
 * CPUs' locks are taken, and retaken (IRQs stay off). Returns 1 if fair tasks are queued
 * now, -1 if a task of a higher class came meanwhile (walk every class again), else 0.
 *
 * Not worth it when nobody waits anywhere, nor when this CPU's idle periods are usually
 * shorter than a task's cache footprint or than what balancing each level has cost.
 */
static int newidle_balance(struct rq *this_rq)
{
	struct sched_domain *sd = READ_ONCE(this_rq->sd);
	u64 curr_cost = 0;
	int pulled_task = 0;

	this_rq->idle_stamp = rq_clock(this_rq);
	if (!sd || !READ_ONCE(sched_overloaded) ||
	    this_rq->avg_idle < sysctl_sched_migration_cost)
		return 0;

	rq_unlock(this_rq);
	for (; sd; sd = sd->parent) {
		u64 t0, cost;

		if (this_rq->avg_idle < curr_cost + sd->max_newidle_lb_cost)
			break;
		if (sd->flags & SD_BALANCE_NEWIDLE) {
			t0 = sched_clock();
			pulled_task = load_balance(this_rq->cpu, this_rq, sd, CPU_NEWLY_IDLE);
			cost = sched_clock() - t0;
			sd->max_newidle_lb_cost = max(sd->max_newidle_lb_cost, cost);
			curr_cost += cost;
		}
		if (pulled_task || READ_ONCE(this_rq->nr_running))
			break;
	}
	rq_lock(this_rq);
	update_rq_clock(this_rq);

	if (this_rq->cfs.nr_running && !pulled_task)
		pulled_task = 1;
	if (this_rq->nr_running != this_rq->cfs.nr_running)
		pulled_task = -1;
	if (pulled_task)
		this_rq->idle_stamp = 0;
	return pulled_task;
}

/* The core's class walk, before putting prev: pull work if this CPU would go idle. */
static int balance_fair(struct rq *rq, struct task_struct *prev)
{
	if (rq->nr_running)
		return 1;
	return newidle_balance(rq) != 0;
}

void __init init_sched_fair_class(void)
{
	unsigned int cpu;

	max_load_balance_interval = HZ * num_online_cpus() / 10;
	for_each_possible_cpu(cpu) {
		cpu_rq(cpu)->avg_idle = 2 * sysctl_sched_migration_cost;
		cpu_rq(cpu)->max_idle_balance_cost = sysctl_sched_migration_cost;
	}
	open_softirq(SCHED_SOFTIRQ, run_rebalance_domains);
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
	init_entity_runnable_average(se, rq_clock_task(rq_of(cfs_rq)));

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
 * The seed's reweight_task: a queued fair task moves its queue's load sum and average to
 * the new weight, after being charged for its run so far at the old one; vruntime, the
 * tree's key, stays as it is.
 */
static void reweight_task(struct task_struct *p, const struct load_weight *lw)
{
	struct sched_entity *se = &p->se;
	struct cfs_rq *cfs_rq = task_cfs_rq(p);
	bool queued = se->on_rq;

	if (queued) {
		if (cfs_rq->curr == se)
			update_curr(cfs_rq);
		update_load_avg(cfs_rq, se);
		dequeue_load_avg(cfs_rq, se);
		update_load_sub(&cfs_rq->load, se->load.weight);
	}
	se->load = *lw;
	/* The same runnable history at the new weight. */
	se_update_load_avg(se);
	if (queued) {
		update_load_add(&cfs_rq->load, se->load.weight);
		enqueue_load_avg(cfs_rq, se);
	}
}

/* The seed's set_load_weight: weight and inverse from the nice table (or the idle policy's),
 * through reweight_task for a fair task whose load counts somewhere. */
void set_load_weight(struct task_struct *p, bool update_load)
{
	int prio = p->static_prio - MAX_RT_PRIO;
	struct load_weight lw;

	if (idle_policy(p->policy)) {
		lw.weight = WEIGHT_IDLEPRIO;
		lw.inv_weight = WMULT_IDLEPRIO;
	} else {
		lw.weight = sched_prio_to_weight[prio];
		lw.inv_weight = sched_prio_to_wmult[prio];
	}
	if (update_load && p->sched_class == &fair_sched_class) {
		reweight_task(p, &lw);
	} else {
		p->se.load = lw;
		se_update_load_avg(&p->se);
	}
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
