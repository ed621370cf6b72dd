/* SPDX-License-Identifier: MIT */
#ifndef ASM_MMU_CONTEXT_H
#define ASM_MMU_CONTEXT_H

#include <asm/memory.h>
#include <asm/pgtable.h>
#include <asm/sysreg.h>

/* TTBR0 to an empty table: nothing below the kernel half is mapped (kernel threads). */
static inline void cpu_set_reserved_ttbr0(void)
{
	write_sysreg(__pa_symbol(reserved_pg_dir), ttbr0_el1);
	isb();
	__asm__ __volatile__("tlbi vmalle1; dsb nsh; isb" ::: "memory");
}

#endif
