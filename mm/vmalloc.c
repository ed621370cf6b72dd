// SPDX-License-Identifier: MIT
/*
 * The vmalloc area is handed out bottom-up and never returned, except kernel stacks,
 * whose fixed-size slots are recycled. Each stack slot is 2 * THREAD_SIZE of address
 * space: the stack in its lower half, the upper half left unmapped as the guard page of
 * the slot above. A few freed stacks stay mapped for quick reuse; beyond that their
 * pages go back to the page allocator and the empty slot waits for new pages.
 */
#include <asm/io.h>
#include <asm/memory.h>
#include <asm/pgtable.h>
#include <kairos/bug.h>
#include <kairos/mm.h>
#include <kairos/spinlock.h>
#include <kairos/vmalloc.h>

#define STACK_SLOT	(2 * THREAD_SIZE)
#define STACK_CACHE_MAX	16	/* freed stacks kept mapped */

static DEFINE_SPINLOCK(vmalloc_lock);
static u64 vmalloc_next = VMALLOC_START + STACK_SLOT;	/* the slot below is a guard too */

/* Cached stacks are chained through their own first word; unmapped slots cannot hold one,
 * so a small array keeps them (a slot that finds it full is simply not reused). */
struct free_slot {
	struct free_slot *next;
};
static u64 cached_stacks;	/* VA of the first mapped free stack, 0 if none */
static unsigned int nr_cached_stacks;
static u64 empty_slots[64];
static unsigned int nr_empty_slots;

static u64 vmalloc_reserve(u64 size, u64 align)
{
	unsigned long flags;
	u64 va;

	spin_lock_irqsave(&vmalloc_lock, flags);
	va = ALIGN(vmalloc_next, align);
	if (va + size > VMALLOC_END || va + size < va) {
		va = 0;
	} else {
		vmalloc_next = va + size;
	}
	spin_unlock_irqrestore(&vmalloc_lock, flags);
	return va;
}

void __iomem *ioremap(phys_addr_t phys, size_t size)
{
	phys_addr_t base = phys & PAGE_MASK;
	u64 len = ALIGN(phys + size, PAGE_SIZE) - base;
	/* A guard page after each mapping catches register overruns. */
	u64 va = vmalloc_reserve(len + PAGE_SIZE, PAGE_SIZE);

	if (!va || map_kernel_range(va, base, len, PROT_DEVICE))
		panic("ioremap: cannot map %#lx+%#lx", (unsigned long)phys, (unsigned long)size);
	return (void __iomem *)(va + (phys - base));
}

static void unmap_stack(u64 va, unsigned int mapped_pages)
{
	for (unsigned int i = 0; i < mapped_pages; i++) {
		phys_addr_t pa = unmap_kernel_page(va + i * PAGE_SIZE);

		if (pa)
			free_page((unsigned long)__va(pa));
	}
}

void *alloc_thread_stack(void)
{
	unsigned long flags;
	u64 va = 0;
	unsigned int i;

	spin_lock_irqsave(&vmalloc_lock, flags);
	if (cached_stacks) {
		va = cached_stacks;
		cached_stacks = (u64)((struct free_slot *)va)->next;
		nr_cached_stacks--;
		spin_unlock_irqrestore(&vmalloc_lock, flags);
		return (void *)va;
	}
	if (nr_empty_slots)
		va = empty_slots[--nr_empty_slots];
	spin_unlock_irqrestore(&vmalloc_lock, flags);

	if (!va)
		va = vmalloc_reserve(STACK_SLOT, STACK_SLOT);
	if (!va)
		return NULL;
	for (i = 0; i < THREAD_SIZE / PAGE_SIZE; i++) {
		unsigned long page = __get_free_page(GFP_KERNEL);

		if (!page || map_kernel_range(va + i * PAGE_SIZE, __pa(page), PAGE_SIZE,
					      PROT_NORMAL)) {
			if (page)
				free_page(page);
			unmap_stack(va, i);
			return NULL;	/* the address space of this slot is lost; rare */
		}
	}
	return (void *)va;
}

void free_thread_stack(void *stack)
{
	struct free_slot *slot = stack;
	unsigned long flags;
	bool cache;

	BUG_ON((u64)stack & (STACK_SLOT - 1));
	spin_lock_irqsave(&vmalloc_lock, flags);
	cache = nr_cached_stacks < STACK_CACHE_MAX;
	if (cache) {
		slot->next = (struct free_slot *)cached_stacks;
		cached_stacks = (u64)slot;
		nr_cached_stacks++;
	}
	spin_unlock_irqrestore(&vmalloc_lock, flags);
	if (cache)
		return;

	unmap_stack((u64)stack, THREAD_SIZE / PAGE_SIZE);
	spin_lock_irqsave(&vmalloc_lock, flags);
	if (nr_empty_slots < ARRAY_SIZE(empty_slots))
		empty_slots[nr_empty_slots++] = (u64)stack;
	spin_unlock_irqrestore(&vmalloc_lock, flags);
}

unsigned long cached_stack_pages(void)
{
	return READ_ONCE(nr_cached_stacks) * (THREAD_SIZE / PAGE_SIZE);
}
