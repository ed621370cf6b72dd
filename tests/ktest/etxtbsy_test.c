// SPDX-License-Identifier: MIT
/*
 * ETXTBSY: i_writecount's counting rules, writable opens and truncate against a denied
 * inode, and an mm's exe_file keeping its deny across fork until the last mmput.
 */
#include <kairos/mm_types.h>
#include "fs_fixture.h"

/* A step the rest of the test depends on: on failure, stop (leaking what it holds). */
#define REQUIRE(t, cond) do {						\
	if (!(cond)) {							\
		ktest_fail(t, __FILE__, __LINE__, "%s", #cond);		\
		return;							\
	}								\
} while (0)

static int writecount(struct file *file)
{
	return atomic_read(&file->f_inode->i_writecount);
}

static long open_err(const struct vfs_ctx *ctx, const char *name, int flags)
{
	struct file *file = filp_open(ctx, name, flags, 0644);

	if (IS_ERR(file))
		return PTR_ERR(file);
	fput(file);
	return 0;
}

/* Writers and deniers exclude each other; each side counts its holders. */
KTEST(etxtbsy_counting)
{
	struct fs_fixture f;
	struct file *file;
	struct inode *inode;

	if (!fs_setup(t, &f))
		return;
	file = filp_open(&f.ctx, "a", O_RDONLY | O_CREAT, 0755);
	REQUIRE(t, !IS_ERR(file));
	inode = file->f_inode;
	KTEST_EXPECT_EQ(t, writecount(file), 0);
	KTEST_EXPECT(t, !(file->f_mode & FMODE_WRITER));

	KTEST_EXPECT_EQ(t, get_write_access(inode), 0);
	KTEST_EXPECT_EQ(t, get_write_access(inode), 0);
	KTEST_EXPECT_EQ(t, writecount(file), 2);
	KTEST_EXPECT_EQ(t, deny_write_access(file), -ETXTBSY);
	KTEST_EXPECT_EQ(t, writecount(file), 2);
	put_write_access(inode);
	KTEST_EXPECT_EQ(t, deny_write_access(file), -ETXTBSY);
	put_write_access(inode);

	KTEST_EXPECT_EQ(t, deny_write_access(file), 0);
	KTEST_EXPECT_EQ(t, deny_write_access(file), 0);
	KTEST_EXPECT_EQ(t, writecount(file), -2);
	KTEST_EXPECT_EQ(t, get_write_access(inode), -ETXTBSY);
	KTEST_EXPECT_EQ(t, writecount(file), -2);
	allow_write_access(file);
	KTEST_EXPECT_EQ(t, get_write_access(inode), -ETXTBSY);
	allow_write_access(file);
	allow_write_access(NULL);
	KTEST_EXPECT_EQ(t, writecount(file), 0);
	KTEST_EXPECT_EQ(t, get_write_access(inode), 0);
	put_write_access(inode);
	fput(file);
	fs_teardown(t, &f);
}

/* A writable open holds write access until its last fput; a denied inode refuses one. */
KTEST(etxtbsy_open_truncate)
{
	struct fs_fixture f;
	struct file *file, *w, *rw;
	struct path path;

	if (!fs_setup(t, &f))
		return;
	file = filp_open(&f.ctx, "a", O_RDONLY | O_CREAT, 0755);
	REQUIRE(t, !IS_ERR(file));

	w = filp_open(&f.ctx, "a", O_WRONLY, 0);
	REQUIRE(t, !IS_ERR(w));
	KTEST_EXPECT(t, w->f_mode & FMODE_WRITER);
	rw = filp_open(&f.ctx, "a", O_RDWR, 0);
	REQUIRE(t, !IS_ERR(rw));
	KTEST_EXPECT_EQ(t, writecount(file), 2);
	KTEST_EXPECT_EQ(t, deny_write_access(file), -ETXTBSY);
	get_file(w);
	fput(w);
	KTEST_EXPECT_EQ(t, writecount(file), 2);	/* not the last reference */
	fput(w);
	fput(rw);
	KTEST_EXPECT_EQ(t, writecount(file), 0);
	/* Opening O_RDONLY or O_PATH asks for nothing. */
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "a", O_RDONLY), 0);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "a", O_PATH), 0);
	KTEST_EXPECT_EQ(t, writecount(file), 0);

	REQUIRE(t, deny_write_access(file) == 0);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "a", O_WRONLY), -ETXTBSY);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "a", O_RDWR), -ETXTBSY);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "a", O_RDONLY | O_TRUNC), -ETXTBSY);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "a", O_RDONLY), 0);
	REQUIRE(t, kern_path(&f.ctx, "a", LOOKUP_FOLLOW, &path) == 0);
	KTEST_EXPECT_EQ(t, vfs_truncate(&f.ctx, &path, 0), -ETXTBSY);
	KTEST_EXPECT_EQ(t, writecount(file), -1);	/* the failures left nothing behind */
	allow_write_access(file);
	KTEST_EXPECT_EQ(t, vfs_truncate(&f.ctx, &path, 0), 0);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "a", O_WRONLY | O_TRUNC), 0);
	KTEST_EXPECT_EQ(t, writecount(file), 0);
	path_put(&path);
	fput(file);
	fs_teardown(t, &f);
}

/* exe_file: one deny and one reference per mm, copied by dup_mm, dropped by mmput. */
KTEST(etxtbsy_exe_file)
{
	struct fs_fixture f;
	struct mm_struct *mm, *child;
	struct file *file, *other;

	if (!fs_setup(t, &f))
		return;
	file = filp_open(&f.ctx, "a", O_RDONLY | O_CREAT, 0755);
	REQUIRE(t, !IS_ERR(file));
	other = filp_open(&f.ctx, "b", O_RDONLY | O_CREAT, 0755);
	REQUIRE(t, !IS_ERR(other));
	mm = mm_alloc();
	REQUIRE(t, mm);
	KTEST_EXPECT(t, !mm->exe_file);

	KTEST_EXPECT_EQ(t, set_mm_exe_file(mm, file), 0);
	KTEST_EXPECT(t, mm->exe_file == file);
	KTEST_EXPECT_EQ(t, writecount(file), -1);
	KTEST_EXPECT_EQ(t, atomic_read(&file->f_count), 2);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "a", O_WRONLY), -ETXTBSY);

	child = dup_mm(mm);
	REQUIRE(t, child);
	KTEST_EXPECT(t, child->exe_file == file);
	KTEST_EXPECT_EQ(t, writecount(file), -2);
	KTEST_EXPECT_EQ(t, atomic_read(&file->f_count), 3);
	mmput(mm);
	KTEST_EXPECT_EQ(t, writecount(file), -1);	/* the child still runs it */
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "a", O_WRONLY), -ETXTBSY);

	/* Replacing the image gives the old one back. */
	KTEST_EXPECT_EQ(t, set_mm_exe_file(child, other), 0);
	KTEST_EXPECT_EQ(t, writecount(file), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&file->f_count), 1);
	KTEST_EXPECT_EQ(t, writecount(other), -1);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "a", O_WRONLY), 0);

	/* A file open for writing cannot become an image. */
	{
		struct file *w = filp_open(&f.ctx, "a", O_WRONLY, 0);

		REQUIRE(t, !IS_ERR(w));
		KTEST_EXPECT_EQ(t, set_mm_exe_file(child, w), -EACCES);
		KTEST_EXPECT(t, child->exe_file == other);
		fput(w);
	}
	mmput(child);
	KTEST_EXPECT_EQ(t, writecount(other), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&other->f_count), 1);
	fput(other);
	fput(file);
	fs_teardown(t, &f);
}
