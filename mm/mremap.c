// SPDX-License-Identifier: MIT
/*
 * mremap: shrink a mapping, grow it in place, or move it (its pages travel with their
 * PTEs, nothing is copied). Checks and errnos follow Linux 6.1 in order.
 */
#include <asm/uaccess.h>
#include <kairos/err.h>
#include <kairos/mman.h>
#include <kairos/sched.h>
#include <kairos/syscalls.h>
#include <uapi/errno.h>

#include "internal.h"

/* The VMA [addr, addr + old_len) lies in, if it may become new_len long; or an ERR_PTR. */
static struct vm_area_struct *vma_to_resize(struct mm_struct *mm, unsigned long addr,
					    unsigned long old_len, unsigned long new_len,
					    unsigned long flags)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	unsigned long pgoff;

	if (!vma)
		return ERR_PTR(-EFAULT);
	/* A zero old_len duplicates a shared mapping; a private one has nothing to share. */
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return ERR_PTR(-EINVAL);
	if ((flags & MREMAP_DONTUNMAP) && (vma->vm_flags & VM_DONTEXPAND))
		return ERR_PTR(-EINVAL);
	if (old_len > vma->vm_end - addr)
		return ERR_PTR(-EFAULT);	/* across VMAs */
	if (new_len == old_len)
		return vma;
	pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	if (pgoff + (new_len >> PAGE_SHIFT) < pgoff)
		return ERR_PTR(-EINVAL);
	if (vma->vm_flags & VM_DONTEXPAND)
		return ERR_PTR(-EFAULT);
	if (mlock_future_check(mm, vma->vm_flags, new_len - old_len))
		return ERR_PTR(-EAGAIN);
	if (!may_expand_vm(mm, vma->vm_flags, (new_len - old_len) >> PAGE_SHIFT))
		return ERR_PTR(-ENOMEM);
	return vma;
}

/* Whether vma can grow by delta bytes where it is. */
static bool vma_expandable(struct mm_struct *mm, struct vm_area_struct *vma,
			   unsigned long delta)
{
	unsigned long end = vma->vm_end + delta;

	return end > vma->vm_end && !find_vma_intersection(mm, vma->vm_end, end) &&
	       !IS_ERR_VALUE(get_unmapped_area(mm, vma->vm_start, end - vma->vm_start,
					       MAP_FIXED));
}

/*
 * A new VMA at new_addr takes [old_addr, +old_len)'s pages; the old range is unmapped,
 * or with MREMAP_DONTUNMAP stays mapped and empty.
 */
static unsigned long move_vma(struct mm_struct *mm, struct vm_area_struct *vma,
			      unsigned long old_addr, unsigned long old_len,
			      unsigned long new_len, unsigned long new_addr, unsigned long flags)
{
	unsigned long pgoff = vma->vm_pgoff + ((old_addr - vma->vm_start) >> PAGE_SHIFT);
	struct vm_area_struct *new_vma;
	bool locked = vma->vm_flags & VM_LOCKED;

	/* Splitting the old VMA and placing the new one may take up to four more. */
	if (mm->map_count >= sysctl_max_map_count - 3)
		return -ENOMEM;
	if (accountable_mapping(vma->vm_flags) && vm_enough_memory(new_len >> PAGE_SHIFT))
		return -ENOMEM;
	new_vma = copy_vma(vma, new_addr, new_len, pgoff);	/* vma may be merged away */
	if (!new_vma)
		return -ENOMEM;
	if (move_page_tables(mm, old_addr, new_addr, old_len)) {
		do_munmap(mm, new_addr, new_len);
		return -ENOMEM;
	}
	if (flags & MREMAP_DONTUNMAP) {
		/* The old range keeps its VMA, but not its lock: nothing is in it now. */
		vma = vma_lookup(mm, old_addr);
		if (vma && (vma->vm_flags & VM_LOCKED))
			vma_modify_flags(mm, vma, old_addr, old_addr + old_len,
					 vma->vm_flags & ~(VM_LOCKED | VM_LOCKONFAULT));
	} else if (old_len) {
		do_munmap(mm, old_addr, old_len);	/* cannot fail for want of a split
							 * that matters: the pages moved */
	}
	if (locked && new_len > old_len)
		populate_range(mm, new_addr + old_len, new_addr + new_len);
	return new_addr;
}

/* MREMAP_FIXED or MREMAP_DONTUNMAP: the move is to new_addr (a hint for DONTUNMAP). */
static unsigned long mremap_to(struct mm_struct *mm, unsigned long addr,
			       unsigned long old_len, unsigned long new_addr,
			       unsigned long new_len, unsigned long flags)
{
	struct vm_area_struct *vma;
	unsigned long ret;

	if (new_addr & ~PAGE_MASK)
		return -EINVAL;
	if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len)
		return -EINVAL;
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL;		/* overlap */
	/* Both ranges may split in three before the move: keep room for that. */
	if (mm->map_count + 2 >= sysctl_max_map_count - 3)
		return -ENOMEM;
	if (flags & MREMAP_FIXED) {
		ret = do_munmap(mm, new_addr, new_len);
		if (ret)
			return ret;
	}
	if (old_len > new_len) {
		ret = do_munmap(mm, addr + new_len, old_len - new_len);
		if (ret)
			return ret;
		old_len = new_len;
	}
	vma = vma_to_resize(mm, addr, old_len, new_len, flags);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	/* DONTUNMAP leaves the old range mapped: the new one is all more. */
	if ((flags & MREMAP_DONTUNMAP) && !may_expand_vm(mm, vma->vm_flags, old_len >> PAGE_SHIFT))
		return -ENOMEM;
	ret = get_unmapped_area(mm, new_addr, new_len, flags & MREMAP_FIXED ? MAP_FIXED : 0);
	if (IS_ERR_VALUE(ret))
		return ret;
	return move_vma(mm, vma, addr, old_len, new_len, ret, flags);
}

unsigned long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	struct vm_area_struct *vma;
	unsigned long ret;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	/* DONTUNMAP always moves, and never resizes. */
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	old_len = ALIGN(old_len, PAGE_SIZE);
	new_len = ALIGN(new_len, PAGE_SIZE);
	if (!new_len)
		return -EINVAL;
	if (!vma_lookup(mm, addr))
		return -EFAULT;

	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return mremap_to(mm, addr, old_len, new_addr, new_len, flags);

	/* Shrinking only unmaps the tail. */
	if (old_len >= new_len) {
		if (old_len != new_len) {
			ret = do_munmap(mm, addr + new_len, old_len - new_len);
			if (ret)
				return ret;
		}
		return addr;
	}

	vma = vma_to_resize(mm, addr, old_len, new_len, flags);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	if (old_len == vma->vm_end - addr && vma_expandable(mm, vma, new_len - old_len)) {
		unsigned long ext = addr + old_len;

		if (accountable_mapping(vma->vm_flags) &&
		    vm_enough_memory((new_len - old_len) >> PAGE_SHIFT))
			return -ENOMEM;
		/* A copy over the extension, merged into vma (and maybe the next VMA). */
		vma = copy_vma(vma, ext, new_len - old_len,
			       vma->vm_pgoff + ((ext - vma->vm_start) >> PAGE_SHIFT));
		if (!vma)
			return -ENOMEM;
		if (vma->vm_flags & VM_LOCKED)
			populate_range(mm, ext, addr + new_len);
		return addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	new_addr = get_unmapped_area(mm, 0, new_len, 0);
	if (IS_ERR_VALUE(new_addr))
		return new_addr;
	return move_vma(mm, vma, addr, old_len, new_len, new_addr, flags);
}

SYSCALL_DEFINE5(mremap, unsigned long, addr, unsigned long, old_len, unsigned long, new_len,
		unsigned long, flags, unsigned long, new_addr)
{
	struct mm_struct *mm = current->mm;
	unsigned long ret;

	mmap_write_lock(mm);
	ret = do_mremap(mm, untagged_addr(addr), old_len, new_len, flags, new_addr);
	mmap_write_unlock(mm);
	return ret;
}
