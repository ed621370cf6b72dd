/* SPDX-License-Identifier: MIT */
/* Where this CPU's per-CPU offset lives: TPIDR_EL1. */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#define PER_CPU_SECTION	".data..percpu"

static inline unsigned long __my_cpu_offset(void)
{
	unsigned long off;

	/* volatile: the offset differs after a migration, so it must never be cached. */
	__asm__ __volatile__("mrs %0, tpidr_el1" : "=r"(off));
	return off;
}

#endif
