/* SPDX-License-Identifier: MIT */
/* Host stand-in: one CPU, whose per-CPU variables are the template itself. */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#define PER_CPU_SECTION	".data..percpu"

static inline unsigned long __my_cpu_offset(void)
{
	return 0;
}

#endif
