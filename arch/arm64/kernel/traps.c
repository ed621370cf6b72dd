// SPDX-License-Identifier: MIT
/* Synchronous exceptions taken in the kernel, and the oops report for fatal ones. */
#include <asm/esr.h>
#include <asm/exception.h>
#include <asm/irqflags.h>
#include <asm/ptrace.h>
#include <asm/stacktrace.h>
#include <asm/sysreg.h>
#include <kairos/bug.h>
#include <kairos/percpu.h>
#include <kairos/printk.h>
#include <kairos/sched.h>
#include <kairos/smp.h>

/* A stack to report kernel stack overflows on (see entry.S). */
DEFINE_PER_CPU(u8 [THREAD_SIZE], overflow_stack) __aligned(16);

static const char *const esr_class_str[64] = {
	[0x00] = "Unknown/Uncategorized",
	[0x01] = "WFI/WFE",
	[0x07] = "SVE/ASIMD/FP",
	[0x0e] = "PSTATE.IL",
	[0x15] = "SVC (AArch64)",
	[0x18] = "MSR/MRS (AArch64)",
	[0x20] = "IABT (lower EL)",
	[0x21] = "IABT (current EL)",
	[0x22] = "PC Alignment",
	[0x24] = "DABT (lower EL)",
	[0x25] = "DABT (current EL)",
	[0x26] = "SP Alignment",
	[0x2c] = "FP (AArch64)",
	[0x2f] = "SError",
	[0x30] = "Breakpoint (lower EL)",
	[0x31] = "Breakpoint (current EL)",
	[0x32] = "Software Step (lower EL)",
	[0x33] = "Software Step (current EL)",
	[0x34] = "Watchpoint (lower EL)",
	[0x35] = "Watchpoint (current EL)",
	[0x3c] = "BRK (AArch64)",
};

const char *esr_get_class_string(unsigned long esr)
{
	const char *s = esr_class_str[ESR_ELx_EC(esr)];

	return s ? s : "UNRECOGNIZED EC";
}

static void show_regs(struct pt_regs *regs)
{
	struct task_struct *tsk = current;

	printk(KERN_EMERG "CPU: %u PID: %d Comm: %.16s\n", smp_processor_id(), tsk->pid,
	       tsk->comm);
	printk(KERN_EMERG "pstate: %08lx\n", (unsigned long)regs->pstate);
	printk(KERN_EMERG "pc : %pS\n", (void *)regs->pc);
	printk(KERN_EMERG "lr : %pS\n", (void *)regs->regs[30]);
	printk(KERN_EMERG "sp : %016lx\n", (unsigned long)regs->sp);
	for (int i = 29; i >= 0; i -= 3) {
		printk(KERN_EMERG "x%-2d: %016lx", i, (unsigned long)regs->regs[i]);
		for (int j = i - 1; j > i - 3 && j >= 0; j--)
			pr_cont(" x%-2d: %016lx", j, (unsigned long)regs->regs[j]);
		pr_cont("\n");
	}
}

static void print_esr(unsigned long esr)
{
	printk(KERN_EMERG "  ESR = 0x%016lx\n", esr);
	printk(KERN_EMERG "  EC = 0x%02lx: %s, IL = %u bits\n", ESR_ELx_EC(esr),
	       esr_get_class_string(esr), esr & ESR_ELx_IL ? 32 : 16);
}

static int die_counter;

void __noreturn die(const char *str, struct pt_regs *regs, unsigned long esr)
{
	local_irq_disable();
	oops_in_progress = true;
	printk(KERN_EMERG "Internal error: %s: %08lx [#%d] SMP\n", str, esr, ++die_counter);
	print_esr(esr);
	show_regs(regs);
	dump_backtrace(regs, NULL);
	panic("%s: Fatal exception", str);
}

void el1_sync_handler(struct pt_regs *regs)
{
	unsigned long esr = read_sysreg(esr_el1);

	switch (ESR_ELx_EC(esr)) {
	case ESR_ELx_EC_DABT_CUR:
	case ESR_ELx_EC_IABT_CUR:
		do_mem_abort(read_sysreg(far_el1), esr, regs);
		break;
	case ESR_ELx_EC_BRK64:
		if ((esr & 0xffff) == BUG_BRK_IMM) {
			const struct bug_entry *bug = find_bug(regs->pc);

			if (bug && bug->cond)
				printk(KERN_EMERG "kernel BUG at %s:%lu: BUG_ON(%s)\n", bug->file,
				       bug->line, bug->cond);
			else if (bug)
				printk(KERN_EMERG "kernel BUG at %s:%lu!\n", bug->file, bug->line);
			die("Oops - BUG", regs, esr);
		}
		fallthrough;
	default:
		die("Oops - unexpected exception in the kernel", regs, esr);
	}
}

/* Vectors that must never be taken: EL0 before user space, SError, FIQ, SP_EL0 at EL1. */
void bad_mode_handler(struct pt_regs *regs)
{
	unsigned long esr = read_sysreg(esr_el1);

	printk(KERN_EMERG "Bad mode: exception from an unexpected vector\n");
	die("Oops - bad mode", regs, esr);
}

void handle_bad_stack(struct pt_regs *regs)
{
	unsigned long sp = *(unsigned long *)(regs + 1);	/* left there by __bad_stack */
	struct task_struct *tsk = current;

	regs->sp = sp;
	printk(KERN_EMERG "Insufficient stack space to handle exception!\n");
	printk(KERN_EMERG "Task stack:     [0x%016lx..0x%016lx]\n", (unsigned long)tsk->stack,
	       (unsigned long)tsk->stack + THREAD_SIZE);
	printk(KERN_EMERG "Overflow stack: [0x%016lx..0x%016lx]\n",
	       (unsigned long)this_cpu_ptr(&overflow_stack),
	       (unsigned long)this_cpu_ptr(&overflow_stack) + THREAD_SIZE);
	die("kernel stack overflow", regs, read_sysreg(esr_el1));
}
