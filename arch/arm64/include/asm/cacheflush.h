/* SPDX-License-Identifier: MIT */
#ifndef ASM_CACHEFLUSH_H
#define ASM_CACHEFLUSH_H

#include <asm/sysreg.h>
#include <kairos/types.h>

/*
 * Make instructions written through the data side at [start, end) (any mapping of the
 * same memory) visible to instruction fetch on every CPU: clean the D-cache to the point
 * of unification, then invalidate the I-cache lines.
 */
static inline void flush_icache_range(unsigned long start, unsigned long end)
{
	u64 ctr = read_sysreg(ctr_el0);
	unsigned long dline = 4UL << ((ctr >> 16) & 0xf), iline = 4UL << (ctr & 0xf);
	unsigned long addr;

	for (addr = start & ~(dline - 1); addr < end; addr += dline)
		__asm__ __volatile__("dc cvau, %0" :: "r"(addr) : "memory");
	dsb(ish);
	for (addr = start & ~(iline - 1); addr < end; addr += iline)
		__asm__ __volatile__("ic ivau, %0" :: "r"(addr) : "memory");
	dsb(ish);
	isb();
}

struct page;

/*
 * Executable user mappings: a page is cleaned to the I-side before its first executable
 * mapping, and again only after the kernel wrote to it (flush_dcache_page, which a file
 * system calls after writing a page a user may map). Writes through user mappings are
 * the program's to synchronise, as on Linux.
 */
void sync_icache_page(struct page *page);
void flush_dcache_page(struct page *page);

#endif
