// SPDX-License-Identifier: MIT
/*
 * The scheduler core, along the seed's call graphs (../shared/seeds/003_*):
 *
 *   schedule -> __schedule -> deactivate_task / pick_next_task -> context_switch
 *   scheduler_tick -> update_rq_clock -> task_tick of the current class
 *   try_to_wake_up -> select_task_rq -> activate_task -> check_preempt_curr
 *   sched_fork / wake_up_new_task, set_user_nice, __sched_setscheduler
 *
 * Locks: p->pi_lock, then rq->lock (two run queues: lower address first); both are taken
 * with IRQs off. rq->lock is handed from the task that takes it in __schedule to the one
 * that releases it in finish_task_switch.
 */
#include "sched.h"

#include <kairos/bug.h>
#include <kairos/loadavg.h>
#include <kairos/printk.h>
#include <kairos/stop_machine.h>
#include <kairos/string.h>
#include <kairos/uaccess.h>
#include <uapi/errno.h>

DEFINE_PER_CPU(struct rq, runqueues);

/* 2 * THREAD_SIZE alignment: entry.S's overflow check works on the boot stack too. */
u8 init_stack[THREAD_SIZE] __aligned(2 * THREAD_SIZE);
struct task_struct init_task = {
	.thread_info = { .preempt_count = 1 },
	.stack = init_stack,
	.usage = ATOMIC_INIT(2),
	.pid = 0,
	.comm = "swapper/0",
	.policy = SCHED_NORMAL,
	.static_prio = MAX_PRIO - 20,
	.normal_prio = MAX_PRIO - 20,
	.prio = MAX_PRIO - 20,
	.pi_lock = __SPIN_LOCK_UNLOCKED,
	.alloc_lock = __SPIN_LOCK_UNLOCKED,
	.real_parent = &init_task,
	.parent = &init_task,
	.children = LIST_HEAD_INIT(init_task.children),
	.sibling = LIST_HEAD_INIT(init_task.sibling),
	.tasks = LIST_HEAD_INIT(init_task.tasks),
};
DEFINE_SPINLOCK(tasklist_lock);
bool scheduler_running;

/* A new task starts with preemption off, as if inside schedule(); schedule_tail ends it. */
#define FORK_PREEMPT_COUNT	1

void update_rq_clock(struct rq *rq)
{
	u64 now = sched_clock();

	/* Clocks of different CPUs are compared when tasks move; never go backwards. */
	if ((s64)(now - rq->clock) > 0) {
		rq->clock = now;
		rq->clock_task = now;
	}
}

/* Locking the run queue of a task that may be moving between queues. */
struct rq *__task_rq_lock(struct task_struct *p)
{
	for (;;) {
		struct rq *rq = task_rq(p);

		rq_lock(rq);
		if (rq == task_rq(p) && READ_ONCE(p->on_rq) != TASK_ON_RQ_MIGRATING)
			return rq;
		rq_unlock(rq);
		while (READ_ONCE(p->on_rq) == TASK_ON_RQ_MIGRATING)
			cpu_relax();
	}
}

struct rq *task_rq_lock(struct task_struct *p, unsigned long *flags)
{
	spin_lock_irqsave(&p->pi_lock, *flags);
	return __task_rq_lock(p);
}

void task_rq_unlock(struct rq *rq, struct task_struct *p, unsigned long flags)
{
	rq_unlock(rq);
	spin_unlock_irqrestore(&p->pi_lock, flags);
}

void double_rq_lock(struct rq *rq1, struct rq *rq2)
{
	if (rq1 == rq2) {
		rq_lock(rq1);
	} else if (rq1 < rq2) {
		rq_lock(rq1);
		rq_lock(rq2);
	} else {
		rq_lock(rq2);
		rq_lock(rq1);
	}
}

void double_rq_unlock(struct rq *rq1, struct rq *rq2)
{
	rq_unlock(rq1);
	if (rq1 != rq2)
		rq_unlock(rq2);
}

static void set_tsk_need_resched(struct task_struct *p)
{
	__atomic_fetch_or(&p->thread_info.flags, 1UL << TIF_NEED_RESCHED, __ATOMIC_RELAXED);
}

static void clear_tsk_need_resched(struct task_struct *p)
{
	__atomic_fetch_and(&p->thread_info.flags, ~(1UL << TIF_NEED_RESCHED), __ATOMIC_RELAXED);
}

/* Ask rq's CPU to reschedule: the flag for its current task, and an IPI if it is remote. */
void resched_curr(struct rq *rq)
{
	struct task_struct *curr = rq->curr;

	lockdep_assert_rq_held(rq);
	if (test_tsk_need_resched(curr))
		return;
	set_tsk_need_resched(curr);
	smp_mb();	/* the flag is visible before the target looks */
	if (rq->cpu != (int)smp_processor_id())
		smp_send_reschedule(rq->cpu);
}

void resched_cpu(int cpu)
{
	struct rq *rq = cpu_rq(cpu);
	unsigned long flags;

	local_irq_save(flags);
	rq_lock(rq);
	resched_curr(rq);
	rq_unlock(rq);
	local_irq_restore(flags);
}

static void enqueue_task(struct rq *rq, struct task_struct *p, int flags)
{
	if (!(flags & ENQUEUE_NOCLOCK))
		update_rq_clock(rq);
	p->sched_class->enqueue_task(rq, p, flags);
}

static void dequeue_task(struct rq *rq, struct task_struct *p, int flags)
{
	if (!(flags & DEQUEUE_NOCLOCK))
		update_rq_clock(rq);
	p->sched_class->dequeue_task(rq, p, flags);
}

void activate_task(struct rq *rq, struct task_struct *p, int flags)
{
	enqueue_task(rq, p, flags);
	WRITE_ONCE(p->on_rq, TASK_ON_RQ_QUEUED);
}

void deactivate_task(struct rq *rq, struct task_struct *p, int flags)
{
	WRITE_ONCE(p->on_rq, (flags & DEQUEUE_SLEEP) ? 0 : TASK_ON_RQ_MIGRATING);
	dequeue_task(rq, p, flags);
}

/* Whether class a ranks above class b in pick_next_task's walk. */
static bool sched_class_above(const struct sched_class *a, const struct sched_class *b)
{
	const struct sched_class *class;

	for_each_class(class) {
		if (class == b)
			return false;
		if (class == a)
			return true;
	}
	return false;
}

void check_preempt_curr(struct rq *rq, struct task_struct *p, int flags)
{
	if (p->sched_class == rq->curr->sched_class)
		rq->curr->sched_class->check_preempt_curr(rq, p, flags);
	else if (sched_class_above(p->sched_class, rq->curr->sched_class))
		resched_curr(rq);
}

static void __set_task_cpu(struct task_struct *p, unsigned int cpu)
{
	WRITE_ONCE(p->thread_info.cpu, cpu);
	p->wake_cpu = cpu;
}

void set_task_cpu(struct task_struct *p, unsigned int new_cpu)
{
	if (task_cpu(p) != new_cpu) {
		if (p->sched_class->migrate_task_rq)
			p->sched_class->migrate_task_rq(p, new_cpu);
		p->se.nr_migrations++;
	}
	__set_task_cpu(p, new_cpu);
}

struct rq *move_queued_task(struct rq *rq, struct task_struct *p, int new_cpu)
{
	lockdep_assert_rq_held(rq);
	deactivate_task(rq, p, DEQUEUE_NOCLOCK);
	set_task_cpu(p, new_cpu);
	rq_unlock(rq);

	rq = cpu_rq(new_cpu);
	rq_lock(rq);
	BUG_ON(task_cpu(p) != (unsigned int)new_cpu);
	activate_task(rq, p, 0);
	check_preempt_curr(rq, p, 0);
	return rq;
}

/* Any online CPU p may use; when its mask has none online, the first online CPU. */
static int select_fallback_rq(struct task_struct *p)
{
	unsigned int cpu;

	for_each_cpu_and(cpu, &p->cpus_mask, &cpu_online_mask)
		return cpu;
	return cpumask_first(&cpu_online_mask);
}

static int select_task_rq(struct task_struct *p, int cpu, int wake_flags)
{
	if (p->nr_cpus_allowed > 1)
		cpu = p->sched_class->select_task_rq(p, cpu, wake_flags);
	else
		cpu = cpumask_any(&p->cpus_mask);
	if (!is_cpu_allowed(p, cpu))
		cpu = select_fallback_rq(p);
	return cpu;
}

/* The task is still queued (it has not reached schedule() yet): just make it runnable. */
static int ttwu_runnable(struct task_struct *p, int wake_flags)
{
	struct rq *rq = __task_rq_lock(p);
	int ret = 0;

	if (task_on_rq_queued(p)) {
		if (!task_current(rq, p)) {
			update_rq_clock(rq);
			check_preempt_curr(rq, p, wake_flags);
		}
		WRITE_ONCE(p->__state, TASK_RUNNING);
		ret = 1;
	}
	rq_unlock(rq);
	return ret;
}

static void ttwu_queue(struct task_struct *p, int cpu, int wake_flags)
{
	struct rq *rq = cpu_rq(cpu);
	int en_flags = ENQUEUE_WAKEUP | ENQUEUE_NOCLOCK;

	if (wake_flags & WF_MIGRATED)
		en_flags |= ENQUEUE_MIGRATED;
	rq_lock(rq);
	update_rq_clock(rq);
	p->last_switch_ns = rq_clock(rq);	/* runnable, so waiting, from now */
	if (p->sched_contributes_to_load)
		rq->nr_uninterruptible--;
	activate_task(rq, p, en_flags);
	check_preempt_curr(rq, p, wake_flags);
	WRITE_ONCE(p->__state, TASK_RUNNING);
	if (p->sched_class->task_woken)
		p->sched_class->task_woken(rq, p);
	rq_unlock(rq);
}

static void ttwu_stat(int cpu, int wake_flags)
{
	struct rq *rq = this_rq();

	rq->ttwu_count++;
	if (cpu == rq->cpu)
		rq->ttwu_local++;
	if (wake_flags & WF_SYNC)
		rq->ttwu_sync++;
}

/*
 * Wake p if its state is in state. Ordering with the sleeper: it sets its state, then
 * tests its condition; we set the condition, then test its state here (the full barrier
 * below pairs with the one in set_current_state).
 */
int try_to_wake_up(struct task_struct *p, unsigned int state, int wake_flags)
{
	unsigned long flags;
	int cpu, success = 0;

	smp_mb();
	spin_lock_irqsave(&p->pi_lock, flags);
	if (!(READ_ONCE(p->__state) & state))
		goto out;
	success = 1;
	if (READ_ONCE(p->on_rq) && ttwu_runnable(p, wake_flags))
		goto out;

	/* p is off its queue; it may still be switching out on its CPU. */
	WRITE_ONCE(p->__state, TASK_WAKING);
	while (smp_load_acquire(&p->on_cpu))
		cpu_relax();

	cpu = select_task_rq(p, p->wake_cpu, wake_flags | WF_TTWU);
	if (task_cpu(p) != (unsigned int)cpu) {
		wake_flags |= WF_MIGRATED;
		set_task_cpu(p, cpu);
	}
	ttwu_queue(p, cpu, wake_flags);
	ttwu_stat(cpu, wake_flags);
out:
	spin_unlock_irqrestore(&p->pi_lock, flags);
	return success;
}

int wake_up_process(struct task_struct *p)
{
	return try_to_wake_up(p, TASK_NORMAL, 0);
}

int wake_up_state(struct task_struct *p, unsigned int state)
{
	return try_to_wake_up(p, state, 0);
}

/*
 * The IPI's return path (exit_to_user_mode) finds the new work. Racy by design: if p
 * has just left the CPU, it will see the work when it next returns to user space.
 */
void kick_process(struct task_struct *p)
{
	int cpu;

	preempt_disable();
	cpu = task_cpu(p);
	if (cpu != (int)smp_processor_id() && cpu_curr(cpu) == p)
		smp_send_reschedule(cpu);
	preempt_enable();
}

/* Priorities: what policy, rt_priority and nice make of a task. */
static int __normal_prio(int policy, int rt_prio, int nice)
{
	if (dl_policy(policy))
		return MAX_DL_PRIO - 1;
	if (rt_policy(policy))
		return MAX_RT_PRIO - 1 - rt_prio;
	return NICE_TO_PRIO(nice);
}

static int normal_prio(struct task_struct *p)
{
	return __normal_prio(p->policy, p->rt_priority, PRIO_TO_NICE(p->static_prio));
}

/* A boosted task keeps its boost; otherwise prio follows normal_prio. */
static int effective_prio(struct task_struct *p)
{
	p->normal_prio = normal_prio(p);
	if (!rt_prio(p->prio))
		return p->normal_prio;
	return p->prio;
}

int task_nice(const struct task_struct *p)
{
	return PRIO_TO_NICE(p->static_prio);
}

/* The value /proc shows: prio - MAX_RT_PRIO (negative for real-time and deadline). */
int task_prio(const struct task_struct *p)
{
	return p->prio - MAX_RT_PRIO;
}

static void __sched_fork(struct task_struct *p)
{
	p->on_rq = 0;
	memset(&p->se, 0, sizeof(p->se));
	RB_CLEAR_NODE(&p->se.run_node);
	INIT_LIST_HEAD(&p->rt.run_list);
	p->rt.time_slice = 0;
	p->rt.timeout = 0;
	p->rt.on_rq = 0;
	memset(&p->dl, 0, sizeof(p->dl));
	RB_CLEAR_NODE(&p->dl.rb_node);
	init_dl_task_timer(&p->dl);
	p->wait_sum = 0;
	p->nvcsw = p->nivcsw = 0;
	prev_cputime_init(&p->prev_cputime);
}

/* The seed's sched_fork: state NEW, priority from the parent's normal_prio, class. */
int sched_fork(unsigned long clone_flags, struct task_struct *p)
{
	struct rq *rq;
	unsigned long flags;

	__sched_fork(p);
	p->__state = TASK_NEW;
	p->prio = current->normal_prio;
	if (p->sched_reset_on_fork) {
		if (dl_policy(p->policy) || rt_policy(p->policy)) {
			p->policy = SCHED_NORMAL;
			p->static_prio = NICE_TO_PRIO(0);
			p->rt_priority = 0;
		} else if (PRIO_TO_NICE(p->static_prio) < 0) {
			p->static_prio = NICE_TO_PRIO(0);
		}
		p->prio = p->normal_prio = p->static_prio;
		p->sched_reset_on_fork = 0;
	}
	set_load_weight(p, false);
	if (dl_prio(p->prio))
		return -EAGAIN;		/* deadline tasks may not fork, as in Linux */
	p->sched_class = rt_prio(p->prio) ? &rt_sched_class : &fair_sched_class;
	p->thread_info.preempt_count = FORK_PREEMPT_COUNT;
	p->on_cpu = 0;

	local_irq_save(flags);
	__set_task_cpu(p, smp_processor_id());
	rq = this_rq();
	rq_lock(rq);
	update_rq_clock(rq);
	if (p->sched_class->task_fork)
		p->sched_class->task_fork(p);
	rq_unlock(rq);
	local_irq_restore(flags);
	return 0;
}

/* The seed's wake_up_new_task: RUNNING, choose a queue, activate, maybe preempt. */
void wake_up_new_task(struct task_struct *p)
{
	unsigned long flags;
	struct rq *rq;

	spin_lock_irqsave(&p->pi_lock, flags);
	WRITE_ONCE(p->__state, TASK_RUNNING);
	p->recent_used_cpu = task_cpu(p);
	__set_task_cpu(p, select_task_rq(p, task_cpu(p), WF_FORK));
	rq = __task_rq_lock(p);
	update_rq_clock(rq);
	p->last_switch_ns = rq_clock(rq);
	activate_task(rq, p, ENQUEUE_NOCLOCK | ENQUEUE_INITIAL);
	check_preempt_curr(rq, p, WF_FORK);
	if (p->sched_class->task_woken)
		p->sched_class->task_woken(rq, p);
	task_rq_unlock(rq, p, flags);
}

/*
 * The seed's pick_next_task: when every runnable task is fair (and prev is fair or idle),
 * ask fair directly; otherwise give the classes a chance to pull work (balance), put prev
 * back, and walk the classes from stop down to idle. Pulling work drops rq->lock, so a
 * task of a higher class may arrive meanwhile: fair then says RETRY_TASK, for the walk.
 */
static struct task_struct *pick_next_task(struct rq *rq, struct task_struct *prev)
{
	const struct sched_class *class;
	struct task_struct *p;

	if (likely((prev->sched_class == &fair_sched_class ||
		    prev->sched_class == &idle_sched_class) &&
		   rq->nr_running == rq->cfs.nr_running)) {
		p = pick_next_task_fair(rq, prev);
		if (unlikely(p == RETRY_TASK))
			goto restart;
		if (p)
			return p;
		put_prev_task(rq, prev);
		return idle_sched_class.pick_next_task(rq);
	}

restart:
	for (class = prev->sched_class; class; class = class->next)
		if (class->balance && class->balance(rq, prev))
			break;
	put_prev_task(rq, prev);
	for_each_class(class) {
		p = class->pick_next_task(rq);
		if (p)
			return p;
	}
	BUG();		/* the idle class always has a task */
}

static void prepare_task_switch(struct rq *rq, struct task_struct *prev,
				struct task_struct *next)
{
	u64 now = rq_clock(rq);

	WRITE_ONCE(next->on_cpu, 1);
	next->wait_sum += now - next->last_switch_ns;
	prev->last_switch_ns = now;
}

/* What the classes queued while picking (RT/deadline push and pull); may drop rq->lock. */
static void run_balance_callbacks(struct rq *rq)
{
	struct balance_callback *cb;

	while ((cb = rq->balance_callback)) {
		rq->balance_callback = cb->next;
		cb->queued = false;
		cb->func(rq);
	}
}

/* Runs on next, just switched to: release prev and the run-queue lock. */
static struct rq *finish_task_switch(struct task_struct *prev)
{
	struct rq *rq = this_rq();
	unsigned int prev_state = READ_ONCE(prev->__state);

	/* From here prev may be woken or migrated elsewhere: read its state first. */
	smp_store_release(&prev->on_cpu, 0);
	run_balance_callbacks(rq);
	rq_unlock(rq);
	local_irq_enable();
	if (unlikely(prev_state == TASK_DEAD)) {
		if (prev->sched_class->task_dead)
			prev->sched_class->task_dead(prev);
		put_task_struct(prev);		/* the reference the task held on itself */
	}
	return rq;
}

static struct rq *context_switch(struct rq *rq, struct task_struct *prev,
				 struct task_struct *next)
{
	prepare_task_switch(rq, prev, next);
	switch_to(prev, next, prev);
	barrier();
	return finish_task_switch(prev);
}

/* First thing a new task runs (ret_from_fork): end the switch that started it. */
void schedule_tail(struct task_struct *prev)
{
	finish_task_switch(prev);
	preempt_enable();
	/* CLONE_CHILD_SETTID: the child writes its TID into its own memory. */
	if (current->set_child_tid)
		put_user(task_pid_vnr(current), current->set_child_tid);
}

static void schedule_debug(struct task_struct *prev, bool preempt)
{
	if (unlikely(task_stack_end_corrupted(prev)))
		panic("corrupted stack end detected inside scheduler (task %s, pid %d)",
		      prev->comm, prev->pid);
	if (unlikely(preempt_count() != 1 && !is_idle_task(prev)))
		panic("scheduling while atomic: %s/%d/0x%08x", prev->comm, prev->pid,
		      preempt_count());
}

static void __schedule(bool preempt)
{
	struct task_struct *prev, *next;
	unsigned long *switch_count;
	unsigned int prev_state;
	struct rq *rq;

	rq = this_rq();
	prev = rq->curr;
	schedule_debug(prev, preempt);

	local_irq_disable();
	rq_lock(rq);
	update_rq_clock(rq);

	switch_count = &prev->nivcsw;
	prev_state = READ_ONCE(prev->__state);
	if (!preempt && prev_state) {
		if (signal_pending_state(prev_state, prev)) {
			WRITE_ONCE(prev->__state, TASK_RUNNING);
		} else {
			/* An uninterruptible sleep counts in the load average (loadavg.c). */
			prev->sched_contributes_to_load =
				(prev_state & TASK_UNINTERRUPTIBLE) && !(prev_state & TASK_NOLOAD);
			if (prev->sched_contributes_to_load)
				rq->nr_uninterruptible++;
			deactivate_task(rq, prev, DEQUEUE_SLEEP | DEQUEUE_NOCLOCK);
		}
		switch_count = &prev->nvcsw;
	}

	next = pick_next_task(rq, prev);
	clear_tsk_need_resched(prev);
	if (likely(prev != next)) {
		rq->nr_switches++;
		rq->curr = next;
		++*switch_count;
		context_switch(rq, prev, next);	/* unlocks rq */
	} else {
		run_balance_callbacks(rq);
		rq_unlock(rq);
		local_irq_enable();
	}
}

/*
 * The end of a task: TASK_DEAD, switch away for good; finish_task_switch frees it.
 * Preemption is off before the state is set: a dead task preempted (and so left queued)
 * would be freed by that switch and then run again.
 */
void __noreturn do_task_dead(void)
{
	unsigned long flags;

	preempt_disable();
	/* Under pi_lock so that no wake-up can overwrite the state. */
	spin_lock_irqsave(&current->pi_lock, flags);
	WRITE_ONCE(current->__state, TASK_DEAD);
	spin_unlock_irqrestore(&current->pi_lock, flags);
	__schedule(false);
	BUG();
}

void schedule(void)
{
	do {
		preempt_disable();
		__schedule(false);
		preempt_enable_no_resched();
	} while (need_resched());
}

/* The idle task's way in: it is always preemption-disabled and never sleeps. */
void schedule_idle(void)
{
	do {
		__schedule(false);
	} while (need_resched());
}

/* Preemption of a kernel task at the end of an interrupt (IRQs off on entry and exit). */
void preempt_schedule_irq(void)
{
	do {
		preempt_disable();
		local_irq_enable();
		__schedule(true);
		local_irq_disable();
		preempt_enable_no_resched();
	} while (need_resched());
}

/* Schedule as a preemption: the task stays runnable whatever its state says. */
static void preempt_schedule_common(void)
{
	do {
		preempt_disable();
		__schedule(true);
		preempt_enable_no_resched();
	} while (need_resched());
}

/* preempt_enable() found a reschedule pending. */
void preempt_schedule(void)
{
	if (preempt_count() || irqs_disabled() || !scheduler_running)
		return;
	preempt_schedule_common();
}

/* The seed's cond_resched -> _cond_resched -> __cond_resched -> preempt_schedule_common:
 * a voluntary preemption point for long kernel loops. */
static int __cond_resched(void)
{
	if (need_resched() && !preempt_count() && !irqs_disabled()) {
		preempt_schedule_common();
		return 1;
	}
	return 0;
}

int _cond_resched(void)
{
	return __cond_resched();
}

/*
 * The seed's scheduler_tick: update the clock, let the current class look, and raise the
 * load balancer's softirq when a balance is due (trigger_load_balance).
 */
void scheduler_tick(void)
{
	struct rq *rq = this_rq();
	struct task_struct *curr;

	if (!scheduler_running)
		return;
	rq_lock(rq);
	update_rq_clock(rq);
	curr = rq->curr;
	curr->sched_class->task_tick(rq, curr, 0);
	rt_period_tick(rq);
	calc_global_load_tick(rq);
	rq_unlock(rq);
	trigger_load_balance(rq);
}

/* A reschedule IPI: the flag is already set; returning from the interrupt acts on it. */
void scheduler_ipi(void)
{
}

/* The seed's do_sched_yield: the class requeues the current task (yield_task), then schedule. */
void do_sched_yield(void)
{
	struct rq *rq;

	local_irq_disable();
	rq = this_rq();
	rq_lock(rq);
	update_rq_clock(rq);
	current->sched_class->yield_task(rq);
	preempt_disable();
	rq_unlock(rq);
	local_irq_enable();
	preempt_enable_no_resched();
	schedule();
}

/* The seed's set_user_nice: dequeue/put, change static_prio and weight, enqueue/set. */
void set_user_nice(struct task_struct *p, long nice)
{
	bool queued, running;
	unsigned long flags;
	int old_prio;
	struct rq *rq;

	if (nice < MIN_NICE || nice > MAX_NICE)
		return;
	rq = task_rq_lock(p, &flags);
	update_rq_clock(rq);
	if (task_nice(p) == nice)
		goto out;
	if (dl_policy(p->policy) || rt_policy(p->policy)) {
		/* Stored for when the task returns to a fair policy. */
		p->static_prio = NICE_TO_PRIO(nice);
		goto out;
	}
	queued = task_on_rq_queued(p);
	running = task_current(rq, p);
	if (queued)
		dequeue_task(rq, p, DEQUEUE_SAVE | DEQUEUE_NOCLOCK);
	if (running)
		put_prev_task(rq, p);
	p->static_prio = NICE_TO_PRIO(nice);
	set_load_weight(p, true);
	old_prio = p->prio;
	p->prio = effective_prio(p);
	if (queued)
		enqueue_task(rq, p, ENQUEUE_RESTORE | ENQUEUE_NOCLOCK);
	if (running)
		set_next_task(rq, p);
	p->sched_class->prio_changed(rq, p, old_prio);
out:
	task_rq_unlock(rq, p, flags);
}

static void __setscheduler_params(struct task_struct *p, const struct sched_attr *attr)
{
	int policy = attr->sched_policy;

	p->policy = policy;
	if (dl_policy(policy))
		__setparam_dl(p, attr);
	else if (fair_policy(policy))
		p->static_prio = NICE_TO_PRIO(attr->sched_nice);
	p->rt_priority = attr->sched_priority;
	p->normal_prio = normal_prio(p);
	set_load_weight(p, true);
}

static void __setscheduler_prio(struct task_struct *p, int prio)
{
	if (dl_prio(prio))
		p->sched_class = &dl_sched_class;
	else if (rt_prio(prio))
		p->sched_class = &rt_sched_class;
	else
		p->sched_class = &fair_sched_class;
	p->prio = prio;
}

static void check_class_changed(struct rq *rq, struct task_struct *p,
				const struct sched_class *prev_class, int oldprio)
{
	if (prev_class != p->sched_class) {
		if (prev_class->switched_from)
			prev_class->switched_from(rq, p);
		p->sched_class->switched_to(rq, p);
	} else if (oldprio != p->prio || dl_task(p)) {
		p->sched_class->prio_changed(rq, p, oldprio);
	}
}

static bool sched_attr_changed(struct task_struct *p, const struct sched_attr *attr)
{
	if (p->policy != attr->sched_policy)
		return true;
	if (fair_policy(attr->sched_policy) && attr->sched_nice != task_nice(p))
		return true;
	if (rt_policy(attr->sched_policy) && attr->sched_priority != p->rt_priority)
		return true;
	return dl_policy(attr->sched_policy) && dl_param_changed(p, attr);
}

int sched_check_attr(const struct sched_attr *attr)
{
	int policy = attr->sched_policy;

	if (!valid_policy(policy))
		return -EINVAL;
	if (attr->sched_flags & ~(u64)SCHED_FLAG_RESET_ON_FORK)
		return -EINVAL;
	if (attr->sched_priority > MAX_RT_PRIO - 1 ||
	    rt_policy(policy) != (attr->sched_priority != 0))
		return -EINVAL;
	if (dl_policy(policy) && !__checkparam_dl(attr))
		return -EINVAL;
	if (fair_policy(policy) &&
	    (attr->sched_nice < MIN_NICE || attr->sched_nice > MAX_NICE))
		return -EINVAL;
	return 0;
}

/*
 * The seed's __sched_setscheduler: validate, admit (deadline bandwidth), then dequeue/put,
 * __setscheduler_params + __setscheduler_prio, enqueue/set_next, switched_from/to or
 * prio_changed. Permission checks for user callers live with the system calls.
 */
static int __sched_setscheduler(struct task_struct *p, const struct sched_attr *attr)
{
	int policy = attr->sched_policy, oldprio, newprio, err;
	const struct sched_class *prev_class;
	bool queued, running;
	unsigned long flags;
	struct rq *rq;

	err = sched_check_attr(attr);
	if (err)
		return err;

	rq = task_rq_lock(p, &flags);
	update_rq_clock(rq);
	if (p == rq->stop || is_idle_task(p)) {
		err = -EINVAL;
		goto out;
	}
	p->sched_reset_on_fork = !!(attr->sched_flags & SCHED_FLAG_RESET_ON_FORK);
	if (!sched_attr_changed(p, attr))
		goto out;
	if ((dl_policy(policy) || dl_policy(p->policy)) && sched_dl_overflow(p, policy, attr)) {
		err = -EBUSY;
		goto out;
	}

	oldprio = p->prio;
	newprio = __normal_prio(policy, attr->sched_priority, attr->sched_nice);
	queued = task_on_rq_queued(p);
	running = task_current(rq, p);
	if (queued)
		dequeue_task(rq, p, DEQUEUE_SAVE | DEQUEUE_MOVE | DEQUEUE_NOCLOCK);
	if (running)
		put_prev_task(rq, p);
	prev_class = p->sched_class;
	__setscheduler_params(p, attr);
	__setscheduler_prio(p, newprio);
	if (queued) {
		/* A lowered RT task goes to the head of its new list, as in Linux. */
		enqueue_task(rq, p, ENQUEUE_RESTORE | ENQUEUE_NOCLOCK |
				    (oldprio < p->prio ? ENQUEUE_HEAD : 0));
	}
	if (running)
		set_next_task(rq, p);
	check_class_changed(rq, p, prev_class, oldprio);
out:
	task_rq_unlock(rq, p, flags);
	return err;
}

int sched_setattr(struct task_struct *p, const struct sched_attr *attr)
{
	return __sched_setscheduler(p, attr);
}

int sched_setattr_nocheck(struct task_struct *p, const struct sched_attr *attr)
{
	return __sched_setscheduler(p, attr);
}

/* The old interface: policy and priority; nice is kept, deadline is not reachable. */
static int _sched_setscheduler(struct task_struct *p, int policy,
			       const struct sched_param *param)
{
	struct sched_attr attr = {
		.sched_policy = policy & ~SCHED_RESET_ON_FORK,
		.sched_priority = param->sched_priority,
		.sched_nice = PRIO_TO_NICE(p->static_prio),
		.sched_flags = (policy & SCHED_RESET_ON_FORK) ? SCHED_FLAG_RESET_ON_FORK : 0,
	};

	if (dl_policy(attr.sched_policy))
		return -EINVAL;
	return __sched_setscheduler(p, &attr);
}

int sched_setscheduler(struct task_struct *p, int policy, const struct sched_param *param)
{
	return _sched_setscheduler(p, policy, param);
}

int sched_setscheduler_nocheck(struct task_struct *p, int policy,
			       const struct sched_param *param)
{
	return _sched_setscheduler(p, policy, param);
}

/*
 * The seed's affinity path: set_cpus_allowed_ptr -> __set_cpus_allowed_ptr ->
 * __do_set_cpus_allowed + affine_move_task. A queued task that may no longer stay is moved
 * at once; a running one cannot be (only its own CPU can take it off), so the stopper of
 * its CPU, which preempts it, moves it with migration_cpu_stop.
 */
struct migration_arg {
	struct task_struct *task;
	int dest_cpu;
};

static struct rq *__migrate_task(struct rq *rq, struct task_struct *p, int dest_cpu)
{
	if (!is_cpu_allowed(p, dest_cpu))
		return rq;
	update_rq_clock(rq);
	return move_queued_task(rq, p, dest_cpu);
}

/* Runs on the stopper of p's CPU (so p is not running there): move p if still there. */
static int migration_cpu_stop(void *data)
{
	struct migration_arg *arg = data;
	struct task_struct *p = arg->task;
	struct rq *rq = this_rq();

	local_irq_disable();
	spin_lock(&p->pi_lock);
	rq_lock(rq);
	if (task_rq(p) == rq) {
		if (task_on_rq_queued(p))
			rq = __migrate_task(rq, p, arg->dest_cpu);
		else
			p->wake_cpu = arg->dest_cpu;	/* asleep: it wakes there */
	}
	rq_unlock(rq);
	spin_unlock(&p->pi_lock);
	local_irq_enable();
	return 0;
}

static void __do_set_cpus_allowed(struct task_struct *p, const struct cpumask *new_mask)
{
	cpumask_copy(&p->cpus_mask, new_mask);
	p->nr_cpus_allowed = cpumask_weight(new_mask);
}

/* Called with p's rq and pi_lock held; drops them. May sleep (waits for the stopper). */
static int affine_move_task(struct rq *rq, struct task_struct *p, int dest_cpu,
			    unsigned long flags)
{
	struct migration_arg arg = { .task = p, .dest_cpu = dest_cpu };

	if (task_running(rq, p) || READ_ONCE(p->__state) == TASK_WAKING) {
		int cpu = rq->cpu;

		get_task_struct(p);
		task_rq_unlock(rq, p, flags);
		stop_one_cpu(cpu, migration_cpu_stop, &arg);
		put_task_struct(p);
		return 0;
	}
	if (task_on_rq_queued(p))
		rq = __migrate_task(rq, p, dest_cpu);
	else
		p->wake_cpu = dest_cpu;		/* asleep: select_task_rq sees the new mask */
	task_rq_unlock(rq, p, flags);
	return 0;
}

/* With p's pi_lock and run-queue lock held; both are dropped on return. */
static int __set_cpus_allowed_ptr_locked(struct task_struct *p, const struct cpumask *new_mask,
					 struct rq *rq, unsigned long flags)
{
	int dest;

	if (!cpumask_intersects(new_mask, &cpu_online_mask) ||
	    ((p->flags & PF_NO_SETAFFINITY) && !cpumask_equal(&p->cpus_mask, new_mask))) {
		task_rq_unlock(rq, p, flags);
		return -EINVAL;
	}
	__do_set_cpus_allowed(p, new_mask);
	if (cpumask_test_cpu(task_cpu(p), new_mask)) {
		task_rq_unlock(rq, p, flags);
		return 0;
	}
	dest = cpumask_any_and(new_mask, &cpu_online_mask);
	return affine_move_task(rq, p, dest, flags);
}

static int __set_cpus_allowed_ptr(struct task_struct *p, const struct cpumask *new_mask)
{
	unsigned long flags;
	struct rq *rq = task_rq_lock(p, &flags);

	return __set_cpus_allowed_ptr_locked(p, new_mask, rq, flags);
}

int set_cpus_allowed_ptr(struct task_struct *p, const struct cpumask *new_mask)
{
	return __set_cpus_allowed_ptr(p, new_mask);
}

/* Bind a task that has not run yet (a per-CPU kthread) to mask. */
void kthread_bind_mask(struct task_struct *p, const struct cpumask *mask)
{
	unsigned long flags;

	BUG_ON(!(READ_ONCE(p->__state) & (TASK_UNINTERRUPTIBLE | TASK_NEW | TASK_PARKED)));
	spin_lock_irqsave(&p->pi_lock, flags);
	__do_set_cpus_allowed(p, mask);
	p->flags |= PF_NO_SETAFFINITY;
	if (!cpumask_test_cpu(task_cpu(p), mask))
		__set_task_cpu(p, cpumask_first(mask));
	spin_unlock_irqrestore(&p->pi_lock, flags);
}

/* Make idle the idle task of cpu (and current there): swapper/N, PID 0. */
void init_idle(struct task_struct *idle, unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);
	unsigned long flags;

	__sched_fork(idle);
	spin_lock_irqsave(&idle->pi_lock, flags);
	idle->__state = TASK_RUNNING;
	idle->flags |= PF_IDLE | PF_KTHREAD;
	idle->policy = SCHED_NORMAL;
	cpumask_clear(&idle->cpus_mask);
	cpumask_set_cpu(cpu, &idle->cpus_mask);
	idle->nr_cpus_allowed = 1;
	__set_task_cpu(idle, cpu);
	idle->on_cpu = 1;
	idle->sched_class = &idle_sched_class;
	idle->thread_info.preempt_count = 1;	/* idle runs with preemption off */
	spin_unlock_irqrestore(&idle->pi_lock, flags);
	rq_lock(rq);
	rq->idle = idle;
	rq->curr = idle;
	rq_unlock(rq);
}

void __init sched_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct rq *rq = cpu_rq(cpu);

		spin_lock_init(&rq->lock);
		rq->cpu = cpu;
		rq->nr_running = 0;
		init_cfs_rq(&rq->cfs);
		init_rt_rq(&rq->rt);
		init_dl_rq(&rq->dl);
		INIT_LIST_HEAD(&rq->cfs_tasks);
		rq->next_balance = jiffies;
	}
	sched_init_granularity(nr_cpu_ids);
	init_loadavg();
	*end_of_stack(&init_task) = STACK_END_MAGIC;
	/* The boot task becomes swapper/0, the idle task of CPU 0, as the seed describes. */
	init_idle(current, smp_processor_id());
	scheduler_running = true;
}

/* The handler first: a tick may raise SCHED_SOFTIRQ as soon as a CPU has a domain. */
void __init sched_init_smp(void)
{
	init_sched_fair_class();
	build_sched_domains(&cpu_online_mask);
}

unsigned int nr_running(void)
{
	unsigned int sum = 0, cpu;

	for_each_online_cpu(cpu)
		sum += READ_ONCE(cpu_rq(cpu)->nr_running);
	return sum;
}

u64 nr_context_switches(void)
{
	u64 sum = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(cpu_rq(cpu)->nr_switches);
	return sum;
}

/* A per-CPU view of the run queues and of each task's scheduling state. */
void sched_show_state(void)
{
	struct task_struct *p;
	unsigned long flags;
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct rq *rq = cpu_rq(cpu);

		printk("cpu#%u: nr_running %u (fair %u, rt %u, dl %u), switches %lu, curr %s/%d\n",
		       cpu, READ_ONCE(rq->nr_running), READ_ONCE(rq->cfs.nr_running),
		       READ_ONCE(rq->rt.rt_nr_running), READ_ONCE(rq->dl.dl_nr_running),
		       (unsigned long)READ_ONCE(rq->nr_switches), READ_ONCE(rq->curr)->comm,
		       READ_ONCE(rq->curr)->pid);
	}
	printk("  %-16s %5s %3s %6s %5s %4s %18s %14s %14s\n", "task", "PID", "cpu", "class",
	       "state", "prio", "vruntime", "runtime(ns)", "wait(ns)");
	spin_lock_irqsave(&tasklist_lock, flags);
	for (p = &init_task;;) {
		const struct sched_class *c = p->sched_class;

		printk("  %-16s %5d %3u %6s %5x %4d %18lld %14lu %14lu\n", p->comm, p->pid,
		       task_cpu(p), c == &fair_sched_class ? "fair" : c == &rt_sched_class ? "rt" :
		       c == &dl_sched_class ? "dl" : c == &stop_sched_class ? "stop" : "idle",
		       READ_ONCE(p->__state), task_prio(p), (long long)p->se.vruntime,
		       (unsigned long)p->se.sum_exec_runtime, (unsigned long)p->wait_sum);
		p = list_entry(p->tasks.next, struct task_struct, tasks);
		if (p == &init_task)
			break;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}
