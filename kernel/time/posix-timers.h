/* SPDX-License-Identifier: MIT */
/* Shared between the clock system calls in kernel/time/. */
#ifndef KERNEL_TIME_POSIX_TIMERS_H
#define KERNEL_TIME_POSIX_TIMERS_H

#include <kairos/time.h>

/* settimeofday's core, also clock_settime(CLOCK_REALTIME)'s. */
int do_sys_settimeofday64(const struct timespec64 *tv, const struct timezone *tz);

/* CPU-time clocks: CLOCK_{PROCESS,THREAD}_CPUTIME_ID and the negative IDs. */
static inline bool is_cpu_clock(clockid_t which)
{
	return which < 0 || which == CLOCK_PROCESS_CPUTIME_ID ||
	       which == CLOCK_THREAD_CPUTIME_ID;
}

int posix_cpu_clock_get(clockid_t which, struct timespec64 *ts);
int posix_cpu_clock_getres(clockid_t which, struct timespec64 *ts);
/* clock_nanosleep on a CPU-time clock: not supported, but with Linux's errors. */
int posix_cpu_nsleep(clockid_t which);

#endif
