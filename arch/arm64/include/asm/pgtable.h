/* SPDX-License-Identifier: MIT */
/* Stage-1 translation table descriptors for 4 KiB granules and four levels (L0..L3). */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include <asm/sysreg.h>

#define PTRS_PER_TABLE		512
#define PTE_VALID		(_UL(1) << 0)
#define PTE_NON_BLOCK		(_UL(1) << 1)	/* table at L0-L2, page at L3 */
#define PTE_TYPE_MASK		_UL(3)
#define PTE_TYPE_BLOCK		_UL(1)
#define PTE_TYPE_TABLE		_UL(3)
#define PTE_TYPE_PAGE		_UL(3)
#define PTE_ATTRINDX(mt)	((unsigned long)(mt) << 2)
#define PTE_USER		(_UL(1) << 6)	/* AP[1]: EL0 access */
#define PTE_RDONLY		(_UL(1) << 7)	/* AP[2] */
#define PTE_SHARED		(_UL(3) << 8)	/* inner shareable */
#define PTE_AF			(_UL(1) << 10)
#define PTE_NG			(_UL(1) << 11)
#define PTE_PXN			(_UL(1) << 53)
#define PTE_UXN			(_UL(1) << 54)
#define PTE_ADDR_MASK		_UL(0x0000fffffffff000)

/* Attributes of a leaf (block or page); map_range adds the type bits. */
#define PROT_NORMAL		(PTE_AF | PTE_SHARED | PTE_ATTRINDX(MT_NORMAL) | PTE_PXN | PTE_UXN)
#define PROT_NORMAL_RO		(PROT_NORMAL | PTE_RDONLY)
#define PROT_KERNEL_TEXT	(PTE_AF | PTE_SHARED | PTE_ATTRINDX(MT_NORMAL) | PTE_RDONLY | PTE_UXN)
#define PROT_KERNEL_RWX		(PTE_AF | PTE_SHARED | PTE_ATTRINDX(MT_NORMAL) | PTE_UXN)
#define PROT_DEVICE		(PTE_AF | PTE_ATTRINDX(MT_DEVICE_nGnRE) | PTE_PXN | PTE_UXN)

#ifndef __ASSEMBLY__
#include <kairos/types.h>

typedef u64 pte_t;

/*
 * How map_range reaches and grows tables: a table at physical address pa is read and
 * written at pa + va_offset (0 before the MMU is on, then the kernel image or linear
 * map offsets), and new tables come zeroed from alloc().
 */
struct pgtable_ctx {
	u64 va_offset;
	phys_addr_t (*alloc)(struct pgtable_ctx *ctx);
	bool no_blocks;		/* map with pages only, so permissions can be split later */
};

int map_range(struct pgtable_ctx *ctx, pte_t *pgd, u64 va, phys_addr_t pa, u64 size, u64 prot);
/* The leaf entry mapping va, or NULL; *level says at which level it was found. */
pte_t *walk_range(struct pgtable_ctx *ctx, pte_t *pgd, u64 va, int *level);

extern pte_t swapper_pg_dir[PTRS_PER_TABLE];
extern pte_t idmap_pg_dir[PTRS_PER_TABLE];
extern pte_t reserved_pg_dir[PTRS_PER_TABLE];
#endif

#endif
