// SPDX-License-Identifier: MIT
/*
 * Virtual memory areas. An mm's VMAs sit in a red-black tree by address and never
 * overlap; neighbours with the same flags are merged (all memory is anonymous, so
 * nothing else tells them apart). mmap places new areas top-down below mmap_base, under
 * the stack; brk grows the heap up from start_brk; stacks grow down on faults.
 */
#include <asm/tlbflush.h>
#include <asm/uaccess.h>
#include <kairos/err.h>
#include <kairos/mman.h>
#include <kairos/mm.h>
#include <kairos/sched.h>
#include <kairos/slab.h>
#include <uapi/errno.h>

#include "internal.h"

static struct vm_area_struct *rb_vma(struct rb_node *node)
{
	return node ? rb_entry(node, struct vm_area_struct, vm_rb) : NULL;
}

static struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	return rb_vma(rb_next(&vma->vm_rb));
}

static struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	return rb_vma(rb_prev(&vma->vm_rb));
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct rb_node *node = mm->mm_rb.rb_node;
	struct vm_area_struct *found = NULL;

	while (node) {
		struct vm_area_struct *vma = rb_vma(node);

		if (vma->vm_end > addr) {
			found = vma;
			if (vma->vm_start <= addr)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return found;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return vma && vma->vm_start < end ? vma : NULL;
}

/* Where a VMA begins for placement: a stack keeps a guard gap free below it. */
static unsigned long vm_start_gap(struct vm_area_struct *vma)
{
	if (!(vma->vm_flags & VM_GROWSDOWN))
		return vma->vm_start;
	return vma->vm_start > stack_guard_gap ? vma->vm_start - stack_guard_gap : 0;
}

static bool vma_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_vma(a)->vm_start < rb_entry(b, struct vm_area_struct, vm_rb)->vm_start;
}

static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	rb_add(&vma->vm_rb, &mm->mm_rb, vma_less);
	mm->map_count++;
}

static void vma_unlink_free(struct mm_struct *mm, struct vm_area_struct *vma)
{
	rb_erase(&vma->vm_rb, &mm->mm_rb);
	mm->map_count--;
	kfree(vma);
}

/* kmalloc rather than a cache of its own: its size class fits, and it needs no boot hook. */
static struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	if (mm->map_count >= sysctl_max_map_count)
		return NULL;
	vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (vma)
		vma->vm_mm = mm;
	return vma;
}

/* vma keeps [vm_start, addr); a new VMA after it takes [addr, vm_end). */
static int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	struct vm_area_struct *new = vm_area_alloc(mm);

	if (!new)
		return -ENOMEM;
	new->vm_start = addr;
	new->vm_end = vma->vm_end;
	new->vm_flags = vma->vm_flags;
	vma->vm_end = addr;
	vma_link(mm, new);
	return 0;
}

/* Fold vma into neighbours that touch it and have the same flags; returns the result. */
static struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma_prev(vma), *next = vma_next(vma);

	if (prev && prev->vm_end == vma->vm_start && prev->vm_flags == vma->vm_flags) {
		prev->vm_end = vma->vm_end;
		vma_unlink_free(mm, vma);
		vma = prev;
	}
	if (next && next->vm_start == vma->vm_end && next->vm_flags == vma->vm_flags) {
		vma->vm_end = next->vm_end;
		vma_unlink_free(mm, next);
	}
	return vma;
}

/* A VMA over [start, end), which must be free. */
static int vma_create(struct mm_struct *mm, unsigned long start, unsigned long end,
		      unsigned long vm_flags)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);

	if (!vma)
		return -ENOMEM;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = vm_flags;
	vma_link(mm, vma);
	vma_merge(mm, vma);
	return 0;
}

/* The highest len bytes free in [low, high), honouring stack guard gaps; or -ENOMEM. */
static unsigned long unmapped_area_topdown(struct mm_struct *mm, unsigned long len,
					   unsigned long low, unsigned long high)
{
	struct vm_area_struct *vma = rb_vma(rb_last(&mm->mm_rb));
	unsigned long top = high;

	for (; vma && top > low; vma = vma_prev(vma)) {
		unsigned long floor = max(vma->vm_end, low);

		if (floor < top && top - floor >= len)
			return top - len;
		top = min(top, vm_start_gap(vma));
	}
	if (top > low && top - low >= len)
		return top - len;
	return -ENOMEM;
}

unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len,
				unsigned long flags)
{
	struct vm_area_struct *vma;

	if (len > mm->task_size - mmap_min_addr)
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		if (addr & ~PAGE_MASK)
			return -EINVAL;
		if (addr > mm->task_size - len)
			return -ENOMEM;
		if (addr < mmap_min_addr)
			return -EPERM;
		return addr;
	}
	/*
	 * A hint is taken if the range is free, guard gaps included; otherwise it is only
	 * ignored. (The VMA before find_vma's ends at or below addr by definition.)
	 */
	if (addr) {
		addr = ALIGN(addr, PAGE_SIZE);
		vma = find_vma(mm, addr);
		if (addr >= mmap_min_addr && addr <= mm->task_size - len &&
		    (!vma || addr + len <= vm_start_gap(vma)))
			return addr;
	}
	addr = unmapped_area_topdown(mm, len, mmap_min_addr, mm->mmap_base);
	if (IS_ERR_VALUE(addr))
		addr = unmapped_area_topdown(mm, len, mm->mmap_base, mm->task_size);
	return addr;
}

unsigned long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags)
{
	unsigned long vm_flags;
	int err;

	if (!len)
		return -EINVAL;
	len = ALIGN(len, PAGE_SIZE);
	if (!len)
		return -ENOMEM;
	/* Shared anonymous memory needs an object both sides of a fork see: not yet. */
	if ((flags & MAP_TYPE) != MAP_PRIVATE)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -ENODEV;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	addr = get_unmapped_area(mm, addr, len, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;

	vm_flags = calc_vm_prot_bits(prot) | calc_vm_flag_bits(flags) |
		   VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	/* MAP_FIXED replaces whatever was there. */
	err = do_munmap(mm, addr, len);
	if (!err)
		err = vma_create(mm, addr, addr + len, vm_flags);
	return err ? (unsigned long)err : addr;
}

int do_munmap(struct mm_struct *mm, unsigned long start, size_t len)
{
	struct vm_area_struct *vma, *next;
	unsigned long end;

	if ((start & ~PAGE_MASK) || start > mm->task_size || len > mm->task_size - start)
		return -EINVAL;
	len = ALIGN(len, PAGE_SIZE);
	if (!len)
		return -EINVAL;
	end = start + len;

	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return 0;
	if (vma->vm_start < start) {
		if (split_vma(mm, vma, start))
			return -ENOMEM;
		vma = vma_next(vma);
	}
	next = find_vma(mm, end);
	if (next && next->vm_start < end && split_vma(mm, next, end))
		return -ENOMEM;

	for (; vma && vma->vm_start < end; vma = next) {
		next = vma_next(vma);
		vma_unlink_free(mm, vma);
	}
	unmap_region(mm, start, end);
	return 0;
}

/* Give [start, end) of vma the flags newflags, splitting and merging as needed. */
static int mprotect_fixup(struct mm_struct *mm, struct vm_area_struct *vma,
			  unsigned long start, unsigned long end, unsigned long newflags)
{
	unsigned long old_flags = vma->vm_flags;

	if (newflags == old_flags)
		return 0;
	if (start > vma->vm_start) {
		if (split_vma(mm, vma, start))
			return -ENOMEM;
		vma = vma_next(vma);
	}
	if (end < vma->vm_end && split_vma(mm, vma, end))
		return -ENOMEM;
	vma->vm_flags = newflags;
	change_protection(vma, start, end, old_flags);
	vma_merge(mm, vma);
	return 0;
}

int do_mprotect(struct mm_struct *mm, unsigned long start, size_t len, unsigned long prot)
{
	unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP), end;
	struct vm_area_struct *vma;

	prot &= ~grows;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = ALIGN(len, PAGE_SIZE);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	/* No BTI or MTE on ARMv8.0: those bits are refused as Linux refuses them there. */
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)))
		return -EINVAL;

	vma = find_vma(mm, start);
	if (!vma)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		if (vma->vm_start >= end)
			return -ENOMEM;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return -EINVAL;
		start = vma->vm_start;
	} else if (vma->vm_start > start) {
		return -ENOMEM;
	} else if (grows & PROT_GROWSUP) {
		return -EINVAL;		/* no VMA grows up on arm64 */
	}

	for (;;) {
		unsigned long newflags = calc_vm_prot_bits(prot) |
					 (vma->vm_flags & ~VM_ACCESS_FLAGS);
		unsigned long tmp = min(vma->vm_end, end);
		int err;

		/* VM_MAY* sit four bits above what they allow. */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS)
			return -EACCES;
		err = mprotect_fixup(mm, vma, start, tmp, newflags);
		if (err)
			return err;
		start = tmp;
		if (start >= end)
			return 0;
		vma = find_vma(mm, start);
		if (!vma || vma->vm_start != start)
			return -ENOMEM;		/* a hole: what came before stays changed */
	}
}

int do_brk_flags(struct mm_struct *mm, unsigned long addr, unsigned long len,
		 unsigned long flags)
{
	len = ALIGN(len, PAGE_SIZE);
	if (!len)
		return 0;
	if (addr < mmap_min_addr || addr > mm->task_size || len > mm->task_size - addr)
		return -ENOMEM;
	if (find_vma_intersection(mm, addr, addr + len))
		return -ENOMEM;
	return vma_create(mm, addr, addr + len, flags | VM_DATA_DEFAULT_FLAGS);
}

int expand_stack(struct vm_area_struct *vma, unsigned long addr)
{
	struct vm_area_struct *prev = vma_prev(vma);

	addr &= PAGE_MASK;
	if (!(vma->vm_flags & VM_GROWSDOWN) || addr >= vma->vm_start)
		return -EFAULT;
	if (addr < mmap_min_addr || vma->vm_end - addr > _STK_LIM)
		return -ENOMEM;
	/* Callers found vma with find_vma(addr), so prev ends at or below addr. */
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && (prev->vm_flags & VM_ACCESS_FLAGS) &&
	    addr - prev->vm_end < stack_guard_gap)
		return -ENOMEM;
	vma->vm_start = addr;	/* still below vma's successor: the tree order holds */
	return 0;
}

int setup_stack_vma(struct mm_struct *mm, unsigned long size)
{
	int err;

	size = ALIGN(size, PAGE_SIZE);
	if (!size || size > _STK_LIM)
		return -EINVAL;
	mmap_write_lock(mm);
	err = find_vma_intersection(mm, STACK_TOP - size, STACK_TOP) ? -EEXIST :
	      vma_create(mm, STACK_TOP - size, STACK_TOP, VM_STACK_FLAGS);
	if (!err)
		mm->start_stack = STACK_TOP;
	mmap_write_unlock(mm);
	return err;
}

int install_special_mapping(struct mm_struct *mm, unsigned long addr, unsigned long len,
			    unsigned long vm_flags, struct page **pages)
{
	struct vm_area_struct *vma;
	int err;

	if (find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;
	err = vma_create(mm, addr, addr + len, vm_flags | VM_DONTEXPAND);
	if (err)
		return err;
	vma = find_vma(mm, addr);
	for (unsigned long off = 0; off < len && !err; off += PAGE_SIZE)
		err = vm_insert_page(vma, addr + off, *pages++);
	if (err)
		do_munmap(mm, addr, len);
	return err;
}

int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *vma;
	int err = 0;

	mmap_write_lock(oldmm);
	mm->task_size = oldmm->task_size;
	mm->mmap_base = oldmm->mmap_base;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->context.sigpage = oldmm->context.sigpage;
	for (vma = rb_vma(rb_first(&oldmm->mm_rb)); vma; vma = vma_next(vma)) {
		struct vm_area_struct *new = vm_area_alloc(mm);

		if (!new) {
			err = -ENOMEM;
			break;
		}
		new->vm_start = vma->vm_start;
		new->vm_end = vma->vm_end;
		new->vm_flags = vma->vm_flags;
		vma_link(mm, new);
		err = copy_page_range(mm, vma);
		if (err)
			break;
	}
	/* Pages now shared were writable in oldmm until this flush. */
	flush_tlb_mm(oldmm);
	mmap_write_unlock(oldmm);
	return err;
}

void exit_mmap(struct mm_struct *mm)
{
	struct rb_node *node;

	mmap_write_lock(mm);
	unmap_region(mm, 0, mm->task_size);
	while ((node = rb_first(&mm->mm_rb)))
		vma_unlink_free(mm, rb_vma(node));
	mmap_write_unlock(mm);
}

unsigned long ksys_mmap_pgoff(unsigned long addr, unsigned long len, unsigned long prot,
			      unsigned long flags, unsigned long fd, unsigned long pgoff)
{
	struct mm_struct *mm = current->mm;
	unsigned long ret;

	/* With MAP_ANONYMOUS fd and pgoff are ignored; no other fd exists yet. */
	if (!(flags & MAP_ANONYMOUS))
		return -EBADF;
	mmap_write_lock(mm);
	ret = do_mmap(mm, addr, len, prot, flags);
	mmap_write_unlock(mm);
	return ret;
}

int ksys_munmap(unsigned long addr, size_t len)
{
	struct mm_struct *mm = current->mm;
	int ret;

	mmap_write_lock(mm);
	ret = do_munmap(mm, untagged_addr(addr), len);
	mmap_write_unlock(mm);
	return ret;
}

int ksys_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	struct mm_struct *mm = current->mm;
	int ret;

	mmap_write_lock(mm);
	ret = do_mprotect(mm, untagged_addr(start), len, prot);
	mmap_write_unlock(mm);
	return ret;
}

unsigned long ksys_brk(unsigned long brk)
{
	struct mm_struct *mm = current->mm;
	unsigned long newbrk, oldbrk, ret;
	struct vm_area_struct *next;

	mmap_write_lock(mm);
	ret = mm->brk;
	if (brk < mm->start_brk || brk > mm->task_size)
		goto out;
	newbrk = ALIGN(brk, PAGE_SIZE);
	oldbrk = ALIGN(mm->brk, PAGE_SIZE);
	if (newbrk == oldbrk)
		goto set;
	if (brk <= mm->brk) {
		/* Only whole pages above the new break go; the rest of its page stays. */
		if (do_munmap(mm, newbrk, oldbrk - newbrk))
			goto out;
		goto set;
	}
	next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		goto out;
	if (do_brk_flags(mm, oldbrk, newbrk - oldbrk, 0))
		goto out;
set:
	mm->brk = ret = brk;
out:
	mmap_write_unlock(mm);
	return ret;
}
