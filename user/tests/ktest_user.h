/*
 * ktest_user.h - the one shared header of the differential user-space tests.
 *
 * Every program in user/tests/ is a static arm64 binary whose stdout and exit status are
 * compared byte for byte between Kairos and Linux. So everything printed here must be the
 * same on both kernels and on every run: no PIDs, addresses, times, or scheduling order.
 *
 * Output goes straight to write(1) (no stdio buffer that fork would duplicate), one whole
 * line per write. Each check prints "name: ok" or "name: FAIL ..." so a diff points at the
 * failing assertion. The exit status is 0 when every check passed, 1 otherwise.
 */
#ifndef KTEST_USER_H
#define KTEST_USER_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#define KT_FN static __attribute__((unused))

static int kt_fails;              /* failed checks in this process */
static char kt_self_path[4096];   /* absolute path of this program, for re-exec */

/* ---- output ---------------------------------------------------------------------- */

KT_FN void kt_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

KT_FN __attribute__((format(printf, 1, 2))) void kt_printf(const char *fmt, ...)
{
	char buf[1024];
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	kt_write_all(1, buf, (size_t)n);
	errno = saved;
}

/* A formatted check name; a few rotating buffers so several can be live at once. */
KT_FN __attribute__((format(printf, 1, 2))) const char *kt_name(const char *fmt, ...)
{
	static char bufs[4][160];
	static int next;
	char *b = bufs[next++ & 3];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	return b;
}

/* ---- names for errno values and signals ------------------------------------------ */

static const char *const kt_errnames[] = {
	[0] = "0", [EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH",
	[EINTR] = "EINTR", [EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG",
	[ENOEXEC] = "ENOEXEC", [EBADF] = "EBADF", [ECHILD] = "ECHILD",
	[EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM", [EACCES] = "EACCES",
	[EFAULT] = "EFAULT", [ENOTBLK] = "ENOTBLK", [EBUSY] = "EBUSY",
	[EEXIST] = "EEXIST", [EXDEV] = "EXDEV", [ENODEV] = "ENODEV",
	[ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR", [EINVAL] = "EINVAL",
	[ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY",
	[ETXTBSY] = "ETXTBSY", [EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC",
	[ESPIPE] = "ESPIPE", [EROFS] = "EROFS", [EMLINK] = "EMLINK",
	[EPIPE] = "EPIPE", [EDOM] = "EDOM", [ERANGE] = "ERANGE",
	[EDEADLK] = "EDEADLK", [ENAMETOOLONG] = "ENAMETOOLONG",
	[ENOLCK] = "ENOLCK", [ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY",
	[ELOOP] = "ELOOP", [ENOMSG] = "ENOMSG", [ELIBBAD] = "ELIBBAD", [EIDRM] = "EIDRM",
	[ENOSTR] = "ENOSTR", [ENODATA] = "ENODATA", [ETIME] = "ETIME",
	[EOVERFLOW] = "EOVERFLOW", [EBADFD] = "EBADFD", [EILSEQ] = "EILSEQ",
	[ERESTART] = "ERESTART", [EUSERS] = "EUSERS", [ENOTSOCK] = "ENOTSOCK",
	[EDESTADDRREQ] = "EDESTADDRREQ", [EMSGSIZE] = "EMSGSIZE",
	[EPROTOTYPE] = "EPROTOTYPE", [ENOPROTOOPT] = "ENOPROTOOPT",
	[EPROTONOSUPPORT] = "EPROTONOSUPPORT", [EOPNOTSUPP] = "EOPNOTSUPP",
	[EAFNOSUPPORT] = "EAFNOSUPPORT", [EADDRINUSE] = "EADDRINUSE",
	[ENETDOWN] = "ENETDOWN", [ENOBUFS] = "ENOBUFS", [EISCONN] = "EISCONN",
	[ENOTCONN] = "ENOTCONN", [ETIMEDOUT] = "ETIMEDOUT",
	[ECONNREFUSED] = "ECONNREFUSED", [EALREADY] = "EALREADY",
	[EINPROGRESS] = "EINPROGRESS", [ESTALE] = "ESTALE", [EDQUOT] = "EDQUOT",
	[ECANCELED] = "ECANCELED", [EOWNERDEAD] = "EOWNERDEAD",
	[ENOTRECOVERABLE] = "ENOTRECOVERABLE", [ERFKILL] = "ERFKILL",
};

KT_FN const char *kt_errname(int e)
{
	static char buf[4][24];
	static int next;
	if (e >= 0 && e < (int)(sizeof(kt_errnames) / sizeof(kt_errnames[0])) && kt_errnames[e])
		return kt_errnames[e];
	char *b = buf[next++ & 3];
	snprintf(b, sizeof(buf[0]), "errno%d", e);
	return b;
}

static const char *const kt_signames[] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
	[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	[SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",
	[SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN",
	[SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU",
	[SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
	[SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR",
	[SIGSYS] = "SIGSYS",
};

KT_FN const char *kt_signame(int s)
{
	static char buf[4][24];
	static int next;
	if (s > 0 && s < (int)(sizeof(kt_signames) / sizeof(kt_signames[0])) && kt_signames[s])
		return kt_signames[s];
	char *b = buf[next++ & 3];
	snprintf(b, sizeof(buf[0]), "SIG%d", s);
	return b;
}

/* A wait status as text: "exit 3", "signal SIGSEGV", "signal SIGABRT core",
 * "stopped SIGSTOP", "continued". */
KT_FN const char *kt_wstatus(int st)
{
	static char buf[4][48];
	static int next;
	char *b = buf[next++ & 3];
	if (WIFEXITED(st))
		snprintf(b, sizeof(buf[0]), "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(b, sizeof(buf[0]), "signal %s%s", kt_signame(WTERMSIG(st)),
			 WCOREDUMP(st) ? " core" : "");
	else if (WIFSTOPPED(st))
		snprintf(b, sizeof(buf[0]), "stopped %s", kt_signame(WSTOPSIG(st)));
	else if (WIFCONTINUED(st))
		snprintf(b, sizeof(buf[0]), "continued");
	else
		snprintf(b, sizeof(buf[0]), "status 0x%x", st);
	return b;
}

/* ---- checks ------------------------------------------------------------------------ */

KT_FN void kt_ok(const char *name)
{
	kt_printf("%s: ok\n", name);
}

KT_FN __attribute__((format(printf, 2, 3))) void kt_fail(const char *name, const char *fmt, ...)
{
	char msg[800];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kt_fails++;
	kt_printf("%s: FAIL %s\n", name, msg);
}

/* cond must hold. */
#define CHECK(name, cond)                                                                  \
	do {                                                                               \
		if (cond)                                                                  \
			kt_ok(name);                                                       \
		else                                                                       \
			kt_fail(name, "(%s) errno %s", #cond, kt_errname(errno));          \
	} while (0)

/* Integer equality. */
#define CHECK_EQ(name, got, want)                                                          \
	do {                                                                               \
		long long g_ = (long long)(got), w_ = (long long)(want);                   \
		if (g_ == w_)                                                              \
			kt_ok(name);                                                       \
		else                                                                       \
			kt_fail(name, "got %lld want %lld (%s) errno %s", g_, w_, #got,    \
				kt_errname(errno));                                        \
	} while (0)

/* String equality. */
#define CHECK_STR(name, got, want)                                                         \
	do {                                                                               \
		const char *g_ = (got), *w_ = (want);                                      \
		if (g_ && w_ && strcmp(g_, w_) == 0)                                       \
			kt_ok(name);                                                       \
		else                                                                       \
			kt_fail(name, "got \"%s\" want \"%s\"", g_ ? g_ : "(null)",         \
				w_ ? w_ : "(null)");                                       \
	} while (0)

/* expr must fail with -1 and errno E (glibc wrappers and syscall() both do this). */
#define CHECK_ERR(name, expr, E)                                                           \
	do {                                                                               \
		errno = 0;                                                                 \
		long r_ = (long)(expr);                                                    \
		int e_ = errno;                                                            \
		if (r_ == -1 && e_ == (E))                                                 \
			kt_ok(name);                                                       \
		else                                                                       \
			kt_fail(name, "got %ld %s want -1 %s", r_,                         \
				r_ == -1 ? kt_errname(e_) : "(no error)", kt_errname(E));  \
	} while (0)

/* expr must succeed (not -1). */
#define CHECK_SUCC(name, expr)                                                             \
	do {                                                                               \
		errno = 0;                                                                 \
		long r_ = (long)(expr);                                                    \
		if (r_ != -1)                                                              \
			kt_ok(name);                                                       \
		else                                                                       \
			kt_fail(name, "(%s) failed with %s", #expr, kt_errname(errno));    \
	} while (0)

/* A wait status, as kt_wstatus text. */
#define CHECK_WSTATUS(name, st, want) CHECK_STR(name, kt_wstatus(st), want)

/* ---- process helpers ------------------------------------------------------------- */

/* fork() whose child has its own watchdog (generous: a loaded host is slow). */
KT_FN pid_t kt_fork(void)
{
	pid_t p = fork();
	if (p == 0)
		alarm(60);
	return p;
}

/* The end of a child that ran checks: exit 0 if they all passed. */
KT_FN __attribute__((noreturn)) void kt_child_exit(void)
{
	_exit(kt_fails ? 1 : 0);
}

/* Wait for a child (any kind: __WALL) and return its wait status, or -1 on error. A child
 * still running after 30 s is killed (SIGKILL) and that status returned, so that one hung
 * child costs one failed check, not the rest of the test. (Not sooner: a loaded host can
 * make a child's second of work take ten.) */
KT_FN int kt_wait(pid_t pid)
{
	int st;
	long delay_us = 50, waited_us = 0;
	for (;;) {
		pid_t r = waitpid(pid, &st, __WALL | WNOHANG);
		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -1;
		if (waited_us >= 30 * 1000 * 1000L) {
			kill(pid, SIGKILL);
			while ((r = waitpid(pid, &st, __WALL)) < 0 && errno == EINTR)
				;
			return r == pid ? st : -1;
		}
		usleep((useconds_t)delay_us);
		waited_us += delay_us;
		if (delay_us < 5000)
			delay_us *= 2;
	}
}

/* Run fn(arg) in a forked child (which then exits 0) and return its wait status. */
KT_FN int kt_run_child(void (*fn)(void *), void *arg)
{
	pid_t p = kt_fork();
	if (p < 0)
		return -1;
	if (p == 0) {
		fn(arg);
		_exit(0);
	}
	return kt_wait(p);
}

/* read/write exactly n bytes (or to EOF); returns bytes transferred. */
KT_FN size_t kt_read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

/* A one-byte token over a pipe: the way processes here wait for each other. */
KT_FN void kt_signal_fd(int fd)
{
	char c = 'x';
	kt_write_all(fd, &c, 1);
}

KT_FN int kt_wait_fd(int fd)
{
	char c;
	return kt_read_full(fd, &c, 1) == 1 ? 0 : -1;
}

/* ---- raw clone -------------------------------------------------------------------- */

/*
 * Raw clone (nr = SYS_clone; arm64 order: flags, stack, parent_tid, tls, child_tid) or
 * clone3 (nr = SYS_clone3; a0 = struct clone_args *, a1 = its size). The child calls
 * fn(arg) on whatever stack the kernel gave it, then ends its thread with exit(fn's
 * value) -- never returning into this function. Returns what the kernel returned to the
 * parent: a TID, or -errno (errno is not touched: a CLONE_VM child shares it).
 */
KT_FN long kt_clone_raw(long nr, long a0, long a1, long a2, long a3, long a4,
			int (*fn)(void *), void *arg)
{
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;
	register long x3 __asm__("x3") = a3;
	register long x4 __asm__("x4") = a4;
	register long x5 __asm__("x5") = (long)fn;
	register long x6 __asm__("x6") = (long)arg;
	register long x8 __asm__("x8") = nr;
	__asm__ volatile("svc #0\n"
			 "cbnz x0, 1f\n"
			 "mov x0, x6\n"
			 "blr x5\n"
			 "mov x8, #93\n" /* exit: this thread only */
			 "svc #0\n"
			 "brk #0\n"
			 "1:\n"
			 : "+r"(x0)
			 : "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5), "r"(x6), "r"(x8)
			 : "memory", "cc");
	return x0;
}

#define kt_clone(flags, stack, ptid, tls, ctid, fn, arg)                                   \
	kt_clone_raw(SYS_clone, (long)(flags), (long)(stack), (long)(ptid), (long)(tls),   \
		     (long)(ctid), fn, arg)

/* A stack for a clone child: mmap'd, returns its top (16-byte aligned). */
KT_FN void *kt_stack(size_t size)
{
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	return p + size;
}

/* Wait until *addr is 0, sleeping on the futex (shared, as CLONE_CHILD_CLEARTID and
 * glibc's pthread_join use). */
KT_FN void kt_futex_wait_zero(volatile int *addr)
{
	int v;
	while ((v = __atomic_load_n(addr, __ATOMIC_ACQUIRE)) != 0)
		syscall(SYS_futex, addr, 0 /* FUTEX_WAIT */, v, NULL, NULL, 0);
}

/* ---- start and end of a test program --------------------------------------------- */

/* Called first in main(): prints the header, arms a watchdog (SIGALRM's default action
 * ends a hung test), forbids core files (so WCOREDUMP is the same everywhere) and records
 * this program's path for re-exec. */
KT_FN void kt_begin(const char *test, unsigned watchdog_seconds)
{
	struct rlimit rl = { 0, 0 };
	setrlimit(RLIMIT_CORE, &rl);
	alarm(watchdog_seconds);
	const char *fn = (const char *)getauxval(AT_EXECFN);
	if (!fn || !fn[0])
		fn = program_invocation_name; /* argv[0], if the kernel gave no AT_EXECFN */
	if (fn && fn[0] == '/') {
		snprintf(kt_self_path, sizeof(kt_self_path), "%s", fn);
	} else if (fn) {
		char cwd[2048];
		if (getcwd(cwd, sizeof(cwd)))
			snprintf(kt_self_path, sizeof(kt_self_path), "%s/%s", cwd, fn);
	}
	kt_printf("# %s\n", test);
}

/* Called last: a one-line summary; the return value is main's exit status. */
KT_FN int kt_end(void)
{
	if (kt_fails)
		kt_printf("# %d FAILED\n", kt_fails);
	else
		kt_printf("# all passed\n");
	return kt_fails ? 1 : 0;
}

/* Remove a directory tree (not following symlinks); errors are ignored. */
KT_FN void kt_rmtree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char sub[1024];
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			kt_rmtree(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

/* /tmp may be missing in a minimal initramfs: create it, then a fresh directory for this
 * test (removing what an earlier run left). Returns the directory's path. */
KT_FN const char *kt_tmpdir(const char *name)
{
	static char path[256];
	mkdir("/tmp", 01777);
	snprintf(path, sizeof(path), "/tmp/kt_%s", name);
	kt_rmtree(path);
	mkdir(path, 0755);
	return path;
}

#endif /* KTEST_USER_H */
