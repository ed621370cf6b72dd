/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU timer hardware as the hrtimer code sees it (a one-shot "clock event" at an
 * absolute time on the ktime_get_ns clock), and the periodic tick built on an hrtimer.
 */
#ifndef KAIROS_TICK_H
#define KAIROS_TICK_H

#include <kairos/types.h>

/* No event: the hardware stays quiet until the next arch_timer_set_next_event(). */
#define CLOCK_EVENT_NONE	UINT64_MAX

/* Arch driver: raise this CPU's timer interrupt once ktime_get_ns() >= expires_ns. */
void arch_timer_set_next_event(u64 expires_ns);
/* hrtimer.c: the arch driver's interrupt handler, IRQs off. */
void hrtimer_interrupt(void);
/* timer.c: start this CPU's scheduler tick, once the clock and its interrupt are on. */
void tick_setup_sched_timer(void);

#endif
