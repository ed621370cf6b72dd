/* SPDX-License-Identifier: MIT */
/*
 * The exception table: for each instruction allowed to fault on a user address, where
 * to resume when it does. An entry is two 32-bit offsets, each relative to its own
 * field, so the table needs no relocation and stays 8 bytes an entry. The linker keeps
 * the entries between __ex_table_start and __ex_table_end.
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#ifdef __ASSEMBLY__
	.macro	_asm_extable, insn, fixup
	.pushsection __ex_table, "a"
	.balign	4
	.long	(\insn - .), (\fixup - .)
	.popsection
	.endm
#else
#include <kairos/types.h>

#define _ASM_EXTABLE(insn, fixup)					\
	"	.pushsection __ex_table, \"a\"\n"			\
	"	.balign	4\n"						\
	"	.long	(" #insn " - .), (" #fixup " - .)\n"		\
	"	.popsection\n"

struct exception_table_entry {
	s32 insn;
	s32 fixup;
};

struct pt_regs;
/* If regs->pc has an entry, move it to the fixup and return true. */
bool fixup_exception(struct pt_regs *regs);
#endif

#endif
