/*
 * efault: every system call that takes a user pointer, given a bad one -- an unmapped low
 * address and a kernel address (0xffff000000000000) -- fails with EFAULT (and nothing
 * crashes). Raw syscall() is used throughout so glibc (or the vDSO) never touches the
 * pointer first. Also: partial transfers when a buffer runs into an unmapped page, wait4
 * reaping a child even when its status cannot be stored, and set_tid_address, which does
 * not check its pointer.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <time.h>

#define PAGE 4096L

static const char *tmp;
static char file_path[300], link_path[300];
static int file_fd, dir_fd;

/* Fresh pipe with data in it (so a read has something to copy). */
static int data_pipe(int *p)
{
	if (pipe(p) != 0)
		return -1;
	write(p[1], "0123456789", 10);
	return 0;
}

static void run_for(const char *tag, void *b)
{
	static char n[512]; /* big enough for struct stat and struct statx */
	int p[2];
	long tid = syscall(SYS_gettid);
#define EF(label, expr) CHECK_ERR(kt_name("%s_%s", label, tag), (expr), EFAULT)
	(void)n;

	data_pipe(p);
	EF("read_pipe", syscall(SYS_read, p[0], b, 10));
	EF("write_pipe", syscall(SYS_write, p[1], b, 10));
	struct iovec iov = { b, 10 };
	EF("readv_bad_iov", syscall(SYS_readv, p[0], b, 1));
	EF("readv_bad_base", syscall(SYS_readv, p[0], &iov, 1));
	EF("writev_bad_iov", syscall(SYS_writev, p[1], b, 1));
	EF("writev_bad_base", syscall(SYS_writev, p[1], &iov, 1));
	EF("ioctl_fionread", syscall(SYS_ioctl, p[0], FIONREAD, b));
	close(p[0]);
	close(p[1]);

	EF("read_file", syscall(SYS_read, file_fd, b, 10));
	EF("pread64", syscall(SYS_pread64, file_fd, b, 10, 0));
	EF("write_file", syscall(SYS_write, file_fd, b, 10));
	EF("pwrite64", syscall(SYS_pwrite64, file_fd, b, 10, 0));
	EF("openat_path", syscall(SYS_openat, AT_FDCWD, b, O_RDONLY));
	EF("fstat", syscall(SYS_fstat, file_fd, b));
	EF("newfstatat_buf", syscall(SYS_newfstatat, AT_FDCWD, "/", b, 0));
	EF("newfstatat_path", syscall(SYS_newfstatat, AT_FDCWD, b, &n, 0));
	EF("statx_buf", syscall(SYS_statx, AT_FDCWD, "/", 0, 0x7ff, b));
	EF("statx_path", syscall(SYS_statx, AT_FDCWD, b, 0, 0x7ff, n));
	EF("getcwd", syscall(SYS_getcwd, b, 4096));
	EF("chdir", syscall(SYS_chdir, b));
	EF("mkdirat", syscall(SYS_mkdirat, AT_FDCWD, b, 0755));
	EF("unlinkat", syscall(SYS_unlinkat, AT_FDCWD, b, 0));
	EF("faccessat", syscall(SYS_faccessat, AT_FDCWD, b, F_OK));
	EF("readlinkat_path", syscall(SYS_readlinkat, AT_FDCWD, b, n, sizeof(n)));
	EF("readlinkat_buf", syscall(SYS_readlinkat, AT_FDCWD, link_path, b, 64));
	EF("getdents64", syscall(SYS_getdents64, dir_fd, b, 4096));
	lseek(dir_fd, 0, SEEK_SET);
	EF("fcntl_getlk", syscall(SYS_fcntl, file_fd, F_GETLK, b));
	EF("pipe2", syscall(SYS_pipe2, b, 0));
	EF("execve_path", syscall(SYS_execve, b, NULL, NULL));
	char *argv[] = { kt_self_path, NULL };
	EF("execve_argv", syscall(SYS_execve, kt_self_path, b, argv + 1));
	EF("execve_envp", syscall(SYS_execve, kt_self_path, argv, b));
	char *bad_argv[] = { kt_self_path, b, NULL };
	EF("execve_argv_element", syscall(SYS_execve, kt_self_path, bad_argv, argv + 1));

	EF("rt_sigaction_act", syscall(SYS_rt_sigaction, SIGUSR1, b, NULL, 8));
	EF("rt_sigaction_oact", syscall(SYS_rt_sigaction, SIGUSR1, NULL, b, 8));
	EF("rt_sigprocmask_set", syscall(SYS_rt_sigprocmask, SIG_BLOCK, b, NULL, 8));
	EF("rt_sigprocmask_oset", syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, b, 8));
	EF("rt_sigpending", syscall(SYS_rt_sigpending, b, 8));
	EF("rt_sigsuspend", syscall(SYS_rt_sigsuspend, b, 8));
	EF("rt_sigtimedwait", syscall(SYS_rt_sigtimedwait, b, NULL, NULL, 8));
	EF("rt_sigqueueinfo", syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, b));
	EF("sigaltstack_new", syscall(SYS_sigaltstack, b, NULL));
	EF("sigaltstack_old", syscall(SYS_sigaltstack, NULL, b));

	EF("clock_gettime", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, b));
	EF("clock_getres", syscall(SYS_clock_getres, CLOCK_MONOTONIC, b));
	EF("gettimeofday", syscall(SYS_gettimeofday, b, NULL));
	EF("nanosleep", syscall(SYS_nanosleep, b, NULL));
	EF("clock_nanosleep", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, b, NULL));
	EF("setitimer_new", syscall(SYS_setitimer, ITIMER_REAL, b, NULL));
	EF("getitimer", syscall(SYS_getitimer, ITIMER_REAL, b));
	EF("times", syscall(SYS_times, b));
	EF("uname", syscall(SYS_uname, b));
	EF("sysinfo", syscall(SYS_sysinfo, b));
	EF("getrandom", syscall(SYS_getrandom, b, 16, 0));
	EF("getrusage", syscall(SYS_getrusage, RUSAGE_SELF, b));
	EF("getrlimit", syscall(SYS_getrlimit, RLIMIT_NOFILE, b));
	EF("setrlimit", syscall(SYS_setrlimit, RLIMIT_NOFILE, b));
	EF("prlimit64_new", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, b, NULL));
	EF("prlimit64_old", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, b));
	EF("getresuid", syscall(SYS_getresuid, b, b, b));
	EF("getresgid", syscall(SYS_getresgid, b, b, b));
	EF("getcpu", syscall(SYS_getcpu, b, NULL, NULL));
	EF("sched_getaffinity", syscall(SYS_sched_getaffinity, 0, 8, b));
	EF("sched_setaffinity", syscall(SYS_sched_setaffinity, 0, 8, b));
	EF("sched_getparam", syscall(SYS_sched_getparam, 0, b));
	EF("sched_setparam", syscall(SYS_sched_setparam, 0, b));
	EF("sched_rr_get_interval", syscall(SYS_sched_rr_get_interval, 0, b));
	EF("sched_getattr", syscall(SYS_sched_getattr, 0, b, 48, 0));
	EF("get_robust_list", syscall(SYS_get_robust_list, 0, b, b));
	EF("prctl_get_name", syscall(SYS_prctl, PR_GET_NAME, b, 0, 0, 0));
	EF("prctl_set_name", syscall(SYS_prctl, PR_SET_NAME, b, 0, 0, 0));
	char *m = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EF("mincore_vec", syscall(SYS_mincore, m, PAGE, b));
	munmap(m, PAGE);
	EF("ppoll_fds", syscall(SYS_ppoll, b, 1, NULL, NULL, 8));
	EF("pselect6_set", syscall(SYS_pselect6, 1, b, NULL, NULL, NULL, NULL));
	EF("clone3_args", syscall(SYS_clone3, b, 64));

	/* futex: the address must be 4-byte aligned first (EINVAL otherwise). */
	void *fb = (void *)((uintptr_t)b & ~(uintptr_t)3);
	EF("futex_wait", syscall(SYS_futex, fb, FUTEX_WAIT, 0, NULL, NULL, 0));
	EF("futex_wait_private", syscall(SYS_futex, fb, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	int word = 0;
	EF("futex_wait_timeout", syscall(SYS_futex, &word, FUTEX_WAIT, 0, b, NULL, 0));

	/* wait4 and waitid: the child is reaped even though its status is lost. */
	pid_t c = kt_fork();
	if (c == 0)
		_exit(3);
	siginfo_t si;
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	EF("wait4_status", syscall(SYS_wait4, c, b, 0, NULL));
	CHECK_ERR(kt_name("wait4_efault_child_reaped_%s", tag), waitpid(c, NULL, WNOHANG), ECHILD);
	c = kt_fork();
	if (c == 0)
		_exit(3);
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	EF("wait4_rusage", syscall(SYS_wait4, c, NULL, 0, b));
	kt_wait(c);
	c = kt_fork();
	if (c == 0)
		_exit(3);
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	EF("waitid_infop", syscall(SYS_waitid, P_PID, c, b, WEXITED, NULL));
	kt_wait(c);
	(void)tid;
#undef EF
}

static void test_partial(void)
{
	/* A buffer whose second page is unmapped: the transfer stops at the hole. */
	char *m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(m, 'q', PAGE);
	munmap(m + PAGE, PAGE);
	char path[300];
	snprintf(path, sizeof(path), "%s/partial", tmp);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_EQ("write_partial_to_hole", syscall(SYS_write, fd, m, 2 * PAGE), PAGE);
	CHECK_EQ("write_partial_file_size", lseek(fd, 0, SEEK_END), PAGE);
	static char more[2 * PAGE];
	pwrite(fd, more, sizeof(more), 0);
	CHECK_EQ("read_partial_into_hole", syscall(SYS_pread64, fd, m, 2 * PAGE, 0), PAGE);
	CHECK_ERR("read_starting_at_hole", syscall(SYS_pread64, fd, m + PAGE, 100, 0), EFAULT);
	/* Nothing written at all: EFAULT. */
	CHECK_ERR("write_starting_at_hole", syscall(SYS_write, fd, m + PAGE, 100), EFAULT);
	close(fd);
	munmap(m, PAGE);

	/* set_tid_address does not check its pointer; it returns the TID. */
	pid_t c = kt_fork();
	if (c == 0) {
		long r = syscall(SYS_set_tid_address, (void *)1);
		_exit(r == syscall(SYS_gettid) ? 0 : 1);
	}
	CHECK_WSTATUS("set_tid_address_unchecked", kt_wait(c), "exit 0");
}

int main(void)
{
	kt_begin("efault", 20);
	tmp = kt_tmpdir("efault");
	snprintf(file_path, sizeof(file_path), "%s/file", tmp);
	snprintf(link_path, sizeof(link_path), "%s/link", tmp);
	file_fd = open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(file_fd, "some file contents", 18);
	lseek(file_fd, 0, SEEK_SET);
	symlink("file", link_path);
	dir_fd = open(tmp, O_RDONLY | O_DIRECTORY);
	signal(SIGUSR1, SIG_IGN);
	run_for("low", (void *)1);
	run_for("kernel", (void *)0xffff000000000000ul);
	test_partial();
	close(file_fd);
	close(dir_fd);
	kt_rmtree(tmp);
	return kt_end();
}
