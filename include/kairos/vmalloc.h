/* SPDX-License-Identifier: MIT */
/* The vmalloc area: kernel stacks with guard pages, and device register mappings. */
#ifndef KAIROS_VMALLOC_H
#define KAIROS_VMALLOC_H

#include <kairos/types.h>

/* THREAD_SIZE bytes aligned to 2 * THREAD_SIZE, with the THREAD_SIZE below unmapped
 * (entry.S relies on both for its overflow check). NULL when out of memory. */
void *alloc_thread_stack(void);
void free_thread_stack(void *stack);
/* Pages held by freed stacks kept mapped for reuse (at most a few stacks' worth). */
unsigned long cached_stack_pages(void);

int map_kernel_range(u64 va, phys_addr_t pa, u64 size, u64 prot);
phys_addr_t unmap_kernel_page(u64 va);

#endif
