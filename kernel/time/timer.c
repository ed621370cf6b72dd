// SPDX-License-Identifier: MIT
/*
 * The periodic scheduler tick: one hrtimer per CPU, HZ times a second. CPU 0 also keeps
 * jiffies, counting the tick periods that passed since it last looked, so that jiffies
 * follow the clock even when ticks arrive late.
 */
#include <asm/ptrace.h>
#include <kairos/cputime.h>
#include <kairos/hrtimer.h>
#include <kairos/irq_regs.h>
#include <kairos/loadavg.h>
#include <kairos/percpu.h>
#include <kairos/sched.h>
#include <kairos/smp.h>
#include <kairos/tick.h>
#include <kairos/time.h>

volatile u64 jiffies_64;
static u64 last_jiffies_update;		/* ns of the last counted period, CPU 0 only */
static DEFINE_PER_CPU(struct hrtimer, tick_timer);
static DEFINE_PER_CPU(unsigned long, tick_count);

unsigned long cpu_tick_count(unsigned int cpu)
{
	return READ_ONCE(per_cpu(tick_count, cpu));
}

static void tick_do_update_jiffies64(u64 now)
{
	u64 missed = (now - last_jiffies_update) / TICK_NSEC;

	last_jiffies_update += missed * TICK_NSEC;
	WRITE_ONCE(jiffies_64, jiffies_64 + missed);
	calc_global_load();
}

/* The per-CPU tick: account it (user_tick: it interrupted user mode), let the scheduler
 * look at the running task, and check its CPU-time timers and limits. */
void update_process_times(int user_tick)
{
	account_process_tick(current, user_tick);
	scheduler_tick();
	run_posix_cpu_timers();
}

static enum hrtimer_restart tick_sched_timer(struct hrtimer *timer)
{
	u64 now = ktime_get_ns(), next = timer->expires + TICK_NSEC;
	struct pt_regs *regs;

	this_cpu_write(tick_count, this_cpu_read(tick_count) + 1);
	if (smp_processor_id() == 0)
		tick_do_update_jiffies64(now);
	regs = get_irq_regs();
	update_process_times(regs && user_mode(regs));
	/* Late ticks (a busy host) are not replayed; the next one is a period from now. */
	if (next <= now)
		next = now + TICK_NSEC;
	hrtimer_forward_to(timer, next);
	return HRTIMER_RESTART;
}

void tick_setup_sched_timer(void)
{
	struct hrtimer *timer = this_cpu_ptr(&tick_timer);

	hrtimer_init(timer, tick_sched_timer);
	hrtimer_start(timer, ktime_get_ns() + TICK_NSEC);
}
