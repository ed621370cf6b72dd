// SPDX-License-Identifier: MIT
/*
 * The wall clock and timed sleeps on any clock.
 *
 * CLOCK_MONOTONIC is the generic counter since boot (ktime_get_ns); with no suspend and
 * no NTP slewing, CLOCK_BOOTTIME and CLOCK_MONOTONIC_RAW are the same clock. The wall
 * clock (CLOCK_REALTIME; CLOCK_TAI with a zero TAI offset) is the monotonic clock plus
 * an offset: the RTC's time at boot, moved by clock_settime. The offset never goes
 * negative (Linux refuses to set the wall clock below the monotonic one), so the wall
 * clock stays a u64 of ns.
 *
 * realtime_lock serialises changes of the offset with the sleepers on wall-clock time:
 * a sleeper converts its expiry with the offset and joins realtime_sleepers under the
 * lock, and a change re-arms every sleeper on the list, so none misses a change.
 */
#include <kairos/hrtimer.h>
#include <kairos/printk.h>
#include <kairos/rtc.h>
#include <kairos/sched.h>
#include <kairos/spinlock.h>
#include <kairos/time.h>
#include <uapi/errno.h>

static u64 real_offset;			/* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
static DEFINE_SPINLOCK(realtime_lock);
static LIST_HEAD(realtime_sleepers);

u64 ktime_get_real_ns(void)
{
	return ktime_get_ns() + READ_ONCE(real_offset);
}

u64 ktime_get_coarse_ns(void)
{
	u64 now = ktime_get_ns();

	return now - now % TICK_NSEC;
}

u64 ktime_get_coarse_real_ns(void)
{
	return ktime_get_coarse_ns() + READ_ONCE(real_offset);
}

static bool wall_clock(int clockid)
{
	return clockid == CLOCK_REALTIME || clockid == CLOCK_TAI ||
	       clockid == CLOCK_REALTIME_ALARM;
}

/* A sleeper's expiry on the monotonic clock; realtime_lock held for a wall clock. */
static u64 sleeper_mono_expires(const struct hrtimer_sleeper *sl)
{
	u64 off = real_offset;

	if (!wall_clock(sl->clockid))
		return sl->expires;
	return sl->expires > off ? sl->expires - off : 0;
}

int do_settimeofday64(const struct timespec64 *ts)
{
	u64 ns = timespec64_to_ns(ts), now;
	struct hrtimer_sleeper *sl;
	unsigned long flags;

	spin_lock_irqsave(&realtime_lock, flags);
	now = ktime_get_ns();
	if (ns < now) {
		spin_unlock_irqrestore(&realtime_lock, flags);
		return -EINVAL;
	}
	WRITE_ONCE(real_offset, ns - now);
	/* Absolute wall-clock sleeps end at the new time: earlier, later, or now. */
	list_for_each_entry(sl, &realtime_sleepers, clock_node) {
		if (!hrtimer_sleeper_expired(sl))
			hrtimer_start(&sl->timer, sleeper_mono_expires(sl));
	}
	spin_unlock_irqrestore(&realtime_lock, flags);
	return 0;
}

void __init timekeeping_init(void)
{
	u64 secs, wall, now;

	if (rtc_read_time(&secs)) {
		pr_warn("time: no RTC, the wall clock starts at the epoch\n");
		return;
	}
	/* The RTC counts 32-bit seconds: the product fits. */
	wall = secs * NSEC_PER_SEC;
	now = ktime_get_ns();
	real_offset = wall > now ? wall - now : 0;
	pr_info("time: wall clock from the RTC: %llu s since the epoch\n",
		(unsigned long long)secs);
}

static enum hrtimer_restart hrtimer_wakeup(struct hrtimer *timer)
{
	struct hrtimer_sleeper *sl = container_of(timer, struct hrtimer_sleeper, timer);
	struct task_struct *task = sl->task;

	/* The owner may stop waiting once it sees this, but it cancels the timer first,
	 * which waits for this callback to return. */
	__atomic_store_n(&sl->task, NULL, __ATOMIC_RELEASE);
	if (task)
		wake_up_process(task);
	return HRTIMER_NORESTART;
}

void hrtimer_sleeper_init(struct hrtimer_sleeper *sl, int clockid, u64 expires)
{
	hrtimer_init(&sl->timer, hrtimer_wakeup);
	sl->task = current;
	sl->clockid = clockid;
	sl->expires = expires;
	INIT_LIST_HEAD(&sl->clock_node);
}

void hrtimer_sleeper_start(struct hrtimer_sleeper *sl)
{
	unsigned long flags;

	if (!wall_clock(sl->clockid)) {
		hrtimer_start(&sl->timer, sl->expires);
		return;
	}
	spin_lock_irqsave(&realtime_lock, flags);
	hrtimer_start(&sl->timer, sleeper_mono_expires(sl));
	if (list_empty(&sl->clock_node))
		list_add(&sl->clock_node, &realtime_sleepers);
	spin_unlock_irqrestore(&realtime_lock, flags);
}

void hrtimer_sleeper_cancel(struct hrtimer_sleeper *sl)
{
	unsigned long flags;

	if (wall_clock(sl->clockid)) {
		spin_lock_irqsave(&realtime_lock, flags);
		list_del_init(&sl->clock_node);
		spin_unlock_irqrestore(&realtime_lock, flags);
	}
	hrtimer_cancel(&sl->timer);
}
