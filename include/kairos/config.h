/* SPDX-License-Identifier: MIT */
/* Build-time constants. One place, no configuration maze. */
#ifndef KAIROS_CONFIG_H
#define KAIROS_CONFIG_H

#define NR_CPUS		64	/* most CPUs the kernel drives; extra ones stay offline */
#define HZ		250	/* scheduler tick frequency */
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define THREAD_SIZE	(16 * 1024)	/* kernel stack per task, plus an unmapped guard page */
#define L1_CACHE_BYTES	64

#endif
