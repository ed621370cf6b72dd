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
	unsigned long avg_load;		/* sum of the tasks' decayed loads (balancing) */
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
};

struct dl_rq {
	struct rb_root_cached root;	/* by absolute deadline */
	unsigned int dl_nr_running;
	u64 running_bw;			/* sum of dl_bw of tasks queued here */
	u64 earliest_dl;		/* for placement and push decisions */
};

struct rq {
	spinlock_t lock;
	unsigned int nr_running;
	u64 nr_switches;

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

	/* Load balancing (SMP issue). */
	unsigned long next_balance;	/* in jiffies */
	unsigned int balance_interval;	/* ms */
	unsigned long cpu_load;		/* decayed load of the whole queue */
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

void update_rq_clock(struct rq *rq);

static inline u64 rq_clock(const struct rq *rq)
{
	return rq->clock;
}

static inline u64 rq_clock_task(const struct rq *rq)
{
	return rq->clock_task;
}

static inline void add_nr_running(struct rq *rq, unsigned int count)
{
	rq->nr_running += count;
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

/* The core's fast path into fair (see pick_next_task); puts prev only if it returns a task. */
struct task_struct *pick_next_task_fair(struct rq *rq, struct task_struct *prev);
/* RT throttling's period boundary, checked every tick whatever runs (rt.c). */
void rt_period_tick(struct rq *rq);
/* Scale the fair tunables for the number of CPUs, as Linux does by default. */
void sched_init_granularity(unsigned int ncpus);
/* The stop class's task for cpu (stop_machine.c creates them). */
void sched_set_stop_task(int cpu, struct task_struct *stop);

/* Class-specific setup called by the core. */
void init_cfs_rq(struct cfs_rq *cfs_rq);
void init_rt_rq(struct rt_rq *rt_rq);
void init_dl_rq(struct dl_rq *dl_rq);
void init_dl_task_timer(struct sched_dl_entity *dl_se);
void __setparam_dl(struct task_struct *p, const struct sched_attr *attr);
void __getparam_dl(struct task_struct *p, struct sched_attr *attr);
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

#endif
