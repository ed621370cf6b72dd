/* SPDX-License-Identifier: MIT */
#ifndef KAIROS_TIME_H
#define KAIROS_TIME_H

#include <kairos/config.h>
#include <kairos/types.h>

#define NSEC_PER_USEC	1000UL
#define NSEC_PER_MSEC	1000000UL
#define NSEC_PER_SEC	1000000000UL
#define TICK_NSEC	(NSEC_PER_SEC / HZ)

/* Ticks since boot, advanced by the timekeeping CPU. */
extern volatile u64 jiffies_64;
#define jiffies ((unsigned long)jiffies_64)

/* Monotonic nanoseconds since boot, from the generic counter; 0 before time_init(). */
u64 ktime_get_ns(void);
/* The scheduler's clock: ns, monotonic per CPU (here the same as ktime_get_ns). */
u64 sched_clock(void);
/* The raw counter and its frequency, for benchmarks that report counter ticks. */
u64 arch_counter_get_cntvct(void);
extern u32 arch_timer_rate;

void time_init(void);			/* boot CPU: find the timer, start its tick */
void arch_timer_starting_cpu(void);	/* each secondary CPU: start its tick */
/* Called on every CPU at every tick, with IRQs off. */
void update_process_times(void);
/* Ticks taken by each CPU (the boot banner and tests check that every CPU ticks). */
unsigned long cpu_tick_count(unsigned int cpu);

#endif
