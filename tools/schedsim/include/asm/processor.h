/* SPDX-License-Identifier: MIT */
/*
 * schedsim: a task's saved registers are a host execution context, kept at the top of
 * its kernel stack (tools/schedsim/machine.c).
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

struct sim_context;
struct sim_task;
struct task_struct;

struct thread_struct {
	struct sim_context *ctx;
	struct sim_task *st;	/* the workload's view of the task, NULL for kernel threads */
};

/* Counts spins: a simulated CPU cannot wait for another, so a long spin is a deadlock. */
void sim_cpu_relax(void);
#define cpu_relax()	sim_cpu_relax()

/* Set a new kernel thread up to start in ret_from_fork, calling fn(arg). The simulator
 * has kernel threads only: usp, clone_flags and tls are for user tasks. */
void copy_thread(struct task_struct *p, int (*fn)(void *), void *arg, unsigned long usp,
		 unsigned long clone_flags, unsigned long tls);
/* Wait for an interrupt: give the host back to the simulator's event loop. */
void arch_cpu_idle(void);

#endif
