// SPDX-License-Identifier: MIT
/*
 * The buddy allocator. RAM is one zone of blocks of 2^order pages, each aligned to its
 * size in page frame numbers, so a block's buddy is found by flipping one pfn bit. A
 * free block's head page carries PG_buddy and its order; an allocated block's head
 * carries PG_head, its order and its reference count; every other page has neither.
 * One lock, taken with IRQs off, because pages are allocated and freed from IRQ context.
 */
#include <kairos/bitmap.h>
#include <kairos/bug.h>
#include <kairos/memblock.h>
#include <kairos/mm.h>
#include <kairos/printk.h>
#include <kairos/spinlock.h>
#include <kairos/string.h>

struct page *mem_map;
unsigned long min_low_pfn, max_pfn;

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;		/* blocks on free_list */
};

static struct zone {
	spinlock_t lock;
	struct free_area free_area[MAX_ORDER];
	unsigned long free_pages;
	unsigned long managed_pages;	/* pages given to the allocator at boot */
} zone = { .lock = __SPIN_LOCK_UNLOCKED };

static void add_free_block(struct page *page, unsigned int order)
{
	__SetPageBuddy(page);
	page->order = order;
	list_add(&page->lru, &zone.free_area[order].free_list);
	zone.free_area[order].nr_free++;
}

static void del_free_block(struct page *page, unsigned int order)
{
	list_del(&page->lru);
	zone.free_area[order].nr_free--;
	__ClearPageBuddy(page);
}

/* Free the block at pfn, merging it with its buddy for as long as the buddy is free. */
static void free_one_block(unsigned long pfn, unsigned int order)
{
	zone.free_pages += 1UL << order;
	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;

		if (!pfn_valid(buddy_pfn))
			break;
		buddy = pfn_to_page(buddy_pfn);
		/* A free buddy of a smaller order is only part of the buddy block. */
		if (!PageBuddy(buddy) || buddy->order != order)
			break;
		del_free_block(buddy, order);
		pfn &= ~(1UL << order);
		order++;
	}
	add_free_block(pfn_to_page(pfn), order);
}

/* Take a block of the given order, splitting a larger one if that is all there is. */
static struct page *take_block(unsigned int order)
{
	unsigned int cur;

	for (cur = order; cur < MAX_ORDER; cur++) {
		struct free_area *area = &zone.free_area[cur];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		if (unlikely(!PageBuddy(page) || page->order != cur))
			panic("page_alloc: free list of order %u corrupt at pfn %#lx "
			      "(flags %#lx, order %u)", cur, page_to_pfn(page), page->flags,
			      page->order);
		del_free_block(page, cur);
		/* Give back the upper halves until the block is as small as asked. */
		while (cur > order) {
			cur--;
			add_free_block(page + (1UL << cur), cur);
		}
		zone.free_pages -= 1UL << order;
		return page;
	}
	return NULL;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	unsigned long flags;
	struct page *page;

	if (order >= MAX_ORDER)
		return NULL;
	spin_lock_irqsave(&zone.lock, flags);
	page = take_block(order);
	if (page) {
		__SetPageHead(page);
		page->order = order;
		atomic_set(&page->_refcount, 1);
	}
	spin_unlock_irqrestore(&zone.lock, flags);
	if (page && (gfp & __GFP_ZERO))
		memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

/* Whether pfn lies in a block on the free lists: only asked on the way to a panic. */
static bool pfn_is_free(unsigned long pfn)
{
	unsigned int order;

	for (order = 0; order < MAX_ORDER; order++) {
		unsigned long head = pfn & ~((1UL << order) - 1);
		struct page *page;

		if (!pfn_valid(head))
			break;
		page = pfn_to_page(head);
		if (PageBuddy(page) && page->order >= order)
			return true;
	}
	return false;
}

static void __noreturn bad_free(struct page *page, unsigned int order, const char *why)
{
	panic("free_pages: %s: pfn %#lx order %u (flags %#lx, stored order %u, refcount %d)",
	      why, page_to_pfn(page), order, page->flags, page->order, page_count(page));
}

void __free_pages(struct page *page, unsigned int order)
{
	unsigned long flags;

	if (unlikely(page < mem_map || page >= mem_map + (max_pfn - min_low_pfn)))
		panic("free_pages: %p is not a struct page in mem_map", (void *)page);
	if (unlikely(!PageHead(page))) {
		if (pfn_is_free(page_to_pfn(page)))
			bad_free(page, order, "double free");
		if (PageReserved(page))
			bad_free(page, order, "page is reserved");
		bad_free(page, order, "not the head of an allocated block");
	}
	if (unlikely(page->order != order))
		bad_free(page, order, "wrong order");
	if (unlikely(PageSlab(page) || PageLargeKmalloc(page)))
		bad_free(page, order, "page still belongs to the slab allocator");
	if (unlikely(page_count(page) <= 0))
		bad_free(page, order, "reference count underflow");

	if (atomic_dec_return(&page->_refcount))
		return;
	spin_lock_irqsave(&zone.lock, flags);
	__ClearPageHead(page);
	__ClearPageAnon(page);
	__clear_bit(PG_dcache_clean, &page->flags);
	free_one_block(page_to_pfn(page), order);
	spin_unlock_irqrestore(&zone.lock, flags);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (unlikely(!virt_addr_valid((void *)addr) || (addr & ~PAGE_MASK)))
		panic("free_pages: %#lx is not the address of a page", addr);
	__free_pages(virt_to_page((void *)addr), order);
}

unsigned long nr_free_pages(void)
{
	return READ_ONCE(zone.free_pages);
}

unsigned long totalram_pages(void)
{
	return zone.managed_pages;
}

void get_buddyinfo(unsigned long nr_free[MAX_ORDER])
{
	unsigned long flags;
	unsigned int order;

	spin_lock_irqsave(&zone.lock, flags);
	for (order = 0; order < MAX_ORDER; order++)
		nr_free[order] = zone.free_area[order].nr_free;
	spin_unlock_irqrestore(&zone.lock, flags);
}

void show_free_areas(void)
{
	unsigned long nr_free[MAX_ORDER];
	unsigned int order;

	get_buddyinfo(nr_free);
	pr_info("free blocks:");
	for (order = 0; order < MAX_ORDER; order++)
		pr_cont(" %lu*%luKiB", nr_free[order], (PAGE_SIZE << order) >> 10);
	pr_cont("\n");
	pr_info("free: %lu KiB of %lu KiB\n", nr_free_pages() * (PAGE_SIZE >> 10),
		totalram_pages() * (PAGE_SIZE >> 10));
}

/* Hand [start, end) to the allocator in the largest aligned blocks that fit. */
static void free_range(unsigned long start, unsigned long end)
{
	unsigned long pfn;

	for (pfn = start; pfn < end; pfn++)
		__ClearPageReserved(pfn_to_page(pfn));
	zone.managed_pages += end - start;
	while (start < end) {
		unsigned int order = start ? __builtin_ctzl(start) : MAX_ORDER - 1;

		order = min(order, MAX_ORDER - 1U);
		while (start + (1UL << order) > end)
			order--;
		free_one_block(start, order);
		start += 1UL << order;
	}
}

void page_alloc_init(void)
{
	phys_addr_t map, start, end;
	unsigned long flags, nr_pages, pfn;
	unsigned int order;
	u64 i;

	min_low_pfn = PFN_DOWN(memblock_start_of_DRAM());
	max_pfn = PFN_UP(memblock_end_of_DRAM());
	nr_pages = max_pfn - min_low_pfn;
	if (!nr_pages)
		panic("page_alloc: memblock describes no RAM");
	map = memblock_alloc(nr_pages * sizeof(struct page), PAGE_SIZE);
	if (!map)
		panic("page_alloc: no room for mem_map (%lu pages)", nr_pages);
	mem_map = __va(map);
	memset(mem_map, 0, nr_pages * sizeof(struct page));
	/* Holes and reserved memory stay reserved; only memblock's free ranges are freed. */
	for (pfn = min_low_pfn; pfn < max_pfn; pfn++)
		__SetPageReserved(pfn_to_page(pfn));

	spin_lock_init(&zone.lock);
	spin_lock_irqsave(&zone.lock, flags);
	for (order = 0; order < MAX_ORDER; order++) {
		INIT_LIST_HEAD(&zone.free_area[order].free_list);
		zone.free_area[order].nr_free = 0;
	}
	zone.free_pages = 0;
	zone.managed_pages = 0;
	for_each_free_mem_range(i, &start, &end)
		if (PFN_UP(start) < PFN_DOWN(end))
			free_range(PFN_UP(start), PFN_DOWN(end));
	spin_unlock_irqrestore(&zone.lock, flags);

	pr_info("page_alloc: %lu KiB free in %lu page frames from pfn %#lx, mem_map %lu KiB\n",
		zone.free_pages * (PAGE_SIZE >> 10), nr_pages, min_low_pfn,
		(unsigned long)(nr_pages * sizeof(struct page)) >> 10);
}
