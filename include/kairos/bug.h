/* SPDX-License-Identifier: MIT */
/*
 * BUG() executes a BRK whose address is recorded, with its file, line and condition, in
 * __bug_table, so the resulting oops shows the exact registers and backtrace.
 */
#ifndef KAIROS_BUG_H
#define KAIROS_BUG_H

#include <kairos/compiler.h>
#include <kairos/types.h>

#define BUG_BRK_IMM	0x800

struct bug_entry {
	unsigned long addr;
	const char *file;
	const char *cond;	/* NULL for a plain BUG() */
	unsigned long line;
};

#define __BUG(cond_str)							\
	__asm__ __volatile__("1:	brk %0\n"				\
			     "	.pushsection __bug_table, \"a\"\n"	\
			     "	.balign 8\n"				\
			     "	.quad 1b, %1, %2, %3\n"			\
			     "	.popsection"				\
			     :: "i"(BUG_BRK_IMM), "i"(__FILE__), "i"(cond_str), "i"(__LINE__))

#define BUG() do { __BUG(0); __builtin_unreachable(); } while (0)
#define BUG_ON(c) do { if (unlikely(c)) { __BUG(#c); __builtin_unreachable(); } } while (0)

void __warn(const char *file, int line, const char *cond);
#define WARN_ON(c) ({							\
	bool __c = !!(c);						\
	if (unlikely(__c))						\
		__warn(__FILE__, __LINE__, #c);				\
	unlikely(__c);							\
})

extern bool oops_in_progress;
void __noreturn panic(const char *fmt, ...) __printf(1, 2);
const struct bug_entry *find_bug(unsigned long addr);

#endif
