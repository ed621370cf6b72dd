/* SPDX-License-Identifier: MIT */
/* Clocks, timers and time structures, as the Linux ABI (64-bit) defines them. */
#ifndef UAPI_TIME_H
#define UAPI_TIME_H

#include <kairos/types.h>

#ifndef __KAIROS_HOST__
typedef int clockid_t;
typedef long clock_t;
#endif

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7
#define CLOCK_REALTIME_ALARM		8
#define CLOCK_BOOTTIME_ALARM		9
#define CLOCK_SGI_CYCLE			10	/* gone from Linux: invalid */
#define CLOCK_TAI			11
#define MAX_CLOCKS			16

/*
 * Negative clock IDs name the CPU-time clock of another process or thread:
 * ~pid << 3 | perthread << 2 | which.
 */
#define CPUCLOCK_PROF			0	/* user + system time */
#define CPUCLOCK_VIRT			1	/* user time */
#define CPUCLOCK_SCHED			2	/* the scheduler's runtime */
#define CPUCLOCK_MAX			3
#define CPUCLOCK_PERTHREAD_MASK		4
#define CPUCLOCK_WHICH(clock)		((clock) & (clockid_t)3)
#define CPUCLOCK_PERTHREAD(clock)	(((clock) & (clockid_t)CPUCLOCK_PERTHREAD_MASK) != 0)
#define CPUCLOCK_PID(clock)		((pid_t)~((clock) >> 3))

#define TIMER_ABSTIME			0x01

struct __kernel_timespec {
	s64 tv_sec;
	long long tv_nsec;
};

struct __kernel_old_timeval {
	long tv_sec;
	long tv_usec;
};

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

#define ITIMER_REAL			0
#define ITIMER_VIRTUAL			1
#define ITIMER_PROF			2

struct __kernel_old_itimerval {
	struct __kernel_old_timeval it_interval;
	struct __kernel_old_timeval it_value;
};

/* times(2), in clock ticks of USER_HZ. */
#define USER_HZ				100

struct tms {
	clock_t tms_utime;
	clock_t tms_stime;
	clock_t tms_cutime;
	clock_t tms_cstime;
};

#endif
