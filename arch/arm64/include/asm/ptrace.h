/* SPDX-License-Identifier: MIT */
/* The registers saved on exception entry, at the top of the interrupted context's stack. */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#define S_X0		0
#define S_LR		240
#define S_SP		248
#define S_PC		256
#define S_PSTATE	264
#define S_ORIG_X0	272
#define S_SYSCALLNO	280
#define S_STACKFRAME	288
#define PT_REGS_SIZE	304

#define PSR_MODE_MASK	0xf
#define PSR_MODE_EL0t	0x0
#define PSR_MODE_EL1h	0x5
#define PSR_I_BIT	(1 << 7)
#define PSR_F_BIT	(1 << 6)
#define PSR_A_BIT	(1 << 8)
#define PSR_D_BIT	(1 << 9)

#ifndef __ASSEMBLY__
#include <kairos/types.h>
#include <kairos/compiler.h>

struct pt_regs {
	u64 regs[31];
	u64 sp;
	u64 pc;
	u64 pstate;
	u64 orig_x0;
	s64 syscallno;
	u64 stackframe[2];	/* a frame record {x29, pc}, so backtraces cross the exception */
};

BUILD_BUG_ON(offsetof(struct pt_regs, regs[30]) != S_LR);
BUILD_BUG_ON(offsetof(struct pt_regs, sp) != S_SP);
BUILD_BUG_ON(offsetof(struct pt_regs, pc) != S_PC);
BUILD_BUG_ON(offsetof(struct pt_regs, pstate) != S_PSTATE);
BUILD_BUG_ON(offsetof(struct pt_regs, stackframe) != S_STACKFRAME);
BUILD_BUG_ON(sizeof(struct pt_regs) != PT_REGS_SIZE);

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->pstate & PSR_MODE_MASK) == PSR_MODE_EL0t;
}

static inline bool interrupts_enabled(const struct pt_regs *regs)
{
	return !(regs->pstate & PSR_I_BIT);
}
#endif

#endif
