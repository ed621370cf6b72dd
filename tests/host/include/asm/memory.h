/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for the linear map: "physical" memory is an arena the test allocates,
 * and the test sets host_page_offset so that __va(pa) lands inside it.
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#include <kairos/types.h>

extern unsigned long host_page_offset;

#define PAGE_OFFSET	host_page_offset
#define __va(pa)	((void *)((u64)(pa) + PAGE_OFFSET))
#define __pa(va)	((phys_addr_t)(u64)(va) - PAGE_OFFSET)

#endif
