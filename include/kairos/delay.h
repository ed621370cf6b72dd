/* SPDX-License-Identifier: MIT */
/*
 * Waiting for time to pass: sleeping (the task gives up its CPU until an hrtimer wakes
 * it) and busy-waiting on the counter (for short waits, or where sleeping is not allowed).
 */
#ifndef KAIROS_DELAY_H
#define KAIROS_DELAY_H

#include <kairos/compiler.h>
#include <kairos/time.h>
#include <kairos/types.h>

/* A schedule_timeout() that is just schedule(). */
#define MAX_SCHEDULE_TIMEOUT	__LONG_MAX__

/* Conversions to jiffies round up: a timeout never ends before the time asked for. */
static inline unsigned long msecs_to_jiffies(unsigned int msecs)
{
	return DIV_ROUND_UP((u64)msecs * NSEC_PER_MSEC, TICK_NSEC);
}

static inline unsigned long usecs_to_jiffies(unsigned int usecs)
{
	return DIV_ROUND_UP((u64)usecs * NSEC_PER_USEC, TICK_NSEC);
}

static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return (u64)j * TICK_NSEC / NSEC_PER_MSEC;
}

/*
 * Sleep until woken or timeout jiffies have passed, in the state the caller set (which
 * ends as TASK_RUNNING). Returns 0 if the time ran out, else the jiffies left.
 */
long schedule_timeout(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_killable(long timeout);
long schedule_timeout_uninterruptible(long timeout);
/*
 * Sleep in state until ktime_get_ns() reaches expires_ns or the task is woken. Returns 0
 * if the time came, -EINTR if woken before it (by a signal, or any wake-up).
 */
int schedule_hrtimeout(u64 expires_ns, unsigned int state);

/* Sleep at least this long. */
void msleep(unsigned int msecs);
/* As msleep, ended early by a signal: returns the ms left (0 if the time ran out). */
unsigned long msleep_interruptible(unsigned int msecs);
/* Sleep at least min_us; max_us is the slack Linux coalesces wake-ups in (unused here). */
void usleep_range(unsigned long min_us, unsigned long max_us);

/* Busy-wait at least this long on the counter; no wait before time_init(). */
void ndelay(unsigned long nsecs);
void udelay(unsigned long usecs);
void mdelay(unsigned long msecs);

#endif
