// SPDX-License-Identifier: MIT
/* Reading directories: the iterator of the file system fills linux_dirent64 records. */
#include <kairos/slab.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include "internal.h"

/* A removed directory reads as ENOENT, as Linux has it. */
int iterate_dir(struct file *file, struct dir_context *ctx)
{
	struct inode *inode = file->f_inode;
	int err = -ENOENT;

	if (!file->f_op->iterate)
		return -ENOTDIR;
	inode_lock(inode);
	if (!IS_DEADDIR(inode)) {
		ctx->pos = file->f_pos;
		err = file->f_op->iterate(file, ctx);
		file->f_pos = ctx->pos;
	}
	inode_unlock(inode);
	return err;
}

struct getdents_callback64 {
	struct dir_context ctx;
	char *buf;		/* the next record goes here */
	size_t count;		/* room left */
	size_t used;
	int error;
};

static bool filldir64(struct dir_context *ctx, const char *name, int namelen,
		      loff_t next_pos, u64 ino, unsigned int d_type)
{
	struct getdents_callback64 *gc = container_of(ctx, struct getdents_callback64, ctx);
	size_t reclen = ALIGN(offsetof(struct linux_dirent64, d_name) + namelen + 1, 8);
	struct linux_dirent64 *de = (struct linux_dirent64 *)gc->buf;

	if (reclen > gc->count) {
		if (!gc->used)
			gc->error = -EINVAL;	/* not even one entry fits */
		return false;
	}
	memset(de, 0, reclen);
	de->d_ino = ino;
	de->d_off = next_pos;
	de->d_reclen = reclen;
	de->d_type = d_type;
	memcpy(de->d_name, name, namelen);
	gc->buf += reclen;
	gc->count -= reclen;
	gc->used += reclen;
	return true;
}

int vfs_getdents64(struct file *file, void *buf, size_t count)
{
	struct getdents_callback64 gc = {
		.ctx.actor = filldir64, .buf = buf, .count = count,
	};
	int err = iterate_dir(file, &gc.ctx);

	if (err)
		return err;
	return gc.error ? gc.error : (int)gc.used;
}

/*
 * Through a kernel buffer of at most 64 KiB: a larger one only means more entries per
 * call, which nobody can count on. A fault puts the position back where it was.
 */
SYSCALL_DEFINE3(getdents64, unsigned int, fd, struct linux_dirent64 __user *, dirent,
		unsigned int, count)
{
	size_t size = min(count, 65536U);
	struct file *file;
	loff_t pos;
	void *buf;
	int ret = -ENOMEM;

	file = fdget(fd);
	if (!file)
		return -EBADF;
	buf = kmalloc(size ? size : 1, GFP_KERNEL);
	if (!buf)
		goto out;
	file_pos_lock(file);
	pos = file->f_pos;
	ret = vfs_getdents64(file, buf, size);
	if (ret > 0 && copy_to_user(dirent, buf, ret)) {
		file->f_pos = pos;
		ret = -EFAULT;
	}
	file_pos_unlock(file);
	kfree(buf);
out:
	fput(file);
	return ret;
}
