/* SPDX-License-Identifier: MIT */
/*
 * Page accounting for tests that check memory comes back: pages that are free, or held
 * by caches that give them back on demand (kmalloc slabs, cached kernel stacks).
 */
#ifndef TESTS_KTEST_MM_ACCOUNTING_H
#define TESTS_KTEST_MM_ACCOUNTING_H

#include <kairos/mm.h>
#include <kairos/slab.h>
#include <kairos/vmalloc.h>

static inline unsigned long pages_not_in_use(void)
{
	unsigned long n = nr_free_pages() + cached_stack_pages();

	for (unsigned int i = 0; i < KMALLOC_CACHES; i++)
		n += READ_ONCE(kmalloc_caches[i].nr_slabs);
	return n;
}

#endif
