/* SPDX-License-Identifier: MIT */
/* Code address to symbol name lookup, used by %pS/%ps and backtraces. */
#ifndef KAIROS_KALLSYMS_H
#define KAIROS_KALLSYMS_H

#include <kairos/types.h>

#define KSYM_NAME_LEN	128
/* Room for "name+0x<offset>/0x<size>" and the NUL. */
#define KSYM_SYMBOL_LEN	(KSYM_NAME_LEN + 2 * (2 + 16) + 2 + 1)

/*
 * Format the symbol containing @addr into @buf as "name+0xoff/0xsize"
 * (or just "name" without @with_offset), truncating to @size. Returns the
 * number of characters stored, or 0 if @addr is not inside a known symbol.
 */
int sprint_symbol(char *buf, size_t size, unsigned long addr, bool with_offset);

/* The function containing @addr, with @addr's offset into it and its size; NULL if none. */
const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset);

#endif
