/* SPDX-License-Identifier: MIT */
#ifndef ASM_STACKTRACE_H
#define ASM_STACKTRACE_H

#include <kairos/types.h>

struct pt_regs;
struct task_struct;

/* Print "Call trace:" and one symbolized line per frame: from regs if given, else from
 * the caller of dump_backtrace. */
void dump_backtrace(struct pt_regs *regs, struct task_struct *tsk);
void dump_stack(void);

#endif
