// SPDX-License-Identifier: MIT
/*
 * Mounts. Every attached mount is on mount_list with its parent mount and the dentry it
 * covers; the dentry counts the mounts on it (d_mounted), so a path walk looks in the
 * list only at mountpoints. A mount holds references to its parent mount and its
 * mountpoint; being attached is one reference to the mount itself, every path into it
 * another, which is how umount tells a busy mount.
 */
#include <kairos/bug.h>
#include <kairos/printk.h>
#include <kairos/slab.h>
#include "internal.h"

static DEFINE_MUTEX(namespace_sem);
static DEFINE_SPINLOCK(mount_lock);
static LIST_HEAD(mount_list);		/* newest first: the top of a stack of mounts */
static atomic_t last_mnt_id;

struct vfs_ctx init_fs_ctx = { .umask = 0022 };

struct vfsmount *mntget(struct vfsmount *mnt)
{
	atomic_inc(&mnt->mnt_count);
	return mnt;
}

/* The last reference to a detached mount ends its file system instance. */
void mntput(struct vfsmount *mnt)
{
	struct super_block *sb;

	if (!atomic_dec_and_test(&mnt->mnt_count))
		return;
	sb = mnt->mnt_sb;
	dput(mnt->mnt_root);
	kfree(mnt);
	sb->s_type->kill_sb(sb);
}

/* A new instance of type, mounted nowhere yet: one reference, for the caller. */
struct vfsmount *vfs_kern_mount(struct file_system_type *type, const char *dev_name,
				const char *data)
{
	struct vfsmount *mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);
	struct dentry *root;

	if (!mnt)
		return ERR_PTR(-ENOMEM);
	root = type->mount(type, dev_name, data);
	if (IS_ERR(root)) {
		kfree(mnt);
		return ERR_PTR(PTR_ERR(root));
	}
	mnt->mnt_root = root;
	mnt->mnt_sb = root->d_sb;
	atomic_set(&mnt->mnt_count, 1);
	mnt->mnt_id = atomic_inc_return(&last_mnt_id);
	INIT_LIST_HEAD(&mnt->mnt_list);
	return mnt;
}

void kern_unmount(struct vfsmount *mnt)
{
	mntput(mnt);
}

/* The mount on top of path, if any, with a reference. */
static struct vfsmount *lookup_mnt(const struct path *path)
{
	struct vfsmount *mnt, *found = NULL;

	spin_lock(&mount_lock);
	list_for_each_entry(mnt, &mount_list, mnt_list) {
		if (mnt->mnt_parent == path->mnt && mnt->mnt_mountpoint == path->dentry) {
			found = mntget(mnt);
			break;
		}
	}
	spin_unlock(&mount_lock);
	return found;
}

/* From a mountpoint to the root of what is mounted there, through stacked mounts. */
void follow_mount(struct path *path)
{
	while (d_mountpoint(path->dentry)) {
		struct vfsmount *mnt = lookup_mnt(path);

		if (!mnt)
			break;
		path_put(path);
		path->mnt = mnt;
		path->dentry = dget(mnt->mnt_root);
	}
}

/* From a mount's root to the dentry it covers; false at the top. */
bool follow_up(struct path *path)
{
	struct vfsmount *parent;
	struct dentry *mountpoint;

	spin_lock(&mount_lock);
	parent = path->mnt->mnt_parent;
	if (!parent) {
		spin_unlock(&mount_lock);
		return false;
	}
	mntget(parent);
	mountpoint = dget(path->mnt->mnt_mountpoint);
	spin_unlock(&mount_lock);
	path_put(path);
	path->mnt = parent;
	path->dentry = mountpoint;
	return true;
}

int do_mount(const struct vfs_ctx *ctx, const char *dev_name, const char *dir_name,
	     const char *type, const char *data)
{
	struct file_system_type *fstype = get_fs_type(type);
	struct vfsmount *mnt;
	struct inode *dir;
	struct path path;
	int err;

	if (!fstype)
		return -ENODEV;
	err = kern_path(ctx, dir_name, LOOKUP_FOLLOW, &path);
	if (err)
		return err;
	err = -ENOTDIR;
	if (!d_is_dir(path.dentry))
		goto out;
	mnt = vfs_kern_mount(fstype, dev_name, data);
	err = PTR_ERR(mnt);
	if (IS_ERR(mnt))
		goto out;

	mutex_lock(&namespace_sem);
	dir = path.dentry->d_inode;
	/* Locked against rmdir, which checks for mounts under the same lock. */
	inode_lock(dir);
	if (IS_DEADDIR(dir)) {
		err = -ENOENT;
	} else {
		spin_lock(&mount_lock);
		mnt->mnt_parent = mntget(path.mnt);
		mnt->mnt_mountpoint = dget(path.dentry);
		path.dentry->d_mounted++;
		list_add(&mnt->mnt_list, &mount_list);
		spin_unlock(&mount_lock);
		err = 0;
	}
	inode_unlock(dir);
	mutex_unlock(&namespace_sem);
	if (err)
		mntput(mnt);	/* on success, vfs_kern_mount's reference is the attachment's */
out:
	path_put(&path);
	return err;
}

int do_umount(const struct vfs_ctx *ctx, const char *name)
{
	struct vfsmount *mnt, *parent = NULL;
	struct dentry *mountpoint = NULL;
	struct path path;
	int err;

	err = kern_path(ctx, name, LOOKUP_FOLLOW, &path);
	if (err)
		return err;
	mnt = path.mnt;
	mutex_lock(&namespace_sem);
	spin_lock(&mount_lock);
	if (path.dentry != mnt->mnt_root || !mnt->mnt_parent) {
		err = -EINVAL;		/* not a mount, or the root */
	} else if (atomic_read(&mnt->mnt_count) > 2) {
		err = -EBUSY;		/* in use (beyond attached and our path), or mounts below */
	} else {
		parent = mnt->mnt_parent;
		mountpoint = mnt->mnt_mountpoint;
		mountpoint->d_mounted--;
		mnt->mnt_parent = NULL;
		mnt->mnt_mountpoint = NULL;
		list_del_init(&mnt->mnt_list);
	}
	spin_unlock(&mount_lock);
	mutex_unlock(&namespace_sem);
	path_put(&path);
	if (!err) {
		dput(mountpoint);
		mntput(parent);
		mntput(mnt);		/* the attachment's reference: the last */
	}
	return err;
}

void mnt_init(void)
{
	struct vfsmount *mnt;

	init_ramfs_fs();
	mnt = vfs_kern_mount(get_fs_type("ramfs"), "rootfs", NULL);
	if (IS_ERR(mnt))
		panic("Can't create rootfs: %ld", PTR_ERR(mnt));
	/* That reference is never dropped: the root mount stays. */
	init_fs_ctx.root.mnt = init_fs_ctx.pwd.mnt = mnt;
	init_fs_ctx.root.dentry = init_fs_ctx.pwd.dentry = mnt->mnt_root;
	path_get(&init_fs_ctx.root);
	path_get(&init_fs_ctx.pwd);
	/* init_task's fs_struct, shared with kernel_init (which execs init) and kthreads. */
	init_fs.root = init_fs.pwd = init_fs_ctx.root;
	path_get(&init_fs.root);
	path_get(&init_fs.pwd);
}
