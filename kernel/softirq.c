// SPDX-License-Identifier: MIT
/*
 * Softirqs: per-CPU pending bits, run at irq_exit or by ksoftirqd/N.
 *
 * __do_softirq runs every pending action with IRQs on, then looks again: actions may raise
 * more. It goes round at most MAX_SOFTIRQ_RESTART times and for at most MAX_SOFTIRQ_TIME,
 * and not at all once current needs the CPU back; what is left then wakes ksoftirqd, an
 * ordinary fair task, so that a softirq storm is scheduled like any other load rather
 * than stealing every interrupted task's time.
 */
#include <kairos/bug.h>
#include <kairos/interrupt.h>
#include <kairos/irq_regs.h>
#include <kairos/percpu.h>
#include <kairos/sched.h>
#include <kairos/smp.h>
#include <kairos/smpboot.h>
#include <kairos/tick.h>
#include <kairos/time.h>

#define MAX_SOFTIRQ_TIME	(2 * NSEC_PER_MSEC)
#define MAX_SOFTIRQ_RESTART	10

struct softirq_stat {
	unsigned int count[NR_SOFTIRQS];
};

static struct softirq_action softirq_vec[NR_SOFTIRQS];
DEFINE_PER_CPU(struct pt_regs *, __irq_regs);
/* Only ever touched by its own CPU, with IRQs off. */
static DEFINE_PER_CPU(unsigned long, softirq_pending);
static DEFINE_PER_CPU(struct softirq_stat, softirq_stats);
static DEFINE_PER_CPU(struct task_struct *, ksoftirqd);

static unsigned long local_softirq_pending(void)
{
	return this_cpu_read(softirq_pending);
}

void open_softirq(int nr, void (*action)(struct softirq_action *))
{
	softirq_vec[nr].action = action;
}

unsigned int kstat_softirqs_cpu(unsigned int nr, int cpu)
{
	return READ_ONCE(per_cpu(softirq_stats, cpu).count[nr]);
}

static void wakeup_softirqd(void)
{
	struct task_struct *tsk = this_cpu_read(ksoftirqd);

	if (tsk)
		wake_up_process(tsk);
}

void raise_softirq_irqoff(unsigned int nr)
{
	this_cpu_write(softirq_pending, local_softirq_pending() | (1UL << nr));
	/* In an interrupt, its irq_exit will run it; from a task nothing would but ksoftirqd. */
	if (!in_interrupt())
		wakeup_softirqd();
}

void raise_softirq(unsigned int nr)
{
	unsigned long flags;

	local_irq_save(flags);
	raise_softirq_irqoff(nr);
	local_irq_restore(flags);
}

/* Called and returns with IRQs off; the actions run with them on. */
static void __do_softirq(void)
{
	u64 end = sched_clock() + MAX_SOFTIRQ_TIME;
	int restarts = MAX_SOFTIRQ_RESTART;
	unsigned long pending = local_softirq_pending();
	struct softirq_stat *stats = this_cpu_ptr(&softirq_stats);

	/* Marks softirq context: no preemption, and a nested irq_exit does not recurse. */
	__preempt_count_add(SOFTIRQ_OFFSET);
restart:
	this_cpu_write(softirq_pending, 0);
	local_irq_enable();
	while (pending) {
		unsigned int nr = __builtin_ctzl(pending);

		pending &= pending - 1;
		stats->count[nr]++;
		softirq_vec[nr].action(&softirq_vec[nr]);
	}
	local_irq_disable();

	pending = local_softirq_pending();
	if (pending) {
		if (sched_clock() < end && !need_resched() && --restarts)
			goto restart;
		wakeup_softirqd();
	}
	__preempt_count_sub(SOFTIRQ_OFFSET);
}

/* Once ksoftirqd is runnable it owns the backlog; serving it here too would starve tasks. */
static bool ksoftirqd_running(void)
{
	struct task_struct *tsk = this_cpu_read(ksoftirqd);

	return tsk && task_is_running(tsk);
}

void irq_enter(void)
{
	/* An idle CPU may have stopped its tick: its handler must not see stale jiffies. */
	if (is_idle_task(current) && !in_interrupt())
		tick_irq_enter();
	__preempt_count_add(HARDIRQ_OFFSET);
}

void irq_exit(void)
{
	__preempt_count_sub(HARDIRQ_OFFSET);
	if (!in_interrupt() && local_softirq_pending() && !ksoftirqd_running())
		__do_softirq();
}

static int ksoftirqd_should_run(unsigned int cpu)
{
	return local_softirq_pending() != 0;
}

static void run_ksoftirqd(unsigned int cpu)
{
	local_irq_disable();
	if (local_softirq_pending())
		__do_softirq();
	local_irq_enable();
	cond_resched();
}

static struct smp_hotplug_thread softirq_threads = {
	.store = &ksoftirqd,
	.thread_should_run = ksoftirqd_should_run,
	.thread_fn = run_ksoftirqd,
	.thread_comm = "ksoftirqd/%u",
};

void __init spawn_ksoftirqd(void)
{
	BUG_ON(smpboot_register_percpu_thread(&softirq_threads));
}
