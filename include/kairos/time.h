/* SPDX-License-Identifier: MIT */
#ifndef KAIROS_TIME_H
#define KAIROS_TIME_H

#include <kairos/compiler.h>
#include <kairos/config.h>
#include <kairos/types.h>
#include <uapi/time.h>

#define NSEC_PER_USEC	1000UL
#define NSEC_PER_MSEC	1000000UL
#define NSEC_PER_SEC	1000000000UL
#define TICK_NSEC	(NSEC_PER_SEC / HZ)
#define USEC_PER_SEC	1000000UL

/* ns values (a ktime in Linux) saturate here, about 292 years. */
#define KTIME_MAX	((u64)INT64_MAX)
#define KTIME_SEC_MAX	(KTIME_MAX / NSEC_PER_SEC)

struct timespec64 {
	s64 tv_sec;
	long tv_nsec;
};

static inline bool timespec64_valid(const struct timespec64 *ts)
{
	return ts->tv_sec >= 0 && (unsigned long)ts->tv_nsec < NSEC_PER_SEC;
}

/* A valid timespec64 in ns, saturated at KTIME_MAX. */
static inline u64 timespec64_to_ns(const struct timespec64 *ts)
{
	if ((u64)ts->tv_sec >= KTIME_SEC_MAX)
		return KTIME_MAX;
	return (u64)ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

static inline struct timespec64 ns_to_timespec64(u64 ns)
{
	return (struct timespec64){ ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };
}

/* a + b, saturated at KTIME_MAX. */
static inline u64 ktime_add_safe(u64 a, u64 b)
{
	return a > KTIME_MAX - min(b, KTIME_MAX) ? KTIME_MAX : a + b;
}

/* struct __kernel_timespec from and to user space: 0 or -EFAULT. */
int get_timespec64(struct timespec64 *ts, const struct __kernel_timespec __user *uts);
int put_timespec64(const struct timespec64 *ts, struct __kernel_timespec __user *uts);

/* ns in the USER_HZ ticks that times(2) and /proc count in. */
static inline u64 nsec_to_clock_t(u64 ns)
{
	return ns / (NSEC_PER_SEC / USER_HZ);
}

/* Ticks since boot, advanced by the timekeeping CPU. */
extern volatile u64 jiffies_64;
#define jiffies ((unsigned long)jiffies_64)
/* Comparisons of jiffies that stay right across a wrap. */
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)

/* Monotonic nanoseconds since boot, from the generic counter; 0 before time_init(). */
u64 ktime_get_ns(void);
/*
 * The wall clock (kernel/time/timekeeping.c): CLOCK_REALTIME in ns since the epoch, kept
 * as an offset over the monotonic clock, read from the RTC at boot and moved by
 * clock_settime. 0 before timekeeping_init().
 */
u64 ktime_get_real_ns(void);
/* Tick-granular (CLOCK_*_COARSE): the time of the last tick period boundary. */
u64 ktime_get_coarse_ns(void);
u64 ktime_get_coarse_real_ns(void);
/* Set CLOCK_REALTIME: 0, or -EINVAL if it would fall below the monotonic clock. */
int do_settimeofday64(const struct timespec64 *ts);
void timekeeping_init(void);

/*
 * Interval timers (kernel/time/itimer.c). A new signal_struct (fork without
 * CLONE_THREAD, and init's) starts with itimers_init; the last thread of a group calls
 * exit_itimers in do_exit, with no locks held (it waits for a running SIGALRM).
 */
struct signal_struct;
void itimers_init(struct signal_struct *sig);
void exit_itimers(struct signal_struct *sig);
/* Every tick, IRQs off: fire current's group's ITIMER_PROF / ITIMER_VIRTUAL if due. */
void run_posix_cpu_timers(void);
/* From it: SIGXCPU / SIGKILL for RLIMIT_RTTIME and RLIMIT_CPU (posix-cpu-timers.c). */
struct task_struct;
void check_cpu_rlimits(struct task_struct *tsk);

/* The scheduler's clock: ns, monotonic per CPU (here the same as ktime_get_ns). */
u64 sched_clock(void);
/* The raw counter and its frequency, for benchmarks that report counter ticks. */
u64 arch_counter_get_cntvct(void);
extern u32 arch_timer_rate;

void time_init(void);			/* boot CPU: find the timer, start its tick */
void arch_timer_starting_cpu(void);	/* each secondary CPU: start its tick */
/* Called at every tick of every CPU that ticks, with IRQs off. */
void update_process_times(int user_tick);
/* Ticks taken by each CPU (the boot banner and the tests look at them). */
unsigned long cpu_tick_count(unsigned int cpu);

#endif
