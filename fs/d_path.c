// SPDX-License-Identifier: MIT
/* Paths as names: getcwd(2). */
#include <kairos/slab.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include "internal.h"

/* Puts "/name" before *p, which must stay at or after start. */
static int prepend_name(char **p, const char *start, const struct dentry *dentry)
{
	unsigned int len = dentry->d_name.len;

	if (*p - start < len + 1)
		return -ENAMETOOLONG;
	*p -= len;
	memcpy(*p, dentry->d_name.name, len);
	*--*p = '/';
	return 0;
}

/*
 * The name of path seen from root, built backwards from *p: up the dentries, and from
 * each mount's root to where it is mounted. 1 if the walk ended at the top without
 * meeting root (the path is outside it), else 0 or -ENAMETOOLONG.
 */
static int prepend_path(const struct path *path, const struct path *root, char **p,
			const char *start)
{
	struct path cur = *path;
	char *end = *p;
	int err = 0;

	path_get(&cur);
	while (!path_equal(&cur, root)) {
		struct dentry *parent;

		if (cur.dentry == cur.mnt->mnt_root) {
			if (!follow_up(&cur)) {
				err = 1;
				break;
			}
			continue;
		}
		spin_lock(&dcache_lock);	/* a rename changes names and parents under it */
		err = prepend_name(p, start, cur.dentry);
		parent = dget(cur.dentry->d_parent);
		spin_unlock(&dcache_lock);
		dput(cur.dentry);
		cur.dentry = parent;
		if (err)
			break;
	}
	path_put(&cur);
	if (err >= 0 && *p == end) {
		if (*p == start)
			return -ENAMETOOLONG;
		*--*p = '/';
	}
	return err;
}

/* Removed from its directory, and not a root. */
static bool d_unlinked(struct dentry *dentry)
{
	bool unlinked;

	spin_lock(&dcache_lock);
	unlinked = !(dentry->d_flags & DCACHE_HASHED) && dentry->d_parent != dentry;
	spin_unlock(&dcache_lock);
	return unlinked;
}

/*
 * The length with the NUL, or ERANGE if size cannot hold it; ENOENT once the cwd was
 * removed. A cwd outside the root (after chroot) reads "(unreachable)/..." from the top.
 */
SYSCALL_DEFINE2(getcwd, char __user *, buf, unsigned long, size)
{
	static const char unreachable[] = "(unreachable)";
	struct vfs_ctx ctx;
	char *page, *p;
	long err;

	page = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	get_current_vfs_ctx(&ctx);
	p = page + PATH_MAX;
	*--p = '\0';
	if (d_unlinked(ctx.pwd.dentry)) {
		err = -ENOENT;
		goto out;
	}
	err = prepend_path(&ctx.pwd, &ctx.root, &p, page);
	if (err > 0) {
		err = p - page < (long)sizeof(unreachable) - 1 ? -ENAMETOOLONG : 0;
		if (!err) {
			p -= sizeof(unreachable) - 1;
			memcpy(p, unreachable, sizeof(unreachable) - 1);
		}
	}
	if (!err) {
		long len = page + PATH_MAX - p;

		if ((unsigned long)len > size)
			err = -ERANGE;
		else
			err = copy_to_user(buf, p, len) ? -EFAULT : len;
	}
out:
	put_vfs_ctx(&ctx);
	kfree(page);
	return err;
}
