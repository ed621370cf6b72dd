/* SPDX-License-Identifier: MIT */
/*
 * BUG(): a BRK whose address is recorded, with its file, line and condition, in
 * __bug_table, so the resulting oops shows the exact registers and backtrace.
 */
#ifndef ASM_BUG_H
#define ASM_BUG_H

#define BUG_BRK_IMM	0x800

#define __BUG(cond_str)							\
	__asm__ __volatile__("1:	brk %0\n"				\
			     "	.pushsection __bug_table, \"a\"\n"	\
			     "	.balign 8\n"				\
			     "	.quad 1b, %1, %2, %3\n"			\
			     "	.popsection"				\
			     :: "i"(BUG_BRK_IMM), "i"(__FILE__), "i"(cond_str), "i"(__LINE__))

#endif
