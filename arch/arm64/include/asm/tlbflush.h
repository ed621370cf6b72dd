/* SPDX-License-Identifier: MIT */
/*
 * TLB maintenance. Kernel mappings are global; user ones carry nG and the ASID of their
 * mm, so they are dropped by ASID (and VA). All of these broadcast to the inner-shareable
 * domain except local_flush_tlb_all. User invalidations use the all-levels forms (not
 * the last-level ones), because the page tables of an unmapped range may be freed next.
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include <asm/sysreg.h>
#include <kairos/config.h>
#include <kairos/mm_types.h>
#include <kairos/types.h>

/* Beyond this many pages one flush of the whole ASID is cheaper. */
#define MAX_TLBI_OPS		PTRS_PER_TABLE

/* The operand of TLBI by VA: VA[55:12] in bits 43:0, the ASID in bits 63:48. */
#define __TLBI_VADDR(addr, asid) \
	((((u64)(addr) >> 12) & ((1UL << 44) - 1)) | ((u64)(asid) << 48))

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

/* Everything this CPU caches, of every ASID (ASID rollover, leaving the idmap). */
static inline void local_flush_tlb_all(void)
{
	__asm__ __volatile__("dsb nshst; tlbi vmalle1; dsb nsh; isb" ::: "memory");
}

static inline void flush_tlb_mm(struct mm_struct *mm)
{
	dsb(ishst);
	__asm__ __volatile__("tlbi aside1is, %0" :: "r"(__TLBI_VADDR(0, ASID(mm))) : "memory");
	dsb(ish);
}

static inline void __flush_tlb_range(struct mm_struct *mm, unsigned long start,
				     unsigned long end)
{
	unsigned long asid = ASID(mm), addr;

	if ((end - start) >> PAGE_SHIFT > MAX_TLBI_OPS) {
		flush_tlb_mm(mm);
		return;
	}
	dsb(ishst);
	for (addr = start & PAGE_MASK; addr < end; addr += PAGE_SIZE)
		__asm__ __volatile__("tlbi vae1is, %0" :: "r"(__TLBI_VADDR(addr, asid)) : "memory");
	dsb(ish);
}

static inline void flush_tlb_range(struct vm_area_struct *vma, unsigned long start,
				   unsigned long end)
{
	__flush_tlb_range(vma->vm_mm, start, end);
}

static inline void flush_tlb_page(struct vm_area_struct *vma, unsigned long uaddr)
{
	__flush_tlb_range(vma->vm_mm, uaddr, uaddr + PAGE_SIZE);
}

#endif
