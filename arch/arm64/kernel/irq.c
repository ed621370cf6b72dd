// SPDX-License-Identifier: MIT
#include <asm/ptrace.h>
#include <kairos/irq.h>
#include <kairos/sched.h>

void gic_v3_init(void);

void __init init_IRQ(void)
{
	gic_v3_init();
}

/* From entry.S, IRQs masked. A kernel task interrupted where it may be preempted is. */
void el1_irq_handler(struct pt_regs *regs)
{
	irq_chip->handle_irq(regs);
	if (!preempt_count() && need_resched())
		preempt_schedule_irq();
}
