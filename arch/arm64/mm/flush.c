// SPDX-License-Identifier: MIT
/*
 * I-cache maintenance for user pages, done once per page contents rather than at every
 * mapping: PG_dcache_clean records that the data side has been cleaned to the point of
 * unification and the I-cache invalidated for the page.
 */
#include <asm/cacheflush.h>
#include <kairos/bitmap.h>
#include <kairos/mm.h>

void sync_icache_page(struct page *page)
{
	unsigned long va = (unsigned long)page_address(page);

	if (test_bit(PG_dcache_clean, &page->flags))
		return;
	flush_icache_range(va, va + PAGE_SIZE);
	set_bit(PG_dcache_clean, &page->flags);	/* after the DSB: the flush is complete */
}

void flush_dcache_page(struct page *page)
{
	clear_bit(PG_dcache_clean, &page->flags);
}
