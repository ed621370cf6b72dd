/* SPDX-License-Identifier: MIT */
/* Switching the user half of the address space (TTBR0_EL1) between mms. */
#ifndef ASM_MMU_CONTEXT_H
#define ASM_MMU_CONTEXT_H

#include <asm/memory.h>
#include <asm/pgtable.h>
#include <asm/sysreg.h>
#include <asm/tlbflush.h>

/* TTBR0 to an empty table with ASID 0, which no mm gets: nothing user is reachable.
 * No flush needed: user translations are nG and tagged with other ASIDs. */
static inline void cpu_set_reserved_ttbr0(void)
{
	write_sysreg(__pa_symbol(reserved_pg_dir), ttbr0_el1);
	isb();
}

/* Leave the boot identity map, whose global entries must go from this CPU's TLB. */
static inline void cpu_uninstall_idmap(void)
{
	cpu_set_reserved_ttbr0();
	local_flush_tlb_all();
}

struct task_struct;

/*
 * Load next's tables and ASID (a new ASID if its generation is stale), or the reserved
 * table for &init_mm. IRQs off. Nothing to do when prev == next.
 */
void switch_mm(struct mm_struct *prev, struct mm_struct *next, struct task_struct *tsk);

/*
 * Testing aid: hand out ASIDs below nr only (nr > nr_cpu_ids + 1), so that generation
 * rollover comes after a few mms instead of 65535; 0 restores the whole space.
 */
void asid_debug_set_limit(unsigned long nr);

#endif
