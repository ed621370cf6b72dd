// SPDX-License-Identifier: MIT
/*
 * memblock: RAM and reserved ranges as two sorted arrays of disjoint, non-touching
 * regions. Boot code is single-threaded here, so there is no locking.
 */
#include <kairos/bug.h>
#include <kairos/compiler.h>
#include <kairos/memblock.h>
#include <kairos/string.h>

struct memblock memblock;

static phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/* Insert [base, base + size), merging it with every region it overlaps or touches. */
static void memblock_add_range(struct memblock_type *type, const char *name,
			       phys_addr_t base, phys_addr_t size)
{
	struct memblock_region *r = type->regions;
	phys_addr_t end = base + size;
	unsigned long i, j;

	if (!size)
		return;
	/* Clamp a range that wraps: the last byte of the address space is lost, not the range. */
	if (end < base)
		end = PHYS_ADDR_MAX;

	for (i = 0; i < type->cnt && region_end(&r[i]) < base; i++)
		;
	for (j = i; j < type->cnt && r[j].base <= end; j++) {
		base = min(base, r[j].base);
		end = max(end, region_end(&r[j]));
	}

	if (i == j) {
		if (type->cnt == MEMBLOCK_MAX_REGIONS)
			panic("memblock: more than %d %s regions, cannot add [%#llx-%#llx)",
			      MEMBLOCK_MAX_REGIONS, name, (unsigned long long)base,
			      (unsigned long long)end);
		memmove(&r[i + 1], &r[i], (type->cnt - i) * sizeof(*r));
		type->cnt++;
	} else if (j - i > 1) {
		memmove(&r[i + 1], &r[j], (type->cnt - j) * sizeof(*r));
		type->cnt -= j - i - 1;
	}
	r[i].base = base;
	r[i].size = end - base;
}

void memblock_add(phys_addr_t base, phys_addr_t size)
{
	memblock_add_range(&memblock.memory, "memory", base, size);
}

void memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	memblock_add_range(&memblock.reserved, "reserved", base, size);
}

/*
 * *idx packs a memory index (low half) and a reserved-gap index (high half). Gap k is
 * the space between reserved regions k - 1 and k; both arrays are sorted, so one merge
 * pass over them yields every free range in order.
 */
bool __next_free_mem_range(u64 *idx, phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_type *mem = &memblock.memory, *rsv = &memblock.reserved;
	unsigned long mi = (u32)*idx, ri = *idx >> 32;

	for (; mi < mem->cnt; mi++) {
		phys_addr_t m_start = mem->regions[mi].base;
		phys_addr_t m_end = region_end(&mem->regions[mi]);

		for (; ri <= rsv->cnt; ri++) {
			phys_addr_t r_start = ri ? region_end(&rsv->regions[ri - 1]) : 0;
			phys_addr_t r_end = ri < rsv->cnt ? rsv->regions[ri].base : PHYS_ADDR_MAX;

			/* The gap lies past this memory region; it may meet the next one. */
			if (r_start >= m_end)
				break;
			if (m_start < r_end) {
				*start = max(m_start, r_start);
				*end = min(m_end, r_end);
				/* Advance whichever of the two ends first. */
				if (m_end <= r_end)
					mi++;
				else
					ri++;
				*idx = (u64)ri << 32 | mi;
				return true;
			}
		}
	}
	return false;
}

phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t start, end, found = 0;
	u64 i;

	if (!align || (align & (align - 1)))
		panic("memblock_alloc: alignment %#llx is not a power of two",
		      (unsigned long long)align);
	if (!size)
		return 0;
	/* Ranges come lowest first, so the last one that fits gives the highest address. */
	for_each_free_mem_range(i, &start, &end) {
		phys_addr_t cand;

		if (end - start < size)
			continue;
		cand = ALIGN_DOWN(end - size, align);
		/* 0 is the failure value, so physical address 0 is never handed out. */
		if (cand >= start && cand)
			found = cand;
	}
	if (found)
		memblock_reserve(found, size);
	return found;
}

phys_addr_t memblock_phys_mem_size(void)
{
	phys_addr_t total = 0;
	unsigned long i;

	for (i = 0; i < memblock.memory.cnt; i++)
		total += memblock.memory.regions[i].size;
	return total;
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_type *mem = &memblock.memory;

	return mem->cnt ? region_end(&mem->regions[mem->cnt - 1]) : 0;
}
