/* SPDX-License-Identifier: MIT */
/* Interrupt lines (GIC INTIDs) and their handlers. */
#ifndef KAIROS_IRQ_H
#define KAIROS_IRQ_H

#include <kairos/types.h>

#define NR_IRQS		1020	/* INTIDs 0-1019: SGIs, PPIs and SPIs */
#define NR_IPI_SGIS	16

struct pt_regs;
typedef void (*irq_handler_t)(unsigned int irq, void *data);

/* A shared peripheral interrupt, routed to the boot CPU; name is for /proc/interrupts. */
int request_irq(unsigned int irq, irq_handler_t handler, void *data, const char *name);
/* A per-CPU interrupt (PPI): one handler, enabled separately on each CPU. */
int request_percpu_irq(unsigned int irq, irq_handler_t handler, void *data, const char *name);
void enable_percpu_irq(unsigned int irq);

/* Called by the interrupt controller with IRQs off. */
void generic_handle_irq(unsigned int irq);
void handle_IPI(unsigned int ipi);

/* The interrupt controller as the rest of the kernel sees it. */
struct irq_chip {
	const char *name;				/* "GICv3" */
	void (*handle_irq)(struct pt_regs *regs);	/* acknowledge, dispatch, end */
	void (*unmask)(unsigned int irq, bool percpu);
	void (*send_ipi)(unsigned int cpu, unsigned int ipi);
	void (*cpu_init)(void);				/* each CPU as it comes up */
};
void set_irq_chip(const struct irq_chip *chip);
extern const struct irq_chip *irq_chip;

void init_IRQ(void);
unsigned long irq_count(unsigned int cpu);	/* interrupts taken, for /proc and tests */
struct seq_file;
int show_interrupts(struct seq_file *m);		/* /proc/interrupts */
/* Its IPI lines, in Linux's layout (arch/arm64/kernel/smp.c). */
void arch_show_interrupts(struct seq_file *m, int prec);

#endif
