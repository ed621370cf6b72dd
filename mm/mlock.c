// SPDX-License-Identifier: MIT
/*
 * mlock and friends. Nothing is ever paged out, so locking means what it promises
 * otherwise: the pages are made present now (populated), VM_LOCKED marks the VMAs (as
 * /proc shows it, and MADV_DONTNEED refuses them), and mlockall(MCL_FUTURE) makes new
 * mappings come in locked. RLIMIT_MEMLOCK bounds what an unprivileged process locks,
 * as Linux counts it (locked VMAs' pages, mm/mmap.c's mlock_future_check).
 */
#include <asm/uaccess.h>
#include <kairos/err.h>
#include <kairos/mman.h>
#include <kairos/resource.h>
#include <kairos/sched.h>
#include <kairos/syscalls.h>
#include <uapi/errno.h>

#include "internal.h"

/* Writable private memory is faulted for writing, to break copy-on-write now. */
static int populate_vma_range(struct vm_area_struct *vma, unsigned long start,
			      unsigned long end)
{
	unsigned int flags = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE ?
			     FAULT_FLAG_WRITE : 0;

	if (vma->vm_flags & VM_LOCKONFAULT)
		return 0;
	if (!(vma->vm_flags & VM_ACCESS_FLAGS))
		return -EFAULT;
	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		vm_fault_t fault = handle_mm_fault(vma, addr, flags);

		if (fault & VM_FAULT_OOM)
			return -ENOMEM;
		if (fault)
			return -EFAULT;
	}
	return 0;
}

int populate_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	while (start < end) {
		struct vm_area_struct *vma = find_vma(mm, start);
		unsigned long to;
		int err;

		if (!vma || vma->vm_start >= end)
			return -ENOMEM;
		start = max(start, vma->vm_start);
		to = min(end, vma->vm_end);
		err = populate_vma_range(vma, start, to);
		if (err)
			return err;
		start = to;
	}
	return 0;
}

/* Set (or clear) the lock flags over [start, start + len): 0, or -ENOMEM at a hole. */
static int apply_vma_lock_flags(struct mm_struct *mm, unsigned long start, size_t len,
				unsigned long flags)
{
	unsigned long end = start + len;
	struct vm_area_struct *vma;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start > start)
		return -ENOMEM;
	for (;;) {
		unsigned long newflags = (vma->vm_flags & ~(VM_LOCKED | VM_LOCKONFAULT)) | flags;
		unsigned long to = min(end, vma->vm_end);

		vma = vma_modify_flags(mm, vma, start, to, newflags);
		if (IS_ERR(vma))
			return PTR_ERR(vma);
		start = to;
		if (start >= end)
			return 0;
		vma = find_vma(mm, start);	/* maybe merged with the last one */
		if (!vma || vma->vm_start > start)
			return -ENOMEM;
	}
}

/* mlock's errnos for what populating found: a hole or PROT_NONE is ENOMEM, no memory
 * EAGAIN, as POSIX words it. */
static int mlock_posix_error(int err)
{
	if (err == -EFAULT)
		return -ENOMEM;
	if (err == -ENOMEM)
		return -EAGAIN;
	return err;
}

static int do_mlock(unsigned long start, size_t len, unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_pages all, here;
	int err;

	if (!can_do_mlock())
		return -EPERM;
	start = untagged_addr(start);
	len = ALIGN(len + (start & ~PAGE_MASK), PAGE_SIZE);
	start &= PAGE_MASK;
	mmap_write_lock(mm);
	/* Pages of the range locked already are not counted again. */
	err = 0;
	if (mlock_future_check(mm, VM_LOCKED, len)) {
		count_vm_pages(mm, 0, ~0UL, &all);
		count_vm_pages(mm, start, start + len, &here);
		if (all.locked - here.locked + (len >> PAGE_SHIFT) > rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT)
			err = -ENOMEM;
	}
	if (!err)
		err = apply_vma_lock_flags(mm, start, len, flags);
	if (!err)
		err = mlock_posix_error(populate_range(mm, start, start + len));
	mmap_write_unlock(mm);
	return err;
}

SYSCALL_DEFINE2(mlock, unsigned long, start, size_t, len)
{
	return do_mlock(start, len, VM_LOCKED);
}

SYSCALL_DEFINE3(mlock2, unsigned long, start, size_t, len, int, flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(start, len, VM_LOCKED | (flags & MLOCK_ONFAULT ? VM_LOCKONFAULT : 0));
}

SYSCALL_DEFINE2(munlock, unsigned long, start, size_t, len)
{
	struct mm_struct *mm = current->mm;
	int err;

	start = untagged_addr(start);
	len = ALIGN(len + (start & ~PAGE_MASK), PAGE_SIZE);
	start &= PAGE_MASK;
	mmap_write_lock(mm);
	err = apply_vma_lock_flags(mm, start, len, 0);
	mmap_write_unlock(mm);
	return err;
}

/* Every VMA gets flags (the lock bits only), and MCL_FUTURE's for what comes later. */
static void apply_mlockall_flags(struct mm_struct *mm, int flags)
{
	unsigned long to_add = 0;
	struct vm_area_struct *vma;

	mm->def_flags &= ~(VM_LOCKED | VM_LOCKONFAULT);
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return;
	}
	if (flags & MCL_CURRENT) {
		to_add = VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}
	for (vma = find_vma(mm, 0); vma; vma = vma_next(vma)) {
		unsigned long newflags = (vma->vm_flags & ~(VM_LOCKED | VM_LOCKONFAULT)) | to_add;

		/* Errors are ignored, as in Linux: the flags are a best effort. */
		vma = vma_modify_flags(mm, vma, vma->vm_start, vma->vm_end, newflags);
		if (IS_ERR(vma))
			return;
	}
}

SYSCALL_DEFINE1(mlockall, int, flags)
{
	struct mm_struct *mm = current->mm;

	struct vm_pages n;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	mmap_write_lock(mm);
	/* Locking everything there is must fit RLIMIT_MEMLOCK. */
	count_vm_pages(mm, 0, ~0UL, &n);
	if ((flags & MCL_CURRENT) && !capable(CAP_IPC_LOCK) &&
	    n.total > rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT) {
		mmap_write_unlock(mm);
		return -ENOMEM;
	}
	apply_mlockall_flags(mm, flags);
	/* Linux populates everything and ignores what cannot be: PROT_NONE, holes. */
	if (flags & MCL_CURRENT) {
		struct vm_area_struct *vma;

		for (vma = find_vma(mm, 0); vma; vma = vma_next(vma))
			populate_vma_range(vma, vma->vm_start, vma->vm_end);
	}
	mmap_write_unlock(mm);
	return 0;
}

SYSCALL_DEFINE0(munlockall)
{
	struct mm_struct *mm = current->mm;

	mmap_write_lock(mm);
	apply_mlockall_flags(mm, 0);
	mmap_write_unlock(mm);
	return 0;
}
