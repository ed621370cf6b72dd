// SPDX-License-Identifier: MIT
/* The old time-of-day calls and times(2), and user copies of time structures. */
#include <kairos/cputime.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/spinlock.h>
#include <kairos/syscalls.h>
#include <kairos/time.h>
#include <kairos/uaccess.h>

#include "posix-timers.h"

/* What settimeofday set and gettimeofday reports: kept, never used by the kernel. */
static struct timezone sys_tz;
static DEFINE_SPINLOCK(sys_tz_lock);

int get_timespec64(struct timespec64 *ts, const struct __kernel_timespec __user *uts)
{
	struct __kernel_timespec kts;

	if (copy_from_user(&kts, uts, sizeof(kts)))
		return -EFAULT;
	ts->tv_sec = kts.tv_sec;
	ts->tv_nsec = kts.tv_nsec;
	return 0;
}

int put_timespec64(const struct timespec64 *ts, struct __kernel_timespec __user *uts)
{
	struct __kernel_timespec kts = { .tv_sec = ts->tv_sec, .tv_nsec = ts->tv_nsec };

	return copy_to_user(uts, &kts, sizeof(kts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(gettimeofday, struct __kernel_old_timeval __user *, tv,
		struct timezone __user *, tz)
{
	struct timezone ktz;
	unsigned long flags;

	if (tv) {
		struct timespec64 ts = ns_to_timespec64(ktime_get_real_ns());
		struct __kernel_old_timeval ktv = { ts.tv_sec, ts.tv_nsec / NSEC_PER_USEC };

		if (copy_to_user(tv, &ktv, sizeof(ktv)))
			return -EFAULT;
	}
	if (tz) {
		spin_lock_irqsave(&sys_tz_lock, flags);
		ktz = sys_tz;
		spin_unlock_irqrestore(&sys_tz_lock, flags);
		if (copy_to_user(tz, &ktz, sizeof(ktz)))
			return -EFAULT;
	}
	return 0;
}

/* Linux keeps 30 years of uptime's headroom below KTIME_MAX when the clock is set. */
#define TIME_UPTIME_SEC_MAX	(30LL * 365 * 24 * 3600)
#define TIME_SETTOD_SEC_MAX	((s64)KTIME_SEC_MAX - TIME_UPTIME_SEC_MAX)

/* Linux's checks, in its order: the time's range, privilege, the zone's range. */
int do_sys_settimeofday64(const struct timespec64 *tv, const struct timezone *tz)
{
	unsigned long flags;

	if (tv && (!timespec64_valid(tv) || tv->tv_sec >= TIME_SETTOD_SEC_MAX))
		return -EINVAL;
	if (!capable(CAP_SYS_TIME))
		return -EPERM;
	if (tz) {
		if (tz->tz_minuteswest > 15 * 60 || tz->tz_minuteswest < -15 * 60)
			return -EINVAL;
		spin_lock_irqsave(&sys_tz_lock, flags);
		sys_tz = *tz;
		spin_unlock_irqrestore(&sys_tz_lock, flags);
	}
	return tv ? do_settimeofday64(tv) : 0;
}

SYSCALL_DEFINE2(settimeofday, struct __kernel_old_timeval __user *, tv,
		struct timezone __user *, tz)
{
	struct __kernel_old_timeval ktv;
	struct timespec64 ts;
	struct timezone ktz;

	if (tv) {
		if (copy_from_user(&ktv, tv, sizeof(ktv)))
			return -EFAULT;
		if (ktv.tv_usec > (long)USEC_PER_SEC || ktv.tv_usec < 0)
			return -EINVAL;
		ts.tv_sec = ktv.tv_sec;
		ts.tv_nsec = ktv.tv_usec * NSEC_PER_USEC;
	}
	if (tz && copy_from_user(&ktz, tz, sizeof(ktz)))
		return -EFAULT;
	return do_sys_settimeofday64(tv ? &ts : NULL, tz ? &ktz : NULL);
}

SYSCALL_DEFINE1(times, struct tms __user *, tbuf)
{
	struct task_cputime ct;
	unsigned long flags;
	struct tms tms;

	if (tbuf) {
		spin_lock_irqsave(&tasklist_lock, flags);
		thread_group_cputime_adjusted(current, &ct);
		tms.tms_cutime = nsec_to_clock_t(current->signal->cutime);
		tms.tms_cstime = nsec_to_clock_t(current->signal->cstime);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		tms.tms_utime = nsec_to_clock_t(ct.utime);
		tms.tms_stime = nsec_to_clock_t(ct.stime);
		if (copy_to_user(tbuf, &tms, sizeof(tms)))
			return -EFAULT;
	}
	/* Clock ticks since boot (Linux counts from an arbitrary point too). */
	return nsec_to_clock_t(ktime_get_ns());
}
