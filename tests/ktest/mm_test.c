// SPDX-License-Identifier: MIT
/* Memory management: the buddy allocator, kmalloc, kernel stacks and device mappings. */
#include <asm/io.h>
#include <asm/memory.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <kairos/atomic.h>
#include <kairos/delay.h>
#include <kairos/ktest.h>

#include "mm_accounting.h"
#include <kairos/mm.h>
#include <kairos/of.h>
#include <kairos/setup.h>
#include <kairos/slab.h>
#include <kairos/smp.h>
#include <kairos/string.h>
#include <kairos/vmalloc.h>

/*
 * Each word gets a different value, so that a block handed out twice, or a copy shifted
 * by a word, shows up as a mismatch and not as the same pattern written twice.
 */
static u64 pattern_word(u64 seed, size_t i)
{
	return seed ^ (i * 0x9e3779b97f4a7c15UL);
}

/* p is at least 8-byte aligned: kmalloc and the page allocator promise that much. */
static void fill_pattern(void *p, size_t size, u64 seed)
{
	u64 *w = p;
	size_t i;

	for (i = 0; i < size / 8; i++)
		w[i] = pattern_word(seed, i);
	for (i = size & ~7UL; i < size; i++)
		((u8 *)p)[i] = (u8)pattern_word(seed, i);
}

static bool check_pattern(const void *p, size_t size, u64 seed)
{
	const u64 *w = p;
	size_t i;

	for (i = 0; i < size / 8; i++)
		if (w[i] != pattern_word(seed, i))
			return false;
	for (i = size & ~7UL; i < size; i++)
		if (((const u8 *)p)[i] != (u8)pattern_word(seed, i))
			return false;
	return true;
}

static bool all_zero(const void *p, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if (((const u8 *)p)[i])
			return false;
	return true;
}

/*
 * Free pages plus the pages slabs hold. Slabs keep a spare empty page after their objects
 * are freed, so only this sum returns exactly to where it was. Read when no other CPU
 * allocates.
 */

static unsigned long kmalloc_objects_in_use(void)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < KMALLOC_CACHES; i++)
		n += READ_ONCE(kmalloc_caches[i].nr_inuse);
	return n;
}

/* One block of each order, all held at once: aligned, disjoint, and all given back. */
KTEST(page_alloc_every_order)
{
	struct page *pages[MAX_ORDER];
	unsigned long before = nr_free_pages(), held = 0;
	unsigned long info_before[MAX_ORDER], info_after[MAX_ORDER];
	unsigned int order;

	get_buddyinfo(info_before);
	for (order = 0; order < MAX_ORDER; order++) {
		pages[order] = alloc_pages(GFP_KERNEL, order);
		KTEST_EXPECT(t, pages[order] != NULL);
		if (!pages[order])
			continue;
		held += 1UL << order;
		if (!IS_ALIGNED(page_to_pfn(pages[order]), 1UL << order))
			ktest_fail(t, __FILE__, __LINE__, "order %u block at pfn %#lx is misaligned",
				   order, page_to_pfn(pages[order]));
		KTEST_EXPECT_EQ(t, page_count(pages[order]), 1);
		fill_pattern(page_address(pages[order]), PAGE_SIZE << order, order + 1);
	}
	KTEST_EXPECT_EQ(t, nr_free_pages(), before - held);
	for (order = 0; order < MAX_ORDER; order++) {
		if (!pages[order])
			continue;
		if (!check_pattern(page_address(pages[order]), PAGE_SIZE << order, order + 1))
			ktest_fail(t, __FILE__, __LINE__, "order %u block was overwritten", order);
		__free_pages(pages[order], order);
	}
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	/* Everything merged back: the free lists look exactly as they did. */
	get_buddyinfo(info_after);
	for (order = 0; order < MAX_ORDER; order++)
		KTEST_EXPECT_EQ(t, info_after[order], info_before[order]);
}

KTEST(page_alloc_impossible_order)
{
	unsigned long before = nr_free_pages();

	KTEST_EXPECT(t, alloc_pages(GFP_KERNEL, MAX_ORDER) == NULL);
	KTEST_EXPECT(t, alloc_pages(GFP_ATOMIC, MAX_ORDER + 5) == NULL);
	KTEST_EXPECT_EQ(t, __get_free_pages(GFP_KERNEL, 63), 0);
	KTEST_EXPECT(t, kmalloc(PAGE_SIZE << MAX_ORDER, GFP_KERNEL) == NULL);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

/* Dirty a block and give it back first, so that the zeroing is what clears it. */
KTEST(page_alloc_gfp_zero)
{
	const unsigned int order = 3;
	struct page *page = alloc_pages(GFP_KERNEL, order);
	unsigned long addr;

	KTEST_EXPECT(t, page != NULL);
	if (!page)
		return;
	memset(page_address(page), 0xa5, PAGE_SIZE << order);
	__free_pages(page, order);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	KTEST_EXPECT(t, page != NULL);
	if (!page)
		return;
	KTEST_EXPECT(t, all_zero(page_address(page), PAGE_SIZE << order));
	__free_pages(page, order);

	addr = __get_free_page(GFP_KERNEL);
	KTEST_EXPECT(t, addr != 0);
	if (!addr)
		return;
	memset((void *)addr, 0x5a, PAGE_SIZE);
	free_page(addr);
	addr = get_zeroed_page(GFP_KERNEL);
	KTEST_EXPECT(t, addr != 0);
	if (!addr)
		return;
	KTEST_EXPECT(t, all_zero((void *)addr, PAGE_SIZE));
	free_page(addr);
}

/* What slab.h promises: size class alignment up to 2048, page alignment above. */
static size_t kmalloc_align(size_t size)
{
	size_t align = KMALLOC_MIN_SIZE;

	if (size > KMALLOC_MAX_CACHE_SIZE)
		return PAGE_SIZE;
	while (align < size)
		align <<= 1;
	return align;
}

static const size_t kmalloc_sizes[] = {
	1, 2, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 65, 96, 127, 128, 129,
	200, 255, 256, 257, 384, 511, 512, 513, 768, 1000, 1023, 1024, 1025, 1500, 2047,
	2048, 2049, 3000, 4095, 4096, 4097, 6000, 8191, 8192,
};

/*
 * Other tasks allocate too (an earlier test's threads are freed a moment after they
 * stop): read the counts once two readings a few ticks apart agree.
 */
static void settled_counts(unsigned long *pages, unsigned long *objs)
{
	for (int i = 0; i < 100; i++) {
		*pages = pages_not_in_use();
		*objs = kmalloc_objects_in_use();
		msleep(10);
		if (*pages == pages_not_in_use() && *objs == kmalloc_objects_in_use())
			return;
	}
}

/* Every size class and the buddy path beyond it, all objects held at once. */
KTEST(kmalloc_sizes)
{
	void *objs[ARRAY_SIZE(kmalloc_sizes)];
	unsigned long before, inuse, after, inuse_after;
	size_t i;

	settled_counts(&before, &inuse);
	for (i = 0; i < ARRAY_SIZE(kmalloc_sizes); i++) {
		size_t size = kmalloc_sizes[i];
		void *p = kmalloc(size, GFP_KERNEL);

		objs[i] = p;
		if (!p) {
			ktest_fail(t, __FILE__, __LINE__, "kmalloc(%zu) failed", size);
			continue;
		}
		if (!virt_addr_valid(p) || !IS_ALIGNED((unsigned long)p, kmalloc_align(size)))
			ktest_fail(t, __FILE__, __LINE__, "kmalloc(%zu) = %p, want alignment %zu",
				   size, p, kmalloc_align(size));
		if (ksize(p) < size)
			ktest_fail(t, __FILE__, __LINE__, "ksize of kmalloc(%zu) is %zu", size,
				   ksize(p));
		/* All of ksize() is usable. */
		fill_pattern(p, ksize(p), i + 1);
	}
	for (i = 0; i < ARRAY_SIZE(kmalloc_sizes); i++) {
		if (!objs[i])
			continue;
		if (!check_pattern(objs[i], ksize(objs[i]), i + 1))
			ktest_fail(t, __FILE__, __LINE__, "kmalloc(%zu) object was overwritten",
				   kmalloc_sizes[i]);
		kfree(objs[i]);
	}
	settled_counts(&after, &inuse_after);
	KTEST_EXPECT_EQ(t, inuse_after, inuse);
	KTEST_EXPECT_EQ(t, after, before);
}

KTEST(kmalloc_edge_cases)
{
	static const size_t zsizes[] = { 1, 24, 200, 2048, 5000 };
	const size_t half = ((size_t)-1 >> 1) + 1;
	void *p;

	kfree(NULL);
	KTEST_EXPECT(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	KTEST_EXPECT_EQ(t, ksize(NULL), 0);

	for (size_t i = 0; i < ARRAY_SIZE(zsizes); i++) {
		p = kmalloc(zsizes[i], GFP_KERNEL);
		KTEST_EXPECT(t, p != NULL);
		if (!p)
			continue;
		memset(p, 0xa5, ksize(p));
		kfree(p);
		p = kzalloc(zsizes[i], GFP_KERNEL);
		KTEST_EXPECT(t, p != NULL);
		if (!p)
			continue;
		if (!all_zero(p, zsizes[i]))
			ktest_fail(t, __FILE__, __LINE__, "kzalloc(%zu) is not zeroed", zsizes[i]);
		kfree(p);
	}

	KTEST_EXPECT(t, kcalloc(half, 2, GFP_KERNEL) == NULL);
	KTEST_EXPECT(t, kcalloc(2, half, GFP_KERNEL) == NULL);
	KTEST_EXPECT(t, kcalloc((size_t)1 << 32, (size_t)1 << 32, GFP_KERNEL) == NULL);
	p = kmalloc(16 * 24, GFP_KERNEL);
	KTEST_EXPECT(t, p != NULL);
	if (p)
		memset(p, 0xa5, 16 * 24);
	kfree(p);
	p = kcalloc(16, 24, GFP_KERNEL);
	KTEST_EXPECT(t, p != NULL && all_zero(p, 16 * 24));
	kfree(p);
}

/*
 * Allocations from every CPU at once. Small on purpose: with more vCPUs than host cores
 * every handoff of the allocator locks can wait for the host to schedule a vCPU.
 */
#define STRESS_SLOTS	16
#define STRESS_OPS	200

struct stress_obj {
	void *ptr;
	size_t size;
	unsigned int order;	/* of a page block; -1U for a kmalloc object */
	u64 seed;
};

static struct mm_stress {
	atomic_t ready;
	atomic_t done;
	atomic_t nomem;
	atomic_t misaligned;
	atomic_t corrupt;
	unsigned int cpus;
	struct stress_obj objs[NR_CPUS][STRESS_SLOTS];
} stress;

static u64 xorshift64(u64 *state)
{
	u64 x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

static void stress_release(struct stress_obj *o)
{
	if (!check_pattern(o->ptr, o->size, o->seed))
		atomic_inc(&stress.corrupt);
	if (o->order == -1U)
		kfree(o->ptr);
	else
		free_pages((unsigned long)o->ptr, o->order);
	o->ptr = NULL;
}

static void stress_acquire(struct stress_obj *o, u64 r)
{
	if (r & 1) {
		o->order = (r >> 8) % 4;
		o->size = PAGE_SIZE << o->order;
		o->ptr = (void *)__get_free_pages(GFP_ATOMIC, o->order);
		if (o->ptr && !IS_ALIGNED(__pa(o->ptr), o->size))
			atomic_inc(&stress.misaligned);
	} else {
		/* Mostly small objects, some past the largest cache. */
		o->order = -1U;
		o->size = 1 + (r >> 16) % ((r & 6) ? 512 : 3 * KMALLOC_MAX_CACHE_SIZE);
		o->ptr = kmalloc(o->size, GFP_ATOMIC);
		if (o->ptr && !IS_ALIGNED((unsigned long)o->ptr, kmalloc_align(o->size)))
			atomic_inc(&stress.misaligned);
	}
	if (!o->ptr) {
		atomic_inc(&stress.nomem);
		return;
	}
	o->seed = r;
	fill_pattern(o->ptr, o->size, o->seed);
}

static void mm_stress_fn(void *arg)
{
	unsigned int cpu = smp_processor_id();
	struct stress_obj *objs = stress.objs[cpu];
	u64 rng = 0x2545f4914f6cdd1dUL * (cpu + 1);

	atomic_inc_return(&stress.ready);
	while (atomic_read_acquire(&stress.ready) < (int)stress.cpus)
		cpu_relax();
	for (int i = 0; i < STRESS_OPS; i++) {
		u64 r = xorshift64(&rng);
		struct stress_obj *o = &objs[(r >> 40) % STRESS_SLOTS];

		if (o->ptr)
			stress_release(o);
		else
			stress_acquire(o, r);
	}
	for (int i = 0; i < STRESS_SLOTS; i++)
		if (objs[i].ptr)
			stress_release(&objs[i]);
	atomic_inc_return(&stress.done);
}

KTEST(mm_stress_all_cpus)
{
	unsigned long before, inuse, after, inuse_after;

	settled_counts(&before, &inuse);
	memset(&stress, 0, sizeof(stress));
	stress.cpus = num_online_cpus();
	smp_call_function_many(&cpu_online_mask, mm_stress_fn, NULL, false);
	mm_stress_fn(NULL);
	while (atomic_read_acquire(&stress.done) < (int)stress.cpus)
		cpu_relax();
	KTEST_EXPECT_EQ(t, atomic_read(&stress.nomem), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&stress.misaligned), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&stress.corrupt), 0);
	settled_counts(&after, &inuse_after);
	KTEST_EXPECT_EQ(t, inuse_after, inuse);
	KTEST_EXPECT_EQ(t, after, before);
}

static pte_t *leaf_pte(u64 va, int *level)
{
	struct pgtable_ctx ctx = { .va_offset = PAGE_OFFSET };

	return walk_range(&ctx, swapper_pg_dir, va, level);
}

static unsigned int pte_attrindx(pte_t pte)
{
	return (pte >> 2) & 7;
}

/* A stack is mapped page by page in the vmalloc area, with nothing mapped either side. */
KTEST(thread_stack_guards)
{
	u8 *stack = alloc_thread_stack(), *other;
	pte_t *pte;
	int level;

	KTEST_EXPECT(t, stack != NULL);
	if (!stack)
		return;
	KTEST_EXPECT(t, IS_ALIGNED((u64)stack, 2 * THREAD_SIZE));
	KTEST_EXPECT(t, (u64)stack >= VMALLOC_START && (u64)stack < VMALLOC_END);
	for (u64 off = 0; off < THREAD_SIZE; off += PAGE_SIZE) {
		pte = leaf_pte((u64)stack + off, &level);
		if (!pte || level != 3 || (*pte & PTE_RDONLY) || !(*pte & PTE_PXN) ||
		    pte_attrindx(*pte) != MT_NORMAL)
			ktest_fail(t, __FILE__, __LINE__, "stack page +%#lx: pte %#lx level %d",
				   (unsigned long)off, pte ? (unsigned long)*pte : 0UL,
				   pte ? level : -1);
	}
	KTEST_EXPECT(t, leaf_pte((u64)stack - PAGE_SIZE, &level) == NULL);
	KTEST_EXPECT(t, leaf_pte((u64)stack + THREAD_SIZE, &level) == NULL);
	/* Distinct pages: a page mapped twice would show the later pattern in both places. */
	fill_pattern(stack, THREAD_SIZE, (u64)stack);
	KTEST_EXPECT(t, check_pattern(stack, THREAD_SIZE, (u64)stack));

	other = alloc_thread_stack();
	KTEST_EXPECT(t, other != NULL && other != stack);
	free_thread_stack(stack);
	KTEST_EXPECT(t, alloc_thread_stack() == stack);
	free_thread_stack(stack);
	if (other)
		free_thread_stack(other);
}

/* ioremap maps device memory: here the UART's registers, a second time. */
KTEST(ioremap_is_device_memory)
{
	const void *fdt = initial_boot_params;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011"), level;
	u64 base, size, page;
	void __iomem *regs;
	pte_t *pte;

	KTEST_EXPECT(t, node >= 0 && !of_get_reg(fdt, node, 0, &base, &size));
	if (node < 0 || of_get_reg(fdt, node, 0, &base, &size))
		return;
	regs = ioremap(base, size);
	page = (u64)regs & PAGE_MASK;
	KTEST_EXPECT(t, page >= VMALLOC_START && page < VMALLOC_END);
	KTEST_EXPECT_EQ(t, (u64)regs & ~PAGE_MASK, base & ~PAGE_MASK);
	pte = leaf_pte(page, &level);
	KTEST_EXPECT(t, pte != NULL);
	if (!pte)
		return;
	KTEST_EXPECT_EQ(t, level, 3);
	KTEST_EXPECT_EQ(t, pte_attrindx(*pte), MT_DEVICE_nGnRE);
	KTEST_EXPECT_EQ(t, *pte & PTE_ADDR_MASK, base & PAGE_MASK);
	KTEST_EXPECT(t, (*pte & PTE_PXN) && (*pte & PTE_UXN) && !(*pte & PTE_USER));
	/* A guard page follows every mapping. */
	KTEST_EXPECT(t, leaf_pte(page + ALIGN(size + (base & ~PAGE_MASK), PAGE_SIZE),
				 &level) == NULL);
	/* The PrimeCell ID every PL011 carries: the mapping reaches the device. */
	KTEST_EXPECT_EQ(t, readl(regs + 0xff0) & 0xff, 0x0d);
	KTEST_EXPECT_EQ(t, readl(regs + 0xffc) & 0xff, 0xb1);
	KTEST_EXPECT_EQ(t, unmap_kernel_page(page), base & PAGE_MASK);
}
