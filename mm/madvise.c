// SPDX-License-Identifier: MIT
/*
 * madvise, msync and mincore: advice about a range, writing it back, and asking what is
 * present. Memory is never paged out, so most advice changes only a flag /proc shows;
 * what has a visible effect is MADV_DONTNEED (and MADV_FREE), MADV_DONTFORK,
 * MADV_WIPEONFORK and MADV_POPULATE_*. Errnos follow Linux 6.1 (with KSM and
 * transparent huge pages configured, as distributions have them).
 */
#include <asm/uaccess.h>
#include <kairos/err.h>
#include <kairos/fs.h>
#include <kairos/mm.h>
#include <kairos/mman.h>
#include <kairos/sched.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include <uapi/errno.h>

#include "internal.h"

static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_DONTNEED_LOCKED:
	case MADV_COLLAPSE:
		return true;
	default:
		return false;
	}
}

/* Drop the pages: anonymous memory reads as zeros again, a file mapping as the file. */
static int madvise_dontneed(struct vm_area_struct *vma, unsigned long start,
			    unsigned long end, int behavior)
{
	if ((vma->vm_flags & VM_LOCKED) && behavior != MADV_DONTNEED_LOCKED)
		return -EINVAL;
	/* MADV_FREE may drop the pages whenever it likes: now, for anonymous memory. */
	if (behavior == MADV_FREE && !vma_is_anonymous(vma))
		return -EINVAL;
	unmap_region(vma->vm_mm, start, end);
	return 0;
}

/* Fault the range in for reading or writing, as if touched. */
static int madvise_populate(struct vm_area_struct *vma, unsigned long start,
			    unsigned long end, int behavior)
{
	bool write = behavior == MADV_POPULATE_WRITE;

	if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
		return -EINVAL;
	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		vm_fault_t fault = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0);

		if (fault & VM_FAULT_OOM)
			return -ENOMEM;
		if (fault)
			return -EFAULT;
	}
	return 0;
}

/* Advice for [start, end) of one VMA; may split or merge it. */
static int madvise_vma(struct mm_struct *mm, struct vm_area_struct *vma,
		       unsigned long start, unsigned long end, int behavior)
{
	unsigned long newflags = vma->vm_flags;

	switch (behavior) {
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
		return madvise_dontneed(vma, start, end, behavior);
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		return madvise_populate(vma, start, end, behavior);
	case MADV_REMOVE:
		/* Punching holes in the file: tmpfs cannot yet, as ramfs cannot in Linux. */
		if (vma->vm_flags & VM_LOCKED)
			return -EINVAL;
		if (!vma->vm_file)
			return -EINVAL;
		if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) != (VM_SHARED | VM_WRITE))
			return -EACCES;
		return -EOPNOTSUPP;
	case MADV_COLD:
	case MADV_PAGEOUT:
		if (vma->vm_flags & VM_LOCKED)
			return -EINVAL;
		return 0;		/* nothing is ever paged out */
	case MADV_WILLNEED:
	case MADV_COLLAPSE:
		return 0;		/* everything is in memory already, and stays */
	case MADV_NORMAL:
		newflags &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_SEQUENTIAL:
		newflags = (newflags & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		newflags = (newflags & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTFORK:
		newflags |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		newflags &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		if (vma->vm_file || (vma->vm_flags & VM_SHARED))
			return -EINVAL;	/* anonymous private memory only */
		newflags |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		newflags &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		newflags |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		newflags &= ~VM_DONTDUMP;
		break;
	case MADV_MERGEABLE:
		newflags |= VM_MERGEABLE;
		break;
	case MADV_UNMERGEABLE:
		newflags &= ~VM_MERGEABLE;
		break;
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
		return 0;		/* no huge pages, nothing to prefer */
	}
	vma = vma_modify_flags(mm, vma, start, end, newflags);
	/* Out of memory for a split: Linux says try again. */
	return IS_ERR(vma) ? -EAGAIN : 0;
}

/*
 * Each VMA in the range gets the advice; the first error stops. Holes do not stop it,
 * but make the answer ENOMEM if nothing else went wrong.
 */
int do_madvise(struct mm_struct *mm, unsigned long start, size_t len_in, int behavior)
{
	unsigned long end, len;
	int unmapped_error = 0;

	if (!madvise_behavior_valid(behavior))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = ALIGN(len_in, PAGE_SIZE);
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;

	while (start < end) {
		struct vm_area_struct *vma = find_vma(mm, start);
		unsigned long to;
		int err;

		if (!vma || vma->vm_start >= end)
			return -ENOMEM;
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
		}
		to = min(end, vma->vm_end);
		err = madvise_vma(mm, vma, start, to, behavior);
		if (err)
			return err;
		start = to;
	}
	return unmapped_error;
}

SYSCALL_DEFINE3(madvise, unsigned long, start, size_t, len, int, behavior)
{
	struct mm_struct *mm = current->mm;
	int ret;

	mmap_write_lock(mm);
	ret = do_madvise(mm, untagged_addr(start), len, behavior);
	mmap_write_unlock(mm);
	return ret;
}

/*
 * Shared file mappings write to the file's pages directly, so MS_SYNC only asks the
 * file to sync (->fsync, EINVAL without one, as Linux's vfs_fsync_range); what else
 * msync checks is the arguments and that the range is mapped, in Linux's order (MS_ASYNC
 * gives up at the first hole, the others go on and report ENOMEM at the end).
 */
SYSCALL_DEFINE3(msync, unsigned long, start, size_t, len, int, flags)
{
	struct mm_struct *mm = current->mm;
	int unmapped_error = 0, error = 0;
	struct vm_area_struct *vma;
	unsigned long end;

	start = untagged_addr(start);
	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = ALIGN(len, PAGE_SIZE);
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;

	mmap_read_lock(mm);
	vma = find_vma(mm, start);
	for (;;) {
		if (!vma) {
			error = -ENOMEM;
			break;
		}
		if (start < vma->vm_start) {
			if (flags == MS_ASYNC) {
				error = -ENOMEM;
				break;
			}
			start = vma->vm_start;
			if (start >= end) {
				error = -ENOMEM;
				break;
			}
			unmapped_error = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED)) {
			error = -EBUSY;
			break;
		}
		start = vma->vm_end;
		if ((flags & MS_SYNC) && vma->vm_file && (vma->vm_flags & VM_SHARED)) {
			struct file *file = get_file(vma->vm_file);

			mmap_read_unlock(mm);
			error = file->f_op->fsync ? file->f_op->fsync(file, 1) : -EINVAL;
			fput(file);
			if (error || start >= end)
				return error ? error : unmapped_error;
			mmap_read_lock(mm);
			vma = find_vma(mm, start);
			continue;
		}
		if (start >= end)
			break;
		vma = vma_next(vma);
	}
	mmap_read_unlock(mm);
	return error ? error : unmapped_error;
}

/*
 * One byte per page: 1 if it is present. A hole in a file mapping is reported present
 * when the file has data there (everything a file holds is in memory); anonymous
 * memory only once it has been touched.
 */
static long do_mincore(struct mm_struct *mm, unsigned long addr, unsigned long pages,
		       unsigned char *vec)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	unsigned long end, n;

	if (!vma)
		return -ENOMEM;
	end = min(vma->vm_end, addr + (pages << PAGE_SHIFT));
	n = (end - addr) >> PAGE_SHIFT;
	for (unsigned long i = 0; i < n; i++) {
		unsigned long a = addr + (i << PAGE_SHIFT);

		vec[i] = follow_page(vma, a) != NULL;
		if (!vec[i] && vma->vm_file) {		/* not anonymous or special */
			u64 pgoff = vma->vm_pgoff + ((a - vma->vm_start) >> PAGE_SHIFT);
			loff_t size = READ_ONCE(vma->vm_file->f_inode->i_size);

			vec[i] = pgoff < (u64)(size + PAGE_SIZE - 1) >> PAGE_SHIFT;
		}
	}
	return n;
}

SYSCALL_DEFINE3(mincore, unsigned long, start, size_t, len, unsigned char __user *, vec)
{
	struct mm_struct *mm = current->mm;
	unsigned long pages;
	unsigned char *tmp;
	long ret = 0;

	start = untagged_addr(start);
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!access_ok(start, len))
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + ((len & ~PAGE_MASK) != 0);
	if (!access_ok(vec, pages))
		return -EFAULT;
	tmp = (unsigned char *)__get_free_page(GFP_KERNEL);
	if (!tmp)
		return -EAGAIN;
	/* A page of answers at a time, copied out without mmap_lock. */
	while (pages) {
		mmap_read_lock(mm);
		ret = do_mincore(mm, start, min(pages, PAGE_SIZE), tmp);
		mmap_read_unlock(mm);
		if (ret <= 0)
			break;
		if (copy_to_user(vec, tmp, ret)) {
			ret = -EFAULT;
			break;
		}
		pages -= ret;
		vec += ret;
		start += ret << PAGE_SHIFT;
		ret = 0;
	}
	free_page((unsigned long)tmp);
	return ret;
}
