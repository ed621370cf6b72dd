/* SPDX-License-Identifier: MIT */
/*
 * Preemption control: while current's preempt_count is non-zero, it is not switched
 * out involuntarily. Spinlocks raise it; the scheduler core honours it.
 *
 * The count also says what context the CPU is in, in Linux's layout:
 *   bits 0-7    preemption disabled (nesting depth)
 *   bits 8-15   softirqs (bit 8 while they are being served)
 *   bits 16-19  hard interrupts (irq_enter/irq_exit nesting)
 */
#ifndef KAIROS_PREEMPT_H
#define KAIROS_PREEMPT_H

#include <asm/current.h>
#include <asm/thread_info.h>
#include <kairos/compiler.h>

#define current_thread_info() ((struct thread_info *)current)

#define PREEMPT_MASK		0x000000ff
#define SOFTIRQ_MASK		0x0000ff00
#define HARDIRQ_MASK		0x000f0000
#define PREEMPT_OFFSET		0x00000001
#define SOFTIRQ_OFFSET		0x00000100
#define HARDIRQ_OFFSET		0x00010000

static inline int preempt_count(void)
{
	return READ_ONCE(current_thread_info()->preempt_count);
}

#define hardirq_count()		(preempt_count() & HARDIRQ_MASK)
#define softirq_count()		(preempt_count() & SOFTIRQ_MASK)
/* In a hard interrupt or serving softirqs: not in a task's own context. */
#define in_interrupt()		(preempt_count() & (HARDIRQ_MASK | SOFTIRQ_MASK))
#define in_irq()		(hardirq_count() != 0)
#define in_softirq()		(softirq_count() != 0)

/* Raw adjustments for irq_enter/irq_exit and the softirq code. */
static inline void __preempt_count_add(int val)
{
	current_thread_info()->preempt_count += val;
	barrier();
}

static inline void __preempt_count_sub(int val)
{
	barrier();
	current_thread_info()->preempt_count -= val;
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
