// SPDX-License-Identifier: MIT
/* Attribute changes: who may make them, then the file system makes them. */
#include <kairos/resource.h>
#include "internal.h"

/*
 * Whether a file may get size offset: growing it past the caller's RLIMIT_FSIZE is
 * SIGXFSZ and -EFBIG (reaching the limit exactly is fine), past s_maxbytes -EFBIG.
 */
int inode_newsize_ok(const struct inode *inode, loff_t offset)
{
	unsigned long limit = rlimit(RLIMIT_FSIZE);

	if (offset < 0)
		return -EINVAL;
	if (offset <= inode->i_size)
		return 0;
	if (limit != RLIM_INFINITY && (unsigned long)offset > limit) {
		send_sig_info(SIGXFSZ, SEND_SIG_NOINFO, current);
		return -EFBIG;
	}
	return offset > inode->i_sb->s_maxbytes ? -EFBIG : 0;
}

/*
 * chown takes CAP_CHOWN, except that an owner may "change" to itself and move the file
 * to a group it is in; chmod and explicit times take owning the file; setting the
 * times to now takes write permission too. chmod by someone outside the file's group
 * drops set-group-ID.
 */
static int setattr_prepare(const struct vfs_ctx *ctx, struct inode *inode,
			   struct iattr *attr)
{
	unsigned int valid = attr->ia_valid;
	bool owner = inode_owner_or_capable(ctx, inode);

	if (valid & ATTR_SIZE) {
		int err = inode_newsize_ok(inode, attr->ia_size);

		if (err)
			return err;
	}
	if ((valid & ATTR_UID) && !fs_capable(ctx) &&
	    (ctx->fsuid != inode->i_uid || attr->ia_uid != inode->i_uid))
		return -EPERM;
	if ((valid & ATTR_GID) && !fs_capable(ctx) &&
	    (ctx->fsuid != inode->i_uid ||
	     (attr->ia_gid != inode->i_gid && !in_group_p(ctx, attr->ia_gid))))
		return -EPERM;
	if (valid & ATTR_MODE) {
		gid_t gid = (valid & ATTR_GID) ? attr->ia_gid : inode->i_gid;

		if (!owner)
			return -EPERM;
		if (!in_group_p(ctx, gid) && !fs_capable(ctx))
			attr->ia_mode &= ~S_ISGID;
	}
	if ((valid & ATTR_TIMES_SET) && !owner)
		return -EPERM;
	if ((valid & ATTR_TOUCH) && !owner)
		return inode_permission(ctx, inode, MAY_WRITE);
	return 0;
}

/* The caller holds the inode's i_mutex. Every change updates ctime. */
int notify_change(const struct vfs_ctx *ctx, struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;
	struct timespec64 now = current_time(inode);
	int err = setattr_prepare(ctx, inode, attr);
	umode_t mode = (attr->ia_valid & ATTR_MODE) ? attr->ia_mode : inode->i_mode;

	if (err)
		return err;
	if ((attr->ia_valid & ATTR_KILL_SUID) && (mode & S_ISUID)) {
		mode &= ~S_ISUID;
		attr->ia_valid |= ATTR_MODE;
	}
	/* Without group execute, set-group-ID means mandatory locking: it stays. */
	if ((attr->ia_valid & ATTR_KILL_SGID) &&
	    (mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) {
		mode &= ~S_ISGID;
		attr->ia_valid |= ATTR_MODE;
	}
	attr->ia_mode = mode;
	if (!(attr->ia_valid & ATTR_ATIME_SET))
		attr->ia_atime = now;
	if (!(attr->ia_valid & ATTR_MTIME_SET))
		attr->ia_mtime = now;
	attr->ia_ctime = now;
	attr->ia_valid |= ATTR_CTIME;
	if (inode->i_op->setattr)
		return inode->i_op->setattr(dentry, attr);
	setattr_copy(inode, attr);
	return 0;
}
