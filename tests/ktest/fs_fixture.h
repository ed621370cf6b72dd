/* SPDX-License-Identifier: MIT */
/*
 * A fresh ramfs for one test, mounted nowhere: its root is the test's "/". Tearing it
 * down checks that every inode, dentry and file the test made is gone.
 */
#ifndef KTEST_FS_FIXTURE_H
#define KTEST_FS_FIXTURE_H

#include <kairos/fs.h>
#include <kairos/ktest.h>

struct fs_fixture {
	struct vfsmount *mnt;
	struct vfs_ctx ctx;		/* root, umask 022 */
	int inodes, dentries, files;
};

static inline bool fs_setup(struct ktest_ctx *t, struct fs_fixture *f)
{
	f->inodes = atomic_read(&nr_inodes);
	f->dentries = atomic_read(&nr_dentries);
	f->files = atomic_read(&nr_files);
	f->mnt = vfs_kern_mount(get_fs_type("ramfs"), "test", NULL);
	if (IS_ERR(f->mnt)) {
		ktest_fail(t, __FILE__, __LINE__, "mount: %ld", PTR_ERR(f->mnt));
		return false;
	}
	f->ctx = (struct vfs_ctx){
		.root = { f->mnt, f->mnt->mnt_root },
		.pwd = { f->mnt, f->mnt->mnt_root },
		.umask = 0022,
	};
	return true;
}

static inline void fs_teardown(struct ktest_ctx *t, struct fs_fixture *f)
{
	kern_unmount(f->mnt);
	KTEST_EXPECT_EQ(t, atomic_read(&nr_files), f->files);
	KTEST_EXPECT_EQ(t, atomic_read(&nr_dentries), f->dentries);
	KTEST_EXPECT_EQ(t, atomic_read(&nr_inodes), f->inodes);
}

#endif
