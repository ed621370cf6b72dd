/* SPDX-License-Identifier: MIT */
/* current: the running task, kept in SP_EL0 while in the kernel (as Linux arm64 does). */
#ifndef ASM_CURRENT_H
#define ASM_CURRENT_H

struct task_struct;

static inline struct task_struct *get_current(void)
{
	struct task_struct *t;

	/* Not volatile: within one function current never changes under us. */
	__asm__("mrs %0, sp_el0" : "=r"(t));
	return t;
}
#define current get_current()

#endif
