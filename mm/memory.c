// SPDX-License-Identifier: MIT
/*
 * User page tables and the pages they map: demand-zero faults, file faults, copy-on-write,
 * fork's sharing, permission changes, moves and unmapping.
 *
 * Every user PTE maps one page (4 KiB, never blocks), with nG so that it is tagged with
 * the mm's ASID. Page reference counts: each PTE that maps a page holds one reference,
 * and a file holds one on each of its pages. Anonymous pages (PG_anon: private memory,
 * and private copies of file pages) shared after fork have a count of 2 or more and are
 * mapped read-only; the first write through any mapping copies the page, unless the
 * count has fallen to 1, in which case that mapping takes the page over. A file page in
 * a private mapping is mapped read-only and always copied on write; in a shared mapping
 * it is written in place. A page or table leaves the page tables first, then every TLB,
 * and only then goes back to the allocator (struct mmu_gather). Everything here runs
 * under the mm's mmap_lock.
 */
#include <asm/cacheflush.h>
#include <asm/tlbflush.h>
#include <kairos/mm.h>
#include <kairos/mm_types.h>
#include <kairos/string.h>
#include <kairos/vmstat.h>
#include <uapi/errno.h>

#include "internal.h"

#define PT_LEVEL_SHIFT(l)	(39 - 9 * (l))
#define PT_LAST_LEVEL		3

static unsigned long pt_index(unsigned long addr, int level)
{
	return (addr >> PT_LEVEL_SHIFT(level)) % PTRS_PER_TABLE;
}

static pte_t *table_of(pte_t desc)
{
	return __va(desc & PTE_ADDR_MASK);
}

static struct page *pte_page(pte_t pte)
{
	return phys_to_page(pte & PTE_ADDR_MASK);
}

/*
 * The leaf attributes for a VMA's flags: EL0 access unless PROT_NONE, read-only unless
 * writable, EL0-executable only with VM_EXEC, never EL1-executable. Without PAN or
 * execute-only support, anything mapped is readable, as on Linux for ARMv8.0.
 */
static pte_t vm_pte_prot(unsigned long vm_flags)
{
	pte_t prot = PTE_TYPE_PAGE | PTE_AF | PTE_SHARED | PTE_ATTRINDX(MT_NORMAL) | PTE_NG |
		     PTE_PXN;

	if (vm_flags & VM_ACCESS_FLAGS)
		prot |= PTE_USER;
	if (!(vm_flags & VM_WRITE))
		prot |= PTE_RDONLY;
	if (!(vm_flags & VM_EXEC))
		prot |= PTE_UXN;
	return prot;
}

/*
 * The mm maps n more (or -n fewer) pages of page's kind. Every change of what a PTE maps
 * comes through here, under mmap_lock, so the counts are exact and the peak is kept as
 * they grow (Linux updates hiwater_rss lazily, before unmapping: the same number).
 */
static void add_mm_rss(struct mm_struct *mm, const struct page *page, long n)
{
	int member = PageAnon(page) ? MM_ANONPAGES : MM_FILEPAGES;
	unsigned long rss;

	WRITE_ONCE(mm->rss_stat[member], mm->rss_stat[member] + n);
	rss = get_mm_rss(mm);
	if (rss > mm->hiwater_rss)
		WRITE_ONCE(mm->hiwater_rss, rss);
}

/* Install a PTE where there was none. Code in an executable page must reach the I-side. */
static void set_user_pte(struct mm_struct *mm, pte_t *ptep, pte_t pte)
{
	if (!(pte & PTE_UXN))
		sync_icache_page(pte_page(pte));
	add_mm_rss(mm, pte_page(pte), 1);
	WRITE_ONCE(*ptep, pte);
	pgtable_publish();
}

/* The last-level entry for addr, allocating the tables on the way. NULL: out of memory. */
static pte_t *pte_alloc(struct mm_struct *mm, unsigned long addr)
{
	pte_t *table = mm->pgd;

	for (int level = 0; level < PT_LAST_LEVEL; level++) {
		pte_t *ent = &table[pt_index(addr, level)];

		if (!(*ent & PTE_VALID)) {
			unsigned long t = get_zeroed_page(GFP_KERNEL);

			if (!t)
				return NULL;
			/* The zeroes must reach the walker before the table does. */
			dsb(ishst);
			WRITE_ONCE(*ent, __pa(t) | PTE_TYPE_TABLE);
		}
		table = table_of(*ent);
	}
	return &table[pt_index(addr, PT_LAST_LEVEL)];
}

struct page *follow_page(struct vm_area_struct *vma, unsigned long addr)
{
	pte_t *table = vma->vm_mm->pgd;
	pte_t ent;

	for (int level = 0; level < PT_LAST_LEVEL; level++) {
		ent = READ_ONCE(table[pt_index(addr, level)]);
		if (!(ent & PTE_VALID))
			return NULL;
		table = table_of(ent);
	}
	ent = READ_ONCE(table[pt_index(addr, PT_LAST_LEVEL)]);
	return ent & PTE_VALID ? pte_page(ent) : NULL;
}

#define MMU_GATHER_BATCH	64

/* Pages and tables taken out of the page tables, to be freed once no TLB holds them. */
struct mmu_gather {
	struct mm_struct *mm;
	unsigned long start, end;	/* the translations to drop first */
	unsigned int nr;
	struct page *pages[MMU_GATHER_BATCH];
};

static void tlb_gather_init(struct mmu_gather *tlb, struct mm_struct *mm)
{
	tlb->mm = mm;
	tlb->start = ~0UL;
	tlb->end = 0;
	tlb->nr = 0;
}

static void tlb_flush_mmu(struct mmu_gather *tlb)
{
	if (tlb->start < tlb->end)
		__flush_tlb_range(tlb->mm, tlb->start, tlb->end);
	for (unsigned int i = 0; i < tlb->nr; i++)
		__free_page(tlb->pages[i]);	/* drops this mapping's reference */
	tlb_gather_init(tlb, tlb->mm);
}

/* page was reachable through [start, end). */
static void tlb_remove_page(struct mmu_gather *tlb, struct page *page, unsigned long start,
			    unsigned long end)
{
	tlb->start = min(tlb->start, start);
	tlb->end = max(tlb->end, end);
	tlb->pages[tlb->nr++] = page;
	if (tlb->nr == MMU_GATHER_BATCH)
		tlb_flush_mmu(tlb);
}

/* A walk over the valid last-level entries of a range. */
struct pt_walk {
	int (*pte_entry)(struct pt_walk *w, pte_t *ptep, unsigned long addr);
	struct mmu_gather *tlb;		/* set: free the tables the walk leaves empty */
	void *private;
};

static bool table_empty(const pte_t *table)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		if (table[i])
			return false;
	return true;
}

/* Stops at the first error pte_entry returns. Skips whole empty subtrees. */
static int walk_level(struct pt_walk *w, pte_t *table, int level, unsigned long addr,
		      unsigned long end)
{
	unsigned long size = 1UL << PT_LEVEL_SHIFT(level);

	while (addr < end) {
		unsigned long base = addr & ~(size - 1), next = min(base + size, end);
		pte_t *ent = &table[pt_index(addr, level)];
		pte_t *child;
		int err;

		if (!(*ent & PTE_VALID)) {
			addr = next;
			continue;
		}
		if (level == PT_LAST_LEVEL) {
			err = w->pte_entry(w, ent, addr);
			if (err)
				return err;
			addr = next;
			continue;
		}
		child = table_of(*ent);
		err = walk_level(w, child, level + 1, addr, next);
		if (err)
			return err;
		if (w->tlb && table_empty(child)) {
			WRITE_ONCE(*ent, 0);
			tlb_remove_page(w->tlb, virt_to_page(child), base, base + size);
		}
		addr = next;
	}
	return 0;
}

static int zap_pte(struct pt_walk *w, pte_t *ptep, unsigned long addr)
{
	struct page *page = pte_page(*ptep);

	WRITE_ONCE(*ptep, 0);
	add_mm_rss(w->tlb->mm, page, -1);
	tlb_remove_page(w->tlb, page, addr, addr + PAGE_SIZE);
	return 0;
}

void unmap_region(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct mmu_gather tlb;
	struct pt_walk w = { .pte_entry = zap_pte, .tlb = &tlb };

	tlb_gather_init(&tlb, mm);
	walk_level(&w, mm->pgd, 0, start, end);
	tlb_flush_mmu(&tlb);
}

struct prot_change {
	pte_t prot;
	bool exec_added;
};

static int change_pte(struct pt_walk *w, pte_t *ptep, unsigned long addr)
{
	const struct prot_change *pc = w->private;
	pte_t pte = *ptep;

	/* A read-only page (maybe shared copy-on-write) stays so until a write fault. */
	pte = (pte & PTE_ADDR_MASK) | pc->prot | (pte & PTE_RDONLY);
	if (pc->exec_added) {
		unsigned long va = (unsigned long)page_address(pte_page(pte));

		flush_icache_range(va, va + PAGE_SIZE);
	}
	WRITE_ONCE(*ptep, pte);
	return 0;
}

void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		       unsigned long old_flags)
{
	struct prot_change pc = {
		.prot = vm_pte_prot(vma->vm_flags),
		.exec_added = (vma->vm_flags & VM_EXEC) && !(old_flags & VM_EXEC),
	};
	struct pt_walk w = { .pte_entry = change_pte, .private = &pc };

	walk_level(&w, vma->vm_mm->pgd, 0, start, end);
	flush_tlb_range(vma, start, end);
}

struct copy_walk {
	struct mm_struct *dst;
	bool anon_only;		/* a private file mapping: file pages are found again */
};

static int copy_pte(struct pt_walk *w, pte_t *src_ptep, unsigned long addr)
{
	const struct copy_walk *c = w->private;
	pte_t pte = *src_ptep, *dst_ptep;

	if (c->anon_only && !PageAnon(pte_page(pte)))
		return 0;
	dst_ptep = pte_alloc(c->dst, addr);
	if (!dst_ptep)
		return -ENOMEM;
	/* Read-only on both sides: the first write on either side decides who copies. */
	if (!(pte & PTE_RDONLY)) {
		pte |= PTE_RDONLY;
		WRITE_ONCE(*src_ptep, pte);
	}
	get_page(pte_page(pte));
	add_mm_rss(c->dst, pte_page(pte), 1);
	WRITE_ONCE(*dst_ptep, pte);
	return 0;
}

/*
 * The caller flushes the source mm's TLB entries, which may still allow writes. As in
 * Linux, only what a fault could not bring back is copied: the pages of a shared
 * mapping and the file pages of a private one are faulted in again from the file.
 */
int copy_page_range(struct mm_struct *dst, struct vm_area_struct *src_vma)
{
	struct copy_walk c = { .dst = dst, .anon_only = !vma_is_anonymous(src_vma) };
	struct pt_walk w = { .pte_entry = copy_pte, .private = &c };

	if ((src_vma->vm_flags & VM_WIPEONFORK) ||
	    (!vma_is_anonymous(src_vma) && (src_vma->vm_flags & VM_SHARED)))
		return 0;
	return walk_level(&w, src_vma->vm_mm->pgd, 0, src_vma->vm_start, src_vma->vm_end);
}

struct move_walk {
	struct mm_struct *mm;
	unsigned long delta;		/* new address - old address, modulo 2^64 */
};

static int prealloc_pte(struct pt_walk *w, pte_t *ptep, unsigned long addr)
{
	const struct move_walk *m = w->private;

	return pte_alloc(m->mm, addr + m->delta) ? 0 : -ENOMEM;
}

static int move_pte(struct pt_walk *w, pte_t *ptep, unsigned long addr)
{
	const struct move_walk *m = w->private;
	pte_t *dst = pte_alloc(m->mm, addr + m->delta);	/* cannot fail: the table exists */

	WRITE_ONCE(*dst, *ptep);
	WRITE_ONCE(*ptep, 0);
	return 0;
}

/*
 * The tables for the destination come first, so that the move itself cannot fail half
 * way. The pages keep their references: they only change address.
 */
int move_page_tables(struct mm_struct *mm, unsigned long old_addr, unsigned long new_addr,
		     unsigned long len)
{
	struct move_walk m = { .mm = mm, .delta = new_addr - old_addr };
	struct pt_walk w = { .pte_entry = prealloc_pte, .private = &m };
	int err = walk_level(&w, mm->pgd, 0, old_addr, old_addr + len);

	if (err)
		return err;
	pgtable_publish();
	w.pte_entry = move_pte;
	walk_level(&w, mm->pgd, 0, old_addr, old_addr + len);
	__flush_tlb_range(mm, old_addr, old_addr + len);
	return 0;
}

/* A private copy of a page a user mapping may write. NULL without memory. */
static struct page *copy_anon_page(const struct page *src)
{
	struct page *new = alloc_page(GFP_KERNEL);

	if (new) {
		memcpy(page_address(new), page_address(src), PAGE_SIZE);
		__SetPageAnon(new);
	}
	return new;
}

/* First touch: a zeroed page, mapped with the VMA's full permissions. */
static vm_fault_t do_anonymous_page(struct vm_area_struct *vma, pte_t *ptep)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!page)
		return VM_FAULT_OOM;
	__SetPageAnon(page);
	set_user_pte(vma->vm_mm, ptep, page_to_phys(page) | vm_pte_prot(vma->vm_flags));
	return 0;
}

/*
 * First touch of a file mapping: the file's page (read-only in a private mapping), or
 * for a write to a private mapping a copy of it at once.
 */
static vm_fault_t do_fault(struct vm_area_struct *vma, pte_t *ptep, unsigned long addr,
			   unsigned int flags)
{
	struct vm_fault vmf = {
		.vma = vma,
		.address = addr,
		.pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT),
		.flags = flags,
	};
	pte_t prot = vm_pte_prot(vma->vm_flags);
	struct page *page;
	vm_fault_t ret;

	ret = vma->vm_ops->fault(&vmf);
	if (ret)
		return ret;
	page = vmf.page;
	if (!(vma->vm_flags & VM_SHARED)) {
		if (flags & FAULT_FLAG_WRITE) {
			struct page *copy = copy_anon_page(page);

			__free_page(page);
			if (!copy)
				return VM_FAULT_OOM;
			page = copy;
		} else {
			prot |= PTE_RDONLY;
		}
	}
	/* takes over ->fault's reference */
	set_user_pte(vma->vm_mm, ptep, page_to_phys(page) | prot);
	return 0;
}

/*
 * A write to a read-only PTE of a writable VMA: a shared mapping's page is written in
 * place (mprotect left it read-only); a private mapping copies, or takes over an
 * anonymous page nothing else maps.
 */
static vm_fault_t do_wp_page(struct vm_area_struct *vma, pte_t *ptep, unsigned long addr,
			     pte_t pte)
{
	struct page *old = pte_page(pte), *new;

	/* Acquire: the last other user's reads of the page (its own copy) are done before
	 * we write. */
	if ((vma->vm_flags & VM_SHARED) ||
	    (PageAnon(old) && atomic_read_acquire(&old->_refcount) == 1)) {
		WRITE_ONCE(*ptep, pte & ~PTE_RDONLY);
		flush_tlb_page(vma, addr);	/* else a stale read-only entry faults again */
		return 0;
	}
	new = copy_anon_page(old);
	if (!new)
		return VM_FAULT_OOM;
	/* Break before make: the old translation leaves every TLB before the new one comes. */
	WRITE_ONCE(*ptep, 0);
	add_mm_rss(vma->vm_mm, old, -1);
	flush_tlb_page(vma, addr);
	set_user_pte(vma->vm_mm, ptep, page_to_phys(new) | vm_pte_prot(vma->vm_flags));
	__free_page(old);
	return 0;
}

vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	pte_t *ptep = pte_alloc(vma->vm_mm, addr);
	pte_t pte;

	count_vm_event(PGFAULT);

	if (!ptep)
		return VM_FAULT_OOM;
	addr &= PAGE_MASK;
	pte = READ_ONCE(*ptep);
	if (!(pte & PTE_VALID))
		return vma_is_anonymous(vma) ? do_anonymous_page(vma, ptep) :
					       do_fault(vma, ptep, addr, flags);
	if ((flags & FAULT_FLAG_WRITE) && (pte & PTE_RDONLY))
		return do_wp_page(vma, ptep, addr, pte);
	/* Already resolved (by another thread of the mm, before we got mmap_lock). */
	return 0;
}

int access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf, int len)
{
	int done = 0;

	mmap_read_lock(mm);
	while (done < len) {
		unsigned long off = addr & ~PAGE_MASK;
		int n = min_t(int, len - done, PAGE_SIZE - off);
		struct vm_area_struct *vma = find_vma(mm, addr);
		struct page *page;

		if (!vma || vma->vm_start > addr || !(vma->vm_flags & VM_READ))
			break;
		page = follow_page(vma, addr);
		if (!page) {
			if (handle_mm_fault(vma, addr, 0))
				break;
			page = follow_page(vma, addr);
			if (!page)
				break;
		}
		/* The page stays mapped while mmap_lock is held: nothing can unmap it. */
		memcpy((char *)buf + done, (char *)page_address(page) + off, n);
		done += n;
		addr += n;
	}
	mmap_read_unlock(mm);
	return done;
}
