/* SPDX-License-Identifier: MIT */
/*
 * Kernel entry, as the Linux arm64 boot protocol defines it: MMU off, x0 = physical address
 * of the device tree blob, entered at EL2 or EL1 anywhere in RAM (2 MiB aligned, which QEMU
 * and bootloaders guarantee). Secondary CPUs come in through PSCI CPU_ON at secondary_entry.
 */
#include <asm/assembler.h>
#include <asm/memory.h>
#include <asm/sysreg.h>
#include <kairos/config.h>

	.section ".head.text", "ax"
	/* The arm64 Image header, so that any loader of Linux loads Kairos. */
	b	primary_entry			// code0
	.long	0				// code1
	.quad	0				// text_offset
	.quad	_kernel_size			// image_size, bss included (kairos.lds.S)
	.quad	0xa				// flags: little endian, 4K pages, anywhere in RAM
	.quad	0, 0, 0				// res2-res4
	.ascii	"ARM\x64"			// magic
	.long	0				// res5: no PE/COFF header

	.section ".idmap.text", "ax"
ENTRY(primary_entry)
	mov	x19, x0				// the FDT, kept across the calls below
	mrs	x20, CurrentEL
	bl	el2_to_el1
	/* Zero bss and the boot page tables: nothing may be used from them before this. */
	adr_l	x0, __bss_start
	adr_l	x1, _end
1:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	1b
	adr_l	x0, init_stack
	add	sp, x0, #THREAD_SIZE
	lsr	x20, x20, #2
	str_l	x20, boot_cpu_el, x1		// after bss is zeroed, before it is cached
	mov	x0, x19
	bl	early_map_kernel
	/* Those writes went to memory with caches off: drop any stale lines over the image. */
	adr_l	x0, _text
	adr_l	x1, _end
	bl	dcache_inval_range
	adr_l	x0, idmap_pg_dir
	adr_l	x1, swapper_pg_dir
	bl	__enable_mmu
	ldr	x8, =__primary_switched		// an absolute, virtual address
	br	x8
END(primary_entry)

/* Drop from EL2 to EL1 if we were entered at EL2; either way leave SCTLR_EL1 sane. */
ENTRY(el2_to_el1)
	ldr	x0, =SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x0
	mov	x0, #CPACR_EL1_FPEN		// user FP/SIMD is not trapped
	msr	cpacr_el1, x0
	mrs	x0, CurrentEL
	cmp	x0, #CurrentEL_EL2
	b.eq	1f
	isb
	ret
1:	mov	x0, #HCR_RW
	msr	hcr_el2, x0
	mov	x0, #3				// EL1 may use the physical counter and timer
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mrs	x0, id_aa64pfr0_el1		// GICv3 system registers present?
	ubfx	x0, x0, #24, #4
	cbz	x0, 2f
	mrs	x0, S3_4_C12_C9_5		// ICC_SRE_EL2
	orr	x0, x0, #(1 << 0)		// SRE: system register interface
	orr	x0, x0, #(1 << 3)		// Enable: EL1 may use it too
	msr	S3_4_C12_C9_5, x0
	isb
	msr	S3_4_C12_C11_0, xzr		// ICH_HCR_EL2: no virtual interrupts
2:	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	mov	x0, #0x33ff			// CPTR_EL2: no FP/SIMD traps
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	msr	vttbr_el2, xzr
	mov	x0, #SPSR_EL1H_DAIF
	msr	spsr_el2, x0
	msr	elr_el2, lr
	eret
END(el2_to_el1)

/* Invalidate data cache lines over [x0, x1). */
ENTRY(dcache_inval_range)
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4			// DminLine: log2(words per line)
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret
END(dcache_inval_range)

/* Turn the MMU on with x0 as TTBR0 and x1 as TTBR1. Runs from the identity map. */
ENTRY(__enable_mmu)
	ldr	x2, =MAIR_EL1_VALUE
	msr	mair_el1, x2
	ldr	x2, =TCR_EL1_VALUE
	mrs	x3, id_aa64mmfr0_el1
	ubfx	x3, x3, #0, #3			// PARange
	cmp	x3, #5				// we use at most 48-bit output addresses
	mov	x4, #5
	csel	x3, x3, x4, ls
	bfi	x2, x3, #TCR_IPS_SHIFT, #3
	msr	tcr_el1, x2
	msr	ttbr0_el1, x0
	msr	ttbr1_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	ldr	x2, =SCTLR_EL1_MMU_ON
	msr	sctlr_el1, x2
	isb
	ic	iallu
	dsb	nsh
	isb
	ret
END(__enable_mmu)

/*
 * PSCI CPU_ON enters here with the MMU off and x0 = our logical CPU number, which
 * __cpu_up() left in secondary_data along with the stack and per-CPU offset.
 */
ENTRY(secondary_entry)
	mov	x19, x0
	bl	el2_to_el1
	adr_l	x0, idmap_pg_dir
	adr_l	x1, swapper_pg_dir
	bl	__enable_mmu
	mov	x0, x19
	ldr	x8, =__secondary_switched
	br	x8
END(secondary_entry)

	.ltorg

	.text
ENTRY(__primary_switched)
	adr_l	x0, init_stack
	add	sp, x0, #THREAD_SIZE
	mov	x29, xzr			// the end of every backtrace
	mov	x30, xzr
	adr_l	x0, vectors
	msr	vbar_el1, x0
	isb
	msr	tpidr_el1, xzr			// per-CPU offset 0 until setup_per_cpu_areas()
	adr_l	x0, init_task
	msr	sp_el0, x0			// current
	bl	start_kernel
	b	.
END(__primary_switched)

ENTRY(__secondary_switched)
	adr_l	x1, vectors
	msr	vbar_el1, x1
	isb
	adr_l	x1, secondary_data
	ldr	x2, [x1, #8]			// per-CPU offset
	msr	tpidr_el1, x2
	ldr	x2, [x1, #16]			// the idle task of this CPU
	msr	sp_el0, x2
	ldr	x2, [x1]			// its stack top
	mov	sp, x2
	mov	x29, xzr
	mov	x30, xzr
	bl	secondary_start_kernel
	b	.
END(__secondary_switched)
