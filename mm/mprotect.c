// SPDX-License-Identifier: MIT
/* mprotect: new access permissions for a range, within what each VMA may be granted. */
#include <asm/uaccess.h>
#include <kairos/err.h>
#include <kairos/mman.h>
#include <kairos/sched.h>
#include <kairos/syscalls.h>
#include <uapi/errno.h>

#include "internal.h"

/* Give [start, end) of vma the flags newflags and rewrite its PTEs to match. */
static int mprotect_fixup(struct mm_struct *mm, struct vm_area_struct *vma,
			  unsigned long start, unsigned long end, unsigned long newflags)
{
	unsigned long old_flags = vma->vm_flags;

	if (newflags == old_flags)
		return 0;
	/* Turning into data counts against RLIMIT_DATA. */
	if ((newflags & VM_WRITE) && !may_expand_vm(mm, newflags, (end - start) >> PAGE_SHIFT) &&
	    may_expand_vm(mm, old_flags, (end - start) >> PAGE_SHIFT))
		return -ENOMEM;
	/* Becoming writable private memory is a new charge. */
	if (accountable_mapping(newflags) && !accountable_mapping(old_flags) &&
	    vm_enough_memory((end - start) >> PAGE_SHIFT))
		return -ENOMEM;
	vma = vma_modify_flags(mm, vma, start, end, newflags);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	change_protection(vma, start, end, old_flags);
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
		/* The VMA there may have merged with the one just changed. */
		vma = find_vma(mm, start);
		if (!vma || vma->vm_start > start)
			return -ENOMEM;		/* a hole: what came before stays changed */
	}
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

SYSCALL_DEFINE3(mprotect, unsigned long, start, size_t, len, unsigned long, prot)
{
	return ksys_mprotect(start, len, prot);
}
