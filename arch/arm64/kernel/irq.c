// SPDX-License-Identifier: MIT
#include <asm/ptrace.h>
#include <kairos/irq.h>

void gic_v3_init(void);

void __init init_IRQ(void)
{
	gic_v3_init();
}

/* From entry.S, IRQs masked. */
void el1_irq_handler(struct pt_regs *regs)
{
	irq_chip->handle_irq(regs);
}
