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
#define TIF_NOTIFY_RESUME	2	/* work before returning to user space */
#define TIF_RESTORE_SIGMASK	3	/* restore saved_sigmask after signal delivery */

#define _TIF_NEED_RESCHED	(1UL << TIF_NEED_RESCHED)
#define _TIF_SIGPENDING		(1UL << TIF_SIGPENDING)
#define _TIF_NOTIFY_RESUME	(1UL << TIF_NOTIFY_RESUME)
/* What the way back to user space must handle before it may return. */
#define _TIF_WORK_MASK		(_TIF_NEED_RESCHED | _TIF_SIGPENDING | _TIF_NOTIFY_RESUME)

#endif
