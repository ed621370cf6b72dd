/* SPDX-License-Identifier: MIT */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

/* Offset of thread.cpu_context in task_struct, for cpu_switch_to (checked in process.c):
 * thread follows the 16-byte thread_info at the start of task_struct. */
#define THREAD_CPU_CONTEXT	16

#ifndef __ASSEMBLY__
#include <kairos/types.h>

/* What cpu_switch_to saves: the callee-saved registers, the stack, the return address. */
struct cpu_context {
	u64 x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
	u64 fp;
	u64 sp;
	u64 pc;
};

/* A user task's FP/SIMD registers (the layout of the signal frame's fpsimd_context). */
struct user_fpsimd_state {
	__uint128_t vregs[32];
	u32 fpsr;
	u32 fpcr;
	u32 __reserved[2];
};

struct thread_struct {
	struct cpu_context cpu_context;
	u64 tp_value;				/* TPIDR_EL0: user space's thread pointer */
	struct user_fpsimd_state fpsimd_state;	/* saved while switched out */
	/* The last user fault, for signal frames (sigcontext.fault_address, esr_context). */
	unsigned long fault_address;
	unsigned long fault_code;		/* its ESR; 0: no esr_context */
};

/* In a busy-wait loop: a hint that lets an SMT sibling or hypervisor have the core. */
#define cpu_relax()	__asm__ __volatile__("yield" ::: "memory")

struct task_struct;
struct pt_regs;

/*
 * Set a new task up to start in ret_from_fork: a kernel thread (fn != NULL) calls
 * fn(arg); a user task returns to user space with a copy of current's registers, x0 = 0,
 * the stack usp if non-zero and TPIDR_EL0 = tls if CLONE_SETTLS.
 */
void copy_thread(struct task_struct *p, int (*fn)(void *), void *arg, unsigned long usp,
		 unsigned long clone_flags, unsigned long tls);
/* The user registers of p, saved at the top of its kernel stack. */
#define task_pt_regs(p)	((struct pt_regs *)((unsigned long)(p)->stack + THREAD_SIZE) - 1)
#define current_pt_regs()	task_pt_regs(current)
/* exec: begin user space at pc with stack sp, every other register zero. */
void start_thread(struct pt_regs *regs, unsigned long pc, unsigned long sp);
/* FP/SIMD state of current: save the live registers into thread (fork, signal frames),
 * replace both (sigreturn), or reset both to zero (exec). */
void fpsimd_preserve_current_state(void);
void fpsimd_update_current_state(const struct user_fpsimd_state *state);
void fpsimd_flush_thread(void);
/* Wait for an interrupt (IRQs masked: it returns once one is pending). */
void arch_cpu_idle(void);
#endif

#endif
