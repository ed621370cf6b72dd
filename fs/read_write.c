// SPDX-License-Identifier: MIT
/* read, write and lseek on open files, with Linux's checks and limits. */
#include "internal.h"

/* A position below zero, or one that a transfer would carry past the largest, is invalid. */
static int rw_verify_area(loff_t pos, size_t count)
{
	loff_t end;

	if ((ssize_t)count < 0 || pos < 0)
		return -EINVAL;
	if (__builtin_add_overflow(pos, (loff_t)count, &end))
		return -EINVAL;
	return 0;
}

ssize_t vfs_read(struct file *file, void *buf, size_t count, loff_t *pos)
{
	int err;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	if (!(file->f_mode & FMODE_CAN_READ))
		return -EINVAL;
	err = rw_verify_area(*pos, count);
	if (err)
		return err;
	return file->f_op->read(file, buf, min(count, MAX_RW_COUNT), pos);
}

ssize_t vfs_write(struct file *file, const void *buf, size_t count, loff_t *pos)
{
	int err;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!(file->f_mode & FMODE_CAN_WRITE))
		return -EINVAL;
	err = rw_verify_area(*pos, count);
	if (err)
		return err;
	return file->f_op->write(file, buf, min(count, MAX_RW_COUNT), pos);
}

/* Pipes and sockets (no llseek) cannot seek: ESPIPE. */
loff_t vfs_llseek(struct file *file, loff_t offset, int whence)
{
	if (whence < SEEK_SET || whence > SEEK_HOLE)
		return -EINVAL;
	if (!(file->f_mode & FMODE_LSEEK))
		return -ESPIPE;
	return file->f_op->llseek(file, offset, whence);
}

/*
 * Files whose size is i_size: any position from 0 to s_maxbytes, even past the end.
 * The whole file counts as data, with one hole at the end.
 */
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	struct inode *inode = file->f_inode;
	loff_t size = READ_ONCE(inode->i_size);

	switch (whence) {
	case SEEK_END:
		if (__builtin_add_overflow(offset, size, &offset))
			return -EINVAL;
		break;
	case SEEK_CUR:
		if (__builtin_add_overflow(offset, file->f_pos, &offset))
			return -EINVAL;
		break;
	case SEEK_DATA:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		break;
	case SEEK_HOLE:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		offset = size;
		break;
	}
	if (offset < 0 || offset > inode->i_sb->s_maxbytes)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

long vfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (!file->f_op->unlocked_ioctl)
		return -ENOTTY;
	return file->f_op->unlocked_ioctl(file, cmd, arg);
}
