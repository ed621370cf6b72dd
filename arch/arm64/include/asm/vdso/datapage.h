/* SPDX-License-Identifier: MIT */
/*
 * The vDSO's data page ([vvar], mapped read-only before the vDSO's text): what user space
 * needs to read the clocks without a system call. Shared by the kernel, which writes it,
 * and the vDSO, which reads it under the sequence count.
 */
#ifndef ASM_VDSO_DATAPAGE_H
#define ASM_VDSO_DATAPAGE_H

#include <kairos/types.h>

struct vdso_data {
	u32 seq;		/* odd while the kernel changes the fields below */
	u32 rate;		/* counter frequency, Hz; 0 before time_init() */
	u64 boot_count;		/* CNTVCT_EL0 at CLOCK_MONOTONIC 0 */
	u64 ns_per_cycle;	/* non-zero when the rate divides 1e9 exactly */
	u64 real_offset;	/* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
};

/*
 * Counter cycles since boot to ns: the one conversion of CLOCK_MONOTONIC, for
 * ktime_get_ns() and the vDSO alike, so that the two paths agree to the ns.
 */
static inline u64 arch_timer_cycles_to_ns(u64 cyc, u32 rate, u64 ns_per_cycle)
{
	if (ns_per_cycle)
		return cyc * ns_per_cycle;
	/* Split so that neither product overflows for any rate under 18 GHz. */
	return cyc / rate * 1000000000ULL + cyc % rate * 1000000000ULL / rate;
}

#endif
