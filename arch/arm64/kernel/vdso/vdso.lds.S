/* SPDX-License-Identifier: MIT */
/*
 * The vDSO: one read-only, executable segment starting at its ELF header, linked at 0
 * (the kernel maps it anywhere: it has no relocations), with the data page just before
 * it. The exported names and their version are Linux arm64's.
 */
#include <kairos/config.h>

OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)

SECTIONS
{
	PROVIDE(_vdso_data = . - (1 << PAGE_SHIFT));
	. = SIZEOF_HEADERS;

	.hash		: { *(.hash) }			:text
	.gnu.hash	: { *(.gnu.hash) }
	.dynsym		: { *(.dynsym) }
	.dynstr		: { *(.dynstr) }
	.gnu.version	: { *(.gnu.version) }
	.gnu.version_d	: { *(.gnu.version_d) }
	.gnu.version_r	: { *(.gnu.version_r) }

	. = ALIGN(16);
	.text		: { *(.text*) }			:text
	.eh_frame_hdr	: { *(.eh_frame_hdr) }		:text	:eh_frame_hdr
	.eh_frame	: { KEEP(*(.eh_frame)) }	:text
	.dynamic	: { *(.dynamic) }		:text	:dynamic
	.rodata		: { *(.rodata*) }		:text
	/* The linker's reserved entries only: a real use would show as a relocation. */
	.got		: { *(.got) *(.got.plt) }	:text

	/* Writable data could not be shared by every process: none may exist. */
	/DISCARD/	: { *(.data .data.* .bss .bss.* .plt .note.GNU-stack .comment) }
}

PHDRS
{
	text		PT_LOAD		FLAGS(5) FILEHDR PHDRS;	/* R-X */
	dynamic		PT_DYNAMIC	FLAGS(4);		/* R */
	eh_frame_hdr	PT_GNU_EH_FRAME;
}

VERSION
{
	LINUX_2.6.39 {
	global:
		__kernel_rt_sigreturn;
		__kernel_gettimeofday;
		__kernel_clock_gettime;
		__kernel_clock_getres;
	local: *;
	};
}
