// SPDX-License-Identifier: MIT
/*
 * Boot, the workload's tasks, and the event loop.
 *
 * Boot follows start_kernel and rest_init: swapper/0 makes the idle tasks of the other
 * CPUs, starts its tick, forks PID 1 (which starts ksoftirqd/N and the CPU stoppers,
 * migration/N, and builds the scheduling domains) and kthreadd (PID 2), and becomes CPU
 * 0's idle task. All of it happens at time 0.
 *
 * A workload task is user code that consumes CPU: while it is the current task of a CPU,
 * the work left in its burst goes down with virtual time. When a burst is done, the task
 * blocks as nanosleep() does: an hrtimer on its stack, TASK_INTERRUPTIBLE, schedule().
 * The timer's interrupt wakes it on the CPU where it went to sleep.
 *
 * Events, in order of (time, CPU, kind, sequence): a task is forked (kind 0; sequence is
 * the workload's order), the running task's burst ends (1), the CPU's timer fires (2; the
 * tick is one of its hrtimers). After each event the CPU returns from the interrupt,
 * rescheduling if asked to; then pending reschedule IPIs are delivered, lowest CPU first,
 * at the same virtual time.
 */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#include <kairos/completion.h>
#include <kairos/hrtimer.h>
#include <kairos/interrupt.h>
#include <kairos/kthread.h>
#include <kairos/pid.h>
#include <kairos/smp.h>
#include <kairos/stop_machine.h>
#include <kairos/tick.h>
#include <kairos/time.h>
#include <kairos/vmalloc.h>

#include "../../kernel/sched/sched.h"

/* More events than this at one instant means the machine livelocks. */
#define SIM_EVENTS_PER_INSTANT	1000000UL

/* Not in headers: init/main.c and arch code call them. */
void fork_init(void);
struct task_struct *fork_idle(unsigned int cpu);

enum sim_event_kind { SIM_EV_FORK, SIM_EV_WORK_DONE, SIM_EV_TIMER, SIM_EV_NONE };

struct sim_workload *sim_workload;
struct sim_output sim_out;
struct sim_wakeup_stats sim_wakeups;

/*
 * The parent of every workload task: a shell at nice 0, allowed everywhere. It never
 * runs; it is current only while it forks a task and sets it up (sim_fork), taking no
 * time, so that the schedule is not disturbed.
 */
static struct task_struct sim_parent;
static struct sim_task **sim_forks;	/* by start time, fork CPU, then workload order */
static size_t sim_next_fork;
static DECLARE_COMPLETION(kthreadd_done);
static bool sim_booted;

static void sim_settle(struct sim_task *st)
{
	u64 ran = sim_now - st->run_start;

	st->cputime += ran;
	if (st->remaining != SIM_FOREVER) {
		if (ran > st->remaining)
			sim_fatal("%s ran %llu ns past the end of its burst", st->name,
				  (unsigned long long)(ran - st->remaining));
		st->remaining -= ran;
	}
	st->run_start = sim_now;
}

static void sim_record_slice(struct sim_task *st, const struct sim_task *to)
{
	struct sim_slice *s;

	if (st->nr_slices == st->slices_cap) {
		st->slices_cap = st->slices_cap ? 2 * st->slices_cap : 64;
		st->slices = realloc(st->slices, st->slices_cap * sizeof(*st->slices));
		if (!st->slices)
			sim_fatal("out of memory");
	}
	s = &st->slices[st->nr_slices++];
	s->start = st->slice_start;
	s->end = sim_now;
	s->from = st->slice_from;
	s->to = to;
}

/* Called by __switch_to on cpu, run queue locked: the simulator's own bookkeeping. */
void sim_switch_hook(unsigned int cpu, struct task_struct *prev, struct task_struct *next)
{
	struct sim_task *st = sim_task_of(prev);

	if (st) {
		sim_settle(st);
		sim_report_interval(cpu, prev, st->slice_start, sim_now);
		if (READ_ONCE(prev->__state) == TASK_RUNNING) {
			st->preempted++;
			st->waiting = true;
			st->wait_start = sim_now;
		} else if (READ_ONCE(prev->__state) == TASK_DEAD) {
			/* Its task_struct is freed once this switch is over. */
			st->exited = true;
			st->kmisses = prev->dl.nr_deadline_misses;
			st->task = NULL;
		}
		if (st->record_slices)
			sim_record_slice(st, sim_task_of(next));
	}
	st = sim_task_of(next);
	if (st) {
		if (!st->waiting)
			sim_fatal("%s switched in but it was not runnable", st->name);
		st->waiting = false;
		st->waittime += sim_now - st->wait_start;
		st->switches++;
		if (st->last_cpu >= 0 && st->last_cpu != (int)cpu)
			st->migrations++;
		st->last_cpu = cpu;
		st->run_start = st->slice_start = sim_now;
		st->slice_from = sim_task_of(prev);
	}
	sim_report_switch(cpu, prev, next);
}

/* A burst of work (for a periodic task, a job) begins now. */
static void sim_begin_burst(struct sim_task *st)
{
	switch (st->kind) {
	case SIM_CPU:
		st->remaining = SIM_FOREVER;
		break;
	case SIM_RUN_SLEEP:
		st->remaining = st->run;
		break;
	case SIM_PERIODIC:
		st->remaining = st->job_runtime;
		st->deadline = st->release + st->job_deadline;
		break;
	}
}

struct sim_wake_snapshot {
	u64 vruntime, min_vruntime;
	unsigned int cpu;
	bool resched[NR_CPUS];
};

static void sim_snapshot(struct task_struct *p, struct sim_wake_snapshot *s)
{
	unsigned int cpu;

	s->cpu = task_cpu(p);
	s->vruntime = p->se.vruntime;
	s->min_vruntime = cpu_rq(s->cpu)->cfs.min_vruntime;
	for (cpu = 0; cpu < sim_ncpus; cpu++)
		s->resched[cpu] = test_tsk_need_resched(cpu_rq(cpu)->curr);
}

static void sim_note(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The first failure of a check is kept for the report. */
static void sim_note(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (buf[0])
		return;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

/*
 * place_entity() for a waking sleeper: the vruntime it slept with (carried over to the
 * new queue if it moved), but not more than sched_latency/2 behind min_vruntime.
 */
static void sim_check_placement(struct task_struct *p, const struct sim_wake_snapshot *s)
{
	struct cfs_rq *cfs = &task_rq(p)->cfs;
	u64 carried = s->vruntime, floor = cfs->min_vruntime - (sysctl_sched_latency >> 1);
	u64 expected;

	if (task_cpu(p) != s->cpu)
		carried = s->vruntime - s->min_vruntime + cfs->min_vruntime;
	expected = (s64)(carried - floor) > 0 ? carried : floor;
	if (p->se.vruntime == expected) {
		sim_wakeups.placed++;
		return;
	}
	sim_wakeups.misplaced++;
	sim_note(sim_wakeups.first_misplaced, sizeof(sim_wakeups.first_misplaced),
		 "%s woke at %llu ns with vruntime min%+lld, expected min%+lld", p->comm,
		 (unsigned long long)sim_now, (long long)(p->se.vruntime - cfs->min_vruntime),
		 (long long)(expected - cfs->min_vruntime));
}

/*
 * check_preempt_wakeup(): a waking SCHED_NORMAL task preempts a fair one running there
 * iff it is more than the wake-up granularity (scaled by its weight) behind it in
 * vruntime; always a SCHED_IDLE one. Cases within rounding of the boundary are skipped:
 * the kernel divides in fixed point, this does not.
 */
static void sim_check_preemption(struct task_struct *p, const struct sim_wake_snapshot *s)
{
	struct rq *rq = task_rq(p);
	struct task_struct *curr = rq->curr;
	bool should, did = test_tsk_need_resched(curr);

	if (s->resched[rq->cpu] || curr == p || is_idle_task(curr) ||
	    curr->sched_class != &fair_sched_class || p->policy != SCHED_NORMAL)
		return;
	if (curr->policy == SCHED_IDLE) {
		should = true;
	} else {
		s64 vdiff = curr->se.vruntime - p->se.vruntime;
		s64 gran = (s64)((u64)sysctl_sched_wakeup_granularity * NICE_0_LOAD /
				 p->se.load.weight);

		if (llabs(vdiff - gran) <= gran / 1000 + 1)
			return;
		should = vdiff > gran;
	}
	if (did == should) {
		if (did)
			sim_wakeups.preempted++;
		else
			sim_wakeups.not_preempted++;
		return;
	}
	sim_wakeups.wrong_preempt++;
	sim_note(sim_wakeups.first_wrong_preempt, sizeof(sim_wakeups.first_wrong_preempt),
		 "%s woke at %llu ns %lld ns of vruntime behind %s, which was %spreempted",
		 p->comm, (unsigned long long)sim_now,
		 (long long)(curr->se.vruntime - p->se.vruntime), curr->comm, did ? "" : "not ");
}

/* A sleep ends: wake the task from the timer interrupt, and check what the kernel did. */
static void sim_wake(struct task_struct *p)
{
	struct sim_task *st = sim_task_of(p);
	struct sim_wake_snapshot s;

	sim_snapshot(p, &s);
	if (!wake_up_process(p))
		sim_fatal("the sleep timer of %s fired but it was not asleep", st->name);
	st->waiting = true;
	st->wait_start = sim_now;
	sim_begin_burst(st);
	if (p->sched_class == &fair_sched_class) {
		sim_check_placement(p, &s);
		sim_check_preemption(p, &s);
	}
}

struct sim_sleeper {
	struct hrtimer timer;
	struct task_struct *task;
	bool fired;
};

static enum hrtimer_restart sim_sleep_timeout(struct hrtimer *timer)
{
	struct sim_sleeper *s = container_of(timer, struct sim_sleeper, timer);

	WRITE_ONCE(s->fired, true);
	sim_wake(s->task);
	return HRTIMER_NORESTART;
}

/* nanosleep(), as kernel/time/sleep.c does it: the timer is armed before the sleep. */
static void sim_sleep_until(u64 expires)
{
	struct sim_sleeper s = { .task = current };

	hrtimer_init(&s.timer, sim_sleep_timeout);
	hrtimer_start(&s.timer, expires);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(s.fired))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	hrtimer_cancel(&s.timer);
}

/* The burst is over: sleep, or for a periodic task, finish the job and wait for the next. */
static void sim_work_done(struct sim_task *st)
{
	u64 now = ktime_get_ns();

	switch (st->kind) {
	case SIM_CPU:
		sim_fatal("%s: a cpu task finished its work", st->name);
	case SIM_RUN_SLEEP:
		if (st->sleep)
			sim_sleep_until(now + st->sleep);
		else
			sim_begin_burst(st);
		break;
	case SIM_PERIODIC:
		st->jobs++;
		if (now > st->deadline)
			st->misses++;
		st->release += st->job_period;
		/* An overrun: the next job was released already. */
		if (st->release <= now)
			sim_begin_burst(st);
		else
			sim_sleep_until(st->release);
		break;
	}
}

/* A workload task's life, once ret_from_fork has run. */
static int sim_task_main(void *arg)
{
	struct sim_task *st = arg;

	/* Like a program whose sched_setattr() failed: it gives up. */
	if (st->admit_err || st->affinity_err)
		return 1;
	for (;;) {
		/* The return to user mode reschedules first, as exit_to_user_mode does. */
		if (need_resched())
			schedule();
		else if (sim_wait() == SIM_CMD_WORK_DONE)
			sim_work_done(st);
	}
}

/*
 * fork() by the shell on cpu, then sched_setaffinity() and sched_setattr() on the child,
 * as `taskset` and `chrt` do.
 */
static void sim_fork(unsigned int cpu, struct sim_task *st)
{
	struct task_struct *running = sim_current[cpu], *p;
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = st->policy,
		.sched_nice = fair_policy(st->policy) ? st->nice : 0,
		.sched_priority = st->rt_prio,
		.sched_runtime = st->dl_runtime,
		.sched_deadline = st->dl_deadline,
		.sched_period = st->dl_period,
	};
	bool irqs_were_off = sim_irqs_off[cpu];
	unsigned long flags;
	int pid;

	/* In the shell's system calls, with IRQs on, whatever the CPU was doing. */
	sim_cpu_id = cpu;
	sim_current[cpu] = &sim_parent;
	sim_irqs_off[cpu] = false;
	st->release = sim_now;
	sim_begin_burst(st);
	st->waiting = true;
	st->wait_start = sim_now;
	pid = kernel_thread(sim_task_main, st, 0);
	if (pid < 0)
		sim_fatal("forking %s failed: %d", st->name, pid);
	spin_lock_irqsave(&tasklist_lock, flags);
	p = find_task_by_vpid(pid);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	/* A user process: what the child of a shell becomes once it execs. */
	p->flags &= ~PF_KTHREAD;
	p->thread.st = st;
	st->task = p;
	st->forked = true;
	set_task_comm(p, st->name);
	if (st->pinned)
		st->affinity_err = set_cpus_allowed_ptr(p, &st->affinity);
	st->admit_err = sched_setattr(p, &attr);
	sim_irqs_off[cpu] = irqs_were_off;
	sim_current[cpu] = running;
	sim_check_quiescent();
}

/* PID 1: what init/main.c's kernel_init does for the scheduler, in the same order. */
static int __noreturn sim_kernel_init(void *unused)
{
	set_task_comm(current, "init");
	wait_for_completion(&kthreadd_done);
	spawn_ksoftirqd();
	cpu_stop_init();
	sched_init_smp();
	sim_booted = true;
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
	}
}

/* A secondary CPU comes up: its tick, then its idle loop. */
static void sim_secondary_entry(void)
{
	tick_setup_sched_timer();
	local_irq_enable();
	cpu_startup_entry();
}

/* swapper/0: start_kernel's part for the scheduler, then rest_init. */
static void sim_boot_entry(void)
{
	unsigned long flags;
	unsigned int cpu;
	int pid;

	local_irq_disable();
	fork_init();
	sched_init();
	hrtimers_init();
	for (cpu = 1; cpu < sim_ncpus; cpu++) {
		struct task_struct *idle = fork_idle(cpu);

		sim_thread_start(idle, idle->stack, sim_secondary_entry);
		sim_current[cpu] = idle;
	}
	tick_setup_sched_timer();
	local_irq_enable();

	if (kernel_thread(sim_kernel_init, NULL, 0) != 1)
		sim_fatal("PID 1 is not the first task");
	pid = kernel_thread(kthreadd, NULL, 0);
	spin_lock_irqsave(&tasklist_lock, flags);
	kthreadd_task = find_task_by_vpid(pid);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	complete(&kthreadd_done);
	schedule_idle();
	cpu_startup_entry();
}

static void sim_tick_irq(void *unused)
{
	hrtimer_interrupt();
}

static void sim_ipi_irq(void *unused)
{
	scheduler_ipi();
}

/* The end of an interrupt: the CPU's task reschedules if it was asked to. */
static void sim_irq_return(unsigned int cpu)
{
	if (test_tsk_need_resched(sim_current[cpu]))
		sim_resume(cpu, SIM_CMD_IRQ_RETURN);
}

/* Lowest CPU first; a reschedule may send more IPIs, to CPUs before or after it. */
static void sim_deliver_ipis(void)
{
	unsigned int cpu = 0;

	while (cpu < sim_ncpus) {
		if (!sim_ipi_pending[cpu]) {
			cpu++;
			continue;
		}
		sim_ipi_pending[cpu] = false;
		sim_irq(cpu, sim_ipi_irq, NULL);
		sim_irq_return(cpu);
		cpu = 0;
	}
}

/*
 * Between events every CPU waits for an interrupt: a workload task in user mode
 * (preemptible, IRQs on), an idle task in its idle loop, and none with a reschedule
 * pending, since resched_curr() of another CPU always sends an IPI.
 */
static void sim_check_parked(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < sim_ncpus; cpu++) {
		struct task_struct *p = sim_current[cpu];

		if (test_tsk_need_resched(p))
			sim_fatal("cpu%u: %s was asked to reschedule but never told", cpu, p->comm);
		if (is_idle_task(p))
			continue;
		if (!sim_task_of(p))
			sim_fatal("cpu%u: kernel thread %s never went to sleep", cpu, p->comm);
		if (p->thread_info.preempt_count)
			sim_fatal("%s returned to user mode with preempt_count %d", p->comm,
				  p->thread_info.preempt_count);
		if (sim_irqs_off[cpu])
			sim_fatal("%s returned to user mode with IRQs off", p->comm);
	}
}

struct sim_event {
	u64 time;
	unsigned int cpu;
	enum sim_event_kind kind;
};

static void sim_consider(struct sim_event *best, u64 time, unsigned int cpu,
			 enum sim_event_kind kind)
{
	struct sim_event ev = { .time = max(time, sim_now), .cpu = cpu, .kind = kind };

	if (ev.time < best->time ||
	    (ev.time == best->time && (ev.cpu < best->cpu ||
				       (ev.cpu == best->cpu && ev.kind < best->kind))))
		*best = ev;
}

static struct sim_event sim_next_event(const struct sim_workload *w)
{
	struct sim_event best = { .time = SIM_FOREVER, .kind = SIM_EV_NONE };
	unsigned int cpu;

	if (sim_next_fork < w->nr_tasks) {
		struct sim_task *st = sim_forks[sim_next_fork];

		sim_consider(&best, st->start, st->fork_cpu, SIM_EV_FORK);
	}
	for (cpu = 0; cpu < sim_ncpus; cpu++) {
		struct sim_task *st = sim_task_of(sim_current[cpu]);

		if (st && st->remaining != SIM_FOREVER)
			sim_consider(&best, st->run_start + st->remaining, cpu, SIM_EV_WORK_DONE);
		if (sim_timer_next[cpu] != CLOCK_EVENT_NONE)
			sim_consider(&best, sim_timer_next[cpu], cpu, SIM_EV_TIMER);
	}
	return best;
}

static int sim_fork_order(const void *a, const void *b)
{
	const struct sim_task *x = *(struct sim_task *const *)a;
	const struct sim_task *y = *(struct sim_task *const *)b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->fork_cpu != y->fork_cpu)
		return x->fork_cpu < y->fork_cpu ? -1 : 1;
	return x->order - y->order;
}

/* The end: charge what runs and waits, and count jobs left past their deadline. */
static void sim_finish(const struct sim_workload *w)
{
	unsigned int cpu;
	size_t i;

	sim_now = w->duration;
	for (cpu = 0; cpu < sim_ncpus; cpu++) {
		struct sim_task *st = sim_task_of(sim_current[cpu]);

		if (st) {
			sim_settle(st);
			sim_report_interval(cpu, sim_current[cpu], st->slice_start, sim_now);
		}
	}
	for (i = 0; i < w->nr_tasks; i++) {
		struct sim_task *st = w->tasks[i];

		if (st->task)
			st->kmisses = st->task->dl.nr_deadline_misses;
		if (st->waiting)
			st->waittime += sim_now - st->wait_start;
		/* A task that gave up at its sched_setattr() never ran a job. */
		if (st->kind == SIM_PERIODIC && st->forked && !st->exited && !st->admit_err &&
		    !st->affinity_err && st->remaining && st->deadline < sim_now)
			st->misses++;
	}
}

/* Machine, boot at time 0 (swapper/0, then the secondaries, then their IPIs). */
static void sim_boot(const struct sim_workload *w)
{
	unsigned int cpu;

	sim_machine_init(w->ncpus);
	sim_thread_start(&init_task, alloc_thread_stack(), sim_boot_entry);
	sim_current[0] = &init_task;
	sim_resume(0, SIM_CMD_IRQ_RETURN);
	for (cpu = 1; cpu < sim_ncpus; cpu++)
		sim_resume(cpu, SIM_CMD_IRQ_RETURN);
	sim_deliver_ipis();
	sim_check_parked();
	if (!sim_booted)
		sim_fatal("boot did not finish at time 0");

	sim_parent = init_task;
	sim_parent.flags = 0;
	sim_parent.policy = SCHED_NORMAL;
	sim_parent.static_prio = sim_parent.normal_prio = sim_parent.prio = NICE_TO_PRIO(0);
	cpumask_copy(&sim_parent.cpus_mask, &cpu_possible_mask);
	sim_parent.nr_cpus_allowed = w->ncpus;
	sim_parent.thread_info.preempt_count = 0;
	sim_parent.thread.ctx = NULL;
	sim_parent.real_parent = sim_parent.parent = &init_task;
	INIT_LIST_HEAD(&sim_parent.children);
	INIT_LIST_HEAD(&sim_parent.sibling);
	INIT_LIST_HEAD(&sim_parent.tasks);
	snprintf(sim_parent.comm, sizeof(sim_parent.comm), "sh");
}

void sim_run(struct sim_workload *w)
{
	unsigned long same_instant = 0;
	size_t i;

	sim_workload = w;
	sim_forks = calloc(w->nr_tasks + 1, sizeof(*sim_forks));
	if (!sim_forks)
		sim_fatal("out of memory");
	for (i = 0; i < w->nr_tasks; i++) {
		w->tasks[i]->order = i;
		sim_forks[i] = w->tasks[i];
	}
	qsort(sim_forks, w->nr_tasks, sizeof(*sim_forks), sim_fork_order);

	sim_report_begin(w);
	sim_boot(w);
	for (;;) {
		struct sim_event ev = sim_next_event(w);

		if (ev.kind == SIM_EV_NONE || ev.time >= w->duration)
			break;
		if (ev.time != sim_now)
			same_instant = 0;
		else if (++same_instant > SIM_EVENTS_PER_INSTANT)
			sim_fatal("livelock: events keep coming at the same instant");
		sim_now = ev.time;
		switch (ev.kind) {
		case SIM_EV_FORK:
			sim_fork(ev.cpu, sim_forks[sim_next_fork++]);
			sim_irq_return(ev.cpu);
			break;
		case SIM_EV_WORK_DONE:
			sim_settle(sim_task_of(sim_current[ev.cpu]));
			sim_resume(ev.cpu, SIM_CMD_WORK_DONE);
			break;
		case SIM_EV_TIMER:
			sim_timer_next[ev.cpu] = CLOCK_EVENT_NONE;
			sim_irq(ev.cpu, sim_tick_irq, NULL);
			sim_irq_return(ev.cpu);
			break;
		case SIM_EV_NONE:
			break;
		}
		sim_deliver_ipis();
		sim_check_parked();
	}
	sim_finish(w);
	sim_report_end(w);
}
