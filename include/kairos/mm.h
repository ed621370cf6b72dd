/* SPDX-License-Identifier: MIT */
/*
 * Physical pages: one struct page per page frame of RAM, in the mem_map array, and the
 * buddy allocator that hands them out in blocks of 2^order pages.
 */
#ifndef KAIROS_MM_H
#define KAIROS_MM_H

#include <asm/memory.h>
#include <kairos/atomic.h>
#include <kairos/compiler.h>
#include <kairos/config.h>
#include <kairos/gfp.h>
#include <kairos/list.h>
#include <kairos/types.h>

#define MAX_ORDER	11	/* orders 0..10: the largest block is 4 MiB */

struct kmem_cache;

enum pageflags {
	PG_reserved,		/* never given to the buddy allocator: holes, the kernel */
	PG_buddy,		/* heads a free block on a buddy free list */
	PG_head,		/* heads an allocated block */
	PG_slab,		/* a slab of the kmem_cache in slab_cache */
	PG_large_kmalloc,	/* heads a block kmalloc() took from the buddy allocator */
	PG_anon,		/* user memory of one mm (and its forks): no file holds it */
	PG_dcache_clean,	/* contents reached the instruction side (atomic bitops) */
};

struct page {
	unsigned long flags;		/* 1 << PG_* */
	struct list_head lru;		/* buddy free list, or its cache's partial list */
	unsigned int order;		/* of the block this page heads, free or allocated */
	atomic_t _refcount;		/* references to an allocated block, kept in its head */
	/* PG_slab only. */
	struct kmem_cache *slab_cache;
	void *freelist;			/* first free object, NULL when the slab is full */
	unsigned int inuse;		/* objects handed out */
};

/* Flags change only while the page is owned (allocated) or under the zone lock. */
#define PAGEFLAG(name, bit)						\
static inline bool Page##name(const struct page *page)			\
{									\
	return page->flags & (1UL << (bit));				\
}									\
static inline void __SetPage##name(struct page *page)			\
{									\
	page->flags |= 1UL << (bit);					\
}									\
static inline void __ClearPage##name(struct page *page)			\
{									\
	page->flags &= ~(1UL << (bit));					\
}

PAGEFLAG(Reserved, PG_reserved)
PAGEFLAG(Buddy, PG_buddy)
PAGEFLAG(Head, PG_head)
PAGEFLAG(Slab, PG_slab)
PAGEFLAG(LargeKmalloc, PG_large_kmalloc)
PAGEFLAG(Anon, PG_anon)

/* mem_map[0] describes page frame min_low_pfn; max_pfn is one past the last frame. */
extern struct page *mem_map;
extern unsigned long min_low_pfn, max_pfn;

#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#define PFN_UP(x)	PHYS_PFN((x) + PAGE_SIZE - 1)
#define PFN_DOWN(x)	PHYS_PFN(x)

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn >= min_low_pfn && pfn < max_pfn;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + (pfn - min_low_pfn);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map) + min_low_pfn;
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}

static inline struct page *phys_to_page(phys_addr_t pa)
{
	return pfn_to_page(PHYS_PFN(pa));
}

static inline void *page_address(const struct page *page)
{
	return __va(page_to_phys(page));
}

static inline struct page *virt_to_page(const void *addr)
{
	return phys_to_page(__pa(addr));
}

/* Whether addr is a linear-map address of RAM that has a struct page. */
static inline bool virt_addr_valid(const void *addr)
{
	return (unsigned long)addr >= PAGE_OFFSET && pfn_valid(PHYS_PFN(__pa(addr)));
}

/* The smallest order whose block holds size bytes. */
static inline unsigned int get_order(size_t size)
{
	unsigned long pages = (size - 1) >> PAGE_SHIFT;

	return size <= PAGE_SIZE ? 0 : 8 * sizeof(pages) - __builtin_clzl(pages);
}

static inline int page_count(const struct page *page)
{
	return atomic_read(&page->_refcount);
}

/* Another reference to an allocated block: __free_pages() then only drops one. */
static inline void get_page(struct page *page)
{
	atomic_inc(&page->_refcount);
}

void page_alloc_init(void);

/* Allocators never sleep; they return NULL (or 0) when no block is large enough. */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
#define alloc_page(gfp)		alloc_pages(gfp, 0)
/* Drops a reference; the block goes back to the buddy lists with the last one. */
void __free_pages(struct page *page, unsigned int order);
#define __free_page(page)	__free_pages(page, 0)

unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
#define __get_free_page(gfp)	__get_free_pages(gfp, 0)
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
#define free_page(addr)		free_pages(addr, 0)

unsigned long nr_free_pages(void);
unsigned long totalram_pages(void);
/* Free blocks per order, as /proc/buddyinfo shows them, taken in one consistent snapshot. */
void get_buddyinfo(unsigned long nr_free[MAX_ORDER]);
void show_free_areas(void);

#endif
