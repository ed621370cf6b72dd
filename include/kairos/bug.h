/* SPDX-License-Identifier: MIT */
/* BUG() stops the kernel with an oops at the exact place (asm/bug.h says how). */
#ifndef KAIROS_BUG_H
#define KAIROS_BUG_H

#include <asm/bug.h>
#include <kairos/compiler.h>
#include <kairos/types.h>

struct bug_entry {
	unsigned long addr;
	const char *file;
	const char *cond;	/* NULL for a plain BUG() */
	unsigned long line;
};

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
