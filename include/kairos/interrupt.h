/* SPDX-License-Identifier: MIT */
/*
 * Interrupt context and softirqs.
 *
 * A hard interrupt handler runs between irq_enter() and irq_exit(). Work it cannot finish
 * with IRQs off it raises as a softirq: irq_exit() runs the pending softirqs of its CPU,
 * with IRQs on, unless it interrupted other interrupt work. Softirqs that keep coming back
 * are left to the CPU's ksoftirqd/N thread, so that they cannot starve its tasks. A
 * softirq runs on the CPU that raised it, never concurrently with itself on that CPU.
 */
#ifndef KAIROS_INTERRUPT_H
#define KAIROS_INTERRUPT_H

#include <kairos/preempt.h>
#include <kairos/types.h>

/*
 * Linux's numbers, which are also the order in which pending ones run. Only
 * SCHED_SOFTIRQ (the load balancer) has an action in the kernel; the tests use HI_SOFTIRQ.
 */
enum {
	HI_SOFTIRQ = 0,
	TIMER_SOFTIRQ,
	NET_TX_SOFTIRQ,
	NET_RX_SOFTIRQ,
	BLOCK_SOFTIRQ,
	IRQ_POLL_SOFTIRQ,
	TASKLET_SOFTIRQ,
	SCHED_SOFTIRQ,
	HRTIMER_SOFTIRQ,
	RCU_SOFTIRQ,
	NR_SOFTIRQS
};

struct softirq_action {
	void (*action)(struct softirq_action *);
};

/* Set the action of softirq nr (once, at boot). */
void open_softirq(int nr, void (*action)(struct softirq_action *));
/* Mark nr pending on this CPU; it runs at the next irq_exit or in ksoftirqd. */
void raise_softirq(unsigned int nr);
/* The same with IRQs already off. */
void raise_softirq_irqoff(unsigned int nr);
/* Times softirq nr ran on cpu (Linux's /proc/softirqs). */
unsigned int kstat_softirqs_cpu(unsigned int nr, int cpu);
/* Start ksoftirqd/N on every online CPU. */
void spawn_ksoftirqd(void);

/* Around every hard interrupt handler, with IRQs off. */
void irq_enter(void);
void irq_exit(void);

#endif
