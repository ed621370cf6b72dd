// SPDX-License-Identifier: MIT
/* The system-call table and the path from an EL0 `svc #0` to the call: x8 is the number,
 * x0..x5 the arguments, x0 the result. */
#include <asm/ptrace.h>
#include <asm/irqflags.h>
#include <kairos/syscalls.h>
#include <uapi/errno.h>

/* Every slot defaults to -ENOSYS, then the known calls override theirs. */
#pragma GCC diagnostic ignored "-Woverride-init"
const syscall_fn_t sys_call_table[__NR_syscalls] = {
	[0 ... __NR_syscalls - 1] = __arm64_sys_ni_syscall,
#define __SYSCALL(nr, name)	[nr] = __arm64_sys_##name,
#include <uapi/unistd.h>
#undef __SYSCALL
};

/*
 * Linux takes the number as a 32-bit unsigned int: x8 = 0x1_0000_0000 + n is call n, and
 * anything at or past the table's end (-1 included) is -ENOSYS.
 */
void invoke_syscall(struct pt_regs *regs, unsigned int scno)
{
	long ret;

	if (scno < __NR_syscalls)
		ret = sys_call_table[scno](regs);
	else
		ret = -ENOSYS;
	regs->regs[0] = ret;
}

void el0_svc(struct pt_regs *regs)
{
	regs->orig_x0 = regs->regs[0];
	regs->syscallno = (u32)regs->regs[8];
	local_irq_enable();
	invoke_syscall(regs, (u32)regs->regs[8]);
}
