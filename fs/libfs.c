// SPDX-License-Identifier: MIT
/*
 * Helpers for file systems whose directories are their dentries (ramfs): every name
 * is a dentry pinned by an extra reference from creation to removal, so directory
 * operations are dentry tree operations and readdir walks the children.
 */
#include <kairos/slab.h>
#include "internal.h"

/* The tree holds every name: a miss means there is none. */
int simple_lookup(struct inode *dir, struct dentry *dentry)
{
	return dentry->d_name.len > NAME_MAX ? -ENAMETOOLONG : 0;
}

/* Callers hold dir's i_mutex and the inode's. */
int simple_link(struct dentry *old, struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = old->d_inode;

	inode->i_ctime = dir->i_ctime = dir->i_mtime = current_time(inode);
	inc_nlink(inode);
	ihold(inode);
	d_add(dentry, inode);
	dget(dentry);		/* the pin */
	return 0;
}

bool simple_empty(struct dentry *dentry)
{
	bool empty;

	spin_lock(&dcache_lock);
	empty = list_empty(&dentry->d_subdirs);
	spin_unlock(&dcache_lock);
	return empty;
}

int simple_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;

	inode->i_ctime = dir->i_ctime = dir->i_mtime = current_time(inode);
	drop_nlink(inode);
	d_drop(dentry);
	dput(dentry);		/* the pin: the caller still holds the dentry */
	return 0;
}

int simple_rmdir(struct inode *dir, struct dentry *dentry)
{
	if (!simple_empty(dentry))
		return -ENOTEMPTY;
	drop_nlink(dentry->d_inode);	/* its "." */
	simple_unlink(dir, dentry);
	drop_nlink(dir);		/* its ".." */
	return 0;
}

/*
 * Directory link counts follow "..": a directory moved between parents moves one link
 * from the old parent to the new, and a directory replaced takes its ".." with it.
 */
int simple_rename(struct inode *old_dir, struct dentry *old_dentry, struct inode *new_dir,
		  struct dentry *new_dentry, unsigned int flags)
{
	bool they_are_dirs = d_is_dir(old_dentry);
	struct timespec64 now = current_time(old_dir);

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	if (new_dentry->d_inode) {
		if (they_are_dirs && !simple_empty(new_dentry))
			return -ENOTEMPTY;
		simple_unlink(new_dir, new_dentry);
		if (they_are_dirs) {
			drop_nlink(new_dentry->d_inode);
			drop_nlink(old_dir);
		}
	} else if (they_are_dirs) {
		drop_nlink(old_dir);
		inc_nlink(new_dir);
	}
	old_dir->i_ctime = old_dir->i_mtime = now;
	new_dir->i_ctime = new_dir->i_mtime = now;
	old_dentry->d_inode->i_ctime = now;
	return 0;
}

const char *simple_get_link(struct dentry *dentry, struct inode *inode,
			    struct delayed_call *done)
{
	return inode->i_link;
}

void kfree_link(void *p)
{
	kfree(p);
}

/* notify_change() checked the caller and filled in the times. */
void setattr_copy(struct inode *inode, const struct iattr *attr)
{
	unsigned int valid = attr->ia_valid;

	if (valid & ATTR_UID)
		inode->i_uid = attr->ia_uid;
	if (valid & ATTR_GID)
		inode->i_gid = attr->ia_gid;
	if (valid & ATTR_MODE)
		inode->i_mode = attr->ia_mode;
	if (valid & ATTR_ATIME)
		inode->i_atime = attr->ia_atime;
	if (valid & ATTR_MTIME)
		inode->i_mtime = attr->ia_mtime;
	if (valid & ATTR_CTIME)
		inode->i_ctime = attr->ia_ctime;
}

static unsigned int dt_type(const struct inode *inode)
{
	return (inode->i_mode >> 12) & 15;
}

/*
 * Positions: 0 is ".", 1 is "..", a child is at its d_index, handed out in increasing
 * order as entries are added, so a position stays meaningful when entries come and go
 * between two getdents calls. The caller holds the directory's i_mutex, under which
 * every change to its children happens: the list stays put while the actor runs.
 */
int dcache_readdir(struct file *file, struct dir_context *ctx)
{
	struct dentry *dir = file->f_path.dentry, *child;
	u64 ino;

	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 1, dir->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		spin_lock(&dcache_lock);
		ino = dir->d_parent->d_inode->i_ino;
		spin_unlock(&dcache_lock);
		if (!ctx->actor(ctx, "..", 2, 2, ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	list_for_each_entry(child, &dir->d_subdirs, d_child) {
		if (child->d_index < ctx->pos)
			continue;
		if (!ctx->actor(ctx, child->d_name.name, child->d_name.len, child->d_index + 1,
				child->d_inode->i_ino, dt_type(child->d_inode)))
			break;
		ctx->pos = child->d_index + 1;
	}
	return 0;
}

loff_t dcache_dir_lseek(struct file *file, loff_t offset, int whence)
{
	switch (whence) {
	case SEEK_CUR:
		if (__builtin_add_overflow(offset, file->f_pos, &offset))
			return -EINVAL;
		fallthrough;
	case SEEK_SET:
		if (offset >= 0)
			break;
		fallthrough;
	default:
		return -EINVAL;
	}
	file->f_pos = offset;
	return offset;
}

ssize_t generic_read_dir(struct file *file, struct iov_iter *to, loff_t *pos)
{
	return -EISDIR;
}

/* Memory is as stable as it gets. */
int noop_fsync(struct file *file, int datasync)
{
	return 0;
}

const struct file_operations simple_dir_operations = {
	.llseek = dcache_dir_lseek,
	.read_iter = generic_read_dir,
	.iterate = dcache_readdir,
	.fsync = noop_fsync,
};

/*
 * Drops the pin of every name below root, children first, without recursion: each
 * dentry freed drops its parent's child reference, and the walk climbs back to it.
 */
static void d_genocide(struct dentry *root)
{
	struct dentry *dentry = root;

	for (;;) {
		struct dentry *parent;

		spin_lock(&dcache_lock);
		if (!list_empty(&dentry->d_subdirs)) {
			dentry = list_first_entry(&dentry->d_subdirs, struct dentry, d_child);
			spin_unlock(&dcache_lock);
			continue;
		}
		if (dentry == root) {
			spin_unlock(&dcache_lock);
			return;
		}
		parent = dentry->d_parent;
		list_del_init(&dentry->d_child);
		dentry->d_flags &= ~DCACHE_HASHED;
		spin_unlock(&dcache_lock);
		dput(dentry);
		dentry = parent;
	}
}

const struct inode_operations simple_dir_inode_operations = {
	.lookup = simple_lookup,
};

/*
 * A new instance of a file system whose root is an empty directory nobody can add to:
 * pipefs, or a stand-in (proc, until it exists). kill_litter_super() ends it.
 */
struct dentry *mount_pseudo(struct file_system_type *type, unsigned long magic,
			    const struct super_operations *ops)
{
	struct super_block *sb = sget_anon(type);
	struct inode *root;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_magic = magic;
	sb->s_op = ops;
	root = new_inode(sb);
	if (root) {
		root->i_mode = S_IFDIR | 0555;
		inc_nlink(root);
		root->i_op = &simple_dir_inode_operations;
		root->i_fop = &simple_dir_operations;
		sb->s_root = d_make_root(root);
	}
	if (!sb->s_root) {
		kill_anon_super(sb);
		return ERR_PTR(-ENOMEM);
	}
	return dget(sb->s_root);
}

/* For file systems that pin their dentries: unpin everything, then free the sb. */
void kill_litter_super(struct super_block *sb)
{
	d_genocide(sb->s_root);
	dput(sb->s_root);
	kill_anon_super(sb);
}
