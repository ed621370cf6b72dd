// SPDX-License-Identifier: MIT
/* statfs(2) and fstatfs(2): what a mounted file system says about itself. */
#include <kairos/mm.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include <uapi/statfs.h>
#include "internal.h"

BUILD_BUG_ON(sizeof(struct statfs) != 120);

/*
 * The defaults of Linux's simple_statfs (a file system in memory has no blocks or
 * inode table to count), then the file system's own answer. Every mount is relatime,
 * Linux's default, and nothing else.
 */
static int vfs_statfs(const struct path *path, struct statfs *st)
{
	struct super_block *sb = path->dentry->d_sb;
	struct kstatfs buf = {
		.f_type = sb->s_magic, .f_bsize = PAGE_SIZE, .f_namelen = NAME_MAX,
	};
	int err = 0;

	if (sb->s_op && sb->s_op->statfs)
		err = sb->s_op->statfs(path->dentry, &buf);
	if (err)
		return err;
	memset(st, 0, sizeof(*st));
	st->f_type = buf.f_type;
	st->f_bsize = buf.f_bsize;
	st->f_blocks = buf.f_blocks;
	st->f_bfree = buf.f_bfree;
	st->f_bavail = buf.f_bavail;
	st->f_files = buf.f_files;
	st->f_ffree = buf.f_ffree;
	st->f_namelen = buf.f_namelen;
	st->f_frsize = buf.f_frsize ? buf.f_frsize : buf.f_bsize;
	st->f_flags = ST_VALID | ST_RELATIME;
	return 0;
}

static int put_statfs(const struct path *path, struct statfs __user *ubuf)
{
	struct statfs st;
	int err = vfs_statfs(path, &st);

	if (!err && copy_to_user(ubuf, &st, sizeof(st)))
		err = -EFAULT;
	return err;
}

SYSCALL_DEFINE2(statfs, const char __user *, pathname, struct statfs __user *, buf)
{
	struct vfs_ctx ctx;
	struct path path;
	int err = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &ctx, &path);

	if (err)
		return err;
	err = put_statfs(&path, buf);
	path_put(&path);
	put_vfs_ctx(&ctx);
	return err;
}

SYSCALL_DEFINE2(fstatfs, unsigned int, fd, struct statfs __user *, buf)
{
	struct file *file = fdget_raw(fd);
	int err;

	if (!file)
		return -EBADF;
	err = put_statfs(&file->f_path, buf);
	fput(file);
	return err;
}
