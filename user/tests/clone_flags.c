/*
 * clone_flags: the raw clone system call (arm64 argument order: flags, stack, parent_tid,
 * tls, child_tid) with CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND, CLONE_THREAD,
 * CLONE_PARENT, CLONE_VFORK, CLONE_SETTLS, CLONE_PARENT_SETTID, CLONE_CHILD_SETTID and
 * CLONE_CHILD_CLEARTID, the invalid combinations, and clone3 with its EINVAL/E2BIG/EFAULT
 * cases.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <sched.h>
#include <time.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#endif

struct kt_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
		set_tid, set_tid_size, cgroup;
};

#define STACK_SIZE (64 * 1024)
#define THREAD_FLAGS                                                                       \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)

static volatile int shared_val;
static char tmpdir[256];

static int set_shared_42(void *arg)
{
	(void)arg;
	shared_val = 42;
	return 0;
}

static int set_shared_99(void *arg)
{
	(void)arg;
	shared_val = 99;
	return 0;
}

static int write_int_7(void *arg)
{
	*(volatile int *)arg = 7;
	return 0;
}

static int chdir_and_umask(void *arg)
{
	(void)arg;
	if (chdir(tmpdir) != 0)
		return 1;
	umask(027);
	return 0;
}

static int fd_games(void *arg)
{
	int *fds = arg;
	close(fds[0]);
	if (dup2(fds[1], 60) != 60)
		return 1;
	return 0;
}

static void usr_handler(int sig)
{
	(void)sig;
}

static int install_handler(void *arg)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = usr_handler;
	return sigaction((int)(long)arg, &sa, NULL) == 0 ? 0 : 1;
}

static long wait_clone(long pid, int *st)
{
	return waitpid((pid_t)pid, st, __WALL);
}

static void test_vm(void)
{
	void *stk = kt_stack(STACK_SIZE);
	int st;
	shared_val = 0;
	long p = kt_clone(CLONE_VM | SIGCHLD, stk, 0, 0, 0, set_shared_42, NULL);
	CHECK("vm_clone", p > 0);
	CHECK_EQ("vm_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("vm_status", st, "exit 0");
	CHECK_EQ("vm_write_visible", shared_val, 42);

	p = kt_clone(SIGCHLD, 0, 0, 0, 0, set_shared_99, NULL);
	CHECK_EQ("novm_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("novm_status", st, "exit 0");
	CHECK_EQ("novm_write_private", shared_val, 42);

	/* The parent's stack is shared too: the child writes the parent's local. */
	volatile int local = 1;
	p = kt_clone(CLONE_VM | SIGCHLD, stk, 0, 0, 0, write_int_7, (void *)&local);
	CHECK_EQ("vm_stack_wait", wait_clone(p, &st), p);
	CHECK_EQ("vm_parent_stack_visible", local, 7);
}

static void test_fs(void)
{
	char cwd[512];
	int st;
	void *stk = kt_stack(STACK_SIZE);
	chdir("/");
	mode_t old = umask(022);
	long p = kt_clone(CLONE_VM | CLONE_FS | SIGCHLD, stk, 0, 0, 0, chdir_and_umask, NULL);
	CHECK_EQ("fs_shared_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("fs_shared_status", st, "exit 0");
	CHECK_STR("fs_shared_cwd", getcwd(cwd, sizeof(cwd)), tmpdir);
	CHECK_EQ("fs_shared_umask", umask(022), 027);

	chdir("/");
	p = kt_clone(CLONE_VM | SIGCHLD, stk, 0, 0, 0, chdir_and_umask, NULL);
	CHECK_EQ("fs_private_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("fs_private_status", st, "exit 0");
	CHECK_STR("fs_private_cwd", getcwd(cwd, sizeof(cwd)), "/");
	CHECK_EQ("fs_private_umask", umask(old), 022);
}

static void test_files(void)
{
	int fds[2], st;
	void *stk = kt_stack(STACK_SIZE);
	pipe(fds);
	long p = kt_clone(CLONE_VM | CLONE_FILES | SIGCHLD, stk, 0, 0, 0, fd_games, fds);
	CHECK_EQ("files_shared_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("files_shared_status", st, "exit 0");
	CHECK_ERR("files_shared_close_visible", fcntl(fds[0], F_GETFD), EBADF);
	CHECK_SUCC("files_shared_dup_visible", fcntl(60, F_GETFD));
	close(60);
	close(fds[1]);

	pipe(fds);
	p = kt_clone(CLONE_VM | SIGCHLD, stk, 0, 0, 0, fd_games, fds);
	CHECK_EQ("files_private_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("files_private_status", st, "exit 0");
	CHECK_SUCC("files_private_still_open", fcntl(fds[0], F_GETFD));
	CHECK_ERR("files_private_dup_invisible", fcntl(60, F_GETFD), EBADF);
	close(fds[0]);
	close(fds[1]);
}

static void test_sighand(void)
{
	int st;
	void *stk = kt_stack(STACK_SIZE);
	struct sigaction sa;
	long p = kt_clone(CLONE_VM | CLONE_SIGHAND | SIGCHLD, stk, 0, 0, 0, install_handler,
			  (void *)(long)SIGUSR2);
	CHECK_EQ("sighand_shared_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("sighand_shared_status", st, "exit 0");
	sigaction(SIGUSR2, NULL, &sa);
	CHECK("sighand_shared_visible", sa.sa_handler == usr_handler);
	signal(SIGUSR2, SIG_DFL);

	p = kt_clone(CLONE_VM | SIGCHLD, stk, 0, 0, 0, install_handler, (void *)(long)SIGUSR1);
	CHECK_EQ("sighand_private_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("sighand_private_status", st, "exit 0");
	sigaction(SIGUSR1, NULL, &sa);
	CHECK("sighand_private_invisible", sa.sa_handler == SIG_DFL);
}

struct thread_info {
	volatile int pid, tid, ppid;
};

static int thread_fn(void *arg)
{
	struct thread_info *ti = arg;
	ti->pid = getpid();
	ti->tid = (int)syscall(SYS_gettid);
	ti->ppid = getppid();
	return 0;
}

static volatile int *settid_word, *settid_result;

static int thread_check_settid(void *arg)
{
	(void)arg;
	*settid_result = (*settid_word == (int)syscall(SYS_gettid));
	return 0;
}

/* Wait for *addr to become 0 on the futex, 5 s at most; 0 if it did. */
static int futex_wait_zero_timeout(volatile int *addr)
{
	for (int i = 0; i < 50; i++) {
		int v = __atomic_load_n(addr, __ATOMIC_ACQUIRE);
		if (v == 0)
			return 0;
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		syscall(SYS_futex, addr, 0 /* FUTEX_WAIT */, v, &ts, NULL, 0);
	}
	return -1;
}

static void test_thread(void)
{
	void *stk = kt_stack(STACK_SIZE);
	struct thread_info ti = { 0, 0, 0 };
	volatile int ctid = -1, ptid = -1;
	long t = kt_clone(THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, stk, &ptid,
			  0, &ctid, thread_fn, &ti);
	CHECK("thread_created", t > 0);
	CHECK_EQ("thread_parent_settid", ptid, t);
	CHECK_EQ("thread_cleartid_woken", futex_wait_zero_timeout(&ctid), 0);
	CHECK_EQ("thread_cleartid_zero", ctid, 0);
	CHECK("thread_same_pid", ti.pid == getpid());
	CHECK("thread_tid_is_returned", ti.tid == t);
	CHECK("thread_tid_not_pid", ti.tid != ti.pid);
	CHECK("thread_same_ppid", ti.ppid == getppid());
	int st;
	CHECK_ERR("thread_not_waitable", waitpid((pid_t)t, &st, __WALL | WNOHANG), ECHILD);

	/* CLONE_CHILD_SETTID and CLEARTID on one word, as glibc does: the thread sees its
	 * TID there when it starts, and the word is 0 once it is gone. */
	stk = kt_stack(STACK_SIZE);
	ctid = -1; /* neither a TID nor the 0 left at exit */
	volatile int settid_seen = -1;
	settid_word = &ctid;
	settid_result = &settid_seen;
	t = kt_clone(THREAD_FLAGS | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID, stk, 0, 0, &ctid,
		     thread_check_settid, NULL);
	CHECK("thread2_created", t > 0);
	CHECK_EQ("thread2_cleartid_woken", futex_wait_zero_timeout(&ctid), 0);
	CHECK_EQ("thread_child_settid", settid_seen, 1);
}

static int check_settls(void *arg)
{
	unsigned long tp;
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
	if (arg)
		*(volatile unsigned long *)arg = tp;
	return tp == 0x1234567890ul ? 0 : 1;
}

static int check_child_tid(void *arg)
{
	volatile int *ctid = arg;
	return *ctid == (int)syscall(SYS_gettid) ? 0 : 1;
}

static void test_tids_tls(void)
{
	int st;
	void *stk = kt_stack(STACK_SIZE);
	unsigned long before, after;
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(before));

	volatile unsigned long seen = 0;
	long p = kt_clone(CLONE_VM | CLONE_SETTLS | SIGCHLD, stk, 0, 0x1234567890ul, 0,
			  check_settls, (void *)&seen);
	CHECK_EQ("settls_vm_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("settls_vm_status", st, "exit 0");
	CHECK("settls_vm_value", seen == 0x1234567890ul);
	p = kt_clone(CLONE_SETTLS | SIGCHLD, 0, 0, 0x1234567890ul, 0, check_settls, NULL);
	CHECK_EQ("settls_fork_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("settls_fork_status", st, "exit 0");
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(after));
	CHECK("settls_parent_unchanged", before == after);

	/* Without CLONE_SETTLS the child inherits the parent's thread pointer. */
	seen = 0;
	p = kt_clone(CLONE_VM | SIGCHLD, stk, 0, 0x1234567890ul, 0, check_settls, (void *)&seen);
	wait_clone(p, &st);
	CHECK("no_settls_inherits_tp", seen == before);

	volatile int ptid = 0;
	p = kt_clone(CLONE_PARENT_SETTID | SIGCHLD, 0, &ptid, 0, 0, set_shared_99, NULL);
	CHECK_EQ("parent_settid_fork", ptid, p);
	wait_clone(p, &st);

	volatile int ctid = 0;
	p = kt_clone(CLONE_CHILD_SETTID | SIGCHLD, 0, 0, 0, &ctid, check_child_tid,
		     (void *)&ctid);
	CHECK_EQ("child_settid_fork_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("child_settid_fork_in_child", st, "exit 0");
	CHECK_EQ("child_settid_fork_parent_untouched", ctid, 0);

	ctid = 0;
	p = kt_clone(CLONE_VM | CLONE_CHILD_SETTID | SIGCHLD, stk, 0, 0, &ctid, check_child_tid,
		     (void *)&ctid);
	CHECK_EQ("child_settid_vm_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("child_settid_vm_in_child", st, "exit 0");
	CHECK_EQ("child_settid_vm_visible", ctid, p);

	/* CLEARTID on a CLONE_VM process (not a thread): cleared in the shared memory. */
	ctid = 12345;
	p = kt_clone(CLONE_VM | CLONE_CHILD_CLEARTID | SIGCHLD, stk, 0, 0, &ctid, set_shared_42,
		     NULL);
	CHECK_EQ("cleartid_vm_wait", wait_clone(p, &st), p);
	CHECK_EQ("cleartid_vm_cleared", ctid, 0);
	/* ... and in a fork-like child only its own copy is cleared. */
	ctid = 12345;
	p = kt_clone(CLONE_CHILD_CLEARTID | SIGCHLD, 0, 0, 0, &ctid, set_shared_42, NULL);
	CHECK_EQ("cleartid_fork_wait", wait_clone(p, &st), p);
	CHECK_EQ("cleartid_fork_parent_untouched", ctid, 12345);
}

static int vfork_child(void *arg)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	if (arg)
		kt_signal_fd(*(int *)arg);
	shared_val = 7;
	return 3;
}

static void test_vfork_parent(void)
{
	int st;
	void *stk = kt_stack(STACK_SIZE);
	shared_val = 0;
	long p = kt_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, stk, 0, 0, 0, vfork_child, NULL);
	/* The parent resumes only once the child has exited (it slept first). */
	CHECK_EQ("clone_vfork_parent_waited", shared_val, 7);
	CHECK_EQ("clone_vfork_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("clone_vfork_status", st, "exit 3");

	/* CLONE_VFORK without CLONE_VM: private memory, but still suspended. */
	int fds[2];
	pipe2(fds, O_NONBLOCK);
	shared_val = 0;
	p = kt_clone(CLONE_VFORK | SIGCHLD, 0, 0, 0, 0, vfork_child, fds + 1);
	char c;
	CHECK_EQ("clone_vfork_novm_suspended", read(fds[0], &c, 1), 1);
	CHECK_EQ("clone_vfork_novm_private", shared_val, 0);
	CHECK_EQ("clone_vfork_novm_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("clone_vfork_novm_status", st, "exit 3");
	close(fds[0]);
	close(fds[1]);

	/* CLONE_PARENT: the grandchild becomes our child. */
	int info[2];
	pipe(info);
	pid_t me = getpid();
	pid_t a = kt_fork();
	if (a == 0) {
		long g = kt_clone(CLONE_PARENT | SIGCHLD, 0, 0, 0, 0, set_shared_42, NULL);
		if (g == 0)
			_exit(0); /* not reached: the child exits from set_shared_42 */
		int gp = (int)g;
		kt_write_all(info[1], (char *)&gp, sizeof(gp));
		/* Not our child. */
		int r = waitpid((pid_t)g, NULL, __WALL | WNOHANG);
		_exit(r == -1 && errno == ECHILD ? 0 : 1);
	}
	int g = 0;
	kt_read_full(info[0], &g, sizeof(g));
	CHECK_WSTATUS("clone_parent_caller_status", kt_wait(a), "exit 0");
	CHECK("clone_parent_grandchild_created", g > 0);
	CHECK_EQ("clone_parent_grandchild_waitable", waitpid(g, &st, 0), g);
	CHECK_WSTATUS("clone_parent_grandchild_status", st, "exit 0");
	close(info[0]);
	close(info[1]);
	(void)me;
}

struct ppid_probe {
	volatile int ppid;
};

static int report_ppid(void *arg)
{
	((struct ppid_probe *)arg)->ppid = getppid();
	return 0;
}

static void test_parent_ppid(void)
{
	/* A CLONE_PARENT child sees our parent as its parent. */
	void *stk = kt_stack(STACK_SIZE);
	struct ppid_probe pr = { 0 };
	pid_t me = getpid();
	pid_t a = kt_fork();
	if (a == 0) {
		long g = kt_clone(CLONE_VM | CLONE_PARENT | CLONE_VFORK | SIGCHLD, stk, 0, 0, 0,
				  report_ppid, &pr);
		_exit(g > 0 && pr.ppid == me ? 0 : 1);
	}
	CHECK_WSTATUS("clone_parent_getppid", kt_wait(a), "exit 0");
	/* reap the grandchild that became ours */
	int st;
	CHECK("clone_parent_reap_grandchild", wait(&st) > 0);
}

static void test_invalid(void)
{
	void *stk = kt_stack(STACK_SIZE);
	CHECK_EQ("einval_sighand_without_vm",
		 kt_clone(CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0, set_shared_42, NULL), -EINVAL);
	CHECK_EQ("einval_thread_without_sighand",
		 kt_clone(CLONE_VM | CLONE_THREAD, stk, 0, 0, 0, set_shared_42, NULL), -EINVAL);
	CHECK_EQ("einval_thread_without_vm",
		 kt_clone(CLONE_SIGHAND | CLONE_THREAD, 0, 0, 0, 0, set_shared_42, NULL),
		 -EINVAL);
	CHECK_EQ("einval_fs_newns",
		 kt_clone(CLONE_FS | CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0, set_shared_42, NULL),
		 -EINVAL);
	CHECK_EQ("einval_newuser_fs",
		 kt_clone(CLONE_NEWUSER | CLONE_FS | SIGCHLD, 0, 0, 0, 0, set_shared_42, NULL),
		 -EINVAL);
	int pidfd = -1;
	CHECK_EQ("einval_pidfd_parent_settid",
		 kt_clone(CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &pidfd, 0, 0,
			  set_shared_42, NULL),
		 -EINVAL);
	CHECK_EQ("einval_pidfd_detached",
		 kt_clone(CLONE_PIDFD | CLONE_DETACHED | SIGCHLD, 0, &pidfd, 0, 0, set_shared_42,
			  NULL),
		 -EINVAL);
	int st;
	CHECK_ERR("einval_no_child_created", waitpid(-1, &st, __WALL | WNOHANG), ECHILD);
}

static int return_5(void *arg)
{
	(void)arg;
	return 5;
}

static int check_clear_sighand(void *arg)
{
	(void)arg;
	struct sigaction a, b;
	sigaction(SIGUSR1, NULL, &a);
	sigaction(SIGUSR2, NULL, &b);
	return (a.sa_handler == SIG_DFL && b.sa_handler == SIG_IGN) ? 0 : 1;
}

static long clone3_call(struct kt_clone_args *ca, size_t size, int (*fn)(void *), void *arg)
{
	return kt_clone_raw(SYS_clone3, (long)ca, (long)size, 0, 0, 0, fn, arg);
}

static void test_clone3(void)
{
	int st;
	struct kt_clone_args ca;
	char big[4200];

	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	long p = clone3_call(&ca, 64, return_5, NULL);
	CHECK("clone3_v0_created", p > 0);
	CHECK_EQ("clone3_v0_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("clone3_v0_status", st, "exit 5");

	p = clone3_call(&ca, 88, return_5, NULL);
	CHECK_EQ("clone3_v2_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("clone3_v2_status", st, "exit 5");

	/* A larger struct is fine if the unknown tail is zero ... */
	memset(big, 0, sizeof(big));
	memcpy(big, &ca, sizeof(ca));
	p = clone3_call((struct kt_clone_args *)big, 96, return_5, NULL);
	CHECK_EQ("clone3_zero_tail_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("clone3_zero_tail_status", st, "exit 5");
	/* ... and E2BIG if it is not, or if it is larger than a page. */
	big[95] = 1;
	CHECK_EQ("clone3_nonzero_tail_e2big",
		 clone3_call((struct kt_clone_args *)big, 96, return_5, NULL), -E2BIG);
	big[95] = 0;
	CHECK_EQ("clone3_over_page_e2big",
		 clone3_call((struct kt_clone_args *)big, 4097, return_5, NULL), -E2BIG);
	CHECK_EQ("clone3_size_63_einval", clone3_call(&ca, 63, return_5, NULL), -EINVAL);
	CHECK_EQ("clone3_size_0_einval", clone3_call(&ca, 0, return_5, NULL), -EINVAL);
	CHECK_EQ("clone3_null_efault", clone3_call(NULL, 64, return_5, NULL), -EFAULT);
	CHECK_EQ("clone3_bad_ptr_efault", clone3_call((void *)1, 64, return_5, NULL), -EFAULT);

	ca.flags = SIGCHLD; /* CSIGNAL bits in flags */
	CHECK_EQ("clone3_csignal_in_flags", clone3_call(&ca, 64, return_5, NULL), -EINVAL);
	ca.flags = 1ull << 40;
	CHECK_EQ("clone3_unknown_flag", clone3_call(&ca, 64, return_5, NULL), -EINVAL);
	ca.flags = CLONE_DETACHED;
	CHECK_EQ("clone3_detached", clone3_call(&ca, 64, return_5, NULL), -EINVAL);
	ca.flags = 0;
	ca.exit_signal = 65;
	CHECK_EQ("clone3_exit_signal_65", clone3_call(&ca, 64, return_5, NULL), -EINVAL);
	ca.exit_signal = 0x111;
	CHECK_EQ("clone3_exit_signal_high_bits", clone3_call(&ca, 64, return_5, NULL), -EINVAL);
	ca.exit_signal = SIGCHLD;
	char *stk_lo = (char *)kt_stack(STACK_SIZE) - STACK_SIZE;
	ca.stack = (uint64_t)(uintptr_t)stk_lo;
	ca.stack_size = 0;
	CHECK_EQ("clone3_stack_without_size", clone3_call(&ca, 64, return_5, NULL), -EINVAL);
	ca.stack = 0;
	ca.stack_size = STACK_SIZE;
	CHECK_EQ("clone3_size_without_stack", clone3_call(&ca, 64, return_5, NULL), -EINVAL);
	ca.stack_size = 0;
	ca.flags = CLONE_PARENT;
	CHECK_EQ("clone3_parent_with_exit_signal", clone3_call(&ca, 64, return_5, NULL),
		 -EINVAL);
	ca.flags = CLONE_SIGHAND;
	CHECK_EQ("clone3_sighand_without_vm", clone3_call(&ca, 64, return_5, NULL), -EINVAL);
	ca.flags = CLONE_VM | CLONE_SIGHAND | CLONE_CLEAR_SIGHAND;
	ca.stack = (uint64_t)(uintptr_t)stk_lo;
	ca.stack_size = STACK_SIZE;
	CHECK_EQ("clone3_clear_sighand_with_sighand", clone3_call(&ca, 88, return_5, NULL),
		 -EINVAL);
	CHECK_ERR("clone3_errors_created_nothing", waitpid(-1, &st, __WALL | WNOHANG), ECHILD);

	/* A CLONE_VM child on a clone3 stack (stack is the low end; the kernel adds size). */
	shared_val = 0;
	volatile int ptid = 0;
	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	ca.stack = (uint64_t)(uintptr_t)stk_lo;
	ca.stack_size = STACK_SIZE;
	ca.flags = CLONE_VM | CLONE_PARENT_SETTID;
	ca.parent_tid = (uint64_t)(uintptr_t)&ptid;
	p = clone3_call(&ca, 64, set_shared_42, NULL);
	CHECK_EQ("clone3_vm_wait", wait_clone(p, &st), p);
	CHECK_EQ("clone3_vm_shared", shared_val, 42);
	CHECK_EQ("clone3_parent_settid", ptid, p);

	/* clone3 CLONE_SETTLS uses the tls field. */
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_SETTLS;
	ca.tls = 0x1234567890ul;
	ca.exit_signal = SIGCHLD;
	p = clone3_call(&ca, 64, check_settls, NULL);
	CHECK_EQ("clone3_settls_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("clone3_settls_status", st, "exit 0");

	/* CLONE_CLEAR_SIGHAND: handlers reset, ignored stays ignored. */
	signal(SIGUSR1, usr_handler);
	signal(SIGUSR2, SIG_IGN);
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_CLEAR_SIGHAND;
	ca.exit_signal = SIGCHLD;
	p = clone3_call(&ca, 64, check_clear_sighand, NULL);
	CHECK_EQ("clone3_clear_sighand_wait", wait_clone(p, &st), p);
	CHECK_WSTATUS("clone3_clear_sighand_status", st, "exit 0");
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);

	/* exit_signal 0: a clone child, invisible to plain wait. */
	memset(&ca, 0, sizeof(ca));
	p = clone3_call(&ca, 64, return_5, NULL);
	CHECK("clone3_exit_signal_0_created", p > 0);
	CHECK_EQ("clone3_exit_signal_0_wclone", waitpid((pid_t)p, &st, __WCLONE), p);
	CHECK_WSTATUS("clone3_exit_signal_0_status", st, "exit 5");
}

int main(void)
{
	kt_begin("clone_flags", 20);
	snprintf(tmpdir, sizeof(tmpdir), "%s", kt_tmpdir("clone"));
	test_vm();
	test_fs();
	test_files();
	test_sighand();
	test_thread();
	test_tids_tls();
	test_vfork_parent();
	test_parent_ppid();
	test_invalid();
	test_clone3();
	chdir("/");
	kt_rmtree(tmpdir);
	return kt_end();
}
