// SPDX-License-Identifier: MIT
/*
 * ramfs regular files. Data lives in whole pages, found through a radix tree keyed by
 * page index: pages are allocated when first written, so a file with holes costs only
 * what was written, and a hole reads as zeros. The inode's i_mutex covers i_size and
 * the data; the tree's shape and the page counts also change under i_data.i_pages_lock,
 * since page faults on a mapping of the file add pages without i_mutex (ramfs_fault).
 */
#include <asm/cacheflush.h>
#include <kairos/mm.h>
#include <kairos/mman.h>
#include <kairos/string.h>
#include "internal.h"

#define RAMFS_SHIFT	(PAGE_SHIFT - 3)	/* pointers per node page: 512 */
#define RAMFS_SLOTS	(1UL << RAMFS_SHIFT)
/* Enough levels for every page index below MAX_LFS_FILESIZE. */
#define RAMFS_MAX_HEIGHT DIV_ROUND_UP(63 - PAGE_SHIFT, RAMFS_SHIFT)

/* Pages a tree of this height reaches; at height 0 the root is page 0 itself. */
static unsigned long capacity(unsigned int height)
{
	return height >= RAMFS_MAX_HEIGHT ? ~0UL : 1UL << (height * RAMFS_SHIFT);
}

/* Where page index hangs: grows the tree if create, else NULL past it or in a hole. */
static void **ramfs_slot(struct ramfs_inode *ri, unsigned long index, bool create)
{
	void **slot;

	while (index >= capacity(ri->height)) {
		if (!create)
			return NULL;
		if (ri->root) {
			void **node = (void **)get_zeroed_page(GFP_KERNEL);

			if (!node)
				return NULL;
			node[0] = ri->root;
			ri->root = node;
		}
		ri->height++;
	}
	slot = &ri->root;
	for (unsigned int level = ri->height; level > 0; level--) {
		void **node = *slot;

		if (!node) {
			if (!create)
				return NULL;
			node = (void **)get_zeroed_page(GFP_KERNEL);
			if (!node)
				return NULL;
			*slot = node;
		}
		slot = &node[(index >> ((level - 1) * RAMFS_SHIFT)) & (RAMFS_SLOTS - 1)];
	}
	return slot;
}


/*
 * Frees the data pages from index from on, below the slot at level whose first page is
 * base, and the node pages left empty.
 */
static void free_from(struct ramfs_inode *ri, void **slot, unsigned int level,
		      unsigned long base, unsigned long from)
{
	void **node = *slot;
	unsigned long span;
	bool empty = true;

	if (!node)
		return;
	if (!level) {
		if (base >= from) {
			free_page((unsigned long)node);
			*slot = NULL;
			ri->nrpages--;
		}
		return;
	}
	span = 1UL << ((level - 1) * RAMFS_SHIFT);
	for (unsigned long i = 0; i < RAMFS_SLOTS; i++) {
		if (base + (i + 1) * span > from)
			free_from(ri, &node[i], level - 1, base + i * span, from);
		if (node[i])
			empty = false;
	}
	if (empty) {
		free_page((unsigned long)node);
		*slot = NULL;
	}
}

/* The data pages went from before to nrpages: i_blocks and the instance's count follow. */
static void ramfs_pages_changed(struct inode *inode, unsigned long before)
{
	struct ramfs_inode *ri = RAMFS_I(inode);

	inode->i_blocks = ri->nrpages * (PAGE_SIZE / 512);
	atomic64_add((long)(ri->nrpages - before), &RAMFS_SB(inode->i_sb)->pages);
}

static void ramfs_free_pages_from(struct inode *inode, unsigned long from)
{
	struct ramfs_inode *ri = RAMFS_I(inode);
	unsigned long before = ri->nrpages;

	free_from(ri, &ri->root, ri->height, 0, from);
	if (!ri->root)
		ri->height = 0;
	ramfs_pages_changed(inode, before);
}

/* The data page at index, made (zeroed) first if create. i_pages_lock held. */
static void *__ramfs_find_page(struct ramfs_inode *ri, unsigned long index, bool create)
{
	void **slot = ramfs_slot(ri, index, create);

	if (slot && !*slot && create) {
		*slot = (void *)get_zeroed_page(GFP_KERNEL);
		if (*slot)
			ramfs_pages_changed(&ri->vfs_inode, ri->nrpages++);
	}
	return slot ? *slot : NULL;
}

static void *ramfs_find_page(struct ramfs_inode *ri, unsigned long index, bool create)
{
	spinlock_t *lock = &ri->vfs_inode.i_data.i_pages_lock;
	void *page;

	spin_lock(lock);
	page = __ramfs_find_page(ri, index, create);
	spin_unlock(lock);
	return page;
}

static void *ramfs_get_page(struct ramfs_inode *ri, unsigned long index)
{
	return ramfs_find_page(ri, index, false);
}

void ramfs_free_data(struct inode *inode)
{
	ramfs_free_pages_from(inode, 0);
}

/* Shrinking zeroes the cut part of the last page: growing again must read zeros. */
static void ramfs_truncate(struct inode *inode, loff_t size)
{
	if (size < inode->i_size) {
		unsigned long offset = size & ~PAGE_MASK;
		char *page = ramfs_get_page(RAMFS_I(inode), size >> PAGE_SHIFT);

		if (offset && page) {
			memset(page + offset, 0, PAGE_SIZE - offset);
			flush_dcache_page(virt_to_page(page));
		}
		/* A fault checks i_size under the lock: it cannot map a page freed here. */
		spin_lock(&inode->i_data.i_pages_lock);
		inode->i_size = size;
		ramfs_free_pages_from(inode, DIV_ROUND_UP(size, PAGE_SIZE));
		spin_unlock(&inode->i_data.i_pages_lock);
		/* Mapped pages past the end go too: touching them raises SIGBUS. */
		unmap_mapping_range(&inode->i_data, ALIGN(size, PAGE_SIZE));
	}
	inode->i_size = size;
}

static int ramfs_setattr(struct dentry *dentry, struct iattr *attr)
{
	if (attr->ia_valid & ATTR_SIZE)
		ramfs_truncate(dentry->d_inode, attr->ia_size);
	setattr_copy(dentry->d_inode, attr);
	return 0;
}

/* A fault in the destination ends the read: what was copied, or EFAULT. */
static ssize_t ramfs_read_iter(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct inode *inode = file->f_inode;
	size_t count = iov_iter_count(to), done = 0;

	inode_lock(inode);
	if (*pos < inode->i_size)
		count = min(count, (size_t)(inode->i_size - *pos));
	else
		count = 0;
	while (done < count) {
		loff_t at = *pos + done;
		size_t offset = at & ~PAGE_MASK, n = min(PAGE_SIZE - offset, count - done), copied;
		char *page = ramfs_get_page(RAMFS_I(inode), at >> PAGE_SHIFT);

		if (page)
			copied = copy_to_iter(page + offset, n, to);
		else
			copied = iov_iter_zero(n, to);
		done += copied;
		if (copied < n)
			break;
	}
	*pos += done;
	inode_unlock(inode);
	return done || !count ? (ssize_t)done : -EFAULT;
}

/*
 * O_APPEND writes at the end whatever the position; nothing goes past RLIMIT_FSIZE or
 * s_maxbytes (generic_write_checks). A
 * fault in the source ends the write: what was copied, or EFAULT.
 */
static ssize_t ramfs_write_iter(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct inode *inode = file->f_inode;
	struct ramfs_inode *ri = RAMFS_I(inode);
	size_t count = iov_iter_count(from);
	ssize_t done = 0;

	if (!count)
		return 0;
	inode_lock(inode);
	if (file->f_flags & O_APPEND)
		*pos = inode->i_size;
	done = generic_write_checks(file, *pos, &count);
	if (done)
		goto out;
	while ((size_t)done < count) {
		loff_t at = *pos + done;
		size_t offset = at & ~PAGE_MASK, n = min(PAGE_SIZE - offset, count - done), copied;
		char *page = ramfs_find_page(ri, at >> PAGE_SHIFT, true);

		if (!page) {
			if (!done)
				done = -ENOMEM;
			break;
		}
		copied = copy_from_iter(page + offset, n, from);
		flush_dcache_page(virt_to_page(page));
		done += copied;
		if (copied < n) {
			if (!done)
				done = -EFAULT;
			break;
		}
	}
	if (done > 0) {
		*pos += done;
		if (*pos > inode->i_size)
			inode->i_size = *pos;
		inode->i_mtime = inode->i_ctime = current_time(inode);
	}
out:
	inode_unlock(inode);
	return done;
}

/*
 * A mapping's page: the file's own, made if it is a hole, with a reference for the
 * PTE. Past the end of the file there is none (SIGBUS). Runs under mmap_lock, so not
 * under i_mutex.
 */
static vm_fault_t ramfs_fault(struct vm_fault *vmf)
{
	struct inode *inode = vmf->vma->vm_file->f_inode;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	void *page;

	spin_lock(&inode->i_data.i_pages_lock);
	if (vmf->pgoff < (u64)(inode->i_size + PAGE_SIZE - 1) >> PAGE_SHIFT) {
		page = __ramfs_find_page(RAMFS_I(inode), vmf->pgoff, true);
		ret = VM_FAULT_OOM;
		if (page) {
			vmf->page = virt_to_page(page);
			get_page(vmf->page);
			ret = 0;
		}
	}
	spin_unlock(&inode->i_data.i_pages_lock);
	return ret;
}

static const struct vm_operations_struct ramfs_vm_ops = {
	.fault = ramfs_fault,
};

static int ramfs_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &ramfs_vm_ops;
	return 0;
}

const struct file_operations ramfs_file_operations = {
	.llseek = generic_file_llseek,
	.read_iter = ramfs_read_iter,
	.write_iter = ramfs_write_iter,
	.fsync = noop_fsync,
	.mmap = ramfs_mmap,
};

const struct inode_operations ramfs_file_inode_operations = {
	.setattr = ramfs_setattr,
};
