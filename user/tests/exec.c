/*
 * exec: execve of ELF files and #! scripts (interpreter = this program, or busybox
 * /bin/sh; scripts are made at run time under /tmp), what the new program sees (argv,
 * envp, auxv: AT_PAGESZ, AT_EXECFN, AT_SECURE, AT_UID.., AT_RANDOM, AT_PLATFORM,
 * AT_SYSINFO_EHDR; comm; pid; cwd; fds; alarm), exec from a non-leader thread, and every
 * error: ENOENT, ENOTDIR, EACCES (no x bit, directory), ENOEXEC (garbage, foreign ELF,
 * bad #! lines), E2BIG, EFAULT, ENAMETOOLONG, ELOOP (symlinks, script nesting), ETXTBSY.
 *
 * The program re-executes itself (its AT_EXECFN) as the target: the environment variable
 * KT_EXEC_MODE selects what it does then.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/prctl.h>

static const char *dir;
static char path_buf[8][512];

static const char *tpath(int slot, const char *name)
{
	snprintf(path_buf[slot], sizeof(path_buf[slot]), "%s/%s", dir, name);
	return path_buf[slot];
}

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	kt_write_all(fd, data, len);
	close(fd);
	chmod(path, mode);
}

static void write_text(const char *path, const char *text, mode_t mode)
{
	write_file(path, text, strlen(text), mode);
}

/* Copy this program to path (mode 0755). */
static void copy_self(const char *path)
{
	int in = open(kt_self_path, O_RDONLY);
	unlink(path);
	int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	static char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		kt_write_all(out, buf, (size_t)n);
	close(in);
	close(out);
}

/* ---- what the exec'd program does ---------------------------------------------------- */

static void print_arg(const char *tag, int i, const char *s)
{
	size_t n = strlen(s);
	if (n > 80)
		kt_printf("  %s[%d] len=%zu\n", tag, i, n);
	else
		kt_printf("  %s[%d]=\"%s\"\n", tag, i, s);
}

/* Prints argc, argv[1..], the KT_ variables of envp, AT_EXECFN and comm. argv[0] is
 * printed only when it is not this program's own path (it differs per kernel path). */
static int mode_args(int argc, char **argv, char **envp)
{
	kt_printf("  argc=%d\n", argc);
	for (int i = 0; i < argc; i++) {
		if (i == 0 && strcmp(argv[0], kt_self_path) == 0)
			kt_printf("  argv[0]=<self>\n");
		else
			print_arg("argv", i, argv[i]);
	}
	int nenv = 0;
	for (char **e = envp; *e; e++, nenv++)
		if (strncmp(*e, "KT_", 3) == 0 && strncmp(*e, "KT_SELF=", 8) != 0)
			print_arg("env", nenv, *e);
	kt_printf("  envc=%d\n", nenv);
	const char *fn = (const char *)getauxval(AT_EXECFN);
	if (fn && strcmp(fn, kt_self_path) == 0)
		kt_printf("  execfn=<self>\n");
	else
		kt_printf("  execfn=%s\n", fn ? fn : "(none)");
	char comm[17] = { 0 };
	prctl(PR_GET_NAME, comm);
	kt_printf("  comm=%s\n", comm);
	return 0;
}

/* argc and the total length of the arguments, for the big-argument tests. */
static int mode_count(int argc, char **argv)
{
	size_t total = 0;
	for (int i = 1; i < argc; i++)
		total += strlen(argv[i]);
	kt_printf("  argc=%d total=%zu\n", argc, total);
	return 0;
}

static int mode_auxv(void)
{
	CHECK_EQ("  auxv_pagesz", getauxval(AT_PAGESZ), 4096);
	CHECK_EQ("  auxv_secure", getauxval(AT_SECURE), 0);
	CHECK_EQ("  auxv_uid", getauxval(AT_UID), getuid());
	CHECK_EQ("  auxv_euid", getauxval(AT_EUID), geteuid());
	CHECK_EQ("  auxv_gid", getauxval(AT_GID), getgid());
	CHECK_EQ("  auxv_egid", getauxval(AT_EGID), getegid());
	CHECK_EQ("  auxv_clktck", getauxval(AT_CLKTCK), 100);
	CHECK_EQ("  auxv_base_static", getauxval(AT_BASE), 0);
	CHECK_EQ("  auxv_flags", getauxval(AT_FLAGS), 0);
	CHECK("  auxv_phdr", getauxval(AT_PHDR) != 0);
	CHECK_EQ("  auxv_phent", getauxval(AT_PHENT), 56);
	CHECK("  auxv_phnum", getauxval(AT_PHNUM) >= 2);
	extern char _start[];
	CHECK("  auxv_entry_is_start", getauxval(AT_ENTRY) == (unsigned long)_start);
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	int nonzero = 0;
	for (int i = 0; rnd && i < 16; i++)
		nonzero |= rnd[i];
	CHECK("  auxv_random_16_bytes", rnd != NULL && nonzero);
	const char *plat = (const char *)getauxval(AT_PLATFORM);
	CHECK_STR("  auxv_platform", plat, "aarch64");
	unsigned long hw = getauxval(AT_HWCAP);
	CHECK_EQ("  auxv_hwcap_fp_asimd", hw & 3, 3);
	const char *vdso = (const char *)getauxval(AT_SYSINFO_EHDR);
	CHECK("  auxv_vdso_elf", vdso != NULL && memcmp(vdso, "\177ELF", 4) == 0);
	const char *fn = (const char *)getauxval(AT_EXECFN);
	CHECK("  auxv_execfn", fn != NULL && strcmp(fn, getenv("KT_EXPECT_EXECFN")) == 0);
	/* The stack: argv, then envp, right after argc; environ is that envp. */
	extern char **environ;
	CHECK("  environ_has_mode", getenv("KT_EXEC_MODE") != NULL);
	(void)environ;
	return kt_fails ? 1 : 0;
}

/* What survives exec: pid, ppid, cwd, an fd, umask, a pending alarm, blocked mask. */
static int mode_state(void)
{
	const char *want_pid = getenv("KT_PID");
	CHECK("  same_pid", want_pid && atoi(want_pid) == getpid());
	CHECK("  tid_is_pid", syscall(SYS_gettid) == getpid());
	const char *want_ppid = getenv("KT_PPID");
	CHECK("  same_ppid", want_ppid && atoi(want_ppid) == getppid());
	char cwd[512];
	CHECK_STR("  cwd_kept", getcwd(cwd, sizeof(cwd)), getenv("KT_CWD"));
	const char *fd = getenv("KT_FD");
	CHECK("  fd_kept", fd && fcntl(atoi(fd), F_GETFD) == 0);
	CHECK_EQ("  umask_kept", umask(0), 027);
	unsigned left = alarm(0);
	CHECK("  alarm_kept", left > 0 && left <= 50);
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	CHECK_EQ("  mask_kept", sigismember(&cur, SIGUSR2), 1);
	stack_t ss;
	sigaltstack(NULL, &ss);
	CHECK_EQ("  altstack_reset", ss.ss_flags, SS_DISABLE);
	return kt_fails ? 1 : 0;
}

/* ---- the tests ----------------------------------------------------------------------- */

/* Fork, execve(path, argv, envp) in the child with KT_EXEC_MODE=mode added to envp;
 * returns the wait status, or 1000+errno if execve failed. */
static int run_exec(const char *path, char *const argv[], const char *mode, char *const extra[])
{
	int ep[2];
	pipe2(ep, O_CLOEXEC);
	pid_t p = kt_fork();
	if (p == 0) {
		char *envp[16];
		int n = 0;
		static char modebuf[64];
		snprintf(modebuf, sizeof(modebuf), "KT_EXEC_MODE=%s", mode);
		envp[n++] = modebuf;
		static char selfbuf[4200];
		snprintf(selfbuf, sizeof(selfbuf), "KT_SELF=%s", kt_self_path);
		envp[n++] = selfbuf;
		for (int i = 0; extra && extra[i] && n < 15; i++)
			envp[n++] = extra[i];
		envp[n] = NULL;
		syscall(SYS_execve, path, argv, envp);
		int e = errno;
		kt_write_all(ep[1], (char *)&e, sizeof(e));
		_exit(127);
	}
	close(ep[1]);
	int e = 0;
	ssize_t got = kt_read_full(ep[0], &e, sizeof(e));
	close(ep[0]);
	int st = kt_wait(p);
	return got == sizeof(e) ? 1000 + e : st;
}

#define CHECK_EXEC_ERR(name, path, argv, E)                                                \
	do {                                                                               \
		int r_ = run_exec(path, argv, "args", NULL);                               \
		if (r_ == 1000 + (E))                                                      \
			kt_ok(name);                                                       \
		else if (r_ >= 1000)                                                       \
			kt_fail(name, "got %s want %s", kt_errname(r_ - 1000),             \
				kt_errname(E));                                            \
		else                                                               \
			kt_fail(name, "exec succeeded (%s) want %s", kt_wstatus(r_),       \
				kt_errname(E));                                            \
	} while (0)

static void test_elf_args(void)
{
	kt_printf("exec_elf_args:\n");
	char *argv[] = { kt_self_path, "one", "", "three words", NULL };
	char *env[] = { "KT_A=1", "KT_B=", NULL };
	CHECK_WSTATUS("exec_elf_args_status", run_exec(kt_self_path, argv, "args", env), "exit 0");

	kt_printf("exec_argv0_differs:\n");
	char *argv2[] = { "fake-name", NULL };
	CHECK_WSTATUS("exec_argv0_differs_status", run_exec(kt_self_path, argv2, "args", NULL),
		      "exit 0");

	kt_printf("exec_empty_argv_strings:\n");
	char *argv3[] = { kt_self_path, "", "", NULL };
	CHECK_WSTATUS("exec_empty_strings_status", run_exec(kt_self_path, argv3, "args", NULL),
		      "exit 0");

	kt_printf("exec_auxv:\n");
	static char want[4300];
	snprintf(want, sizeof(want), "KT_EXPECT_EXECFN=%s", kt_self_path);
	char *env4[] = { want, NULL };
	char *argv4[] = { kt_self_path, NULL };
	CHECK_WSTATUS("exec_auxv_status", run_exec(kt_self_path, argv4, "auxv", env4), "exit 0");

	/* Through a symlink: AT_EXECFN is the name given. */
	const char *link = tpath(0, "selflink");
	unlink(link);
	symlink(kt_self_path, link);
	kt_printf("exec_via_symlink:\n");
	snprintf(want, sizeof(want), "KT_EXPECT_EXECFN=%s", link);
	CHECK_WSTATUS("exec_via_symlink_status", run_exec(link, argv4, "auxv", env4), "exit 0");

	/* A relative path, from the test directory. */
	kt_printf("exec_relative_path:\n");
	copy_self(tpath(1, "selfcopy"));
	pid_t p = kt_fork();
	if (p == 0) {
		chdir(dir);
		char *av[] = { "selfcopy", "rel", NULL };
		char *ev[] = { "KT_EXEC_MODE=args", NULL };
		execve("./selfcopy", av, ev);
		_exit(127);
	}
	CHECK_WSTATUS("exec_relative_status", kt_wait(p), "exit 0");
}

static void test_scripts(void)
{
	static char text[5000];
	const char *s1 = tpath(0, "script_arg");
	snprintf(text, sizeof(text), "#!%s show-args\nignored body\n", kt_self_path);
	write_text(s1, text, 0755);
	kt_printf("script_with_interp_arg:\n");
	char *argv[] = { "script-argv0", "a", "b c", NULL };
	CHECK_WSTATUS("script_with_interp_arg_status", run_exec(s1, argv, "args", NULL), "exit 0");

	const char *s2 = tpath(1, "script_noarg");
	snprintf(text, sizeof(text), "#!%s\n", kt_self_path);
	write_text(s2, text, 0755);
	kt_printf("script_no_interp_arg:\n");
	CHECK_WSTATUS("script_no_interp_arg_status", run_exec(s2, argv, "args", NULL), "exit 0");

	/* Spaces and tabs around; the rest of the line is one argument. */
	const char *s3 = tpath(2, "script_spaces");
	snprintf(text, sizeof(text), "#! \t%s   one  two\tthree \t\nbody\n", kt_self_path);
	write_text(s3, text, 0755);
	kt_printf("script_spaces:\n");
	CHECK_WSTATUS("script_spaces_status", run_exec(s3, argv, "args", NULL), "exit 0");

	/* A script whose interpreter is a script. */
	const char *s4 = tpath(3, "script_nested");
	snprintf(text, sizeof(text), "#!%s nested-arg\n", s1);
	write_text(s4, text, 0755);
	kt_printf("script_nested:\n");
	CHECK_WSTATUS("script_nested_status", run_exec(s4, argv, "args", NULL), "exit 0");

	/* busybox sh as the interpreter. */
	const char *sh = tpath(4, "script_sh");
	write_text(sh, "#!/bin/sh\necho \"from sh: $# args, first=$1\"\nexit 7\n", 0755);
	char *shargv[] = { "script_sh", "x", "y", NULL };
	CHECK_WSTATUS("script_bin_sh_status", run_exec(sh, shargv, "args", NULL), "exit 7");

	/* Errors of #! lines. */
	write_text(tpath(5, "script_missing"), "#!/nonexistent/interpreter\n", 0755);
	CHECK_EXEC_ERR("script_missing_interp_enoent", path_buf[5], argv, ENOENT);
	write_text(tpath(5, "script_empty"), "#!\n", 0755);
	CHECK_EXEC_ERR("script_empty_interp_enoexec", path_buf[5], argv, ENOEXEC);
	write_text(tpath(5, "script_blank"), "#!    \t  \n", 0755);
	CHECK_EXEC_ERR("script_blank_interp_enoexec", path_buf[5], argv, ENOEXEC);
	char longline[400];
	memset(longline, 'a', sizeof(longline));
	memcpy(longline, "#!/", 3);
	longline[sizeof(longline) - 1] = '\n';
	write_file(tpath(5, "script_long"), longline, sizeof(longline), 0755);
	CHECK_EXEC_ERR("script_interp_too_long_enoexec", path_buf[5], argv, ENOEXEC);
	snprintf(text, sizeof(text), "#!%s\n", kt_self_path);
	write_text(tpath(5, "script_noexec"), text, 0644);
	CHECK_EXEC_ERR("script_no_x_bit_eacces", path_buf[5], argv, EACCES);
	write_text(tpath(5, "script_interp_dir"), "#!/tmp\n", 0755);
	CHECK_EXEC_ERR("script_interp_is_dir_eacces", path_buf[5], argv, EACCES);

	/* Nesting depth: a chain of scripts each naming the next, ending at this program. */
	static char prev[4200];
	snprintf(prev, sizeof(prev), "%s", kt_self_path);
	for (int depth = 1; depth <= 6; depth++) {
		char name[32];
		snprintf(name, sizeof(name), "chain%d", depth);
		const char *p = tpath(6, name);
		snprintf(text, sizeof(text), "#!%s\n", prev);
		write_text(p, text, 0755);
		snprintf(prev, sizeof(prev), "%s", p);
		int r = run_exec(p, argv, "count", NULL);
		const char *got = r >= 1000 ? kt_errname(r - 1000) : kt_wstatus(r);
		kt_printf("script_chain_depth_%d: %s\n", depth, got);
	}
}

static void test_errors(void)
{
	char *argv[] = { "x", NULL };
	CHECK_EXEC_ERR("enoent", "/nonexistent/prog", argv, ENOENT);
	CHECK_EXEC_ERR("enoent_empty_path", "", argv, ENOENT);
	write_text(tpath(0, "plain"), "data\n", 0755);
	CHECK_EXEC_ERR("enotdir", tpath(1, "plain/x"), argv, ENOTDIR);
	write_text(tpath(0, "nox"), "#!/bin/sh\n", 0644);
	CHECK_EXEC_ERR("eacces_no_x_bit", path_buf[0], argv, EACCES);
	copy_self(tpath(0, "selfnox"));
	chmod(path_buf[0], 0644);
	CHECK_EXEC_ERR("eacces_elf_no_x_bit", path_buf[0], argv, EACCES);
	CHECK_EXEC_ERR("eacces_directory", dir, argv, EACCES);
	CHECK_EXEC_ERR("eacces_root_dir", "/", argv, EACCES);
	static const unsigned char garbage[] = "\x01\x02\x03 this is not a program\n";
	write_file(tpath(0, "garbage"), garbage, sizeof(garbage), 0755);
	CHECK_EXEC_ERR("enoexec_garbage", path_buf[0], argv, ENOEXEC);
	write_file(tpath(0, "empty"), "", 0, 0755);
	CHECK_EXEC_ERR("enoexec_empty_file", path_buf[0], argv, ENOEXEC);
	/* A valid ELF header for another machine (x86-64). */
	copy_self(tpath(0, "foreign"));
	int fd = open(path_buf[0], O_WRONLY);
	uint16_t em = 62;
	pwrite(fd, &em, 2, 18);
	close(fd);
	CHECK_EXEC_ERR("enoexec_foreign_elf", path_buf[0], argv, ENOEXEC);
	/* EI_CLASS says 32-bit but the rest is an arm64 ELF64: Linux's binfmt_elf does not
	 * look at EI_CLASS and runs it. Printed as seen. */
	copy_self(tpath(0, "elf32"));
	fd = open(path_buf[0], O_WRONLY);
	unsigned char cls = 1;
	pwrite(fd, &cls, 1, 4);
	close(fd);
	int r = run_exec(path_buf[0], argv, "count", NULL);
	kt_printf("elfclass32_byte: %s\n", r >= 1000 ? kt_errname(r - 1000) : kt_wstatus(r));
	/* ELF header only: the program headers are missing. */
	int in = open(kt_self_path, O_RDONLY);
	unsigned char hdr[64];
	read(in, hdr, sizeof(hdr));
	close(in);
	write_file(tpath(0, "truncated"), hdr, sizeof(hdr), 0755);
	r = run_exec(path_buf[0], argv, "args", NULL);
	kt_printf("truncated_elf: %s\n", r >= 1000 ? kt_errname(r - 1000) : kt_wstatus(r));

	/* Name length limits. */
	static char longpath[5000];
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = 0;
	CHECK_EXEC_ERR("enametoolong_path", longpath, argv, ENAMETOOLONG);
	char comp[300];
	memset(comp, 'b', sizeof(comp));
	memcpy(comp, "/tmp/", 5);
	comp[sizeof(comp) - 1] = 0;
	CHECK_EXEC_ERR("enametoolong_component", comp, argv, ENAMETOOLONG);
	/* Symlink loop. */
	unlink(tpath(0, "loop_a"));
	unlink(tpath(1, "loop_b"));
	symlink(path_buf[1], path_buf[0]);
	symlink(path_buf[0], path_buf[1]);
	CHECK_EXEC_ERR("eloop_symlinks", path_buf[0], argv, ELOOP);
	/* Bad pointers. */
	CHECK_ERR("efault_path", syscall(SYS_execve, (char *)1, argv, NULL), EFAULT);
	CHECK_ERR("efault_argv", syscall(SYS_execve, kt_self_path, (char **)1, NULL), EFAULT);
	CHECK_ERR("efault_envp", syscall(SYS_execve, kt_self_path, argv, (char **)1), EFAULT);

	/* ETXTBSY: executing a file open for writing, and opening a running one to write. */
	copy_self(tpath(0, "busy"));
	int wfd = open(path_buf[0], O_WRONLY);
	CHECK_EXEC_ERR("etxtbsy_open_for_write", path_buf[0], argv, ETXTBSY);
	close(wfd);
	int go[2];
	pipe(go);
	char fdarg[32];
	snprintf(fdarg, sizeof(fdarg), "KT_WAIT_FD=%d", go[0]);
	pid_t p = kt_fork();
	if (p == 0) {
		char *av[] = { "busy", NULL };
		char *ev[] = { "KT_EXEC_MODE=wait", fdarg, NULL };
		execve(path_buf[0], av, ev);
		_exit(127);
	}
	/* Until the child has exec'd, the file is not busy: retry briefly. */
	int busy = 0;
	for (int i = 0; i < 10000 && !busy; i++) {
		int f = open(path_buf[0], O_WRONLY);
		if (f < 0 && errno == ETXTBSY)
			busy = 1;
		else {
			if (f >= 0)
				close(f);
			usleep(1000);
		}
	}
	CHECK_EQ("etxtbsy_write_running_binary", busy, 1);
	kt_signal_fd(go[1]);
	CHECK_WSTATUS("etxtbsy_runner_status", kt_wait(p), "exit 0");
	close(go[0]);
	close(go[1]);
}

static void test_big_args(void)
{
	/* 15 arguments of 100000 bytes (1.5 MB in all, under a quarter of 8 MiB of stack). */
	static char big[100001];
	memset(big, 'z', sizeof(big) - 1);
	char *argv[20];
	argv[0] = "count";
	for (int i = 1; i <= 15; i++)
		argv[i] = big;
	argv[16] = NULL;
	struct rlimit rl = { 8 << 20, 8 << 20 };
	setrlimit(RLIMIT_STACK, &rl);
	kt_printf("big_args_fit:\n");
	CHECK_WSTATUS("big_args_fit_status", run_exec(kt_self_path, argv, "count", NULL), "exit 0");
	/* One argument longer than MAX_ARG_STRLEN (32 pages). */
	static char huge[140000];
	memset(huge, 'y', sizeof(huge) - 1);
	char *argv2[] = { "count", huge, NULL };
	CHECK_EXEC_ERR("e2big_single_string", kt_self_path, argv2, E2BIG);
	/* 30 x 100000 bytes: more than a quarter of the stack limit. */
	char *argv3[40];
	argv3[0] = "count";
	for (int i = 1; i <= 30; i++)
		argv3[i] = big;
	argv3[31] = NULL;
	CHECK_EXEC_ERR("e2big_total", kt_self_path, argv3, E2BIG);
	/* The environment counts too. */
	char *argv4[] = { "count", NULL };
	static char bigenv[100010];
	memcpy(bigenv, "KT_BIG=", 7);
	memset(bigenv + 7, 'e', 100000);
	char *envs[32];
	envs[0] = "KT_EXEC_MODE=count";
	for (int i = 1; i <= 30; i++)
		envs[i] = bigenv;
	envs[31] = NULL;
	pid_t p = kt_fork();
	if (p == 0) {
		execve(kt_self_path, argv4, envs);
		_exit(errno == E2BIG ? 0 : 1);
	}
	CHECK_WSTATUS("e2big_environment", kt_wait(p), "exit 0");
	/* A smaller stack limit lowers the bound. */
	p = kt_fork();
	if (p == 0) {
		struct rlimit small = { 1 << 20, 1 << 20 };
		setrlimit(RLIMIT_STACK, &small);
		char *av[] = { "count", big, big, big, NULL }; /* 300 KB > 1 MiB / 4 */
		char *ev[] = { "KT_EXEC_MODE=count", NULL };
		execve(kt_self_path, av, ev);
		_exit(errno == E2BIG ? 0 : 1);
	}
	CHECK_WSTATUS("e2big_follows_stack_rlimit", kt_wait(p), "exit 0");
}

static void test_state(void)
{
	kt_printf("exec_keeps_state:\n");
	int keep = open(dir, O_RDONLY | O_DIRECTORY);
	pid_t p = kt_fork();
	if (p == 0) {
		static char e1[64], e2[64], e3[600], e4[64];
		snprintf(e1, sizeof(e1), "KT_PID=%d", getpid());
		snprintf(e2, sizeof(e2), "KT_PPID=%d", getppid());
		snprintf(e3, sizeof(e3), "KT_CWD=%s", dir);
		snprintf(e4, sizeof(e4), "KT_FD=%d", keep);
		chdir(dir);
		umask(027);
		alarm(50);
		sigset_t b;
		sigemptyset(&b);
		sigaddset(&b, SIGUSR2);
		sigprocmask(SIG_BLOCK, &b, NULL);
		static char alt[65536];
		stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt), .ss_flags = 0 };
		sigaltstack(&ss, NULL);
		char *av[] = { "state", NULL };
		char *ev[] = { "KT_EXEC_MODE=state", e1, e2, e3, e4, NULL };
		execve(kt_self_path, av, ev);
		_exit(127);
	}
	CHECK_WSTATUS("exec_keeps_state_status", kt_wait(p), "exit 0");
	close(keep);
}

static void *exec_from_thread(void *arg)
{
	(void)arg;
	static char e1[64];
	snprintf(e1, sizeof(e1), "KT_PID=%d", getpid());
	static char e2[64];
	snprintf(e2, sizeof(e2), "KT_PPID=%d", getppid());
	static char e3[600];
	char cwd[512];
	snprintf(e3, sizeof(e3), "KT_CWD=%s", getcwd(cwd, sizeof(cwd)));
	char *av[] = { "state", NULL };
	char *ev[] = { "KT_EXEC_MODE=thread", e1, e2, e3, NULL };
	execve(kt_self_path, av, ev);
	_exit(127);
	return NULL;
}

static void *sleeper_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int mode_thread(void)
{
	const char *want_pid = getenv("KT_PID");
	CHECK("  thread_exec_pid_is_leader_pid", want_pid && atoi(want_pid) == getpid());
	CHECK("  thread_exec_tid_is_pid", syscall(SYS_gettid) == getpid());
	const char *want_ppid = getenv("KT_PPID");
	CHECK("  thread_exec_same_ppid", want_ppid && atoi(want_ppid) == getppid());
	return kt_fails ? 1 : 0;
}

static void test_thread_exec(void)
{
	kt_printf("exec_from_thread:\n");
	pid_t p = kt_fork();
	if (p == 0) {
		pthread_t a, b;
		pthread_create(&a, NULL, sleeper_thread, NULL);
		pthread_create(&b, NULL, exec_from_thread, NULL);
		for (;;)
			pause();
	}
	CHECK_WSTATUS("exec_from_thread_status", kt_wait(p), "exit 0");
}

int main(int argc, char **argv, char **envp)
{
	const char *mode = getenv("KT_EXEC_MODE");
	if (mode) {
		/* For the exec'd program, "self" is the test binary the driver ran. */
		const char *self = getenv("KT_SELF");
		snprintf(kt_self_path, sizeof(kt_self_path), "%s", self ? self : "");
		if (strcmp(mode, "args") == 0)
			return mode_args(argc, argv, envp);
		if (strcmp(mode, "count") == 0)
			return mode_count(argc, argv);
		if (strcmp(mode, "auxv") == 0)
			return mode_auxv();
		if (strcmp(mode, "state") == 0)
			return mode_state();
		if (strcmp(mode, "thread") == 0)
			return mode_thread();
		if (strcmp(mode, "wait") == 0) {
			kt_wait_fd(atoi(getenv("KT_WAIT_FD")));
			return 0;
		}
		return 99;
	}
	kt_begin("exec", 60);
	dir = kt_tmpdir("exec");
	test_elf_args();
	test_scripts();
	test_errors();
	test_big_args();
	test_state();
	test_thread_exec();
	kt_rmtree(dir);
	return kt_end();
}
