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

struct thread_struct {
	struct cpu_context cpu_context;
};

/* In a busy-wait loop: a hint that lets an SMT sibling or hypervisor have the core. */
#define cpu_relax()	__asm__ __volatile__("yield" ::: "memory")

struct task_struct;
/* Set a new kernel thread up to start in ret_from_fork, calling fn(arg). */
void copy_thread(struct task_struct *p, int (*fn)(void *), void *arg);
/* Wait for an interrupt (IRQs masked: it returns once one is pending). */
void arch_cpu_idle(void);
#endif

#endif
