// SPDX-License-Identifier: MIT
/*
 * The file system calls through their syscall entries, as user space reaches them:
 * arguments in a pt_regs, buffers and names in user memory (an adopted mm), the
 * caller's fds and fs_struct, a fresh ramfs as its root. Results and errnos are
 * Linux's; the fixture checks that nothing leaked.
 */
#include <kairos/errno.h>
#include <kairos/kthread.h>
#include <kairos/mm.h>
#include <kairos/pipe_fs_i.h>
#include <kairos/signal.h>
#include <kairos/sprintf.h>
#include <kairos/syscalls.h>
#include <uapi/ioctls.h>
#include <uapi/magic.h>
#include <uapi/mount.h>
#include <uapi/statfs.h>

#include "fs_fixture.h"
#include "ktest_kthread.h"
#include "user_mm.h"

#define UPAGES		16
#define U(x)		((long)(x))
#define SYS(name, ...)	do_sys(__arm64_sys_##name, (const long[6]){ __VA_ARGS__ })

struct sys_fixture {
	struct fs_fixture fs;
	struct mm_struct *mm;
	unsigned long ubase;		/* UPAGES pages, read-write */
	unsigned long next_str;		/* where ustr() puts the next string */
	struct files_struct *saved_files;
	struct fs_struct *saved_fs;
};

static long do_sys(syscall_fn_t fn, const long *args)
{
	struct pt_regs regs = { 0 };

	for (int i = 0; i < 6; i++)
		regs.regs[i] = args[i];
	return fn(&regs);
}

/* A string in user memory (the first page, used round robin). */
static long ustr(struct sys_fixture *sf, const char *s)
{
	size_t len = strlen(s) + 1;
	unsigned long at;

	if (sf->next_str + len > sf->ubase + PAGE_SIZE)
		sf->next_str = sf->ubase;
	at = sf->next_str;
	sf->next_str += ALIGN(len, 8);
	if (copy_to_user(uptr(at), s, len))
		return 0;
	return at;
}

/* User memory past the strings: page n of UPAGES. */
static unsigned long upage(struct sys_fixture *sf, unsigned int n)
{
	return sf->ubase + n * PAGE_SIZE;
}

static bool sys_setup(struct ktest_ctx *t, struct sys_fixture *sf)
{
	struct fs_struct *fs;

	if (!fs_setup(t, &sf->fs))
		return false;
	sf->mm = enter_new_mm();
	KTEST_EXPECT(t, sf->mm != NULL);
	if (!sf->mm)
		goto fail_fs;
	sf->ubase = umap(0, UPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(sf->ubase));
	if (IS_ERR_VALUE(sf->ubase))
		goto fail_mm;
	sf->next_str = sf->ubase;
	fs = kzalloc(sizeof(*fs), GFP_KERNEL);
	KTEST_EXPECT(t, fs != NULL);
	if (!fs)
		goto fail_mm;
	atomic_set(&fs->users, 1);
	spin_lock_init(&fs->lock);
	fs->umask = 0022;
	fs->root = fs->pwd = sf->fs.ctx.root;
	path_get(&fs->root);
	path_get(&fs->pwd);
	sf->saved_files = current->files;
	sf->saved_fs = current->fs;
	current->fs = fs;
	current->files = alloc_files();
	KTEST_EXPECT(t, current->files != NULL);
	if (current->files)
		return true;
	exit_fs(current);
	current->fs = sf->saved_fs;
	current->files = sf->saved_files;
fail_mm:
	leave_mm(sf->mm);
fail_fs:
	fs_teardown(t, &sf->fs);
	return false;
}

static void sys_teardown(struct ktest_ctx *t, struct sys_fixture *sf)
{
	exit_files(current);
	exit_fs(current);
	current->files = sf->saved_files;
	current->fs = sf->saved_fs;
	leave_mm(sf->mm);
	fs_teardown(t, &sf->fs);
}

/* The bytes at user address a equal s. */
static bool ueq(unsigned long a, const void *s, size_t n)
{
	char buf[128];

	return n <= sizeof(buf) && !copy_from_user(buf, uptr(a), n) && !memcmp(buf, s, n);
}

static int open_user(struct sys_fixture *sf, int dfd, const char *name, int flags, int mode)
{
	return SYS(openat, dfd, ustr(sf, name), flags, mode);
}

KTEST(fs_sys_read_write)
{
	struct sys_fixture sf;
	unsigned long buf, end;
	struct iovec iov[3];
	int fd;

	if (!sys_setup(t, &sf))
		return;
	buf = upage(&sf, 1);
	end = sf.ubase + UPAGES * PAGE_SIZE;
	fd = open_user(&sf, AT_FDCWD, "f", O_CREAT | O_RDWR, 0666);
	KTEST_EXPECT_EQ(t, fd, 0);
	KTEST_EXPECT_EQ(t, SYS(write, fd, ustr(&sf, "hello world"), 11), 11);
	KTEST_EXPECT_EQ(t, SYS(lseek, fd, 0, SEEK_CUR), 11);
	KTEST_EXPECT_EQ(t, SYS(lseek, fd, 0, SEEK_SET), 0);
	KTEST_EXPECT_EQ(t, SYS(read, fd, U(buf), 100), 11);
	KTEST_EXPECT(t, ueq(buf, "hello world", 11));
	KTEST_EXPECT_EQ(t, SYS(read, fd, U(buf), 100), 0);
	/* At a position: f_pos stays. */
	KTEST_EXPECT_EQ(t, SYS(pread64, fd, U(buf), 5, 6), 5);
	KTEST_EXPECT(t, ueq(buf, "world", 5));
	KTEST_EXPECT_EQ(t, SYS(pwrite64, fd, ustr(&sf, "HELLO"), 5, 0), 5);
	KTEST_EXPECT_EQ(t, SYS(lseek, fd, 0, SEEK_CUR), 11);
	KTEST_EXPECT_EQ(t, SYS(pread64, fd, U(buf), 100, 0), 11);
	KTEST_EXPECT(t, ueq(buf, "HELLO world", 11));
	KTEST_EXPECT_EQ(t, SYS(pread64, fd, U(buf), 1, -1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(lseek, fd, 0, 5), -EINVAL);

	/* Scatter and gather, across an empty segment. */
	iov[0] = (struct iovec){ uptr(buf + 100), 3 };
	iov[1] = (struct iovec){ uptr(buf + 200), 0 };
	iov[2] = (struct iovec){ uptr(buf + 300), 4 };
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), iov, sizeof(iov)), 0);
	KTEST_EXPECT_EQ(t, SYS(preadv, fd, U(buf), 3, 3), 7);
	KTEST_EXPECT(t, ueq(buf + 100, "LO ", 3) && ueq(buf + 300, "worl", 4));
	KTEST_EXPECT_EQ(t, SYS(lseek, fd, 0, SEEK_END), 11);
	KTEST_EXPECT_EQ(t, SYS(writev, fd, U(buf), 3), 7);
	KTEST_EXPECT_EQ(t, SYS(pread64, fd, U(buf + 400), 7, 11), 7);
	KTEST_EXPECT(t, ueq(buf + 400, "LO worl", 7));
	KTEST_EXPECT_EQ(t, SYS(readv, fd, U(buf), UIO_MAXIOV + 1), -EINVAL);
	iov[1].iov_len = -5UL;
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), iov, sizeof(iov)), 0);
	KTEST_EXPECT_EQ(t, SYS(readv, fd, U(buf), 3), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(readv, fd, U(iov), 3), -EFAULT);

	/* Bad buffers: kernel memory, unmapped memory, and a buffer that runs off the end. */
	KTEST_EXPECT_EQ(t, SYS(pread64, fd, U(iov), 4, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, SYS(pread64, fd, 0, 4, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, SYS(pread64, fd, U(end - 3), 8, 0), 3);
	KTEST_EXPECT(t, ueq(end - 3, "HEL", 3));
	KTEST_EXPECT_EQ(t, SYS(pwrite64, fd, U(end - 2), 8, 0), 2);
	KTEST_EXPECT_EQ(t, SYS(pwrite64, fd, U(end), 8, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, SYS(pread64, fd, U(buf), 3, 0), 3);
	KTEST_EXPECT(t, ueq(buf, "ELL", 3));

	KTEST_EXPECT_EQ(t, SYS(read, 99, U(buf), 1), -EBADF);
	KTEST_EXPECT_EQ(t, SYS(write, -1, U(buf), 1), -EBADF);
	fd = open_user(&sf, AT_FDCWD, "f", O_RDONLY, 0);
	KTEST_EXPECT_EQ(t, fd, 1);
	KTEST_EXPECT_EQ(t, SYS(write, fd, U(buf), 1), -EBADF);
	KTEST_EXPECT_EQ(t, SYS(ftruncate, fd, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(ftruncate, 0, 4), 0);
	KTEST_EXPECT_EQ(t, SYS(read, fd, U(buf), 100), 4);
	KTEST_EXPECT_EQ(t, SYS(ftruncate, 0, -1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(fsync, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(fdatasync, fd), 0);
	KTEST_EXPECT_EQ(t, SYS(fsync, 7), -EBADF);
	KTEST_EXPECT_EQ(t, SYS(sync), 0);
	/* Bytes left after the position. */
	KTEST_EXPECT_EQ(t, SYS(lseek, fd, 1, SEEK_SET), 1);
	KTEST_EXPECT_EQ(t, SYS(ioctl, fd, FIONREAD, U(buf)), 0);
	KTEST_EXPECT(t, ueq(buf, &(int){ 3 }, sizeof(int)));
	KTEST_EXPECT_EQ(t, SYS(ioctl, fd, 0x5401, U(buf)), -ENOTTY);
	KTEST_EXPECT_EQ(t, SYS(ioctl, 42, FIONREAD, U(buf)), -EBADF);
	KTEST_EXPECT_EQ(t, SYS(close, fd), 0);
	KTEST_EXPECT_EQ(t, SYS(close, fd), -EBADF);

	/* O_APPEND through F_SETFL; F_GETFL shows O_LARGEFILE as on 64-bit Linux. */
	KTEST_EXPECT_EQ(t, SYS(fcntl, 0, F_GETFL, 0), O_RDWR | O_LARGEFILE);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 0, F_SETFL, O_APPEND | O_NONBLOCK | O_CREAT), 0);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 0, F_GETFL, 0), O_RDWR | O_LARGEFILE | O_APPEND | O_NONBLOCK);
	KTEST_EXPECT_EQ(t, SYS(lseek, 0, 0, SEEK_SET), 0);
	KTEST_EXPECT_EQ(t, SYS(write, 0, ustr(&sf, "++"), 2), 2);
	KTEST_EXPECT_EQ(t, SYS(lseek, 0, 0, SEEK_CUR), 6);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 0, F_SETFL, O_DIRECT), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 0, 12345, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 9, F_GETFL, 0), -EBADF);
	sys_teardown(t, &sf);
}

KTEST(fs_sys_fds)
{
	struct sys_fixture sf;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 10 };
	unsigned long buf;
	int fd;

	if (!sys_setup(t, &sf))
		return;
	buf = upage(&sf, 1);
	fd = open_user(&sf, AT_FDCWD, "f", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	KTEST_EXPECT_EQ(t, fd, 0);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_GETFD, 0), FD_CLOEXEC);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_GETFL, 0), O_WRONLY | O_LARGEFILE);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_SETFD, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_GETFD, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(ioctl, fd, FIOCLEX, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_GETFD, 0), FD_CLOEXEC);
	KTEST_EXPECT_EQ(t, SYS(ioctl, fd, FIONCLEX, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_GETFD, 0), 0);
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), &(int){ 1 }, sizeof(int)), 0);
	KTEST_EXPECT_EQ(t, SYS(ioctl, fd, FIONBIO, U(buf)), 0);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_GETFL, 0), O_WRONLY | O_LARGEFILE | O_NONBLOCK);
	KTEST_EXPECT_EQ(t, SYS(ioctl, fd, FIONBIO, 0), -EFAULT);
	/* Without a driver for it, asynchronous mode cannot be turned on. */
	KTEST_EXPECT_EQ(t, SYS(ioctl, fd, FIOASYNC, U(buf)), -ENOTTY);

	KTEST_EXPECT_EQ(t, SYS(dup, fd), 1);
	KTEST_EXPECT_EQ(t, SYS(dup3, fd, 5, O_CLOEXEC), 5);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 5, F_GETFD, 0), FD_CLOEXEC);
	KTEST_EXPECT_EQ(t, SYS(dup3, fd, fd, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(dup3, fd, 6, O_NONBLOCK), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(dup3, 42, 6, 0), -EBADF);
	KTEST_EXPECT_EQ(t, SYS(dup3, fd, 1024, 0), -EBADF);	/* RLIMIT_NOFILE */
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_DUPFD, 3), 3);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_DUPFD_CLOEXEC, 100), 100);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 100, F_GETFD, 0), FD_CLOEXEC);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_DUPFD, 1024), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(dup, fd), 2);
	/* close_range: marks, then closes; a bad range or flag is EINVAL. */
	KTEST_EXPECT_EQ(t, SYS(close_range, 3, 2, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(close_range, 0, 10, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(close_range, 1, 2, CLOSE_RANGE_CLOEXEC), 0);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 1, F_GETFD, 0), FD_CLOEXEC);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 3, F_GETFD, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(close_range, 2, ~0U, CLOSE_RANGE_UNSHARE), 0);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 100, F_GETFD, 0), -EBADF);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 1, F_GETFD, 0), FD_CLOEXEC);
	KTEST_EXPECT_EQ(t, SYS(dup, 0), 2);

	/* Record locks: checked, and granted. */
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), &fl, sizeof(fl)), 0);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_SETLK, U(buf)), 0);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_GETLK, U(buf)), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&fl, uptr(buf), sizeof(fl)), 0);
	KTEST_EXPECT_EQ(t, fl.l_type, F_UNLCK);
	fl.l_type = F_RDLCK;	/* a write-only file cannot take a read lock */
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), &fl, sizeof(fl)), 0);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_SETLK, U(buf)), -EBADF);
	fl.l_whence = 7;
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), &fl, sizeof(fl)), 0);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_SETLK, U(buf)), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_SETLK, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_GETPIPE_SZ, 0), -EBADF);

	/* The lowest free fd, and RLIMIT_NOFILE's end. */
	for (int i = 0; i < 1024; i++) {
		long r = SYS(dup, fd);

		if (r < 0) {
			KTEST_EXPECT_EQ(t, r, -EMFILE);
			break;
		}
	}
	KTEST_EXPECT_EQ(t, open_user(&sf, AT_FDCWD, "f", O_RDONLY, 0), -EMFILE);
	KTEST_EXPECT_EQ(t, SYS(close, 500), 0);
	KTEST_EXPECT_EQ(t, open_user(&sf, AT_FDCWD, "f", O_RDONLY, 0), 500);
	sys_teardown(t, &sf);
}

KTEST(fs_sys_open_flags)
{
	struct sys_fixture sf;
	unsigned long buf;
	struct stat st;
	int fd;

	if (!sys_setup(t, &sf))
		return;
	buf = upage(&sf, 1);
	KTEST_EXPECT_EQ(t, open_user(&sf, AT_FDCWD, "f", O_CREAT | O_EXCL | O_WRONLY, 0666), 0);
	KTEST_EXPECT_EQ(t, SYS(write, 0, ustr(&sf, "data"), 4), 4);
	KTEST_EXPECT_EQ(t, open_user(&sf, AT_FDCWD, "f", O_CREAT | O_EXCL | O_WRONLY, 0666),
			-EEXIST);
	KTEST_EXPECT_EQ(t, open_user(&sf, AT_FDCWD, "f", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	KTEST_EXPECT_EQ(t, open_user(&sf, AT_FDCWD, "", O_RDONLY, 0), -ENOENT);
	KTEST_EXPECT_EQ(t, SYS(openat, AT_FDCWD, 0, O_RDONLY, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, open_user(&sf, AT_FDCWD, "f", O_RDWR | __O_TMPFILE, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(symlinkat, ustr(&sf, "f"), AT_FDCWD, ustr(&sf, "l")), 0);
	KTEST_EXPECT_EQ(t, open_user(&sf, AT_FDCWD, "l", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
	fd = open_user(&sf, AT_FDCWD, "l", O_RDONLY, 0);
	KTEST_EXPECT_EQ(t, fd, 1);
	KTEST_EXPECT_EQ(t, SYS(read, fd, U(buf), 10), 4);
	/* O_TRUNC empties, even opened read-only. */
	KTEST_EXPECT_EQ(t, SYS(close, open_user(&sf, AT_FDCWD, "f", O_RDONLY | O_TRUNC, 0)), 0);
	KTEST_EXPECT_EQ(t, SYS(fstat, fd, U(buf)), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&st, uptr(buf), sizeof(st)), 0);
	KTEST_EXPECT_EQ(t, st.st_size, 0);
	KTEST_EXPECT_EQ(t, st.st_mode, S_IFREG | 0644);

	/* O_PATH: a place, no I/O; the link itself with O_NOFOLLOW. */
	fd = open_user(&sf, AT_FDCWD, "l", O_PATH | O_NOFOLLOW | O_RDWR | O_TRUNC, 0);
	KTEST_EXPECT_EQ(t, fd, 2);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_GETFL, 0), O_PATH | O_NOFOLLOW);
	KTEST_EXPECT_EQ(t, SYS(read, fd, U(buf), 1), -EBADF);
	KTEST_EXPECT_EQ(t, SYS(ioctl, fd, FIONREAD, U(buf)), -EBADF);
	KTEST_EXPECT_EQ(t, SYS(fcntl, fd, F_SETFL, 0), -EBADF);
	KTEST_EXPECT_EQ(t, SYS(fstat, fd, U(buf)), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&st, uptr(buf), sizeof(st)), 0);
	KTEST_EXPECT_EQ(t, st.st_mode & S_IFMT, S_IFLNK);
	KTEST_EXPECT_EQ(t, SYS(readlinkat, fd, ustr(&sf, ""), U(buf), 100), 1);
	KTEST_EXPECT(t, ueq(buf, "f", 1));
	KTEST_EXPECT_EQ(t, SYS(readlinkat, 0, ustr(&sf, ""), U(buf), 100), -ENOENT);
	KTEST_EXPECT_EQ(t, SYS(dup, fd), 3);
	sys_teardown(t, &sf);
}

static long getcwd_is(struct sys_fixture *sf, const char *want)
{
	unsigned long buf = upage(sf, 2);
	long n = SYS(getcwd, U(buf), PAGE_SIZE);

	if (n < 0)
		return n;
	return n == (long)strlen(want) + 1 && ueq(buf, want, n) ? 0 : -1;
}

KTEST(fs_sys_dirs)
{
	struct sys_fixture sf;
	unsigned long buf;
	int dfd, ffd;

	if (!sys_setup(t, &sf))
		return;
	buf = upage(&sf, 1);
	KTEST_EXPECT_EQ(t, getcwd_is(&sf, "/"), 0);
	KTEST_EXPECT_EQ(t, SYS(mkdirat, AT_FDCWD, ustr(&sf, "d"), 0777), 0);
	KTEST_EXPECT_EQ(t, SYS(mkdirat, AT_FDCWD, ustr(&sf, "d/e"), 0777), 0);
	KTEST_EXPECT_EQ(t, SYS(chdir, ustr(&sf, "d/e")), 0);
	KTEST_EXPECT_EQ(t, getcwd_is(&sf, "/d/e"), 0);
	KTEST_EXPECT_EQ(t, SYS(getcwd, U(buf), 4), -ERANGE);
	KTEST_EXPECT_EQ(t, SYS(getcwd, U(buf), 5), 5);
	KTEST_EXPECT_EQ(t, SYS(getcwd, 0, 5), -EFAULT);
	KTEST_EXPECT_EQ(t, SYS(chdir, ustr(&sf, "..")), 0);
	KTEST_EXPECT_EQ(t, getcwd_is(&sf, "/d"), 0);
	KTEST_EXPECT_EQ(t, SYS(chdir, ustr(&sf, "nope")), -ENOENT);

	/* *at() names are relative to their directory fd, unless absolute. */
	dfd = open_user(&sf, AT_FDCWD, "e", O_RDONLY | O_DIRECTORY, 0);
	KTEST_EXPECT_EQ(t, dfd, 0);
	ffd = open_user(&sf, dfd, "x", O_CREAT | O_RDWR, 0600);
	KTEST_EXPECT_EQ(t, ffd, 1);
	KTEST_EXPECT_EQ(t, SYS(faccessat, AT_FDCWD, ustr(&sf, "e/x"), R_OK), 0);
	KTEST_EXPECT_EQ(t, open_user(&sf, ffd, "y", O_RDONLY, 0), -ENOTDIR);
	KTEST_EXPECT_EQ(t, open_user(&sf, 42, "y", O_RDONLY, 0), -EBADF);
	KTEST_EXPECT_EQ(t, open_user(&sf, 42, "/d/e/x", O_RDONLY, 0), 2);
	KTEST_EXPECT_EQ(t, SYS(fchdir, dfd), 0);
	KTEST_EXPECT_EQ(t, getcwd_is(&sf, "/d/e"), 0);
	KTEST_EXPECT_EQ(t, SYS(fchdir, ffd), -ENOTDIR);
	KTEST_EXPECT_EQ(t, SYS(fchdir, 42), -EBADF);

	/* Links, renames and removals across two directory fds. */
	KTEST_EXPECT_EQ(t, SYS(linkat, dfd, ustr(&sf, "x"), AT_FDCWD, ustr(&sf, "/hard"), 0), 0);
	KTEST_EXPECT_EQ(t, SYS(linkat, dfd, ustr(&sf, "x"), AT_FDCWD, ustr(&sf, "/h2"), 0x1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(linkat, ffd, ustr(&sf, ""), AT_FDCWD, ustr(&sf, "/h3"),
			       AT_EMPTY_PATH), 0);
	KTEST_EXPECT_EQ(t, SYS(renameat2, AT_FDCWD, ustr(&sf, "/hard"), dfd, ustr(&sf, "x"),
			       RENAME_NOREPLACE), -EEXIST);
	KTEST_EXPECT_EQ(t, SYS(renameat2, AT_FDCWD, ustr(&sf, "/hard"), dfd, ustr(&sf, "x"),
			       RENAME_NOREPLACE | RENAME_EXCHANGE), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(renameat, AT_FDCWD, ustr(&sf, "/hard"), dfd, ustr(&sf, "moved")),
			0);
	KTEST_EXPECT_EQ(t, SYS(faccessat, AT_FDCWD, ustr(&sf, "moved"), F_OK), 0);
	KTEST_EXPECT_EQ(t, SYS(unlinkat, dfd, ustr(&sf, "moved"), 0), 0);
	KTEST_EXPECT_EQ(t, SYS(unlinkat, AT_FDCWD, ustr(&sf, "/d"), AT_REMOVEDIR), -ENOTEMPTY);
	KTEST_EXPECT_EQ(t, SYS(unlinkat, AT_FDCWD, ustr(&sf, "/h3"), AT_REMOVEDIR), -ENOTDIR);
	KTEST_EXPECT_EQ(t, SYS(unlinkat, AT_FDCWD, ustr(&sf, "/h3"), 0x1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(unlinkat, AT_FDCWD, ustr(&sf, "/h3"), 0), 0);
	KTEST_EXPECT_EQ(t, SYS(mknodat, AT_FDCWD, ustr(&sf, "fifo"), S_IFIFO | 0666, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(mknodat, AT_FDCWD, ustr(&sf, "dir"), S_IFDIR | 0666, 0), -EPERM);

	/* Symlinks: the target, cut to the buffer; not a link is EINVAL. */
	KTEST_EXPECT_EQ(t, SYS(symlinkat, ustr(&sf, "/d/e/x"), dfd, ustr(&sf, "sl")), 0);
	KTEST_EXPECT_EQ(t, SYS(symlinkat, ustr(&sf, ""), dfd, ustr(&sf, "empty")), -ENOENT);
	KTEST_EXPECT_EQ(t, SYS(readlinkat, dfd, ustr(&sf, "sl"), U(buf), 100), 6);
	KTEST_EXPECT(t, ueq(buf, "/d/e/x", 6));
	KTEST_EXPECT_EQ(t, SYS(readlinkat, dfd, ustr(&sf, "sl"), U(buf), 2), 2);
	KTEST_EXPECT_EQ(t, SYS(readlinkat, dfd, ustr(&sf, "sl"), U(buf), 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(readlinkat, dfd, ustr(&sf, "x"), U(buf), 10), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(readlinkat, dfd, ustr(&sf, "sl"), 0, 10), -EFAULT);

	/* getdents64: the names, EINVAL if not one fits, ENOTDIR for a file. */
	KTEST_EXPECT_EQ(t, SYS(getdents64, dfd, U(buf), 8), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(getdents64, ffd, U(buf), PAGE_SIZE), -ENOTDIR);
	KTEST_EXPECT_EQ(t, SYS(getdents64, dfd, 0, PAGE_SIZE), -EFAULT);
	{
		long n = SYS(getdents64, dfd, U(buf), PAGE_SIZE), off = 0;
		char names[64] = "";
		char *kbuf = kmalloc(PAGE_SIZE, GFP_KERNEL);

		KTEST_EXPECT(t, n > 0 && kbuf);
		if (n > 0 && kbuf && !copy_from_user(kbuf, uptr(buf), n)) {
			while (off < n) {
				struct linux_dirent64 *de = (void *)(kbuf + off);

				snprintf(names + strlen(names), sizeof(names) - strlen(names),
					 "%s ", de->d_name);
				off += de->d_reclen;
			}
		}
		KTEST_EXPECT(t, !strcmp(names, ". .. x fifo sl "));
		KTEST_EXPECT_EQ(t, SYS(getdents64, dfd, U(buf), PAGE_SIZE), 0);
		kfree(kbuf);
	}

	/* A removed cwd has no name. */
	KTEST_EXPECT_EQ(t, SYS(mkdirat, AT_FDCWD, ustr(&sf, "gone"), 0777), 0);
	KTEST_EXPECT_EQ(t, SYS(chdir, ustr(&sf, "gone")), 0);
	KTEST_EXPECT_EQ(t, SYS(unlinkat, AT_FDCWD, ustr(&sf, "../gone"), AT_REMOVEDIR), 0);
	KTEST_EXPECT_EQ(t, getcwd_is(&sf, "?"), -ENOENT);
	/* chroot: names start at the new root; the cwd outside it is unreachable. */
	KTEST_EXPECT_EQ(t, SYS(chdir, ustr(&sf, "/")), 0);
	KTEST_EXPECT_EQ(t, SYS(chroot, ustr(&sf, "d/e/x")), -ENOTDIR);
	KTEST_EXPECT_EQ(t, SYS(chroot, ustr(&sf, "d")), 0);
	KTEST_EXPECT_EQ(t, getcwd_is(&sf, "(unreachable)/"), 0);
	KTEST_EXPECT_EQ(t, SYS(faccessat, AT_FDCWD, ustr(&sf, "/e/x"), F_OK), 0);
	KTEST_EXPECT_EQ(t, SYS(chdir, ustr(&sf, "/..")), 0);
	KTEST_EXPECT_EQ(t, getcwd_is(&sf, "/"), 0);
	sys_teardown(t, &sf);
}

KTEST(fs_sys_attrs)
{
	struct timespec64 times[2] = { { 5, 0 }, { 0, UTIME_OMIT } };
	struct sys_fixture sf;
	unsigned long buf;
	struct statx stx;
	struct stat st;
	struct cred saved;
	int fd;

	if (!sys_setup(t, &sf))
		return;
	buf = upage(&sf, 1);
	KTEST_EXPECT_EQ(t, SYS(umask, 077), 022);
	fd = open_user(&sf, AT_FDCWD, "f", O_CREAT | O_RDWR, 0666);
	KTEST_EXPECT_EQ(t, SYS(umask, 022), 077);
	KTEST_EXPECT_EQ(t, SYS(newfstatat, AT_FDCWD, ustr(&sf, "f"), U(buf), 0), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&st, uptr(buf), sizeof(st)), 0);
	KTEST_EXPECT_EQ(t, st.st_mode, S_IFREG | 0600);
	KTEST_EXPECT_EQ(t, SYS(newfstatat, AT_FDCWD, ustr(&sf, "f"), U(buf), 0x1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(newfstatat, AT_FDCWD, ustr(&sf, ""), U(buf), 0), -ENOENT);
	KTEST_EXPECT_EQ(t, SYS(newfstatat, fd, ustr(&sf, ""), U(buf), AT_EMPTY_PATH), 0);
	KTEST_EXPECT_EQ(t, SYS(newfstatat, AT_FDCWD, ustr(&sf, "f"), 0, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, SYS(fchmod, fd, 04751), 0);
	KTEST_EXPECT_EQ(t, SYS(fstat, fd, U(buf)), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&st, uptr(buf), sizeof(st)), 0);
	KTEST_EXPECT_EQ(t, st.st_mode, S_IFREG | 04751);
	KTEST_EXPECT_EQ(t, SYS(fchmodat, AT_FDCWD, ustr(&sf, "f"), 0640), 0);
	KTEST_EXPECT_EQ(t, SYS(fchown, fd, 7, 8), 0);
	KTEST_EXPECT_EQ(t, SYS(symlinkat, ustr(&sf, "f"), AT_FDCWD, ustr(&sf, "l")), 0);
	KTEST_EXPECT_EQ(t, SYS(fchownat, AT_FDCWD, ustr(&sf, "l"), 9, -1, AT_SYMLINK_NOFOLLOW), 0);
	KTEST_EXPECT_EQ(t, SYS(fchownat, AT_FDCWD, ustr(&sf, "l"), 9, -1, 0x1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(statx, AT_FDCWD, ustr(&sf, "l"), 0, STATX_BASIC_STATS, U(buf)), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&stx, uptr(buf), sizeof(stx)), 0);
	KTEST_EXPECT_EQ(t, stx.stx_uid, 7);
	KTEST_EXPECT_EQ(t, stx.stx_gid, 8);
	KTEST_EXPECT_EQ(t, stx.stx_mode, S_IFREG | 0640);
	KTEST_EXPECT_EQ(t, SYS(statx, AT_FDCWD, ustr(&sf, "l"), AT_SYMLINK_NOFOLLOW,
			       STATX_BASIC_STATS, U(buf)), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&stx, uptr(buf), sizeof(stx)), 0);
	KTEST_EXPECT_EQ(t, stx.stx_uid, 9);
	KTEST_EXPECT_EQ(t, SYS(statx, AT_FDCWD, ustr(&sf, "l"), 0, STATX__RESERVED, U(buf)),
			-EINVAL);
	KTEST_EXPECT_EQ(t, SYS(statx, AT_FDCWD, ustr(&sf, "l"), AT_STATX_SYNC_TYPE, 0, U(buf)),
			-EINVAL);

	/* utimensat: one time set, the other left; a NULL name means the fd. */
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), times, sizeof(times)), 0);
	KTEST_EXPECT_EQ(t, SYS(utimensat, AT_FDCWD, ustr(&sf, "f"), U(buf), 0), 0);
	KTEST_EXPECT_EQ(t, SYS(newfstatat, AT_FDCWD, ustr(&sf, "f"), U(buf + 256), 0), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&st, uptr(buf + 256), sizeof(st)), 0);
	KTEST_EXPECT_EQ(t, st.st_atime, 5);
	KTEST_EXPECT(t, st.st_mtime != 5 || st.st_mtime_nsec);
	times[1] = (struct timespec64){ 9, 1 };
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), times, sizeof(times)), 0);
	KTEST_EXPECT_EQ(t, SYS(utimensat, fd, 0, U(buf), 0), 0);
	KTEST_EXPECT_EQ(t, SYS(fstat, fd, U(buf + 256)), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&st, uptr(buf + 256), sizeof(st)), 0);
	KTEST_EXPECT_EQ(t, st.st_mtime, 9);
	KTEST_EXPECT_EQ(t, st.st_mtime_nsec, 1);
	KTEST_EXPECT_EQ(t, SYS(utimensat, fd, 0, U(buf), AT_SYMLINK_NOFOLLOW), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(utimensat, AT_FDCWD, 0, U(buf), 0), -EFAULT);
	times[0].tv_nsec = 1000000000;
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), times, sizeof(times)), 0);
	KTEST_EXPECT_EQ(t, SYS(utimensat, AT_FDCWD, ustr(&sf, "f"), U(buf), 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(utimensat, AT_FDCWD, ustr(&sf, "f"), 0, 0), 0);

	/* truncate by name; access as the real user, whatever the effective one. */
	KTEST_EXPECT_EQ(t, SYS(truncate, ustr(&sf, "f"), 10), 0);
	KTEST_EXPECT_EQ(t, SYS(lseek, fd, 0, SEEK_END), 10);
	KTEST_EXPECT_EQ(t, SYS(truncate, ustr(&sf, "f"), -1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(truncate, ustr(&sf, "/"), 0), -EISDIR);
	KTEST_EXPECT_EQ(t, SYS(faccessat, AT_FDCWD, ustr(&sf, "f"), 8), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(faccessat2, AT_FDCWD, ustr(&sf, "f"), R_OK, 0x1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(faccessat, AT_FDCWD, ustr(&sf, "f"), X_OK), -EACCES);
	saved = current->cred;
	current->cred.uid = 1000;
	KTEST_EXPECT_EQ(t, SYS(faccessat, AT_FDCWD, ustr(&sf, "f"), R_OK), -EACCES);
	KTEST_EXPECT_EQ(t, SYS(faccessat2, AT_FDCWD, ustr(&sf, "f"), R_OK | W_OK, AT_EACCESS), 0);
	current->cred.euid = current->cred.fsuid = 1000;
	KTEST_EXPECT_EQ(t, SYS(chroot, ustr(&sf, "/")), -EPERM);
	KTEST_EXPECT_EQ(t, SYS(fchown, fd, 1000, -1), -EPERM);
	current->cred = saved;
	sys_teardown(t, &sf);
}

KTEST(fs_sys_copy)
{
	struct sys_fixture sf;
	unsigned long buf;
	loff_t off;
	int in, out;

	if (!sys_setup(t, &sf))
		return;
	buf = upage(&sf, 1);
	in = open_user(&sf, AT_FDCWD, "in", O_CREAT | O_RDWR, 0644);
	out = open_user(&sf, AT_FDCWD, "out", O_CREAT | O_RDWR, 0644);
	KTEST_EXPECT_EQ(t, SYS(write, in, ustr(&sf, "0123456789"), 10), 10);
	/* From the input's position, which moves; to the output's. */
	KTEST_EXPECT_EQ(t, SYS(lseek, in, 2, SEEK_SET), 2);
	KTEST_EXPECT_EQ(t, SYS(sendfile, out, in, 0, 3), 3);
	KTEST_EXPECT_EQ(t, SYS(lseek, in, 0, SEEK_CUR), 5);
	/* At *offset, which moves instead. */
	off = 7;
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), &off, sizeof(off)), 0);
	KTEST_EXPECT_EQ(t, SYS(sendfile, out, in, U(buf), 100), 3);
	KTEST_EXPECT_EQ(t, copy_from_user(&off, uptr(buf), sizeof(off)), 0);
	KTEST_EXPECT_EQ(t, off, 10);
	KTEST_EXPECT_EQ(t, SYS(lseek, in, 0, SEEK_CUR), 5);
	KTEST_EXPECT_EQ(t, SYS(pread64, out, U(buf), 10, 0), 6);
	KTEST_EXPECT(t, ueq(buf, "234789", 6));
	KTEST_EXPECT_EQ(t, SYS(sendfile, out, 42, 0, 1), -EBADF);
	KTEST_EXPECT_EQ(t, SYS(sendfile, out, in, 1, 1), -EFAULT);

	/* copy_file_range: to EOF of the input at most; one file may not overlap itself. */
	off = 0;
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), &off, sizeof(off)), 0);
	KTEST_EXPECT_EQ(t, SYS(copy_file_range, in, U(buf), out, 0, 100, 0), 10);
	KTEST_EXPECT_EQ(t, SYS(lseek, out, 0, SEEK_CUR), 16);
	KTEST_EXPECT_EQ(t, SYS(pread64, out, U(buf + 64), 16, 0), 16);
	KTEST_EXPECT(t, ueq(buf + 64, "2347890123456789", 16));
	KTEST_EXPECT_EQ(t, SYS(copy_file_range, in, 0, out, 0, 1, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(copy_file_range, in, 0, in, 0, 4, 0), -EINVAL);
	sys_teardown(t, &sf);
}

struct delayed_write {
	struct file *file;
};

static int write_later(void *arg)
{
	struct delayed_write *dw = arg;

	msleep(20);
	kernel_write(dw->file, "late", 4, NULL);
	ktest_wait_for_stop();
	return 0;
}

static void set_sigpending(bool on)
{
	if (on)
		__atomic_fetch_or(&current->thread_info.flags, 1UL << TIF_SIGPENDING,
				  __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(&current->thread_info.flags, ~(1UL << TIF_SIGPENDING),
				   __ATOMIC_SEQ_CST);
}

KTEST(fs_sys_pipe_poll)
{
	struct pollfd pfd[4] = {
		{ .fd = 0, .events = POLLIN }, { .fd = 1, .events = POLLOUT | POLLIN },
		{ .fd = -1, .events = POLLIN }, { .fd = 99, .events = POLLIN },
	};
	struct timespec64 ts = { 0, 0 };
	struct delayed_write dw = { 0 };
	struct task_struct *writer;
	struct sys_fixture sf;
	unsigned long buf, fds;
	int pipefd[2];

	if (!sys_setup(t, &sf))
		return;
	buf = upage(&sf, 1);
	fds = upage(&sf, 2);
	KTEST_EXPECT_EQ(t, SYS(pipe2, U(buf), O_TRUNC), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(pipe2, 0, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, SYS(pipe2, U(buf), O_CLOEXEC), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(pipefd, uptr(buf), sizeof(pipefd)), 0);
	KTEST_EXPECT(t, pipefd[0] == 0 && pipefd[1] == 1);	/* the failed call left none */
	KTEST_EXPECT_EQ(t, SYS(fcntl, 0, F_GETFD, 0), FD_CLOEXEC);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 0, F_GETFL, 0), O_RDONLY);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 1, F_GETFL, 0), O_WRONLY);
	KTEST_EXPECT_EQ(t, SYS(fcntl, 1, F_GETPIPE_SZ, 0), 16 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, SYS(lseek, 0, 0, SEEK_CUR), -ESPIPE);
	KTEST_EXPECT_EQ(t, SYS(pread64, 0, U(buf), 1, 0), -ESPIPE);
	KTEST_EXPECT_EQ(t, SYS(fstat, 0, U(buf)), 0);
	{
		struct stat st;

		KTEST_EXPECT_EQ(t, copy_from_user(&st, uptr(buf), sizeof(st)), 0);
		KTEST_EXPECT_EQ(t, st.st_mode, S_IFIFO | 0600);
		KTEST_EXPECT_EQ(t, st.st_nlink, 1);
	}
	KTEST_EXPECT_EQ(t, SYS(fsync, 0), -EINVAL);

	/* Nothing to read: timeout 0 returns at once, the rest as their state says. */
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(fds), pfd, sizeof(pfd)), 0);
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), &ts, sizeof(ts)), 0);
	KTEST_EXPECT_EQ(t, SYS(ppoll, U(fds), 4, U(buf), 0, 0), 2);
	KTEST_EXPECT_EQ(t, copy_from_user(pfd, uptr(fds), sizeof(pfd)), 0);
	KTEST_EXPECT_EQ(t, pfd[0].revents, 0);
	KTEST_EXPECT_EQ(t, pfd[1].revents, POLLOUT);
	KTEST_EXPECT_EQ(t, pfd[2].revents, 0);
	KTEST_EXPECT_EQ(t, pfd[3].revents, POLLNVAL);

	KTEST_EXPECT_EQ(t, SYS(write, 1, ustr(&sf, "abc"), 3), 3);
	KTEST_EXPECT_EQ(t, SYS(ioctl, 0, FIONREAD, U(buf)), 0);
	KTEST_EXPECT(t, ueq(buf, &(int){ 3 }, sizeof(int)));
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), &ts, sizeof(ts)), 0);
	KTEST_EXPECT_EQ(t, SYS(ppoll, U(fds), 1, U(buf), 0, 0), 1);
	KTEST_EXPECT_EQ(t, copy_from_user(pfd, uptr(fds), sizeof(pfd)), 0);
	KTEST_EXPECT_EQ(t, pfd[0].revents, POLLIN);
	KTEST_EXPECT_EQ(t, SYS(read, 0, U(buf), 10), 3);

	/* Errors: too many fds, a bad timeout, a bad mask size, bad memory. */
	KTEST_EXPECT_EQ(t, SYS(ppoll, U(fds), 1025, 0, 0, 0), -EINVAL);
	ts.tv_nsec = 1000000000;
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), &ts, sizeof(ts)), 0);
	KTEST_EXPECT_EQ(t, SYS(ppoll, U(fds), 1, U(buf), 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(ppoll, U(fds), 1, 0, U(buf), 4), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(ppoll, 0, 1, 0, 0, 0), -EFAULT);

	/* A timeout that runs out: 0, and no time left. */
	ts = (struct timespec64){ 0, 30 * NSEC_PER_MSEC };
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), &ts, sizeof(ts)), 0);
	KTEST_EXPECT_EQ(t, SYS(ppoll, U(fds), 1, U(buf), 0, 0), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&ts, uptr(buf), sizeof(ts)), 0);
	KTEST_EXPECT(t, ts.tv_sec == 0 && ts.tv_nsec == 0);

	/* A writer wakes the sleeper, with time left over. */
	dw.file = fget(current->files, 1);
	writer = kthread_run(write_later, &dw, "write_later");
	ts = (struct timespec64){ 100, 0 };
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), &ts, sizeof(ts)), 0);
	KTEST_EXPECT_EQ(t, SYS(ppoll, U(fds), 1, U(buf), 0, 0), 1);
	KTEST_EXPECT_EQ(t, SYS(ioctl, 0, FIONREAD, U(buf + 64)), 0);
	KTEST_EXPECT(t, ueq(buf + 64, &(int){ 4 }, sizeof(int)));
	KTEST_EXPECT_EQ(t, copy_from_user(&ts, uptr(buf), sizeof(ts)), 0);
	KTEST_EXPECT(t, ts.tv_sec >= 80 && ts.tv_sec < 100);
	kthread_stop(writer);
	fput(dw.file);

	/* pselect6: the sets come back with what is ready. */
	{
		unsigned long sets[3] = { 0x1, 0x2, 0x0 };

		KTEST_EXPECT_EQ(t, copy_to_user(uptr(fds), sets, sizeof(sets)), 0);
		KTEST_EXPECT_EQ(t, SYS(pselect6, 2, U(fds), U(fds + 8), U(fds + 16), 0, 0), 2);
		KTEST_EXPECT_EQ(t, copy_from_user(sets, uptr(fds), sizeof(sets)), 0);
		KTEST_EXPECT(t, sets[0] == 0x1 && sets[1] == 0x2 && sets[2] == 0);
		KTEST_EXPECT_EQ(t, SYS(read, 0, U(buf + 64), 10), 4);
		/* Nothing readable now, and a zero timeout. */
		ts = (struct timespec64){ 0, 0 };
		KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), &ts, sizeof(ts)), 0);
		KTEST_EXPECT_EQ(t, SYS(pselect6, 2, U(fds), 0, 0, U(buf), 0), 0);
		KTEST_EXPECT_EQ(t, copy_from_user(sets, uptr(fds), 8), 0);
		KTEST_EXPECT_EQ(t, sets[0], 0);
		/* A closed fd in a set is EBADF; n below zero EINVAL. */
		sets[0] = 1UL << 9;
		KTEST_EXPECT_EQ(t, copy_to_user(uptr(fds), sets, 8), 0);
		KTEST_EXPECT_EQ(t, SYS(pselect6, 10, U(fds), 0, 0, U(buf), 0), -EBADF);
		KTEST_EXPECT_EQ(t, SYS(pselect6, -1, 0, 0, 0, U(buf), 0), -EINVAL);
		KTEST_EXPECT_EQ(t, SYS(pselect6, 1, 0, 0, 0, U(buf), 1), -EFAULT);
		/* A signal with nothing ready: the call is to be restarted. */
		ts = (struct timespec64){ 10, 0 };
		KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), &ts, sizeof(ts)), 0);
		sets[0] = 1;
		KTEST_EXPECT_EQ(t, copy_to_user(uptr(fds), sets, 8), 0);
		set_sigpending(true);
		KTEST_EXPECT_EQ(t, SYS(pselect6, 1, U(fds), 0, 0, U(buf), 0), -ERESTARTNOHAND);
		KTEST_EXPECT_EQ(t, SYS(ppoll, U(fds + 64), 1, U(buf), 0, 0), -ERESTARTNOHAND);
		set_sigpending(false);
		KTEST_EXPECT_EQ(t, copy_from_user(sets, uptr(fds), 8), 0);
		KTEST_EXPECT_EQ(t, sets[0], 1);		/* untouched */
	}

	/* The write end alone: readers gone is POLLERR (and EPIPE). */
	KTEST_EXPECT_EQ(t, SYS(close, 0), 0);
	pfd[0] = (struct pollfd){ .fd = 1, .events = POLLOUT };
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(fds), pfd, sizeof(pfd[0])), 0);
	KTEST_EXPECT_EQ(t, SYS(ppoll, U(fds), 1, 0, 0, 0), 1);
	KTEST_EXPECT_EQ(t, copy_from_user(pfd, uptr(fds), sizeof(pfd[0])), 0);
	KTEST_EXPECT_EQ(t, pfd[0].revents, POLLOUT | POLLERR);
	sys_teardown(t, &sf);
}

KTEST(fs_sys_mount)
{
	struct sys_fixture sf;
	unsigned long buf;
	struct statfs st;
	struct cred saved;
	int fd;

	if (!sys_setup(t, &sf))
		return;
	buf = upage(&sf, 1);
	KTEST_EXPECT_EQ(t, SYS(mkdirat, AT_FDCWD, ustr(&sf, "mnt"), 0755), 0);
	KTEST_EXPECT_EQ(t, SYS(statfs, ustr(&sf, "mnt"), U(buf)), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&st, uptr(buf), sizeof(st)), 0);
	KTEST_EXPECT_EQ(t, st.f_type, RAMFS_MAGIC);
	KTEST_EXPECT_EQ(t, st.f_bsize, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, st.f_namelen, NAME_MAX);
	KTEST_EXPECT_EQ(t, st.f_blocks, 0);
	KTEST_EXPECT_EQ(t, st.f_flags, ST_VALID | ST_RELATIME);

	KTEST_EXPECT_EQ(t, SYS(mount, ustr(&sf, "none"), ustr(&sf, "mnt"), ustr(&sf, "nofs"), 0,
			       0), -ENODEV);
	KTEST_EXPECT_EQ(t, SYS(mount, ustr(&sf, "none"), ustr(&sf, "nowhere"),
			       ustr(&sf, "tmpfs"), 0, 0), -ENOENT);
	KTEST_EXPECT_EQ(t, SYS(mount, 0, ustr(&sf, "mnt"), 0, 0, 0), -EINVAL);
	saved = current->cred;
	current->cred.euid = 1000;
	KTEST_EXPECT_EQ(t, SYS(mount, ustr(&sf, "none"), ustr(&sf, "mnt"), ustr(&sf, "tmpfs"), 0,
			       0), -EPERM);
	current->cred = saved;
	KTEST_EXPECT_EQ(t, SYS(mount, ustr(&sf, "tmpfs"), ustr(&sf, "mnt"), ustr(&sf, "tmpfs"),
			       MS_MGC_VAL | MS_NOSUID, ustr(&sf, "mode=0700,size=1m")), 0);
	fd = open_user(&sf, AT_FDCWD, "mnt/file", O_CREAT | O_RDWR, 0600);
	KTEST_EXPECT_EQ(t, fd, 0);
	KTEST_EXPECT_EQ(t, SYS(pwrite64, fd, U(buf), 3 * PAGE_SIZE, 0), 3 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, SYS(fstatfs, fd, U(buf)), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&st, uptr(buf), sizeof(st)), 0);
	KTEST_EXPECT_EQ(t, st.f_type, TMPFS_MAGIC);
	KTEST_EXPECT_EQ(t, st.f_blocks, totalram_pages() / 2);
	KTEST_EXPECT_EQ(t, st.f_bfree, totalram_pages() / 2 - 3);
	KTEST_EXPECT_EQ(t, st.f_files - st.f_ffree, 2);	/* the root and the file */
	/* Busy while a file is open in it; then gone, the directory below back. */
	KTEST_EXPECT_EQ(t, SYS(umount2, ustr(&sf, "mnt"), 0), -EBUSY);
	KTEST_EXPECT_EQ(t, SYS(umount2, ustr(&sf, "mnt"), 0x10), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(umount2, ustr(&sf, "mnt/file"), 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(mount, 0, ustr(&sf, "mnt"), 0, MS_REMOUNT, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(mount, 0, ustr(&sf, "mnt"), 0, MS_BIND, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(close, fd), 0);
	KTEST_EXPECT_EQ(t, SYS(umount2, ustr(&sf, "mnt"), MNT_EXPIRE), -EAGAIN);
	KTEST_EXPECT_EQ(t, SYS(umount2, ustr(&sf, "mnt"), MNT_EXPIRE), 0);
	KTEST_EXPECT_EQ(t, SYS(faccessat, AT_FDCWD, ustr(&sf, "mnt/file"), F_OK), -ENOENT);

	/* proc: nothing can be made in it (the lookup fails first, ENOENT, as in Linux).
	 * A lazy unmount while it is in use. */
	KTEST_EXPECT_EQ(t, SYS(mount, ustr(&sf, "proc"), ustr(&sf, "mnt"), ustr(&sf, "proc"), 0,
			       0), 0);
	KTEST_EXPECT_EQ(t, SYS(statfs, ustr(&sf, "mnt"), U(buf)), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&st, uptr(buf), sizeof(st)), 0);
	KTEST_EXPECT_EQ(t, st.f_type, PROC_SUPER_MAGIC);
	KTEST_EXPECT_EQ(t, SYS(mkdirat, AT_FDCWD, ustr(&sf, "mnt/x"), 0755), -ENOENT);
	KTEST_EXPECT_EQ(t, SYS(chdir, ustr(&sf, "mnt")), 0);
	KTEST_EXPECT_EQ(t, SYS(umount2, ustr(&sf, "/mnt"), 0), -EBUSY);
	KTEST_EXPECT_EQ(t, SYS(umount2, ustr(&sf, "/mnt"), MNT_DETACH), 0);
	KTEST_EXPECT_EQ(t, getcwd_is(&sf, "(unreachable)/"), 0);
	KTEST_EXPECT_EQ(t, SYS(chdir, ustr(&sf, "/")), 0);
	KTEST_EXPECT_EQ(t, SYS(umount2, ustr(&sf, "/mnt"), 0), -EINVAL);
	sys_teardown(t, &sf);
}

KTEST(fs_sys_devices)
{
	struct sys_fixture sf;
	unsigned long buf;
	int fd;

	if (!sys_setup(t, &sf))
		return;
	buf = upage(&sf, 1);
	KTEST_EXPECT_EQ(t, SYS(mknodat, AT_FDCWD, ustr(&sf, "null"), S_IFCHR | 0666,
			       new_encode_dev(MKDEV(1, 3))), 0);
	KTEST_EXPECT_EQ(t, SYS(mknodat, AT_FDCWD, ustr(&sf, "zero"), S_IFCHR | 0666,
			       new_encode_dev(MKDEV(1, 5))), 0);
	fd = open_user(&sf, AT_FDCWD, "null", O_RDWR, 0);
	KTEST_EXPECT_EQ(t, fd, 0);
	KTEST_EXPECT_EQ(t, SYS(write, fd, U(buf), 100), 100);
	KTEST_EXPECT_EQ(t, SYS(read, fd, U(buf), 100), 0);
	KTEST_EXPECT_EQ(t, SYS(ioctl, fd, FIONREAD, U(buf)), -ENOTTY);
	fd = open_user(&sf, AT_FDCWD, "zero", O_RDONLY, 0);
	KTEST_EXPECT_EQ(t, fd, 1);
	KTEST_EXPECT_EQ(t, SYS(write, 0, ustr(&sf, "xxxx"), 4), 4);
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(buf), "xxxx", 4), 0);
	KTEST_EXPECT_EQ(t, SYS(read, fd, U(buf), 3), 3);
	KTEST_EXPECT(t, ueq(buf, "\0\0\0x", 4));
	/* A read running off the end of the mapping: as much as fits. */
	KTEST_EXPECT_EQ(t, SYS(read, fd, U(sf.ubase + UPAGES * PAGE_SIZE - 10), 100), 10);
	KTEST_EXPECT_EQ(t, SYS(read, fd, 0, 100), -EFAULT);
	sys_teardown(t, &sf);
}
