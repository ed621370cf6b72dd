/* SPDX-License-Identifier: MIT */
/*
 * The kernel's virtual address map (48-bit VAs, 4 KiB pages):
 *
 *   0x0000000000000000 - 0x0000ffffffffffff  user space (TTBR0)
 *   0xffff000000000000 - 0xffff7fffffffffff  linear map of all RAM: va = pa + PAGE_OFFSET
 *   0xffff800000000000 - 0xffffff7fffffffff  vmalloc: kernel stacks, ioremap
 *   0xffffff8000000000 -                     the kernel image (KIMAGE_VADDR)
 *   0xffffffffc0000000 - +4 MiB              early fixmap for the device tree blob
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#define VA_BITS			48
#define PAGE_OFFSET		0xffff000000000000
#define VMALLOC_START		0xffff800000000000
#define VMALLOC_END		0xffffff8000000000
#define KIMAGE_VADDR		0xffffff8000000000
#define FIXMAP_FDT_VADDR	0xffffffffc0000000
#define FIXMAP_FDT_SIZE		(4UL << 20)
#define USER_VA_END		(1UL << VA_BITS)

#ifndef __ASSEMBLY__
#include <kairos/types.h>

/* Physical address at which the image was loaded minus KIMAGE_VADDR, set at boot. */
extern u64 kimage_voffset;

#define __va(pa)	((void *)((u64)(pa) + PAGE_OFFSET))
#define __pa(va)	((phys_addr_t)(va) - PAGE_OFFSET)
/* For symbols of the kernel image, which live outside the linear map. */
#define __pa_symbol(va)	((phys_addr_t)(va) + kimage_voffset)

static inline bool is_linear_addr(u64 va)
{
	return va >= PAGE_OFFSET && va < VMALLOC_START;
}
#endif

#endif
