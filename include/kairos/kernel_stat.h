/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU time, by what the CPU was doing at each tick, as /proc/stat's "cpu" lines
 * show it (in ns here; /proc converts to USER_HZ). The tick accounting in
 * kernel/sched/cputime.c fills it; readers take each counter with READ_ONCE.
 */
#ifndef KAIROS_KERNEL_STAT_H
#define KAIROS_KERNEL_STAT_H

#include <kairos/percpu.h>
#include <kairos/types.h>

/* /proc/stat's column order. */
enum cpu_usage_stat {
	CPUTIME_USER,
	CPUTIME_NICE,
	CPUTIME_SYSTEM,
	CPUTIME_SOFTIRQ,
	CPUTIME_IRQ,
	CPUTIME_IDLE,
	CPUTIME_IOWAIT,
	CPUTIME_STEAL,
	CPUTIME_GUEST,
	CPUTIME_GUEST_NICE,
	NR_STATS,
};

struct kernel_cpustat {
	u64 cpustat[NR_STATS];
};

DECLARE_PER_CPU(struct kernel_cpustat, kernel_cpustat);
#define kcpustat_cpu(cpu)	(&per_cpu(kernel_cpustat, (cpu)))

/* cpu's CPUTIME_IDLE including the ticks skipped so far if it idles tickless now
 * (kernel/time/tick-sched.c): what /proc/stat and /proc/uptime show. */
u64 get_idle_time(unsigned int cpu);

#endif
