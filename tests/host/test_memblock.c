// SPDX-License-Identifier: MIT
/*
 * memblock against a brute-force model: every byte range is tracked in bitmaps of
 * 16-byte units, and the sorted arrays, the free-range iterator and memblock_alloc()
 * must agree with the model exactly.
 */
#include <stdio.h>
#include <string.h>

#include <kairos/memblock.h>

#include "mm_support.h"
#include "tap.h"

#define BASE	0x40000000ULL	/* like QEMU virt: nothing at physical 0 */
#define UNIT	16
#define UNITS	4096		/* the model covers [BASE, BASE + 64 KiB) */

static bool model_mem[UNITS], model_rsv[UNITS];

static void model_reset(void)
{
	host_memblock_reset();
	memset(model_mem, 0, sizeof(model_mem));
	memset(model_rsv, 0, sizeof(model_rsv));
}

static void model_set(bool *map, unsigned int start, unsigned int len)
{
	for (unsigned int u = start; u < start + len && u < UNITS; u++)
		map[u] = true;
}

static phys_addr_t unit_pa(unsigned int u)
{
	return BASE + (phys_addr_t)u * UNIT;
}

/* The type's regions are sorted, disjoint, not touching, and cover exactly the model. */
static bool type_matches(const struct memblock_type *type, const bool *map, char *why,
			 size_t len)
{
	bool covered[UNITS] = { false };

	for (unsigned long i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (!r->size || r->base < BASE || r->base + r->size > unit_pa(UNITS)) {
			snprintf(why, len, "region %lu [%#llx+%#llx) out of bounds", i,
				 (unsigned long long)r->base, (unsigned long long)r->size);
			return false;
		}
		if (i && type->regions[i - 1].base + type->regions[i - 1].size >= r->base) {
			snprintf(why, len, "regions %lu and %lu unsorted or unmerged", i - 1, i);
			return false;
		}
		for (phys_addr_t pa = r->base; pa < r->base + r->size; pa += UNIT)
			covered[(pa - BASE) / UNIT] = true;
	}
	for (unsigned int u = 0; u < UNITS; u++) {
		if (covered[u] != map[u]) {
			snprintf(why, len, "unit %u: memblock %d, model %d", u, covered[u], map[u]);
			return false;
		}
	}
	return true;
}

/* The iterator yields exactly the runs of (memory and not reserved), in order. */
static bool free_ranges_match(char *why, size_t len)
{
	phys_addr_t start, end;
	unsigned int u = 0;
	u64 i;

	for_each_free_mem_range(i, &start, &end) {
		while (u < UNITS && !(model_mem[u] && !model_rsv[u]))
			u++;
		if (u == UNITS || start != unit_pa(u)) {
			snprintf(why, len, "range [%#llx-%#llx) does not start the run at unit %u",
				 (unsigned long long)start, (unsigned long long)end, u);
			return false;
		}
		while (u < UNITS && model_mem[u] && !model_rsv[u])
			u++;
		if (end != unit_pa(u)) {
			snprintf(why, len, "range [%#llx-%#llx) should end at %#llx",
				 (unsigned long long)start, (unsigned long long)end,
				 (unsigned long long)unit_pa(u));
			return false;
		}
	}
	while (u < UNITS && !(model_mem[u] && !model_rsv[u]))
		u++;
	if (u != UNITS) {
		snprintf(why, len, "free unit %u never reported", u);
		return false;
	}
	return true;
}

static void test_merging(void)
{
	char why[128] = "";

	model_reset();
	memblock_add(BASE + 0x1000, 0x1000);
	memblock_add(BASE + 0x3000, 0x1000);
	TAP_OK(memblock.memory.cnt == 2, "disjoint ranges stay separate");
	memblock_add(BASE + 0x2000, 0x1000);
	TAP_OK(memblock.memory.cnt == 1 && memblock.memory.regions[0].base == BASE + 0x1000 &&
	       memblock.memory.regions[0].size == 0x3000,
	       "a range touching both neighbours merges all three");
	memblock_add(BASE + 0x8000, 0x100);
	memblock_add(BASE + 0x6000, 0x100);
	memblock_add(BASE + 0x7000, 0x100);
	TAP_OK(memblock.memory.cnt == 4 && memblock.memory.regions[1].base == BASE + 0x6000 &&
	       memblock.memory.regions[2].base == BASE + 0x7000,
	       "out-of-order adds are kept sorted");
	memblock_add(BASE + 0x5000, 0x3080);
	TAP_OK(memblock.memory.cnt == 2 && memblock.memory.regions[1].base == BASE + 0x5000 &&
	       memblock.memory.regions[1].size == 0x3100,
	       "an overlapping range swallows several regions");
	memblock_add(BASE + 0x5800, 0x10);
	TAP_OK(memblock.memory.cnt == 2 && memblock.memory.regions[1].size == 0x3100,
	       "a range inside a region changes nothing");
	memblock_add(BASE, 0);
	TAP_OK(memblock.memory.cnt == 2, "an empty range is ignored");

	model_set(model_mem, 0x100, 0x300);
	model_set(model_mem, 0x500, 0x310);
	tap_result(type_matches(&memblock.memory, model_mem, why, sizeof(why)),
		   "memory regions match the model", why);
	TAP_OK(memblock_phys_mem_size() == 0x3000 + 0x3100,
	       "memblock_phys_mem_size sums the regions");
	TAP_OK(memblock_start_of_DRAM() == BASE + 0x1000 && memblock_end_of_DRAM() == BASE + 0x8100,
	       "start and end of DRAM");

	memblock_reserve(~0ULL - 0xfff, 0x2000);
	TAP_OK(memblock.reserved.cnt == 1 && memblock.reserved.regions[0].size == 0xfff,
	       "a range wrapping the address space is clamped");
}

static void test_random_model(void)
{
	char why[160] = "";
	bool good = true;
	int round;

	for (round = 0; round < 300 && good; round++) {
		int n = 1 + host_rand() % 40;

		model_reset();
		for (int k = 0; k < n; k++) {
			unsigned int start = host_rand() % UNITS, len = 1 + host_rand() % 200;
			bool rsv = host_rand() % 2;

			if (start + len > UNITS)
				len = UNITS - start;
			if (rsv)
				memblock_reserve(unit_pa(start), (phys_addr_t)len * UNIT);
			else
				memblock_add(unit_pa(start), (phys_addr_t)len * UNIT);
			model_set(rsv ? model_rsv : model_mem, start, len);
		}
		good = type_matches(&memblock.memory, model_mem, why, sizeof(why)) &&
		       type_matches(&memblock.reserved, model_rsv, why, sizeof(why)) &&
		       free_ranges_match(why, sizeof(why));
	}
	tap_result(good, "300 random add/reserve mixes: regions and free ranges match the model",
		   why);
}

/* The highest aligned start of size free units, as memblock_alloc should pick it. */
static long model_best_fit(unsigned int size, unsigned int align)
{
	for (long a = (long)(UNITS - size) / align * align; a >= 0; a -= align) {
		unsigned int u;

		for (u = a; u < a + size && model_mem[u] && !model_rsv[u]; u++)
			;
		if (u == a + size)
			return a;
	}
	return -1;
}

static void test_alloc(void)
{
	char why[160] = "";
	bool good = true;
	int allocs = 0, failures = 0;

	for (int round = 0; round < 100 && good; round++) {
		model_reset();
		for (int k = 0; k < 6; k++) {
			unsigned int start = host_rand() % UNITS, len = 1 + host_rand() % 600;

			len = start + len > UNITS ? UNITS - start : len;
			memblock_add(unit_pa(start), (phys_addr_t)len * UNIT);
			model_set(model_mem, start, len);
			start = host_rand() % UNITS;
			len = 1 + host_rand() % 100;
			len = start + len > UNITS ? UNITS - start : len;
			memblock_reserve(unit_pa(start), (phys_addr_t)len * UNIT);
			model_set(model_rsv, start, len);
		}
		for (;;) {
			unsigned int size = 1 + host_rand() % 64, align = 1U << (host_rand() % 7);
			long want = model_best_fit(size, align);
			phys_addr_t got = memblock_alloc((phys_addr_t)size * UNIT,
							 (phys_addr_t)align * UNIT);

			if (want < 0) {
				if (got) {
					snprintf(why, sizeof(why),
						 "alloc of %u units got %#llx, none free", size,
						 (unsigned long long)got);
					good = false;
				}
				failures++;
				break;
			}
			if (got != unit_pa(want)) {
				snprintf(why, sizeof(why),
					 "alloc of %u units align %u: got %#llx, want %#llx", size,
					 align, (unsigned long long)got,
					 (unsigned long long)unit_pa(want));
				good = false;
				break;
			}
			model_set(model_rsv, want, size);
			allocs++;
			if (!type_matches(&memblock.reserved, model_rsv, why, sizeof(why))) {
				good = false;
				break;
			}
		}
	}
	tap_diag("%d allocations, %d rounds ended by a failed one", allocs, failures);
	tap_result(good && failures == 100,
		   "memblock_alloc takes the highest fit, reserves it, fails only if none fits",
		   why);
	TAP_OK(allocs > 1000, "the allocation model ran enough allocations");

	model_reset();
	memblock_add(BASE, 0x10000);
	memblock_reserve(BASE, 0x10000);
	TAP_OK(memblock_alloc(16, 16) == 0, "nothing free: memblock_alloc returns 0");
	model_reset();
	memblock_add(0, 0x1000);
	TAP_OK(memblock_alloc(0x1000, 0x1000) == 0, "physical address 0 is never handed out");
}

static void test_table_full(void)
{
	unsigned int i;

	model_reset();
	for (i = 0; i < MEMBLOCK_MAX_REGIONS; i++)
		memblock_reserve(BASE + i * 0x100, 0x10);
	TAP_OK(memblock.reserved.cnt == MEMBLOCK_MAX_REGIONS,
	       "MEMBLOCK_MAX_REGIONS disjoint regions fit");
	memblock_reserve(BASE + 0x10, 0x10);
	TAP_OK(memblock.reserved.cnt == MEMBLOCK_MAX_REGIONS,
	       "a touching region still merges when the table is full");
	TAP_OK(EXPECT_PANIC(memblock_reserve(BASE + 0x80, 0x10)) &&
	       strstr(host_panic_msg, "more than 64 reserved"),
	       "one region too many panics instead of losing a reservation");
}

int main(void)
{
	host_srand(0x6d656d62);
	test_merging();
	test_random_model();
	test_alloc();
	test_table_full();
	return tap_done();
}
