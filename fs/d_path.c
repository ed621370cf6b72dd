// SPDX-License-Identifier: MIT
/* Paths as names: getcwd(2). */
#include <kairos/slab.h>
#include <kairos/sprintf.h>
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
 * path's name as the caller sees it, at the end of buf: a path outside the caller's
 * root from the top, an unlinked file's with " (deleted)" after it, a file in no
 * directory (a pipe) as "pipe:[inode]". ERR_PTR(-ENAMETOOLONG) if buf is too small.
 */
char *d_path(const struct path *path, char *buf, int buflen)
{
	static const char deleted[] = " (deleted)";
	struct dentry *dentry = path->dentry;
	struct fs_struct *fs = current->fs;
	struct path root;
	char *p = buf + buflen;
	int err;

	if (dentry->d_parent == dentry && dentry != path->mnt->mnt_root) {
		int len = snprintf(buf, buflen, "%s[%lu]", dentry->d_name.name,
				   dentry->d_inode->i_ino);

		return len < buflen ? buf : ERR_PTR(-ENAMETOOLONG);
	}
	if (buflen < 1)
		return ERR_PTR(-ENAMETOOLONG);
	*--p = '\0';
	if (d_unlinked(dentry)) {
		if (p - buf < (long)sizeof(deleted) - 1)
			return ERR_PTR(-ENAMETOOLONG);
		p -= sizeof(deleted) - 1;
		memcpy(p, deleted, sizeof(deleted) - 1);
	}
	spin_lock(&fs->lock);
	root = fs->root;
	path_get(&root);
	spin_unlock(&fs->lock);
	err = prepend_path(path, &root, &p, buf);
	path_put(&root);
	return err < 0 ? ERR_PTR(err) : p;
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
