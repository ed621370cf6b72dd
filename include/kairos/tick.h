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
/* tick-sched.c: start this CPU's scheduler tick, once the clock and its interrupt are on. */
void tick_setup_sched_timer(void);

/*
 * Tickless idle (tick-sched.c). False with "nohz=off": every CPU ticks, idle or not.
 * The idle loop stops the tick with IRQs off just before it waits for an interrupt and
 * restarts it when it leaves for a task; irq_enter calls tick_irq_enter when the
 * interrupt came to the idle task.
 */
extern bool tick_nohz_enabled;
#define TICK_DO_TIMER_NONE	-1
extern int tick_do_timer_cpu;		/* the CPU that keeps jiffies, or none */
void tick_nohz_idle_stop_tick(void);
void tick_nohz_idle_exit(void);
void tick_irq_enter(void);
bool tick_nohz_tick_stopped_cpu(unsigned int cpu);

#endif
