// SPDX-License-Identifier: MIT
/*
 * The scheduler tick and tickless idle (Linux's NO_HZ_IDLE).
 *
 * Each CPU's tick is an hrtimer firing every TICK_NSEC on a grid of its own (its first
 * expiry plus whole periods). One CPU at a time, tick_do_timer_cpu, also keeps jiffies,
 * counting the periods of the clock that passed since they were last counted.
 *
 * A CPU that goes idle with nothing to run stops its tick (tick_nohz_idle_stop_tick):
 * it then sleeps until its next hrtimer (a sleeper's, a deadline task's, ...) or an IPI.
 * Stopping gives up the jiffies duty (the next CPU to tick takes it), folds the CPU's
 * load-average count (calc_load_nohz_start) and joins the idle CPUs the busy ones kick
 * to balance (nohz_balance_enter_idle). Every interrupt taken while stopped brings
 * jiffies up to date first (tick_irq_enter), so nothing it runs sees them stale. When the
 * idle loop ends (tick_nohz_idle_exit) the tick restarts at the next point of its grid,
 * and the periods it skipped are charged to idle, as the tick would have charged them:
 * the kcpustat columns still sum to the tick periods that passed. Readers of idle time
 * (get_idle_time) add the periods skipped so far, under ts->lock, so it never goes back.
 *
 * "nohz=off" on the command line keeps every CPU ticking, idle or not.
 */
#include <asm/ptrace.h>
#include <kairos/cputime.h>
#include <kairos/hrtimer.h>
#include <kairos/irq_regs.h>
#include <kairos/kernel_stat.h>
#include <kairos/loadavg.h>
#include <kairos/percpu.h>
#include <kairos/sched.h>
#include <kairos/setup.h>
#include <kairos/smp.h>
#include <kairos/spinlock.h>
#include <kairos/string.h>
#include <kairos/tick.h>
#include <kairos/time.h>

struct tick_sched {
	struct hrtimer sched_timer;
	unsigned long tick_count;	/* ticks taken */
	bool tick_stopped;
	/* While stopped: the first period of the grid not taken. Under lock, as is the
	 * idle time charged when the tick restarts. */
	u64 next_tick;
	spinlock_t lock;
};

/* Initialised in the template, which every CPU's copy starts from. */
static DEFINE_PER_CPU(struct tick_sched, tick_cpu_sched) = { .lock = __SPIN_LOCK_UNLOCKED };

bool tick_nohz_enabled = true;
int tick_do_timer_cpu;			/* who keeps jiffies; TICK_DO_TIMER_NONE: nobody */

static DEFINE_SPINLOCK(jiffies_lock);
static u64 last_jiffies_update;		/* ns of the last period counted, under jiffies_lock */

static int __init setup_tick_nohz(const char *val)
{
	if (val && !strcmp(val, "off"))
		tick_nohz_enabled = false;
	else if (val && !strcmp(val, "on"))
		tick_nohz_enabled = true;
	return 0;
}
early_param("nohz", setup_tick_nohz);

unsigned long cpu_tick_count(unsigned int cpu)
{
	return READ_ONCE(per_cpu(tick_cpu_sched, cpu).tick_count);
}

bool tick_nohz_tick_stopped_cpu(unsigned int cpu)
{
	return READ_ONCE(per_cpu(tick_cpu_sched, cpu).tick_stopped);
}

/* Count the periods up to now; IRQs off. Any CPU may call it: the lock orders them. */
static void tick_do_update_jiffies64(u64 now)
{
	u64 missed;

	/* Done already, by this CPU's last call or another CPU. */
	if (now < READ_ONCE(last_jiffies_update) + TICK_NSEC)
		return;
	do_raw_spin_lock(&jiffies_lock);
	if (now >= last_jiffies_update + TICK_NSEC) {
		missed = (now - last_jiffies_update) / TICK_NSEC;
		WRITE_ONCE(last_jiffies_update, last_jiffies_update + missed * TICK_NSEC);
		WRITE_ONCE(jiffies_64, jiffies_64 + missed);
		calc_global_load();
	}
	do_raw_spin_unlock(&jiffies_lock);
}

/* The keeper's duty: a CPU that ticks takes it up when its last holder stopped its tick. */
static void tick_sched_do_timer(u64 now)
{
	int cpu = smp_processor_id();

	if (unlikely(READ_ONCE(tick_do_timer_cpu) == TICK_DO_TIMER_NONE))
		WRITE_ONCE(tick_do_timer_cpu, cpu);
	if (READ_ONCE(tick_do_timer_cpu) == cpu)
		tick_do_update_jiffies64(now);
}

static enum hrtimer_restart tick_sched_timer(struct hrtimer *timer)
{
	struct tick_sched *ts = container_of(timer, struct tick_sched, sched_timer);
	u64 now = ktime_get_ns(), next = timer->expires + TICK_NSEC;
	struct pt_regs *regs;

	WRITE_ONCE(ts->tick_count, ts->tick_count + 1);
	tick_sched_do_timer(now);
	regs = get_irq_regs();
	update_process_times(regs && user_mode(regs));
	/* Late ticks (a busy host) are not replayed: the next one is the next grid point. */
	if (next <= now)
		next += (now - next) / TICK_NSEC * TICK_NSEC + TICK_NSEC;
	hrtimer_forward_to(timer, next);
	return HRTIMER_RESTART;
}

void tick_setup_sched_timer(void)
{
	struct tick_sched *ts = this_cpu_ptr(&tick_cpu_sched);

	hrtimer_init(&ts->sched_timer, tick_sched_timer);
	hrtimer_start(&ts->sched_timer, ktime_get_ns() + TICK_NSEC);
}

/*
 * Idle, IRQs off, need_resched clear: stop the tick unless it is off already, disabled,
 * or still needed (RT tasks waiting for their throttling period to end).
 */
void tick_nohz_idle_stop_tick(void)
{
	struct tick_sched *ts = this_cpu_ptr(&tick_cpu_sched);
	int cpu = smp_processor_id();

	if (ts->tick_stopped || !tick_nohz_enabled || !sched_can_stop_tick())
		return;
	/* Not running (IRQs are off here) and queued on this CPU: cancelling is immediate. */
	hrtimer_cancel(&ts->sched_timer);
	do_raw_spin_lock(&ts->lock);
	ts->next_tick = ts->sched_timer.expires;
	WRITE_ONCE(ts->tick_stopped, true);
	do_raw_spin_unlock(&ts->lock);
	if (READ_ONCE(tick_do_timer_cpu) == cpu)
		WRITE_ONCE(tick_do_timer_cpu, TICK_DO_TIMER_NONE);
	calc_load_nohz_start();
	nohz_balance_enter_idle(cpu);
}

/* The periods of ts's grid in [next_tick, now]; ts->lock held, tick stopped. */
static unsigned long tick_nohz_skipped(struct tick_sched *ts, u64 now)
{
	return now < ts->next_tick ? 0 : (now - ts->next_tick) / TICK_NSEC + 1;
}

/* An interrupt on an idle CPU, before its handler: jiffies may be stale. */
void tick_irq_enter(void)
{
	if (this_cpu_ptr(&tick_cpu_sched)->tick_stopped)
		tick_do_update_jiffies64(ktime_get_ns());
}

/* Leaving the idle loop for a task: restart the tick at its next grid point. */
void tick_nohz_idle_exit(void)
{
	struct tick_sched *ts = this_cpu_ptr(&tick_cpu_sched);
	unsigned long flags, skipped;
	u64 now;

	local_irq_save(flags);
	if (!ts->tick_stopped) {
		local_irq_restore(flags);
		return;
	}
	now = ktime_get_ns();
	tick_do_update_jiffies64(now);
	do_raw_spin_lock(&ts->lock);
	skipped = tick_nohz_skipped(ts, now);
	account_idle_ticks(skipped);
	WRITE_ONCE(ts->tick_stopped, false);
	do_raw_spin_unlock(&ts->lock);
	hrtimer_start(&ts->sched_timer, ts->next_tick + skipped * TICK_NSEC);
	calc_load_nohz_stop();
	nohz_balance_exit_idle(smp_processor_id());
	local_irq_restore(flags);
}

u64 get_idle_time(unsigned int cpu)
{
	struct tick_sched *ts = per_cpu_ptr(&tick_cpu_sched, cpu);
	unsigned long flags;
	u64 idle;

	local_irq_save(flags);
	do_raw_spin_lock(&ts->lock);
	idle = READ_ONCE(kcpustat_cpu(cpu)->cpustat[CPUTIME_IDLE]);
	if (ts->tick_stopped)
		idle += tick_nohz_skipped(ts, ktime_get_ns()) * TICK_NSEC;
	do_raw_spin_unlock(&ts->lock);
	local_irq_restore(flags);
	return idle;
}
