/* SPDX-License-Identifier: MIT */
/*
 * The return from every signal handler installed without SA_RESTORER: setup_rt_frame
 * points x30 here. The CFI (Linux's) tells unwinders that the caller's frame record is
 * at x29, which setup_rt_frame points at the record in the signal frame; it starts at
 * the nop because an unwinder looks up the return address minus one.
 */
#include <uapi/unistd.h>

	.text
	.cfi_startproc
	.cfi_signal_frame
	.cfi_def_cfa	x29, 0
	.cfi_offset	x29, 0 * 8
	.cfi_offset	x30, 1 * 8
	nop
	.globl	__kernel_rt_sigreturn
	.type	__kernel_rt_sigreturn, %function
__kernel_rt_sigreturn:
	mov	x8, #__NR_rt_sigreturn
	svc	#0
	.cfi_endproc
	.size	__kernel_rt_sigreturn, . - __kernel_rt_sigreturn
