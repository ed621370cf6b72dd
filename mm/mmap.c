// SPDX-License-Identifier: MIT
/*
 * Virtual memory areas. An mm's VMAs sit in a red-black tree by address and never
 * overlap; neighbours are merged when nothing tells them apart (flags, and for a file
 * mapping the file and a continuous offset). mmap places new areas top-down below
 * mmap_base, under the stack; brk grows the heap up from start_brk; stacks grow down on
 * faults, up to RLIMIT_STACK.
 *
 * Each VMA of a file is also on the file's i_data.i_mmap list, so that truncation can
 * find every mapping of the pages it removes (unmap_mapping_range). The VMA holds a
 * reference to the file, so the file may be closed once mapped.
 */
#include <asm/tlbflush.h>
#include <asm/uaccess.h>
#include <kairos/err.h>
#include <kairos/fs.h>
#include <kairos/mman.h>
#include <kairos/mm.h>
#include <kairos/resource.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/slab.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <uapi/errno.h>

#include "internal.h"

/* What MAP_SHARED accepts silently; MAP_SHARED_VALIDATE refuses anything else. */
#define LEGACY_MAP_MASK	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS |	\
			 MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED |	\
			 MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE |	\
			 MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB |			\
			 (MAP_HUGE_MASK << MAP_HUGE_SHIFT))

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

static struct address_space *vma_mapping(struct vm_area_struct *vma)
{
	return vma->vm_file ? &vma->vm_file->f_inode->i_data : NULL;
}

static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct address_space *mapping = vma_mapping(vma);

	rb_add(&vma->vm_rb, &mm->mm_rb, vma_less);
	mm->map_count++;
	if (mapping) {
		spin_lock(&mapping->i_mmap_lock);
		list_add_tail(&vma->shared, &mapping->i_mmap);
		spin_unlock(&mapping->i_mmap_lock);
	}
}

/* Frees a VMA that is in no tree or list: its file reference goes with it. */
static void vm_area_free(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	if (vma->vm_file)
		fput(vma->vm_file);
	kfree(vma);
}

static void vma_unlink_free(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct address_space *mapping = vma_mapping(vma);

	rb_erase(&vma->vm_rb, &mm->mm_rb);
	mm->map_count--;
	if (mapping) {
		spin_lock(&mapping->i_mmap_lock);
		list_del(&vma->shared);
		spin_unlock(&mapping->i_mmap_lock);
	}
	vm_area_free(vma);
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

/* A copy of vma's attributes for mm, not linked anywhere yet. */
static struct vm_area_struct *vm_area_dup(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *new = vm_area_alloc(mm);

	if (!new)
		return NULL;
	new->vm_start = vma->vm_start;
	new->vm_end = vma->vm_end;
	new->vm_flags = vma->vm_flags;
	new->vm_pgoff = vma->vm_pgoff;
	new->vm_ops = vma->vm_ops;
	new->vm_private_data = vma->vm_private_data;
	if (vma->vm_file)
		new->vm_file = get_file(vma->vm_file);
	if (new->vm_ops && new->vm_ops->open)
		new->vm_ops->open(new);
	return new;
}

int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	struct vm_area_struct *new = vm_area_dup(mm, vma);

	if (!new)
		return -ENOMEM;
	new->vm_start = addr;
	new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
	vma->vm_end = addr;
	vma_link(mm, new);
	return 0;
}

/* Whether b can continue a (which ends where b starts) as one VMA. Special mappings
 * stay apart, as in Linux. */
static bool can_merge(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_flags == b->vm_flags &&
	       !(a->vm_flags & VM_DONTEXPAND) &&
	       a->vm_file == b->vm_file && a->vm_ops == b->vm_ops &&
	       (!a->vm_file || a->vm_pgoff + vma_pages(a) == b->vm_pgoff);
}

struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma_prev(vma), *next = vma_next(vma);

	if (prev && can_merge(prev, vma)) {
		prev->vm_end = vma->vm_end;
		vma_unlink_free(mm, vma);
		vma = prev;
	}
	if (next && can_merge(vma, next)) {
		vma->vm_end = next->vm_end;
		vma_unlink_free(mm, next);
	}
	return vma;
}

struct vm_area_struct *vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					unsigned long newflags)
{
	if (newflags == vma->vm_flags)
		return vma;
	if (start > vma->vm_start) {
		if (split_vma(mm, vma, start))
			return ERR_PTR(-ENOMEM);
		vma = vma_next(vma);
	}
	if (end < vma->vm_end && split_vma(mm, vma, end))
		return ERR_PTR(-ENOMEM);
	vma->vm_flags = newflags;
	return vma_merge(mm, vma);
}

struct vm_area_struct *copy_vma(struct vm_area_struct *vma, unsigned long start,
				unsigned long len, unsigned long pgoff)
{
	struct vm_area_struct *new = vm_area_dup(vma->vm_mm, vma);

	if (!new)
		return NULL;
	new->vm_start = start;
	new->vm_end = start + len;
	new->vm_pgoff = pgoff;
	vma_link(vma->vm_mm, new);
	return vma_merge(vma->vm_mm, new);
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

/* A file mapping's checks, in Linux's order, and the sharing flags it gets. */
static int file_mmap_flags(struct file *file, unsigned long flags, unsigned long prot,
			   unsigned long pgoff, unsigned long len, unsigned long *vm_flags)
{
	/* The last byte mapped must have a file offset (MAX_LFS_FILESIZE at most). */
	if (len > (unsigned long)MAX_LFS_FILESIZE ||
	    pgoff > ((unsigned long)MAX_LFS_FILESIZE - len) >> PAGE_SHIFT)
		return -EOVERFLOW;
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		flags &= LEGACY_MAP_MASK;
		fallthrough;
	case MAP_SHARED_VALIDATE:
		if (flags & ~LEGACY_MAP_MASK)
			return -EOPNOTSUPP;
		if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
			return -EACCES;
		/* Read-only shared: it can never be written, so it is private in effect. */
		*vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (!(file->f_mode & FMODE_WRITE))
			*vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		fallthrough;
	case MAP_PRIVATE:
		if (!(file->f_mode & FMODE_READ))
			return -EACCES;
		if (!file->f_op->mmap)
			return -ENODEV;
		if (*vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

int vm_enough_memory(unsigned long pages)
{
	return pages > totalram_pages() ? -ENOMEM : 0;
}

/* What Linux counts in data_vm: private writable memory that is not a stack. */
static bool is_data_mapping(unsigned long flags)
{
	return (flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE;
}

/*
 * Linux keeps these sums for the whole mm as total_vm, data_vm and locked_vm; Kairos
 * walks the VMAs when a limit asks, which only a finite limit does.
 */
void count_vm_pages(struct mm_struct *mm, unsigned long start, unsigned long end,
		    struct vm_pages *n)
{
	struct vm_area_struct *vma;

	n->total = n->data = n->locked = 0;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		unsigned long pages = (min(end, vma->vm_end) - max(start, vma->vm_start)) >>
				      PAGE_SHIFT;

		n->total += pages;
		if (is_data_mapping(vma->vm_flags))
			n->data += pages;
		if (vma->vm_flags & VM_LOCKED)
			n->locked += pages;
	}
}

bool may_expand_vm(struct mm_struct *mm, unsigned long flags, unsigned long npages)
{
	unsigned long as = rlimit(RLIMIT_AS), data = rlimit(RLIMIT_DATA);
	struct vm_pages n;

	if (as == RLIM_INFINITY && (data == RLIM_INFINITY || !is_data_mapping(flags)))
		return true;
	count_vm_pages(mm, 0, ~0UL, &n);
	if (n.total + npages > as >> PAGE_SHIFT)
		return false;
	/* A soft RLIMIT_DATA of 0 means the hard one (Linux keeps this for Valgrind). */
	if (is_data_mapping(flags) && n.data + npages > data >> PAGE_SHIFT)
		return !data && n.data + npages <= rlimit_max(RLIMIT_DATA) >> PAGE_SHIFT;
	return true;
}

bool can_do_mlock(void)
{
	return rlimit(RLIMIT_MEMLOCK) || capable(CAP_IPC_LOCK);
}

int mlock_future_check(struct mm_struct *mm, unsigned long flags, unsigned long len)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK);
	struct vm_pages n;

	if (!(flags & VM_LOCKED) || limit == RLIM_INFINITY || capable(CAP_IPC_LOCK))
		return 0;
	count_vm_pages(mm, 0, ~0UL, &n);
	return n.locked + (len >> PAGE_SHIFT) > limit >> PAGE_SHIFT ? -EAGAIN : 0;
}

/* A new VMA over [addr, addr + len), replacing what was there (MAP_FIXED). */
static unsigned long mmap_region(struct mm_struct *mm, struct file *file, unsigned long addr,
				 unsigned long len, unsigned long vm_flags, unsigned long pgoff)
{
	struct vm_area_struct *vma;
	struct vm_pages old;
	int err;

	/* What MAP_FIXED replaces does not count twice. */
	if (!may_expand_vm(mm, vm_flags, len >> PAGE_SHIFT)) {
		count_vm_pages(mm, addr, addr + len, &old);
		if (!may_expand_vm(mm, vm_flags, (len >> PAGE_SHIFT) - old.total))
			return -ENOMEM;
	}
	if (accountable_mapping(vm_flags) && vm_enough_memory(len >> PAGE_SHIFT))
		return -ENOMEM;
	err = do_munmap(mm, addr, len);
	if (err)
		return err;
	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags;
	vma->vm_pgoff = pgoff;
	if (file) {
		vma->vm_file = get_file(file);
		err = file->f_op->mmap(file, vma);
	} else if (vm_flags & VM_SHARED) {
		err = shmem_zero_setup(vma);
	}
	if (err) {
		vm_area_free(vma);
		return err;
	}
	vma_link(mm, vma);
	vma_merge(mm, vma);
	return addr;
}

unsigned long do_mmap(struct mm_struct *mm, struct file *file, unsigned long addr,
		      unsigned long len, unsigned long prot, unsigned long flags,
		      unsigned long pgoff, bool *populate)
{
	unsigned long vm_flags;
	int err;

	*populate = false;
	if (!len)
		return -EINVAL;
	len = ALIGN(len, PAGE_SIZE);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > sysctl_max_map_count)
		return -ENOMEM;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	addr = get_unmapped_area(mm, addr, len, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;
	if ((flags & MAP_LOCKED) && !can_do_mlock())
		return -EPERM;

	vm_flags = calc_vm_prot_bits(prot) | calc_vm_flag_bits(flags) | mm->def_flags |
		   VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if (flags & MAP_NORESERVE)
		vm_flags |= VM_NORESERVE;	/* honoured: overcommit is allowed */
	if (mlock_future_check(mm, vm_flags, len))
		return -EAGAIN;
	if (file) {
		err = file_mmap_flags(file, flags, prot, pgoff, len, &vm_flags);
		if (err)
			return err;
	} else {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			pgoff = 0;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			break;
		case MAP_PRIVATE:
			pgoff = 0;	/* anonymous memory has no offset to keep */
			break;
		default:
			return -EINVAL;
		}
	}
	addr = mmap_region(mm, file, addr, len, vm_flags, pgoff);
	if (!IS_ERR_VALUE(addr))
		*populate = (vm_flags & VM_LOCKED) ||
			    (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE;
	return addr;
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

int do_brk_flags(struct mm_struct *mm, unsigned long addr, unsigned long len,
		 unsigned long flags)
{
	struct vm_area_struct *vma;

	len = ALIGN(len, PAGE_SIZE);
	if (!len)
		return 0;
	if (addr < mmap_min_addr || addr > mm->task_size || len > mm->task_size - addr)
		return -ENOMEM;
	flags |= VM_DATA_DEFAULT_FLAGS | mm->def_flags;
	if (find_vma_intersection(mm, addr, addr + len) || vm_enough_memory(len >> PAGE_SHIFT) ||
	    !may_expand_vm(mm, flags, len >> PAGE_SHIFT))
		return -ENOMEM;
	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = flags;
	vma_link(mm, vma);
	vma_merge(mm, vma);
	return 0;
}

unsigned long stack_rlimit(void)
{
	return current->signal ? READ_ONCE(current->signal->rlim[RLIMIT_STACK].rlim_cur) :
				 _STK_LIM;
}

int expand_stack(struct vm_area_struct *vma, unsigned long addr)
{
	struct vm_area_struct *prev = vma_prev(vma);

	addr &= PAGE_MASK;
	if (!(vma->vm_flags & VM_GROWSDOWN) || addr >= vma->vm_start)
		return -EFAULT;
	if (addr < mmap_min_addr || vma->vm_end - addr > stack_rlimit() ||
	    !may_expand_vm(vma->vm_mm, vma->vm_flags, (vma->vm_start - addr) >> PAGE_SHIFT) ||
	    mlock_future_check(vma->vm_mm, vma->vm_flags, vma->vm_start - addr))
		return -ENOMEM;
	/* Callers found vma with find_vma(addr), so prev ends at or below addr. */
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && (prev->vm_flags & VM_ACCESS_FLAGS) &&
	    addr - prev->vm_end < stack_guard_gap)
		return -ENOMEM;
	vma->vm_start = addr;	/* still below vma's successor: the tree order holds */
	return 0;
}

int setup_stack_vma(struct mm_struct *mm, unsigned long size, unsigned long vm_flags)
{
	int err;

	size = ALIGN(size, PAGE_SIZE);
	if (!size || size > _STK_LIM)
		return -EINVAL;
	mmap_write_lock(mm);
	err = find_vma_intersection(mm, STACK_TOP - size, STACK_TOP) ? -EEXIST :
	      do_brk_flags(mm, STACK_TOP - size, size, VM_GROWSDOWN | vm_flags);
	if (!err)
		mm->start_stack = STACK_TOP;
	mmap_write_unlock(mm);
	return err;
}

/* What the VMAs of one special mapping share: its pages, until the last VMA goes. */
struct special_mapping {
	atomic_t refs;
	unsigned long npages;
	struct page *pages[];
};

static void special_mapping_open(struct vm_area_struct *vma)
{
	struct special_mapping *sm = vma->vm_private_data;

	atomic_inc(&sm->refs);
}

static void special_mapping_close(struct vm_area_struct *vma)
{
	struct special_mapping *sm = vma->vm_private_data;

	if (atomic_dec_and_test(&sm->refs))
		kfree(sm);
}

static vm_fault_t special_mapping_fault(struct vm_fault *vmf)
{
	struct special_mapping *sm = vmf->vma->vm_private_data;

	if (vmf->pgoff >= sm->npages)
		return VM_FAULT_SIGBUS;
	vmf->page = sm->pages[vmf->pgoff];
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct special_mapping_vmops = {
	.open = special_mapping_open,
	.close = special_mapping_close,
	.fault = special_mapping_fault,
};

int install_special_mapping(struct mm_struct *mm, unsigned long addr, unsigned long len,
			    unsigned long vm_flags, struct page **pages)
{
	unsigned long npages = len >> PAGE_SHIFT;
	struct special_mapping *sm;
	struct vm_area_struct *vma;

	if (find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;
	sm = kmalloc(sizeof(*sm) + npages * sizeof(*pages), GFP_KERNEL);
	vma = vm_area_alloc(mm);
	if (!sm || !vma) {
		kfree(sm);
		kfree(vma);
		return -ENOMEM;
	}
	atomic_set(&sm->refs, 1);
	sm->npages = npages;
	memcpy(sm->pages, pages, npages * sizeof(*pages));
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags | VM_DONTEXPAND;
	vma->vm_ops = &special_mapping_vmops;
	vma->vm_private_data = sm;
	vma_link(mm, vma);
	return 0;
}

/*
 * fork: the child's mm gets every VMA but MADV_DONTFORK ones, without mlock (which is
 * not inherited), and the parent's pages as copy_page_range decides. The child's lock
 * is taken too: truncation may find it through a file's i_mmap already.
 */
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *vma;
	int err = 0;

	mmap_write_lock(oldmm);
	mmap_write_lock(mm);
	mm->task_size = oldmm->task_size;
	mm->mmap_base = oldmm->mmap_base;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	memcpy(mm->saved_auxv, oldmm->saved_auxv, sizeof(mm->saved_auxv));
	mm->context.vdso = oldmm->context.vdso;
	for (vma = rb_vma(rb_first(&oldmm->mm_rb)); vma; vma = vma_next(vma)) {
		struct vm_area_struct *new;

		if (vma->vm_flags & VM_DONTCOPY)
			continue;
		new = vm_area_dup(mm, vma);
		if (!new) {
			err = -ENOMEM;
			break;
		}
		new->vm_flags &= ~(VM_LOCKED | VM_LOCKONFAULT);
		vma_link(mm, new);
		err = copy_page_range(mm, vma);
		if (err)
			break;
	}
	/* Pages now shared were writable in oldmm until this flush. */
	flush_tlb_mm(oldmm);
	mmap_write_unlock(mm);
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

/* Zap the pages of mapping from first_pgoff on (to the end) in each of mm's VMAs of it. */
static void unmap_mapping_mm(struct mm_struct *mm, struct address_space *mapping,
			     unsigned long first_pgoff, unsigned int seq)
{
	struct vm_area_struct *vma;

	for (vma = rb_vma(rb_first(&mm->mm_rb)); vma; vma = vma_next(vma)) {
		unsigned long start;

		if (vma_mapping(vma) != mapping)
			continue;
		vma->vm_unmap_seq = seq;
		if (vma->vm_pgoff + vma_pages(vma) <= first_pgoff)
			continue;
		start = vma->vm_start;
		if (vma->vm_pgoff < first_pgoff)
			start += (first_pgoff - vma->vm_pgoff) << PAGE_SHIFT;
		unmap_region(mm, start, vma->vm_end);
	}
}

/*
 * Each mm that maps the file is handled under its own mmap_lock, which cannot be taken
 * under i_mmap_lock: so the list is searched again for a VMA this pass has not seen
 * (vm_unmap_seq), until there is none. A VMA that appears meanwhile faults after the new
 * size is set, and finds nothing to map there.
 */
void unmap_mapping_range(struct address_space *mapping, loff_t holebegin)
{
	unsigned long first_pgoff = (unsigned long)(holebegin >> PAGE_SHIFT);
	unsigned int seq;

	spin_lock(&mapping->i_mmap_lock);
	seq = ++mapping->unmap_seq;
	spin_unlock(&mapping->i_mmap_lock);
	for (;;) {
		struct mm_struct *mm = NULL;
		struct vm_area_struct *vma;

		spin_lock(&mapping->i_mmap_lock);
		list_for_each_entry(vma, &mapping->i_mmap, shared) {
			if (vma->vm_unmap_seq == seq)
				continue;
			if (mmget_not_zero(vma->vm_mm)) {
				mm = vma->vm_mm;
				break;
			}
			/* Being torn down: exit_mmap unmaps everything anyway. */
			vma->vm_unmap_seq = seq;
		}
		spin_unlock(&mapping->i_mmap_lock);
		if (!mm)
			return;
		mmap_write_lock(mm);
		unmap_mapping_mm(mm, mapping, first_pgoff, seq);
		mmap_write_unlock(mm);
		mmput(mm);
	}
}

/* do_mmap on current->mm, then the pages if MAP_POPULATE or mlock asks for them. */
static unsigned long vm_mmap_pgoff(struct file *file, unsigned long addr, unsigned long len,
				   unsigned long prot, unsigned long flags, unsigned long pgoff)
{
	struct mm_struct *mm = current->mm;
	unsigned long ret;
	bool populate;

	mmap_write_lock(mm);
	ret = do_mmap(mm, file, addr, len, prot, flags, pgoff, &populate);
	if (populate)
		populate_range(mm, ret, ret + ALIGN(len, PAGE_SIZE));	/* errors ignored */
	mmap_write_unlock(mm);
	return ret;
}

unsigned long vm_mmap(struct file *file, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, unsigned long offset)
{
	if (offset + ALIGN(len, PAGE_SIZE) < offset || (offset & ~PAGE_MASK))
		return -EINVAL;
	return vm_mmap_pgoff(file, addr, len, prot, flags, offset >> PAGE_SHIFT);
}

unsigned long ksys_mmap_pgoff(unsigned long addr, unsigned long len, unsigned long prot,
			      unsigned long flags, unsigned long fd, unsigned long pgoff)
{
	struct file *file = NULL;
	unsigned long ret;

	if (!(flags & MAP_ANONYMOUS)) {
		file = current->files ? fget(current->files, fd) : NULL;
		if (!file)
			return -EBADF;
		if (flags & MAP_HUGETLB) {
			fput(file);
			return -EINVAL;		/* not a hugetlbfs file */
		}
	} else if (flags & MAP_HUGETLB) {
		return -ENOMEM;			/* no huge pages are ever reserved */
	}
	ret = vm_mmap_pgoff(file, addr, len, prot, flags, pgoff);
	if (file)
		fput(file);
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
	if (mlock_future_check(mm, mm->def_flags, newbrk - oldbrk))
		goto out;
	if (do_brk_flags(mm, oldbrk, newbrk - oldbrk, 0))
		goto out;
	/* After mlockall(MCL_FUTURE) the heap comes in locked, so populated. */
	if (mm->def_flags & VM_LOCKED)
		populate_range(mm, oldbrk, newbrk);
set:
	mm->brk = ret = brk;
out:
	mmap_write_unlock(mm);
	return ret;
}

/* arm64 passes the offset in bytes; it must be page-aligned. */
SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len, unsigned long, prot,
		unsigned long, flags, unsigned long, fd, unsigned long, off)
{
	if (off & ~PAGE_MASK)
		return -EINVAL;
	return ksys_mmap_pgoff(addr, len, prot, flags, fd, off >> PAGE_SHIFT);
}

SYSCALL_DEFINE2(munmap, unsigned long, addr, size_t, len)
{
	return ksys_munmap(addr, len);
}

SYSCALL_DEFINE1(brk, unsigned long, brk)
{
	return ksys_brk(brk);
}
