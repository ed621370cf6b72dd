/* SPDX-License-Identifier: MIT */
/*
 * The registers of the context the current hard interrupt interrupted, for handlers that
 * need to know what it was (the tick: user or kernel time). The arch's interrupt entry
 * sets them around the handler; outside an interrupt they are NULL.
 */
#ifndef KAIROS_IRQ_REGS_H
#define KAIROS_IRQ_REGS_H

#include <kairos/percpu.h>

struct pt_regs;

DECLARE_PER_CPU(struct pt_regs *, __irq_regs);

static inline struct pt_regs *get_irq_regs(void)
{
	return this_cpu_read(__irq_regs);
}

/* Returns the previous value, which the caller restores (interrupts may nest). */
static inline struct pt_regs *set_irq_regs(struct pt_regs *new_regs)
{
	struct pt_regs *old = this_cpu_read(__irq_regs);

	this_cpu_write(__irq_regs, new_regs);
	return old;
}

#endif
