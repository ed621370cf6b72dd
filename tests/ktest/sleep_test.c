// SPDX-License-Identifier: MIT
/*
 * Timers and sleeping: hrtimers on every CPU (order, cancel, restart, moving between
 * CPUs), timed sleeps measured by the clock, wait queues (exclusive wake-ups, timeouts,
 * signals), completions across CPUs, and mutexes (lost updates, FIFO handover).
 */
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <kairos/atomic.h>
#include <kairos/completion.h>
#include <kairos/delay.h>
#include <kairos/hrtimer.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>

#include "ktest_kthread.h"
#include <kairos/mutex.h>
#include <kairos/sched.h>
#include <kairos/smp.h>
#include <kairos/string.h>
#include <kairos/time.h>
#include <kairos/wait.h>
#include <uapi/errno.h>

/*
 * Anything that should happen "soon" gets this long before a test calls it lost. Generous:
 * with more vCPUs than host cores, each wake-up of an idle vCPU may wait for the host to
 * run its thread, and a FIFO mutex handover chain pays that on every handover.
 */
#define PATIENCE_NS		(20 * NSEC_PER_SEC)

/* Sleep-poll until cond or PATIENCE_NS; the value of cond. */
#define wait_until(cond) ({						\
	u64 __t0 = ktime_get_ns();					\
	while (!(cond) && ktime_get_ns() - __t0 < PATIENCE_NS)		\
		msleep(1);						\
	(cond);								\
})

/* Kernel threads must not return before kthread_stop(): the tests stop every one. */
static int wait_for_stop(int ret)
{
	ktest_wait_for_stop();
	return ret;
}

static void set_sigpending(bool on)
{
	if (on)
		__atomic_fetch_or(&current->thread_info.flags, 1UL << TIF_SIGPENDING,
				  __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(&current->thread_info.flags, ~(1UL << TIF_SIGPENDING),
				   __ATOMIC_SEQ_CST);
}

/* hrtimers */

#define TIMERS_PER_CPU	4

struct probe_timer {
	struct hrtimer timer;
	unsigned int armed_cpu;
	int fired_cpu;			/* -1 until the callback ran */
	u64 fired_at;
	int order;			/* position among this CPU's timers when it fired */
	atomic_t *seq;
	atomic_t runs;
};

static enum hrtimer_restart probe_fn(struct hrtimer *timer)
{
	struct probe_timer *p = container_of(timer, struct probe_timer, timer);

	p->fired_at = ktime_get_ns();
	p->fired_cpu = smp_processor_id();
	p->order = atomic_inc_return(p->seq) - 1;
	atomic_inc(&p->runs);
	return HRTIMER_NORESTART;
}

static void probe_init(struct probe_timer *p, atomic_t *seq)
{
	hrtimer_init(&p->timer, probe_fn);
	p->fired_cpu = -1;
	p->order = -1;
	p->seq = seq;
	atomic_set(&p->runs, 0);
}

static struct probe_timer probes[NR_CPUS][TIMERS_PER_CPU];
static atomic_t probe_seq[NR_CPUS];

/* Arm this CPU's probes out of order: expiries 4, 1, 3, 2 ms (times the index). */
static void arm_probes(void *unused)
{
	static const unsigned int ms[TIMERS_PER_CPU] = { 4, 1, 3, 2 };
	unsigned int cpu = smp_processor_id();
	u64 now = ktime_get_ns();

	for (int i = 0; i < TIMERS_PER_CPU; i++) {
		probes[cpu][i].armed_cpu = cpu;
		hrtimer_start(&probes[cpu][i].timer, now + ms[i] * NSEC_PER_MSEC);
	}
}

/* Each fires once, never early, on the CPU that armed it, in expiry order. */
KTEST(hrtimer_fires_on_arming_cpu_in_order)
{
	static const int expected_order[TIMERS_PER_CPU] = { 3, 0, 2, 1 };
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		atomic_set(&probe_seq[cpu], 0);
		for (int i = 0; i < TIMERS_PER_CPU; i++)
			probe_init(&probes[cpu][i], &probe_seq[cpu]);
	}
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, arm_probes, NULL, true), 0);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT(t, wait_until(atomic_read(&probe_seq[cpu]) == TIMERS_PER_CPU));
		for (int i = 0; i < TIMERS_PER_CPU; i++) {
			struct probe_timer *p = &probes[cpu][i];

			hrtimer_cancel(&p->timer);
			KTEST_EXPECT_EQ(t, atomic_read(&p->runs), 1);
			KTEST_EXPECT_EQ(t, p->fired_cpu, p->armed_cpu);
			KTEST_EXPECT(t, p->fired_at >= p->timer.expires);
			KTEST_EXPECT_EQ(t, p->order, expected_order[i]);
			KTEST_EXPECT(t, !hrtimer_active(&p->timer));
		}
	}
}

/* Far enough that the test always acts first, even when the host stalls a vCPU. */
#define FAR_NS		(200 * NSEC_PER_MSEC)

static void arm_probe_far(void *arg)
{
	struct probe_timer *p = arg;

	p->armed_cpu = smp_processor_id();
	hrtimer_start(&p->timer, ktime_get_ns() + FAR_NS);
}

/* A cancelled timer never runs, whether it was queued here or on another CPU. */
KTEST(hrtimer_cancel_prevents_callback)
{
	static struct probe_timer p[NR_CPUS];
	static atomic_t seq;
	unsigned int cpu;
	u64 t0;

	for_each_online_cpu(cpu) {
		probe_init(&p[cpu], &seq);
		KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, arm_probe_far, &p[cpu], true), 0);
	}
	for_each_online_cpu(cpu) {
		KTEST_EXPECT(t, hrtimer_active(&p[cpu].timer));
		KTEST_EXPECT(t, hrtimer_cancel(&p[cpu].timer));
		KTEST_EXPECT(t, !hrtimer_active(&p[cpu].timer));
		KTEST_EXPECT(t, !hrtimer_cancel(&p[cpu].timer));
		KTEST_EXPECT(t, !hrtimer_try_to_cancel(&p[cpu].timer));
	}
	/* Well past the cancelled expiries. */
	t0 = ktime_get_ns();
	while (ktime_get_ns() - t0 < FAR_NS + 20 * NSEC_PER_MSEC)
		msleep(10);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, atomic_read(&p[cpu].runs), 0);
}

struct periodic {
	struct hrtimer timer;
	u64 period;
	int runs;
	int limit;
	bool early;			/* a run came before its expiry */
	bool wrong_cpu;
	unsigned int cpu;
};

static enum hrtimer_restart periodic_fn(struct hrtimer *timer)
{
	struct periodic *p = container_of(timer, struct periodic, timer);

	if (ktime_get_ns() < timer->expires)
		p->early = true;
	if (smp_processor_id() != p->cpu)
		p->wrong_cpu = true;
	if (++p->runs == p->limit)
		return HRTIMER_NORESTART;
	hrtimer_forward_to(timer, timer->expires + p->period);
	return HRTIMER_RESTART;
}

static void arm_periodic(void *arg)
{
	struct periodic *p = arg;

	p->cpu = smp_processor_id();
	hrtimer_start(&p->timer, ktime_get_ns() + p->period);
}

/* HRTIMER_RESTART runs the timer again at its new expiry, on the same CPU, until it stops. */
KTEST(hrtimer_restart_periodic)
{
	static struct periodic p[NR_CPUS];
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		p[cpu] = (struct periodic){ .period = NSEC_PER_MSEC, .limit = 10 };
		hrtimer_init(&p[cpu].timer, periodic_fn);
		KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, arm_periodic, &p[cpu], true), 0);
	}
	for_each_online_cpu(cpu) {
		KTEST_EXPECT(t, wait_until(!hrtimer_active(&p[cpu].timer)));
		hrtimer_cancel(&p[cpu].timer);
		KTEST_EXPECT_EQ(t, p[cpu].runs, 10);
		KTEST_EXPECT(t, !p[cpu].early);
		KTEST_EXPECT(t, !p[cpu].wrong_cpu);
	}
}

/* hrtimer_start of a timer queued on another CPU moves it here. */
KTEST(hrtimer_start_moves_to_this_cpu)
{
	static struct probe_timer p;
	static atomic_t seq;
	unsigned long flags;
	unsigned int cpu, here;

	for_each_online_cpu(cpu) {
		probe_init(&p, &seq);
		KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, arm_probe_far, &p, true), 0);
		local_irq_save(flags);
		here = smp_processor_id();
		hrtimer_start(&p.timer, ktime_get_ns() + NSEC_PER_MSEC);
		local_irq_restore(flags);
		KTEST_EXPECT(t, wait_until(atomic_read(&p.runs) > 0));
		/* Not left queued where it was armed first. */
		KTEST_EXPECT(t, wait_until(!hrtimer_active(&p.timer)));
		hrtimer_cancel(&p.timer);
		KTEST_EXPECT_EQ(t, atomic_read(&p.runs), 1);
		KTEST_EXPECT_EQ(t, p.fired_cpu, here);
	}
}

struct slow_timer {
	struct hrtimer timer;
	atomic_t started;
	atomic_t finished;
};

static enum hrtimer_restart slow_fn(struct hrtimer *timer)
{
	struct slow_timer *s = container_of(timer, struct slow_timer, timer);
	u64 t0 = ktime_get_ns();

	atomic_set_release(&s->started, 1);
	while (ktime_get_ns() - t0 < 5 * NSEC_PER_MSEC)
		cpu_relax();
	atomic_set_release(&s->finished, 1);
	return HRTIMER_NORESTART;
}

static void arm_slow(void *arg)
{
	struct slow_timer *s = arg;

	hrtimer_start(&s->timer, ktime_get_ns() + NSEC_PER_MSEC);
}

/* hrtimer_cancel() returns only after a callback running on another CPU has finished. */
KTEST(hrtimer_cancel_waits_for_running_callback)
{
	static struct slow_timer s;
	unsigned int cpu, here = smp_processor_id();

	for_each_online_cpu(cpu) {
		u64 t0;

		if (cpu == here)
			continue;
		hrtimer_init(&s.timer, slow_fn);
		atomic_set(&s.started, 0);
		atomic_set(&s.finished, 0);
		KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, arm_slow, &s, true), 0);
		/* Spin, not sleep: the cancel must land inside the 5 ms callback. */
		for (t0 = ktime_get_ns(); !atomic_read_acquire(&s.started) &&
		     ktime_get_ns() - t0 < PATIENCE_NS;)
			cpu_relax();
		KTEST_EXPECT(t, atomic_read_acquire(&s.started));
		KTEST_EXPECT(t, !hrtimer_cancel(&s.timer));
		KTEST_EXPECT(t, atomic_read_acquire(&s.finished));
		KTEST_EXPECT(t, !hrtimer_active(&s.timer));
	}
}

/* Timed sleeps */

/* msleep sleeps (gives up the CPU) for at least the time asked, by the clock. */
KTEST(msleep_sleeps_long_enough)
{
	unsigned long nvcsw = current->nvcsw;
	u64 t0 = ktime_get_ns(), slept;

	msleep(20);
	slept = ktime_get_ns() - t0;
	KTEST_EXPECT(t, slept >= 20 * NSEC_PER_MSEC);
	/* Not absurdly long (ms taken for s); the host may stall this vCPU for seconds. */
	KTEST_EXPECT(t, slept < 10 * NSEC_PER_SEC);
	KTEST_EXPECT(t, current->nvcsw > nvcsw);

	t0 = ktime_get_ns();
	usleep_range(700, 900);
	KTEST_EXPECT(t, ktime_get_ns() - t0 >= 700 * NSEC_PER_USEC);

	t0 = ktime_get_ns();
	KTEST_EXPECT_EQ(t, schedule_timeout_uninterruptible(3), 0);
	KTEST_EXPECT(t, ktime_get_ns() - t0 >= 3 * TICK_NSEC);

	t0 = ktime_get_ns();
	KTEST_EXPECT_EQ(t, schedule_hrtimeout(t0 + 2 * NSEC_PER_MSEC, TASK_UNINTERRUPTIBLE), 0);
	KTEST_EXPECT(t, ktime_get_ns() >= t0 + 2 * NSEC_PER_MSEC);
	/* A time already past: no sleep at all. */
	KTEST_EXPECT_EQ(t, schedule_hrtimeout(t0, TASK_UNINTERRUPTIBLE), 0);
}

KTEST(busy_delays_by_the_counter)
{
	u64 t0 = ktime_get_ns();

	udelay(300);
	KTEST_EXPECT(t, ktime_get_ns() - t0 >= 300 * NSEC_PER_USEC);
	t0 = ktime_get_ns();
	mdelay(2);
	KTEST_EXPECT(t, ktime_get_ns() - t0 >= 2 * NSEC_PER_MSEC);
	t0 = ktime_get_ns();
	ndelay(50000);
	KTEST_EXPECT(t, ktime_get_ns() - t0 >= 50000);
}

struct sleeper {
	u64 shortest;			/* of its sleeps, in ns */
	bool wrong_cpu;
	unsigned int cpu;
	atomic_t *done;
};

static int sleeper_fn(void *arg)
{
	struct sleeper *s = arg;

	s->shortest = UINT64_MAX;
	for (int i = 0; i < 5; i++) {
		u64 t0 = ktime_get_ns(), slept;

		msleep(3);
		slept = ktime_get_ns() - t0;
		s->shortest = min(s->shortest, slept);
		if (smp_processor_id() != s->cpu)
			s->wrong_cpu = true;
	}
	atomic_inc_return(s->done);
	return wait_for_stop(0);
}

/* Threads bound to every CPU sleep at once, each for at least what it asked. */
KTEST(msleep_on_every_cpu)
{
	static struct sleeper s[NR_CPUS];
	struct task_struct *tasks[NR_CPUS];
	atomic_t done = ATOMIC_INIT(0);
	unsigned int cpu, n = 0;

	for_each_online_cpu(cpu) {
		s[cpu] = (struct sleeper){ .cpu = cpu, .done = &done };
		tasks[cpu] = kthread_create_on_cpu(sleeper_fn, &s[cpu], cpu, "ktest-sleep/%u");
		KTEST_EXPECT(t, !IS_ERR(tasks[cpu]));
		if (IS_ERR(tasks[cpu]))
			return;
		wake_up_process(tasks[cpu]);
		n++;
	}
	KTEST_EXPECT(t, wait_until(atomic_read(&done) == (int)n));
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, kthread_stop(tasks[cpu]), 0);
		KTEST_EXPECT(t, s[cpu].shortest >= 3 * NSEC_PER_MSEC);
		KTEST_EXPECT(t, !s[cpu].wrong_cpu);
	}
}

/* Wait queues */

struct probe_entry {
	struct wait_queue_entry wq;
	int ret;			/* what the func answers: 1 woke a task, 0 did not */
	int calls;
};

static int probe_wake(struct wait_queue_entry *wq_entry, unsigned int mode, int wake_flags,
		      void *key)
{
	struct probe_entry *e = container_of(wq_entry, struct probe_entry, wq);

	e->calls++;
	return e->ret;
}

/*
 * __wake_up's accounting, exactly: every non-exclusive entry is called, exclusive ones
 * (FIFO, after the others even if queued first) until nr_exclusive of them woke a task.
 */
KTEST(waitqueue_exclusive_accounting)
{
	DECLARE_WAIT_QUEUE_HEAD(wq);
	struct probe_entry shared[2], excl[4];

	for (int i = 0; i < 4; i++) {
		init_waitqueue_func_entry(&excl[i].wq, probe_wake);
		excl[i].ret = 1;
		excl[i].calls = 0;
		add_wait_queue_exclusive(&wq, &excl[i].wq);
	}
	for (int i = 0; i < 2; i++) {
		init_waitqueue_func_entry(&shared[i].wq, probe_wake);
		shared[i].ret = 1;
		shared[i].calls = 0;
		add_wait_queue(&wq, &shared[i].wq);
	}

	wake_up(&wq);
	KTEST_EXPECT_EQ(t, shared[0].calls + shared[1].calls, 2);
	KTEST_EXPECT_EQ(t, excl[0].calls, 1);
	KTEST_EXPECT_EQ(t, excl[1].calls + excl[2].calls + excl[3].calls, 0);

	/* An exclusive entry whose task was awake already does not count. */
	excl[0].ret = 0;
	wake_up(&wq);
	KTEST_EXPECT_EQ(t, excl[0].calls, 2);
	KTEST_EXPECT_EQ(t, excl[1].calls, 1);
	KTEST_EXPECT_EQ(t, excl[2].calls + excl[3].calls, 0);

	wake_up_nr(&wq, 2);
	KTEST_EXPECT_EQ(t, excl[0].calls, 3);
	KTEST_EXPECT_EQ(t, excl[1].calls, 2);
	KTEST_EXPECT_EQ(t, excl[2].calls, 1);
	KTEST_EXPECT_EQ(t, excl[3].calls, 0);

	wake_up_all(&wq);
	KTEST_EXPECT_EQ(t, excl[0].calls, 4);
	KTEST_EXPECT_EQ(t, excl[1].calls, 3);
	KTEST_EXPECT_EQ(t, excl[2].calls, 2);
	KTEST_EXPECT_EQ(t, excl[3].calls, 1);
	KTEST_EXPECT_EQ(t, shared[0].calls, 4);
	KTEST_EXPECT_EQ(t, shared[1].calls, 4);

	for (int i = 0; i < 4; i++)
		remove_wait_queue(&wq, &excl[i].wq);
	for (int i = 0; i < 2; i++)
		remove_wait_queue(&wq, &shared[i].wq);
	KTEST_EXPECT(t, !waitqueue_active(&wq));
}

#define CONSUMERS	4
#define PC_ROUNDS	40

static struct pc_state {
	struct wait_queue_head wq;
	atomic_t tokens;
	atomic_t consumed;
	atomic_t wakes;			/* tasks woken through the queue */
} pc;

static bool take_token(void)
{
	int old = atomic_read(&pc.tokens);

	while (old > 0)
		if (atomic_try_cmpxchg(&pc.tokens, &old, old - 1))
			return true;
	return false;
}

static int counting_wake(struct wait_queue_entry *wq_entry, unsigned int mode,
			 int wake_flags, void *key)
{
	int ret = autoremove_wake_function(wq_entry, mode, wake_flags, key);

	if (ret)
		atomic_inc(&pc.wakes);
	return ret;
}

static int consumer_fn(void *unused)
{
	DEFINE_WAIT_FUNC(wait, counting_wake);

	for (;;) {
		prepare_to_wait_exclusive(&pc.wq, &wait, TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		if (take_token()) {
			finish_wait(&pc.wq, &wait);
			atomic_inc_return(&pc.consumed);
			continue;
		}
		schedule();
	}
	finish_wait(&pc.wq, &wait);
	return 0;
}

static int queued_waiters(struct wait_queue_head *wq)
{
	struct list_head *pos;
	unsigned long flags;
	int n = 0;

	spin_lock_irqsave(&wq->lock, flags);
	list_for_each(pos, &wq->head)
		n++;
	spin_unlock_irqrestore(&wq->lock, flags);
	return n;
}

/*
 * Consumers on every CPU wait exclusively for tokens. With all of them queued, each
 * wake_up() wakes exactly one; wake_up_all() wakes them all; no token is lost.
 */
KTEST(waitqueue_producer_consumer)
{
	struct task_struct *tasks[CONSUMERS];
	unsigned int cpu = cpumask_first(&cpu_online_mask);
	int wakes;

	init_waitqueue_head(&pc.wq);
	atomic_set(&pc.tokens, 0);
	atomic_set(&pc.consumed, 0);
	atomic_set(&pc.wakes, 0);
	for (int i = 0; i < CONSUMERS; i++) {
		tasks[i] = kthread_create_on_cpu(consumer_fn, NULL, cpu, "ktest-cons/%u");
		KTEST_EXPECT(t, !IS_ERR(tasks[i]));
		if (IS_ERR(tasks[i]))
			return;
		wake_up_process(tasks[i]);
		cpu = cpumask_next(cpu, &cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(&cpu_online_mask);
	}
	for (int round = 0; round < PC_ROUNDS; round++) {
		if (!wait_until(queued_waiters(&pc.wq) == CONSUMERS)) {
			ktest_fail(t, __FILE__, __LINE__, "round %d: consumers did not queue", round);
			break;
		}
		wakes = atomic_read(&pc.wakes);
		atomic_inc(&pc.tokens);
		wake_up(&pc.wq);
		KTEST_EXPECT_EQ(t, atomic_read(&pc.wakes) - wakes, 1);
		KTEST_EXPECT(t, wait_until(atomic_read(&pc.consumed) == round + 1));
	}
	/* A burst: as many tokens as consumers, one wake-up for all. */
	KTEST_EXPECT(t, wait_until(queued_waiters(&pc.wq) == CONSUMERS));
	wakes = atomic_read(&pc.wakes);
	atomic_add(CONSUMERS, &pc.tokens);
	wake_up_all(&pc.wq);
	KTEST_EXPECT_EQ(t, atomic_read(&pc.wakes) - wakes, CONSUMERS);
	KTEST_EXPECT(t, wait_until(atomic_read(&pc.consumed) == PC_ROUNDS + CONSUMERS));
	KTEST_EXPECT_EQ(t, atomic_read(&pc.tokens), 0);
	for (int i = 0; i < CONSUMERS; i++)
		KTEST_EXPECT_EQ(t, kthread_stop(tasks[i]), 0);
}

static DECLARE_WAIT_QUEUE_HEAD(event_wq);
static int event_flag;

static enum hrtimer_restart raise_event(struct hrtimer *timer)
{
	WRITE_ONCE(event_flag, 1);
	wake_up(&event_wq);
	return HRTIMER_NORESTART;
}

/* 0 on timeout (after the whole timeout), the jiffies left when the event came. */
KTEST(wait_event_timeout_return_values)
{
	struct hrtimer timer;
	u64 t0 = ktime_get_ns(), elapsed;
	unsigned long j0;
	long ret;

	WRITE_ONCE(event_flag, 0);
	ret = wait_event_timeout(event_wq, READ_ONCE(event_flag), 5);
	KTEST_EXPECT_EQ(t, ret, 0);
	KTEST_EXPECT(t, ktime_get_ns() - t0 >= 5 * TICK_NSEC);

	/* Raised from an interrupt 20 ms from now. */
	hrtimer_init(&timer, raise_event);
	t0 = ktime_get_ns();
	j0 = jiffies;
	hrtimer_start(&timer, t0 + 20 * NSEC_PER_MSEC);
	ret = wait_event_timeout(event_wq, READ_ONCE(event_flag), HZ);
	elapsed = ktime_get_ns() - t0;
	hrtimer_cancel(&timer);
	KTEST_EXPECT(t, elapsed >= 20 * NSEC_PER_MSEC);
	KTEST_EXPECT(t, ret > 0 && ret < HZ);
	/* The jiffies left are at most the timeout less the jiffies that passed around the
	 * wait (more may pass between these reads and the wait's own). Compared with the
	 * clock instead, jiffies lag by however long a busy host holds CPU 0's tick off. */
	KTEST_EXPECT(t, ret + (long)(jiffies - j0) >= HZ);

	/* Already true: the whole timeout is left, and 1 rather than 0 for no timeout. */
	KTEST_EXPECT_EQ(t, wait_event_timeout(event_wq, true, 7), 7);
	KTEST_EXPECT_EQ(t, wait_event_timeout(event_wq, true, 0), 1);
	KTEST_EXPECT_EQ(t, wait_event_interruptible_timeout(event_wq, true, 7), 7);
}

static DEFINE_MUTEX(contended);
static DECLARE_COMPLETION(contended_held);

static int hold_contended(void *unused)
{
	mutex_lock(&contended);
	complete(&contended_held);
	wait_for_stop(0);
	mutex_unlock(&contended);
	return 0;
}

/* A pending signal ends interruptible sleeps at once, and only those. */
KTEST(interruptible_sleeps_end_on_signal)
{
	struct task_struct *holder = kthread_run(hold_contended, NULL, "ktest-hold");
	struct completion never;
	u64 t0;

	KTEST_EXPECT(t, !IS_ERR(holder));
	if (IS_ERR(holder))
		return;
	wait_for_completion(&contended_held);
	init_completion(&never);
	set_sigpending(true);
	t0 = ktime_get_ns();
	KTEST_EXPECT_EQ(t, wait_event_interruptible(event_wq, false), -ERESTARTSYS);
	KTEST_EXPECT_EQ(t, wait_event_interruptible_timeout(event_wq, false, 10 * HZ),
			-ERESTARTSYS);
	KTEST_EXPECT_EQ(t, wait_for_completion_interruptible(&never), -ERESTARTSYS);
	KTEST_EXPECT_EQ(t, mutex_lock_interruptible(&contended), -EINTR);
	KTEST_EXPECT(t, msleep_interruptible(10000) > 0);
	/* Neither timed sleep ran its course (the host may stall this vCPU for seconds). */
	KTEST_EXPECT(t, ktime_get_ns() - t0 < 10 * NSEC_PER_SEC);
	/* An event that is there wins over the signal. */
	KTEST_EXPECT_EQ(t, wait_event_interruptible(event_wq, true), 0);
	/* Uninterruptible sleeps run their course. */
	t0 = ktime_get_ns();
	KTEST_EXPECT_EQ(t, wait_event_timeout(event_wq, false, 3), 0);
	KTEST_EXPECT(t, ktime_get_ns() - t0 >= 3 * TICK_NSEC);
	KTEST_EXPECT_EQ(t, wait_for_completion_timeout(&never, 2), 0);
	set_sigpending(false);
	KTEST_EXPECT(t, !signal_pending(current));
	/* The waiter that gave up left no trace: the holder's unlock frees the mutex. */
	KTEST_EXPECT_EQ(t, kthread_stop(holder), 0);
	KTEST_EXPECT(t, !mutex_is_locked(&contended));
	KTEST_EXPECT_EQ(t, mutex_lock_interruptible(&contended), 0);
	mutex_unlock(&contended);
}

/* Completions */

struct completer {
	struct completion *go;
	struct completion *done;
	unsigned int cpu;
	int ran_on;
};

static int completer_fn(void *arg)
{
	struct completer *c = arg;

	wait_for_completion(c->go);
	c->ran_on = smp_processor_id();
	complete(c->done);
	return wait_for_stop(0);
}

/* A thread on each CPU waits for us; we wait for it. */
KTEST(completion_across_cpus)
{
	static struct completer c[NR_CPUS];
	static struct completion go[NR_CPUS], done[NR_CPUS];
	struct task_struct *tasks[NR_CPUS];
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		init_completion(&go[cpu]);
		init_completion(&done[cpu]);
		c[cpu] = (struct completer){ .go = &go[cpu], .done = &done[cpu], .cpu = cpu,
					     .ran_on = -1 };
		tasks[cpu] = kthread_create_on_cpu(completer_fn, &c[cpu], cpu, "ktest-cmp/%u");
		KTEST_EXPECT(t, !IS_ERR(tasks[cpu]));
		if (IS_ERR(tasks[cpu]))
			return;
		wake_up_process(tasks[cpu]);
	}
	msleep(10);		/* let them block first */
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, c[cpu].ran_on, -1);
		KTEST_EXPECT(t, !completion_done(&done[cpu]));
		complete(&go[cpu]);
	}
	for_each_online_cpu(cpu) {
		/* WAIT_FOR's bound: the host may hold a completer's vCPU off for seconds. */
		KTEST_EXPECT(t, wait_for_completion_timeout(&done[cpu], 10 * HZ) > 0);
		KTEST_EXPECT_EQ(t, c[cpu].ran_on, cpu);
		KTEST_EXPECT_EQ(t, kthread_stop(tasks[cpu]), 0);
	}
}

static struct completion all_gate;
static atomic_t through_gate;

static int gate_fn(void *unused)
{
	wait_for_completion(&all_gate);
	atomic_inc_return(&through_gate);
	return wait_for_stop(0);
}

/* complete() banks one event each; complete_all() opens the gate for everyone. */
KTEST(completion_counting_and_complete_all)
{
	struct task_struct *tasks[3];
	struct completion x;
	u64 t0;

	init_completion(&x);
	KTEST_EXPECT(t, !try_wait_for_completion(&x));
	complete(&x);
	complete(&x);
	KTEST_EXPECT(t, completion_done(&x));
	KTEST_EXPECT(t, try_wait_for_completion(&x));
	KTEST_EXPECT_EQ(t, wait_for_completion_timeout(&x, HZ), HZ);
	KTEST_EXPECT(t, !try_wait_for_completion(&x));
	t0 = ktime_get_ns();
	KTEST_EXPECT_EQ(t, wait_for_completion_timeout(&x, 3), 0);
	KTEST_EXPECT(t, ktime_get_ns() - t0 >= 3 * TICK_NSEC);
	complete(&x);
	KTEST_EXPECT_EQ(t, wait_for_completion_killable(&x), 0);
	KTEST_EXPECT(t, !completion_done(&x));

	init_completion(&all_gate);
	atomic_set(&through_gate, 0);
	for (int i = 0; i < 3; i++) {
		tasks[i] = kthread_run(gate_fn, NULL, "ktest-gate/%d", i);
		KTEST_EXPECT(t, !IS_ERR(tasks[i]));
		if (IS_ERR(tasks[i]))
			return;
	}
	msleep(10);
	KTEST_EXPECT_EQ(t, atomic_read(&through_gate), 0);
	complete_all(&all_gate);
	KTEST_EXPECT(t, wait_until(atomic_read(&through_gate) == 3));
	/* Still open for late comers, until reinitialised. */
	wait_for_completion(&all_gate);
	KTEST_EXPECT(t, try_wait_for_completion(&all_gate));
	reinit_completion(&all_gate);
	KTEST_EXPECT(t, !completion_done(&all_gate));
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_EQ(t, kthread_stop(tasks[i]), 0);
}

/* Mutexes */

#define MUTEX_THREADS_PER_CPU	2
#define MUTEX_ROUNDS		100

static struct mutex_stress {
	struct mutex lock;
	unsigned long counter;		/* plain: only the mutex makes increments safe */
	int inside;
	int max_inside;
	atomic_t done;
} ms;

static int mutex_stress_fn(void *arg)
{
	for (int i = 0; i < MUTEX_ROUNDS; i++) {
		unsigned long v;

		mutex_lock(&ms.lock);
		if (++ms.inside > ms.max_inside)
			ms.max_inside = ms.inside;
		v = READ_ONCE(ms.counter);
		/* Hold it across a sleep now and then, so that waiters really queue. */
		if (i % 25 == 0)
			msleep(1);
		else
			udelay(2);
		WRITE_ONCE(ms.counter, v + 1);
		ms.inside--;
		mutex_unlock(&ms.lock);
		if (i % 8 == 0)
			cond_resched();
	}
	atomic_inc_return(&ms.done);
	return wait_for_stop(0);
}

/* Threads on every CPU increment a counter under one mutex: no update is lost. */
KTEST(mutex_contention_every_cpu)
{
	struct task_struct *tasks[NR_CPUS * MUTEX_THREADS_PER_CPU];
	unsigned int cpu, n = 0;

	mutex_init(&ms.lock);
	ms.counter = 0;
	ms.inside = ms.max_inside = 0;
	atomic_set(&ms.done, 0);
	for_each_online_cpu(cpu) {
		for (int i = 0; i < MUTEX_THREADS_PER_CPU; i++, n++) {
			tasks[n] = kthread_create_on_cpu(mutex_stress_fn, NULL, cpu, "ktest-mtx/%u");
			KTEST_EXPECT(t, !IS_ERR(tasks[n]));
			if (IS_ERR(tasks[n]))
				return;
		}
	}
	for (unsigned int i = 0; i < n; i++)
		wake_up_process(tasks[i]);
	KTEST_EXPECT(t, wait_until(atomic_read(&ms.done) == (int)n));
	for (unsigned int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kthread_stop(tasks[i]), 0);
	KTEST_EXPECT_EQ(t, ms.counter, (unsigned long)n * MUTEX_ROUNDS);
	KTEST_EXPECT_EQ(t, ms.max_inside, 1);
	KTEST_EXPECT(t, !mutex_is_locked(&ms.lock));
}

#define FIFO_WAITERS	4

static DEFINE_MUTEX(fifo_lock);
static int fifo_order[FIFO_WAITERS];
static atomic_t fifo_next;
static atomic_t fifo_release;	/* the first waiter holds the lock until this is set */

static int fifo_fn(void *arg)
{
	mutex_lock(&fifo_lock);
	fifo_order[atomic_inc_return(&fifo_next) - 1] = (int)(long)arg;
	while (!atomic_read_acquire(&fifo_release))
		msleep(1);
	mutex_unlock(&fifo_lock);
	return wait_for_stop(0);
}

static int mutex_waiters(struct mutex *lock)
{
	struct list_head *pos;
	int n = 0;

	spin_lock(&lock->wait_lock);
	list_for_each(pos, &lock->wait_list)
		n++;
	spin_unlock(&lock->wait_lock);
	return n;
}

/* Waiters get the mutex in the order they queued, and unlock hands it over: the
 * unlocker cannot take it straight back. */
KTEST(mutex_fifo_handover)
{
	struct task_struct *tasks[FIFO_WAITERS];
	unsigned int cpu = cpumask_first(&cpu_online_mask);

	atomic_set(&fifo_next, 0);
	atomic_set(&fifo_release, 0);
	mutex_lock(&fifo_lock);
	KTEST_EXPECT(t, mutex_is_locked(&fifo_lock));
	KTEST_EXPECT(t, !mutex_trylock(&fifo_lock));
	for (int i = 0; i < FIFO_WAITERS; i++) {
		tasks[i] = kthread_create_on_cpu(fifo_fn, (void *)(long)i, cpu, "ktest-fifo/%u");
		KTEST_EXPECT(t, !IS_ERR(tasks[i]));
		if (IS_ERR(tasks[i]))
			return;
		wake_up_process(tasks[i]);
		KTEST_EXPECT(t, wait_until(mutex_waiters(&fifo_lock) == i + 1));
		cpu = cpumask_next(cpu, &cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(&cpu_online_mask);
	}
	/* Handed to the first waiter, which keeps it until released: no taking it back. */
	mutex_unlock(&fifo_lock);
	KTEST_EXPECT(t, !mutex_trylock(&fifo_lock));
	KTEST_EXPECT(t, wait_until(atomic_read(&fifo_next) == 1));
	KTEST_EXPECT(t, !mutex_trylock(&fifo_lock));
	atomic_set_release(&fifo_release, 1);
	KTEST_EXPECT(t, wait_until(atomic_read(&fifo_next) == FIFO_WAITERS));
	for (int i = 0; i < FIFO_WAITERS; i++) {
		KTEST_EXPECT_EQ(t, fifo_order[i], i);
		KTEST_EXPECT_EQ(t, kthread_stop(tasks[i]), 0);
	}
	KTEST_EXPECT(t, wait_until(!mutex_is_locked(&fifo_lock)));
	KTEST_EXPECT(t, mutex_trylock(&fifo_lock));
	mutex_unlock(&fifo_lock);
}
