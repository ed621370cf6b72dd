// SPDX-License-Identifier: MIT
/*
 * Exceptions from user space, and the work on the way back to it. entry.S saves the user
 * registers (a struct pt_regs at the top of the kernel stack) and calls these with IRQs
 * masked; it leaves through ret_to_user, which calls exit_to_user_mode.
 */
#include <asm/esr.h>
#include <asm/exception.h>
#include <asm/irqflags.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>
#include <kairos/bitmap.h>
#include <kairos/interrupt.h>
#include <kairos/irq.h>
#include <kairos/irq_regs.h>
#include <kairos/sched.h>
#include <kairos/signal.h>

void el0_svc(struct pt_regs *regs);

void el0_sync_handler(struct pt_regs *regs)
{
	unsigned long esr = read_sysreg(esr_el1);
	unsigned long far = read_sysreg(far_el1);

	switch (ESR_ELx_EC(esr)) {
	case ESR_ELx_EC_SVC64:
		el0_svc(regs);
		break;
	case ESR_ELx_EC_DABT_LOW:
	case ESR_ELx_EC_IABT_LOW:
		local_irq_enable();
		do_mem_abort(far, esr, regs);
		break;
	case ESR_ELx_EC_PC_ALIGN:
		local_irq_enable();
		force_signal_inject(SIGBUS, BUS_ADRALN, regs->pc, esr);
		break;
	case ESR_ELx_EC_SP_ALIGN:
		local_irq_enable();
		force_signal_inject(SIGBUS, BUS_ADRALN, regs->sp, esr);
		break;
	case ESR_ELx_EC_BRK64:
		local_irq_enable();
		force_sig_fault(SIGTRAP, TRAP_BRKPT, (void __user *)regs->pc);
		break;
	default:
		/* Undefined instructions, and the system instructions EL0 may not use. */
		local_irq_enable();
		force_signal_inject(SIGILL, ILL_ILLOPC, regs->pc, 0);
		break;
	}
}

void el0_irq_handler(struct pt_regs *regs)
{
	struct pt_regs *old_regs = set_irq_regs(regs);

	irq_enter();
	irq_chip->handle_irq(regs);
	irq_exit();
	set_irq_regs(old_regs);
}

/*
 * Until nothing is left to do: reschedule, deliver signals. Each may make more work
 * (a signal's frame setup can fault and force SIGSEGV), so the flags are read again
 * with IRQs masked before the final return.
 */
void exit_to_user_mode(struct pt_regs *regs)
{
	unsigned long flags;

	local_irq_disable();
	while ((flags = READ_ONCE(current->thread_info.flags)) & _TIF_WORK_MASK) {
		local_irq_enable();
		if (flags & _TIF_NEED_RESCHED)
			schedule();
		if (flags & _TIF_SIGPENDING)
			do_signal(regs);
		if (flags & _TIF_NOTIFY_RESUME)
			clear_bit(TIF_NOTIFY_RESUME, &current->thread_info.flags);
		local_irq_disable();
	}
}

/* A kernel thread's function returned (ret_from_fork): it ends, unless it became a user
 * process by exec (kernel_init), which then returns to user space. */
void kthread_returned(int ret)
{
	if (current->flags & PF_KTHREAD)
		do_exit(ret);
}
