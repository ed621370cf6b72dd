/* SPDX-License-Identifier: MIT */
#ifndef ASM_ASSEMBLER_H
#define ASM_ASSEMBLER_H
#ifdef __ASSEMBLY__

/* Address of sym relative to the PC: physical before the MMU is on, virtual after. */
	.macro	adr_l, dst, sym
	adrp	\dst, \sym
	add	\dst, \dst, :lo12:\sym
	.endm

	.macro	ldr_l, dst, sym
	adrp	\dst, \sym
	ldr	\dst, [\dst, :lo12:\sym]
	.endm

	.macro	str_l, src, sym, tmp
	adrp	\tmp, \sym
	str	\src, [\tmp, :lo12:\sym]
	.endm

/* dst = this CPU's copy of the per-CPU variable sym (TPIDR_EL1 holds the offset). */
	.macro	adr_this_cpu, dst, sym, tmp
	adr_l	\dst, \sym
	mrs	\tmp, tpidr_el1
	add	\dst, \dst, \tmp
	.endm

	.macro	ldr_this_cpu, dst, sym, tmp
	adr_l	\dst, \sym
	mrs	\tmp, tpidr_el1
	ldr	\dst, [\dst, \tmp]
	.endm

#define ENTRY(name)	.globl name; .type name, %function; .balign 4; name:
#define END(name)	.size name, . - name

#endif
#endif
