/* SPDX-License-Identifier: MIT */
/*
 * High-resolution timers: a callback at an absolute time on the monotonic clock
 * (ktime_get_ns), run in interrupt context on the CPU that armed the timer. The
 * periodic tick is one of them. The scheduler uses them for deadline replenishment
 * and sleeps; schedsim implements this interface in virtual time.
 */
#ifndef KAIROS_HRTIMER_H
#define KAIROS_HRTIMER_H

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

#endif
