/* SPDX-License-Identifier: MIT */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include <kairos/types.h>

/* Make new table entries visible to the walker before they are used. */
static inline void pgtable_publish(void)
{
	__asm__ __volatile__("dsb ishst; isb" ::: "memory");
}

/* Drop a kernel page's translation on every CPU (for any ASID). */
static inline void flush_tlb_kernel_page(u64 va)
{
	__asm__ __volatile__("dsb ishst; tlbi vaae1is, %0; dsb ish; isb"
			     :: "r"(va >> 12) : "memory");
}

#endif
