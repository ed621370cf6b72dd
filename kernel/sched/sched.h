/* SPDX-License-Identifier: MIT */
/*
 * The scheduler's internals: per-CPU run queues with one sub-queue per class, and the
 * class interface that pick_next_task walks from stop down to idle.
 *
 * Policy (this directory) sees the machine only through: run queues and their locks,
 * rq_clock(), per-CPU data, hrtimers, resched_curr() and the arch switch hooks below.
 * schedsim (tools/schedsim) compiles these same sources against a virtual machine.
 */
#ifndef KERNEL_SCHED_SCHED_H
#define KERNEL_SCHED_SCHED_H

#include <kairos/bitmap.h>
#include <kairos/bug.h>
#include <kairos/percpu.h>
#include <kairos/sched.h>
#include <kairos/smp.h>
#include <kairos/spinlock.h>
#include <kairos/stop_machine.h>
#include <kairos/time.h>

/* task->on_rq */
#define TASK_ON_RQ_QUEUED	1
#define TASK_ON_RQ_MIGRATING	2

/* enqueue_task flags */
#define ENQUEUE_WAKEUP		0x01
#define ENQUEUE_RESTORE		0x02	/* back after a change of prio, class or affinity */
#define ENQUEUE_MOVE		0x04
#define ENQUEUE_NOCLOCK		0x08
#define ENQUEUE_HEAD		0x10	/* at the head of its list (RT) */
#define ENQUEUE_REPLENISH	0x20	/* deadline: a new period begins */
#define ENQUEUE_MIGRATED	0x40
#define ENQUEUE_INITIAL		0x80	/* a new task (wake_up_new_task) */

/* dequeue_task flags */
#define DEQUEUE_SLEEP		0x01
#define DEQUEUE_SAVE		0x02	/* will be enqueued again at once (ENQUEUE_RESTORE) */
#define DEQUEUE_MOVE		0x04
#define DEQUEUE_NOCLOCK		0x08

/* wake flags */
#define WF_EXEC			0x02
#define WF_FORK			0x04
#define WF_TTWU			0x08
#define WF_SYNC			0x10
#define WF_MIGRATED		0x20	/* the wake-up moved it to another CPU */

/* Fixed-point scales. */
#define NICE_0_LOAD_SHIFT	10
#define NICE_0_LOAD		(1L << NICE_0_LOAD_SHIFT)
#define SCHED_CAPACITY_SHIFT	10
#define SCHED_CAPACITY_SCALE	(1L << SCHED_CAPACITY_SHIFT)	/* one whole CPU */
#define WMULT_SHIFT		32
#define BW_SHIFT		20
#define BW_UNIT			(1 << BW_SHIFT)

/* Linux's tunables at their defaults (for one CPU; Linux scales some by log2(CPUs)). */
extern unsigned int sysctl_sched_latency;		/* ns: the fair period to share */
extern unsigned int sysctl_sched_min_granularity;	/* ns: shortest fair slice */
extern unsigned int sysctl_sched_wakeup_granularity;	/* ns: wake-up preemption margin */
extern unsigned int sysctl_sched_child_runs_first;
extern unsigned int sysctl_sched_rr_timeslice_ms;	/* 100 */
extern int sysctl_sched_rt_period_us;			/* 1000000 */
extern int sysctl_sched_rt_runtime_us;			/* 950000; -1: no throttling */
extern unsigned int sysctl_sched_migration_cost;	/* ns: ran this recently, cache-hot */
extern unsigned int sysctl_sched_nr_migrate;		/* most tasks one balance pass moves */
#define RUNTIME_INF		((u64)~0ULL)		/* rt_rq->rt_runtime: not throttled */

extern const int sched_prio_to_weight[40];
extern const u32 sched_prio_to_wmult[40];

struct cfs_rq {
	struct load_weight load;
	unsigned int nr_running;
	u64 min_vruntime;
	struct rb_root_cached tasks_timeline;
	struct sched_entity *curr;	/* running, and not in the tree */
	struct sched_entity *next;	/* buddies: preferred / avoided by the next pick */
	struct sched_entity *skip;
	struct sched_entity *last;	/* the one a wake-up preempted, to return to */
	u64 exec_clock;
	/* Decayed runnable load of the queued tasks, weighted (load_avg: see fair.c). */
	struct sched_avg avg;
};

struct rt_prio_array {
	DECLARE_BITMAP(bitmap, MAX_RT_PRIO + 1);	/* one bit per non-empty list, plus a stop bit */
	struct list_head queue[MAX_RT_PRIO];
};

struct rt_rq {
	struct rt_prio_array active;
	unsigned int rt_nr_running;
	int highest_prio;		/* best prio queued here, MAX_RT_PRIO if none */
	/* Throttling: RT may use rt_runtime ns of each rt_period. */
	u64 rt_time;
	u64 rt_runtime;
	u64 rt_period_start;
	bool rt_throttled;
	bool rt_queued;			/* counted in rq->nr_running (false while throttled) */
	bool overloaded;		/* an RT task waits here: in rt.c's rto_mask */
};

struct dl_rq {
	struct rb_root_cached root;	/* by absolute deadline */
	unsigned int dl_nr_running;
	u64 running_bw;			/* sum of dl_bw of tasks queued here */
	u64 earliest_dl;		/* for placement and push decisions */
	bool overloaded;		/* a deadline task waits here: in deadline.c's dlo_mask */
};

struct rq {
	spinlock_t lock;
	unsigned int nr_running;
	u64 nr_switches;
	/*
	 * Wake-ups this CPU made (schedstat's, in /proc/sched_debug): tasks it took out of a
	 * sleep; of those, the ones it queued on itself, and the sync ones (WF_SYNC: the
	 * waker is about to sleep). Only this CPU writes them, with IRQs off.
	 */
	unsigned long ttwu_count;
	unsigned long ttwu_local;
	unsigned long ttwu_sync;
	/* Tasks that went to sleep uninterruptibly here, less those woken here: only the
	 * sum over CPUs means anything (the load average's). */
	unsigned int nr_uninterruptible;
	/* loadavg.c: what this CPU last folded into calc_load_tasks, and when it next does. */
	long calc_load_active;
	unsigned long calc_load_update;

	struct cfs_rq cfs;
	struct rt_rq rt;
	struct dl_rq dl;

	struct task_struct *curr;
	struct task_struct *idle;
	struct task_struct *stop;	/* the migration/N thread */

	u64 clock;			/* ns, from sched_clock(), updated under the lock */
	u64 clock_task;			/* clock minus time spent in interrupts (same for now) */
	int cpu;
	bool online;

	struct list_head cfs_tasks;	/* runnable fair tasks, most recently run first */

	/* Ends a deadline task's budget between ticks (deadline.c; set up by init_dl_rq). */
	struct hrtimer hrtick_timer;

	/* RT and deadline push/pull queued while scheduling (queue_balance_callback). */
	struct balance_callback *balance_callback;

	/* Load balancing (fair.c, topology.c). */
	struct sched_domain *sd;	/* the lowest level; set once at boot, NULL on one CPU */
	unsigned long next_balance;	/* jiffies: when the tick next raises SCHED_SOFTIRQ */
	int active_balance;		/* a push of the running task is queued (under lock) */
	int push_cpu;			/* where it goes */
	struct cpu_stop_work active_balance_work;
	/* Newidle balance is worth it only if the CPU stays idle longer than it costs. */
	u64 idle_stamp;			/* rq_clock when it last went idle, 0 once busy */
	u64 avg_idle;			/* ns, a running average of idle periods */
	u64 max_idle_balance_cost;	/* ns, the longest newidle balance lately */
};

DECLARE_PER_CPU(struct rq, runqueues);

#define cpu_rq(cpu)		(&per_cpu(runqueues, (cpu)))
#define this_rq()		this_cpu_ptr(&runqueues)
#define task_rq(p)		cpu_rq(task_cpu(p))
#define cpu_curr(cpu)		(cpu_rq(cpu)->curr)

struct sched_class {
	void (*enqueue_task)(struct rq *rq, struct task_struct *p, int flags);
	void (*dequeue_task)(struct rq *rq, struct task_struct *p, int flags);
	void (*yield_task)(struct rq *rq);
	void (*check_preempt_curr)(struct rq *rq, struct task_struct *p, int flags);
	/* Pick the next task and make it current (set_next_task); NULL if none. */
	struct task_struct *(*pick_next_task)(struct rq *rq);
	void (*put_prev_task)(struct rq *rq, struct task_struct *p);
	void (*set_next_task)(struct rq *rq, struct task_struct *p, bool first);
	/* Before picking: may pull work from other CPUs; true if this class has some. */
	int (*balance)(struct rq *rq, struct task_struct *prev);
	int (*select_task_rq)(struct task_struct *p, int prev_cpu, int wake_flags);
	void (*migrate_task_rq)(struct task_struct *p, int new_cpu);
	void (*task_woken)(struct rq *rq, struct task_struct *p);
	void (*task_tick)(struct rq *rq, struct task_struct *p, int queued);
	void (*task_fork)(struct task_struct *p);
	void (*task_dead)(struct task_struct *p);
	void (*switched_from)(struct rq *rq, struct task_struct *p);
	void (*switched_to)(struct rq *rq, struct task_struct *p);
	void (*prio_changed)(struct rq *rq, struct task_struct *p, int oldprio);
	unsigned int (*get_rr_interval)(struct rq *rq, struct task_struct *p);
	void (*update_curr)(struct rq *rq);
	const struct sched_class *next;		/* the next lower class */
};

extern const struct sched_class stop_sched_class;
extern const struct sched_class dl_sched_class;
extern const struct sched_class rt_sched_class;
extern const struct sched_class fair_sched_class;
extern const struct sched_class idle_sched_class;

#define sched_class_highest	(&stop_sched_class)
#define for_each_class(class) \
	for (class = sched_class_highest; class; class = class->next)

/* Policy predicates. */
static inline bool dl_policy(int policy)
{
	return policy == SCHED_DEADLINE;
}

static inline bool rt_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

static inline bool fair_policy(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_BATCH || policy == SCHED_IDLE;
}

static inline bool idle_policy(int policy)
{
	return policy == SCHED_IDLE;
}

static inline bool valid_policy(int policy)
{
	return fair_policy(policy) || rt_policy(policy) || dl_policy(policy);
}

static inline bool dl_prio(int prio)
{
	return prio < MAX_DL_PRIO;
}

static inline bool rt_prio(int prio)
{
	return prio < MAX_RT_PRIO;
}

static inline bool dl_task(const struct task_struct *p)
{
	return dl_prio(p->prio);
}

static inline bool rt_task(const struct task_struct *p)
{
	return rt_prio(p->prio) && !dl_prio(p->prio);
}

static inline bool task_on_rq_queued(const struct task_struct *p)
{
	return READ_ONCE(p->on_rq) == TASK_ON_RQ_QUEUED;
}

static inline bool task_current(const struct rq *rq, const struct task_struct *p)
{
	return rq->curr == p;
}

static inline bool task_running(const struct rq *rq, const struct task_struct *p)
{
	return READ_ONCE(p->on_cpu);
}

/* Run-queue locking: rq->lock is always taken with IRQs off. */
static inline void rq_lock(struct rq *rq)
{
	do_raw_spin_lock(&rq->lock);
}

static inline void rq_unlock(struct rq *rq)
{
	do_raw_spin_unlock(&rq->lock);
}

static inline void lockdep_assert_rq_held(struct rq *rq)
{
	assert_spin_locked(&rq->lock);
}

/* Lock the run queue p is on, following it if it migrates meanwhile. IRQs must be off. */
struct rq *__task_rq_lock(struct task_struct *p);
/* The same, taking p->pi_lock (with IRQs saved) first. */
struct rq *task_rq_lock(struct task_struct *p, unsigned long *flags);
void task_rq_unlock(struct rq *rq, struct task_struct *p, unsigned long flags);
/* Both run queues, lower address first so that two CPUs cannot deadlock. */
void double_rq_lock(struct rq *rq1, struct rq *rq2);
void double_rq_unlock(struct rq *rq1, struct rq *rq2);

/*
 * With this_rq held, lock busiest too. True if this_rq->lock was dropped on the way (to
 * take the two in address order): whatever the caller saw under it must be checked again.
 */
static inline bool double_lock_balance(struct rq *this_rq, struct rq *busiest)
{
	if (do_raw_spin_trylock(&busiest->lock))
		return false;
	if (this_rq < busiest) {
		rq_lock(busiest);
		return false;
	}
	rq_unlock(this_rq);
	double_rq_lock(this_rq, busiest);
	return true;
}

static inline void double_unlock_balance(struct rq *this_rq, struct rq *busiest)
{
	rq_unlock(busiest);
}

/*
 * Work a class queues while scheduling that must wait until the switch is done, because
 * it drops rq->lock or moves the task being switched out (RT and deadline push/pull).
 * The core runs it, rq->lock held, once prev is off the CPU or when there was no switch.
 */
struct balance_callback {
	struct balance_callback *next;
	void (*func)(struct rq *rq);
	bool queued;
};

static inline void queue_balance_callback(struct rq *rq, struct balance_callback *cb,
					  void (*func)(struct rq *rq))
{
	lockdep_assert_rq_held(rq);
	if (cb->queued)
		return;
	cb->func = func;
	cb->next = rq->balance_callback;
	cb->queued = true;
	rq->balance_callback = cb;
}

void update_rq_clock(struct rq *rq);

static inline u64 rq_clock(const struct rq *rq)
{
	return rq->clock;
}

static inline u64 rq_clock_task(const struct rq *rq)
{
	return rq->clock_task;
}

/* Some CPU has had a task waiting: a CPU about to go idle should look for work. */
extern int sched_overloaded;

static inline void add_nr_running(struct rq *rq, unsigned int count)
{
	unsigned int prev = rq->nr_running;

	rq->nr_running = prev + count;
	if (prev < 2 && rq->nr_running >= 2 && !READ_ONCE(sched_overloaded))
		WRITE_ONCE(sched_overloaded, 1);
}

static inline void sub_nr_running(struct rq *rq, unsigned int count)
{
	rq->nr_running -= count;
}

/* Core operations the classes use. */
void resched_curr(struct rq *rq);
void activate_task(struct rq *rq, struct task_struct *p, int flags);
void deactivate_task(struct rq *rq, struct task_struct *p, int flags);
void check_preempt_curr(struct rq *rq, struct task_struct *p, int flags);
void set_task_cpu(struct task_struct *p, unsigned int new_cpu);
/* Move a queued task to another CPU's queue; called with rq locked, returns new rq locked. */
struct rq *move_queued_task(struct rq *rq, struct task_struct *p, int new_cpu);

static inline void put_prev_task(struct rq *rq, struct task_struct *prev)
{
	prev->sched_class->put_prev_task(rq, prev);
}

static inline void set_next_task(struct rq *rq, struct task_struct *next)
{
	next->sched_class->set_next_task(rq, next, false);
}

/* Whether p may run on cpu right now (allowed and online). */
static inline bool is_cpu_allowed(const struct task_struct *p, int cpu)
{
	return cpumask_test_cpu(cpu, &p->cpus_mask) && cpu_online(cpu);
}

/* Weights (fair.c). */
void set_load_weight(struct task_struct *p, bool update_load);
u64 __calc_delta(u64 delta_exec, unsigned long weight, struct load_weight *lw);

/*
 * The core's fast path into fair (see pick_next_task); puts prev only if it returns a task.
 * With nothing to run it tries to pull work (newidle balance), dropping rq->lock meanwhile;
 * RETRY_TASK: a task of a higher class arrived then, so walk every class again.
 */
struct task_struct *pick_next_task_fair(struct rq *rq, struct task_struct *prev);
#define RETRY_TASK		((struct task_struct *)-1UL)
/* RT throttling's period boundary, checked every tick whatever runs (rt.c). */
void rt_period_tick(struct rq *rq);
/* RT tasks queued behind a deadline task are pushable too: deadline.c tells rt.c. */
void rt_update_overload(struct rq *rq);
void rt_queue_push_tasks(struct rq *rq);
/* Scale the fair tunables for the number of CPUs, as Linux does by default. */
void sched_init_granularity(unsigned int ncpus);
/* The stop class's task for cpu (stop_machine.c creates them). */
void sched_set_stop_task(int cpu, struct task_struct *stop);

/*
 * Scheduling domains (topology.c): for each CPU, a chain from its lowest level up to one
 * spanning every CPU. A level's groups partition its span into the spans of the level
 * below (single CPUs at the lowest); the balancer compares groups. Built once every CPU is
 * up and never changed (no hotplug), so they are read without locks.
 */
enum cpu_idle_type {
	CPU_IDLE,		/* the periodic balance of an idle CPU */
	CPU_NOT_IDLE,		/* the periodic balance of a busy CPU */
	CPU_NEWLY_IDLE,		/* about to go idle (newidle balance) */
};

#define SD_BALANCE_NEWIDLE	0x0001	/* pull work when about to go idle */
#define SD_BALANCE_EXEC		0x0002	/* place exec'ing tasks anywhere in the span */
#define SD_BALANCE_FORK		0x0004	/* place new tasks anywhere in the span */
#define SD_WAKE_AFFINE		0x0010	/* a wake-up may go to the waker's CPU */
#define SD_SHARE_PKG_RESOURCES	0x0200	/* the span shares a last-level cache */

struct sched_group {
	struct sched_group *next;	/* ring of the domain's groups */
	unsigned int group_weight;	/* CPUs */
	unsigned long group_capacity;	/* SCHED_CAPACITY_SCALE per CPU */
	struct cpumask span;
};

struct sched_domain {
	struct sched_domain *parent;	/* the level above; NULL at the top */
	struct sched_domain *child;
	struct sched_group *groups;	/* the ring, from the group holding this CPU */
	const char *name;
	int flags;			/* SD_* */
	unsigned int span_weight;
	/* Tunables, Linux's defaults (topology.c). */
	unsigned int min_interval;	/* ms */
	unsigned int max_interval;	/* ms */
	unsigned int busy_factor;	/* a busy CPU balances this much less often */
	unsigned int imbalance_pct;	/* overloaded groups differing less are balanced */
	unsigned int cache_nice_tries;	/* failures before cache-hot tasks may move */
	/* Balancing state; only this domain's CPU writes it. */
	unsigned int balance_interval;	/* ms: doubles while balanced, min when not */
	unsigned int nr_balance_failed;	/* passes in a row that found but could not fix */
	unsigned long last_balance;	/* jiffies */
	u64 max_newidle_lb_cost;	/* ns, decays by 1% a second */
	unsigned long next_decay_max_lb_cost;	/* jiffies */
	unsigned int alb_count;		/* active balances run for this CPU (schedstat) */
	struct cpumask span;
};

#define for_each_domain(cpu, __sd) \
	for (__sd = READ_ONCE(cpu_rq(cpu)->sd); __sd; __sd = __sd->parent)

static inline struct cpumask *sched_domain_span(struct sched_domain *sd)
{
	return &sd->span;
}

static inline struct cpumask *sched_group_span(struct sched_group *sg)
{
	return &sg->span;
}

/* Build the domains of every CPU in cpu_map and publish them in rq->sd (topology.c). */
void build_sched_domains(const struct cpumask *cpu_map);
/* The fair class's boot-time setup: its softirq. */
void init_sched_fair_class(void);
/* From scheduler_tick, rq unlocked: raise SCHED_SOFTIRQ when a balance is due. */
void trigger_load_balance(struct rq *rq);
/* One balance pass of this_cpu over sd (fair.c; also the benchmarks'): tasks pulled. */
int load_balance(int this_cpu, struct rq *this_rq, struct sched_domain *sd,
		 enum cpu_idle_type idle);

/* Class-specific setup called by the core. */
void init_cfs_rq(struct cfs_rq *cfs_rq);
void init_rt_rq(struct rt_rq *rt_rq);
void init_dl_rq(struct dl_rq *dl_rq);
void init_dl_task_timer(struct sched_dl_entity *dl_se);
void __setparam_dl(struct task_struct *p, const struct sched_attr *attr);
void __getparam_dl(struct task_struct *p, struct sched_attr *attr);
/* sched_setattr's validation of the parameters alone (-EINVAL), before any permission
 * check, as Linux orders them. */
int sched_check_attr(const struct sched_attr *attr);
bool __checkparam_dl(const struct sched_attr *attr);
bool dl_param_changed(struct task_struct *p, const struct sched_attr *attr);
/* Admission control: account p's bandwidth change to attr (or leaving DL when attr is not
 * SCHED_DEADLINE); -EBUSY when the total would exceed the limit. */
int sched_dl_overflow(struct task_struct *p, int policy, const struct sched_attr *attr);
void sched_dl_task_exit(struct task_struct *p);
/* The CBS wake-up test: would p's remaining runtime, used by its current deadline from
 * time t, exceed its reserved bandwidth? Then it must start a new instance. */
bool dl_entity_overflow(const struct sched_dl_entity *dl_se, u64 t);

/* runtime / period as a BW_SHIFT fixed-point fraction; 0 for a zero period. */
static inline u64 to_ratio(u64 period, u64 runtime)
{
	if (!period)
		return 0;
	return (runtime << BW_SHIFT) / period;
}
extern u64 dl_bw_limit;		/* BW_SHIFT fixed point, per CPU: 95% by default */

/* The arch hooks the core calls around a switch; schedsim supplies its own. */
struct task_struct *__switch_to(struct task_struct *prev, struct task_struct *next);
#define switch_to(prev, next, last) ((last) = __switch_to((prev), (next)))

/* loadavg.c: fold this CPU's runnable and uninterruptible count into the load average. */
long calc_load_fold_active(struct rq *rq, long adjust);
void calc_global_load_tick(struct rq *rq);

#endif
