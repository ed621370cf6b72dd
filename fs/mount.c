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
#include <kairos/mm.h>
#include <kairos/slab.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include <uapi/mount.h>
#include <kairos/seq_file.h>
#include <kairos/proc_ns.h>
#include "internal.h"

static DEFINE_MUTEX(namespace_sem);
static DEFINE_SPINLOCK(mount_lock);
static LIST_HEAD(mount_list);		/* newest first: the top of a stack of mounts */
static atomic_t last_mnt_id;
static struct vfsmount *root_mnt;	/* rootfs: never unmounted */

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
	kfree(mnt->mnt_devname);
	kfree(mnt);
	sb->s_type->kill_sb(sb);
}

/* A new instance of type, mounted nowhere yet: one reference, for the caller. */
struct vfsmount *vfs_kern_mount(struct file_system_type *type, const char *dev_name,
				const char *data)
{
	struct vfsmount *mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);
	size_t len = strlen(dev_name ? dev_name : "none") + 1;
	struct dentry *root;

	if (mnt)
		mnt->mnt_devname = kmalloc(len, GFP_KERNEL);
	if (!mnt || !mnt->mnt_devname) {
		kfree(mnt);
		return ERR_PTR(-ENOMEM);
	}
	memcpy(mnt->mnt_devname, dev_name ? dev_name : "none", len);
	root = type->mount(type, dev_name, data);
	if (IS_ERR(root)) {
		kfree(mnt->mnt_devname);
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

/* A new instance of type over path, which must be a directory. */
static int do_new_mount(const struct path *path, const char *type, const char *dev_name,
			const char *data)
{
	struct file_system_type *fstype;
	struct vfsmount *mnt;
	struct inode *dir;
	int err;

	if (!type)
		return -EINVAL;
	fstype = get_fs_type(type);
	if (!fstype)
		return -ENODEV;
	if (!d_is_dir(path->dentry))
		return -ENOTDIR;
	mnt = vfs_kern_mount(fstype, dev_name, data);
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);

	mutex_lock(&namespace_sem);
	dir = path->dentry->d_inode;
	/* Locked against rmdir, which checks for mounts under the same lock. */
	inode_lock(dir);
	if (IS_DEADDIR(dir)) {
		err = -ENOENT;
	} else {
		spin_lock(&mount_lock);
		mnt->mnt_parent = mntget(path->mnt);
		mnt->mnt_mountpoint = dget(path->dentry);
		path->dentry->d_mounted++;
		list_add(&mnt->mnt_list, &mount_list);
		spin_unlock(&mount_lock);
		err = 0;
	}
	inode_unlock(dir);
	mutex_unlock(&namespace_sem);
	if (err)
		mntput(mnt);	/* on success, vfs_kern_mount's reference is the attachment's */
	return err;
}

int do_mount(const struct vfs_ctx *ctx, const char *dev_name, const char *dir_name,
	     const char *type, const char *data)
{
	struct path path;
	int err = kern_path(ctx, dir_name, LOOKUP_FOLLOW, &path);

	if (err)
		return err;
	err = do_new_mount(&path, type, dev_name, data);
	path_put(&path);
	return err;
}

static bool is_descendant(const struct vfsmount *mnt, const struct vfsmount *ancestor)
{
	for (; mnt; mnt = mnt->mnt_parent)
		if (mnt == ancestor)
			return true;
	return false;
}

/* Detaching is the mount's last reference from the tree; mount_lock held. */
static void detach_mnt(struct vfsmount *mnt, struct list_head *dead)
{
	mnt->mnt_mountpoint->d_mounted--;
	list_del(&mnt->mnt_list);
	list_add(&mnt->mnt_list, dead);
}

/* Drops what detached mounts held: their mountpoints, parents and attachments. */
static void release_detached(struct list_head *dead)
{
	struct vfsmount *mnt, *next;

	list_for_each_entry_safe(mnt, next, dead, mnt_list) {
		struct vfsmount *parent = mnt->mnt_parent;
		struct dentry *mountpoint = mnt->mnt_mountpoint;

		spin_lock(&mount_lock);
		list_del_init(&mnt->mnt_list);
		mnt->mnt_parent = NULL;
		mnt->mnt_mountpoint = NULL;
		spin_unlock(&mount_lock);
		dput(mountpoint);
		mntput(parent);
		mntput(mnt);
	}
}

/*
 * Unmounts the mount whose root path is. Busy (EBUSY) while anything but the tree and
 * the caller's path refers to it, mounts below included; MNT_DETACH takes it and
 * everything mounted below out of the tree anyway, to go when the last user lets go.
 * MNT_EXPIRE unmounts only at the second call (the first marks it, EAGAIN). The root
 * cannot go (EBUSY); what is not a mount in the tree is EINVAL.
 */
static int path_umount(const struct path *path, int flags)
{
	struct vfsmount *mnt = path->mnt, *m, *next;
	LIST_HEAD(dead);
	int err = 0;

	if (path->dentry != mnt->mnt_root)
		return -EINVAL;
	if (mnt == root_mnt)
		return -EBUSY;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	mutex_lock(&namespace_sem);
	spin_lock(&mount_lock);
	if (!mnt->mnt_parent) {
		err = -EINVAL;		/* not in the tree */
	} else if (flags & MNT_DETACH) {
		list_for_each_entry_safe(m, next, &mount_list, mnt_list)
			if (is_descendant(m, mnt))
				detach_mnt(m, &dead);
	} else if (atomic_read(&mnt->mnt_count) > 2) {
		err = -EBUSY;		/* in use (beyond attached and our path), or mounts below */
	} else if ((flags & MNT_EXPIRE) && !mnt->mnt_expiry_mark) {
		mnt->mnt_expiry_mark = true;
		err = -EAGAIN;
	} else {
		detach_mnt(mnt, &dead);
	}
	spin_unlock(&mount_lock);
	mutex_unlock(&namespace_sem);
	release_detached(&dead);
	return err;
}

int do_umount(const struct vfs_ctx *ctx, const char *name)
{
	struct path path;
	int err = kern_path(ctx, name, LOOKUP_FOLLOW, &path);

	if (err)
		return err;
	err = path_umount(&path, 0);
	path_put(&path);
	return err;
}

/* A string argument of mount(2), or NULL for a NULL pointer. */
static char *copy_mount_string(const void __user *data)
{
	return data ? getname_flags(data, true) : NULL;
}

/*
 * Mount options: up to a page, as much of it as can be read (the string may end just
 * before unmapped memory), NUL-terminated.
 */
static char *copy_mount_options(const void __user *data)
{
	char *copy;
	size_t size = PAGE_SIZE - ((unsigned long)data & ~PAGE_MASK), left;

	if (!data)
		return NULL;
	copy = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!copy)
		return ERR_PTR(-ENOMEM);
	/* The rest of the page holding data, then the next page if that can be read. */
	left = copy_from_user(copy, data, size);
	if (left == size) {
		kfree(copy);
		return ERR_PTR(-EFAULT);
	}
	if (!left && size < PAGE_SIZE)
		copy_from_user(copy + size, (const char __user *)data + size, PAGE_SIZE - size);
	copy[PAGE_SIZE - 1] = '\0';
	return copy;
}

/*
 * New mounts of ramfs, tmpfs and the proc stand-in; remounts and propagation changes
 * are accepted and change nothing (every mount is private, read-write). Bind and move
 * mounts are not supported (EINVAL).
 */
static int path_mount(const char *dev_name, const struct path *path, const char *type,
		      unsigned long flags, const char *data)
{
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (flags & MS_NOUSER)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (flags & (MS_REMOUNT | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE))
		return path->dentry == path->mnt->mnt_root ? 0 : -EINVAL;
	if (flags & (MS_BIND | MS_MOVE))
		return -EINVAL;
	return do_new_mount(path, type, dev_name, data);
}

SYSCALL_DEFINE5(mount, char __user *, dev_name, char __user *, dir_name,
		char __user *, type, unsigned long, flags, void __user *, data)
{
	char *kernel_type, *kernel_dev, *options = NULL;
	struct vfs_ctx ctx;
	struct path path;
	int err;

	kernel_type = copy_mount_string(type);
	if (IS_ERR(kernel_type))
		return PTR_ERR(kernel_type);
	kernel_dev = copy_mount_string(dev_name);
	err = PTR_ERR(kernel_dev);
	if (IS_ERR(kernel_dev))
		goto out_type;
	options = copy_mount_options(data);
	err = PTR_ERR(options);
	if (IS_ERR(options))
		goto out_dev;
	err = user_path_at(AT_FDCWD, dir_name, LOOKUP_FOLLOW, &ctx, &path);
	if (!err) {
		err = path_mount(kernel_dev, &path, kernel_type, flags, options);
		path_put(&path);
		put_vfs_ctx(&ctx);
	}
	kfree(options);
out_dev:
	putname(kernel_dev);
out_type:
	putname(kernel_type);
	return err;
}

SYSCALL_DEFINE2(umount2, char __user *, name, int, flags)
{
	unsigned int lookup = (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	struct vfs_ctx ctx;
	struct path path;
	int err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	err = user_path_at(AT_FDCWD, name, lookup, &ctx, &path);
	if (err)
		return err;
	err = capable(CAP_SYS_ADMIN) ? path_umount(&path, flags) : -EPERM;
	path_put(&path);
	put_vfs_ctx(&ctx);
	return err;
}

static void show_vfsmnt(struct seq_file *m, struct vfsmount *mnt, char *buf)
{
	struct path mnt_path = { mnt, mnt->mnt_root };
	char *path = d_path(&mnt_path, buf, PATH_MAX);

	if (IS_ERR(path))
		return;
	/* Every mount is read-write and relatime (the flags are not kept). */
	seq_printf(m, "%s %s %s rw,relatime 0 0\n", mnt->mnt_devname, path,
		   mnt->mnt_sb->s_type->name);
}

/*
 * A mountinfo line: ids (the root mount is its own parent), the device, the mount's root
 * in its file system (always "/": there are no bind mounts), where it is, options (not
 * kept: rw,relatime), no propagation fields (every mount is private), type, source, and
 * the super block's options (rw).
 */
static void show_mountinfo(struct seq_file *m, struct vfsmount *mnt, char *buf)
{
	struct path mnt_path = { mnt, mnt->mnt_root };
	struct vfsmount *parent = mnt->mnt_parent ?: mnt;
	dev_t dev = mnt->mnt_sb->s_dev;
	char *path = d_path(&mnt_path, buf, PATH_MAX);

	if (IS_ERR(path))
		return;
	seq_printf(m, "%d %d %u:%u / %s rw,relatime - %s %s rw\n", mnt->mnt_id, parent->mnt_id,
		   MAJOR(dev), MINOR(dev), path, mnt->mnt_sb->s_type->name, mnt->mnt_devname);
}

int show_mounts(struct seq_file *m, bool mountinfo)
{
	void (*show)(struct seq_file *m, struct vfsmount *mnt, char *buf) =
		mountinfo ? show_mountinfo : show_vfsmnt;
	struct vfsmount *mnt;
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	mutex_lock(&namespace_sem);
	show(m, root_mnt, buf);
	list_for_each_entry_reverse(mnt, &mount_list, mnt_list)
		show(m, mnt, buf);
	mutex_unlock(&namespace_sem);
	kfree(buf);
	return 0;
}

void mnt_init(void)
{
	struct vfsmount *mnt;

	init_ramfs_fs();
	init_pipe_fs();
	init_nsfs();
	init_proc_fs();
	chr_dev_init();
	mnt = vfs_kern_mount(get_fs_type("ramfs"), "rootfs", NULL);
	if (IS_ERR(mnt))
		panic("Can't create rootfs: %ld", PTR_ERR(mnt));
	/*
	 * init_task's fs_struct, shared with kernel_init (which execs init) and kthreads:
	 * its root takes over vfs_kern_mount's reference, its cwd has its own.
	 */
	root_mnt = mnt;
	init_fs.root = (struct path){ mnt, dget(mnt->mnt_root) };
	init_fs.pwd = init_fs.root;
	path_get(&init_fs.pwd);
}
