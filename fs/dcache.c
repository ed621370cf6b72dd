// SPDX-License-Identifier: MIT
/*
 * Dentries: the tree of names. A child holds a reference to its parent and to its
 * inode; a dentry leaves the tree when it is dropped (unlink, rename over it) or when
 * its last reference goes. Lookups compare names under dcache_lock, one directory's
 * children at a time.
 */
#include <kairos/slab.h>
#include <kairos/string.h>
#include "internal.h"

DEFINE_SPINLOCK(dcache_lock);
atomic_t nr_dentries;

static struct dentry *__d_alloc(struct super_block *sb, const struct qstr *name)
{
	struct dentry *dentry = kzalloc(sizeof(*dentry), GFP_KERNEL);
	char *s = kmalloc(name->len + 1, GFP_KERNEL);

	if (!dentry || !s) {
		kfree(dentry);
		kfree(s);
		return NULL;
	}
	memcpy(s, name->name, name->len);
	s[name->len] = '\0';
	dentry->d_name.name = s;
	dentry->d_name.len = name->len;
	atomic_set(&dentry->d_count, 1);
	dentry->d_parent = dentry;
	dentry->d_sb = sb;
	INIT_LIST_HEAD(&dentry->d_child);
	INIT_LIST_HEAD(&dentry->d_subdirs);
	dentry->d_next_index = 2;	/* 0 and 1 are "." and ".." */
	atomic_inc(&nr_dentries);
	return dentry;
}

/* A negative dentry for name in parent, not yet in the tree. */
struct dentry *d_alloc(struct dentry *parent, const struct qstr *name)
{
	struct dentry *dentry = __d_alloc(parent->d_sb, name);

	if (dentry)
		dentry->d_parent = dget(parent);
	return dentry;
}

/* A dentry in no directory, its own parent: a root, or a pipe's. Consumes inode. */
struct dentry *d_make_pseudo(struct inode *inode, const char *name)
{
	struct qstr q = { name, strlen(name) };
	struct dentry *dentry = __d_alloc(inode->i_sb, &q);

	if (!dentry) {
		iput(inode);
		return NULL;
	}
	dentry->d_inode = inode;
	return dentry;
}

struct dentry *d_make_root(struct inode *inode)
{
	return d_make_pseudo(inode, "/");
}

/* Gives the dentry its inode (consuming that reference) and puts it in the tree. */
void d_add(struct dentry *dentry, struct inode *inode)
{
	struct dentry *parent = dentry->d_parent;

	spin_lock(&dcache_lock);
	dentry->d_inode = inode;
	dentry->d_index = parent->d_next_index++;
	list_add_tail(&dentry->d_child, &parent->d_subdirs);
	dentry->d_flags |= DCACHE_HASHED;
	spin_unlock(&dcache_lock);
}

static void __d_drop(struct dentry *dentry)
{
	if (dentry->d_flags & DCACHE_HASHED) {
		list_del_init(&dentry->d_child);
		dentry->d_flags &= ~DCACHE_HASHED;
	}
}

/* Takes the dentry out of the tree: lookups no longer find it. */
void d_drop(struct dentry *dentry)
{
	spin_lock(&dcache_lock);
	__d_drop(dentry);
	spin_unlock(&dcache_lock);
}

/* The child of parent called name, with a new reference, or NULL. */
struct dentry *d_lookup(struct dentry *parent, const struct qstr *name)
{
	struct dentry *child, *found = NULL;

	spin_lock(&dcache_lock);
	list_for_each_entry(child, &parent->d_subdirs, d_child) {
		if (child->d_name.len == name->len &&
		    !memcmp(child->d_name.name, name->name, name->len)) {
			found = dget(child);
			break;
		}
	}
	spin_unlock(&dcache_lock);
	return found;
}

/*
 * After a rename: dentry takes target's parent and name and goes to the end of the new
 * directory (a new readdir position); target, dropped by the file system or never in
 * the tree, takes the old ones. Each keeps one reference to whichever parent it has.
 */
void d_move(struct dentry *dentry, struct dentry *target)
{
	struct dentry *old_parent = dentry->d_parent, *new_parent = target->d_parent;
	struct qstr name;

	spin_lock(&dcache_lock);
	name = dentry->d_name;
	dentry->d_name = target->d_name;
	target->d_name = name;
	dentry->d_parent = new_parent;
	target->d_parent = old_parent;
	__d_drop(dentry);
	dentry->d_index = new_parent->d_next_index++;
	list_add_tail(&dentry->d_child, &new_parent->d_subdirs);
	dentry->d_flags |= DCACHE_HASHED;
	spin_unlock(&dcache_lock);
}

struct dentry *dget_parent(struct dentry *dentry)
{
	struct dentry *parent;

	spin_lock(&dcache_lock);
	parent = dget(dentry->d_parent);
	spin_unlock(&dcache_lock);
	return parent;
}

/* Whether dentry is ancestor or below it, in one file system. */
bool is_subdir(struct dentry *dentry, struct dentry *ancestor)
{
	bool found = false;

	spin_lock(&dcache_lock);
	for (;;) {
		if (dentry == ancestor) {
			found = true;
			break;
		}
		if (dentry->d_parent == dentry)
			break;
		dentry = dentry->d_parent;
	}
	spin_unlock(&dcache_lock);
	return found;
}

/*
 * The last reference frees the dentry, its name and its inode reference, then drops
 * the reference it held on its parent, which may be that one's last: a loop, not
 * recursion, so deep trees cannot overflow the stack.
 */
void dput(struct dentry *dentry)
{
	while (dentry) {
		struct dentry *parent;

		spin_lock(&dcache_lock);
		if (!atomic_dec_and_test(&dentry->d_count)) {
			spin_unlock(&dcache_lock);
			return;
		}
		__d_drop(dentry);
		parent = dentry->d_parent == dentry ? NULL : dentry->d_parent;
		spin_unlock(&dcache_lock);
		if (dentry->d_inode)
			iput(dentry->d_inode);
		kfree(dentry->d_name.name);
		kfree(dentry);
		atomic_dec(&nr_dentries);
		dentry = parent;
	}
}
