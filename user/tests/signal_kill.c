/*
 * signal_kill: default actions (terminate, "core" -- reported without the core flag since
 * RLIMIT_CORE is 0 --, ignore, stop, and stop signals discarded in an orphaned process
 * group), SIGKILL and SIGSTOP unblockable and uncatchable, SIGCONT continuing and its
 * interaction with pending stop signals, stop/continue seen by waitid, kill to a process
 * group, kill(0), kill(-1), tgkill/tkill to threads, and ESRCH/EINVAL/EPERM.
 */
#include "ktest_user.h"

#include <pthread.h>
#include <time.h>

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* A child sleeping in read(token[0]); exits 0 when it gets a byte. pgrp_mode: 0 stay in
 * our group, 1 own group in our session (not orphaned), 2 own session (an orphaned
 * group: its parent is in another session). */
struct sleeper {
	pid_t pid;
	int token[2];
};

static void sleeper_start(struct sleeper *s, int pgrp_mode)
{
	int ready[2];
	pipe(s->token);
	pipe(ready);
	s->pid = kt_fork();
	if (s->pid == 0) {
		if (pgrp_mode == 1)
			setpgid(0, 0);
		else if (pgrp_mode == 2)
			setsid();
		close(s->token[1]);
		kt_signal_fd(ready[1]);
		char c;
		ssize_t r;
		while ((r = read(s->token[0], &c, 1)) < 0 && errno == EINTR)
			;
		_exit(r == 1 ? 0 : 1);
	}
	if (pgrp_mode == 1)
		setpgid(s->pid, s->pid);
	close(s->token[0]);
	kt_wait_fd(ready[0]);
	close(ready[0]);
	close(ready[1]);
}

/* Ends the sleeper (token, or SIGKILL if it is stopped) and returns its status. */
static int sleeper_finish(struct sleeper *s, int kill_it)
{
	if (kill_it)
		kill(s->pid, SIGKILL);
	else
		kt_signal_fd(s->token[1]);
	close(s->token[1]);
	return kt_wait(s->pid);
}

static void test_default_actions(void)
{
	static const int term[] = { SIGHUP, SIGINT, SIGKILL, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
				    SIGTERM, SIGSTKFLT, SIGVTALRM, SIGPROF, SIGIO, SIGPWR,
				    /* SIGQUIT and the rest would dump core: */
				    SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV,
				    SIGXCPU, SIGXFSZ, SIGSYS, 32, 33, 34, 50, 64 };
	for (unsigned i = 0; i < sizeof(term) / sizeof(term[0]); i++) {
		struct sleeper s;
		sleeper_start(&s, 0);
		kill(s.pid, term[i]);
		int st = kt_wait(s.pid);
		close(s.token[1]);
		CHECK_WSTATUS(kt_name("default_kill_%s", kt_signame(term[i])), st,
			      kt_name("signal %s", kt_signame(term[i])));
	}
	static const int ign[] = { SIGCHLD, SIGURG, SIGWINCH, SIGCONT };
	for (unsigned i = 0; i < sizeof(ign) / sizeof(ign[0]); i++) {
		struct sleeper s;
		sleeper_start(&s, 0);
		kill(s.pid, ign[i]);
		CHECK_WSTATUS(kt_name("default_ignore_%s", kt_signame(ign[i])),
			      sleeper_finish(&s, 0), "exit 0");
	}
	static const int stop[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU };
	for (unsigned i = 0; i < sizeof(stop) / sizeof(stop[0]); i++) {
		struct sleeper s;
		sleeper_start(&s, 1);
		kill(s.pid, stop[i]);
		int st;
		waitpid(s.pid, &st, WUNTRACED);
		CHECK_WSTATUS(kt_name("default_stop_%s", kt_signame(stop[i])), st,
			      kt_name("stopped %s", kt_signame(stop[i])));
		CHECK_WSTATUS(kt_name("default_stop_%s_then_kill", kt_signame(stop[i])),
			      sleeper_finish(&s, 1), "signal SIGKILL");
	}
	/* In an orphaned process group the terminal stop signals are discarded; SIGSTOP
	 * still stops. */
	for (unsigned i = 1; i < sizeof(stop) / sizeof(stop[0]); i++) {
		struct sleeper s;
		sleeper_start(&s, 2);
		kill(s.pid, stop[i]);
		CHECK_WSTATUS(kt_name("orphaned_pgrp_%s_discarded", kt_signame(stop[i])),
			      sleeper_finish(&s, 0), "exit 0");
	}
	struct sleeper s;
	sleeper_start(&s, 2);
	kill(s.pid, SIGSTOP);
	int st;
	waitpid(s.pid, &st, WUNTRACED);
	CHECK_WSTATUS("orphaned_pgrp_sigstop_stops", st, "stopped SIGSTOP");
	sleeper_finish(&s, 1);
}

static void test_unblockable(void)
{
	/* A child that blocks and ignores everything it can. */
	int ready[2];
	pipe(ready);
	pid_t p = kt_fork();
	if (p == 0) {
		sigset_t all;
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		for (int sig = 1; sig < 65; sig++)
			signal(sig, SIG_IGN);
		kt_signal_fd(ready[1]);
		for (;;)
			pause();
	}
	kt_wait_fd(ready[0]);
	kill(p, SIGTERM);
	kill(p, SIGINT);
	int st;
	CHECK_EQ("blocked_ignored_term_no_effect", waitpid(p, &st, WNOHANG), 0);
	kill(p, SIGSTOP);
	CHECK_EQ("sigstop_despite_block", waitpid(p, &st, WUNTRACED), p);
	CHECK_WSTATUS("sigstop_despite_block_status", st, "stopped SIGSTOP");
	/* SIGCONT continues even when blocked and ignored. */
	kill(p, SIGCONT);
	CHECK_EQ("sigcont_despite_block", waitpid(p, &st, WCONTINUED), p);
	CHECK_WSTATUS("sigcont_despite_block_status", st, "continued");
	kill(p, SIGKILL);
	CHECK_WSTATUS("sigkill_despite_block_and_ign", kt_wait(p), "signal SIGKILL");
	close(ready[0]);
	close(ready[1]);
}

static int cont_pipe[2];

static void on_cont(int sig)
{
	(void)sig;
	kt_signal_fd(cont_pipe[1]);
}

static void test_stop_continue(void)
{
	pipe(cont_pipe);
	struct sleeper s;
	int ready[2];
	pipe(ready);
	sleeper_start(&s, 0);
	kill(s.pid, SIGSTOP);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	CHECK_EQ("waitid_stopped", waitid(P_PID, s.pid, &si, WSTOPPED), 0);
	CHECK_EQ("waitid_stopped_code", si.si_code, CLD_STOPPED);
	CHECK_EQ("waitid_stopped_status", si.si_status, SIGSTOP);
	/* While stopped, a terminating signal waits. */
	kill(s.pid, SIGUSR1);
	sleep_ms(20);
	int st;
	CHECK_EQ("stopped_pending_term_waits", waitpid(s.pid, &st, WNOHANG), 0);
	kill(s.pid, SIGCONT);
	/* After continuing, the pending SIGUSR1 kills it. (Whether the "continued" state
	 * can still be seen depends on how fast it dies: not checked here.) */
	CHECK_WSTATUS("pending_term_after_cont", kt_wait(s.pid), "signal SIGUSR1");
	close(s.token[1]);

	/* SIGCONT with a handler: runs once the child is continued. */
	pipe(s.token);
	s.pid = kt_fork();
	if (s.pid == 0) {
		signal(SIGCONT, on_cont);
		kt_signal_fd(ready[1]);
		char c;
		while (read(s.token[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	kt_wait_fd(ready[0]);
	kill(s.pid, SIGSTOP);
	waitpid(s.pid, &st, WUNTRACED);
	kill(s.pid, SIGCONT);
	CHECK_EQ("sigcont_handler_ran", kt_wait_fd(cont_pipe[0]), 0);
	kt_signal_fd(s.token[1]);
	CHECK_WSTATUS("sigcont_handler_child_exit", kt_wait(s.pid), "exit 0");
	close(s.token[0]);
	close(s.token[1]);

	/* SIGCONT discards a pending (blocked) stop signal. */
	pipe(s.token);
	s.pid = kt_fork();
	if (s.pid == 0) {
		setpgid(0, 0); /* not orphaned: SIGTSTP would stop */
		sigset_t b;
		sigemptyset(&b);
		sigaddset(&b, SIGTSTP);
		sigprocmask(SIG_BLOCK, &b, NULL);
		kt_signal_fd(ready[1]);
		kt_wait_fd(s.token[0]);
		sigset_t p;
		sigpending(&p);
		_exit(sigismember(&p, SIGTSTP) ? 1 : 0);
	}
	setpgid(s.pid, s.pid);
	kt_wait_fd(ready[0]);
	kill(s.pid, SIGTSTP);
	kill(s.pid, SIGCONT);
	kt_signal_fd(s.token[1]);
	CHECK_WSTATUS("sigcont_discards_pending_tstp", kt_wait(s.pid), "exit 0");
	close(s.token[0]);
	close(s.token[1]);

	close(ready[0]);
	close(ready[1]);
	close(cont_pipe[0]);
	close(cont_pipe[1]);
}

static int report_pipe[2];

static void report_usr1(int sig)
{
	(void)sig;
	kt_write_all(report_pipe[1], "g", 1);
}

static void report_usr1_c(int sig)
{
	(void)sig;
	kt_write_all(report_pipe[1], "c", 1);
}

static int cmp_char(const void *a, const void *b)
{
	return *(const char *)a - *(const char *)b;
}

static void test_groups(void)
{
	/* kill(-pgrp): every member dies. The members hold dead[1]; EOF = all gone. */
	int dead[2], ready[2];
	pipe(dead);
	pipe(ready);
	pid_t c = kt_fork();
	if (c == 0) {
		setpgid(0, 0);
		for (int i = 0; i < 2; i++) {
			if (fork() == 0) {
				alarm(20);
				kt_signal_fd(ready[1]);
				for (;;)
					pause();
			}
		}
		close(dead[0]);
		kt_signal_fd(ready[1]);
		for (;;)
			pause();
	}
	setpgid(c, c);
	close(dead[1]);
	for (int i = 0; i < 3; i++)
		kt_wait_fd(ready[0]);
	CHECK_EQ("killpg_returns_0", kill(-c, SIGTERM), 0);
	CHECK_WSTATUS("killpg_leader_status", kt_wait(c), "signal SIGTERM");
	char x;
	CHECK_EQ("killpg_all_members_gone", read(dead[0], &x, 1), 0);
	close(dead[0]);

	/* kill(0): the caller's whole group, including itself. */
	pipe(report_pipe);
	c = kt_fork();
	if (c == 0) {
		setpgid(0, 0);
		signal(SIGUSR1, report_usr1_c);
		int hold[2];
		pipe(hold);
		for (int i = 0; i < 2; i++) {
			if (fork() == 0) {
				alarm(20);
				close(hold[1]);
				signal(SIGUSR1, report_usr1);
				kt_signal_fd(ready[1]);
				char h;
				while (read(hold[0], &h, 1) < 0 && errno == EINTR)
					;
				_exit(0);
			}
		}
		close(hold[0]);
		/* Both grandchildren are ready once the parent has read their tokens; it
		 * answers with one token of its own. */
		kt_wait_fd(report_pipe[0]);
		kill(0, SIGUSR1);
		close(hold[1]);
		while (wait(NULL) > 0)
			;
		_exit(0);
	}
	setpgid(c, c);
	kt_wait_fd(ready[0]);
	kt_wait_fd(ready[0]);
	kt_signal_fd(report_pipe[1]);
	CHECK_WSTATUS("kill0_sender_status", kt_wait(c), "exit 0");
	close(report_pipe[1]);
	char got[8] = { 0 };
	size_t n = kt_read_full(report_pipe[0], got, sizeof(got) - 1);
	qsort(got, n, 1, cmp_char);
	CHECK_STR("kill0_reached_group_and_self", got, "cgg");
	close(report_pipe[0]);
	close(ready[0]);
	close(ready[1]);
}

static volatile int self_hits;

static void count_self(int sig)
{
	(void)sig;
	self_hits++;
}

static void test_kill_all(void)
{
	/* kill(-1): everyone we may signal except init and ourselves. SIGURG's default is
	 * to ignore, so a process that does not catch it is not disturbed. */
	int ready[2];
	pipe(report_pipe);
	pipe(ready);
	signal(SIGURG, count_self);
	self_hits = 0;
	pid_t kids[2];
	for (int i = 0; i < 2; i++) {
		kids[i] = kt_fork();
		if (kids[i] == 0) {
			struct sigaction sa;
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = report_usr1;
			sigaction(SIGURG, &sa, NULL);
			kt_signal_fd(ready[1]);
			for (;;)
				pause();
		}
	}
	kt_wait_fd(ready[0]);
	kt_wait_fd(ready[0]);
	CHECK_EQ("kill_minus1_returns_0", kill(-1, SIGURG), 0);
	char got[3] = { 0 };
	CHECK_EQ("kill_minus1_reached_children", kt_read_full(report_pipe[0], got, 2), 2);
	CHECK_EQ("kill_minus1_not_self", self_hits, 0);
	CHECK_EQ("kill_minus1_sig0", kill(-1, 0), 0);
	for (int i = 0; i < 2; i++) {
		kill(kids[i], SIGKILL);
		kt_wait(kids[i]);
	}
	signal(SIGURG, SIG_DFL);
	close(report_pipe[0]);
	close(report_pipe[1]);
	close(ready[0]);
	close(ready[1]);
}

/* ---- threads --------------------------------------------------------------------- */

static volatile int thread_tid, handler_tid;
static int thread_go[2];

static void record_tid(int sig)
{
	(void)sig;
	handler_tid = (int)syscall(SYS_gettid);
}

static void *waiter(void *arg)
{
	(void)arg;
	thread_tid = (int)syscall(SYS_gettid);
	char c;
	while (read(thread_go[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static void test_threads(void)
{
	pipe(thread_go);
	signal(SIGUSR1, record_tid);
	pthread_t t;
	thread_tid = 0;
	pthread_create(&t, NULL, waiter, NULL);
	while (__atomic_load_n(&thread_tid, __ATOMIC_ACQUIRE) == 0)
		sleep_ms(1);
	int tid = thread_tid;
	/* Directed at the thread: its handler runs there. */
	handler_tid = 0;
	CHECK_EQ("tgkill_thread", syscall(SYS_tgkill, getpid(), tid, SIGUSR1), 0);
	for (int i = 0; i < 10000 && handler_tid == 0; i++)
		sleep_ms(1);
	CHECK("tgkill_ran_in_thread", handler_tid == tid);
	handler_tid = 0;
	CHECK_EQ("tkill_thread", syscall(SYS_tkill, tid, SIGUSR1), 0);
	for (int i = 0; i < 10000 && handler_tid == 0; i++)
		sleep_ms(1);
	CHECK("tkill_ran_in_thread", handler_tid == tid);
	/* A process-directed signal blocked in this thread goes to the other one. */
	sigset_t b;
	sigemptyset(&b);
	sigaddset(&b, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &b, NULL);
	handler_tid = 0;
	kill(getpid(), SIGUSR1);
	for (int i = 0; i < 10000 && handler_tid == 0; i++)
		sleep_ms(1);
	CHECK("kill_delivered_to_unblocked_thread", handler_tid == tid);
	pthread_sigmask(SIG_UNBLOCK, &b, NULL);

	CHECK_EQ("tgkill_sig0", syscall(SYS_tgkill, getpid(), tid, 0), 0);
	CHECK_ERR("tgkill_wrong_tgid", syscall(SYS_tgkill, getppid() > 1 ? getppid() : 1, tid, 0),
		  ESRCH);
	kt_signal_fd(thread_go[1]);
	pthread_join(t, NULL);
	signal(SIGUSR1, SIG_DFL);
	close(thread_go[0]);
	close(thread_go[1]);
}

static void test_errors(void)
{
	pid_t me = getpid();
	long tid = syscall(SYS_gettid);
	CHECK_EQ("kill_self_sig0", kill(me, 0), 0);
	CHECK_ERR("kill_sig65_einval", kill(me, 65), EINVAL);
	CHECK_ERR("kill_sig_negative_einval", kill(me, -1), EINVAL);
	CHECK_ERR("kill_no_such_pid", kill(0x3ffffff0, 0), ESRCH);
	CHECK_ERR("kill_no_such_pgrp", kill(-0x3ffffff0, 0), ESRCH);
	CHECK_ERR("kill_int_min", kill((pid_t)0x80000000, 0), ESRCH);
	CHECK_ERR("tgkill_sig65", syscall(SYS_tgkill, me, tid, 65), EINVAL);
	CHECK_ERR("tgkill_tgid0", syscall(SYS_tgkill, 0, tid, 0), EINVAL);
	CHECK_ERR("tgkill_tid0", syscall(SYS_tgkill, me, 0, 0), EINVAL);
	CHECK_ERR("tgkill_tid_negative", syscall(SYS_tgkill, me, -5, 0), EINVAL);
	CHECK_ERR("tgkill_no_such_tid", syscall(SYS_tgkill, me, 0x3ffffff0, 0), ESRCH);
	CHECK_ERR("tkill_tid0", syscall(SYS_tkill, 0, 0), EINVAL);
	CHECK_ERR("tkill_no_such", syscall(SYS_tkill, 0x3ffffff0, 0), ESRCH);
	CHECK_ERR("tkill_sig65", syscall(SYS_tkill, tid, 65), EINVAL);

	/* Queueing a signal with a kernel-reserved si_code to another process. */
	struct sleeper s;
	sleeper_start(&s, 0);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_KERNEL;
	CHECK_ERR("rt_sigqueueinfo_kernel_code_eperm",
		  syscall(SYS_rt_sigqueueinfo, s.pid, SIGUSR1, &si), EPERM);
	si.si_code = SI_USER;
	CHECK_ERR("rt_sigqueueinfo_si_user_eperm",
		  syscall(SYS_rt_sigqueueinfo, s.pid, SIGUSR1, &si), EPERM);
	CHECK_WSTATUS("rt_sigqueueinfo_target_unharmed", sleeper_finish(&s, 0), "exit 0");
	si.si_code = SI_QUEUE;
	CHECK_ERR("rt_sigqueueinfo_no_such", syscall(SYS_rt_sigqueueinfo, 0x3ffffff0, SIGUSR1, &si),
		  ESRCH);
}

int main(void)
{
	kt_begin("signal_kill", 20);
	test_default_actions();
	test_unblockable();
	test_stop_continue();
	test_groups();
	test_kill_all();
	test_threads();
	test_errors();
	return kt_end();
}
