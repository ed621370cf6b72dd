// SPDX-License-Identifier: MIT
/*
 * Inodes: allocation through the super block, reference and link counts, the owner of
 * a new file, and the permission checks.
 */
#include <kairos/bug.h>
#include <kairos/pipe_fs_i.h>
#include <kairos/slab.h>
#include <kairos/time.h>
#include "internal.h"

atomic_t nr_inodes;
static atomic64_t last_ino;

static unsigned long get_next_ino(void)
{
	return atomic64_add_return(1, &last_ino);
}

/* Timestamps are wall-clock time (CLOCK_REALTIME). */
struct timespec64 current_time(struct inode *inode)
{
	u64 ns = ktime_get_real_ns();

	return (struct timespec64){ ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };
}

static const struct inode_operations empty_iops;

/*
 * A new inode with one reference and one link, from ->alloc_inode() (zeroed memory) or
 * kmalloc for file systems that keep nothing beside it; no operations until the file
 * system sets them.
 */
struct inode *new_inode(struct super_block *sb)
{
	const struct super_operations *op = sb->s_op;
	struct inode *inode = op && op->alloc_inode ? op->alloc_inode(sb) :
			      kzalloc(sizeof(*inode), GFP_KERNEL);

	if (!inode)
		return NULL;
	inode->i_sb = sb;
	inode->i_op = &empty_iops;
	atomic_set(&inode->i_count, 1);
	mutex_init(&inode->i_mutex);
	address_space_init(&inode->i_data);
	inode->i_nlink = 1;
	inode->i_ino = get_next_ino();
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	atomic_inc(&nr_inodes);
	return inode;
}

void ihold(struct inode *inode)
{
	atomic_inc(&inode->i_count);
}

void iput(struct inode *inode)
{
	const struct super_operations *op = inode->i_sb->s_op;

	if (!atomic_dec_and_test(&inode->i_count))
		return;
	if (op && op->destroy_inode)
		op->destroy_inode(inode);
	else
		kfree(inode);
	atomic_dec(&nr_inodes);
}

void inc_nlink(struct inode *inode)
{
	inode->i_nlink++;
}

void drop_nlink(struct inode *inode)
{
	WARN_ON(!inode->i_nlink);
	inode->i_nlink--;
}

bool in_group_p(const struct vfs_ctx *ctx, gid_t gid)
{
	if (ctx->fsgid == gid)
		return true;
	for (unsigned int i = 0; i < ctx->ngroups; i++)
		if (ctx->groups[i] == gid)
			return true;
	return false;
}

bool inode_owner_or_capable(const struct vfs_ctx *ctx, const struct inode *inode)
{
	return ctx->fsuid == inode->i_uid || fs_capable(ctx);
}

/*
 * The new file belongs to the caller; in a set-group-ID directory it takes the
 * directory's group instead, and a new subdirectory inherits the bit.
 */
void inode_init_owner(const struct vfs_ctx *ctx, struct inode *inode,
		      const struct inode *dir, umode_t mode)
{
	inode->i_uid = ctx->fsuid;
	if (dir && (dir->i_mode & S_ISGID)) {
		inode->i_gid = dir->i_gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
		else if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
			 !in_group_p(ctx, inode->i_gid) && !fs_capable(ctx))
			mode &= ~S_ISGID;
	} else {
		inode->i_gid = ctx->fsgid;
	}
	inode->i_mode = mode;
}

static int no_device_open(struct inode *inode, struct file *file)
{
	return -ENXIO;	/* no block devices or sockets behind special files yet */
}

static const struct file_operations no_device_fops = {
	.open = no_device_open,
};

/* Character devices open their driver (char_dev.c), FIFOs a pipe (pipe.c). */
void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev)
{
	inode->i_mode = mode;
	if (S_ISCHR(mode))
		inode->i_fop = &def_chr_fops;
	else if (S_ISFIFO(mode))
		inode->i_fop = &pipefifo_fops;
	else
		inode->i_fop = &no_device_fops;
	if (S_ISCHR(mode) || S_ISBLK(mode))
		inode->i_rdev = rdev;
}

/*
 * The owner's bits if the caller owns the file, else the group's if it is in the
 * group, else the others'. Capable callers may do anything but execute a file that
 * nobody may execute.
 */
int inode_permission(const struct vfs_ctx *ctx, struct inode *inode, int mask)
{
	unsigned int mode = inode->i_mode;

	if (ctx->fsuid == inode->i_uid)
		mode >>= 6;
	else if (in_group_p(ctx, inode->i_gid))
		mode >>= 3;
	if (!(mask & ~mode & (MAY_READ | MAY_WRITE | MAY_EXEC)))
		return 0;
	if (fs_capable(ctx) && (!(mask & MAY_EXEC) || S_ISDIR(inode->i_mode) ||
				(inode->i_mode & S_IXUGO)))
		return 0;
	return -EACCES;
}
