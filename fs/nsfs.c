// SPDX-License-Identifier: MIT
/*
 * nsfs: the inodes namespaces are seen as. Following /proc/PID/ns/NAME lands on one
 * (ns_get_path, then nd_jump_link): its number is the namespace's, the same for every
 * process in it, and its device is this file system's, so st_dev/st_ino compare
 * namespaces as on Linux. An inode holds a reference to its namespace until the last
 * path or open file on it goes. Nothing is cached: each follow makes a new dentry
 * ("pid:[N]", d_path's name for a dentry in no directory).
 */
#include <kairos/bug.h>
#include <kairos/proc_ns.h>
#include <kairos/slab.h>
#include <kairos/sprintf.h>
#include <uapi/magic.h>
#include "internal.h"

static struct vfsmount *nsfs_mnt;
static atomic_t ns_last_inum = ATOMIC_INIT((int)(PROC_DYNAMIC_FIRST - 1));

/* Numbers are not reused (Linux's IDA does): 2^28 namespaces before ENOSPC. */
int ns_alloc_inum(struct ns_common *ns)
{
	unsigned int inum = (unsigned int)atomic_inc_return(&ns_last_inum);

	if (inum < PROC_DYNAMIC_FIRST) {
		atomic_set(&ns_last_inum, -1);	/* stays exhausted */
		return -ENOSPC;
	}
	ns->inum = inum;
	return 0;
}

/* No read or write: such calls fail with EINVAL, as on Linux. */
static const struct file_operations ns_file_operations = {};

static void nsfs_destroy_inode(struct inode *inode)
{
	struct ns_common *ns = inode->i_private;

	if (ns)
		ns->ops->put(ns);
	kfree(inode);
}

static const struct super_operations nsfs_ops = {
	.destroy_inode = nsfs_destroy_inode,
};

int ns_get_path(struct path *path, struct task_struct *task,
		const struct proc_ns_operations *ns_ops)
{
	struct ns_common *ns = ns_ops->get(task);
	struct dentry *dentry;
	struct inode *inode;
	char name[16];

	if (!ns)
		return -ENOENT;
	inode = new_inode(nsfs_mnt->mnt_sb);
	if (!inode) {
		ns_ops->put(ns);
		return -ENOMEM;
	}
	inode->i_ino = ns->inum;
	inode->i_mode = S_IFREG | 0444;
	inode->i_fop = &ns_file_operations;
	inode->i_private = ns;
	snprintf(name, sizeof(name), "%s:", ns->ops->name);
	dentry = d_make_pseudo(inode, name);
	if (!dentry)
		return -ENOMEM;
	*path = (struct path){ mntget(nsfs_mnt), dentry };
	return 0;
}

int ns_get_name(char *buf, size_t size, struct task_struct *task,
		const struct proc_ns_operations *ns_ops)
{
	struct ns_common *ns = ns_ops->get(task);
	int len;

	if (!ns)
		return -ENOENT;
	len = snprintf(buf, size, "%s:[%u]", ns_ops->real_ns_name ?: ns_ops->name, ns->inum);
	ns_ops->put(ns);
	return len;
}

struct ns_common *proc_ns_file_ns(const struct file *file)
{
	return file->f_op == &ns_file_operations ? file->f_inode->i_private : NULL;
}

static struct dentry *nsfs_mount(struct file_system_type *type, const char *dev_name,
				 const char *data)
{
	return mount_pseudo(type, NSFS_MAGIC, &nsfs_ops);
}

/* Mounted once, internally, as pipefs. */
static struct file_system_type nsfs_type = {
	.name = "nsfs",
	.mount = nsfs_mount,
	.kill_sb = kill_litter_super,
};

void init_nsfs(void)
{
	nsfs_mnt = vfs_kern_mount(&nsfs_type, "nsfs", NULL);
	if (IS_ERR(nsfs_mnt))
		panic("Can't mount nsfs: %ld", PTR_ERR(nsfs_mnt));
}
