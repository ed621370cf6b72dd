/* SPDX-License-Identifier: MIT */
/* Handlers the exception vectors reach, and the oops they end in when nothing helps. */
#ifndef ASM_EXCEPTION_H
#define ASM_EXCEPTION_H

#include <asm/ptrace.h>
#include <kairos/compiler.h>

void __noreturn die(const char *str, struct pt_regs *regs, unsigned long esr);
/* Data and instruction aborts: page faults, fixups, or the oops. */
void do_mem_abort(unsigned long far, unsigned long esr, struct pt_regs *regs);
/* A signal for a user exception other than a page fault (arch/arm64/kernel/signal.c):
 * the frame reports no fault address, and err as its ESR (0: no esr_context). */
void force_signal_inject(int signal, int code, unsigned long address, unsigned long err);

#endif
