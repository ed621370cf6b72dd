// SPDX-License-Identifier: MIT
/*
 * The buddy allocator over a 64 MiB fake RAM with holes and reservations. After every
 * batch of random operations the whole mem_map is checked against what a buddy system
 * must look like, and the live blocks against each other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kairos/memblock.h>
#include <kairos/mm.h>

#include "mm_support.h"
#include "tap.h"

#define BASE		0x40000000ULL
#define ARENA_SIZE	(64UL << 20)
#define MiB		(1ULL << 20)

static void *arena;
static bool *managed;		/* by pfn - min_low_pfn: memblock said it is free RAM */
static unsigned long nr_managed;
static unsigned long initial_nr_free[MAX_ORDER];

struct block {
	unsigned long pfn;
	unsigned int order;
	u64 tag;
};

static struct block live[20000];
static unsigned int nr_live;

static void setup(void)
{
	phys_addr_t start, end;
	u64 i;

	host_memblock_reset();
	arena = host_arena_create(BASE, ARENA_SIZE);
	/* RAM with a 4 MiB hole, starting mid-page. */
	memblock_add(BASE + 0x1800, 40 * MiB - 0x1800);
	memblock_add(BASE + 44 * MiB, 20 * MiB);
	memblock_reserve(BASE + 2 * MiB, 3 * MiB + 0x123);	/* kernel image */
	memblock_reserve(BASE + 20 * MiB + 0x800, 0x2000);	/* DTB, straddling pages */
	/* Leaves a free range inside one page, then one 7 pages long after an aligned start. */
	memblock_reserve(BASE + 20 * MiB + 0x2900, 0x5000);
	memblock_reserve(BASE + 20 * MiB + 0xf000, 0x1000);
	memblock_reserve(BASE + 30 * MiB, MiB);			/* initrd */
	memblock_reserve(BASE + 50 * MiB, 0x1000);
	memblock_reserve(BASE + 64 * MiB - 0x10000, 0x10000);	/* firmware at the top */
	page_alloc_init();

	managed = calloc(max_pfn - min_low_pfn, sizeof(*managed));
	for_each_free_mem_range(i, &start, &end) {
		for (unsigned long pfn = PFN_UP(start); pfn < PFN_DOWN(end); pfn++) {
			managed[pfn - min_low_pfn] = true;
			nr_managed++;
		}
	}
	get_buddyinfo(initial_nr_free);
}

/* Everything a buddy system guarantees, checked over the whole mem_map. */
static bool check_buddy(char *why, size_t len)
{
	unsigned long nr_free[MAX_ORDER], counts[MAX_ORDER] = { 0 }, pages = 0, pfn;

	get_buddyinfo(nr_free);
	for (pfn = min_low_pfn; pfn < max_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);
		unsigned long n, buddy;
		unsigned int order;

		if (!PageBuddy(page))
			continue;
		order = page->order;
		n = 1UL << order;
		if (order >= MAX_ORDER || pfn & (n - 1) || pfn + n > max_pfn) {
			snprintf(why, len, "free block at pfn %#lx has bad order %u", pfn, order);
			return false;
		}
		buddy = pfn ^ n;
		if (order < MAX_ORDER - 1 && pfn_valid(buddy) && PageBuddy(pfn_to_page(buddy)) &&
		    pfn_to_page(buddy)->order == order) {
			snprintf(why, len, "free buddies %#lx and %#lx of order %u not merged", pfn,
				 buddy, order);
			return false;
		}
		for (unsigned long p = pfn; p < pfn + n; p++) {
			struct page *q = pfn_to_page(p);

			if (!managed[p - min_low_pfn] || PageReserved(q) || PageHead(q) ||
			    (p != pfn && q->flags)) {
				snprintf(why, len,
					 "pfn %#lx in free block %#lx/%u: managed %d flags %#lx", p,
					 pfn, order, managed[p - min_low_pfn], q->flags);
				return false;
			}
		}
		counts[order]++;
		pages += n;
		pfn += n - 1;
	}
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		if (counts[o] != nr_free[o]) {
			snprintf(why, len, "order %u: %lu free blocks in mem_map, nr_free %lu",
				 o, counts[o], nr_free[o]);
			return false;
		}
	}
	if (pages != nr_free_pages()) {
		snprintf(why, len, "%lu pages in free blocks, nr_free_pages says %lu", pages,
			 nr_free_pages());
		return false;
	}
	return true;
}

static int cmp_block(const void *a, const void *b)
{
	const struct block *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* Live blocks are aligned, disjoint, managed, headed, and still hold their tags. */
static bool check_live(char *why, size_t len)
{
	unsigned long used = 0;

	qsort(live, nr_live, sizeof(live[0]), cmp_block);
	for (unsigned int i = 0; i < nr_live; i++) {
		struct block *b = &live[i];
		struct page *page = pfn_to_page(b->pfn);
		unsigned long n = 1UL << b->order;

		if (b->pfn & (n - 1) || !PageHead(page) || page->order != b->order ||
		    page_count(page) != 1) {
			snprintf(why, len, "block %#lx/%u: misaligned or bad head (flags %#lx)",
				 b->pfn, b->order, page->flags);
			return false;
		}
		if (i + 1 < nr_live && b->pfn + n > live[i + 1].pfn) {
			snprintf(why, len, "blocks %#lx/%u and %#lx/%u overlap", b->pfn, b->order,
				 live[i + 1].pfn, live[i + 1].order);
			return false;
		}
		for (unsigned long p = b->pfn; p < b->pfn + n; p++) {
			u64 *word = __va(PFN_PHYS(p));

			if (!managed[p - min_low_pfn] || *word != b->tag + p) {
				snprintf(why, len, "pfn %#lx of block %#lx/%u: managed %d bad tag",
					 p, b->pfn, b->order, managed[p - min_low_pfn]);
				return false;
			}
		}
		used += n;
	}
	if (used + nr_free_pages() != nr_managed) {
		snprintf(why, len, "%lu live + %lu free != %lu managed", used, nr_free_pages(),
			 nr_managed);
		return false;
	}
	return true;
}

static bool take(unsigned int order, gfp_t gfp)
{
	struct page *page = alloc_pages(gfp, order);
	struct block *b;

	if (!page)
		return false;
	b = &live[nr_live++];
	b->pfn = page_to_pfn(page);
	b->order = order;
	b->tag = host_rand();
	for (unsigned long p = b->pfn; p < b->pfn + (1UL << order); p++)
		*(u64 *)__va(PFN_PHYS(p)) = b->tag + p;
	return true;
}

static void give_back(unsigned int i)
{
	__free_pages(pfn_to_page(live[i].pfn), live[i].order);
	live[i] = live[--nr_live];
}

static void give_back_all(void)
{
	while (nr_live)
		give_back(nr_live - 1);
}

static bool same_as_initial(void)
{
	unsigned long nr_free[MAX_ORDER];

	get_buddyinfo(nr_free);
	return !memcmp(nr_free, initial_nr_free, sizeof(nr_free)) &&
	       nr_free_pages() == nr_managed;
}

static void test_init(void)
{
	char why[160] = "";
	unsigned long pfn, bad = 0;

	tap_diag("%lu pages managed", nr_managed);
	TAP_OK(totalram_pages() == nr_managed && nr_free_pages() == nr_managed,
	       "every free memblock page (mem_map excluded) is given to the allocator");
	/* 64 MiB less the 4 MiB hole, 3 MiB kernel, 1 MiB initrd and mem_map. */
	TAP_OK(nr_managed > 13000 && nr_managed < 16384 - 8 * 256,
	       "holes, reservations and mem_map are not counted");
	for (pfn = min_low_pfn; pfn < max_pfn; pfn++)
		if (PageReserved(pfn_to_page(pfn)) == managed[pfn - min_low_pfn])
			bad++;
	TAP_OK(!bad, "exactly the pages memblock did not free are PG_reserved");
	TAP_OK(min_low_pfn == PFN_DOWN(BASE + 0x1800) && max_pfn == PFN_DOWN(BASE + ARENA_SIZE),
	       "mem_map spans the start to the end of DRAM");
	tap_result(check_buddy(why, sizeof(why)), "initial free lists are consistent", why);
	TAP_OK(initial_nr_free[MAX_ORDER - 1] > 0, "aligned free memory forms 4 MiB blocks");
	show_free_areas();
}

static void test_exhaustion(void)
{
	char why[160] = "";
	unsigned long dup = 0, unmanaged = 0, n;
	bool *seen = calloc(max_pfn - min_low_pfn, sizeof(*seen));
	bool all_fail = true;

	while (take(0, GFP_KERNEL))
		;
	for (unsigned int i = 0; i < nr_live; i++) {
		unsigned long idx = live[i].pfn - min_low_pfn;

		dup += seen[idx];
		unmanaged += !managed[idx];
		seen[idx] = true;
	}
	n = nr_live;
	tap_diag("%lu pages allocated, %lu twice, %lu not free RAM", n, dup, unmanaged);
	TAP_OK(n == nr_managed && !dup && !unmanaged && nr_free_pages() == 0,
	       "order-0 allocation hands out every managed page once, then NULL");
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		all_fail &= !alloc_pages(GFP_ATOMIC, o);
	TAP_OK(all_fail, "with memory exhausted every order fails");
	give_back(n / 2);
	TAP_OK(take(0, GFP_KERNEL) && !alloc_pages(GFP_KERNEL, 0),
	       "a freed page can be allocated again");
	tap_result(check_live(why, sizeof(why)) && check_buddy(why, sizeof(why)),
		   "state is consistent when exhausted", why);
	give_back_all();
	TAP_OK(same_as_initial(), "freeing every page coalesces back to the initial free lists");

	while (take(MAX_ORDER - 1, GFP_KERNEL))
		;
	TAP_OK(nr_live == initial_nr_free[MAX_ORDER - 1] && take(0, GFP_KERNEL),
	       "4 MiB blocks run out while smaller ones remain");
	give_back_all();
	TAP_OK(same_as_initial(), "freeing the 4 MiB blocks coalesces back");
	TAP_OK(!alloc_pages(GFP_KERNEL, MAX_ORDER) && !alloc_pages(GFP_KERNEL, 40),
	       "orders >= MAX_ORDER are refused");
	free(seen);
}

static void test_random(void)
{
	char why[160] = "";
	unsigned long allocs = 0, failures = 0;
	bool good = true;

	for (int batch = 0; batch < 150 && good; batch++) {
		/* Lean towards allocation early, towards freeing late, to cover exhaustion. */
		unsigned int alloc_pct = batch < 100 ? 60 : 30;

		for (int op = 0; op < 300; op++) {
			bool alloc = !nr_live || host_rand() % 100 < alloc_pct;

			if (nr_live < ARRAY_SIZE(live) && alloc) {
				/* Geometric: half the blocks are order 0, a quarter order 1... */
				u64 r = host_rand() | 1ULL << (MAX_ORDER - 1);
				unsigned int order = __builtin_ctzll(r);

				if (take(order, host_rand() % 2 ? GFP_KERNEL : GFP_ATOMIC))
					allocs++;
				else
					failures++;
			} else {
				give_back(host_rand() % nr_live);
			}
		}
		good = check_live(why, sizeof(why)) && check_buddy(why, sizeof(why));
	}
	tap_diag("%lu allocations, %lu failed", allocs, failures);
	tap_result(good, "random alloc/free: blocks aligned, disjoint, intact; lists consistent",
		   why);
	TAP_OK(failures > 0, "the random run reached exhaustion");
	give_back_all();
	TAP_OK(same_as_initial(), "after the random run, freeing all restores the free lists");
}

static void test_zero_and_va(void)
{
	unsigned long va;
	struct page *page;
	bool zero = true;
	u8 *p;

	va = __get_free_pages(GFP_KERNEL, 3);
	TAP_OK(va && va == (unsigned long)arena + (page_to_phys(virt_to_page((void *)va)) - BASE) &&
	       page_address(virt_to_page((void *)va)) == (void *)va,
	       "__get_free_pages returns the linear-map address of the block");
	memset((void *)va, 0xa5, 8 * PAGE_SIZE);
	free_pages(va, 3);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
	p = page_address(page);
	for (unsigned long i = 0; i < 8 * PAGE_SIZE; i++)
		zero &= !p[i];
	TAP_OK(page_address(page) == (void *)va && zero, "__GFP_ZERO zeroes a dirty block");
	__free_pages(page, 3);
	memset((void *)va, 0x5a, PAGE_SIZE);
	va = get_zeroed_page(GFP_KERNEL);
	p = (u8 *)va;
	zero = true;
	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		zero &= !p[i];
	TAP_OK(va && zero, "get_zeroed_page zeroes");
	free_page(va);
	TAP_OK(same_as_initial(), "state restored after the zeroing tests");
}

/* Allocate two blocks of the given order that are buddies; *lo is the lower one. */
static void alloc_buddies(unsigned int order, struct page **lo, struct page **hi)
{
	unsigned int first = nr_live;
	unsigned long a, b;

	/* Once the order's free list runs dry, a split hands out both halves in a row. */
	while (nr_live - first < 2 ||
	       live[nr_live - 1].pfn != (live[nr_live - 2].pfn ^ (1UL << order)))
		if (!take(order, GFP_KERNEL))
			abort();
	a = live[nr_live - 2].pfn;
	b = live[nr_live - 1].pfn;
	*lo = pfn_to_page(min(a, b));
	*hi = pfn_to_page(max(a, b));
	nr_live -= 2;
	while (nr_live > first)
		give_back(nr_live - 1);
}

static void test_bad_frees(void)
{
	char why[160] = "";
	struct page *a, *b, *x, *y;

	/* b keeps a's buddy busy, so a stays a free order-2 block after its free. */
	alloc_buddies(2, &a, &b);
	__free_pages(a, 2);
	TAP_OK(EXPECT_PANIC(__free_pages(a, 2)) && strstr(host_panic_msg, "double free"),
	       "double free of a free block head is caught");
	a = alloc_pages(GFP_KERNEL, 2);
	TAP_OK(EXPECT_PANIC(__free_pages(a, 1)) && strstr(host_panic_msg, "wrong order"),
	       "freeing with the wrong order is caught");
	TAP_OK(EXPECT_PANIC(__free_pages(a + 1, 0)) && strstr(host_panic_msg, "not the head"),
	       "freeing a page inside an allocated block is caught");
	TAP_OK(EXPECT_PANIC(__free_pages(phys_to_page(BASE + 3 * MiB), 0)) &&
	       strstr(host_panic_msg, "reserved"), "freeing a reserved page is caught");
	TAP_OK(EXPECT_PANIC(free_pages((unsigned long)page_address(a) + 8, 0)) &&
	       strstr(host_panic_msg, "not the address of a page"),
	       "free_pages of an unaligned address is caught");
	__free_pages(a, 2);
	__free_pages(b, 2);

	/* y is merged into a larger free block headed by x: a double free of a non-head. */
	alloc_buddies(0, &x, &y);
	__free_pages(y, 0);
	__free_pages(x, 0);
	TAP_OK(!PageBuddy(y) && EXPECT_PANIC(__free_pages(y, 0)) &&
	       strstr(host_panic_msg, "double free"),
	       "double free of a page already merged into a larger free block is caught");
	tap_result(check_buddy(why, sizeof(why)) && same_as_initial(),
		   "caught bad frees leave the allocator intact",
		   why[0] ? why : "not back to initial");
}

static void test_refcount(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	unsigned long before = nr_free_pages();

	get_page(page);
	__free_pages(page, 1);
	TAP_OK(page_count(page) == 1 && PageHead(page) && nr_free_pages() == before,
	       "with a second reference, __free_pages only drops one");
	__free_pages(page, 1);
	TAP_OK(nr_free_pages() == before + 2 && same_as_initial(),
	       "the last reference frees the block");
}

int main(void)
{
	host_srand(0x62756464);
	setup();
	test_init();
	test_exhaustion();
	test_random();
	test_zero_and_va();
	test_bad_frees();
	test_refcount();
	host_arena_destroy(arena, ARENA_SIZE);
	free(managed);
	return tap_done();
}
