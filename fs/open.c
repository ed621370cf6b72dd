// SPDX-License-Identifier: MIT
/* Opening files, and the calls that change an inode's attributes by name. */
#include <kairos/string.h>
#include "internal.h"

/* The permissions the access mode needs: O_ACCMODE 3 asks for both. */
#define ACC_MODE(x)	("\004\002\006\006"[(x) & O_ACCMODE])

struct file *dentry_open(const struct path *path, int flags)
{
	struct inode *inode = path->dentry->d_inode;
	struct file *file;
	int err;

	if (!inode->i_fop)
		return ERR_PTR(-ENXIO);
	file = alloc_file(path, flags, inode->i_fop);
	if (IS_ERR(file) || !file->f_op->open)
		return file;
	err = file->f_op->open(inode, file);
	if (err) {
		file->f_mode &= ~FMODE_OPENED;	/* no ->release for a failed ->open */
		fput(file);
		return ERR_PTR(err);
	}
	return file;
}

/*
 * O_CREAT's mode takes the umask; O_TRUNC needs write permission even with O_RDONLY;
 * O_CREAT | O_EXCL never follows a final symlink.
 */
struct file *filp_open(const struct vfs_ctx *ctx, const char *name, int flags, umode_t mode)
{
	struct open_flags op;

	if (flags & (__O_TMPFILE | O_PATH))
		return ERR_PTR(-EOPNOTSUPP);
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return ERR_PTR(-EINVAL);
	op.mode = (flags & O_CREAT) ? S_IFREG | (mode & S_IALLUGO & ~ctx->umask) : 0;
	op.acc_mode = ACC_MODE(flags);
	if (flags & O_TRUNC)
		op.acc_mode |= MAY_WRITE;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		flags |= O_NOFOLLOW;
	op.lookup_flags = 0;
	if (flags & O_DIRECTORY)
		op.lookup_flags |= LOOKUP_DIRECTORY;
	if (!(flags & O_NOFOLLOW))
		op.lookup_flags |= LOOKUP_FOLLOW;
	op.open_flag = flags;
	return do_filp_open(ctx, name, &op);
}

/* Size changes update mtime and ctime, as POSIX wants of truncate() too. */
int do_truncate(const struct vfs_ctx *ctx, struct dentry *dentry, loff_t length,
		unsigned int time_attrs)
{
	struct iattr attr = { .ia_valid = ATTR_SIZE | time_attrs, .ia_size = length };
	struct inode *inode = dentry->d_inode;
	int err;

	if (length < 0)
		return -EINVAL;
	inode_lock(inode);
	err = notify_change(ctx, dentry, &attr);
	inode_unlock(inode);
	return err;
}

int vfs_truncate(const struct vfs_ctx *ctx, const struct path *path, loff_t length)
{
	struct inode *inode = path->dentry->d_inode;
	int err;

	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	err = inode_permission(ctx, inode, MAY_WRITE);
	if (err)
		return err;
	return do_truncate(ctx, path->dentry, length, ATTR_MTIME | ATTR_CTIME);
}

int do_ftruncate(const struct vfs_ctx *ctx, struct file *file, loff_t length)
{
	if (!S_ISREG(file->f_inode->i_mode) || !(file->f_mode & FMODE_WRITE))
		return -EINVAL;
	return do_truncate(ctx, file->f_path.dentry, length, ATTR_MTIME | ATTR_CTIME);
}

static int setattr_path(const struct vfs_ctx *ctx, const char *name, unsigned int lookup,
			struct iattr *attr)
{
	struct inode *inode;
	struct path path;
	int err = kern_path(ctx, name, lookup, &path);

	if (err)
		return err;
	inode = path.dentry->d_inode;
	inode_lock(inode);
	if (attr->ia_valid & ATTR_MODE)
		attr->ia_mode = (attr->ia_mode & S_IALLUGO) | (inode->i_mode & S_IFMT);
	/* A new owner must not inherit set-ID powers (directories keep them: inheritance). */
	if ((attr->ia_valid & (ATTR_UID | ATTR_GID)) && !S_ISDIR(inode->i_mode))
		attr->ia_valid |= ATTR_KILL_SUID | ATTR_KILL_SGID;
	err = notify_change(ctx, path.dentry, attr);
	inode_unlock(inode);
	path_put(&path);
	return err;
}

int do_fchmodat(const struct vfs_ctx *ctx, const char *name, umode_t mode)
{
	struct iattr attr = { .ia_valid = ATTR_MODE, .ia_mode = mode };

	return setattr_path(ctx, name, LOOKUP_FOLLOW, &attr);
}

/* (uid_t)-1 and (gid_t)-1 leave that one alone. */
int do_fchownat(const struct vfs_ctx *ctx, const char *name, uid_t uid, gid_t gid, int flags)
{
	struct iattr attr = { .ia_uid = uid, .ia_gid = gid };

	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	if (uid != (uid_t)-1)
		attr.ia_valid |= ATTR_UID;
	if (gid != (gid_t)-1)
		attr.ia_valid |= ATTR_GID;
	return setattr_path(ctx, name, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &attr);
}

static bool nsec_valid(long nsec)
{
	return (nsec >= 0 && nsec < 1000000000L) || nsec == UTIME_NOW || nsec == UTIME_OMIT;
}

/*
 * Setting both times to now takes write permission; anything else takes owning the
 * file. Omitting both does nothing, not even the lookup.
 */
int do_utimes(const struct vfs_ctx *ctx, const char *name, const struct timespec64 *times,
	      int flags)
{
	struct iattr attr = { .ia_valid = ATTR_ATIME | ATTR_MTIME | ATTR_TOUCH };

	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	if (times && (!nsec_valid(times[0].tv_nsec) || !nsec_valid(times[1].tv_nsec)))
		return -EINVAL;
	if (times && times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT)
		return 0;
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
	return setattr_path(ctx, name, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &attr);
}
