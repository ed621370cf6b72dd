/* SPDX-License-Identifier: MIT */
/* Tasks. The scheduler-core issue grows this into the full task_struct of the seed. */
#ifndef KAIROS_SCHED_H
#define KAIROS_SCHED_H

#include <asm/current.h>
#include <asm/thread_info.h>
#include <kairos/compiler.h>
#include <kairos/config.h>
#include <kairos/types.h>

#define TASK_COMM_LEN	16

struct task_struct {
	struct thread_info thread_info;	/* first: current reaches it at offset 0 */
	void *stack;			/* THREAD_SIZE bytes, an unmapped guard page below */
	int pid;
	char comm[TASK_COMM_LEN];
};

extern struct task_struct init_task;
extern u8 init_stack[THREAD_SIZE];

void sched_init(void);
struct task_struct *fork_idle(unsigned int cpu);
void scheduler_tick(void);
void scheduler_ipi(void);
void __noreturn cpu_startup_entry(void);
void __noreturn rest_init(void);

static inline unsigned int task_cpu(const struct task_struct *p)
{
	return READ_ONCE(p->thread_info.cpu);
}

#endif
