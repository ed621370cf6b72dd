/* SPDX-License-Identifier: MIT */
/*
 * Object caches and kmalloc. A kmem_cache hands out fixed-size objects from slabs of
 * one page each; kmalloc() picks one of the power-of-two caches kmalloc-8 ... kmalloc-2048
 * and takes anything larger straight from the buddy allocator.
 *
 * Alignment: an object of a cache is aligned to the cache's align (at least 8). A kmalloc
 * object is aligned to its size class: kmalloc(n) for n <= 2048 is aligned to n rounded
 * up to a power of two (at least 8); larger ones are page aligned.
 */
#ifndef KAIROS_SLAB_H
#define KAIROS_SLAB_H

#include <kairos/gfp.h>
#include <kairos/list.h>
#include <kairos/spinlock.h>
#include <kairos/types.h>

#define KMALLOC_SHIFT_LOW	3
#define KMALLOC_SHIFT_HIGH	11
#define KMALLOC_MIN_SIZE	(1U << KMALLOC_SHIFT_LOW)
#define KMALLOC_MAX_CACHE_SIZE	(1U << KMALLOC_SHIFT_HIGH)
#define KMALLOC_CACHES		(KMALLOC_SHIFT_HIGH - KMALLOC_SHIFT_LOW + 1)

/* kmalloc(0) returns this: not NULL (that means failure), but faults when used. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(p)	((unsigned long)(p) <= (unsigned long)ZERO_SIZE_PTR)

typedef unsigned int slab_flags_t;
#define SLAB_HWCACHE_ALIGN	((slab_flags_t)0x1)	/* align objects to cache lines */

struct kmem_cache {
	spinlock_t lock;
	struct list_head partial;	/* slabs with both free and used objects */
	struct page *empty;		/* one spare free slab, so churn spares the buddy */
	unsigned int size;		/* object stride: the size asked, rounded up to align */
	unsigned int align;
	unsigned int objects;		/* per slab */
	unsigned long nr_slabs;		/* including the spare */
	unsigned long nr_inuse;		/* objects handed out */
	const char *name;		/* not copied: pass a string that lives forever */
};

extern struct kmem_cache kmalloc_caches[KMALLOC_CACHES];

void kmalloc_init(void);

/* Panics if an object (rounded up to align) does not fit in a page. */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *s, void *obj);

static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return kmem_cache_alloc(s, gfp | __GFP_ZERO);
}

void *kmalloc(size_t size, gfp_t gfp);
/* Also takes objects of any kmem_cache. */
void kfree(const void *ptr);
/* The usable size of a kmalloc'd object: at least what was asked. */
size_t ksize(const void *ptr);

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kzalloc(bytes, gfp);
}

#endif
