// SPDX-License-Identifier: MIT
/* Setting a file's access and modification times: utimensat. */
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include "internal.h"

static bool nsec_valid(long nsec)
{
	return (nsec >= 0 && nsec < 1000000000L) || nsec == UTIME_NOW || nsec == UTIME_OMIT;
}

/*
 * times NULL, or both UTIME_NOW: now, which takes write permission; anything else takes
 * owning the file.
 */
static int vfs_utimes(const struct vfs_ctx *ctx, const struct path *path,
		      const struct timespec64 *times)
{
	struct iattr attr = { .ia_valid = ATTR_ATIME | ATTR_MTIME | ATTR_TOUCH };
	struct inode *inode = path->dentry->d_inode;
	int err;

	if (times && (!nsec_valid(times[0].tv_nsec) || !nsec_valid(times[1].tv_nsec)))
		return -EINVAL;
	if (times && (times[0].tv_nsec != UTIME_NOW || times[1].tv_nsec != UTIME_NOW)) {
		attr.ia_valid = ATTR_ATIME | ATTR_MTIME | ATTR_TIMES_SET;
		if (times[0].tv_nsec == UTIME_OMIT) {
			attr.ia_valid &= ~ATTR_ATIME;
		} else if (times[0].tv_nsec != UTIME_NOW) {
			attr.ia_atime = times[0];
			attr.ia_valid |= ATTR_ATIME_SET;
		}
		if (times[1].tv_nsec == UTIME_OMIT) {
			attr.ia_valid &= ~ATTR_MTIME;
		} else if (times[1].tv_nsec != UTIME_NOW) {
			attr.ia_mtime = times[1];
			attr.ia_valid |= ATTR_MTIME_SET;
		}
	}
	inode_lock(inode);
	err = notify_change(ctx, path->dentry, &attr);
	inode_unlock(inode);
	return err;
}

static bool both_omitted(const struct timespec64 *times)
{
	return times && times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT;
}

/* Omitting both times does nothing, not even the lookup. */
int do_utimes(const struct vfs_ctx *ctx, const char *name, const struct timespec64 *times,
	      int flags)
{
	struct path path;
	int err;

	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	if (both_omitted(times))
		return 0;
	err = kern_path(ctx, name, at_lookup_flags(flags), &path);
	if (err)
		return err;
	err = vfs_utimes(ctx, &path, times);
	path_put(&path);
	return err;
}

/* A NULL name with a directory fd sets the times of that fd's file (futimens). */
SYSCALL_DEFINE4(utimensat, int, dfd, const char __user *, filename,
		struct timespec64 __user *, utimes, int, flags)
{
	struct timespec64 times[2], *tp = NULL;
	struct vfs_ctx ctx;
	struct path path;
	struct file *file;
	int err;

	if (utimes) {
		if (copy_from_user(times, utimes, sizeof(times)))
			return -EFAULT;
		if (both_omitted(times))
			return 0;
		tp = times;
	}
	if (!filename && dfd != AT_FDCWD) {
		if (flags)
			return -EINVAL;
		file = fdget(dfd);
		if (!file)
			return -EBADF;
		get_current_vfs_ctx(&ctx);
		err = vfs_utimes(&ctx, &file->f_path, tp);
		put_vfs_ctx(&ctx);
		fput(file);
		return err;
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_path_at(dfd, filename, at_lookup_flags(flags), &ctx, &path);
	if (err)
		return err;
	err = vfs_utimes(&ctx, &path, tp);
	path_put(&path);
	put_vfs_ctx(&ctx);
	return err;
}
