// SPDX-License-Identifier: MIT
/*
 * Building translation tables. This file is compiled position-independent (see the
 * Makefile) because the first caller runs before the MMU is on, at the physical address
 * the image was loaded to; later callers reuse it unchanged from the kernel's mapping.
 */
#include <asm/pgtable.h>
#include <kairos/compiler.h>

#define LEVEL_SHIFT(l)	(39 - 9 * (l))

static pte_t *table_va(struct pgtable_ctx *ctx, pte_t desc)
{
	return (pte_t *)((desc & PTE_ADDR_MASK) + ctx->va_offset);
}

static int map_level(struct pgtable_ctx *ctx, pte_t *table, int level, u64 va, u64 end,
		     phys_addr_t pa, u64 prot)
{
	u64 blk = 1UL << LEVEL_SHIFT(level);

	while (va < end) {
		u64 next = (va & ~(blk - 1)) + blk;
		pte_t *ent = &table[(va >> LEVEL_SHIFT(level)) % PTRS_PER_TABLE];

		/* next wraps to 0 in the very last block of the address space */
		if (next > end || next == 0)
			next = end;
		if (level == 3) {
			*ent = pa | prot | PTE_TYPE_PAGE;
		} else if (level >= 1 && !ctx->no_blocks && next - va == blk &&
			   !(pa & (blk - 1)) && !(*ent & PTE_VALID)) {
			*ent = pa | prot | PTE_TYPE_BLOCK;
		} else {
			if (!(*ent & PTE_VALID)) {
				phys_addr_t t = ctx->alloc(ctx);

				if (!t)
					return -1;
				*ent = t | PTE_TYPE_TABLE;
			} else if ((*ent & PTE_TYPE_MASK) != PTE_TYPE_TABLE) {
				return -1;	/* would need to split a block mapping */
			}
			if (map_level(ctx, table_va(ctx, *ent), level + 1, va, next, pa, prot))
				return -1;
		}
		pa += next - va;
		va = next;
	}
	return 0;
}

/* Map [va, va + size) to [pa, ...) with leaf attributes prot, using the largest blocks
 * alignment allows. Returns 0, or -1 when out of table pages or a block is in the way. */
int map_range(struct pgtable_ctx *ctx, pte_t *pgd, u64 va, phys_addr_t pa, u64 size, u64 prot)
{
	return map_level(ctx, pgd, 0, va, va + size, pa, prot);
}

pte_t *walk_range(struct pgtable_ctx *ctx, pte_t *pgd, u64 va, int *level)
{
	pte_t *table = pgd;

	for (int l = 0; l <= 3; l++) {
		pte_t *ent = &table[(va >> LEVEL_SHIFT(l)) % PTRS_PER_TABLE];

		if (!(*ent & PTE_VALID))
			return NULL;
		if (l == 3 || (*ent & PTE_TYPE_MASK) == PTE_TYPE_BLOCK) {
			*level = l;
			return ent;
		}
		table = table_va(ctx, *ent);
	}
	return NULL;
}
