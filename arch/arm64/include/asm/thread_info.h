/* SPDX-License-Identifier: MIT */
/* The hot per-task fields, first in task_struct so that current reaches them at offset 0. */
#ifndef ASM_THREAD_INFO_H
#define ASM_THREAD_INFO_H

#include <kairos/types.h>

struct thread_info {
	unsigned long flags;	/* TIF_* */
	int preempt_count;
	unsigned int cpu;	/* the CPU the task runs or last ran on */
};

#define TIF_NEED_RESCHED	0
#define TIF_SIGPENDING		1

#endif
