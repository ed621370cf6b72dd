// SPDX-License-Identifier: MIT
/*
 * Data and instruction aborts. A translation, access-flag or permission fault on a user
 * address is a page fault: the VMA decides whether the access is allowed and
 * handle_mm_fault makes the page present. Anything else, or a page fault that cannot be
 * resolved, resumes at the exception-table fixup of the faulting instruction if it has
 * one (a user access), and otherwise is an oops.
 */
#include <asm/esr.h>
#include <asm/exception.h>
#include <asm/extable.h>
#include <asm/irqflags.h>
#include <asm/ptrace.h>
#include <asm/uaccess.h>
#include <kairos/mm_types.h>
#include <kairos/preempt.h>
#include <kairos/printk.h>
#include <kairos/sched.h>
#include <kairos/signal.h>

/* Data/instruction fault status codes: the fault type, whatever the level (bits 1:0). */
#define ESR_ELx_FSC_TYPE	0x3c
#define ESR_ELx_FSC_FAULT	0x04	/* translation */
#define ESR_ELx_FSC_ACCESS	0x08	/* access flag */
#define ESR_ELx_FSC_PERM	0x0c	/* permission */

extern const struct exception_table_entry __ex_table_start[], __ex_table_end[];

/* A linear search: the table holds one entry per user-access instruction, a few dozen. */
static const struct exception_table_entry *search_exception_tables(unsigned long pc)
{
	const struct exception_table_entry *e;

	for (e = __ex_table_start; e < __ex_table_end; e++)
		if ((unsigned long)&e->insn + e->insn == pc)
			return e;
	return NULL;
}

bool fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e = search_exception_tables(regs->pc);

	if (e)
		regs->pc = (unsigned long)&e->fixup + e->fixup;
	return e;
}

static bool is_page_fault(unsigned long esr)
{
	unsigned long type = esr & ESR_ELx_FSC_TYPE;

	return type == ESR_ELx_FSC_FAULT || type == ESR_ELx_FSC_ACCESS ||
	       type == ESR_ELx_FSC_PERM;
}

/* Cache maintenance reports WnR = 1 but only needs to read. */
static bool is_write_abort(unsigned long esr)
{
	return (esr & ESR_ELx_WNR) && !(esr & ESR_ELx_CM);
}

/* do_page_fault's answers beside handle_mm_fault's: no VMA there, or it forbids the access. */
#define VM_FAULT_BADMAP		0x010000
#define VM_FAULT_BADACCESS	0x020000

/*
 * Resolve a page fault on addr (untagged) in current->mm. Returns 0 if the access can be
 * retried, else VM_FAULT_BADMAP, VM_FAULT_BADACCESS or another VM_FAULT_*.
 */
static vm_fault_t do_page_fault(unsigned long addr, unsigned long esr, struct pt_regs *regs)
{
	struct mm_struct *mm = current->mm;
	unsigned long vm_flags = VM_ACCESS_FLAGS;
	unsigned int mm_flags = 0;
	struct vm_area_struct *vma;
	vm_fault_t fault;

	/* mmap_lock sleeps: not in atomic context, where the access simply fails. */
	if (!mm || addr >= TASK_SIZE)
		return VM_FAULT_BADMAP;
	if (preempt_count() || !interrupts_enabled(regs))
		return VM_FAULT_SIGSEGV;
	if (ESR_ELx_EC(esr) == ESR_ELx_EC_IABT_LOW) {
		vm_flags = VM_EXEC;
	} else if (is_write_abort(esr)) {
		vm_flags = VM_WRITE;
		mm_flags |= FAULT_FLAG_WRITE;
	}

	local_irq_enable();
	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (!vma || (vma->vm_start > addr && expand_stack(vma, addr)))
		fault = VM_FAULT_BADMAP;
	else if (!(vma->vm_flags & vm_flags))
		fault = VM_FAULT_BADACCESS;
	else
		fault = handle_mm_fault(vma, addr, mm_flags);
	mmap_read_unlock(mm);
	/* getrusage's ru_minflt. Every fault Kairos resolves is minor: none waits for I/O. */
	if (!fault)
		current->min_flt++;
	local_irq_disable();
	return fault;
}

static void __noreturn die_kernel_fault(unsigned long far, unsigned long esr,
					struct pt_regs *regs)
{
	printk(KERN_EMERG "Unable to handle kernel %s at virtual address %016lx\n",
	       far < PAGE_SIZE ? "NULL pointer dereference" : "paging request", far);
	printk(KERN_EMERG "Mem abort info:\n");
	printk(KERN_EMERG "  SET = %lu, FnV = %lu\n", (esr >> ESR_ELx_SET_SHIFT) & 3,
	       (esr & ESR_ELx_FnV) ? 1UL : 0UL);
	printk(KERN_EMERG "  EA = %lu, S1PTW = %lu, FSC = 0x%02lx\n",
	       (esr & ESR_ELx_EA) ? 1UL : 0UL, (esr & ESR_ELx_S1PTW) ? 1UL : 0UL,
	       esr & ESR_ELx_FSC);
	printk(KERN_EMERG "Data abort info:\n");
	printk(KERN_EMERG "  ISV = %lu, ISS = 0x%08lx\n", (esr & ESR_ELx_ISV) ? 1UL : 0UL,
	       ESR_ELx_ISS(esr));
	printk(KERN_EMERG "  CM = %lu, WnR = %lu\n", (esr & ESR_ELx_CM) ? 1UL : 0UL,
	       (esr & ESR_ELx_WNR) ? 1UL : 0UL);
	die("Oops", regs, esr);
}

/*
 * What the signal frame reports (sigcontext.fault_address, esr_context). Of a fault on a
 * kernel address user space learns only what it knows already: the access, not the
 * kernel's page-table state.
 */
static void set_thread_esr(unsigned long address, unsigned long esr)
{
	current->thread.fault_address = address;
	if (address >= TASK_SIZE) {
		if (ESR_ELx_EC(esr) == ESR_ELx_EC_DABT_LOW)
			esr &= ESR_ELx_EC_MASK | ESR_ELx_IL | ESR_ELx_CM | ESR_ELx_WNR;
		else
			esr &= ESR_ELx_EC_MASK | ESR_ELx_IL;
		esr |= ESR_ELx_FSC_FAULT;
	}
	current->thread.fault_code = esr;
}

/* A fault user space caused and cannot have resolved: the signal Linux sends for it. */
static void do_user_fault(unsigned long far, unsigned long esr, vm_fault_t fault)
{
	void __user *addr = (void __user *)far;

	set_thread_esr(untagged_addr(far), esr);

	if (!is_page_fault(esr))
		force_sig_fault(SIGBUS, BUS_ADRALN, addr);	/* alignment and the rest */
	else if (fault & VM_FAULT_OOM)
		force_sig(SIGKILL);
	else if (fault & VM_FAULT_SIGBUS)
		force_sig_fault(SIGBUS, BUS_ADRERR, addr);	/* a file page past EOF */
	else if (fault & VM_FAULT_BADACCESS)
		force_sig_fault(SIGSEGV, SEGV_ACCERR, addr);
	else
		force_sig_fault(SIGSEGV, SEGV_MAPERR, addr);
}

void do_mem_abort(unsigned long far, unsigned long esr, struct pt_regs *regs)
{
	vm_fault_t fault = VM_FAULT_SIGSEGV;

	/*
	 * The kernel never executes user memory (PXN), and reaches it only through the
	 * uaccess routines: any other kernel abort is a bug, reported before it can take
	 * mmap_lock (which the faulting code may hold).
	 */
	if (is_page_fault(esr) && ESR_ELx_EC(esr) != ESR_ELx_EC_IABT_CUR &&
	    (user_mode(regs) || search_exception_tables(regs->pc))) {
		fault = do_page_fault(untagged_addr(far), esr, regs);
		if (!fault)
			return;
	}
	if (user_mode(regs)) {
		do_user_fault(far, esr, fault);
		return;
	}
	if (fixup_exception(regs))
		return;
	die_kernel_fault(far, esr, regs);
}
