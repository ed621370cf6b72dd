/* SPDX-License-Identifier: MIT */
/*
 * High-resolution timers: a callback at an absolute time on the monotonic clock
 * (ktime_get_ns), run in interrupt context on the CPU that armed the timer. The
 * periodic tick is one of them. The scheduler uses them for deadline replenishment
 * and sleeps; schedsim implements this interface in virtual time.
 */
#ifndef KAIROS_HRTIMER_H
#define KAIROS_HRTIMER_H

#include <kairos/list.h>
#include <kairos/rbtree.h>
#include <kairos/types.h>

struct hrtimer;

enum hrtimer_restart {
	HRTIMER_NORESTART,
	HRTIMER_RESTART,	/* the callback moved ->expires: run again then */
};

struct hrtimer {
	struct rb_node node;
	u64 expires;		/* absolute ns */
	enum hrtimer_restart (*function)(struct hrtimer *timer);
	struct hrtimer_cpu_base *base;	/* where it is queued or running, NULL if idle */
	bool running;		/* the callback is executing now */
};

void hrtimer_init(struct hrtimer *timer, enum hrtimer_restart (*fn)(struct hrtimer *));
/* Queue (or requeue) on this CPU to fire at expires; while its callback runs, on the CPU
 * running it. */
void hrtimer_start(struct hrtimer *timer, u64 expires);
/* Dequeue; if the callback is running on another CPU, wait for it. Returns whether the
 * timer was queued. Must not be called from the timer's own callback. */
bool hrtimer_cancel(struct hrtimer *timer);
/* Dequeue without waiting; false if it was not queued (maybe running). */
bool hrtimer_try_to_cancel(struct hrtimer *timer);
bool hrtimer_active(const struct hrtimer *timer);
static inline void hrtimer_forward_to(struct hrtimer *timer, u64 expires)
{
	timer->expires = expires;
}

void hrtimers_init(void);

struct task_struct;

/*
 * A task sleeping until an absolute time on a clock (kernel/time/timekeeping.c). The
 * monotonic clocks (CLOCK_MONOTONIC, CLOCK_BOOTTIME) are the timer's own; a wall-clock
 * one (CLOCK_REALTIME, CLOCK_TAI) is converted, and re-armed when the wall clock is set,
 * as Linux's absolute realtime timers are.
 */
struct hrtimer_sleeper {
	struct hrtimer timer;
	struct task_struct *task;	/* woken when it fires, then cleared */
	int clockid;
	u64 expires;			/* absolute, ns on clockid */
	struct list_head clock_node;	/* on the wall-clock list while armed */
};

void hrtimer_sleeper_init(struct hrtimer_sleeper *sl, int clockid, u64 expires);
/* Arm it for current (again, after a wake-up that did not end the sleep). */
void hrtimer_sleeper_start(struct hrtimer_sleeper *sl);
/* Disarm; waits for a running callback. Must precede leaving its stack frame. */
void hrtimer_sleeper_cancel(struct hrtimer_sleeper *sl);
/* Whether it fired. */
static inline bool hrtimer_sleeper_expired(const struct hrtimer_sleeper *sl)
{
	return !__atomic_load_n(&sl->task, __ATOMIC_ACQUIRE);
}

#endif
