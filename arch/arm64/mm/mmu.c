// SPDX-License-Identifier: MIT
/*
 * The kernel's half of the address space after boot: the linear map of RAM (built here
 * from memblock, in swapper_pg_dir next to the image mapping head.S made), fixmap slots
 * for early devices, and changes to kernel mappings at run time (vmalloc, ioremap).
 */
#include <asm/io.h>
#include <asm/memory.h>
#include <asm/mmu_context.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include <kairos/bug.h>
#include <kairos/memblock.h>
#include <kairos/mm.h>
#include <kairos/sched.h>
#include <kairos/spinlock.h>

#define FIXMAP_UART_VADDR	(FIXMAP_FDT_VADDR + FIXMAP_FDT_SIZE)

extern char _text[], __end_rodata[];
phys_addr_t early_pgtable_alloc(struct pgtable_ctx *ctx);

/* Before the linear map exists, tables come from the image's pool, reached through it. */
static struct pgtable_ctx early_ctx = { .alloc = early_pgtable_alloc, .no_blocks = false };
static bool buddy_ready;
static DEFINE_SPINLOCK(kernel_pgtable_lock);

static phys_addr_t pgtable_page_alloc(struct pgtable_ctx *ctx)
{
	unsigned long va = get_zeroed_page(GFP_KERNEL);

	return va ? __pa(va) : 0;
}

static struct pgtable_ctx kernel_ctx = { .va_offset = PAGE_OFFSET, .alloc = pgtable_page_alloc };

/* A page of device registers at a fixed address, usable before any allocator. */
void __iomem *early_ioremap_uart(phys_addr_t phys)
{
	early_ctx.va_offset = -kimage_voffset;
	early_ctx.no_blocks = true;
	if (map_range(&early_ctx, swapper_pg_dir, FIXMAP_UART_VADDR, phys & PAGE_MASK, PAGE_SIZE,
		      PROT_DEVICE))
		return NULL;
	pgtable_publish();
	return (void __iomem *)(FIXMAP_UART_VADDR + (phys & ~PAGE_MASK));
}

static void map_linear(phys_addr_t start, phys_addr_t end, u64 prot)
{
	if (start >= end)
		return;
	if (map_range(&early_ctx, swapper_pg_dir, (u64)__va(start), start, end - start, prot))
		panic("paging_init: out of boot page tables mapping %#lx-%#lx",
		      (unsigned long)start, (unsigned long)end);
}

/*
 * Map all of RAM at PAGE_OFFSET. The image's own text and rodata appear there read-only,
 * so that no alias makes them writable.
 */
void __init paging_init(void)
{
	phys_addr_t ro_start = __pa_symbol(_text), ro_end = __pa_symbol(__end_rodata);

	early_ctx.va_offset = -kimage_voffset;
	early_ctx.no_blocks = false;
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		phys_addr_t start = memblock.memory.regions[i].base;
		phys_addr_t end = start + memblock.memory.regions[i].size;

		if (end <= ro_start || start >= ro_end) {
			map_linear(start, end, PROT_NORMAL);
			continue;
		}
		map_linear(start, ro_start, PROT_NORMAL);
		map_linear(max(start, ro_start), min(end, ro_end), PROT_NORMAL_RO);
		map_linear(ro_end, end, PROT_NORMAL);
	}
	pgtable_publish();
	cpu_uninstall_idmap();
	/* TTBR0 holds init_mm's (empty) table now: the boot task, and every task forked
	 * from it until one gets an mm of its own, runs on init_mm. */
	init_task.active_mm = &init_mm;
}

/* From here on new kernel tables come from the page allocator. */
void __init paging_init_late(void)
{
	buddy_ready = true;
}

int map_kernel_range(u64 va, phys_addr_t pa, u64 size, u64 prot)
{
	unsigned long flags;
	int err;

	BUG_ON(!buddy_ready);
	spin_lock_irqsave(&kernel_pgtable_lock, flags);
	err = map_range(&kernel_ctx, swapper_pg_dir, va, pa, size, prot);
	spin_unlock_irqrestore(&kernel_pgtable_lock, flags);
	pgtable_publish();
	return err;
}

/* Unmap one page mapped with map_kernel_range; returns what it mapped, or 0. */
phys_addr_t unmap_kernel_page(u64 va)
{
	unsigned long flags;
	phys_addr_t pa = 0;
	pte_t *pte;
	int level;

	spin_lock_irqsave(&kernel_pgtable_lock, flags);
	pte = walk_range(&kernel_ctx, swapper_pg_dir, va, &level);
	if (pte && level == 3) {
		pa = *pte & PTE_ADDR_MASK;
		WRITE_ONCE(*pte, 0);
	}
	spin_unlock_irqrestore(&kernel_pgtable_lock, flags);
	if (pa)
		flush_tlb_kernel_page(va);
	return pa;
}
