/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU kernel threads (migration/N, ksoftirqd/N, ...): one thread per online CPU, bound
 * to it, running smpboot_thread_fn, which calls the descriptor's hooks at the right moments.
 */
#ifndef KAIROS_SMPBOOT_H
#define KAIROS_SMPBOOT_H

#include <kairos/list.h>
#include <kairos/types.h>

struct task_struct;

struct smp_hotplug_thread {
	/* A per-CPU variable: DEFINE_PER_CPU(struct task_struct *, x); .store = &x. */
	struct task_struct **store;
	struct list_head list;
	/* Asked with preemption off; true runs thread_fn, false sleeps until woken. */
	int (*thread_should_run)(unsigned int cpu);
	void (*thread_fn)(unsigned int cpu);
	/* After the thread exists and sleeps parked, before it ever runs. */
	void (*create)(unsigned int cpu);
	/* In the thread, before its first thread_fn. */
	void (*setup)(unsigned int cpu);
	/* In the thread, when it is stopped (only if setup ran). */
	void (*cleanup)(unsigned int cpu, bool online);
	/* In the thread, when it parks / resumes after a park. */
	void (*park)(unsigned int cpu);
	void (*unpark)(unsigned int cpu);
	/* The thread unparks itself: registration leaves it parked. */
	bool selfparking;
	const char *thread_comm;	/* a format for the CPU number, e.g. "ksoftirqd/%u" */
};

int smpboot_register_percpu_thread(struct smp_hotplug_thread *plug_thread);
void smpboot_unregister_percpu_thread(struct smp_hotplug_thread *plug_thread);

#endif
