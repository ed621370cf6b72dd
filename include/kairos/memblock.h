/* SPDX-License-Identifier: MIT */
/*
 * memblock: the physical memory map during boot, before the page allocator exists.
 * "memory" holds the RAM ranges firmware describes, "reserved" what must never be handed
 * out (kernel image, device tree, initrd, firmware carve-outs, earlier memblock_alloc()s).
 * Both are kept sorted with overlapping or touching ranges merged, in fixed arrays.
 */
#ifndef KAIROS_MEMBLOCK_H
#define KAIROS_MEMBLOCK_H

#include <kairos/types.h>

#define MEMBLOCK_MAX_REGIONS	64
#define PHYS_ADDR_MAX		(~(phys_addr_t)0)

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
};

struct memblock_type {
	unsigned long cnt;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};

struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;

/* Both panic when the table is full: a lost range would mean handing out busy memory. */
void memblock_add(phys_addr_t base, phys_addr_t size);
void memblock_reserve(phys_addr_t base, phys_addr_t size);

/*
 * Reserve and return size bytes of RAM aligned to align (a power of two), taken from
 * the top of free memory; 0 if nothing fits. The memory is not zeroed: callers may run
 * before the linear map exists.
 */
phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align);

phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);

/*
 * Step through RAM minus reserved, lowest address first. *idx starts at 0; each call
 * stores the next free range [*start, *end) and returns false when there is none left.
 */
bool __next_free_mem_range(u64 *idx, phys_addr_t *start, phys_addr_t *end);

#define for_each_free_mem_range(i, p_start, p_end) \
	for (i = 0; __next_free_mem_range(&i, p_start, p_end); )

#endif
