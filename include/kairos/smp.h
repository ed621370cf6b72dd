/* SPDX-License-Identifier: MIT */
#ifndef KAIROS_SMP_H
#define KAIROS_SMP_H

#include <kairos/cpumask.h>
#include <kairos/percpu.h>

DECLARE_PER_CPU(unsigned int, cpu_number);

/* This CPU's number. Stable only while preemption or IRQs are off. */
static inline unsigned int smp_processor_id(void)
{
	return this_cpu_read(cpu_number);
}

extern unsigned int nr_cpu_ids;		/* CPUs described by firmware, at most NR_CPUS */
extern struct cpumask cpu_possible_mask;
extern struct cpumask cpu_online_mask;

#define for_each_possible_cpu(cpu)	for_each_cpu(cpu, &cpu_possible_mask)
#define for_each_online_cpu(cpu)	for_each_cpu(cpu, &cpu_online_mask)
#define cpu_online(cpu)			cpumask_test_cpu(cpu, &cpu_online_mask)
#define num_online_cpus()		cpumask_weight(&cpu_online_mask)

typedef void (*smp_call_func_t)(void *info);
/* Run func(info) on cpu (or on every online CPU in mask but this one), with IRQs off
 * there; with wait, return only once it has run everywhere. Must not be called with
 * IRQs off (two CPUs waiting on each other would deadlock). */
int smp_call_function_single(int cpu, smp_call_func_t func, void *info, bool wait);
void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info,
			    bool wait);
/* Ask cpu to run the scheduler: sets nothing, just interrupts it. */
void smp_send_reschedule(int cpu);
void smp_send_stop(void);

#endif
