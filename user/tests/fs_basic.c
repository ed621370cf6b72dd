/*
 * fs_basic: file system calls on files under /tmp: getcwd/chdir/fchdir, openat flags and
 * errors, read/write/lseek/pread64/pwrite64/readv/writev, O_APPEND, O_TRUNC, holes and
 * ftruncate, fstat/newfstatat/statx, getdents64 (names and types, sorted), mkdirat,
 * unlinkat, renameat2, symlinkat/readlinkat, linkat, faccessat, fchmodat, dup/dup2/dup3
 * and fcntl F_DUPFD/F_DUPFD_CLOEXEC/F_GETFD/F_SETFD/F_GETFL, unlinked-but-open files,
 * /dev/null and /dev/zero.
 */
#include "ktest_user.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>

static const char *base;
static char pbuf[4][512];

static const char *P(int slot, const char *name)
{
	snprintf(pbuf[slot], sizeof(pbuf[slot]), "%s/%s", base, name);
	return pbuf[slot];
}

static void test_cwd(void)
{
	char buf[512];
	CHECK_EQ("chdir_base", chdir(base), 0);
	CHECK_STR("getcwd_base", getcwd(buf, sizeof(buf)), base);
	mkdir("sub", 0755);
	CHECK_EQ("chdir_relative", chdir("sub"), 0);
	CHECK_STR("getcwd_sub", getcwd(buf, sizeof(buf)), P(0, "sub"));
	CHECK_EQ("chdir_dotdot", chdir(".."), 0);
	CHECK_STR("getcwd_after_dotdot", getcwd(buf, sizeof(buf)), base);
	int fd = open("sub", O_RDONLY | O_DIRECTORY);
	CHECK_EQ("fchdir", fchdir(fd), 0);
	CHECK_STR("getcwd_after_fchdir", getcwd(buf, sizeof(buf)), P(0, "sub"));
	close(fd);
	chdir(base);
	CHECK_ERR("getcwd_small_erange", syscall(SYS_getcwd, buf, 5), ERANGE);
	CHECK_ERR("getcwd_zero_erange", syscall(SYS_getcwd, buf, 0), ERANGE);
	long n = syscall(SYS_getcwd, buf, sizeof(buf));
	CHECK_EQ("getcwd_raw_returns_length_with_nul", n, (long)strlen(base) + 1);
	int f = open("plainfile", O_CREAT | O_WRONLY, 0644);
	CHECK_ERR("fchdir_file_enotdir", fchdir(f), ENOTDIR);
	close(f);
	CHECK_ERR("chdir_file_enotdir", chdir("plainfile"), ENOTDIR);
	CHECK_ERR("chdir_missing_enoent", chdir("missing"), ENOENT);
	CHECK_ERR("chdir_empty_enoent", chdir(""), ENOENT);
	CHECK_ERR("fchdir_bad_fd", fchdir(999), EBADF);
	/* The cwd can be removed from under us: getcwd then fails with ENOENT. */
	pid_t p = kt_fork();
	if (p == 0) {
		mkdir("doomed", 0755);
		chdir("doomed");
		rmdir(P(0, "doomed"));
		char b[512];
		_exit(getcwd(b, sizeof(b)) == NULL && errno == ENOENT ? 0 : 1);
	}
	CHECK_WSTATUS("getcwd_removed_dir_enoent", kt_wait(p), "exit 0");
	unlink("plainfile");
	rmdir("sub");
}

static void test_open_rw(void)
{
	char buf[64];
	int fd = openat(AT_FDCWD, "f1", O_CREAT | O_EXCL | O_RDWR, 0666);
	CHECK("create_excl", fd >= 0);
	CHECK_ERR("create_excl_again_eexist", openat(AT_FDCWD, "f1", O_CREAT | O_EXCL | O_RDWR, 0666),
		  EEXIST);
	struct stat st;
	fstat(fd, &st);
	CHECK_EQ("created_mode_umask_applied", st.st_mode & 07777, 0644);
	CHECK("created_regular", S_ISREG(st.st_mode));
	CHECK_EQ("created_size_0", st.st_size, 0);
	CHECK_EQ("created_nlink_1", st.st_nlink, 1);
	CHECK_EQ("write_10", write(fd, "0123456789", 10), 10);
	CHECK_EQ("offset_after_write", lseek(fd, 0, SEEK_CUR), 10);
	CHECK_EQ("read_at_eof", read(fd, buf, 10), 0);
	CHECK_EQ("lseek_set_2", lseek(fd, 2, SEEK_SET), 2);
	CHECK_EQ("read_3", read(fd, buf, 3), 3);
	CHECK("read_3_data", memcmp(buf, "234", 3) == 0);
	CHECK_EQ("lseek_cur_minus_1", lseek(fd, -1, SEEK_CUR), 4);
	CHECK_EQ("lseek_end_minus_2", lseek(fd, -2, SEEK_END), 8);
	CHECK_ERR("lseek_negative_einval", lseek(fd, -100, SEEK_SET), EINVAL);
	CHECK_ERR("lseek_bad_whence", lseek(fd, 0, 42), EINVAL);
	CHECK_EQ("pread_no_offset_change", pread(fd, buf, 4, 1), 4);
	CHECK("pread_data", memcmp(buf, "1234", 4) == 0);
	CHECK_EQ("offset_unchanged_by_pread", lseek(fd, 0, SEEK_CUR), 8);
	CHECK_EQ("pwrite", pwrite(fd, "AB", 2, 0), 2);
	CHECK_EQ("offset_unchanged_by_pwrite", lseek(fd, 0, SEEK_CUR), 8);
	CHECK_ERR("pread_negative_offset", pread(fd, buf, 1, -1), EINVAL);
	/* Holes read as zeros. */
	CHECK_EQ("lseek_past_end", lseek(fd, 100, SEEK_SET), 100);
	CHECK_EQ("write_after_hole", write(fd, "Z", 1), 1);
	fstat(fd, &st);
	CHECK_EQ("size_with_hole", st.st_size, 101);
	memset(buf, 1, sizeof(buf));
	pread(fd, buf, 20, 20);
	int zero = 1;
	for (int i = 0; i < 20; i++)
		if (buf[i])
			zero = 0;
	CHECK_EQ("hole_reads_zero", zero, 1);
	CHECK_EQ("ftruncate_shrink", ftruncate(fd, 5), 0);
	fstat(fd, &st);
	CHECK_EQ("size_after_truncate", st.st_size, 5);
	CHECK_EQ("ftruncate_grow", ftruncate(fd, 4096 + 3), 0);
	pread(fd, buf, 8, 4096);
	CHECK("grown_part_zero", buf[0] == 0 && buf[2] == 0);
	CHECK_ERR("ftruncate_negative", ftruncate(fd, -1), EINVAL);

	/* readv/writev */
	lseek(fd, 0, SEEK_SET);
	struct iovec wv[3] = { { "ab", 2 }, { "", 0 }, { "cdef", 4 } };
	CHECK_EQ("writev", writev(fd, wv, 3), 6);
	char r1[3] = { 0 }, r2[4] = { 0 };
	struct iovec rv[2] = { { r1, 2 }, { r2, 3 } };
	lseek(fd, 0, SEEK_SET);
	CHECK_EQ("readv", readv(fd, rv, 2), 5);
	CHECK("readv_data", memcmp(r1, "ab", 2) == 0 && memcmp(r2, "cde", 3) == 0);
	CHECK_ERR("readv_negative_count", syscall(SYS_readv, fd, rv, -1), EINVAL);
	CHECK_ERR("readv_too_many", syscall(SYS_readv, fd, rv, 1025), EINVAL);
	close(fd);

	/* O_APPEND and O_TRUNC. */
	fd = open("f1", O_WRONLY | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	write(fd, "++", 2);
	fstat(fd, &st);
	CHECK_EQ("append_writes_at_end", st.st_size, 4096 + 3 + 2);
	CHECK_EQ("append_getfl", fcntl(fd, F_GETFL) & (O_APPEND | O_ACCMODE), O_APPEND | O_WRONLY);
	close(fd);
	fd = open("f1", O_RDWR | O_TRUNC);
	fstat(fd, &st);
	CHECK_EQ("trunc_on_open", st.st_size, 0);
	CHECK_ERR("read_wronly_ebadf", read(open("f1", O_WRONLY), buf, 1), EBADF);
	close(fd);
	fd = open("f1", O_RDONLY);
	CHECK_ERR("write_rdonly_ebadf", write(fd, "x", 1), EBADF);
	close(fd);

	/* Open errors. */
	CHECK_ERR("open_missing_enoent", open("missing", O_RDONLY), ENOENT);
	CHECK_ERR("open_empty_enoent", open("", O_RDONLY), ENOENT);
	CHECK_ERR("open_through_file_enotdir", open("f1/x", O_RDONLY), ENOTDIR);
	CHECK_ERR("open_directory_flag_on_file", open("f1", O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERR("open_dir_for_write_eisdir", open(".", O_WRONLY), EISDIR);
	CHECK_ERR("open_dir_creat_eisdir", open(".", O_CREAT | O_RDWR, 0644), EISDIR);
	CHECK_ERR("open_trailing_slash_creat_eisdir", open("newfile/", O_CREAT | O_RDWR, 0644),
		  EISDIR);
	char longname[300];
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	CHECK_ERR("open_name_too_long", open(longname, O_RDONLY), ENAMETOOLONG);
	int dfd = open(base, O_RDONLY | O_DIRECTORY);
	CHECK("openat_dirfd", (fd = openat(dfd, "f1", O_RDONLY)) >= 0);
	close(fd);
	int ffd = open("f1", O_RDONLY);
	CHECK_ERR("openat_file_as_dirfd_enotdir", openat(ffd, "x", O_RDONLY), ENOTDIR);
	CHECK_ERR("openat_bad_dirfd_ebadf", openat(999, "x", O_RDONLY), EBADF);
	/* An absolute path ignores dirfd, even a bad one. */
	CHECK("openat_absolute_ignores_dirfd", (fd = openat(999, P(0, "f1"), O_RDONLY)) >= 0);
	close(fd);
	close(ffd);
	close(dfd);
	CHECK_ERR("read_dir_eisdir", read(open(".", O_RDONLY), buf, 1), EISDIR);
	fd = open("f1", O_RDONLY | O_CLOEXEC);
	CHECK_EQ("open_cloexec_flag", fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_dirs(void)
{
	CHECK_EQ("mkdirat", mkdirat(AT_FDCWD, "d", 0755), 0);
	CHECK_ERR("mkdirat_exists", mkdirat(AT_FDCWD, "d", 0755), EEXIST);
	CHECK_ERR("mkdir_missing_parent", mkdir("nope/d", 0755), ENOENT);
	struct stat st;
	stat("d", &st);
	CHECK("mkdir_is_dir", S_ISDIR(st.st_mode));
	CHECK_EQ("mkdir_mode", st.st_mode & 07777, 0755);
	close(open("d/a", O_CREAT | O_WRONLY, 0644));
	close(open("d/bb", O_CREAT | O_WRONLY, 0644));
	mkdir("d/sub", 0700);
	symlink("a", "d/lnk");

	int fd = open("d", O_RDONLY | O_DIRECTORY);
	static char buf[4096];
	char *names[16];
	int n = 0, calls = 0;
	long r;
	while ((r = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		calls++;
		for (long off = 0; off < r;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			static char store[16][300];
			if (n < 16) {
				const char *t = d->d_type == DT_DIR ? "dir" :
						d->d_type == DT_REG ? "reg" :
						d->d_type == DT_LNK ? "lnk" : "other";
				snprintf(store[n], sizeof(store[n]), "%s:%s", d->d_name, t);
				names[n] = store[n];
				n++;
			}
			off += d->d_reclen;
		}
	}
	CHECK_EQ("getdents64_end_0", r, 0);
	qsort(names, n, sizeof(names[0]), cmp_str);
	char joined[512] = "";
	for (int i = 0; i < n; i++) {
		strcat(joined, names[i]);
		strcat(joined, " ");
	}
	CHECK_STR("getdents64_entries", joined, "..:dir .:dir a:reg bb:reg lnk:lnk sub:dir ");
	lseek(fd, 0, SEEK_SET);
	CHECK("getdents64_rewind", syscall(SYS_getdents64, fd, buf, sizeof(buf)) > 0);
	lseek(fd, 0, SEEK_SET);
	CHECK_ERR("getdents64_tiny_buffer_einval", syscall(SYS_getdents64, fd, buf, 8), EINVAL);
	close(fd);
	fd = open("d/a", O_RDONLY);
	CHECK_ERR("getdents64_on_file_enotdir", syscall(SYS_getdents64, fd, buf, sizeof(buf)),
		  ENOTDIR);
	close(fd);
	CHECK_ERR("getdents64_bad_fd", syscall(SYS_getdents64, 999, buf, sizeof(buf)), EBADF);

	/* Removal rules. */
	CHECK_ERR("unlink_dir_eisdir", unlinkat(AT_FDCWD, "d/sub", 0), EISDIR);
	CHECK_ERR("rmdir_file_enotdir", unlinkat(AT_FDCWD, "d/a", AT_REMOVEDIR), ENOTDIR);
	CHECK_ERR("rmdir_nonempty", unlinkat(AT_FDCWD, "d", AT_REMOVEDIR), ENOTEMPTY);
	CHECK_ERR("rmdir_dot_einval", rmdir("d/."), EINVAL);
	CHECK_ERR("unlink_missing_enoent", unlink("d/missing"), ENOENT);
	CHECK_ERR("unlinkat_bad_flag", unlinkat(AT_FDCWD, "d/a", 0x1), EINVAL);
	CHECK_EQ("rmdir_empty", unlinkat(AT_FDCWD, "d/sub", AT_REMOVEDIR), 0);
	CHECK_EQ("unlink_file", unlinkat(AT_FDCWD, "d/bb", 0), 0);
	CHECK_ERR("stat_removed", stat("d/bb", &st), ENOENT);

	/* Renames. */
	close(open("d/x", O_CREAT | O_WRONLY, 0644));
	CHECK_EQ("rename", renameat(AT_FDCWD, "d/x", AT_FDCWD, "d/y"), 0);
	CHECK_ERR("rename_old_gone", stat("d/x", &st), ENOENT);
	CHECK_EQ("rename_new_there", stat("d/y", &st), 0);
	CHECK_ERR("renameat2_noreplace_eexist",
		  syscall(SYS_renameat2, AT_FDCWD, "d/y", AT_FDCWD, "d/a", RENAME_NOREPLACE), EEXIST);
	CHECK_EQ("rename_replaces", rename("d/y", "d/a"), 0);
	mkdir("d/dir2", 0755);
	CHECK_ERR("rename_file_over_dir_eisdir", rename("d/a", "d/dir2"), EISDIR);
	CHECK_ERR("rename_dir_into_itself_einval", rename("d/dir2", "d/dir2/inner"), EINVAL);
	rmdir("d/dir2");

	/* Symlinks and hard links. */
	char lb[64];
	memset(lb, 'X', sizeof(lb));
	CHECK_EQ("readlinkat_length", readlinkat(AT_FDCWD, "d/lnk", lb, sizeof(lb)), 1);
	CHECK_EQ("readlinkat_no_nul", lb[1], 'X');
	CHECK_EQ("symlinkat", symlinkat("some/long/target", AT_FDCWD, "d/lnk2"), 0);
	CHECK_EQ("readlink_truncated", readlink("d/lnk2", lb, 4), 4);
	CHECK("readlink_truncated_data", memcmp(lb, "some", 4) == 0);
	CHECK_ERR("readlink_not_symlink_einval", readlink("d/a", lb, sizeof(lb)), EINVAL);
	CHECK_ERR("readlink_zero_size_einval", readlink("d/lnk", lb, 0), EINVAL);
	CHECK_ERR("symlink_exists_eexist", symlink("a", "d/lnk"), EEXIST);
	CHECK_EQ("lstat_symlink", lstat("d/lnk2", &st), 0);
	CHECK("lstat_is_link", S_ISLNK(st.st_mode) && st.st_size == 16);
	CHECK_ERR("stat_dangling_enoent", stat("d/lnk2", &st), ENOENT);
	CHECK_EQ("fstatat_nofollow", fstatat(AT_FDCWD, "d/lnk", &st, AT_SYMLINK_NOFOLLOW), 0);
	CHECK("fstatat_nofollow_is_link", S_ISLNK(st.st_mode));
	CHECK_EQ("fstatat_follow", fstatat(AT_FDCWD, "d/lnk", &st, 0), 0);
	CHECK("fstatat_follow_is_reg", S_ISREG(st.st_mode));
	CHECK_ERR("fstatat_bad_flag", fstatat(AT_FDCWD, "d/lnk", &st, 0x4000000), EINVAL);
	CHECK_EQ("linkat", linkat(AT_FDCWD, "d/a", AT_FDCWD, "d/hard", 0), 0);
	stat("d/a", &st);
	CHECK_EQ("link_count_2", st.st_nlink, 2);
	CHECK_ERR("link_dir_eperm", link("d", "d2"), EPERM);
	CHECK_ERR("open_nofollow_eloop", open("d/lnk", O_RDONLY | O_NOFOLLOW), ELOOP);
	symlink("loop2", "d/loop1");
	symlink("loop1", "d/loop2");
	CHECK_ERR("symlink_loop_eloop", open("d/loop1", O_RDONLY), ELOOP);

	/* statx */
	struct statx sx;
	memset(&sx, 0, sizeof(sx));
	int wfd = open("d/a", O_WRONLY);
	write(wfd, "12345", 5);
	close(wfd);
	CHECK_EQ("statx_ok", statx(AT_FDCWD, "d/a", 0, STATX_BASIC_STATS, &sx), 0);
	CHECK_EQ("statx_size", sx.stx_size, 5);
	CHECK("statx_type", S_ISREG(sx.stx_mode));
	CHECK_EQ("statx_nlink", sx.stx_nlink, 2);
	CHECK_EQ("statx_mask_has_size", sx.stx_mask & STATX_SIZE, STATX_SIZE);
	CHECK_EQ("statx_empty_path_fd", statx(open("d/a", O_RDONLY), "", AT_EMPTY_PATH, STATX_SIZE,
					      &sx),
		 0);
	CHECK_ERR("statx_bad_flags", statx(AT_FDCWD, "d/a", 0x40000000, STATX_SIZE, &sx), EINVAL);
	CHECK_ERR("statx_reserved_mask", statx(AT_FDCWD, "d/a", 0, 0x80000000u, &sx), EINVAL);
}

static void test_access_modes(void)
{
	close(open("perm", O_CREAT | O_WRONLY, 0644));
	CHECK_EQ("faccessat_exists", faccessat(AT_FDCWD, "perm", F_OK, 0), 0);
	CHECK_ERR("faccessat_missing", faccessat(AT_FDCWD, "missing", F_OK, 0), ENOENT);
	CHECK_ERR("faccessat_root_no_x_eacces", faccessat(AT_FDCWD, "perm", X_OK, 0), EACCES);
	CHECK_EQ("fchmodat_000", fchmodat(AT_FDCWD, "perm", 0, 0), 0);
	CHECK_EQ("faccessat_root_rw_on_000", faccessat(AT_FDCWD, "perm", R_OK | W_OK, 0), 0);
	CHECK_ERR("faccessat_bad_mode", faccessat(AT_FDCWD, "perm", 0x10, 0), EINVAL);
	CHECK_EQ("chmod_x_for_owner", chmod("perm", 0100), 0);
	CHECK_EQ("faccessat_root_x_any_bit", faccessat(AT_FDCWD, "perm", X_OK, 0), 0);
	struct stat st;
	stat("perm", &st);
	CHECK_EQ("chmod_mode_read_back", st.st_mode & 07777, 0100);
	CHECK_EQ("access_dir_x", access(".", X_OK), 0);
	int fd = open("perm", O_RDONLY);
	CHECK("root_opens_mode_0100", fd >= 0);
	CHECK_EQ("fchmod", fchmod(fd, 0640), 0);
	fstat(fd, &st);
	CHECK_EQ("fchmod_read_back", st.st_mode & 07777, 0640);
	close(fd);
	unlink("perm");
}

static void test_fds(void)
{
	int fd = open("fdfile", O_CREAT | O_RDWR, 0644);
	int d = dup(fd);
	CHECK("dup_new_fd", d > fd);
	CHECK_EQ("dup_shares_offset_write", write(fd, "abc", 3), 3);
	CHECK_EQ("dup_shares_offset", lseek(d, 0, SEEK_CUR), 3);
	CHECK_EQ("dup_no_cloexec", fcntl(d, F_GETFD), 0);
	close(d);
	/* The lowest free descriptor is used. */
	int a = dup(fd), b = dup(fd);
	close(a);
	CHECK_EQ("dup_lowest_free", dup(fd), a);
	close(a);
	close(b);
	CHECK_EQ("dup2_target", dup2(fd, 40), 40);
	CHECK_EQ("dup2_same_fd", dup2(fd, fd), fd);
	CHECK_ERR("dup2_bad_old", dup2(999, 41), EBADF);
	CHECK_ERR("dup2_same_bad", dup2(999, 999), EBADF);
	CHECK_ERR("dup3_same_einval", dup3(fd, fd, 0), EINVAL);
	CHECK_EQ("dup3_cloexec", dup3(fd, 41, O_CLOEXEC), 41);
	CHECK_EQ("dup3_cloexec_flag", fcntl(41, F_GETFD), FD_CLOEXEC);
	CHECK_ERR("dup3_bad_flags", dup3(fd, 42, O_NONBLOCK), EINVAL);
	CHECK_EQ("dup2_over_open_replaces", dup2(fd, 41), 41);
	CHECK_EQ("dup2_clears_cloexec", fcntl(41, F_GETFD), 0);
	CHECK_EQ("f_dupfd_min", fcntl(fd, F_DUPFD, 50), 50);
	CHECK_EQ("f_dupfd_next", fcntl(fd, F_DUPFD, 50), 51);
	CHECK_EQ("f_dupfd_cloexec", fcntl(fd, F_DUPFD_CLOEXEC, 60), 60);
	CHECK_EQ("f_dupfd_cloexec_flag", fcntl(60, F_GETFD), FD_CLOEXEC);
	CHECK_ERR("f_dupfd_negative", fcntl(fd, F_DUPFD, -1), EINVAL);
	CHECK_EQ("f_setfd", fcntl(50, F_SETFD, FD_CLOEXEC), 0);
	CHECK_EQ("f_getfd_after_set", fcntl(50, F_GETFD), FD_CLOEXEC);
	CHECK_EQ("f_getfl_rdwr", fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	CHECK_ERR("fcntl_bad_cmd", fcntl(fd, 9999), EINVAL);
	CHECK_ERR("fcntl_bad_fd", fcntl(999, F_GETFD), EBADF);
	CHECK_ERR("close_bad_fd", close(999), EBADF);
	CHECK_EQ("close_ok", close(50), 0);
	CHECK_ERR("close_twice", close(50), EBADF);
	close(40);
	close(41);
	close(51);
	close(60);

	/* An unlinked file lives on while open. */
	CHECK_EQ("unlink_open_file", unlink("fdfile"), 0);
	struct stat st;
	fstat(fd, &st);
	CHECK_EQ("unlinked_nlink_0", st.st_nlink, 0);
	char buf[4] = { 0 };
	CHECK_EQ("unlinked_still_readable", pread(fd, buf, 3, 0), 3);
	CHECK_STR("unlinked_data", buf, "abc");
	close(fd);

	/* Devices. */
	fd = open("/dev/null", O_RDWR);
	CHECK("dev_null_opens", fd >= 0);
	CHECK_EQ("dev_null_read_eof", read(fd, buf, sizeof(buf)), 0);
	CHECK_EQ("dev_null_write_all", write(fd, "xyz", 3), 3);
	fstat(fd, &st);
	CHECK("dev_null_is_chr_1_3", S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3));
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 7, sizeof(buf));
	CHECK_EQ("dev_zero_read", read(fd, buf, sizeof(buf)), 4);
	CHECK("dev_zero_zeroes", buf[0] == 0 && buf[3] == 0);
	close(fd);
}

int main(void)
{
	kt_begin("fs_basic", 20);
	base = kt_tmpdir("fs");
	test_cwd();
	test_open_rw();
	test_dirs();
	test_access_modes();
	test_fds();
	chdir("/");
	kt_rmtree(base);
	return kt_end();
}
