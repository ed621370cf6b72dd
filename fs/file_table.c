// SPDX-License-Identifier: MIT
/* Open files: allocation and the reference count whose end closes them. */
#include <kairos/slab.h>
#include "internal.h"

atomic_t nr_files;

/* What the operations allow, once they are final (->open may replace them). */
void file_set_op_modes(struct file *file)
{
	const struct file_operations *fop = file->f_op;

	file->f_mode &= ~(FMODE_LSEEK | FMODE_CAN_READ | FMODE_CAN_WRITE);
	if (fop->llseek)
		file->f_mode |= FMODE_LSEEK;
	if (fop->read_iter)
		file->f_mode |= FMODE_CAN_READ;
	if (fop->write_iter)
		file->f_mode |= FMODE_CAN_WRITE;
}

/*
 * A file open on path through fop, holding the path. The access mode comes from the
 * O_ACCMODE bits: 0 reads, 1 writes, 2 does both (and 3 neither). O_NOCTTY stays for
 * ->open to see; dentry_open() drops it after.
 */
struct file *alloc_file(const struct path *path, int flags, const struct file_operations *fop)
{
	struct file *file = kzalloc(sizeof(*file), GFP_KERNEL);
	struct inode *inode = path->dentry->d_inode;

	if (!file)
		return ERR_PTR(-ENOMEM);
	atomic_set(&file->f_count, 1);
	spin_lock_init(&file->f_lock);
	mutex_init(&file->f_pos_lock);
	file->f_flags = flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
	file->f_mode = ((flags + 1) & O_ACCMODE) | FMODE_OPENED;
	if (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode))
		file->f_mode |= FMODE_ATOMIC_POS;
	file->f_op = fop;
	file_set_op_modes(file);
	file->f_path = *path;
	path_get(path);
	file->f_inode = inode;
	atomic_inc(&nr_files);
	return file;
}

/*
 * The last reference closes the file. Dropping the path may free an unlinked file's
 * inode and data: until here they stayed readable.
 */
void fput(struct file *file)
{
	if (!atomic_dec_and_test(&file->f_count))
		return;
	if ((file->f_mode & FMODE_OPENED) && file->f_op->release)
		file->f_op->release(file->f_inode, file);
	if (file->f_mode & FMODE_WRITER)
		put_write_access(file->f_inode);
	path_put(&file->f_path);
	kfree(file);
	atomic_dec(&nr_files);
}
