/* SPDX-License-Identifier: MIT */
/* The arch's part of an address space. */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <kairos/atomic.h>

#define ASID_BITS	16

typedef struct {
	/* generation << ASID_BITS | ASID; 0 until the mm is first switched to. */
	atomic64_t id;
	unsigned long vdso;	/* the vDSO's ELF header (exec maps it), or 0 */
} mm_context_t;

/* The ASID the mm's translations are tagged with (of whatever generation it has). */
#define ASID(mm)	((unsigned long)atomic64_read(&(mm)->context.id) & ((1UL << ASID_BITS) - 1))

#endif
