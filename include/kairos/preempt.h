/* SPDX-License-Identifier: MIT */
/*
 * Preemption control: while current's preempt_count is non-zero, it is not switched
 * out involuntarily. Spinlocks raise it; the scheduler core honours it.
 */
#ifndef KAIROS_PREEMPT_H
#define KAIROS_PREEMPT_H

#include <asm/current.h>
#include <asm/thread_info.h>
#include <kairos/compiler.h>

#define current_thread_info() ((struct thread_info *)current)

static inline int preempt_count(void)
{
	return READ_ONCE(current_thread_info()->preempt_count);
}

static inline void preempt_disable(void)
{
	current_thread_info()->preempt_count++;
	barrier();
}

/* Re-enable without looking for a pending reschedule (the caller will schedule soon). */
static inline void preempt_enable_no_resched(void)
{
	barrier();
	current_thread_info()->preempt_count--;
}

void preempt_schedule(void);

static inline void preempt_enable(void)
{
	barrier();
	if (--current_thread_info()->preempt_count == 0 &&
	    unlikely(READ_ONCE(current_thread_info()->flags) & (1UL << TIF_NEED_RESCHED)))
		preempt_schedule();
}

#endif
