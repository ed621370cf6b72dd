// SPDX-License-Identifier: MIT
/*
 * The POSIX clocks: clock_gettime, clock_settime, clock_getres, clock_nanosleep and
 * nanosleep.
 *
 * Interrupted sleeps follow Linux: a relative one writes the time left to rmtp and
 * returns -ERESTART_RESTARTBLOCK, whose restart sleeps to the same absolute end; an
 * absolute one returns -ERESTARTNOHAND (restarted with the same arguments unless a
 * handler ran, else -EINTR).
 */
#include <kairos/errno.h>
#include <kairos/hrtimer.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/syscalls.h>
#include <kairos/time.h>
#include <kairos/uaccess.h>

#include "posix-timers.h"

/* Now on a (non-CPU) clock; -EINVAL for an unknown one. */
static int clock_now(clockid_t which, u64 *ns)
{
	switch (which) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:			/* the TAI offset is 0 until NTP sets one */
	case CLOCK_REALTIME_ALARM:
		*ns = ktime_get_real_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:	/* no frequency adjustment: the same clock */
	case CLOCK_BOOTTIME:		/* no suspend: the same clock */
	case CLOCK_BOOTTIME_ALARM:
		*ns = ktime_get_ns();
		return 0;
	case CLOCK_REALTIME_COARSE:
		*ns = ktime_get_coarse_real_ns();
		return 0;
	case CLOCK_MONOTONIC_COARSE:
		*ns = ktime_get_coarse_ns();
		return 0;
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE2(clock_gettime, clockid_t, which, struct __kernel_timespec __user *, tp)
{
	struct timespec64 ts;
	int ret;
	u64 ns;

	if (is_cpu_clock(which)) {
		ret = posix_cpu_clock_get(which, &ts);
	} else {
		ret = clock_now(which, &ns);
		ts = ns_to_timespec64(ns);
	}
	if (ret)
		return ret;
	return put_timespec64(&ts, tp);
}

SYSCALL_DEFINE2(clock_settime, clockid_t, which, const struct __kernel_timespec __user *, tp)
{
	struct timespec64 ts;

	/* Only the wall clock can be set. */
	if (which != CLOCK_REALTIME)
		return -EINVAL;
	if (get_timespec64(&ts, tp))
		return -EFAULT;
	return do_sys_settimeofday64(&ts, NULL);
}

SYSCALL_DEFINE2(clock_getres, clockid_t, which, struct __kernel_timespec __user *, tp)
{
	struct timespec64 ts = { 0, 1 };	/* high-resolution clocks */
	u64 ns;
	int ret;

	if (is_cpu_clock(which)) {
		ret = posix_cpu_clock_getres(which, &ts);
	} else {
		ret = clock_now(which, &ns);
		if (which == CLOCK_REALTIME_COARSE || which == CLOCK_MONOTONIC_COARSE)
			ts.tv_nsec = TICK_NSEC;
	}
	if (ret)
		return ret;
	/* A NULL tp only validates the clock. */
	return tp ? put_timespec64(&ts, tp) : 0;
}

/*
 * Sleep until sl fires or a signal. 0 when it fired; else the time left goes to rmtp
 * (if any) and the answer is -ERESTART_RESTARTBLOCK, or -EFAULT if rmtp is bad.
 */
static long do_nanosleep(struct hrtimer_sleeper *sl, struct __kernel_timespec __user *rmtp)
{
	struct timespec64 rmt;
	u64 now;

	do {
		set_current_state(TASK_INTERRUPTIBLE);
		hrtimer_sleeper_start(sl);
		if (!hrtimer_sleeper_expired(sl))
			schedule();
		hrtimer_sleeper_cancel(sl);
	} while (!hrtimer_sleeper_expired(sl) && !signal_pending(current));
	__set_current_state(TASK_RUNNING);

	if (hrtimer_sleeper_expired(sl))
		return 0;
	if (rmtp) {
		clock_now(sl->clockid, &now);
		if (now >= sl->expires)
			return 0;
		rmt = ns_to_timespec64(sl->expires - now);
		if (put_timespec64(&rmt, rmtp))
			return -EFAULT;
	}
	return -ERESTART_RESTARTBLOCK;
}

static long nanosleep_restart(struct restart_block *restart)
{
	struct hrtimer_sleeper sl;

	hrtimer_sleeper_init(&sl, restart->nanosleep.clockid, restart->nanosleep.expires);
	return do_nanosleep(&sl, restart->nanosleep.rmtp);
}

/*
 * Sleep for t ns (relative) or until t on clockid (abs). A relative sleep runs on the
 * monotonic clock whatever the clock, as in Linux: setting the wall clock does not
 * stretch or cut it.
 */
static long hrtimer_nanosleep(u64 t, bool abs, clockid_t clockid,
			      struct __kernel_timespec __user *rmtp)
{
	struct restart_block *restart = &current->restart_block;
	struct hrtimer_sleeper sl;
	long ret;

	if (abs && (clockid == CLOCK_REALTIME || clockid == CLOCK_TAI ||
		    clockid == CLOCK_REALTIME_ALARM))
		hrtimer_sleeper_init(&sl, CLOCK_REALTIME, t);
	else
		hrtimer_sleeper_init(&sl, CLOCK_MONOTONIC,
				     abs ? t : ktime_add_safe(ktime_get_ns(), t));
	ret = do_nanosleep(&sl, abs ? NULL : rmtp);
	if (ret != -ERESTART_RESTARTBLOCK)
		return ret;
	if (abs)
		return -ERESTARTNOHAND;
	restart->nanosleep.clockid = sl.clockid;
	restart->nanosleep.expires = sl.expires;
	restart->nanosleep.rmtp = rmtp;
	restart->fn = nanosleep_restart;
	return ret;
}

SYSCALL_DEFINE2(nanosleep, struct __kernel_timespec __user *, rqtp,
		struct __kernel_timespec __user *, rmtp)
{
	struct timespec64 ts;

	if (get_timespec64(&ts, rqtp))
		return -EFAULT;
	if (!timespec64_valid(&ts))
		return -EINVAL;
	current->restart_block.fn = do_no_restart_syscall;
	return hrtimer_nanosleep(timespec64_to_ns(&ts), false, CLOCK_MONOTONIC, rmtp);
}

/* Linux's order of checks: the clock, whether it has timers, the request, then the
 * clock's own rules. */
SYSCALL_DEFINE4(clock_nanosleep, clockid_t, which, int, flags,
		const struct __kernel_timespec __user *, rqtp,
		struct __kernel_timespec __user *, rmtp)
{
	struct timespec64 ts;
	u64 ns;

	if (!is_cpu_clock(which) && clock_now(which, &ns))
		return -EINVAL;
	/* The raw and coarse clocks, and the caller's thread clock, have no timers. */
	if (which == CLOCK_MONOTONIC_RAW || which == CLOCK_REALTIME_COARSE ||
	    which == CLOCK_MONOTONIC_COARSE || which == CLOCK_THREAD_CPUTIME_ID)
		return -EOPNOTSUPP;
	if (get_timespec64(&ts, rqtp))
		return -EFAULT;
	if (!timespec64_valid(&ts))
		return -EINVAL;
	if (is_cpu_clock(which))
		return posix_cpu_nsleep(which);
	if (which == CLOCK_REALTIME_ALARM || which == CLOCK_BOOTTIME_ALARM) {
		/* Sleeps that would wake the machine from suspend need privilege. */
		if (flags & ~TIMER_ABSTIME)
			return -EINVAL;
		if (!capable(CAP_WAKE_ALARM))
			return -EPERM;
	}
	current->restart_block.fn = do_no_restart_syscall;
	return hrtimer_nanosleep(timespec64_to_ns(&ts), flags & TIMER_ABSTIME, which, rmtp);
}
