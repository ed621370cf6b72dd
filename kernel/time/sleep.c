// SPDX-License-Identifier: MIT
/*
 * Timed sleeps: an hrtimer on the sleeper's stack wakes it. The timer must be cancelled
 * (hrtimer_cancel waits out a callback running on another CPU) before the frame goes,
 * whichever came first, the timer or another wake-up.
 */
#include <asm/processor.h>
#include <kairos/bug.h>
#include <kairos/delay.h>
#include <kairos/hrtimer.h>
#include <kairos/sched.h>
#include <kairos/time.h>
#include <kairos/wait.h>
#include <uapi/errno.h>

struct process_timer {
	struct hrtimer timer;
	struct task_struct *task;
};

static enum hrtimer_restart process_timeout(struct hrtimer *timer)
{
	wake_up_process(container_of(timer, struct process_timer, timer)->task);
	return HRTIMER_NORESTART;
}

/*
 * Sleep in the state already set until woken or the timer at expires fires. Returns
 * whether the timer fired: it never fires before its time.
 */
static bool sleep_until(u64 expires)
{
	struct process_timer t = { .task = current };

	hrtimer_init(&t.timer, process_timeout);
	hrtimer_start(&t.timer, expires);
	schedule();
	return !hrtimer_cancel(&t.timer);
}

/* Far enough that now + timeout cannot overflow: such a timeout is no timeout. */
#define MAX_TIMEOUT_JIFFIES	((long)((UINT64_MAX / 2) / TICK_NSEC))

long schedule_timeout(long timeout)
{
	unsigned long expire;

	if (timeout == MAX_SCHEDULE_TIMEOUT || timeout > MAX_TIMEOUT_JIFFIES) {
		schedule();
		return timeout;
	}
	if (WARN_ON(timeout < 0)) {
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	expire = jiffies + timeout;
	if (sleep_until(ktime_get_ns() + (u64)timeout * TICK_NSEC))
		return 0;
	timeout = expire - jiffies;
	return timeout < 0 ? 0 : timeout;
}

long schedule_timeout_interruptible(long timeout)
{
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_killable(long timeout)
{
	__set_current_state(TASK_KILLABLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_uninterruptible(long timeout)
{
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

int schedule_hrtimeout(u64 expires_ns, unsigned int state)
{
	might_sleep();
	if (ktime_get_ns() >= expires_ns)
		return 0;
	/* Before the timer is armed: a wake-up from it is never lost. */
	set_current_state(state);
	return sleep_until(expires_ns) ? 0 : -EINTR;
}

void msleep(unsigned int msecs)
{
	u64 expires = ktime_get_ns() + (u64)msecs * NSEC_PER_MSEC;

	while (schedule_hrtimeout(expires, TASK_UNINTERRUPTIBLE))
		;
}

unsigned long msleep_interruptible(unsigned int msecs)
{
	u64 expires = ktime_get_ns() + (u64)msecs * NSEC_PER_MSEC, now;

	while (schedule_hrtimeout(expires, TASK_INTERRUPTIBLE)) {
		if (signal_pending(current))
			break;
	}
	now = ktime_get_ns();
	return now >= expires ? 0 : DIV_ROUND_UP(expires - now, NSEC_PER_MSEC);
}

void usleep_range(unsigned long min_us, unsigned long max_us)
{
	u64 expires = ktime_get_ns() + (u64)min_us * NSEC_PER_USEC;

	while (schedule_hrtimeout(expires, TASK_UNINTERRUPTIBLE))
		;
}

void ndelay(unsigned long nsecs)
{
	u64 rate = arch_timer_rate, start = arch_counter_get_cntvct();
	/* Rounded up, split as ktime_get_ns() does so that no product overflows. */
	u64 cycles = nsecs / NSEC_PER_SEC * rate +
		     DIV_ROUND_UP(nsecs % NSEC_PER_SEC * rate, NSEC_PER_SEC);

	while (arch_counter_get_cntvct() - start < cycles)
		cpu_relax();
}

void udelay(unsigned long usecs)
{
	ndelay(usecs * NSEC_PER_USEC);
}

void mdelay(unsigned long msecs)
{
	ndelay(msecs * NSEC_PER_MSEC);
}
