// SPDX-License-Identifier: MIT
/*
 * Clocks and timers through their system calls: conversions, every clock ID's reading
 * and resolution, setting the wall clock (privilege, range, and absolute wall-clock
 * sleeps following it), nanosleep and clock_nanosleep, the time of day, interval timers,
 * times() and the CPU-time clocks.
 */
#include <asm/irqflags.h>
#include <kairos/completion.h>
#include <kairos/cputime.h>
#include <kairos/delay.h>
#include <kairos/hrtimer.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>
#include <kairos/time.h>
#include <uapi/time.h>

#include "fake_process.h"
#include "ksyscall.h"
#include "user_mm.h"

#define RW	(PROT_READ | PROT_WRITE)
#define P	PAGE_SIZE

static u64 uts_ns(unsigned long addr)
{
	struct __kernel_timespec ts;

	if (copy_from_user(&ts, uptr(addr), sizeof(ts)))
		return ~0ULL;
	return (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static void set_uts(unsigned long addr, s64 sec, long long nsec)
{
	struct __kernel_timespec ts = { sec, nsec };

	copy_to_user(uptr(addr), &ts, sizeof(ts));
}

static void set_uts_ns(unsigned long addr, u64 ns)
{
	set_uts(addr, ns / NSEC_PER_SEC, ns % NSEC_PER_SEC);
}

KTEST(time_conversions)
{
	struct timespec64 ts = { 3, 5 };

	KTEST_EXPECT(t, timespec64_valid(&ts));
	KTEST_EXPECT_EQ(t, timespec64_to_ns(&ts), 3 * NSEC_PER_SEC + 5);
	ts.tv_nsec = NSEC_PER_SEC;
	KTEST_EXPECT(t, !timespec64_valid(&ts));
	ts = (struct timespec64){ -1, 0 };
	KTEST_EXPECT(t, !timespec64_valid(&ts));
	ts = (struct timespec64){ 0, -1 };
	KTEST_EXPECT(t, !timespec64_valid(&ts));
	/* Past KTIME_MAX, saturated. */
	ts = (struct timespec64){ INT64_MAX, 0 };
	KTEST_EXPECT_EQ(t, timespec64_to_ns(&ts), KTIME_MAX);
	ts = (struct timespec64){ KTIME_SEC_MAX, 0 };
	KTEST_EXPECT_EQ(t, timespec64_to_ns(&ts), KTIME_MAX);
	ts = ns_to_timespec64(7 * NSEC_PER_SEC + 123);
	KTEST_EXPECT(t, ts.tv_sec == 7 && ts.tv_nsec == 123);
	KTEST_EXPECT_EQ(t, ktime_add_safe(KTIME_MAX - 1, 5), KTIME_MAX);
	KTEST_EXPECT_EQ(t, ktime_add_safe(5, UINT64_MAX), KTIME_MAX);
	KTEST_EXPECT_EQ(t, ktime_add_safe(5, 6), 11);
}

KTEST(time_clock_gettime_getres)
{
	struct mm_struct *mm = enter_new_mm();
	static const int ids[] = {
		CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
		CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_TAI, CLOCK_THREAD_CPUTIME_ID,
	};
	struct fake_process fp;
	unsigned long a;
	u64 v1, v2;

	if (!mm)
		return ktest_skip(t, "no memory");
	/* A process of its own, so that other kernel threads are in other ones. */
	if (!fake_process_enter(&fp)) {
		leave_mm(mm);
		return ktest_skip(t, "no memory");
	}
	a = umap(0, P, RW, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++) {
		KTEST_EXPECT_EQ(t, SYS(clock_gettime, ids[i], a), 0);
		v1 = uts_ns(a);
		mdelay(5);	/* busy: the CPU-time clock moves too */
		KTEST_EXPECT_EQ(t, SYS(clock_gettime, ids[i], a), 0);
		v2 = uts_ns(a);
		if (v2 <= v1)
			ktest_fail(t, __FILE__, __LINE__, "clock %d did not advance", ids[i]);
	}
	/* The wall clock comes from the RTC: well after 2020. */
	SYS(clock_gettime, CLOCK_REALTIME, a);
	KTEST_EXPECT(t, uts_ns(a) / NSEC_PER_SEC > 1577836800ULL);
	/* Coarse clocks sit on tick boundaries, behind the fine ones. */
	SYS(clock_gettime, CLOCK_MONOTONIC_COARSE, a);
	v1 = uts_ns(a);
	KTEST_EXPECT_EQ(t, v1 % TICK_NSEC, 0);
	KTEST_EXPECT(t, v1 <= ktime_get_ns());

	KTEST_EXPECT_EQ(t, SYS(clock_gettime, CLOCK_SGI_CYCLE, a), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(clock_gettime, 12, a), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(clock_gettime, MAX_CLOCKS, a), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(clock_gettime, CLOCK_MONOTONIC, 0x10), -EFAULT);
	/* CPU clocks of other tasks: a thread of another process (kthreadd), no such PID. */
	KTEST_EXPECT_EQ(t, SYS(clock_gettime, (u64)(int)((~2u << 3) | 6), a), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(clock_gettime, (u64)(int)((~0x7ffff0u << 3) | 2), a), -EINVAL);
	/* Thread CPU clock by the caller's own TID works; "which" 3 does not exist. */
	KTEST_EXPECT_EQ(t, SYS(clock_gettime, (u64)(int)((~(u32)current->pid << 3) | 6), a), 0);
	KTEST_EXPECT_EQ(t, SYS(clock_gettime, (u64)(int)((~0u << 3) | 7), a), -EINVAL);

	KTEST_EXPECT_EQ(t, SYS(clock_getres, CLOCK_MONOTONIC, a), 0);
	KTEST_EXPECT_EQ(t, uts_ns(a), 1);
	KTEST_EXPECT_EQ(t, SYS(clock_getres, CLOCK_REALTIME_COARSE, a), 0);
	KTEST_EXPECT_EQ(t, uts_ns(a), TICK_NSEC);
	KTEST_EXPECT_EQ(t, SYS(clock_getres, CLOCK_THREAD_CPUTIME_ID, a), 0);
	KTEST_EXPECT_EQ(t, uts_ns(a), 1);
	KTEST_EXPECT_EQ(t, SYS(clock_getres, CLOCK_REALTIME, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(clock_getres, 12, a), -EINVAL);
	fake_process_leave(&fp);
	leave_mm(mm);
}

/* A kernel thread sleeping until an absolute wall-clock time. */
struct wall_sleeper {
	u64 until;
	u64 woke_mono;
	struct completion done;
};

static int wall_sleeper_fn(void *arg)
{
	struct wall_sleeper *w = arg;
	struct hrtimer_sleeper sl;

	hrtimer_sleeper_init(&sl, CLOCK_REALTIME, w->until);
	do {
		set_current_state(TASK_UNINTERRUPTIBLE);
		hrtimer_sleeper_start(&sl);
		if (!hrtimer_sleeper_expired(&sl))
			schedule();
		hrtimer_sleeper_cancel(&sl);
	} while (!hrtimer_sleeper_expired(&sl));
	__set_current_state(TASK_RUNNING);
	w->woke_mono = ktime_get_ns();
	complete(&w->done);
	return 0;
}

KTEST(time_settime_moves_wall_clock_sleepers)
{
	struct mm_struct *mm = enter_new_mm();
	struct wall_sleeper w;
	struct task_struct *k;
	u64 real, mono, t0;
	unsigned long a;
	uid_t euid = current->cred.euid;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, P, RW, 0);
	real = ktime_get_real_ns();

	/* Only the wall clock, only valid times, not below the monotonic clock. */
	set_uts_ns(a, real);
	KTEST_EXPECT_EQ(t, SYS(clock_settime, CLOCK_MONOTONIC, a), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(clock_settime, CLOCK_REALTIME, 0x10), -EFAULT);
	set_uts(a, 1, NSEC_PER_SEC);
	KTEST_EXPECT_EQ(t, SYS(clock_settime, CLOCK_REALTIME, a), -EINVAL);
	set_uts(a, 0, 0);
	KTEST_EXPECT_EQ(t, SYS(clock_settime, CLOCK_REALTIME, a), -EINVAL);
	set_uts(a, INT64_MAX / 2, 0);
	KTEST_EXPECT_EQ(t, SYS(clock_settime, CLOCK_REALTIME, a), -EINVAL);
	current->cred.euid = 1000;
	set_uts_ns(a, real);
	KTEST_EXPECT_EQ(t, SYS(clock_settime, CLOCK_REALTIME, a), -EPERM);
	KTEST_EXPECT_EQ(t, SYS(settimeofday, 0, 0), -EPERM);
	current->cred.euid = euid;

	/* A sleeper until now + 1 h wakes when the clock is set 1 h forward. */
	init_completion(&w.done);
	w.until = real + 3600 * NSEC_PER_SEC;
	k = kthread_run(wall_sleeper_fn, &w, "ktest_wall");
	KTEST_EXPECT(t, !IS_ERR(k));
	msleep(50);
	KTEST_EXPECT(t, !completion_done(&w.done));
	mono = ktime_get_ns();
	real = ktime_get_real_ns();
	set_uts_ns(a, real + 3600 * NSEC_PER_SEC);
	t0 = ktime_get_ns();
	KTEST_EXPECT_EQ(t, SYS(clock_settime, CLOCK_REALTIME, a), 0);
	wait_for_completion(&w.done);
	KTEST_EXPECT(t, w.woke_mono >= t0);
	KTEST_EXPECT(t, ktime_get_real_ns() >= real + 3600 * NSEC_PER_SEC);
	/* Back to the right time, less what passed meanwhile (a little is lost). */
	set_uts_ns(a, real + (ktime_get_ns() - mono));
	KTEST_EXPECT_EQ(t, SYS(clock_settime, CLOCK_REALTIME, a), 0);
	KTEST_EXPECT(t, ktime_get_real_ns() - real < 3600 * NSEC_PER_SEC);
	leave_mm(mm);
}

KTEST(time_nanosleep)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long a;
	u64 t0, until;
	unsigned long nvcsw;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, P, RW, 0);
	set_uts(a, 0, 20 * NSEC_PER_MSEC);
	set_uts(a + 16, 99, 99);
	t0 = ktime_get_ns();
	KTEST_EXPECT_EQ(t, SYS(nanosleep, a, a + 16), 0);
	KTEST_EXPECT(t, ktime_get_ns() - t0 >= 20 * NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, uts_ns(a + 16), 99 * NSEC_PER_SEC + 99);	/* untouched */
	set_uts(a, 0, NSEC_PER_SEC);
	KTEST_EXPECT_EQ(t, SYS(nanosleep, a, 0), -EINVAL);
	set_uts(a, -1, 0);
	KTEST_EXPECT_EQ(t, SYS(nanosleep, a, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(nanosleep, 0x10, 0), -EFAULT);

	/* Absolute, on the monotonic and the wall clock; in the past: at once. */
	until = ktime_get_ns() + 20 * NSEC_PER_MSEC;
	set_uts_ns(a, until);
	KTEST_EXPECT_EQ(t, SYS(clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, a, 0), 0);
	KTEST_EXPECT(t, ktime_get_ns() >= until);
	until = ktime_get_real_ns() + 20 * NSEC_PER_MSEC;
	set_uts_ns(a, until);
	KTEST_EXPECT_EQ(t, SYS(clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, a, 0), 0);
	KTEST_EXPECT(t, ktime_get_real_ns() >= until);
	set_uts(a, 1, 0);
	nvcsw = current->nvcsw;
	KTEST_EXPECT_EQ(t, SYS(clock_nanosleep, CLOCK_BOOTTIME, TIMER_ABSTIME, a, 0), 0);
	/* Without sleeping: the clock would also count a stall of this vCPU by the host. */
	KTEST_EXPECT_EQ(t, current->nvcsw, nvcsw);
	set_uts(a, 0, 1000);
	KTEST_EXPECT_EQ(t, SYS(clock_nanosleep, CLOCK_TAI, 0, a, 0), 0);

	/* Clocks without timers, CPU clocks, unknown clocks; the checks' order. */
	KTEST_EXPECT_EQ(t, SYS(clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, a, 0), -EOPNOTSUPP);
	KTEST_EXPECT_EQ(t, SYS(clock_nanosleep, CLOCK_REALTIME_COARSE, 0, 0x10, 0), -EOPNOTSUPP);
	KTEST_EXPECT_EQ(t, SYS(clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, a, 0), -EOPNOTSUPP);
	/* The caller's thread clock by its TID: checked after the request, -EINVAL. */
	KTEST_EXPECT_EQ(t, SYS(clock_nanosleep, (u64)(int)((~(u32)current->pid << 3) | 6), 0, a,
			       0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(clock_nanosleep, (u64)(int)((~(u32)current->pid << 3) | 6), 0,
			       0x10, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, SYS(clock_nanosleep, 12, 0, a, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(clock_nanosleep, CLOCK_MONOTONIC, 0, 0x10, 0), -EFAULT);
	set_uts(a, 0, -5);
	KTEST_EXPECT_EQ(t, SYS(clock_nanosleep, CLOCK_MONOTONIC, 0, a, 0), -EINVAL);
	leave_mm(mm);
}

KTEST(time_of_day)
{
	struct mm_struct *mm = enter_new_mm();
	struct __kernel_old_timeval tv;
	struct timezone tz;
	unsigned long a;
	u64 before, after;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, P, RW, 0);
	before = ktime_get_real_ns() / NSEC_PER_USEC;
	KTEST_EXPECT_EQ(t, SYS(gettimeofday, a, a + 64), 0);
	after = ktime_get_real_ns() / NSEC_PER_USEC;
	copy_from_user(&tv, uptr(a), sizeof(tv));
	KTEST_EXPECT(t, tv.tv_usec >= 0 && tv.tv_usec < (long)USEC_PER_SEC);
	KTEST_EXPECT(t, (u64)tv.tv_sec * USEC_PER_SEC + tv.tv_usec >= before &&
			(u64)tv.tv_sec * USEC_PER_SEC + tv.tv_usec <= after);
	KTEST_EXPECT_EQ(t, SYS(gettimeofday, 0, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(gettimeofday, 0x10, 0), -EFAULT);

	/* The zone is kept as given, within +-15 h; the time's microseconds checked. */
	tz = (struct timezone){ 16 * 60, 0 };
	copy_to_user(uptr(a + 64), &tz, sizeof(tz));
	KTEST_EXPECT_EQ(t, SYS(settimeofday, 0, a + 64), -EINVAL);
	tz = (struct timezone){ -60, 1 };
	copy_to_user(uptr(a + 64), &tz, sizeof(tz));
	KTEST_EXPECT_EQ(t, SYS(settimeofday, 0, a + 64), 0);
	memset(&tz, 0, sizeof(tz));
	copy_to_user(uptr(a + 64), &tz, sizeof(tz));
	KTEST_EXPECT_EQ(t, SYS(gettimeofday, 0, a + 64), 0);
	copy_from_user(&tz, uptr(a + 64), sizeof(tz));
	KTEST_EXPECT(t, tz.tz_minuteswest == -60 && tz.tz_dsttime == 1);
	tz = (struct timezone){ 0, 0 };
	copy_to_user(uptr(a + 64), &tz, sizeof(tz));
	KTEST_EXPECT_EQ(t, SYS(settimeofday, 0, a + 64), 0);
	tv = (struct __kernel_old_timeval){ 2000000000, USEC_PER_SEC + 1 };
	copy_to_user(uptr(a), &tv, sizeof(tv));
	KTEST_EXPECT_EQ(t, SYS(settimeofday, a, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(settimeofday, 0x10, 0), -EFAULT);
	leave_mm(mm);
}

static struct __kernel_old_itimerval get_itv(unsigned long a)
{
	struct __kernel_old_itimerval v;

	copy_from_user(&v, uptr(a), sizeof(v));
	return v;
}

static void set_itv(unsigned long a, long isec, long iusec, long vsec, long vusec)
{
	struct __kernel_old_itimerval v = { { isec, iusec }, { vsec, vusec } };

	copy_to_user(uptr(a), &v, sizeof(v));
}

KTEST(time_interval_timers)
{
	struct mm_struct *mm = enter_new_mm();
	struct __kernel_old_itimerval v;
	struct fake_process fp;
	unsigned long a;
	u64 first;

	if (!mm)
		return ktest_skip(t, "no memory");
	if (!fake_process_enter(&fp)) {
		leave_mm(mm);
		return ktest_skip(t, "no memory");
	}
	a = umap(0, P, RW, 0);
	KTEST_EXPECT_EQ(t, SYS(getitimer, ITIMER_REAL, a), 0);
	v = get_itv(a);
	KTEST_EXPECT(t, !v.it_value.tv_sec && !v.it_value.tv_usec && !v.it_interval.tv_usec);
	KTEST_EXPECT_EQ(t, SYS(getitimer, 3, a), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(getitimer, ITIMER_REAL, 0x10), -EFAULT);

	/* One-shot 10 s: it counts down; the old setting comes back on the next set. */
	set_itv(a, 0, 0, 10, 0);
	KTEST_EXPECT_EQ(t, SYS(setitimer, ITIMER_REAL, a, 0), 0);
	msleep(20);
	KTEST_EXPECT_EQ(t, SYS(getitimer, ITIMER_REAL, a + 64), 0);
	v = get_itv(a + 64);
	first = v.it_value.tv_sec * USEC_PER_SEC + v.it_value.tv_usec;
	KTEST_EXPECT(t, first < 10 * USEC_PER_SEC - 15000 && first > 5 * USEC_PER_SEC);
	/* Periodic 20 ms: it keeps firing and re-arming on its own. */
	set_itv(a, 0, 20000, 0, 20000);
	KTEST_EXPECT_EQ(t, SYS(setitimer, ITIMER_REAL, a, a + 64), 0);
	v = get_itv(a + 64);
	KTEST_EXPECT(t, v.it_value.tv_sec >= 5 && v.it_value.tv_sec < 10);
	KTEST_EXPECT(t, v.it_interval.tv_sec == 0 && v.it_interval.tv_usec == 0);
	msleep(100);
	KTEST_EXPECT_EQ(t, SYS(getitimer, ITIMER_REAL, a + 64), 0);
	v = get_itv(a + 64);
	KTEST_EXPECT(t, v.it_value.tv_sec == 0 && v.it_value.tv_usec > 0 &&
			v.it_value.tv_usec <= 20000);
	KTEST_EXPECT_EQ(t, v.it_interval.tv_usec, 20000);
	/* A zero value disarms it and forgets the interval; so does a NULL one. */
	set_itv(a, 0, 20000, 0, 0);
	KTEST_EXPECT_EQ(t, SYS(setitimer, ITIMER_REAL, a, 0), 0);
	SYS(getitimer, ITIMER_REAL, a + 64);
	v = get_itv(a + 64);
	KTEST_EXPECT(t, !v.it_value.tv_usec && !v.it_value.tv_sec && !v.it_interval.tv_usec);
	KTEST_EXPECT_EQ(t, SYS(setitimer, ITIMER_REAL, 0, 0), 0);

	/* Bad values and pointers. */
	set_itv(a, 0, 0, 1, USEC_PER_SEC);
	KTEST_EXPECT_EQ(t, SYS(setitimer, ITIMER_REAL, a, 0), -EINVAL);
	set_itv(a, 0, -1, 1, 0);
	KTEST_EXPECT_EQ(t, SYS(setitimer, ITIMER_REAL, a, 0), -EINVAL);
	set_itv(a, 0, 0, 1, 0);
	KTEST_EXPECT_EQ(t, SYS(setitimer, 7, a, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(setitimer, ITIMER_REAL, 0x10, 0), -EFAULT);
	/*
	 * The CPU-time timers run on the group's CPU time, here that of its dead threads,
	 * which the test moves on by hand. Armed a tick late, as Linux does.
	 */
	set_itv(a, 1, 0, 2, 0);
	KTEST_EXPECT_EQ(t, SYS(setitimer, ITIMER_PROF, a, 0), 0);
	SYS(getitimer, ITIMER_PROF, a + 64);
	v = get_itv(a + 64);
	KTEST_EXPECT(t, v.it_value.tv_sec == 2 && v.it_value.tv_usec == (long)(TICK_NSEC / 1000));
	KTEST_EXPECT(t, v.it_interval.tv_sec == 1 && !v.it_interval.tv_usec);
	SYS(getitimer, ITIMER_VIRTUAL, a + 64);
	v = get_itv(a + 64);
	KTEST_EXPECT(t, !v.it_value.tv_sec && !v.it_interval.tv_sec);
	set_itv(a, 0, 0, 0, 500000);
	KTEST_EXPECT_EQ(t, SYS(setitimer, ITIMER_VIRTUAL, a, 0), 0);
	/* 1.5 s of CPU: VIRTUAL (one-shot) fires and stops; PROF not yet. */
	fp.sig->sum_sched_runtime = 1500 * NSEC_PER_MSEC;
	local_irq_disable();
	run_posix_cpu_timers();
	local_irq_enable();
	SYS(getitimer, ITIMER_VIRTUAL, a + 64);
	v = get_itv(a + 64);
	KTEST_EXPECT(t, !v.it_value.tv_sec && !v.it_value.tv_usec);
	SYS(getitimer, ITIMER_PROF, a + 64);
	v = get_itv(a + 64);
	KTEST_EXPECT(t, !v.it_value.tv_sec && v.it_value.tv_usec == 500000 + (long)(TICK_NSEC / 1000));
	/* 3 s: PROF fires and re-arms a period after its expiry (2.004 s + 1 s). */
	fp.sig->sum_sched_runtime = 3 * NSEC_PER_SEC;
	local_irq_disable();
	run_posix_cpu_timers();
	local_irq_enable();
	SYS(getitimer, ITIMER_PROF, a + 64);
	v = get_itv(a + 64);
	KTEST_EXPECT(t, !v.it_value.tv_sec && v.it_value.tv_usec == (long)(TICK_NSEC / 1000));
	/* Disarmed, its interval stays (unlike ITIMER_REAL's). */
	set_itv(a, 1, 0, 0, 0);
	KTEST_EXPECT_EQ(t, SYS(setitimer, ITIMER_PROF, a, a + 64), 0);
	v = get_itv(a + 64);
	KTEST_EXPECT(t, v.it_value.tv_usec == (long)(TICK_NSEC / 1000) && v.it_interval.tv_sec == 1);
	SYS(getitimer, ITIMER_PROF, a + 64);
	v = get_itv(a + 64);
	KTEST_EXPECT(t, !v.it_value.tv_sec && !v.it_value.tv_usec && v.it_interval.tv_sec == 1);
	fake_process_leave(&fp);
	leave_mm(mm);
}

KTEST(time_times_and_process_clock)
{
	struct mm_struct *mm = enter_new_mm();
	struct fake_process fp;
	struct task_cputime ct;
	struct rusage ru;
	struct tms tms;
	unsigned long a;
	bool sampled;
	long ticks;

	if (!mm)
		return ktest_skip(t, "no memory");
	if (!fake_process_enter(&fp)) {
		leave_mm(mm);
		return ktest_skip(t, "no memory");
	}
	a = umap(0, P, RW, 0);
	/* Dead threads' time: 3 s run, sampled 1:2 user:system; children 1.5 s. */
	fp.sig->sum_sched_runtime = 3 * NSEC_PER_SEC;
	fp.sig->utime = 100;
	fp.sig->stime = 200;
	fp.sig->cutime = NSEC_PER_SEC;
	fp.sig->cstime = NSEC_PER_SEC / 2;
	ticks = SYS(times, a);
	KTEST_EXPECT(t, ticks >= 0 && (u64)ticks <= ktime_get_ns() / (NSEC_PER_SEC / USER_HZ));
	copy_from_user(&tms, uptr(a), sizeof(tms));
	KTEST_EXPECT_EQ(t, tms.tms_utime, 100);
	KTEST_EXPECT_EQ(t, tms.tms_stime, 200);
	KTEST_EXPECT_EQ(t, tms.tms_cutime, 100);
	KTEST_EXPECT_EQ(t, tms.tms_cstime, 50);
	KTEST_EXPECT(t, SYS(times, 0) >= ticks);
	KTEST_EXPECT_EQ(t, SYS(times, 0x10), -EFAULT);

	KTEST_EXPECT_EQ(t, SYS(clock_gettime, CLOCK_PROCESS_CPUTIME_ID, a), 0);
	KTEST_EXPECT_EQ(t, uts_ns(a), 3 * NSEC_PER_SEC);
	/* PROF is user + system, VIRT user alone (the pid-0 process clocks). */
	KTEST_EXPECT_EQ(t, SYS(clock_gettime, (u64)(int)((~0u << 3) | CPUCLOCK_PROF), a), 0);
	KTEST_EXPECT_EQ(t, uts_ns(a), 3 * NSEC_PER_SEC);
	KTEST_EXPECT_EQ(t, SYS(clock_gettime, (u64)(int)((~0u << 3) | CPUCLOCK_VIRT), a), 0);
	KTEST_EXPECT_EQ(t, uts_ns(a), NSEC_PER_SEC);
	KTEST_EXPECT_EQ(t, SYS(clock_getres, (u64)(int)((~0u << 3) | CPUCLOCK_VIRT), a), 0);
	KTEST_EXPECT_EQ(t, uts_ns(a), TICK_NSEC);

	/* getrusage: the same times as timevals; the thread's own; bad arguments. */
	KTEST_EXPECT_EQ(t, SYS(getrusage, RUSAGE_SELF, a), 0);
	copy_from_user(&ru, uptr(a), sizeof(ru));
	KTEST_EXPECT(t, ru.ru_utime.tv_sec == 1 && !ru.ru_utime.tv_usec &&
			ru.ru_stime.tv_sec == 2 && !ru.ru_stime.tv_usec);
	KTEST_EXPECT_EQ(t, SYS(getrusage, RUSAGE_CHILDREN, a), 0);
	copy_from_user(&ru, uptr(a), sizeof(ru));
	KTEST_EXPECT(t, ru.ru_utime.tv_sec == 1 && !ru.ru_stime.tv_sec &&
			ru.ru_stime.tv_usec == 500000);
	/* The thread's own: it runs only kernel code, so its ticks sample system time. */
	mdelay(2 * TICK_NSEC / NSEC_PER_MSEC);
	sampled = READ_ONCE(current->stime) != 0;
	KTEST_EXPECT_EQ(t, SYS(getrusage, RUSAGE_THREAD, a), 0);
	copy_from_user(&ru, uptr(a), sizeof(ru));
	KTEST_EXPECT(t, (!ru.ru_utime.tv_sec && !ru.ru_utime.tv_usec) ||
			(!sampled && !ru.ru_stime.tv_sec && !ru.ru_stime.tv_usec));
	KTEST_EXPECT(t, ru.ru_utime.tv_sec + ru.ru_stime.tv_sec < 1000);
	KTEST_EXPECT_EQ(t, SYS(getrusage, 42, a), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(getrusage, RUSAGE_SELF, 0x10), -EFAULT);

	/* A thread's own times: all of its runtime, split as sampled (as user time until
	 * a sample exists). */
	task_cputime_adjusted(current, &ct);
	KTEST_EXPECT(t, ct.sum_exec_runtime > 0 &&
			ct.utime + ct.stime == ct.sum_exec_runtime && (!ct.utime || !sampled));
	fake_process_leave(&fp);
	leave_mm(mm);
}
