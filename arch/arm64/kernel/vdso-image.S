/* SPDX-License-Identifier: MIT */
/* The linked vDSO (path from the Makefile), page-aligned so that vdso.c copies whole pages. */
	.section .rodata
	.balign 4096
	.globl vdso_start, vdso_end
vdso_start:
	.incbin VDSO_SO
	.balign 4096
vdso_end:
