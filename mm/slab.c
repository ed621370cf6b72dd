// SPDX-License-Identifier: MIT
/*
 * Slabs. A slab is one page cut into objects at multiples of the cache's stride, so an
 * object is found from its address alone: virt_to_page() gives the slab and its cache.
 * Free objects form a list threaded through their first word, which holds FREE_TAG in
 * the top 48 bits and the page offset of the next free object in the low 16.
 *
 * The tag is what makes the debug checks cheap. Freeing an object that already carries
 * it is a double free: one load per free, and only when the tag is there a walk of that
 * slab's free list to be sure, so a live object that happens to hold the tag is never
 * mistaken for a free one. Popping an object that lost its tag means it was written
 * after it was freed. A pointer that is not at an object boundary is caught from its
 * offset in the page.
 */
#include <kairos/bug.h>
#include <kairos/mm.h>
#include <kairos/slab.h>
#include <kairos/string.h>

#define FREE_TAG	0xf7ee0b1ec7ed0000UL
#define FREE_NEXT_MASK	0xffffUL
#define FREE_END	FREE_NEXT_MASK		/* no next free object: never a page offset */

/* The free word shares memory with whatever the object held: no aliasing assumptions. */
typedef unsigned long __attribute__((may_alias)) free_word_t;

struct kmem_cache kmalloc_caches[KMALLOC_CACHES];

static const char *const kmalloc_names[KMALLOC_CACHES] = {
	"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128",
	"kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048",
};

static bool obj_is_tagged(const void *obj)
{
	return (*(const free_word_t *)obj & ~FREE_NEXT_MASK) == FREE_TAG;
}

static unsigned long obj_offset(struct page *page, const void *obj)
{
	return (unsigned long)obj - (unsigned long)page_address(page);
}

static struct page *new_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct page *page = alloc_pages(gfp & ~__GFP_ZERO, 0);
	char *base;
	unsigned int i;

	if (!page)
		return NULL;
	__SetPageSlab(page);
	page->slab_cache = s;
	page->inuse = 0;
	base = page_address(page);
	for (i = 0; i < s->objects; i++) {
		unsigned long next = i + 1 < s->objects ? (i + 1) * s->size : FREE_END;

		*(free_word_t *)(base + i * s->size) = FREE_TAG | next;
	}
	page->freelist = base;
	s->nr_slabs++;
	return page;
}

static void discard_slab(struct kmem_cache *s, struct page *page)
{
	__ClearPageSlab(page);
	page->slab_cache = NULL;
	page->freelist = NULL;
	s->nr_slabs--;
	__free_pages(page, 0);
}

static void *slab_pop(struct kmem_cache *s, struct page *page)
{
	char *obj = page->freelist;
	unsigned long word = *(free_word_t *)obj, next;

	if (unlikely((word & ~FREE_NEXT_MASK) != FREE_TAG))
		panic("slab %s: free object %p was overwritten (use after free?)", s->name, obj);
	next = word & FREE_NEXT_MASK;
	if (next == FREE_END) {
		page->freelist = NULL;
	} else {
		if (unlikely(next % s->size || next >= s->objects * s->size))
			panic("slab %s: free list of slab %p corrupt at %p", s->name,
			      page_address(page), obj);
		page->freelist = (char *)page_address(page) + next;
	}
	/* A live object must not look free to the double-free check. */
	*(free_word_t *)obj = 0;
	return obj;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	unsigned long flags;
	struct page *page;
	void *obj;

	spin_lock_irqsave(&s->lock, flags);
	if (!list_empty(&s->partial)) {
		page = list_first_entry(&s->partial, struct page, lru);
	} else {
		page = s->empty;
		s->empty = NULL;
		if (!page)
			page = new_slab(s, gfp);
		if (!page) {
			spin_unlock_irqrestore(&s->lock, flags);
			return NULL;
		}
		list_add(&page->lru, &s->partial);
	}
	obj = slab_pop(s, page);
	/* Full slabs sit on no list: nothing looks for them until an object comes back. */
	if (++page->inuse == s->objects)
		list_del(&page->lru);
	s->nr_inuse++;
	spin_unlock_irqrestore(&s->lock, flags);

	if (gfp & __GFP_ZERO)
		memset(obj, 0, s->size);
	return obj;
}

static bool on_freelist(struct kmem_cache *s, struct page *page, const void *obj)
{
	const char *p = page->freelist;
	unsigned int n;

	/* Bounded, so that a corrupt list cannot loop forever. */
	for (n = 0; p && n < s->objects; n++) {
		unsigned long next = *(const free_word_t *)p & FREE_NEXT_MASK;

		if (p == obj)
			return true;
		if (!obj_is_tagged(p) || next == FREE_END)
			break;
		p = (const char *)page_address(page) + next;
	}
	return false;
}

static void slab_free(struct kmem_cache *s, struct page *page, void *obj)
{
	unsigned long offset = obj_offset(page, obj), flags;

	if (unlikely(offset % s->size || offset >= s->objects * s->size))
		panic("slab %s: free of %p, which is not the start of an object", s->name, obj);

	spin_lock_irqsave(&s->lock, flags);
	if (unlikely(obj_is_tagged(obj)) && on_freelist(s, page, obj))
		panic("slab %s: double free of %p", s->name, obj);
	*(free_word_t *)obj = FREE_TAG |
		(page->freelist ? obj_offset(page, page->freelist) : FREE_END);
	page->freelist = obj;
	s->nr_inuse--;
	if (page->inuse-- == s->objects)
		list_add(&page->lru, &s->partial);
	if (!page->inuse) {
		list_del(&page->lru);
		/* Keep one empty slab so alloc/free at a slab boundary does not thrash. */
		if (!s->empty)
			s->empty = page;
		else
			discard_slab(s, page);
	}
	spin_unlock_irqrestore(&s->lock, flags);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	struct page *page;

	if (!obj)
		return;
	if (unlikely(!virt_addr_valid(obj)))
		panic("kmem_cache_free: %p is not a linear-map address", obj);
	page = virt_to_page(obj);
	if (unlikely(!PageSlab(page) || page->slab_cache != s))
		panic("kmem_cache_free: %p does not belong to cache %s", obj, s->name);
	slab_free(s, page, obj);
}

static void kmem_cache_setup(struct kmem_cache *s, const char *name, unsigned int size,
			     unsigned int align)
{
	if (align & (align - 1))
		panic("kmem_cache %s: alignment %u is not a power of two", name, align);
	/* The free word needs 8 bytes, naturally aligned. */
	align = max(align, KMALLOC_MIN_SIZE);
	size = max(size, KMALLOC_MIN_SIZE);
	if (size > PAGE_SIZE || ALIGN(size, align) > PAGE_SIZE)
		panic("kmem_cache %s: %u-byte objects aligned to %u do not fit in a page",
		      name, size, align);

	spin_lock_init(&s->lock);
	INIT_LIST_HEAD(&s->partial);
	s->empty = NULL;
	s->size = ALIGN(size, align);
	s->align = align;
	s->objects = PAGE_SIZE / s->size;
	s->nr_slabs = 0;
	s->nr_inuse = 0;
	s->name = name;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags)
{
	struct kmem_cache *s = kmalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	if (flags & SLAB_HWCACHE_ALIGN)
		align = max(align, (unsigned int)L1_CACHE_BYTES);
	kmem_cache_setup(s, name, size, align);
	return s;
}

static unsigned int kmalloc_index(size_t size)
{
	if (size <= KMALLOC_MIN_SIZE)
		return 0;
	return 8 * sizeof(long) - __builtin_clzl(size - 1) - KMALLOC_SHIFT_LOW;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	struct page *page;
	unsigned int order;

	if (!size)
		return ZERO_SIZE_PTR;
	if (size <= KMALLOC_MAX_CACHE_SIZE)
		return kmem_cache_alloc(&kmalloc_caches[kmalloc_index(size)], gfp);

	order = get_order(size);
	if (order >= MAX_ORDER)
		return NULL;
	page = alloc_pages(gfp, order);
	if (!page)
		return NULL;
	__SetPageLargeKmalloc(page);
	return page_address(page);
}

/* The page of a kmalloc'd (or cache) object, or a panic naming who passed garbage. */
static struct page *kmalloc_page(const void *ptr, const char *who)
{
	struct page *page;

	if (unlikely(!virt_addr_valid(ptr)))
		panic("%s: %p is not a linear-map address", who, ptr);
	page = virt_to_page(ptr);
	if (PageSlab(page))
		return page;
	if (unlikely(!PageLargeKmalloc(page) || ptr != page_address(page)))
		panic("%s: %p was not returned by kmalloc (or was already freed)", who, ptr);
	return page;
}

void kfree(const void *ptr)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(ptr))
		return;
	page = kmalloc_page(ptr, "kfree");
	if (PageSlab(page)) {
		slab_free(page->slab_cache, page, (void *)ptr);
		return;
	}
	__ClearPageLargeKmalloc(page);
	__free_pages(page, page->order);
}

size_t ksize(const void *ptr)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(ptr))
		return 0;
	page = kmalloc_page(ptr, "ksize");
	if (PageSlab(page))
		return page->slab_cache->size;
	return PAGE_SIZE << page->order;
}

void kmalloc_init(void)
{
	unsigned int i;

	for (i = 0; i < KMALLOC_CACHES; i++)
		kmem_cache_setup(&kmalloc_caches[i], kmalloc_names[i], KMALLOC_MIN_SIZE << i,
				 KMALLOC_MIN_SIZE << i);
}
