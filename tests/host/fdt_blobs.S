/* SPDX-License-Identifier: MIT */
/*
 * Embeds the QEMU-generated device trees into test_fdt, so the test needs
 * no files at run time. The paths come from host.mk.
 */
	.section .rodata
	.balign 8
	.globl dtb_smp4, dtb_smp4_end
dtb_smp4:
	.incbin DTB_SMP4
dtb_smp4_end:

	.balign 8
	.globl dtb_smp8, dtb_smp8_end
dtb_smp8:
	.incbin DTB_SMP8
dtb_smp8_end:

	.section .note.GNU-stack, "", @progbits
