/* SPDX-License-Identifier: MIT */
/* Kernel image layout: text (RX) | rodata + kallsyms (R) | data + bss (RW), each page-aligned. */
#include <asm/memory.h>

OUTPUT_ARCH(aarch64)
ENTRY(_text)

SECTIONS
{
	. = KIMAGE_VADDR;
	_text = .;
	.head.text : { KEEP(*(.head.text)) }
	.text : {
		_stext = .;
		*(.idmap.text)
		*(.init.text)
		*(.text .text.*)
		*(.fixup)
	}
	. = ALIGN(4096);
	_etext = .;

	.rodata : {
		__start_rodata = .;
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__ex_table_start = .;
		KEEP(*(__ex_table))
		__ex_table_end = .;
		. = ALIGN(8);
		__ktest_start = .;
		KEEP(*(.ktest))
		__ktest_end = .;
		. = ALIGN(8);
		__kbench_start = .;
		KEEP(*(.kbench))
		__kbench_end = .;
		. = ALIGN(8);
		__bug_table_start = .;
		KEEP(*(__bug_table))
		__bug_table_end = .;
		. = ALIGN(8);
		__param_start = .;
		KEEP(*(.init.param))
		__param_end = .;
	}
	/* Last in the read-only part so that its size does not move any code (see Makefile). */
	.kallsyms : { KEEP(*(.kallsyms)) }
	. = ALIGN(4096);
	__end_rodata = .;

	.data : {
		_sdata = .;
		/* Before .data.*, which would otherwise swallow it. */
		. = ALIGN(64);
		__per_cpu_start = .;
		*(.data..percpu)
		__per_cpu_end = .;
		*(.init.data)
		*(.data .data.*)
	}
	. = ALIGN(4096);
	_edata = .;

	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(4096);
		__bss_end = .;
	}
	/* Boot page tables and the boot stack, zeroed by head.S with the rest of bss. */
	.pgtables (NOLOAD) : ALIGN(4096) {
		*(.pgtables)
	}
	. = ALIGN(4096);
	_end = .;
	_kernel_size = _end - _text;	/* for the Image header */

	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) *(.interp) *(.dynamic) }
}
