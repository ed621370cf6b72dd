/* SPDX-License-Identifier: MIT */
/*
 * CPU stoppers (the first seed): a per-CPU thread in the stop class, migration/N, runs
 * queued work at once, preempting whatever runs on that CPU, whatever its class.
 */
#ifndef KAIROS_STOP_MACHINE_H
#define KAIROS_STOP_MACHINE_H

#include <kairos/cpumask.h>
#include <kairos/list.h>
#include <kairos/types.h>

typedef int (*cpu_stop_fn_t)(void *arg);

struct cpu_stop_done;

struct cpu_stop_work {
	struct list_head list;
	cpu_stop_fn_t fn;
	void *arg;
	struct cpu_stop_done *done;
	unsigned long caller;		/* who queued it, for debugging */
};

/* Run fn(arg) on cpu's stopper and wait for it; its return value, or -ENOENT if the
 * stopper is not running. */
int stop_one_cpu(unsigned int cpu, cpu_stop_fn_t fn, void *arg);
/* Queue without waiting; work_buf must stay valid until fn has run. */
bool stop_one_cpu_nowait(unsigned int cpu, cpu_stop_fn_t fn, void *arg,
			 struct cpu_stop_work *work_buf);
/* fn runs on cpu1 while cpu2's stopper spins beside it, both with IRQs off. */
int stop_two_cpus(unsigned int cpu1, unsigned int cpu2, cpu_stop_fn_t fn, void *arg);
/* fn runs on every CPU of cpumask (each on its stopper); waits for all. */
int stop_cpus(const struct cpumask *cpumask, cpu_stop_fn_t fn, void *arg);
/* The same, or -EAGAIN at once if another stop_cpus/stop_machine is in progress. */
int try_stop_cpus(const struct cpumask *cpumask, cpu_stop_fn_t fn, void *arg);
/*
 * Every online CPU stops, disables IRQs and spins in lock-step; fn(data) runs on the CPUs
 * in cpus (the first online CPU if NULL) while the others spin. Returns fn's result.
 */
int stop_machine(cpu_stop_fn_t fn, void *data, const struct cpumask *cpus);

void cpu_stop_init(void);

#endif
