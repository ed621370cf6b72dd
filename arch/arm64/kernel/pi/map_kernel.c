// SPDX-License-Identifier: MIT
/*
 * The first C code: runs with the MMU off, at the physical load address, and builds
 *  - idmap_pg_dir (TTBR0): the image mapped at its physical address, so that the
 *    instructions that turn the MMU on keep being fetched;
 *  - swapper_pg_dir (TTBR1): the image at KIMAGE_VADDR with per-section permissions,
 *    and the device tree blob at FIXMAP_FDT_VADDR.
 * Everything here is reached PC-relative, so its addresses are physical.
 */
#include <asm/memory.h>
#include <asm/pgtable.h>
#include <kairos/compiler.h>

/* Page tables for boot and for the linear map of RAM; see early_pgtable_alloc(). */
#define EARLY_PGTABLE_PAGES	96
u8 early_pgtables[EARLY_PGTABLE_PAGES * 4096] __section(".pgtables") __aligned(4096);
unsigned int early_pgtables_used __section(".pgtables");
pte_t swapper_pg_dir[PTRS_PER_TABLE] __section(".pgtables") __aligned(4096);
pte_t idmap_pg_dir[PTRS_PER_TABLE] __section(".pgtables") __aligned(4096);
pte_t reserved_pg_dir[PTRS_PER_TABLE] __section(".pgtables") __aligned(4096);

u64 kimage_voffset;
u64 boot_cpu_el;	/* the exception level the boot CPU entered at (head.S) */
phys_addr_t boot_fdt_phys;

extern char _text[], _etext[], __end_rodata[], _end[];

/* Hands out pool pages by physical address; va_offset says where they are reachable. */
phys_addr_t early_pgtable_alloc(struct pgtable_ctx *ctx)
{
	phys_addr_t pool = (phys_addr_t)early_pgtables - ctx->va_offset;

	if (early_pgtables_used >= EARLY_PGTABLE_PAGES)
		return 0;
	return pool + 4096UL * early_pgtables_used++;
}

static void __noreturn hang(void)
{
	for (;;)
		__asm__ __volatile__("wfe");
}

void __init early_map_kernel(phys_addr_t fdt_phys)
{
	struct pgtable_ctx ctx = { .va_offset = 0, .alloc = early_pgtable_alloc, .no_blocks = true };
	phys_addr_t text = (phys_addr_t)_text;
	u64 size = (u64)_end - text;
	u64 text_size = (u64)_etext - text;
	u64 ro_size = (u64)__end_rodata - (u64)_etext;
	phys_addr_t fdt_base = fdt_phys & ~((2UL << 20) - 1);
	int err = 0;

	kimage_voffset = text - KIMAGE_VADDR;
	boot_fdt_phys = fdt_phys;

	err |= map_range(&ctx, idmap_pg_dir, text, text, size, PROT_KERNEL_RWX);
	err |= map_range(&ctx, swapper_pg_dir, KIMAGE_VADDR, text, text_size, PROT_KERNEL_TEXT);
	err |= map_range(&ctx, swapper_pg_dir, KIMAGE_VADDR + text_size, text + text_size,
			 ro_size, PROT_NORMAL_RO);
	err |= map_range(&ctx, swapper_pg_dir, KIMAGE_VADDR + text_size + ro_size,
			 text + text_size + ro_size, size - text_size - ro_size, PROT_NORMAL);
	/* The blob may be up to 2 MiB and need not be aligned: map 4 MiB around it. */
	if (fdt_phys)
		err |= map_range(&ctx, swapper_pg_dir, FIXMAP_FDT_VADDR, fdt_base,
				 FIXMAP_FDT_SIZE, PROT_NORMAL_RO);
	if (err)
		hang();		/* too early to say anything: no console yet */
}
