// SPDX-License-Identifier: MIT
/*
 * kmalloc and kmem_caches over the real buddy allocator on a 32 MiB fake RAM. Every
 * object is filled with a pattern of its own and checked before it is freed, so two
 * live objects sharing memory cannot go unnoticed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kairos/memblock.h>
#include <kairos/mm.h>
#include <kairos/slab.h>

#include "mm_support.h"
#include "tap.h"

#define BASE		0x40000000ULL
#define ARENA_SIZE	(32UL << 20)

static void *arena;
static unsigned long baseline;	/* free pages once kmalloc_init() has run */

struct obj {
	u8 *p;
	size_t size;
	u8 seed;
};

static struct obj live[8192];
static unsigned int nr_live;

static void fill(struct obj *o)
{
	for (size_t i = 0; i < o->size; i++)
		o->p[i] = (u8)(o->seed + i * 7);
}

static bool intact(const struct obj *o)
{
	for (size_t i = 0; i < o->size; i++)
		if (o->p[i] != (u8)(o->seed + i * 7))
			return false;
	return true;
}

/* What kmalloc promises: its size class (a power of two from 8) up to 2048, then a page. */
static size_t expected_align(size_t size)
{
	size_t a = 8;

	if (size > KMALLOC_MAX_CACHE_SIZE)
		return PAGE_SIZE;
	while (a < size)
		a <<= 1;
	return a;
}

static size_t random_size(void)
{
	switch (host_rand() % 16) {
	case 0:
		return KMALLOC_MAX_CACHE_SIZE + 1 + host_rand() % (64 * 1024);
	case 1: case 2: case 3:
		return 1 + host_rand() % KMALLOC_MAX_CACHE_SIZE;
	default:
		return 1 + host_rand() % 256;
	}
}

static unsigned long slab_pages(void)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < KMALLOC_CACHES; i++)
		n += kmalloc_caches[i].nr_slabs;
	return n;
}

static int cmp_obj(const void *a, const void *b)
{
	const struct obj *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p;
}

static void check_no_overlap(void)
{
	qsort(live, nr_live, sizeof(live[0]), cmp_obj);
	for (unsigned int i = 0; i + 1 < nr_live; i++)
		CHECK(live[i].p + ksize(live[i].p) <= live[i + 1].p,
		      "%p+%zu overlaps %p", (void *)live[i].p, ksize(live[i].p),
		      (void *)live[i + 1].p);
}

static void test_random(void)
{
	unsigned long allocs = 0;

	tap_bulk_begin();
	for (int op = 0; op < 60000; op++) {
		if (nr_live < ARRAY_SIZE(live) && (!nr_live || host_rand() % 100 < 55)) {
			struct obj *o = &live[nr_live];
			gfp_t gfp = host_rand() % 4 ? GFP_KERNEL : GFP_ATOMIC | __GFP_ZERO;
			bool zero = true;

			o->size = random_size();
			o->p = kmalloc(o->size, gfp);
			CHECK(o->p, "kmalloc(%zu) failed", o->size);
			if (!o->p)
				continue;
			if (gfp & __GFP_ZERO)
				for (size_t i = 0; i < o->size; i++)
					zero &= !o->p[i];
			CHECK(zero, "kmalloc(%zu, __GFP_ZERO) not zeroed", o->size);
			CHECK(ksize(o->p) >= o->size, "ksize %zu < %zu", ksize(o->p), o->size);
			CHECK(!((unsigned long)o->p & (expected_align(o->size) - 1)),
			      "kmalloc(%zu) = %p not aligned to %zu", o->size, (void *)o->p,
			      expected_align(o->size));
			o->seed = host_rand();
			fill(o);
			nr_live++;
			allocs++;
		} else {
			unsigned int i = host_rand() % nr_live;

			CHECK(intact(&live[i]), "object %p (%zu bytes) clobbered",
			      (void *)live[i].p, live[i].size);
			kfree(live[i].p);
			live[i] = live[--nr_live];
		}
		if (op % 5000 == 4999)
			check_no_overlap();
	}
	tap_diag("%lu allocations, %u live at the end, %lu slab pages", allocs, nr_live,
		 slab_pages());
	tap_bulk_end("60000 random kmalloc/kfree: intact, disjoint, aligned, ksize >= size");

	while (nr_live) {
		nr_live--;
		if (!intact(&live[nr_live]))
			break;
		kfree(live[nr_live].p);
	}
	TAP_OK(!nr_live, "every object is intact when freed");
	tap_bulk_begin();
	for (unsigned int i = 0; i < KMALLOC_CACHES; i++) {
		CHECK(kmalloc_caches[i].nr_inuse == 0, "%s: %lu in use", kmalloc_caches[i].name,
		      kmalloc_caches[i].nr_inuse);
		CHECK(kmalloc_caches[i].nr_slabs <= 1, "%s: %lu slabs left", kmalloc_caches[i].name,
		      kmalloc_caches[i].nr_slabs);
	}
	CHECK(nr_free_pages() + slab_pages() == baseline, "%lu free + %lu slab pages != %lu",
	      nr_free_pages(), slab_pages(), baseline);
	tap_bulk_end("after freeing everything each cache keeps at most one empty slab");
}

static void test_api(void)
{
	char *p, *q;
	bool zero = true;

	TAP_OK(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR, "kmalloc(0) returns ZERO_SIZE_PTR");
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	TAP_OK(ksize(NULL) == 0 && ksize(ZERO_SIZE_PTR) == 0,
	       "kfree and ksize accept NULL and ZERO_SIZE_PTR");

	p = kmalloc(100, GFP_KERNEL);
	memset(p, 0xff, 128);
	kfree(p);
	q = kzalloc(100, GFP_KERNEL);
	for (int i = 0; i < 128; i++)
		zero &= !q[i];
	TAP_OK(q == p && zero, "kzalloc zeroes a recycled object up to ksize");
	kfree(q);

	p = kmalloc(1, GFP_KERNEL);
	q = kmalloc(2048, GFP_KERNEL);
	TAP_OK(ksize(p) == 8 && ksize(q) == 2048, "the smallest and largest size classes");
	kfree(p);
	kfree(q);
	p = kmalloc(2049, GFP_KERNEL);
	TAP_OK(ksize(p) == PAGE_SIZE && PageLargeKmalloc(virt_to_page(p)),
	       "2049 bytes come from the buddy allocator");
	kfree(p);
	p = kmalloc(3 * PAGE_SIZE + 1, GFP_KERNEL);
	TAP_OK(ksize(p) == 4 * PAGE_SIZE, "a large allocation gets a whole order");
	kfree(p);
	TAP_OK(!kmalloc(PAGE_SIZE << MAX_ORDER, GFP_KERNEL) && !kmalloc((size_t)-1, GFP_KERNEL),
	       "sizes beyond the largest block fail");

	p = kcalloc(10, 100, GFP_KERNEL);
	zero = ksize(p) >= 1000;
	for (int i = 0; i < 1000; i++)
		zero &= !p[i];
	TAP_OK(zero, "kcalloc returns n * size zeroed bytes");
	kfree(p);
	TAP_OK(!kcalloc((size_t)1 << 40, (size_t)1 << 40, GFP_KERNEL) &&
	       !kcalloc(SIZE_MAX / 2, 3, GFP_KERNEL), "kcalloc refuses n * size overflows");
	TAP_OK(nr_free_pages() + slab_pages() == baseline, "API tests leaked nothing");
}

static void test_bad_kfree(void)
{
	struct page *page;
	char *p, *q, *r;
	int local;

	p = kmalloc(64, GFP_KERNEL);
	q = kmalloc(64, GFP_KERNEL);
	kfree(p);
	TAP_OK(EXPECT_PANIC(kfree(p)) && strstr(host_panic_msg, "double free"),
	       "double kfree of a slab object is caught");
	TAP_OK(EXPECT_PANIC(kfree(q + 8)) && strstr(host_panic_msg, "not the start"),
	       "kfree of a pointer inside an object is caught");
	/* q copies a free object's first word; it is still live, so freeing it is fine. */
	r = kmalloc(64, GFP_KERNEL);
	kfree(r);
	memcpy(q, r, 8);
	TAP_OK(!EXPECT_PANIC(kfree(q)), "a live object that looks free is not a double free");

	p = kmalloc(10000, GFP_KERNEL);
	TAP_OK(EXPECT_PANIC(kfree(p + PAGE_SIZE)) &&
	       strstr(host_panic_msg, "not returned by kmalloc"),
	       "kfree inside a large allocation is caught");
	kfree(p);
	TAP_OK(EXPECT_PANIC(kfree(p)) && strstr(host_panic_msg, "not returned by kmalloc"),
	       "double kfree of a large allocation is caught");
	TAP_OK(EXPECT_PANIC(kfree(&local)) && strstr(host_panic_msg, "not a linear-map address"),
	       "kfree of a pointer outside RAM is caught");
	page = alloc_pages(GFP_KERNEL, 0);
	TAP_OK(EXPECT_PANIC(kfree(page_address(page))) &&
	       strstr(host_panic_msg, "not returned by kmalloc"),
	       "kfree of a page from alloc_pages is caught");
	__free_pages(page, 0);
	p = kmalloc(4000, GFP_KERNEL);
	TAP_OK(EXPECT_PANIC(__free_pages(virt_to_page(p), 0)) &&
	       strstr(host_panic_msg, "slab allocator"),
	       "free_pages of a slab page is caught");
	kfree(p);
	TAP_OK(nr_free_pages() + slab_pages() == baseline, "bad frees leaked nothing");
}

static void test_caches(void)
{
	struct kmem_cache *c = kmem_cache_create("test-100", 100, 64, 0);
	struct kmem_cache *hw = kmem_cache_create("test-hw", 24, 0, SLAB_HWCACHE_ALIGN);
	struct kmem_cache *page_sized = kmem_cache_create("test-4k", PAGE_SIZE, 0, 0);
	static void *objs[1000];
	unsigned long free_before = nr_free_pages();
	bool zero = true;
	void *a, *b;

	TAP_OK(c->size == 128 && c->objects == PAGE_SIZE / 128 && hw->size == 64 &&
	       page_sized->objects == 1, "object stride is the size rounded up to the alignment");
	tap_bulk_begin();
	for (int i = 0; i < 1000; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		CHECK(objs[i] && !((unsigned long)objs[i] & 63), "object %d at %p", i, objs[i]);
		CHECK(ksize(objs[i]) == 128, "ksize of a cache object is its stride");
		memset(objs[i], i & 0xff, 100);
	}
	for (int i = 0; i < 1000; i++) {
		bool same = true;

		for (int j = 0; j < 100; j++)
			same &= ((u8 *)objs[i])[j] == (i & 0xff);
		CHECK(same, "object %d clobbered", i);
	}
	CHECK(c->nr_slabs == DIV_ROUND_UP(1000, PAGE_SIZE / 128), "%lu slabs", c->nr_slabs);
	for (int i = 0; i < 1000; i++)
		kmem_cache_free(c, objs[i]);
	CHECK(c->nr_slabs == 1 && c->nr_inuse == 0, "%lu slabs, %lu in use", c->nr_slabs,
	      c->nr_inuse);
	CHECK(nr_free_pages() == free_before - 1, "empty slabs went back to the buddy allocator");
	tap_bulk_end("kmem_cache with size 100, align 64: aligned, disjoint, slabs returned");

	a = kmem_cache_alloc(c, GFP_KERNEL);
	memset(a, 0xee, 128);
	kmem_cache_free(c, a);
	b = kmem_cache_zalloc(c, GFP_KERNEL);
	for (int j = 0; j < 128; j++)
		zero &= !((u8 *)b)[j];
	TAP_OK(a == b && zero, "kmem_cache_zalloc zeroes a recycled object");
	TAP_OK(EXPECT_PANIC(kmem_cache_free(hw, b)) && strstr(host_panic_msg, "does not belong"),
	       "freeing an object to the wrong cache is caught");
	kmem_cache_free(c, NULL);
	kfree(b);
	TAP_OK(c->nr_inuse == 0, "kfree takes objects of any cache");

	a = kmem_cache_alloc(page_sized, GFP_KERNEL);
	b = kmem_cache_alloc(page_sized, GFP_KERNEL);
	TAP_OK(a && b && a != b && !((unsigned long)a & ~PAGE_MASK), "page-sized objects work");
	kmem_cache_free(page_sized, a);
	kmem_cache_free(page_sized, b);

	/* After a free, the object is first in its slab's free list and gets popped next. */
	a = kmem_cache_alloc(c, GFP_KERNEL);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, a);
	*(unsigned long *)a = 0x1234;
	TAP_OK(EXPECT_PANIC(kmem_cache_alloc(c, GFP_KERNEL)) &&
	       strstr(host_panic_msg, "overwritten"),
	       "a write to a freed object is caught when it is handed out again");

	TAP_OK(EXPECT_PANIC(kmem_cache_create("too-big", PAGE_SIZE + 1, 0, 0)) &&
	       strstr(host_panic_msg, "do not fit"), "objects larger than a page are refused");
	TAP_OK(EXPECT_PANIC(kmem_cache_create("odd-align", 64, 24, 0)) &&
	       strstr(host_panic_msg, "power of two"), "a non-power-of-two alignment is refused");
}

static void test_exhaustion(void)
{
	static void *big[20000], *small[4096];
	unsigned long before = nr_free_pages() + slab_pages();
	unsigned int n = 0, m = 0;
	void *extra;

	while (n < ARRAY_SIZE(big) && (big[n] = kmalloc(2048, GFP_KERNEL)))
		n++;
	/* What is left are free objects in partial slabs of the other caches. */
	while (m < ARRAY_SIZE(small) && (small[m] = kmalloc(8, GFP_ATOMIC)))
		m++;
	TAP_OK(n < ARRAY_SIZE(big) && m < ARRAY_SIZE(small) && nr_free_pages() == 0,
	       "kmalloc returns NULL once memory runs out");
	kfree(big[--n]);
	extra = kmalloc(2048, GFP_KERNEL);
	TAP_OK(extra, "a freed object can be allocated again");
	kfree(extra);
	while (n)
		kfree(big[--n]);
	while (m)
		kfree(small[--m]);
	TAP_OK(nr_free_pages() + slab_pages() == before, "all memory comes back after exhaustion");
}

int main(void)
{
	host_srand(0x736c6162);
	arena = host_arena_create(BASE, ARENA_SIZE);
	host_memblock_reset();
	memblock_add(BASE, ARENA_SIZE);
	memblock_reserve(BASE, 0x200000);
	page_alloc_init();
	kmalloc_init();
	baseline = nr_free_pages();

	test_random();
	test_api();
	test_bad_kfree();
	test_caches();
	test_exhaustion();
	host_arena_destroy(arena, ARENA_SIZE);
	return tap_done();
}
