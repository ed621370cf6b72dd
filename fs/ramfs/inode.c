// SPDX-License-Identifier: MIT
/*
 * ramfs: a file system that is its dentry tree (fs/libfs.c) with inodes in memory and
 * file data in pages. "tmpfs" is the same file system with a sticky, world-writable
 * root by default, as Linux's tmpfs has. The option mode=<octal> sets the root's mode;
 * other options (size=...) are accepted and ignored: there is no limit but memory.
 */
#include <kairos/mm.h>
#include <kairos/slab.h>
#include <kairos/string.h>
#include <uapi/magic.h>
#include "internal.h"


static const struct inode_operations ramfs_dir_inode_operations;

static const struct inode_operations ramfs_symlink_inode_operations = {
	.get_link = simple_get_link,
};

/* Devices, FIFOs and sockets: attributes only, until drivers and pipes exist. */
static const struct inode_operations ramfs_special_inode_operations;

/* The new inode, owned as the caller says; dir is NULL for the root. */
static struct inode *ramfs_get_inode(const struct vfs_ctx *ctx, struct super_block *sb,
				     const struct inode *dir, umode_t mode, dev_t dev)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode_init_owner(ctx, inode, dir, mode);
	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &ramfs_file_inode_operations;
		inode->i_fop = &ramfs_file_operations;
		break;
	case S_IFDIR:
		inode->i_op = &ramfs_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		inc_nlink(inode);	/* "." */
		break;
	case S_IFLNK:
		inode->i_op = &ramfs_symlink_inode_operations;
		break;
	default:
		inode->i_op = &ramfs_special_inode_operations;
		init_special_inode(inode, inode->i_mode, dev);
		break;
	}
	return inode;
}

/* The dentry stays pinned (an extra reference) until unlink: the tree is the fs. */
static int ramfs_mknod(const struct vfs_ctx *ctx, struct inode *dir, struct dentry *dentry,
		       umode_t mode, dev_t dev)
{
	struct inode *inode = ramfs_get_inode(ctx, dir->i_sb, dir, mode, dev);

	if (!inode)
		return -ENOSPC;
	d_add(dentry, inode);
	dget(dentry);
	dir->i_mtime = dir->i_ctime = current_time(dir);
	return 0;
}

static int ramfs_mkdir(const struct vfs_ctx *ctx, struct inode *dir, struct dentry *dentry,
		       umode_t mode)
{
	int err = ramfs_mknod(ctx, dir, dentry, mode | S_IFDIR, 0);

	if (!err)
		inc_nlink(dir);		/* the new directory's ".." */
	return err;
}

static int ramfs_create(const struct vfs_ctx *ctx, struct inode *dir, struct dentry *dentry,
			umode_t mode)
{
	return ramfs_mknod(ctx, dir, dentry, mode | S_IFREG, 0);
}

static int ramfs_symlink(const struct vfs_ctx *ctx, struct inode *dir, struct dentry *dentry,
			 const char *target)
{
	size_t len = strlen(target);
	struct inode *inode;
	char *link = kmalloc(len + 1, GFP_KERNEL);

	if (!link)
		return -ENOMEM;
	memcpy(link, target, len + 1);
	inode = ramfs_get_inode(ctx, dir->i_sb, dir, S_IFLNK | S_IRWXUGO, 0);
	if (!inode) {
		kfree(link);
		return -ENOSPC;
	}
	inode->i_link = link;
	inode->i_size = len;
	d_add(dentry, inode);
	dget(dentry);
	dir->i_mtime = dir->i_ctime = current_time(dir);
	return 0;
}

static const struct inode_operations ramfs_dir_inode_operations = {
	.lookup = simple_lookup,
	.create = ramfs_create,
	.link = simple_link,
	.unlink = simple_unlink,
	.symlink = ramfs_symlink,
	.mkdir = ramfs_mkdir,
	.rmdir = simple_rmdir,
	.mknod = ramfs_mknod,
	.rename = simple_rename,
};

static struct inode *ramfs_alloc_inode(struct super_block *sb)
{
	struct ramfs_inode *ri = kzalloc(sizeof(*ri), GFP_KERNEL);

	if (!ri)
		return NULL;
	atomic64_add(1, &RAMFS_SB(sb)->inodes);
	return &ri->vfs_inode;
}

static void ramfs_destroy_inode(struct inode *inode)
{
	if (S_ISREG(inode->i_mode))
		ramfs_free_data(inode);
	atomic64_add(-1, &RAMFS_SB(inode->i_sb)->inodes);
	kfree(inode->i_link);
	kfree(RAMFS_I(inode));
}

static const struct super_operations ramfs_ops = {
	.alloc_inode = ramfs_alloc_inode,
	.destroy_inode = ramfs_destroy_inode,
};

/*
 * tmpfs reports Linux's default size, half of RAM in blocks and as many inodes, less
 * what it holds. Nothing enforces it: the limit is memory.
 */
static int tmpfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct ramfs_sb_info *info = RAMFS_SB(dentry->d_sb);
	u64 half = totalram_pages() / 2;
	u64 pages = atomic64_read(&info->pages), inodes = atomic64_read(&info->inodes);

	buf->f_blocks = buf->f_files = half;
	buf->f_bfree = buf->f_bavail = half > pages ? half - pages : 0;
	buf->f_ffree = half > inodes ? half - inodes : 0;
	return 0;
}

static const struct super_operations tmpfs_ops = {
	.alloc_inode = ramfs_alloc_inode,
	.destroy_inode = ramfs_destroy_inode,
	.statfs = tmpfs_statfs,
};

/* mode=<octal> anywhere in a comma-separated list; the last one wins. */
static umode_t parse_mode_option(const char *data, umode_t mode)
{
	while (data && *data) {
		const char *end = strchr(data, ',');

		if (!strncmp(data, "mode=", 5)) {
			const char *q = data + 5;
			umode_t m = 0;

			while (*q >= '0' && *q <= '7')
				m = (m << 3) | (*q++ - '0');
			if (q > data + 5 && (q == end || !*q))
				mode = m & S_IALLUGO;
		}
		data = end ? end + 1 : NULL;
	}
	return mode;
}

static struct dentry *ramfs_fill_super(struct file_system_type *type, unsigned long magic,
				       const struct super_operations *ops, umode_t mode,
				       const char *data)
{
	static const struct vfs_ctx kernel_ctx;	/* the root belongs to root */
	struct super_block *sb = sget_anon(type);
	struct inode *root;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_magic = magic;
	sb->s_op = ops;
	sb->s_fs_info = kzalloc(sizeof(struct ramfs_sb_info), GFP_KERNEL);
	root = sb->s_fs_info ? ramfs_get_inode(&kernel_ctx, sb, NULL,
					       S_IFDIR | parse_mode_option(data, mode), 0) : NULL;
	sb->s_root = root ? d_make_root(root) : NULL;
	if (!sb->s_root) {
		kfree(sb->s_fs_info);
		kill_anon_super(sb);
		return ERR_PTR(-ENOMEM);
	}
	return dget(sb->s_root);
}

static void ramfs_kill_sb(struct super_block *sb)
{
	struct ramfs_sb_info *info = RAMFS_SB(sb);

	kill_litter_super(sb);	/* the last inodes go here, and count down in info */
	kfree(info);
}

static struct dentry *ramfs_mount(struct file_system_type *type, const char *dev_name,
				  const char *data)
{
	return ramfs_fill_super(type, RAMFS_MAGIC, &ramfs_ops, 0755, data);
}

static struct dentry *tmpfs_mount(struct file_system_type *type, const char *dev_name,
				  const char *data)
{
	return ramfs_fill_super(type, TMPFS_MAGIC, &tmpfs_ops, 01777, data);
}

static struct file_system_type ramfs_fs_type = {
	.name = "ramfs",
	.mount = ramfs_mount,
	.kill_sb = ramfs_kill_sb,
};

static struct file_system_type tmpfs_fs_type = {
	.name = "tmpfs",
	.mount = tmpfs_mount,
	.kill_sb = ramfs_kill_sb,
};

void init_ramfs_fs(void)
{
	register_filesystem(&ramfs_fs_type);
	register_filesystem(&tmpfs_fs_type);
}
