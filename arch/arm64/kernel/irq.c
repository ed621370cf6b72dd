// SPDX-License-Identifier: MIT
#include <asm/ptrace.h>
#include <kairos/interrupt.h>
#include <kairos/irq.h>
#include <kairos/irq_regs.h>
#include <kairos/sched.h>

void gic_v3_init(void);

void __init init_IRQ(void)
{
	gic_v3_init();
}

/*
 * From entry.S, IRQs masked. Softirqs raised by the handler run in irq_exit; a kernel task
 * interrupted where it may be preempted is.
 */
void el1_irq_handler(struct pt_regs *regs)
{
	struct pt_regs *old_regs = set_irq_regs(regs);

	irq_enter();
	irq_chip->handle_irq(regs);
	irq_exit();
	set_irq_regs(old_regs);
	if (!preempt_count() && need_resched())
		preempt_schedule_irq();
}
