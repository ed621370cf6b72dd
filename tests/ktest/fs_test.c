// SPDX-License-Identifier: MIT
/*
 * The VFS and ramfs through the in-kernel API the system calls will use, each test in
 * a fresh ramfs of its own (fs_fixture.h). Errors are checked against Linux's.
 */
#include <kairos/kthread.h>
#include <kairos/sched.h>
#include <kairos/slab.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>
#include "fs_fixture.h"

/* The error of an ERR_PTR open, or 0 (and the file closed) if it opened. */
static long open_err(const struct vfs_ctx *ctx, const char *name, int flags, umode_t mode)
{
	struct file *file = filp_open(ctx, name, flags, mode);

	if (IS_ERR(file))
		return PTR_ERR(file);
	fput(file);
	return 0;
}

static int create_file(const struct vfs_ctx *ctx, const char *name, const char *data)
{
	struct file *file = filp_open(ctx, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(file))
		return PTR_ERR(file);
	n = kernel_write(file, data, strlen(data), &pos);
	fput(file);
	return n < 0 ? n : 0;
}

/* Reads up to size - 1 bytes from the start into buf, NUL-terminated: the count. */
static ssize_t read_file(const struct vfs_ctx *ctx, const char *name, char *buf, size_t size)
{
	struct file *file = filp_open(ctx, name, O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(file))
		return PTR_ERR(file);
	n = kernel_read(file, buf, size - 1, &pos);
	buf[n > 0 ? n : 0] = '\0';
	fput(file);
	return n;
}

static bool file_is(const struct vfs_ctx *ctx, const char *name, const char *data)
{
	char buf[64];

	return read_file(ctx, name, buf, sizeof(buf)) >= 0 && !strcmp(buf, data);
}

static int stat_of(const struct vfs_ctx *ctx, const char *name, struct kstat *st)
{
	return vfs_statx(ctx, name, 0, st);
}

static int lstat_of(const struct vfs_ctx *ctx, const char *name, struct kstat *st)
{
	return vfs_statx(ctx, name, AT_SYMLINK_NOFOLLOW, st);
}

static bool same_path(const struct vfs_ctx *ctx, const char *a, const char *b)
{
	struct path pa, pb;
	bool same = false;

	if (kern_path(ctx, a, LOOKUP_FOLLOW, &pa))
		return false;
	if (!kern_path(ctx, b, LOOKUP_FOLLOW, &pb)) {
		same = path_equal(&pa, &pb);
		path_put(&pb);
	}
	path_put(&pa);
	return same;
}

static const struct file_operations noseek_fops = {
	.read_iter = generic_read_dir,
};

/* read, write, lseek, holes, truncate, O_APPEND, O_TRUNC, O_EXCL and their errors. */
KTEST(fs_file_rw)
{
	struct fs_fixture f;
	struct file *file, *other;
	struct kstat st;
	struct path path;
	char buf[64], *page;
	loff_t pos;

	if (!fs_setup(t, &f))
		return;
	file = filp_open(&f.ctx, "a", O_RDWR | O_CREAT, 0666);
	KTEST_EXPECT(t, !IS_ERR(file));
	if (IS_ERR(file))
		goto out;
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "a", &st), 0);
	KTEST_EXPECT_EQ(t, st.mode, S_IFREG | 0644);	/* umask 022 */
	KTEST_EXPECT_EQ(t, kernel_write(file, "hello world", 11, &file->f_pos), 11);
	KTEST_EXPECT_EQ(t, file->f_pos, 11);
	KTEST_EXPECT_EQ(t, vfs_llseek(file, 0, SEEK_SET), 0);
	KTEST_EXPECT_EQ(t, kernel_read(file, buf, 5, &file->f_pos), 5);
	KTEST_EXPECT(t, !memcmp(buf, "hello", 5));
	KTEST_EXPECT_EQ(t, vfs_llseek(file, 1, SEEK_CUR), 6);
	KTEST_EXPECT_EQ(t, kernel_read(file, buf, sizeof(buf), &file->f_pos), 5);
	KTEST_EXPECT(t, !memcmp(buf, "world", 5));
	KTEST_EXPECT_EQ(t, kernel_read(file, buf, sizeof(buf), &file->f_pos), 0);
	KTEST_EXPECT_EQ(t, vfs_llseek(file, -5, SEEK_END), 6);
	KTEST_EXPECT_EQ(t, vfs_llseek(file, 10, SEEK_END), 21);
	KTEST_EXPECT_EQ(t, kernel_read(file, buf, sizeof(buf), &file->f_pos), 0);
	KTEST_EXPECT_EQ(t, vfs_llseek(file, -1, SEEK_SET), -EINVAL);
	KTEST_EXPECT_EQ(t, vfs_llseek(file, 0, 7), -EINVAL);
	KTEST_EXPECT_EQ(t, vfs_llseek(file, MAX_LFS_FILESIZE, SEEK_CUR), -EINVAL);
	KTEST_EXPECT_EQ(t, vfs_llseek(file, 3, SEEK_DATA), 3);
	KTEST_EXPECT_EQ(t, vfs_llseek(file, 3, SEEK_HOLE), 11);
	KTEST_EXPECT_EQ(t, vfs_llseek(file, 11, SEEK_DATA), -ENXIO);
	pos = -1;
	KTEST_EXPECT_EQ(t, kernel_read(file, buf, 1, &pos), -EINVAL);
	pos = MAX_LFS_FILESIZE - 1;
	KTEST_EXPECT_EQ(t, kernel_read(file, buf, 2, &pos), -EINVAL);

	/* The far end of the largest file: a tree of full height for one page. */
	pos = MAX_LFS_FILESIZE - 10;
	KTEST_EXPECT_EQ(t, kernel_write(file, "far", 3, &pos), 3);
	KTEST_EXPECT_EQ(t, vfs_getattr(&file->f_path, &st), 0);
	KTEST_EXPECT_EQ(t, st.size, MAX_LFS_FILESIZE - 7);
	KTEST_EXPECT_EQ(t, st.blocks, 2 * PAGE_SIZE / 512);
	pos = MAX_LFS_FILESIZE - 11;
	KTEST_EXPECT_EQ(t, kernel_read(file, buf, 8, &pos), 4);	/* up to the end */
	KTEST_EXPECT(t, !memcmp(buf, "\0far", 4));
	KTEST_EXPECT_EQ(t, do_ftruncate(&f.ctx, file, MAX_LFS_FILESIZE), 0);
	other = filp_open(&f.ctx, "a", O_WRONLY | O_APPEND, 0);
	if (!IS_ERR(other)) {
		KTEST_EXPECT_EQ(t, kernel_write(other, "x", 1, &other->f_pos), -EFBIG);
		fput(other);
	}
	KTEST_EXPECT_EQ(t, do_ftruncate(&f.ctx, file, 11), 0);

	/* A hole: pages 1 and 2 are never written and read as zeros. */
	pos = 3 * PAGE_SIZE + 100;
	KTEST_EXPECT_EQ(t, kernel_write(file, "X", 1, &pos), 1);
	KTEST_EXPECT_EQ(t, vfs_getattr(&file->f_path, &st), 0);
	KTEST_EXPECT_EQ(t, st.size, 3 * PAGE_SIZE + 101);
	KTEST_EXPECT_EQ(t, st.blocks, 2 * PAGE_SIZE / 512);
	KTEST_EXPECT_EQ(t, st.blksize, PAGE_SIZE);
	page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!page)
		goto close;
	pos = PAGE_SIZE;
	memset(page, 0x5a, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, kernel_read(file, page, PAGE_SIZE, &pos), PAGE_SIZE);
	KTEST_EXPECT(t, !memchr(page, 0x5a, PAGE_SIZE) && !page[0] && !page[PAGE_SIZE - 1]);
	pos = 3 * PAGE_SIZE + 99;
	KTEST_EXPECT_EQ(t, kernel_read(file, buf, 10, &pos), 2);
	KTEST_EXPECT(t, buf[0] == 0 && buf[1] == 'X');

	/* Shrinking zeroes the cut part of the page: growing again shows zeros, not "world". */
	KTEST_EXPECT_EQ(t, do_ftruncate(&f.ctx, file, 5), 0);
	KTEST_EXPECT_EQ(t, vfs_getattr(&file->f_path, &st), 0);
	KTEST_EXPECT_EQ(t, st.size, 5);
	KTEST_EXPECT_EQ(t, st.blocks, PAGE_SIZE / 512);
	KTEST_EXPECT_EQ(t, do_ftruncate(&f.ctx, file, 2 * PAGE_SIZE), 0);
	pos = 0;
	KTEST_EXPECT_EQ(t, kernel_read(file, page, PAGE_SIZE, &pos), PAGE_SIZE);
	KTEST_EXPECT(t, !memcmp(page, "hello", 5) && !memchr(page + 5, 'w', PAGE_SIZE - 5));
	KTEST_EXPECT_EQ(t, do_ftruncate(&f.ctx, file, -1), -EINVAL);

	/* Data across page boundaries comes back intact. */
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		page[i] = i * 7 + (i >> 8);
	pos = PAGE_SIZE - 1000;
	KTEST_EXPECT_EQ(t, kernel_write(file, page, PAGE_SIZE, &pos), PAGE_SIZE);
	memset(page, 0, PAGE_SIZE);
	pos = PAGE_SIZE - 1000;
	KTEST_EXPECT_EQ(t, kernel_read(file, page, PAGE_SIZE, &pos), PAGE_SIZE);
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		if (page[i] != (char)(i * 7 + (i >> 8))) {
			KTEST_EXPECT_EQ(t, i, -1);
			break;
		}
	kfree(page);

	KTEST_EXPECT_EQ(t, kern_path(&f.ctx, "a", 0, &path), 0);
	KTEST_EXPECT_EQ(t, vfs_truncate(&f.ctx, &path, 0), 0);
	KTEST_EXPECT_EQ(t, vfs_truncate(&f.ctx, &path, -1), -EINVAL);
	path_put(&path);
	KTEST_EXPECT_EQ(t, vfs_truncate(&f.ctx, &f.ctx.root, 0), -EISDIR);
	KTEST_EXPECT_EQ(t, vfs_getattr(&file->f_path, &st), 0);
	KTEST_EXPECT_EQ(t, st.size, 0);
	KTEST_EXPECT_EQ(t, st.blocks, 0);

	/* O_APPEND writes at the end, wherever the position says. */
	other = filp_open(&f.ctx, "a", O_WRONLY | O_APPEND, 0);
	KTEST_EXPECT(t, !IS_ERR(other));
	if (!IS_ERR(other)) {
		pos = 0;
		KTEST_EXPECT_EQ(t, kernel_write(file, "base", 4, &pos), 4);
		pos = 0;
		KTEST_EXPECT_EQ(t, kernel_write(other, "+1", 2, &pos), 2);
		KTEST_EXPECT_EQ(t, pos, 6);
		KTEST_EXPECT_EQ(t, kernel_read(other, buf, 1, &pos), -EBADF);
		fput(other);
	}
	KTEST_EXPECT(t, file_is(&f.ctx, "a", "base+1"));
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "a", O_WRONLY | O_TRUNC, 0), 0);
	KTEST_EXPECT(t, file_is(&f.ctx, "a", ""));
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "a", O_RDWR | O_CREAT | O_EXCL, 0644), -EEXIST);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "b", O_RDWR | O_CREAT | O_EXCL, 0644), 0);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "c", O_RDWR, 0), -ENOENT);

	other = filp_open(&f.ctx, "a", O_RDONLY, 0);
	KTEST_EXPECT(t, !IS_ERR(other));
	if (!IS_ERR(other)) {
		pos = 0;
		KTEST_EXPECT_EQ(t, kernel_write(other, "x", 1, &pos), -EBADF);
		KTEST_EXPECT_EQ(t, do_ftruncate(&f.ctx, other, 0), -EINVAL);
		KTEST_EXPECT_EQ(t, vfs_ioctl(other, 0x5401, 0), -ENOTTY);
		fput(other);
	}
	/* Something without llseek, as pipes will be. */
	other = alloc_file(&f.ctx.root, O_RDONLY, &noseek_fops);
	KTEST_EXPECT(t, !IS_ERR(other));
	if (!IS_ERR(other)) {
		KTEST_EXPECT_EQ(t, vfs_llseek(other, 0, SEEK_SET), -ESPIPE);
		KTEST_EXPECT_EQ(t, kernel_read(other, buf, 1, &other->f_pos), -EISDIR);
		fput(other);
	}
close:
	fput(file);
out:
	fs_teardown(t, &f);
}

struct dirent_seen {
	char names[8][16];
	u8 types[8];
	u64 inos[8];
	int n;
};

static int read_dir(struct file *dir, char *buf, size_t size, struct dirent_seen *seen)
{
	int n = vfs_getdents64(dir, buf, size);

	for (int off = 0; off < n;) {
		struct linux_dirent64 *de = (struct linux_dirent64 *)(buf + off);

		if (seen->n < 8) {
			strscpy(seen->names[seen->n], de->d_name, sizeof(seen->names[0]));
			seen->types[seen->n] = de->d_type;
			seen->inos[seen->n] = de->d_ino;
			seen->n++;
		}
		off += de->d_reclen;
	}
	return n;
}

static int find_seen(const struct dirent_seen *seen, const char *name)
{
	for (int i = 0; i < seen->n; i++)
		if (!strcmp(seen->names[i], name))
			return i;
	return -1;
}

static u64 seen_ino(const struct dirent_seen *seen, const char *name)
{
	int at = find_seen(seen, name);

	return at < 0 ? 0 : seen->inos[at];
}

/* getdents64: every entry once, with its type, in records that fit the buffer. */
KTEST(fs_dirs_getdents)
{
	static const struct { const char *name; u8 type; } want[] = {
		{ ".", DT_DIR }, { "..", DT_DIR }, { "file", DT_REG }, { "sub", DT_DIR },
		{ "link", DT_LNK }, { "fifo", DT_FIFO },
	};
	struct dirent_seen seen = { .n = 0 };
	struct fs_fixture f;
	struct kstat st, root;
	struct file *dir;
	char buf[256];

	if (!fs_setup(t, &f))
		return;
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "d", 0755), 0);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "d/file", "x"), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "d/sub", 0755), 0);
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "file", "d/link"), 0);
	KTEST_EXPECT_EQ(t, do_mknodat(&f.ctx, "d/fifo", S_IFIFO | 0644, 0), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "d", 0755), -EEXIST);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "d", &st), 0);
	KTEST_EXPECT_EQ(t, st.nlink, 3);		/* ".", its name, sub's ".." */
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "/", &root), 0);

	dir = filp_open(&f.ctx, "d", O_RDONLY | O_DIRECTORY, 0);
	KTEST_EXPECT(t, !IS_ERR(dir));
	if (IS_ERR(dir))
		goto out;
	KTEST_EXPECT_EQ(t, vfs_getdents64(dir, buf, 16), -EINVAL);	/* not even "." fits */
	KTEST_EXPECT(t, read_dir(dir, buf, sizeof(buf), &seen) > 0);
	KTEST_EXPECT_EQ(t, read_dir(dir, buf, sizeof(buf), &seen), 0);
	KTEST_EXPECT_EQ(t, seen.n, ARRAY_SIZE(want));
	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++) {
		int at = find_seen(&seen, want[i].name);

		KTEST_EXPECT(t, at >= 0);
		if (at >= 0)
			KTEST_EXPECT_EQ(t, seen.types[at], want[i].type);
	}
	KTEST_EXPECT_EQ(t, seen_ino(&seen, "."), st.ino);
	KTEST_EXPECT_EQ(t, seen_ino(&seen, ".."), root.ino);

	/* Two at a time from the start, while entries come and go: none twice, new ones seen. */
	KTEST_EXPECT_EQ(t, vfs_llseek(dir, 0, SEEK_SET), 0);
	seen.n = 0;
	KTEST_EXPECT_EQ(t, read_dir(dir, buf, 48, &seen), 48);	/* "." and ".." */
	KTEST_EXPECT_EQ(t, read_dir(dir, buf, 56, &seen), 48);	/* "file" and "sub" */
	KTEST_EXPECT_EQ(t, do_unlinkat(&f.ctx, "d/file"), 0);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "d/new", "n"), 0);
	while (read_dir(dir, buf, 56, &seen) > 0)
		;
	KTEST_EXPECT_EQ(t, seen.n, 7);
	KTEST_EXPECT_EQ(t, find_seen(&seen, "new"), 6);
	KTEST_EXPECT_EQ(t, kernel_read(dir, buf, 1, &dir->f_pos), -EISDIR);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "d", O_WRONLY, 0), -EISDIR);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "d", O_RDONLY | O_TRUNC, 0), -EISDIR);

	KTEST_EXPECT_EQ(t, do_rmdir(&f.ctx, "d"), -ENOTEMPTY);
	KTEST_EXPECT_EQ(t, do_rmdir(&f.ctx, "d/sub"), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "d", &st), 0);
	KTEST_EXPECT_EQ(t, st.nlink, 2);
	KTEST_EXPECT_EQ(t, do_unlinkat(&f.ctx, "d/new"), 0);
	KTEST_EXPECT_EQ(t, do_unlinkat(&f.ctx, "d/link"), 0);
	KTEST_EXPECT_EQ(t, do_unlinkat(&f.ctx, "d/fifo"), 0);
	KTEST_EXPECT_EQ(t, do_rmdir(&f.ctx, "d"), 0);
	/* The open directory is gone: reading it fails, and nothing can be made in it. */
	KTEST_EXPECT_EQ(t, vfs_getdents64(dir, buf, sizeof(buf)), -ENOENT);
	{
		struct vfs_ctx in_dead = f.ctx;

		in_dead.pwd = dir->f_path;
		KTEST_EXPECT_EQ(t, do_mkdirat(&in_dead, "x", 0755), -ENOENT);
		KTEST_EXPECT_EQ(t, open_err(&in_dead, "y", O_CREAT | O_WRONLY, 0644), -ENOENT);
	}
	fput(dir);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "plain", "p"), 0);
	dir = filp_open(&f.ctx, "plain", O_RDONLY, 0);
	if (!IS_ERR(dir)) {
		KTEST_EXPECT_EQ(t, vfs_getdents64(dir, buf, sizeof(buf)), -ENOTDIR);
		fput(dir);
	}
out:
	fs_teardown(t, &f);
}

/* Relative, absolute and directory links, dangling links, loops, the 40-link limit. */
KTEST(fs_symlinks)
{
	struct fs_fixture f;
	struct kstat st;
	char name[8], target[8], buf[16];

	if (!fs_setup(t, &f))
		return;
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "target", "data"), 0);
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "target", "rel"), 0);
	KTEST_EXPECT(t, file_is(&f.ctx, "rel", "data"));
	KTEST_EXPECT_EQ(t, do_readlinkat(&f.ctx, "rel", buf, sizeof(buf)), 6);
	KTEST_EXPECT(t, !memcmp(buf, "target", 6));
	KTEST_EXPECT_EQ(t, do_readlinkat(&f.ctx, "rel", buf, 3), 3);
	KTEST_EXPECT_EQ(t, do_readlinkat(&f.ctx, "rel", buf, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, do_readlinkat(&f.ctx, "target", buf, sizeof(buf)), -EINVAL);
	KTEST_EXPECT_EQ(t, lstat_of(&f.ctx, "rel", &st), 0);
	KTEST_EXPECT_EQ(t, st.mode, S_IFLNK | 0777);
	KTEST_EXPECT_EQ(t, st.size, 6);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "rel", &st), 0);
	KTEST_EXPECT_EQ(t, st.mode & S_IFMT, S_IFREG);
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "x", "rel"), -EEXIST);
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "", "empty"), -ENOENT);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "rel", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "rel/", O_RDONLY, 0), -ENOTDIR);

	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "dir", 0755), 0);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "dir/f", "in dir"), 0);
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "/dir/f", "dir/abs"), 0);
	KTEST_EXPECT(t, file_is(&f.ctx, "dir/abs", "in dir"));
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "../target", "dir/up"), 0);
	KTEST_EXPECT(t, file_is(&f.ctx, "dir/up", "data"));
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "dir", "dl"), 0);
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "dl/", "dl2"), 0);
	KTEST_EXPECT(t, file_is(&f.ctx, "dl/f", "in dir"));
	KTEST_EXPECT(t, file_is(&f.ctx, "dl2/up", "data"));	/* links inside links */
	KTEST_EXPECT(t, same_path(&f.ctx, "dl2", "dir"));
	KTEST_EXPECT(t, same_path(&f.ctx, "dl/..", "/"));
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "/", "dir/rootlink"), 0);
	KTEST_EXPECT(t, file_is(&f.ctx, "dir/rootlink/dir/rootlink/target", "data"));

	/* Dangling: lstat works, open fails, O_CREAT creates the target as Linux does. */
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "nowhere", "dangling"), 0);
	KTEST_EXPECT_EQ(t, lstat_of(&f.ctx, "dangling", &st), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "dangling", &st), -ENOENT);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "dangling", O_RDONLY, 0), -ENOENT);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "dangling", O_WRONLY | O_CREAT | O_EXCL, 0644),
			-EEXIST);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "dangling", O_WRONLY | O_CREAT, 0644), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "nowhere", &st), 0);

	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "loop2", "loop1"), 0);
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "loop1", "loop2"), 0);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "loop1", O_RDONLY, 0), -ELOOP);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "loop2/x", &st), -ELOOP);
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "self", "self"), 0);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "self", O_RDONLY | O_CREAT, 0644), -ELOOP);

	/* l0 -> target, l1 -> l0, ...: 40 links resolve, the 41st is one too many. */
	for (int i = 0; i <= MAXSYMLINKS; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		if (i)
			snprintf(target, sizeof(target), "l%d", i - 1);
		KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, i ? target : "target", name), 0);
	}
	KTEST_EXPECT(t, file_is(&f.ctx, "l39", "data"));
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "l40", O_RDONLY, 0), -ELOOP);
	KTEST_EXPECT_EQ(t, lstat_of(&f.ctx, "l40", &st), 0);
	fs_teardown(t, &f);
}

/* link(): one inode, several names, data shared, nlink counted; the errors. */
KTEST(fs_hardlinks)
{
	struct fs_fixture f;
	struct kstat a, b;

	if (!fs_setup(t, &f))
		return;
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "a", "first"), 0);
	KTEST_EXPECT_EQ(t, do_linkat(&f.ctx, "a", &f.ctx, "b", 0), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "a", &a), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "b", &b), 0);
	KTEST_EXPECT_EQ(t, a.ino, b.ino);
	KTEST_EXPECT_EQ(t, a.nlink, 2);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "b", "second"), 0);
	KTEST_EXPECT(t, file_is(&f.ctx, "a", "second"));
	KTEST_EXPECT_EQ(t, do_unlinkat(&f.ctx, "a"), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "b", &b), 0);
	KTEST_EXPECT_EQ(t, b.nlink, 1);
	KTEST_EXPECT(t, file_is(&f.ctx, "b", "second"));

	KTEST_EXPECT_EQ(t, do_linkat(&f.ctx, "a", &f.ctx, "c", 0), -ENOENT);
	KTEST_EXPECT_EQ(t, do_linkat(&f.ctx, "b", &f.ctx, "b", 0), -EEXIST);
	KTEST_EXPECT_EQ(t, do_linkat(&f.ctx, "b", &f.ctx, "b", 0x1), -EINVAL);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "d", 0755), 0);
	KTEST_EXPECT_EQ(t, do_linkat(&f.ctx, "d", &f.ctx, "d2", 0), -EPERM);
	KTEST_EXPECT_EQ(t, do_linkat(&f.ctx, "b", &f.ctx, "nodir/x", 0), -ENOENT);
	KTEST_EXPECT_EQ(t, do_linkat(&f.ctx, "b", &f.ctx, "d/x/", 0), -ENOENT);
	/* Without AT_SYMLINK_FOLLOW the link itself gets the new name. */
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "b", "s"), 0);
	KTEST_EXPECT_EQ(t, do_linkat(&f.ctx, "s", &f.ctx, "s2", 0), 0);
	KTEST_EXPECT_EQ(t, lstat_of(&f.ctx, "s", &a), 0);
	KTEST_EXPECT_EQ(t, a.nlink, 2);
	KTEST_EXPECT_EQ(t, do_linkat(&f.ctx, "s", &f.ctx, "d/b2", AT_SYMLINK_FOLLOW), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "b", &b), 0);
	KTEST_EXPECT_EQ(t, b.nlink, 2);
	KTEST_EXPECT(t, file_is(&f.ctx, "d/b2", "second"));
	fs_teardown(t, &f);
}

/* rename(): replacing files and empty directories, and every refusal. */
KTEST(fs_rename)
{
	struct fs_fixture f;
	struct kstat st, before;
	struct file *file;
	char buf[16];
	int inodes;

	if (!fs_setup(t, &f))
		return;
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "a", "A"), 0);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "b", "B"), 0);
	file = filp_open(&f.ctx, "a", O_RDONLY, 0);
	inodes = atomic_read(&nr_inodes);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "a", &f.ctx, "b", 0), 0);
	KTEST_EXPECT(t, file_is(&f.ctx, "b", "A"));
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "a", &st), -ENOENT);
	KTEST_EXPECT_EQ(t, atomic_read(&nr_inodes), inodes - 1);	/* the old "b" is gone */
	if (!IS_ERR(file)) {
		loff_t pos = 0;

		KTEST_EXPECT_EQ(t, kernel_read(file, buf, sizeof(buf), &pos), 1);
		fput(file);
	}

	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "d1", 0755), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "d2", 0755), 0);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "b", &f.ctx, "d1/x", 0), 0);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d1/x", &f.ctx, "d2/y", 0), 0);
	KTEST_EXPECT(t, file_is(&f.ctx, "d2/y", "A"));
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d2/nope", &f.ctx, "d1/x", 0), -ENOENT);

	/* A directory over an empty one; ".." follows the move. */
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "d1/sub", 0755), 0);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "d1/sub/f", "F"), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "d2/empty", 0755), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "d2", &before), 0);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d1/sub", &f.ctx, "d2/empty", 0), 0);
	KTEST_EXPECT(t, file_is(&f.ctx, "d2/empty/f", "F"));
	KTEST_EXPECT(t, same_path(&f.ctx, "d2/empty/..", "d2"));
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "d2", &st), 0);
	KTEST_EXPECT_EQ(t, st.nlink, before.nlink);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "d1", &st), 0);
	KTEST_EXPECT_EQ(t, st.nlink, 2);

	/* A directory moving to another parent takes a link with it. */
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "d1/sub", 0755), 0);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d1/sub", &f.ctx, "d2/sub", 0), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "d1", &st), 0);
	KTEST_EXPECT_EQ(t, st.nlink, 2);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "d2", &st), 0);
	KTEST_EXPECT_EQ(t, st.nlink, before.nlink + 1);
	KTEST_EXPECT_EQ(t, do_rmdir(&f.ctx, "d2/sub"), 0);

	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "full", 0755), 0);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "full/f", "x"), 0);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d1", &f.ctx, "full", 0), -ENOTEMPTY);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d2", &f.ctx, "d2/empty/deeper", 0), -EINVAL);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d2", &f.ctx, "d2/empty", 0), -EINVAL);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d2/empty", &f.ctx, "d2", 0), -ENOTEMPTY);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d2", &f.ctx, "d2", 0), 0);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "full/f", &f.ctx, "d1", 0), -EISDIR);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d1", &f.ctx, "full/f", 0), -ENOTDIR);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "full/f", &f.ctx, "full/g/", 0), -ENOTDIR);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, ".", &f.ctx, "x", 0), -EBUSY);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d1", &f.ctx, "..", 0), -EBUSY);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d1", &f.ctx, "..", RENAME_NOREPLACE), -EEXIST);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d2/y", &f.ctx, "full/f", RENAME_NOREPLACE), -EEXIST);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d2/y", &f.ctx, "full/g", RENAME_EXCHANGE), -EINVAL);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "d1", &f.ctx, "d3/", 0), 0);

	/* Two names of one file: nothing happens. */
	KTEST_EXPECT_EQ(t, do_linkat(&f.ctx, "full/f", &f.ctx, "full/h", 0), 0);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "full/f", &f.ctx, "full/h", 0), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "full/f", &st), 0);
	KTEST_EXPECT_EQ(t, st.nlink, 2);
	fs_teardown(t, &f);
}

/* An unlinked file lives, data and all, until its last reference goes. */
KTEST(fs_unlink_open_file)
{
	struct fs_fixture f;
	struct file *w, *r;
	struct kstat st;
	char buf[8];
	loff_t pos;
	int inodes;

	if (!fs_setup(t, &f))
		return;
	w = filp_open(&f.ctx, "f", O_RDWR | O_CREAT, 0644);
	KTEST_EXPECT(t, !IS_ERR(w));
	if (IS_ERR(w))
		goto out;
	pos = 2 * PAGE_SIZE;
	KTEST_EXPECT_EQ(t, kernel_write(w, "tail", 4, &pos), 4);
	r = filp_open(&f.ctx, "f", O_RDONLY, 0);
	inodes = atomic_read(&nr_inodes);
	KTEST_EXPECT_EQ(t, do_unlinkat(&f.ctx, "f"), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "f", &st), -ENOENT);
	KTEST_EXPECT_EQ(t, atomic_read(&nr_inodes), inodes);
	KTEST_EXPECT_EQ(t, vfs_getattr(&w->f_path, &st), 0);
	KTEST_EXPECT_EQ(t, st.nlink, 0);
	pos = 0;
	KTEST_EXPECT_EQ(t, kernel_write(w, "head", 4, &pos), 4);
	fput(w);
	KTEST_EXPECT_EQ(t, atomic_read(&nr_inodes), inodes);
	if (!IS_ERR(r)) {
		pos = 0;
		KTEST_EXPECT_EQ(t, kernel_read(r, buf, 4, &pos), 4);
		KTEST_EXPECT(t, !memcmp(buf, "head", 4));
		pos = 2 * PAGE_SIZE;
		KTEST_EXPECT_EQ(t, kernel_read(r, buf, 8, &pos), 4);
		KTEST_EXPECT(t, !memcmp(buf, "tail", 4));
		fput(r);
	}
	KTEST_EXPECT_EQ(t, atomic_read(&nr_inodes), inodes - 1);
out:
	fs_teardown(t, &f);
}

/* Mode bits against owner, group and others; sticky directories; root's exceptions. */
KTEST(fs_permissions)
{
	static const gid_t groups[] = { 2000 };
	struct fs_fixture f;
	struct vfs_ctx user;
	struct kstat st;
	struct path path;
	struct timespec64 times[2] = { { 1000, 0 }, { 2000, 0 } };

	if (!fs_setup(t, &f))
		return;
	user = f.ctx;
	user.fsuid = 1000;
	user.fsgid = 1000;
	user.ngroups = 1;
	user.groups = groups;
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "secret", "s"), 0);
	KTEST_EXPECT_EQ(t, do_fchmodat(&f.ctx, "secret", 0600), 0);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "pub", "p"), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "noexec", 0755), 0);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "noexec/f", "f"), 0);
	KTEST_EXPECT_EQ(t, do_fchmodat(&f.ctx, "noexec", 0644), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "ro", 0555), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "ro/sub", 0755), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "tmp", 0777), 0);
	KTEST_EXPECT_EQ(t, do_fchmodat(&f.ctx, "tmp", 01777), 0);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "tmp/roots", "r"), 0);

	KTEST_EXPECT_EQ(t, open_err(&user, "secret", O_RDONLY, 0), -EACCES);
	KTEST_EXPECT_EQ(t, open_err(&user, "pub", O_RDONLY, 0), 0);
	KTEST_EXPECT_EQ(t, open_err(&user, "pub", O_WRONLY, 0), -EACCES);
	KTEST_EXPECT_EQ(t, open_err(&user, "pub", O_RDONLY | O_TRUNC, 0), -EACCES);
	KTEST_EXPECT_EQ(t, stat_of(&user, "noexec/f", &st), -EACCES);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "noexec/f", &st), 0);
	KTEST_EXPECT_EQ(t, open_err(&user, "ro/new", O_WRONLY | O_CREAT, 0644), -EACCES);
	KTEST_EXPECT_EQ(t, do_mkdirat(&user, "ro/new", 0755), -EACCES);
	KTEST_EXPECT_EQ(t, do_mkdirat(&user, "ro/sub", 0755), -EEXIST);
	KTEST_EXPECT_EQ(t, do_rmdir(&user, "ro/sub"), -EACCES);

	/* Sticky: anyone creates, only owners (of file or directory) remove. */
	KTEST_EXPECT_EQ(t, create_file(&user, "tmp/mine", "m"), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "tmp/mine", &st), 0);
	KTEST_EXPECT_EQ(t, st.uid, 1000);
	KTEST_EXPECT_EQ(t, st.gid, 1000);
	KTEST_EXPECT_EQ(t, do_unlinkat(&user, "tmp/roots"), -EPERM);
	KTEST_EXPECT_EQ(t, do_renameat2(&user, "tmp/roots", &user, "tmp/x", 0), -EPERM);
	KTEST_EXPECT_EQ(t, do_unlinkat(&user, "tmp/mine"), 0);

	/* chmod and chown belong to the owner (and root); set-ID bits are guarded. */
	KTEST_EXPECT_EQ(t, do_fchmodat(&user, "pub", 0666), -EPERM);
	KTEST_EXPECT_EQ(t, do_fchownat(&user, "pub", 1000, -1, 0), -EPERM);
	KTEST_EXPECT_EQ(t, create_file(&user, "tmp/own", "o"), 0);
	KTEST_EXPECT_EQ(t, do_fchmodat(&user, "tmp/own", 02755), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "tmp/own", &st), 0);
	KTEST_EXPECT_EQ(t, st.mode, S_IFREG | 02755);
	KTEST_EXPECT_EQ(t, do_fchownat(&user, "tmp/own", 1000, 2000, 0), 0);
	KTEST_EXPECT_EQ(t, do_fchownat(&user, "tmp/own", -1, 7, 0), -EPERM);
	KTEST_EXPECT_EQ(t, do_fchownat(&f.ctx, "tmp/own", -1, 7, 0), 0);
	KTEST_EXPECT_EQ(t, do_fchmodat(&user, "tmp/own", 02755), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "tmp/own", &st), 0);
	KTEST_EXPECT_EQ(t, st.mode, S_IFREG | 0755);	/* not in group 7: no set-group-ID */
	KTEST_EXPECT_EQ(t, do_fchmodat(&f.ctx, "tmp/own", 06755), 0);
	KTEST_EXPECT_EQ(t, do_fchownat(&f.ctx, "tmp/own", 0, 0, 0), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "tmp/own", &st), 0);
	KTEST_EXPECT_EQ(t, st.mode, S_IFREG | 0755);	/* chown drops set-ID bits */

	/* Times: to now with write permission, to a given time only as owner. */
	KTEST_EXPECT_EQ(t, do_utimes(&user, "pub", NULL, 0), -EACCES);
	KTEST_EXPECT_EQ(t, do_utimes(&user, "pub", times, 0), -EPERM);
	KTEST_EXPECT_EQ(t, do_utimes(&f.ctx, "pub", times, 0), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "pub", &st), 0);
	KTEST_EXPECT_EQ(t, st.atime.tv_sec, 1000);
	KTEST_EXPECT_EQ(t, st.mtime.tv_sec, 2000);
	times[0].tv_nsec = UTIME_OMIT;
	times[1].tv_nsec = 5;
	KTEST_EXPECT_EQ(t, do_utimes(&f.ctx, "pub", times, 0), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "pub", &st), 0);
	KTEST_EXPECT_EQ(t, st.atime.tv_sec, 1000);
	KTEST_EXPECT_EQ(t, st.mtime.tv_nsec, 5);
	times[1].tv_nsec = 1000000000;
	KTEST_EXPECT_EQ(t, do_utimes(&f.ctx, "pub", times, 0), -EINVAL);

	/* Root reads and writes anything, but executes only what someone may execute. */
	KTEST_EXPECT_EQ(t, do_fchmodat(&f.ctx, "secret", 0), 0);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "secret", O_RDWR, 0), 0);
	KTEST_EXPECT_EQ(t, kern_path(&f.ctx, "secret", 0, &path), 0);
	KTEST_EXPECT_EQ(t, inode_permission(&f.ctx, path.dentry->d_inode, MAY_EXEC), -EACCES);
	KTEST_EXPECT_EQ(t, do_fchmodat(&f.ctx, "secret", 0100), 0);
	KTEST_EXPECT_EQ(t, inode_permission(&f.ctx, path.dentry->d_inode, MAY_EXEC), 0);
	KTEST_EXPECT_EQ(t, inode_permission(&user, path.dentry->d_inode, MAY_EXEC), -EACCES);
	path_put(&path);

	/* Set-group-ID directories hand down their group, and the bit to subdirectories. */
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "sg", 0777), 0);
	KTEST_EXPECT_EQ(t, do_fchownat(&f.ctx, "sg", 0, 50, 0), 0);
	KTEST_EXPECT_EQ(t, do_fchmodat(&f.ctx, "sg", 02777), 0);
	KTEST_EXPECT_EQ(t, create_file(&user, "sg/f", "g"), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&user, "sg/d", 0755), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "sg/f", &st), 0);
	KTEST_EXPECT_EQ(t, st.gid, 50);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "sg/d", &st), 0);
	KTEST_EXPECT_EQ(t, st.mode, S_IFDIR | 02755);

	/* The umask; devices need privilege, FIFOs do not. */
	user.umask = 077;
	KTEST_EXPECT_EQ(t, open_err(&user, "tmp/masked", O_WRONLY | O_CREAT, 0666), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "tmp/masked", &st), 0);
	KTEST_EXPECT_EQ(t, st.mode, S_IFREG | 0600);
	KTEST_EXPECT_EQ(t, do_mknodat(&user, "tmp/dev", S_IFCHR | 0666, MKDEV(1, 3)), -EPERM);
	KTEST_EXPECT_EQ(t, do_mknodat(&user, "tmp/fifo", S_IFIFO | 0666, 0), 0);
	KTEST_EXPECT_EQ(t, do_mknodat(&f.ctx, "tmp/dev", S_IFCHR | 0666, MKDEV(1, 3)), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "tmp/dev", &st), 0);
	KTEST_EXPECT_EQ(t, st.rdev, MKDEV(1, 3));
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "tmp/dev", O_RDONLY, 0), 0);	/* /dev/null */
	/* A major no driver has. */
	KTEST_EXPECT_EQ(t, do_mknodat(&f.ctx, "tmp/nodrv", S_IFCHR | 0666, MKDEV(240, 0)), 0);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "tmp/nodrv", O_RDONLY, 0), -ENXIO);
	KTEST_EXPECT_EQ(t, do_mknodat(&f.ctx, "tmp/d", S_IFDIR | 0755, 0), -EPERM);
	KTEST_EXPECT_EQ(t, do_mknodat(&f.ctx, "tmp/bad", 0170000, 0), -EINVAL);
	fs_teardown(t, &f);
}

/* kstat to the stat(2) and statx(2) records, device numbers in their encodings. */
KTEST(fs_stat_records)
{
	static char data[5000];
	struct fs_fixture f;
	struct statx stx;
	struct stat sb;
	struct kstat st;
	struct file *file;
	loff_t pos = 0;

	if (!fs_setup(t, &f))
		return;
	file = filp_open(&f.ctx, "file", O_WRONLY | O_CREAT, 0640);
	if (!IS_ERR(file)) {
		KTEST_EXPECT_EQ(t, kernel_write(file, data, sizeof(data), &pos), sizeof(data));
		fput(file);
	}
	KTEST_EXPECT_EQ(t, do_fchownat(&f.ctx, "file", 7, 8, 0), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "file", &st), 0);
	cp_new_stat(&st, &sb);
	KTEST_EXPECT_EQ(t, sb.st_size, 5000);
	KTEST_EXPECT_EQ(t, sb.st_blocks, 2 * PAGE_SIZE / 512);
	KTEST_EXPECT_EQ(t, sb.st_blksize, 4096);
	KTEST_EXPECT_EQ(t, sb.st_mode, S_IFREG | 0640);
	KTEST_EXPECT_EQ(t, sb.st_uid, 7);
	KTEST_EXPECT_EQ(t, sb.st_gid, 8);
	KTEST_EXPECT_EQ(t, sb.st_nlink, 1);
	KTEST_EXPECT_EQ(t, sb.st_ino, st.ino);
	KTEST_EXPECT_EQ(t, sb.st_dev, new_encode_dev(f.mnt->mnt_sb->s_dev));
	KTEST_EXPECT_EQ(t, sb.st_mtime, st.mtime.tv_sec);
	KTEST_EXPECT_EQ(t, sb.st_ctime_nsec, st.ctime.tv_nsec);
	cp_statx(&st, &stx);
	KTEST_EXPECT_EQ(t, stx.stx_mask, STATX_BASIC_STATS | STATX_MNT_ID);
	KTEST_EXPECT_EQ(t, stx.stx_size, 5000);
	KTEST_EXPECT_EQ(t, stx.stx_blocks, 16);
	KTEST_EXPECT_EQ(t, stx.stx_mode, S_IFREG | 0640);
	KTEST_EXPECT_EQ(t, stx.stx_mnt_id, f.mnt->mnt_id);
	KTEST_EXPECT_EQ(t, stx.stx_dev_minor, MINOR(f.mnt->mnt_sb->s_dev));

	KTEST_EXPECT_EQ(t, do_mknodat(&f.ctx, "dev", S_IFBLK | 0600, MKDEV(8, 300)), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "dev", &st), 0);
	cp_new_stat(&st, &sb);
	KTEST_EXPECT_EQ(t, sb.st_rdev, 0x10082c);
	KTEST_EXPECT_EQ(t, new_decode_dev(sb.st_rdev), MKDEV(8, 300));
	cp_statx(&st, &stx);
	KTEST_EXPECT_EQ(t, stx.stx_rdev_major, 8);
	KTEST_EXPECT_EQ(t, stx.stx_rdev_minor, 300);
	fs_teardown(t, &f);
}

/* Bad names get Linux's errors. */
KTEST(fs_path_errors)
{
	struct fs_fixture f;
	struct kstat st;
	struct path path;
	char *name = kmalloc(PATH_MAX + 1, GFP_KERNEL);

	if (!name || !fs_setup(t, &f)) {
		kfree(name);
		KTEST_EXPECT(t, name);
		return;
	}
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "file", "x"), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "dir", 0755), 0);
	KTEST_EXPECT_EQ(t, kern_path(&f.ctx, "", 0, &path), -ENOENT);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "nonexistent", &st), -ENOENT);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "nonexistent/x", &st), -ENOENT);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "file/x", &st), -ENOTDIR);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "file/", &st), -ENOTDIR);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "file/.", &st), -ENOTDIR);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "dir/", &st), 0);
	KTEST_EXPECT(t, same_path(&f.ctx, "../../..", "/"));
	KTEST_EXPECT(t, same_path(&f.ctx, "./dir/../dir/./", "//dir"));

	memset(name, 'n', NAME_MAX);
	name[NAME_MAX] = '\0';
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, name, "long"), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, name, &st), 0);
	name[NAME_MAX] = 'n';
	name[NAME_MAX + 1] = '\0';
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, name, "too long"), -ENAMETOOLONG);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, name, &st), -ENAMETOOLONG);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, name, 0755), -ENAMETOOLONG);
	for (int i = 0; i < PATH_MAX; i += 2) {
		name[i] = '.';
		name[i + 1] = '/';
	}
	name[PATH_MAX] = '\0';
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, name, &st), -ENAMETOOLONG);
	name[PATH_MAX - 1] = '\0';		/* 4095 bytes: fits */
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, name, &st), 0);

	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "/", 0755), -EEXIST);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, ".", 0755), -EEXIST);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "file", 0755), -EEXIST);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "new/", 0755), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "a/b", 0755), -ENOENT);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "file/b", 0755), -ENOTDIR);
	KTEST_EXPECT_EQ(t, do_mknodat(&f.ctx, "newfile/", S_IFREG | 0644, 0), -ENOENT);
	KTEST_EXPECT_EQ(t, do_symlinkat(&f.ctx, "x", "newlink/"), -ENOENT);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "newf/", O_WRONLY | O_CREAT, 0644), -EISDIR);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "dir", O_WRONLY | O_CREAT, 0644), -EISDIR);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "..", O_RDONLY | O_CREAT, 0644), -EISDIR);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "x", O_RDONLY | O_CREAT | O_DIRECTORY, 0644), -EINVAL);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "file", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "dir", O_RDONLY | O_DIRECTORY, 0), 0);
	KTEST_EXPECT_EQ(t, open_err(&f.ctx, "dir", O_RDWR | __O_TMPFILE | O_DIRECTORY, 0600),
			-EOPNOTSUPP);

	KTEST_EXPECT_EQ(t, do_unlinkat(&f.ctx, "dir"), -EISDIR);
	KTEST_EXPECT_EQ(t, do_unlinkat(&f.ctx, "file/"), -ENOTDIR);
	KTEST_EXPECT_EQ(t, do_unlinkat(&f.ctx, "dir/"), -EISDIR);
	KTEST_EXPECT_EQ(t, do_unlinkat(&f.ctx, "nothing/"), -ENOENT);
	KTEST_EXPECT_EQ(t, do_unlinkat(&f.ctx, "."), -EISDIR);
	KTEST_EXPECT_EQ(t, do_rmdir(&f.ctx, "file"), -ENOTDIR);
	KTEST_EXPECT_EQ(t, do_rmdir(&f.ctx, "dir/."), -EINVAL);
	KTEST_EXPECT_EQ(t, do_rmdir(&f.ctx, "dir/.."), -ENOTEMPTY);
	KTEST_EXPECT_EQ(t, do_rmdir(&f.ctx, "/"), -EBUSY);
	KTEST_EXPECT_EQ(t, do_rmdir(&f.ctx, "nothing"), -ENOENT);
	KTEST_EXPECT_EQ(t, do_rmdir(&f.ctx, "dir/"), 0);
	fs_teardown(t, &f);
	kfree(name);
}

/* A tmpfs over a directory: crossed both ways, covering it, busy while used. */
KTEST(fs_mount_tmpfs)
{
	struct fs_fixture f;
	struct kstat st, root;
	struct file *file;

	if (!fs_setup(t, &f))
		return;
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "mnt", 0755), 0);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "mnt/hidden", "under"), 0);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "file", "f"), 0);
	KTEST_EXPECT_EQ(t, do_mount(&f.ctx, "none", "mnt", "nofs", NULL), -ENODEV);
	KTEST_EXPECT_EQ(t, do_mount(&f.ctx, "none", "file", "tmpfs", NULL), -ENOTDIR);
	KTEST_EXPECT_EQ(t, do_mount(&f.ctx, "none", "nowhere", "tmpfs", NULL), -ENOENT);
	KTEST_EXPECT_EQ(t, do_mount(&f.ctx, "none", "mnt", "tmpfs", NULL), 0);

	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "mnt/hidden", &st), -ENOENT);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "mnt", &st), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "/", &root), 0);
	KTEST_EXPECT_EQ(t, st.mode, S_IFDIR | 01777);
	KTEST_EXPECT(t, st.dev != root.dev);
	KTEST_EXPECT(t, st.mnt_id != root.mnt_id);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "mnt/x", "on top"), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "mnt/sub", 0755), 0);
	KTEST_EXPECT(t, same_path(&f.ctx, "mnt/sub/../..", "/"));
	KTEST_EXPECT(t, same_path(&f.ctx, "mnt/..", "/"));
	KTEST_EXPECT(t, file_is(&f.ctx, "mnt/sub/../../mnt/x", "on top"));
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "mnt/x", &f.ctx, "y", 0), -EXDEV);
	KTEST_EXPECT_EQ(t, do_linkat(&f.ctx, "file", &f.ctx, "mnt/link", 0), -EXDEV);
	KTEST_EXPECT_EQ(t, do_rmdir(&f.ctx, "mnt"), -EBUSY);
	KTEST_EXPECT_EQ(t, do_renameat2(&f.ctx, "mnt", &f.ctx, "moved", 0), -EBUSY);
	KTEST_EXPECT_EQ(t, do_umount(&f.ctx, "file"), -EINVAL);
	KTEST_EXPECT_EQ(t, do_umount(&f.ctx, "mnt/sub"), -EINVAL);
	KTEST_EXPECT_EQ(t, do_umount(&f.ctx, "/"), -EINVAL);

	/* Stacked: the newest mount is on top, and umount uncovers the one below. */
	KTEST_EXPECT_EQ(t, do_mount(&f.ctx, "none", "mnt", "ramfs", "size=1M,mode=0700"), 0);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "mnt", &st), 0);
	KTEST_EXPECT_EQ(t, st.mode, S_IFDIR | 0700);
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "mnt/x", &st), -ENOENT);
	KTEST_EXPECT_EQ(t, do_umount(&f.ctx, "mnt"), 0);
	KTEST_EXPECT(t, file_is(&f.ctx, "mnt/x", "on top"));

	/* Busy while a file is open in it, or something is mounted below it. */
	file = filp_open(&f.ctx, "mnt/x", O_RDONLY, 0);
	KTEST_EXPECT_EQ(t, do_umount(&f.ctx, "mnt"), -EBUSY);
	if (!IS_ERR(file))
		fput(file);
	KTEST_EXPECT_EQ(t, do_mount(&f.ctx, "none", "mnt/sub", "tmpfs", NULL), 0);
	KTEST_EXPECT_EQ(t, do_umount(&f.ctx, "mnt"), -EBUSY);
	KTEST_EXPECT_EQ(t, do_umount(&f.ctx, "mnt/sub"), 0);
	KTEST_EXPECT_EQ(t, do_umount(&f.ctx, "mnt"), 0);
	KTEST_EXPECT(t, file_is(&f.ctx, "mnt/hidden", "under"));
	KTEST_EXPECT_EQ(t, stat_of(&f.ctx, "mnt/x", &st), -ENOENT);
	KTEST_EXPECT_EQ(t, do_umount(&f.ctx, "mnt"), -EINVAL);
	fs_teardown(t, &f);
}

#define NOFILE 8

/* fd tables: lowest free fd, dup semantics, close-on-exec, the limits. */
KTEST(fs_fd_table)
{
	struct files_struct *files, *copy;
	struct fs_fixture f;
	struct file *a, *b, *got;
	int files_before, fd;

	if (!fs_setup(t, &f))
		return;
	files = alloc_files();
	a = filp_open(&f.ctx, "a", O_RDWR | O_CREAT, 0644);
	b = filp_open(&f.ctx, "b", O_RDWR | O_CREAT, 0644);
	KTEST_EXPECT(t, files && !IS_ERR(a) && !IS_ERR(b));
	if (!files || IS_ERR(a) || IS_ERR(b))
		goto out;
	files_before = atomic_read(&nr_files);

	for (int i = 0; i < 3; i++) {
		fd = alloc_fd(files, 0, NOFILE, 0);
		KTEST_EXPECT_EQ(t, fd, i);
		fd_install(files, fd, get_file(i ? b : a));
	}
	KTEST_EXPECT_EQ(t, close_fd(files, 1), 0);
	KTEST_EXPECT_EQ(t, close_fd(files, 1), -EBADF);
	KTEST_EXPECT(t, !fget(files, 1));
	KTEST_EXPECT_EQ(t, ksys_dup(files, 0, NOFILE), 1);
	got = fget(files, 1);
	KTEST_EXPECT(t, got == a);
	if (got)
		fput(got);

	KTEST_EXPECT_EQ(t, ksys_dup2(files, 0, 0, NOFILE), 0);
	KTEST_EXPECT_EQ(t, ksys_dup2(files, 6, 6, NOFILE), -EBADF);
	KTEST_EXPECT_EQ(t, ksys_dup2(files, 6, 2, NOFILE), -EBADF);
	KTEST_EXPECT_EQ(t, ksys_dup3(files, 0, 0, 0, NOFILE), -EINVAL);
	KTEST_EXPECT_EQ(t, ksys_dup3(files, 0, 4, O_RDWR, NOFILE), -EINVAL);
	KTEST_EXPECT_EQ(t, ksys_dup3(files, 0, NOFILE, 0, NOFILE), -EBADF);
	KTEST_EXPECT_EQ(t, ksys_dup3(files, 0, 5, O_CLOEXEC, NOFILE), 5);
	KTEST_EXPECT_EQ(t, get_close_on_exec(files, 5), 1);
	KTEST_EXPECT_EQ(t, get_close_on_exec(files, 0), 0);
	KTEST_EXPECT_EQ(t, get_close_on_exec(files, 4), -EBADF);
	KTEST_EXPECT_EQ(t, set_close_on_exec(files, 0, true), 0);
	KTEST_EXPECT_EQ(t, set_close_on_exec(files, 0, false), 0);
	KTEST_EXPECT_EQ(t, get_close_on_exec(files, 0), 0);
	/* dup2 over an open fd closes what it had: b is down to the test's reference. */
	got = fget(files, 2);
	KTEST_EXPECT(t, got == b);
	if (got)
		fput(got);
	KTEST_EXPECT_EQ(t, ksys_dup3(files, 0, 2, 0, NOFILE), 2);
	KTEST_EXPECT_EQ(t, atomic_read(&b->f_count), 1);
	fd = alloc_fd(files, 0, NOFILE, 0);
	KTEST_EXPECT_EQ(t, fd, 3);
	KTEST_EXPECT_EQ(t, ksys_dup3(files, 0, 3, 0, NOFILE), -EBUSY);	/* reserved */
	put_unused_fd(files, 3);
	KTEST_EXPECT_EQ(t, f_dupfd(files, 4, b, O_CLOEXEC, NOFILE), 4);
	KTEST_EXPECT_EQ(t, f_dupfd(files, NOFILE, b, 0, NOFILE), -EINVAL);
	KTEST_EXPECT_EQ(t, alloc_fd(files, 0, NOFILE, 0), 3);
	fd_install(files, 3, get_file(b));
	KTEST_EXPECT_EQ(t, alloc_fd(files, 0, NOFILE, 0), 6);
	fd_install(files, 6, get_file(b));
	KTEST_EXPECT_EQ(t, alloc_fd(files, 0, NOFILE, 0), 7);
	fd_install(files, 7, get_file(b));
	KTEST_EXPECT_EQ(t, alloc_fd(files, 0, NOFILE, 0), -EMFILE);
	KTEST_EXPECT_EQ(t, ksys_dup(files, 0, NOFILE), -EMFILE);

	/* fork shares the files and the close-on-exec bits; exec closes those. */
	copy = dup_fd(files);
	KTEST_EXPECT(t, copy);
	if (copy) {
		KTEST_EXPECT_EQ(t, get_close_on_exec(copy, 5), 1);
		do_close_on_exec(copy);
		KTEST_EXPECT(t, !fget(copy, 4) && !fget(copy, 5));
		got = fget(copy, 6);
		KTEST_EXPECT(t, got == b);
		if (got)
			fput(got);
		KTEST_EXPECT_EQ(t, alloc_fd(copy, 0, NOFILE, 0), 4);
		put_files_struct(copy);
	}
	KTEST_EXPECT_EQ(t, get_close_on_exec(files, 5), 1);

	/* The table grows past its first 64 fds, lowest first all the way. */
	for (int i = NOFILE; i < 200; i++) {
		fd = alloc_fd(files, 0, 1000, 0);
		if (fd != i) {
			KTEST_EXPECT_EQ(t, fd, i);
			break;
		}
		fd_install(files, fd, get_file(a));
	}
	KTEST_EXPECT_EQ(t, ksys_dup3(files, 0, 999, 0, 1000), 999);
	KTEST_EXPECT_EQ(t, f_dupfd(files, 500, a, 0, 1000), 500);
	KTEST_EXPECT_EQ(t, close_fd(files, 100), 0);
	KTEST_EXPECT_EQ(t, alloc_fd(files, 0, 1000, 0), 100);
	put_unused_fd(files, 100);
	put_files_struct(files);
	files = NULL;
	KTEST_EXPECT_EQ(t, atomic_read(&a->f_count), 1);
	KTEST_EXPECT_EQ(t, atomic_read(&b->f_count), 1);
	KTEST_EXPECT_EQ(t, atomic_read(&nr_files), files_before);
out:
	if (files)
		put_files_struct(files);
	if (!IS_ERR(a))
		fput(a);
	if (!IS_ERR(b))
		fput(b);
	fs_teardown(t, &f);
}

#define STRESS_THREADS	4
#define STRESS_ROUNDS	100

struct fs_stress {
	const struct vfs_ctx *ctx;
	int id;
	int errors;
	char what[48];		/* the first failure */
};

static void stress_check(struct fs_stress *s, int err, bool ok, const char *what)
{
	if (!ok && !s->errors++)
		snprintf(s->what, sizeof(s->what), "%s: %d", what, err);
}

static int count_dir(const struct vfs_ctx *ctx, const char *name)
{
	struct dirent_seen seen = { .n = 0 };
	struct file *dir = filp_open(ctx, name, O_RDONLY | O_DIRECTORY, 0);
	char buf[128];
	int n;

	if (IS_ERR(dir))
		return PTR_ERR(dir);
	while ((n = read_dir(dir, buf, sizeof(buf), &seen)) > 0)
		;
	fput(dir);
	return n < 0 ? n : seen.n - 2;
}

/*
 * Each thread creates, renames across directories, links, unlinks, makes and removes
 * directories, and reads the directories, while all of them fight over two shared
 * names that move between d1 and d2 (rename locks the pair in both orders).
 */
static int stress_fn(void *data)
{
	struct fs_stress *s = data;
	const struct vfs_ctx *ctx = s->ctx;
	char a[32], b[32];
	int err;

	for (int i = 0; i < STRESS_ROUNDS; i++) {
		snprintf(a, sizeof(a), "d1/t%d_%d", s->id, i);
		snprintf(b, sizeof(b), "d2/t%d_%d", s->id, i);
		err = create_file(ctx, a, "data");
		stress_check(s, err, !err, "create");
		err = do_renameat2(ctx, a, ctx, b, 0);
		stress_check(s, err, !err, "rename");
		err = do_linkat(ctx, b, ctx, a, 0);
		stress_check(s, err, !err, "link");
		err = do_unlinkat(ctx, b);
		stress_check(s, err, !err, "unlink");
		err = do_renameat2(ctx, s->id & 1 ? "d1/shared" : "d2/shared", ctx,
				   s->id & 1 ? "d2/shared" : "d1/shared", 0);
		stress_check(s, err, !err || err == -ENOENT, "rename shared");
		err = do_renameat2(ctx, s->id & 2 ? "d1/sub" : "d2/sub", ctx,
				   s->id & 2 ? "d2/sub" : "d1/sub", 0);
		stress_check(s, err, !err || err == -ENOENT, "rename sub");
		snprintf(b, sizeof(b), "d%d/dir%d", 1 + (i & 1), s->id);
		err = do_mkdirat(ctx, b, 0755);
		stress_check(s, err, !err, "mkdir");
		err = do_rmdir(ctx, b);
		stress_check(s, err, !err, "rmdir");
		err = count_dir(ctx, i & 1 ? "d1" : "d2");
		stress_check(s, err, err >= 0, "readdir");
		stress_check(s, 0, file_is(ctx, a, "data"), "read");
		err = do_unlinkat(ctx, a);
		stress_check(s, err, !err, "unlink last");
	}
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Name operations from several CPUs at once: no deadlock, no lost or extra name. */
KTEST(fs_smp_stress)
{
	static struct fs_stress s[STRESS_THREADS];
	struct task_struct *k[STRESS_THREADS];
	struct fs_fixture f;

	if (!fs_setup(t, &f))
		return;
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "d1", 0755), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "d2", 0755), 0);
	KTEST_EXPECT_EQ(t, create_file(&f.ctx, "d1/shared", "s"), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "d1/sub", 0755), 0);
	for (int i = 0; i < STRESS_THREADS; i++) {
		s[i] = (struct fs_stress){ .ctx = &f.ctx, .id = i };
		k[i] = kthread_run(stress_fn, &s[i], "ktest_fs/%d", i);
		KTEST_EXPECT(t, !IS_ERR(k[i]));
	}
	for (int i = 0; i < STRESS_THREADS; i++) {
		if (IS_ERR(k[i]))
			continue;
		kthread_stop(k[i]);
		if (s[i].errors)
			ktest_fail(t, __FILE__, __LINE__, "thread %d: %d errors, first %s", i,
				   s[i].errors, s[i].what);
	}
	KTEST_EXPECT_EQ(t, count_dir(&f.ctx, "d1") + count_dir(&f.ctx, "d2"), 2);
	fs_teardown(t, &f);
}
