/* SPDX-License-Identifier: MIT */
/* Host stand-in: the tests are single-threaded, so "IRQs off" is just a flag. */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <kairos/types.h>

extern bool host_irqs_off;

static inline void local_irq_enable(void)
{
	host_irqs_off = false;
}

static inline void local_irq_disable(void)
{
	host_irqs_off = true;
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = host_irqs_off;

	host_irqs_off = true;
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	host_irqs_off = flags;
}

#define local_irq_save(flags)		((flags) = arch_local_irq_save())
#define local_irq_restore(flags)	arch_local_irq_restore(flags)

static inline bool irqs_disabled(void)
{
	return host_irqs_off;
}

#endif
