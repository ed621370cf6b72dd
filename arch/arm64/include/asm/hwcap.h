/* SPDX-License-Identifier: MIT */
/* What the CPUs offer user space: AT_HWCAP's bits, and /proc/cpuinfo's names of them. */
#ifndef _ASM_HWCAP_H
#define _ASM_HWCAP_H

#define HWCAP_FP		(1UL << 0)
#define HWCAP_ASIMD		(1UL << 1)
#define HWCAP_AES		(1UL << 3)
#define HWCAP_PMULL		(1UL << 4)
#define HWCAP_SHA1		(1UL << 5)
#define HWCAP_SHA2		(1UL << 6)
#define HWCAP_CRC32		(1UL << 7)
#define HWCAP_ATOMICS		(1UL << 8)

/* From the boot CPU's ID registers (arch/arm64/kernel/cpuinfo.c). */
unsigned long cpu_get_elf_hwcap(void);

#endif
