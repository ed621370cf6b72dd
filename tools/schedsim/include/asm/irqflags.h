/* SPDX-License-Identifier: MIT */
/* schedsim: each simulated CPU's IRQ mask is a flag; interrupts wait while it is set. */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <kairos/types.h>

extern bool sim_irqs_off[];
extern unsigned int sim_cpu_id;

static inline void local_irq_enable(void)
{
	sim_irqs_off[sim_cpu_id] = false;
}

static inline void local_irq_disable(void)
{
	sim_irqs_off[sim_cpu_id] = true;
}

static inline unsigned long arch_local_save_flags(void)
{
	return sim_irqs_off[sim_cpu_id];
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = sim_irqs_off[sim_cpu_id];

	sim_irqs_off[sim_cpu_id] = true;
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	sim_irqs_off[sim_cpu_id] = flags;
}

#define local_irq_save(flags)		((flags) = arch_local_irq_save())
#define local_irq_restore(flags)	arch_local_irq_restore(flags)

static inline bool irqs_disabled(void)
{
	return sim_irqs_off[sim_cpu_id];
}

#endif
