// SPDX-License-Identifier: MIT
/*
 * Name resolution and the operations on names.
 *
 * A walk holds a referenced path to the directory it is in. Each component is checked
 * for search permission, looked up (the directory's children first, then the file
 * system, under the directory's i_mutex), and stepped onto, crossing into whatever is
 * mounted there. A symlink to follow is replaced by its target: in the middle of a name
 * the target is walked first and the rest of the name waits on a stack. At most
 * MAXSYMLINKS links are followed per walk, and every link stays referenced until the
 * walk ends, since the names being walked live in them.
 *
 * Errors are Linux's, in Linux's order: a missing component is ENOENT, a non-directory
 * in the middle ENOTDIR, a component over NAME_MAX or a name of PATH_MAX ENAMETOOLONG,
 * a directory without search permission EACCES, too many links ELOOP.
 */
#include <kairos/slab.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include "internal.h"

enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

struct nd_stack {
	const char *rest[MAXSYMLINKS];	/* where a name goes on after a link's target */
	struct path link[MAXSYMLINKS];	/* every link followed */
	struct delayed_call done[MAXSYMLINKS];	/* and what to do when its target is done */
};

struct nameidata {
	const struct vfs_ctx *ctx;
	struct path path;		/* where the walk is */
	struct qstr last;		/* the last component; what follows it tells a
					 * trailing slash ('/') from the end ('\0') */
	int last_type;
	unsigned int flags;		/* LOOKUP_* */
	unsigned int total_link_count;
	struct nd_stack *stack;		/* allocated at the first link */
};

static void nd_init(struct nameidata *nd, const struct vfs_ctx *ctx, unsigned int flags)
{
	nd->ctx = ctx;
	nd->path = ctx->pwd;
	path_get(&nd->path);
	nd->flags = flags;
	nd->total_link_count = 0;
	nd->stack = NULL;
	nd->last_type = LAST_ROOT;
}

/* nd->last may point into a link: not to be used after this. */
static void drop_links(struct nameidata *nd)
{
	for (unsigned int i = 0; i < nd->total_link_count; i++) {
		do_delayed_call(&nd->stack->done[i]);
		path_put(&nd->stack->link[i]);
	}
	kfree(nd->stack);
	nd->stack = NULL;
	nd->total_link_count = 0;
}

static void terminate_walk(struct nameidata *nd)
{
	drop_links(nd);
	path_put(&nd->path);
}

/* As getname() checks what user space passes. */
static int check_name(const char *name)
{
	size_t len = strnlen(name, PATH_MAX);

	if (!len)
		return -ENOENT;
	return len == PATH_MAX ? -ENAMETOOLONG : 0;
}

static void nd_jump_root(struct nameidata *nd)
{
	path_put(&nd->path);
	nd->path = nd->ctx->root;
	path_get(&nd->path);
}

/* ".." never leaves the caller's root; at a mount's root it is taken in the parent. */
static void follow_dotdot(struct nameidata *nd)
{
	while (!path_equal(&nd->path, &nd->ctx->root)) {
		if (nd->path.dentry != nd->path.mnt->mnt_root) {
			struct dentry *parent = dget_parent(nd->path.dentry);

			dput(nd->path.dentry);
			nd->path.dentry = parent;
			break;
		}
		if (!follow_up(&nd->path))
			break;
	}
	follow_mount(&nd->path);
}

/*
 * A cached child, unless the file system says it no longer stands for its name (the
 * /proc directory of a reaped process): that one leaves the tree, to be looked up anew.
 */
static struct dentry *lookup_dcache(struct dentry *dir, const struct qstr *name)
{
	struct dentry *dentry = d_lookup(dir, name);

	if (dentry && dentry->d_op && dentry->d_op->d_revalidate &&
	    !dentry->d_op->d_revalidate(dentry)) {
		d_drop(dentry);
		dput(dentry);
		dentry = NULL;
	}
	return dentry;
}

/* dir's i_mutex held: a referenced dentry, positive, or negative and not in the tree. */
static struct dentry *lookup_locked(struct dentry *dir, const struct qstr *name)
{
	struct inode *inode = dir->d_inode;
	struct dentry *dentry = lookup_dcache(dir, name);
	int err;

	if (dentry)
		return dentry;
	if (IS_DEADDIR(inode))
		return ERR_PTR(-ENOENT);
	dentry = d_alloc(dir, name);
	if (!dentry)
		return ERR_PTR(-ENOMEM);
	err = inode->i_op->lookup(inode, dentry);
	if (err) {
		dput(dentry);
		return ERR_PTR(err);
	}
	return dentry;
}

static struct dentry *lookup_positive(struct dentry *dir, const struct qstr *name)
{
	struct dentry *dentry = lookup_dcache(dir, name);

	if (dentry)
		return dentry;
	inode_lock(dir->d_inode);
	dentry = lookup_locked(dir, name);
	inode_unlock(dir->d_inode);
	if (!IS_ERR(dentry) && !dentry->d_inode) {
		dput(dentry);
		return ERR_PTR(-ENOENT);
	}
	return dentry;
}

/* Keeps the link referenced for the rest of the walk and returns its target, or NULL if
 * the link moved the walk itself (nd_jump_link). */
static const char *pick_link(struct nameidata *nd, struct path *link)
{
	struct inode *inode = link->dentry->d_inode;
	struct nameidata *saved;
	const char *target;

	if (nd->total_link_count >= MAXSYMLINKS) {
		path_put(link);
		return ERR_PTR(-ELOOP);
	}
	if (!nd->stack) {
		nd->stack = kmalloc(sizeof(*nd->stack), GFP_KERNEL);
		if (!nd->stack) {
			path_put(link);
			return ERR_PTR(-ENOMEM);
		}
	}
	nd->stack->link[nd->total_link_count] = *link;
	nd->stack->done[nd->total_link_count] = (struct delayed_call){ NULL, NULL };
	saved = current->nameidata;
	current->nameidata = nd;
	target = inode->i_op->get_link(link->dentry, inode,
				       &nd->stack->done[nd->total_link_count++]);
	current->nameidata = saved;
	return target;
}

/*
 * For a ->get_link called by a walk: the link leads to path (whose reference this
 * takes), not to a name; the get_link then returns NULL and the walk goes on from there.
 */
void nd_jump_link(const struct path *path)
{
	struct nameidata *nd = current->nameidata;

	path_put(&nd->path);
	nd->path = *path;
}

/* Moves onto dentry (taking the reference), or returns the target of a link to follow. */
static const char *step_into(struct nameidata *nd, struct dentry *dentry, bool follow)
{
	struct path path = { mntget(nd->path.mnt), dentry };

	follow_mount(&path);
	if (follow && S_ISLNK(path.dentry->d_inode->i_mode))
		return pick_link(nd, &path);
	path_put(&nd->path);
	nd->path = path;
	return NULL;
}

static const char *walk_component(struct nameidata *nd, bool follow)
{
	struct dentry *dentry;

	if (nd->last_type != LAST_NORM) {
		if (nd->last_type == LAST_DOTDOT)
			follow_dotdot(nd);
		return NULL;
	}
	dentry = lookup_positive(nd->path.dentry, &nd->last);
	if (IS_ERR(dentry))
		return ERR_PTR(PTR_ERR(dentry));
	return step_into(nd, dentry, follow);
}

/*
 * Walks name up to its last component and leaves that in nd->last: what to do with it
 * is the caller's business. Absolute names (and link targets) start at the root.
 */
static int link_path_walk(const char *name, struct nameidata *nd)
{
	unsigned int depth = 0;
	int err;

	nd->last_type = LAST_ROOT;
	if (*name == '/') {
		nd_jump_root(nd);
		while (*name == '/')
			name++;
	}
	if (!*name)
		return 0;
	for (;;) {
		const char *link;
		unsigned int len = 0;

		err = inode_permission(nd->ctx, nd->path.dentry->d_inode, MAY_EXEC);
		if (err)
			return err;
		while (name[len] && name[len] != '/')
			len++;
		nd->last.name = name;
		nd->last.len = len;
		nd->last_type = LAST_NORM;
		if (name[0] == '.' && len == 1)
			nd->last_type = LAST_DOT;
		else if (name[0] == '.' && name[1] == '.' && len == 2)
			nd->last_type = LAST_DOTDOT;
		name += len;
		while (*name == '/')
			name++;
		if (!*name) {
			if (!depth)
				return 0;
			/* The end of a link's target: walk it, then go on after the link. */
			name = nd->stack->rest[--depth];
		}
		link = walk_component(nd, true);
		if (IS_ERR(link))
			return PTR_ERR(link);
		if (link) {
			nd->stack->rest[depth++] = name;
			name = link;
			if (*name == '/') {
				nd_jump_root(nd);
				while (*name == '/')
					name++;
			}
			if (!*name)	/* the target was "/" */
				name = nd->stack->rest[--depth];
			continue;
		}
		if (!d_can_lookup(nd->path.dentry))
			return -ENOTDIR;
	}
}

/* A trailing slash asks for a directory, through a final symlink if need be. */
static const char *lookup_last(struct nameidata *nd)
{
	if (nd->last_type == LAST_NORM && nd->last.name[nd->last.len])
		nd->flags |= LOOKUP_FOLLOW | LOOKUP_DIRECTORY;
	return walk_component(nd, nd->flags & LOOKUP_FOLLOW);
}

int kern_path(const struct vfs_ctx *ctx, const char *name, unsigned int flags,
	      struct path *path)
{
	struct nameidata nd;
	const char *s = name;
	int err = check_name(name);

	if (err)
		return err;
	nd_init(&nd, ctx, flags);
	while (!(err = link_path_walk(s, &nd))) {
		s = lookup_last(&nd);
		if (IS_ERR(s))
			err = PTR_ERR(s);
		if (IS_ERR(s) || !s)
			break;
	}
	if (!err && (nd.flags & LOOKUP_DIRECTORY) && !d_can_lookup(nd.path.dentry))
		err = -ENOTDIR;
	if (!err) {
		*path = nd.path;
		path_get(path);
	}
	terminate_walk(&nd);
	return err;
}

/* To the directory of name's last component, left in nd->last (inside name). */
static int path_parentat(struct nameidata *nd, const struct vfs_ctx *ctx, const char *name)
{
	int err = check_name(name);

	if (err)
		return err;
	nd_init(nd, ctx, 0);
	err = link_path_walk(name, nd);
	drop_links(nd);
	if (err)
		path_put(&nd->path);
	return err;
}

static int may_create(const struct vfs_ctx *ctx, struct inode *dir)
{
	if (IS_DEADDIR(dir))
		return -ENOENT;
	return inode_permission(ctx, dir, MAY_WRITE | MAY_EXEC);
}

/* Removing from a sticky directory takes owning the file or the directory. */
static int may_delete(const struct vfs_ctx *ctx, struct inode *dir, struct dentry *victim,
		      bool isdir)
{
	struct inode *inode = victim->d_inode;
	int err = inode_permission(ctx, dir, MAY_WRITE | MAY_EXEC);

	if (err)
		return err;
	if ((dir->i_mode & S_ISVTX) && ctx->fsuid != inode->i_uid &&
	    ctx->fsuid != dir->i_uid && !fs_capable(ctx))
		return -EPERM;
	if (isdir && !S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	if (!isdir && S_ISDIR(inode->i_mode))
		return -EISDIR;
	return 0;
}

/*
 * For the calls that make a name: its negative dentry, with the directory locked and
 * in nd->path. A trailing slash is for directories only.
 */
static struct dentry *filename_create(struct nameidata *nd, const struct vfs_ctx *ctx,
				      const char *name, bool is_dir)
{
	struct dentry *dir, *dentry;
	bool trailing;
	int err = path_parentat(nd, ctx, name);

	if (err)
		return ERR_PTR(err);
	if (nd->last_type != LAST_NORM) {
		path_put(&nd->path);
		return ERR_PTR(-EEXIST);
	}
	trailing = nd->last.name[nd->last.len];
	dir = nd->path.dentry;
	inode_lock(dir->d_inode);
	dentry = lookup_locked(dir, &nd->last);
	if (IS_ERR(dentry))
		goto fail;
	err = -EEXIST;
	if (dentry->d_inode)
		goto fail_dput;
	err = -ENOENT;
	if (trailing && !is_dir)
		goto fail_dput;
	return dentry;
fail_dput:
	dput(dentry);
	dentry = ERR_PTR(err);
fail:
	inode_unlock(dir->d_inode);
	path_put(&nd->path);
	return dentry;
}

static void done_path_create(struct nameidata *nd, struct dentry *dentry)
{
	inode_unlock(nd->path.dentry->d_inode);
	dput(dentry);
	path_put(&nd->path);
}

static int vfs_create(const struct vfs_ctx *ctx, struct inode *dir, struct dentry *dentry,
		      umode_t mode)
{
	int err = may_create(ctx, dir);

	if (err)
		return err;
	if (!dir->i_op->create)
		return -EACCES;
	return dir->i_op->create(ctx, dir, dentry, mode);
}

int do_mkdirat(const struct vfs_ctx *ctx, const char *name, umode_t mode)
{
	struct nameidata nd;
	struct dentry *dentry = filename_create(&nd, ctx, name, true);
	struct inode *dir;
	int err;

	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	dir = nd.path.dentry->d_inode;
	err = may_create(ctx, dir);
	if (!err && !dir->i_op->mkdir)
		err = -EPERM;
	if (!err)
		err = dir->i_op->mkdir(ctx, dir, dentry,
				       mode & ~ctx->umask & (S_IRWXUGO | S_ISVTX));
	done_path_create(&nd, dentry);
	return err;
}

int do_mknodat(const struct vfs_ctx *ctx, const char *name, umode_t mode, dev_t dev)
{
	struct nameidata nd;
	struct dentry *dentry;
	struct inode *dir;
	int err;

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	dentry = filename_create(&nd, ctx, name, false);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	dir = nd.path.dentry->d_inode;
	mode = (mode & S_IFMT) | (mode & S_IALLUGO & ~ctx->umask);
	if (S_ISREG(mode)) {
		err = vfs_create(ctx, dir, dentry, mode);
	} else {
		err = may_create(ctx, dir);
		if (!err && (S_ISCHR(mode) || S_ISBLK(mode)) && !fs_capable(ctx))
			err = -EPERM;
		if (!err && !dir->i_op->mknod)
			err = -EPERM;
		if (!err)
			err = dir->i_op->mknod(ctx, dir, dentry, mode, dev);
	}
	done_path_create(&nd, dentry);
	return err;
}

int do_symlinkat(const struct vfs_ctx *ctx, const char *target, const char *name)
{
	struct nameidata nd;
	struct dentry *dentry;
	struct inode *dir;
	int err = check_name(target);

	if (err)
		return err;
	dentry = filename_create(&nd, ctx, name, false);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	dir = nd.path.dentry->d_inode;
	err = may_create(ctx, dir);
	if (!err && !dir->i_op->symlink)
		err = -EPERM;
	if (!err)
		err = dir->i_op->symlink(ctx, dir, dentry, target);
	done_path_create(&nd, dentry);
	return err;
}

static int vfs_link(const struct vfs_ctx *ctx, struct dentry *old, struct inode *dir,
		    struct dentry *dentry)
{
	struct inode *inode = old->d_inode;
	int err = may_create(ctx, dir);

	if (err)
		return err;
	if (!dir->i_op->link || S_ISDIR(inode->i_mode))
		return -EPERM;
	inode_lock(inode);
	/* Unlinked since the lookup: it cannot come back. */
	err = inode->i_nlink ? dir->i_op->link(old, dir, dentry) : -ENOENT;
	inode_unlock(inode);
	return err;
}

/* A new name for the file at old. */
static int link_path(const struct vfs_ctx *ctx, const struct path *old, const char *newname)
{
	struct nameidata nd;
	struct dentry *dentry = filename_create(&nd, ctx, newname, false);
	int err = PTR_ERR(dentry);

	if (!IS_ERR(dentry)) {
		err = old->mnt != nd.path.mnt ? -EXDEV :
		      vfs_link(ctx, old->dentry, nd.path.dentry->d_inode, dentry);
		done_path_create(&nd, dentry);
	}
	return err;
}

int do_linkat(const struct vfs_ctx *octx, const char *oldname, const struct vfs_ctx *nctx,
	      const char *newname, int flags)
{
	struct path old;
	int err;

	if (flags & ~AT_SYMLINK_FOLLOW)
		return -EINVAL;
	err = kern_path(octx, oldname, (flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0, &old);
	if (err)
		return err;
	err = link_path(nctx, &old, newname);
	path_put(&old);
	return err;
}

static int vfs_unlink(const struct vfs_ctx *ctx, struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;
	int err = may_delete(ctx, dir, dentry, false);

	if (err)
		return err;
	if (!dir->i_op->unlink)
		return -EPERM;
	inode_lock(inode);
	err = dir->i_op->unlink(dir, dentry);
	inode_unlock(inode);
	return err;
}

int do_unlinkat(const struct vfs_ctx *ctx, const char *name)
{
	struct nameidata nd;
	struct dentry *dir, *dentry;
	int err = path_parentat(&nd, ctx, name);

	if (err)
		return err;
	err = -EISDIR;
	if (nd.last_type != LAST_NORM)
		goto out;
	dir = nd.path.dentry;
	inode_lock(dir->d_inode);
	dentry = lookup_locked(dir, &nd.last);
	err = PTR_ERR(dentry);
	if (!IS_ERR(dentry)) {
		if (!dentry->d_inode)
			err = -ENOENT;
		else if (nd.last.name[nd.last.len])
			err = d_is_dir(dentry) ? -EISDIR : -ENOTDIR;
		else
			err = vfs_unlink(ctx, dir->d_inode, dentry);
		dput(dentry);
	}
	inode_unlock(dir->d_inode);
out:
	path_put(&nd.path);
	return err;
}

static int vfs_rmdir(const struct vfs_ctx *ctx, struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;
	int err = may_delete(ctx, dir, dentry, true);

	if (err)
		return err;
	if (!dir->i_op->rmdir)
		return -EPERM;
	inode_lock(inode);
	if (d_mountpoint(dentry))
		err = -EBUSY;
	else
		err = dir->i_op->rmdir(dir, dentry);
	if (!err)
		inode->i_flags |= S_DEAD;
	inode_unlock(inode);
	return err;
}

int do_rmdir(const struct vfs_ctx *ctx, const char *name)
{
	struct nameidata nd;
	struct dentry *dir, *dentry;
	int err = path_parentat(&nd, ctx, name);

	if (err)
		return err;
	switch (nd.last_type) {
	case LAST_DOTDOT:
		err = -ENOTEMPTY;
		goto out;
	case LAST_DOT:
		err = -EINVAL;
		goto out;
	case LAST_ROOT:
		err = -EBUSY;
		goto out;
	}
	dir = nd.path.dentry;
	inode_lock(dir->d_inode);
	dentry = lookup_locked(dir, &nd.last);
	err = PTR_ERR(dentry);
	if (!IS_ERR(dentry)) {
		err = dentry->d_inode ? vfs_rmdir(ctx, dir->d_inode, dentry) : -ENOENT;
		dput(dentry);
	}
	inode_unlock(dir->d_inode);
out:
	path_put(&nd.path);
	return err;
}

/* Two directories: an ancestor before its descendant, otherwise by address. */
static void lock_rename(struct dentry *p1, struct dentry *p2)
{
	if (p1 == p2) {
		inode_lock(p1->d_inode);
		return;
	}
	if (is_subdir(p1, p2) || (!is_subdir(p2, p1) && p2->d_inode < p1->d_inode)) {
		inode_lock(p2->d_inode);
		inode_lock(p1->d_inode);
	} else {
		inode_lock(p1->d_inode);
		inode_lock(p2->d_inode);
	}
}

static void unlock_rename(struct dentry *p1, struct dentry *p2)
{
	inode_unlock(p1->d_inode);
	if (p1 != p2)
		inode_unlock(p2->d_inode);
}

static void lock_two_inodes(struct inode *a, struct inode *b)
{
	if (b && b < a)
		inode_lock(b);
	inode_lock(a);
	if (b && b > a)
		inode_lock(b);
}

static void unlock_two_inodes(struct inode *a, struct inode *b)
{
	inode_unlock(a);
	if (b)
		inode_unlock(b);
}

static int vfs_rename(const struct vfs_ctx *ctx, struct inode *old_dir,
		      struct dentry *old_dentry, struct inode *new_dir,
		      struct dentry *new_dentry, unsigned int flags)
{
	struct inode *source = old_dentry->d_inode, *target = new_dentry->d_inode;
	bool is_dir = S_ISDIR(source->i_mode);
	int err;

	if (source == target)
		return 0;	/* two names of one file: nothing to do */
	err = may_delete(ctx, old_dir, old_dentry, is_dir);
	if (err)
		return err;
	err = target ? may_delete(ctx, new_dir, new_dentry, is_dir) : may_create(ctx, new_dir);
	if (err)
		return err;
	if (!old_dir->i_op->rename)
		return -EPERM;
	/* A directory changing parents rewrites its "..". */
	if (is_dir && new_dir != old_dir) {
		err = inode_permission(ctx, source, MAY_WRITE);
		if (err)
			return err;
	}
	lock_two_inodes(source, target);
	if (d_mountpoint(old_dentry) || d_mountpoint(new_dentry))
		err = -EBUSY;
	else
		err = old_dir->i_op->rename(old_dir, old_dentry, new_dir, new_dentry, flags);
	if (!err) {
		if (target && is_dir)
			target->i_flags |= S_DEAD;
		d_move(old_dentry, new_dentry);
	}
	unlock_two_inodes(source, target);
	return err;
}

int do_renameat2(const struct vfs_ctx *octx, const char *oldname, const struct vfs_ctx *nctx,
		 const char *newname, unsigned int flags)
{
	struct nameidata ond, nnd;
	struct dentry *old_dir, *new_dir, *old, *new;
	struct super_block *sb;
	int err;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	err = path_parentat(&ond, octx, oldname);
	if (err)
		return err;
	err = path_parentat(&nnd, nctx, newname);
	if (err)
		goto put_old_path;
	err = -EXDEV;
	if (ond.path.mnt != nnd.path.mnt)
		goto put_new_path;
	err = -EBUSY;
	if (ond.last_type != LAST_NORM)
		goto put_new_path;
	if (flags & RENAME_NOREPLACE)
		err = -EEXIST;
	if (nnd.last_type != LAST_NORM)
		goto put_new_path;

	old_dir = ond.path.dentry;
	new_dir = nnd.path.dentry;
	sb = old_dir->d_sb;
	mutex_lock(&sb->s_vfs_rename_mutex);
	lock_rename(new_dir, old_dir);
	old = lookup_locked(old_dir, &ond.last);
	err = PTR_ERR(old);
	if (IS_ERR(old))
		goto unlock;
	err = -ENOENT;
	if (!old->d_inode)
		goto put_old;
	new = lookup_locked(new_dir, &nnd.last);
	err = PTR_ERR(new);
	if (IS_ERR(new))
		goto put_old;
	err = -EEXIST;
	if ((flags & RENAME_NOREPLACE) && new->d_inode)
		goto put_new;
	err = -ENOTDIR;
	if (!d_is_dir(old) && (ond.last.name[ond.last.len] || nnd.last.name[nnd.last.len]))
		goto put_new;
	err = -EINVAL;		/* into its own subtree */
	if (is_subdir(new_dir, old))
		goto put_new;
	err = -ENOTEMPTY;	/* over one of its ancestors */
	if (new->d_inode && is_subdir(old_dir, new))
		goto put_new;
	err = vfs_rename(octx, old_dir->d_inode, old, new_dir->d_inode, new, flags);
put_new:
	dput(new);
put_old:
	dput(old);
unlock:
	unlock_rename(new_dir, old_dir);
	mutex_unlock(&sb->s_vfs_rename_mutex);
put_new_path:
	path_put(&nnd.path);
put_old_path:
	path_put(&ond.path);
	return err;
}

int vfs_readlink(struct dentry *dentry, char *buf, int size)
{
	struct inode *inode = dentry->d_inode;
	DEFINE_DELAYED_CALL(done);
	const char *link;
	int len;

	if (!S_ISLNK(inode->i_mode))
		return -EINVAL;
	if (inode->i_op->readlink)
		return inode->i_op->readlink(dentry, buf, size);
	link = inode->i_op->get_link(dentry, inode, &done);
	if (IS_ERR(link))
		return PTR_ERR(link);
	len = min((int)strlen(link), size);
	memcpy(buf, link, len);
	do_delayed_call(&done);
	return len;
}

int do_readlinkat(const struct vfs_ctx *ctx, const char *name, char *buf, int size)
{
	struct path path;
	int err;

	if (size <= 0)
		return -EINVAL;
	err = kern_path(ctx, name, 0, &path);
	if (err)
		return err;
	err = vfs_readlink(path.dentry, buf, size);
	path_put(&path);
	return err;
}

/*
 * The last component of an open: looked up as for any walk, or created for O_CREAT
 * under the directory's lock, so that two O_EXCL opens cannot both succeed.
 */
static const char *open_last_lookups(struct nameidata *nd, const struct open_flags *op,
				     bool *created)
{
	struct dentry *dir = nd->path.dentry, *dentry;
	int err;

	if (nd->last_type != LAST_NORM || !(op->open_flag & O_CREAT))
		return lookup_last(nd);
	if (nd->last.name[nd->last.len])
		return ERR_PTR(-EISDIR);
	inode_lock(dir->d_inode);
	dentry = lookup_locked(dir, &nd->last);
	if (IS_ERR(dentry)) {
		inode_unlock(dir->d_inode);
		return ERR_PTR(PTR_ERR(dentry));
	}
	if (!dentry->d_inode) {
		err = vfs_create(nd->ctx, dir->d_inode, dentry, op->mode);
		inode_unlock(dir->d_inode);
		if (err) {
			dput(dentry);
			return ERR_PTR(err);
		}
		*created = true;
		dput(nd->path.dentry);
		nd->path.dentry = dentry;
		return NULL;
	}
	inode_unlock(dir->d_inode);
	return step_into(nd, dentry, nd->flags & LOOKUP_FOLLOW);
}

static struct file *do_open(struct nameidata *nd, const struct open_flags *op, bool created)
{
	struct inode *inode = nd->path.dentry->d_inode;
	int open_flag = op->open_flag, acc_mode = op->acc_mode;
	struct file *file;
	int err;

	if (open_flag & O_CREAT) {
		if ((open_flag & O_EXCL) && !created)
			return ERR_PTR(-EEXIST);
		if (S_ISDIR(inode->i_mode))
			return ERR_PTR(-EISDIR);
	}
	if ((nd->flags & LOOKUP_DIRECTORY) && !S_ISDIR(inode->i_mode))
		return ERR_PTR(-ENOTDIR);
	if (created) {
		/* The creator may open what it made whatever the mode says. */
		acc_mode = 0;
		open_flag &= ~O_TRUNC;
	}
	if (S_ISLNK(inode->i_mode) && !(open_flag & O_PATH))
		return ERR_PTR(-ELOOP);
	if (S_ISDIR(inode->i_mode) && (acc_mode & MAY_WRITE))
		return ERR_PTR(-EISDIR);
	err = inode_permission(nd->ctx, inode, acc_mode);
	if (err)
		return ERR_PTR(err);
	if ((open_flag & O_NOATIME) && !inode_owner_or_capable(nd->ctx, inode))
		return ERR_PTR(-EPERM);
	file = dentry_open(&nd->path, open_flag);
	if (IS_ERR(file) || !(open_flag & O_TRUNC) || !S_ISREG(inode->i_mode))
		return file;
	/* O_RDONLY | O_TRUNC holds no write access of its own: a running binary refuses. */
	err = get_write_access(inode);
	if (!err) {
		err = do_truncate(nd->ctx, nd->path.dentry, 0, ATTR_MTIME | ATTR_CTIME);
		put_write_access(inode);
	}
	if (err) {
		fput(file);
		return ERR_PTR(err);
	}
	return file;
}

struct file *do_filp_open(const struct vfs_ctx *ctx, const char *name,
			  const struct open_flags *op)
{
	struct nameidata nd;
	const char *s = name;
	bool created = false;
	struct file *file;
	int err = check_name(name);

	if (err)
		return ERR_PTR(err);
	nd_init(&nd, ctx, op->lookup_flags);
	while (!(err = link_path_walk(s, &nd))) {
		s = open_last_lookups(&nd, op, &created);
		if (IS_ERR(s))
			err = PTR_ERR(s);
		if (IS_ERR(s) || !s)
			break;
	}
	file = err ? ERR_PTR(err) : do_open(&nd, op, created);
	terminate_walk(&nd);
	return file;
}

char *getname_flags(const char __user *uname, bool empty_ok)
{
	char *name = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;

	if (!name)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(name, uname, PATH_MAX);
	if (len < 0 || len == PATH_MAX || (!len && !empty_ok)) {
		kfree(name);
		return ERR_PTR(len < 0 ? len : len ? -ENAMETOOLONG : -ENOENT);
	}
	return name;
}

void putname(char *name)
{
	kfree(name);
}

int get_vfs_ctx_at(int dfd, const char *name, struct vfs_ctx *ctx)
{
	struct file *file;

	get_current_vfs_ctx(ctx);
	if (name[0] == '/' || dfd == AT_FDCWD)
		return 0;
	file = fdget_raw(dfd);
	if (!file) {
		put_vfs_ctx(ctx);
		return -EBADF;
	}
	if (*name && !d_can_lookup(file->f_path.dentry)) {
		fput(file);
		put_vfs_ctx(ctx);
		return -ENOTDIR;
	}
	path_put(&ctx->pwd);
	ctx->pwd = file->f_path;
	path_get(&ctx->pwd);
	fput(file);
	return 0;
}

int user_path_at(int dfd, const char __user *uname, unsigned int flags,
		 struct vfs_ctx *ctx, struct path *path)
{
	char *name = getname_flags(uname, flags & LOOKUP_EMPTY);
	int err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = get_vfs_ctx_at(dfd, name, ctx);
	if (!err) {
		if (*name) {
			err = kern_path(ctx, name, flags & ~LOOKUP_EMPTY, path);
		} else {
			*path = ctx->pwd;	/* dfd's file, or the cwd */
			path_get(path);
		}
		if (err)
			put_vfs_ctx(ctx);
	}
	putname(name);
	return err;
}

SYSCALL_DEFINE3(mkdirat, int, dfd, const char __user *, pathname, umode_t, mode)
{
	char *name = getname(pathname);
	struct vfs_ctx ctx;
	int err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = get_vfs_ctx_at(dfd, name, &ctx);
	if (!err) {
		err = do_mkdirat(&ctx, name, mode);
		put_vfs_ctx(&ctx);
	}
	putname(name);
	return err;
}

SYSCALL_DEFINE4(mknodat, int, dfd, const char __user *, filename, umode_t, mode,
		unsigned int, dev)
{
	char *name = getname(filename);
	struct vfs_ctx ctx;
	int err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = get_vfs_ctx_at(dfd, name, &ctx);
	if (!err) {
		err = do_mknodat(&ctx, name, mode, new_decode_dev(dev));
		put_vfs_ctx(&ctx);
	}
	putname(name);
	return err;
}

SYSCALL_DEFINE3(unlinkat, int, dfd, const char __user *, pathname, int, flag)
{
	struct vfs_ctx ctx;
	char *name;
	int err;

	if (flag & ~AT_REMOVEDIR)
		return -EINVAL;
	name = getname(pathname);
	if (IS_ERR(name))
		return PTR_ERR(name);
	err = get_vfs_ctx_at(dfd, name, &ctx);
	if (!err) {
		err = (flag & AT_REMOVEDIR) ? do_rmdir(&ctx, name) : do_unlinkat(&ctx, name);
		put_vfs_ctx(&ctx);
	}
	putname(name);
	return err;
}

SYSCALL_DEFINE3(symlinkat, const char __user *, oldname, int, newdfd,
		const char __user *, newname)
{
	char *target = getname(oldname), *name;
	struct vfs_ctx ctx;
	int err;

	if (IS_ERR(target))
		return PTR_ERR(target);
	name = getname(newname);
	err = PTR_ERR(name);
	if (!IS_ERR(name)) {
		err = get_vfs_ctx_at(newdfd, name, &ctx);
		if (!err) {
			err = do_symlinkat(&ctx, target, name);
			put_vfs_ctx(&ctx);
		}
		putname(name);
	}
	putname(target);
	return err;
}

/* AT_EMPTY_PATH links the file at olddfd itself, which takes privilege (as
 * CAP_DAC_READ_SEARCH); without it "" is ENOENT. */
SYSCALL_DEFINE5(linkat, int, olddfd, const char __user *, oldname, int, newdfd,
		const char __user *, newname, int, flags)
{
	unsigned int how = (flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0;
	struct vfs_ctx octx, nctx;
	struct path old;
	char *name;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((flags & AT_EMPTY_PATH) && capable(CAP_DAC_READ_SEARCH))
		how |= LOOKUP_EMPTY;
	err = user_path_at(olddfd, oldname, how, &octx, &old);
	if (err)
		return err;
	name = getname(newname);
	err = PTR_ERR(name);
	if (!IS_ERR(name)) {
		err = get_vfs_ctx_at(newdfd, name, &nctx);
		if (!err) {
			err = link_path(&nctx, &old, name);
			put_vfs_ctx(&nctx);
		}
		putname(name);
	}
	path_put(&old);
	put_vfs_ctx(&octx);
	return err;
}

static int do_renameat2_user(int olddfd, const char __user *oldname, int newdfd,
			     const char __user *newname, unsigned int flags)
{
	struct vfs_ctx octx, nctx;
	char *from, *to;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	from = getname(oldname);
	if (IS_ERR(from))
		return PTR_ERR(from);
	to = getname(newname);
	err = PTR_ERR(to);
	if (IS_ERR(to))
		goto out;
	err = get_vfs_ctx_at(olddfd, from, &octx);
	if (err)
		goto out_to;
	err = get_vfs_ctx_at(newdfd, to, &nctx);
	if (!err) {
		err = do_renameat2(&octx, from, &nctx, to, flags);
		put_vfs_ctx(&nctx);
	}
	put_vfs_ctx(&octx);
out_to:
	putname(to);
out:
	putname(from);
	return err;
}

SYSCALL_DEFINE5(renameat2, int, olddfd, const char __user *, oldname, int, newdfd,
		const char __user *, newname, unsigned int, flags)
{
	return do_renameat2_user(olddfd, oldname, newdfd, newname, flags);
}

SYSCALL_DEFINE4(renameat, int, olddfd, const char __user *, oldname, int, newdfd,
		const char __user *, newname)
{
	return do_renameat2_user(olddfd, oldname, newdfd, newname, 0);
}
