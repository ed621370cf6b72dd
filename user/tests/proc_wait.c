/*
 * proc_wait: fork/exec/wait trees, exit statuses, death by signal, wait4 and waitid
 * options (WNOHANG, WUNTRACED, WCONTINUED, WEXITED, WSTOPPED, WNOWAIT, __WCLONE, __WALL),
 * SIGCHLD ignored (auto-reap), ECHILD and EINVAL.
 */
#include "ktest_user.h"

#include <sched.h>

static pid_t child_exit(int code)
{
	pid_t p = kt_fork();
	if (p == 0)
		_exit(code);
	return p;
}

static pid_t child_raise(int sig)
{
	pid_t p = kt_fork();
	if (p == 0) {
		signal(sig, SIG_DFL);
		raise(sig);
		_exit(100);
	}
	return p;
}

static void test_exit_codes(void)
{
	static const int codes[] = { 0, 1, 42, 127, 255, 256, 257 };
	for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t p = child_exit(codes[i]);
		int st = kt_wait(p);
		CHECK_WSTATUS(kt_name("exit_code_%d", codes[i]), st,
			      kt_name("exit %d", codes[i] & 0xff));
	}
	/* Returning from main goes through exit(): same status. */
	pid_t p = kt_fork();
	if (p == 0)
		exit(9);
	CHECK_WSTATUS("exit_via_libc", kt_wait(p), "exit 9");
	/* exit_group directly. */
	p = kt_fork();
	if (p == 0)
		syscall(SYS_exit_group, 33);
	CHECK_WSTATUS("exit_group_raw", kt_wait(p), "exit 33");
	/* exit (thread exit) of the only thread ends the process with that code. */
	p = kt_fork();
	if (p == 0)
		syscall(SYS_exit, 34);
	CHECK_WSTATUS("exit_raw_single_thread", kt_wait(p), "exit 34");
}

static void test_signal_deaths(void)
{
	static const int sigs[] = { SIGTERM, SIGKILL, SIGUSR1, SIGHUP, SIGINT, SIGALRM,
				    SIGSEGV, SIGQUIT, SIGABRT, SIGBUS, SIGFPE, SIGILL,
				    SIGSYS, SIGTRAP };
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		int st = kt_wait(child_raise(sigs[i]));
		CHECK_WSTATUS(kt_name("raise_%s", kt_signame(sigs[i])), st,
			      kt_name("signal %s", kt_signame(sigs[i])));
		CHECK_EQ(kt_name("raise_%s_wifsignaled", kt_signame(sigs[i])),
			 !!WIFSIGNALED(st), 1);
	}
	/* Ignored-by-default signals do not kill. */
	static const int ign[] = { SIGCHLD, SIGURG, SIGWINCH, SIGCONT };
	for (unsigned i = 0; i < sizeof(ign) / sizeof(ign[0]); i++) {
		int st = kt_wait(child_raise(ign[i]));
		CHECK_WSTATUS(kt_name("raise_%s_ignored", kt_signame(ign[i])), st, "exit 100");
	}
	/* abort() */
	pid_t p = kt_fork();
	if (p == 0)
		abort();
	CHECK_WSTATUS("abort", kt_wait(p), "signal SIGABRT");
	/* A signal from the parent to a child blocked in read. */
	int fds[2];
	pipe(fds);
	p = kt_fork();
	if (p == 0) {
		char c;
		close(fds[1]);
		read(fds[0], &c, 1);
		_exit(1);
	}
	close(fds[0]);
	kill(p, SIGTERM);
	CHECK_WSTATUS("kill_blocked_child", kt_wait(p), "signal SIGTERM");
	close(fds[1]);
}

/* A tree: each of 3 children forks i+1 grandchildren which exit with 10*i+j; the child
 * sums its grandchildren's codes and exits with the sum. */
static void test_tree(void)
{
	pid_t kids[3];
	for (int i = 0; i < 3; i++) {
		kids[i] = kt_fork();
		if (kids[i] == 0) {
			pid_t g[4];
			for (int j = 0; j <= i; j++) {
				g[j] = fork();
				if (g[j] == 0)
					_exit(10 * i + j);
			}
			int sum = 0;
			for (int j = 0; j <= i; j++) {
				int st;
				if (waitpid(g[j], &st, 0) != g[j] || !WIFEXITED(st))
					_exit(200);
				sum += WEXITSTATUS(st);
			}
			/* Grandchildren are gone: nothing left to wait for. */
			if (wait(NULL) != -1 || errno != ECHILD)
				_exit(201);
			_exit(sum);
		}
	}
	/* Reap in reverse order of creation. */
	for (int i = 2; i >= 0; i--) {
		int want = 0;
		for (int j = 0; j <= i; j++)
			want += 10 * i + j;
		CHECK_WSTATUS(kt_name("tree_child%d", i), kt_wait(kids[i]),
			      kt_name("exit %d", want));
	}
	/* The grandchildren were never ours to wait for. */
	CHECK_ERR("tree_no_more_children", wait(NULL), ECHILD);
}

static void test_wait_any(void)
{
	/* wait(-1) returns each child once, in whatever order; collect the codes. */
	pid_t p[5];
	for (int i = 0; i < 5; i++)
		p[i] = child_exit(20 + i);
	unsigned seen = 0, pid_ok = 1;
	for (int i = 0; i < 5; i++) {
		int st;
		pid_t r = wait(&st);
		if (r < 0 || !WIFEXITED(st)) {
			pid_ok = 0;
			continue;
		}
		int code = WEXITSTATUS(st);
		if (code < 20 || code > 24 || p[code - 20] != r)
			pid_ok = 0;
		else
			seen |= 1u << (code - 20);
	}
	CHECK_EQ("wait_any_all_codes", seen, 0x1f);
	CHECK_EQ("wait_any_pid_matches_code", pid_ok, 1);
	CHECK_ERR("wait_any_then_echild", wait(NULL), ECHILD);

	/* waitpid(0): any child in our process group; waitpid(-pgid) likewise. */
	pid_t a = child_exit(3);
	int st;
	CHECK_EQ("waitpid_0_same_pgrp", waitpid(0, &st, 0), a);
	CHECK_WSTATUS("waitpid_0_status", st, "exit 3");
	a = child_exit(4);
	CHECK_EQ("waitpid_neg_pgrp", waitpid(-getpgrp(), &st, 0), a);
	CHECK_WSTATUS("waitpid_neg_pgrp_status", st, "exit 4");

	/* A child that moved to its own group is not found by waitpid(0). */
	int go[2];
	pipe(go);
	a = kt_fork();
	if (a == 0) {
		setpgid(0, 0);
		kt_wait_fd(go[0]);
		_exit(5);
	}
	setpgid(a, a); /* also from the parent, so there is no race */
	CHECK_EQ("waitpid_0_other_pgrp_nohang", waitpid(0, &st, WNOHANG), -1);
	CHECK_EQ("waitpid_0_other_pgrp_errno", errno, ECHILD);
	CHECK_EQ("waitpid_neg_its_pgrp_nohang", waitpid(-a, &st, WNOHANG), 0);
	kt_signal_fd(go[1]);
	CHECK_EQ("waitpid_neg_its_pgrp", waitpid(-a, &st, 0), a);
	CHECK_WSTATUS("waitpid_neg_its_pgrp_status", st, "exit 5");
	close(go[0]);
	close(go[1]);

	/* rusage pointer is accepted and filled (values not printed). */
	a = child_exit(6);
	struct rusage ru;
	memset(&ru, 0xff, sizeof(ru));
	CHECK_EQ("wait4_rusage", wait4(a, &st, 0, &ru), a);
	CHECK_WSTATUS("wait4_rusage_status", st, "exit 6");
	CHECK("wait4_rusage_filled", ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	/* NULL status pointer is fine. */
	a = child_exit(7);
	CHECK_EQ("wait4_null_status", wait4(a, NULL, 0, NULL), a);
}

static void test_wnohang_echild(void)
{
	int st;
	CHECK_ERR("wait_no_children", wait(&st), ECHILD);
	CHECK_ERR("waitpid_nohang_no_children", waitpid(-1, &st, WNOHANG), ECHILD);
	CHECK_ERR("waitpid_parent_not_child", waitpid(getppid(), &st, 0), ECHILD);
	CHECK_ERR("waitpid_self", waitpid(getpid(), &st, 0), ECHILD);
	CHECK_ERR("waitpid_huge_pid", waitpid(0x3fffffff, &st, 0), ECHILD);
	CHECK_ERR("wait4_bad_options", wait4(-1, &st, 0x10000000, NULL), EINVAL);
	/* INT_MIN has no process group to name. */
	CHECK_ERR("wait4_int_min", wait4((pid_t)0x80000000, &st, 0, NULL), ESRCH);

	int go[2];
	pipe(go);
	pid_t p = kt_fork();
	if (p == 0) {
		kt_wait_fd(go[0]);
		_exit(8);
	}
	st = 12345;
	CHECK_EQ("wnohang_running_child", waitpid(p, &st, WNOHANG), 0);
	CHECK_EQ("wnohang_running_status_untouched", st, 12345);
	CHECK_EQ("wnohang_any_running", waitpid(-1, &st, WNOHANG), 0);
	kt_signal_fd(go[1]);
	CHECK_EQ("wnohang_then_block", waitpid(p, &st, 0), p);
	CHECK_WSTATUS("wnohang_then_block_status", st, "exit 8");
	CHECK_ERR("reaped_child_echild", waitpid(p, &st, WNOHANG), ECHILD);
	close(go[0]);
	close(go[1]);

	/* A zombie is reported by WNOHANG once it exists: wait for it to exit via a pipe
	 * EOF (the child's end closes at exit). */
	int eof[2];
	pipe(eof);
	p = kt_fork();
	if (p == 0) {
		close(eof[0]);
		_exit(11);
	}
	close(eof[1]);
	char c;
	while (read(eof[0], &c, 1) > 0)
		;
	close(eof[0]);
	/* The pipe closes before the exit status is published; poll WNOHANG a bit. */
	pid_t r = 0;
	for (int i = 0; i < 10000 && r == 0; i++) {
		r = waitpid(p, &st, WNOHANG);
		if (r == 0)
			usleep(1000);
	}
	CHECK_EQ("wnohang_zombie", r, p);
	CHECK_WSTATUS("wnohang_zombie_status", st, "exit 11");
}

static void test_stop_continue(void)
{
	int go[2];
	pipe(go);
	pid_t p = kt_fork();
	if (p == 0) {
		raise(SIGSTOP);
		kt_wait_fd(go[0]);
		_exit(3);
	}
	int st;
	CHECK_EQ("wuntraced_stopped", waitpid(p, &st, WUNTRACED), p);
	CHECK_WSTATUS("wuntraced_status", st, "stopped SIGSTOP");
	CHECK_EQ("wuntraced_status_raw", st, 0x137f);
	/* Reported once. */
	CHECK_EQ("wuntraced_reported_once", waitpid(p, &st, WUNTRACED | WNOHANG), 0);
	/* Without WUNTRACED a stopped child is not reported. */
	CHECK_EQ("stopped_invisible_without_wuntraced", waitpid(p, &st, WNOHANG), 0);
	kill(p, SIGCONT);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	CHECK_EQ("waitid_wcontinued", waitid(P_PID, p, &si, WCONTINUED), 0);
	CHECK_EQ("waitid_wcontinued_signo", si.si_signo, SIGCHLD);
	CHECK_EQ("waitid_wcontinued_code", si.si_code, CLD_CONTINUED);
	CHECK_EQ("waitid_wcontinued_status", si.si_status, SIGCONT);
	CHECK("waitid_wcontinued_pid", si.si_pid == p);
	kt_signal_fd(go[1]);
	CHECK_EQ("after_continue_exit", waitpid(p, &st, 0), p);
	CHECK_WSTATUS("after_continue_exit_status", st, "exit 3");

	/* Same with waitpid(WCONTINUED) and the 0xffff status; stop sent by the parent. */
	p = kt_fork();
	if (p == 0) {
		kt_wait_fd(go[0]);
		_exit(4);
	}
	kill(p, SIGSTOP);
	CHECK_EQ("parent_stop_wuntraced", waitpid(p, &st, WUNTRACED), p);
	CHECK_WSTATUS("parent_stop_status", st, "stopped SIGSTOP");
	kill(p, SIGCONT);
	CHECK_EQ("waitpid_wcontinued", waitpid(p, &st, WCONTINUED), p);
	CHECK_EQ("waitpid_wcontinued_raw", st, 0xffff);
	CHECK_WSTATUS("waitpid_wcontinued_status", st, "continued");
	CHECK_EQ("wcontinued_reported_once", waitpid(p, &st, WCONTINUED | WNOHANG), 0);
	kt_signal_fd(go[1]);
	CHECK_WSTATUS("wcontinued_then_exit", kt_wait(p), "exit 4");

	/* waitid(WSTOPPED) with siginfo; SIGKILL of a stopped child. */
	p = kt_fork();
	if (p == 0) {
		raise(SIGSTOP);
		_exit(5);
	}
	memset(&si, 0, sizeof(si));
	CHECK_EQ("waitid_wstopped", waitid(P_PID, p, &si, WSTOPPED), 0);
	CHECK_EQ("waitid_wstopped_code", si.si_code, CLD_STOPPED);
	CHECK_EQ("waitid_wstopped_status", si.si_status, SIGSTOP);
	kill(p, SIGKILL);
	memset(&si, 0, sizeof(si));
	CHECK_EQ("waitid_killed_while_stopped", waitid(P_PID, p, &si, WEXITED), 0);
	CHECK_EQ("waitid_killed_code", si.si_code, CLD_KILLED);
	CHECK_EQ("waitid_killed_status", si.si_status, SIGKILL);
	close(go[0]);
	close(go[1]);
}

static void test_waitid(void)
{
	siginfo_t si;
	pid_t p = child_exit(42);
	memset(&si, 0, sizeof(si));
	/* WNOWAIT leaves the child waitable. */
	CHECK_EQ("waitid_wnowait", waitid(P_PID, p, &si, WEXITED | WNOWAIT), 0);
	CHECK_EQ("waitid_wnowait_signo", si.si_signo, SIGCHLD);
	CHECK_EQ("waitid_wnowait_code", si.si_code, CLD_EXITED);
	CHECK_EQ("waitid_wnowait_status", si.si_status, 42);
	CHECK("waitid_wnowait_pid", si.si_pid == p);
	CHECK_EQ("waitid_wnowait_uid", si.si_uid, getuid());
	memset(&si, 0, sizeof(si));
	CHECK_EQ("waitid_wnowait_again", waitid(P_ALL, 0, &si, WEXITED | WNOWAIT), 0);
	CHECK("waitid_wnowait_again_pid", si.si_pid == p);
	int st;
	CHECK_EQ("wnowait_then_waitpid", waitpid(p, &st, 0), p);
	CHECK_WSTATUS("wnowait_then_waitpid_status", st, "exit 42");
	CHECK_ERR("wnowait_then_gone", waitid(P_PID, p, &si, WEXITED), ECHILD);

	/* Killed child: CLD_KILLED and the signal number. */
	p = child_raise(SIGUSR2);
	memset(&si, 0, sizeof(si));
	CHECK_EQ("waitid_killed", waitid(P_PID, p, &si, WEXITED), 0);
	CHECK_EQ("waitid_killed_code", si.si_code, CLD_KILLED);
	CHECK_EQ("waitid_killed_status", si.si_status, SIGUSR2);

	/* WNOHANG with nothing ready: returns 0 and clears si_signo and si_pid. */
	int go[2];
	pipe(go);
	p = kt_fork();
	if (p == 0) {
		kt_wait_fd(go[0]);
		_exit(1);
	}
	memset(&si, 0x5a, sizeof(si));
	CHECK_EQ("waitid_wnohang_none", waitid(P_PID, p, &si, WEXITED | WNOHANG), 0);
	CHECK_EQ("waitid_wnohang_signo_zero", si.si_signo, 0);
	CHECK_EQ("waitid_wnohang_pid_zero", si.si_pid, 0);
	kt_signal_fd(go[1]);
	/* P_PGID */
	memset(&si, 0, sizeof(si));
	CHECK_EQ("waitid_p_pgid", waitid(P_PGID, getpgrp(), &si, WEXITED), 0);
	CHECK("waitid_p_pgid_pid", si.si_pid == p);
	CHECK_EQ("waitid_p_pgid_status", si.si_status, 1);
	close(go[0]);
	close(go[1]);

	/* An exited child is not reported to WSTOPPED-only or WCONTINUED-only waits. */
	p = child_exit(2);
	/* make sure it is a zombie: WNOWAIT wait for it first */
	waitid(P_PID, p, &si, WEXITED | WNOWAIT);
	/* Linux: a zombie not waitable with these options does not count as a child that
	 * could still change state, so the answer is ECHILD rather than 0. */
	CHECK_ERR("waitid_wstopped_on_zombie", waitid(P_PID, p, &si, WSTOPPED | WNOHANG), ECHILD);
	CHECK_ERR("waitid_wcontinued_on_zombie", waitid(P_PID, p, &si, WCONTINUED | WNOHANG),
		  ECHILD);
	CHECK_ERR("waitpid_wnohang_nonexited_only", waitid(P_ALL, 0, &si, WSTOPPED | WNOHANG),
		  ECHILD);
	CHECK_EQ("waitid_reap_zombie", waitid(P_PID, p, &si, WEXITED), 0);

	/* Errors. */
	CHECK_ERR("waitid_no_event_options", waitid(P_ALL, 0, &si, WNOHANG), EINVAL);
	CHECK_ERR("waitid_bad_idtype", waitid((idtype_t)42, 0, &si, WEXITED), EINVAL);
	CHECK_ERR("waitid_bad_option_bit", waitid(P_ALL, 0, &si, WEXITED | 0x00100000), EINVAL);
	CHECK_ERR("waitid_no_children", waitid(P_ALL, 0, &si, WEXITED), ECHILD);
	CHECK_ERR("waitid_p_pid_negative", waitid(P_PID, (id_t)-1, &si, WEXITED), EINVAL);
	/* The raw syscall accepts a NULL infop. */
	p = child_exit(0);
	CHECK_EQ("waitid_null_infop", syscall(SYS_waitid, P_PID, p, NULL, WEXITED, NULL), 0);
}

static volatile sig_atomic_t usr1_count;
static void count_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

/* Children whose exit signal is not SIGCHLD are "clone" children: only __WCLONE or
 * __WALL see them. */
static void test_wclone(void)
{
	int go[2];
	pipe(go);
	pid_t p = (pid_t)syscall(SYS_clone, 0 /* exit signal 0 */, 0, 0, 0, 0);
	if (p == 0) {
		kt_wait_fd(go[0]);
		_exit(7);
	}
	int st;
	CHECK("clone_child_created", p > 0);
	CHECK_ERR("clone_child_invisible_to_plain_wait", waitpid(p, &st, WNOHANG), ECHILD);
	CHECK_ERR("clone_child_invisible_to_wait_any", waitpid(-1, &st, WNOHANG), ECHILD);
	CHECK_EQ("clone_child_wclone_nohang", waitpid(p, &st, __WCLONE | WNOHANG), 0);
	kt_signal_fd(go[1]);
	CHECK_EQ("clone_child_wclone", waitpid(p, &st, __WCLONE), p);
	CHECK_WSTATUS("clone_child_wclone_status", st, "exit 7");

	/* The exit signal goes to the parent: catch it (its default would kill us). */
	signal(SIGUSR1, count_usr1);
	p = (pid_t)syscall(SYS_clone, SIGUSR1, 0, 0, 0, 0);
	if (p == 0)
		_exit(8);
	CHECK_EQ("clone_sigusr1_child_wall", waitpid(p, &st, __WALL), p);
	CHECK_WSTATUS("clone_sigusr1_child_wall_status", st, "exit 8");
	CHECK_EQ("clone_exit_signal_delivered", usr1_count, 1);
	signal(SIGUSR1, SIG_DFL);

	/* A normal child is invisible to __WCLONE. */
	p = kt_fork();
	if (p == 0) {
		kt_wait_fd(go[0]);
		_exit(9);
	}
	CHECK_ERR("fork_child_invisible_to_wclone", waitpid(p, &st, __WCLONE | WNOHANG), ECHILD);
	kt_signal_fd(go[1]);
	CHECK_EQ("fork_child_wall", waitpid(p, &st, __WALL), p);
	CHECK_WSTATUS("fork_child_wall_status", st, "exit 9");
	close(go[0]);
	close(go[1]);
}

/* SIGCHLD set to SIG_IGN, or SA_NOCLDWAIT: children are reaped automatically and wait
 * blocks until they are all gone, then fails with ECHILD. */
static void test_autoreap(void)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGCHLD, &sa, &old);
	pid_t p = child_exit(1);
	int st;
	CHECK_ERR("sigchld_ign_wait_echild", waitpid(p, &st, 0), ECHILD);
	CHECK_ERR("sigchld_ign_wait_any_echild", wait(&st), ECHILD);

	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDWAIT;
	sigaction(SIGCHLD, &sa, NULL);
	child_exit(2);
	child_exit(3);
	CHECK_ERR("sa_nocldwait_wait_echild", wait(&st), ECHILD);

	sigaction(SIGCHLD, &old, NULL);
	p = child_exit(4);
	CHECK_WSTATUS("sigchld_default_again", kt_wait(p), "exit 4");
}

/* Exec inside a child: the exit status is the new program's. */
static void test_exec_status(void)
{
	pid_t p = kt_fork();
	if (p == 0) {
		char *argv[] = { kt_self_path, "exit-with", "77", NULL };
		execv(kt_self_path, argv);
		_exit(99);
	}
	CHECK_WSTATUS("exec_child_exit_status", kt_wait(p), "exit 77");
	p = kt_fork();
	if (p == 0) {
		char *argv[] = { kt_self_path, "raise", "15", NULL };
		execv(kt_self_path, argv);
		_exit(99);
	}
	CHECK_WSTATUS("exec_child_killed", kt_wait(p), "signal SIGTERM");
	/* A chain: child execs, which forks and execs again, status propagates. */
	p = kt_fork();
	if (p == 0) {
		char *argv[] = { kt_self_path, "chain", "3", NULL };
		execv(kt_self_path, argv);
		_exit(99);
	}
	CHECK_WSTATUS("exec_chain", kt_wait(p), "exit 103");
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "exit-with") == 0)
		return atoi(argv[2]);
	if (argc == 3 && strcmp(argv[1], "raise") == 0) {
		raise(atoi(argv[2]));
		return 98;
	}
	if (argc == 3 && strcmp(argv[1], "chain") == 0) {
		int n = atoi(argv[2]);
		if (n == 0)
			return 100;
		pid_t p = fork();
		if (p == 0) {
			char num[16];
			snprintf(num, sizeof(num), "%d", n - 1);
			char *av[] = { argv[0], "chain", num, NULL };
			execv(argv[0], av);
			_exit(97);
		}
		int st;
		if (waitpid(p, &st, 0) != p || !WIFEXITED(st))
			return 96;
		return WEXITSTATUS(st) + 1;
	}

	/* What the runner gives every test (kt_begin then sets it to 0 so that no test
	 * dumps core): Linux's default is a soft limit of 0. */
	struct rlimit core;
	getrlimit(RLIMIT_CORE, &core);
	kt_begin("proc_wait", 20);
	kt_printf("rlimit_core_inherited: %lu %s\n", (unsigned long)core.rlim_cur,
		  core.rlim_max == RLIM_INFINITY ? "unlimited" : "limited");
	test_exit_codes();
	test_signal_deaths();
	test_tree();
	test_wait_any();
	test_wnohang_echild();
	test_stop_continue();
	test_waitid();
	test_wclone();
	test_autoreap();
	test_exec_status();
	return kt_end();
}
