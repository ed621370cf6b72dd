// SPDX-License-Identifier: MIT
/* stat: an inode's attributes as kstat, and the ABI records made from it. */
#include <kairos/slab.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include "internal.h"

/* The arm64 ABI, field by field where it matters. */
BUILD_BUG_ON(sizeof(struct stat) != 128);
BUILD_BUG_ON(offsetof(struct stat, st_size) != 48);
BUILD_BUG_ON(offsetof(struct stat, st_blocks) != 64);
BUILD_BUG_ON(offsetof(struct stat, st_mtime) != 88);
BUILD_BUG_ON(sizeof(struct statx) != 256);
BUILD_BUG_ON(offsetof(struct statx, stx_mtime) != 0x70);
BUILD_BUG_ON(offsetof(struct statx, stx_mnt_id) != 0x90);
BUILD_BUG_ON(offsetof(struct linux_dirent64, d_name) != 19);

void generic_fillattr(struct inode *inode, struct kstat *stat)
{
	stat->result_mask = STATX_BASIC_STATS;
	stat->mode = inode->i_mode;
	stat->nlink = inode->i_nlink;
	stat->uid = inode->i_uid;
	stat->gid = inode->i_gid;
	stat->ino = inode->i_ino;
	stat->dev = inode->i_sb->s_dev;
	stat->rdev = inode->i_rdev;
	stat->size = inode->i_size;
	stat->atime = inode->i_atime;
	stat->mtime = inode->i_mtime;
	stat->ctime = inode->i_ctime;
	stat->blksize = 4096;
	stat->blocks = inode->i_blocks;
}

int vfs_getattr(const struct path *path, struct kstat *stat)
{
	struct inode *inode = path->dentry->d_inode;

	memset(stat, 0, sizeof(*stat));
	stat->mnt_id = path->mnt->mnt_id;
	if (inode->i_op->getattr)
		return inode->i_op->getattr(path, stat);
	generic_fillattr(inode, stat);
	return 0;
}

int vfs_statx(const struct vfs_ctx *ctx, const char *name, int flags, struct kstat *stat)
{
	struct path path;
	int err;

	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	err = kern_path(ctx, name, at_lookup_flags(flags), &path);
	if (err)
		return err;
	err = vfs_getattr(&path, stat);
	path_put(&path);
	return err;
}

void cp_new_stat(const struct kstat *stat, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = new_encode_dev(stat->dev);
	st->st_ino = stat->ino;
	st->st_mode = stat->mode;
	st->st_nlink = stat->nlink;
	st->st_uid = stat->uid;
	st->st_gid = stat->gid;
	st->st_rdev = new_encode_dev(stat->rdev);
	st->st_size = stat->size;
	st->st_blksize = stat->blksize;
	st->st_blocks = stat->blocks;
	st->st_atime = stat->atime.tv_sec;
	st->st_atime_nsec = stat->atime.tv_nsec;
	st->st_mtime = stat->mtime.tv_sec;
	st->st_mtime_nsec = stat->mtime.tv_nsec;
	st->st_ctime = stat->ctime.tv_sec;
	st->st_ctime_nsec = stat->ctime.tv_nsec;
}

void cp_statx(const struct kstat *stat, struct statx *stx)
{
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = stat->result_mask | STATX_MNT_ID;
	stx->stx_blksize = stat->blksize;
	stx->stx_nlink = stat->nlink;
	stx->stx_uid = stat->uid;
	stx->stx_gid = stat->gid;
	stx->stx_mode = stat->mode;
	stx->stx_ino = stat->ino;
	stx->stx_size = stat->size;
	stx->stx_blocks = stat->blocks;
	stx->stx_atime.tv_sec = stat->atime.tv_sec;
	stx->stx_atime.tv_nsec = stat->atime.tv_nsec;
	stx->stx_mtime.tv_sec = stat->mtime.tv_sec;
	stx->stx_mtime.tv_nsec = stat->mtime.tv_nsec;
	stx->stx_ctime.tv_sec = stat->ctime.tv_sec;
	stx->stx_ctime.tv_nsec = stat->ctime.tv_nsec;
	stx->stx_rdev_major = MAJOR(stat->rdev);
	stx->stx_rdev_minor = MINOR(stat->rdev);
	stx->stx_dev_major = MAJOR(stat->dev);
	stx->stx_dev_minor = MINOR(stat->dev);
	stx->stx_mnt_id = stat->mnt_id;
}

/* stat, lstat and fstatat(AT_EMPTY_PATH) in one. */
static int vfs_fstatat(int dfd, const char __user *filename, int flags, struct kstat *stat,
		       unsigned int allowed)
{
	struct vfs_ctx ctx;
	struct path path;
	int err;

	if (flags & ~allowed)
		return -EINVAL;
	err = user_path_at(dfd, filename, at_lookup_flags(flags), &ctx, &path);
	if (err)
		return err;
	err = vfs_getattr(&path, stat);
	path_put(&path);
	put_vfs_ctx(&ctx);
	return err;
}

static int put_stat(const struct kstat *stat, struct stat __user *statbuf)
{
	struct stat st;

	cp_new_stat(stat, &st);
	return copy_to_user(statbuf, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE4(newfstatat, int, dfd, const char __user *, filename,
		struct stat __user *, statbuf, int, flag)
{
	struct kstat stat;
	int err = vfs_fstatat(dfd, filename, flag, &stat,
			      AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH);

	return err ? err : put_stat(&stat, statbuf);
}

/* O_PATH files can be asked too. */
SYSCALL_DEFINE2(fstat, unsigned int, fd, struct stat __user *, statbuf)
{
	struct file *file = fdget_raw(fd);
	struct kstat stat;
	int err;

	if (!file)
		return -EBADF;
	err = vfs_getattr(&file->f_path, &stat);
	fput(file);
	return err ? err : put_stat(&stat, statbuf);
}

/* Every attribute is always at hand: the mask asked for changes nothing. */
SYSCALL_DEFINE5(statx, int, dfd, const char __user *, filename, unsigned int, flags,
		unsigned int, mask, struct statx __user *, buffer)
{
	struct kstat stat;
	struct statx stx;
	int err;

	if (mask & STATX__RESERVED)
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	err = vfs_fstatat(dfd, filename, flags, &stat,
			  AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE);
	if (err)
		return err;
	cp_statx(&stat, &stx);
	return copy_to_user(buffer, &stx, sizeof(stx)) ? -EFAULT : 0;
}

/*
 * The target of a symlink, not NUL-terminated and cut to bufsiz. An empty name means
 * dfd itself (opened O_PATH | O_NOFOLLOW); if that is no link, ENOENT rather than
 * EINVAL.
 */
SYSCALL_DEFINE4(readlinkat, int, dfd, const char __user *, pathname, char __user *, buf,
		int, bufsiz)
{
	struct vfs_ctx ctx;
	struct path path;
	char *name, *kbuf = NULL;
	int err;

	if (bufsiz <= 0)
		return -EINVAL;
	name = getname_flags(pathname, true);
	if (IS_ERR(name))
		return PTR_ERR(name);
	err = get_vfs_ctx_at(dfd, name, &ctx);
	if (err)
		goto out;
	if (*name) {
		err = kern_path(&ctx, name, 0, &path);
	} else {
		path = ctx.pwd;
		path_get(&path);
	}
	put_vfs_ctx(&ctx);
	if (err)
		goto out;
	err = -ENOMEM;
	kbuf = kmalloc(min(bufsiz, PATH_MAX), GFP_KERNEL);
	if (kbuf)
		err = vfs_readlink(path.dentry, kbuf, min(bufsiz, PATH_MAX));
	if (err == -EINVAL && !*name)
		err = -ENOENT;
	if (err > 0 && copy_to_user(buf, kbuf, err))
		err = -EFAULT;
	path_put(&path);
out:
	kfree(kbuf);
	putname(name);
	return err;
}
