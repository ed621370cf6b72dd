/*
 * signal_handlers: caught signals. Handlers and SA_SIGINFO (si_signo, si_code SI_USER /
 * SI_TKILL / SI_QUEUE / CLD_EXITED, si_pid and si_uid compared, not printed), masks during
 * a handler, SA_NODEFER, SA_RESETHAND, sigprocmask and sigpending, coalescing of standard
 * signals and queueing of real-time ones, delivery order, sigsuspend, sigwaitinfo and
 * sigtimedwait, SA_RESTART against EINTR, sigaltstack, registers preserved across a
 * handler, and what fork and exec keep.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <time.h>

static volatile int count;
static volatile int last_sig;
static char trace[128];
static volatile int trace_len;

static void tr(char c)
{
	if (trace_len < (int)sizeof(trace) - 1)
		trace[trace_len++] = c;
}

static void trace_reset(void)
{
	memset(trace, 0, sizeof(trace));
	trace_len = 0;
}

static void set_handler(int sig, void (*h)(int), int flags, const sigset_t *mask)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = flags;
	if (mask)
		sa.sa_mask = *mask;
	sigaction(sig, &sa, NULL);
}

static void set_action(int sig, void (*a)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = a;
	sa.sa_flags = flags | SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

static void sig_default(int sig)
{
	signal(sig, SIG_DFL);
}

static int is_blocked(int sig)
{
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	return sigismember(&cur, sig);
}

static int is_pending(int sig)
{
	sigset_t p;
	sigpending(&p);
	return sigismember(&p, sig);
}

static void block(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

static void unblock(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* ---- basic handlers and siginfo ------------------------------------------------------ */

static void counting(int sig)
{
	count++;
	last_sig = sig;
}

static siginfo_t got_info;
static volatile int got_ucontext;

static void info_action(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	got_info = *si;
	got_ucontext = uc != NULL;
	count++;
}

static void test_basic(void)
{
	count = 0;
	set_handler(SIGUSR1, counting, 0, NULL);
	CHECK_EQ("raise_returns_0", raise(SIGUSR1), 0);
	CHECK_EQ("handler_ran_once", count, 1);
	CHECK_EQ("handler_got_signo", last_sig, SIGUSR1);
	kill(getpid(), SIGUSR1);
	CHECK_EQ("kill_self_handler_before_return", count, 2);

	set_action(SIGUSR2, info_action, 0);
	memset(&got_info, 0, sizeof(got_info));
	kill(getpid(), SIGUSR2);
	CHECK_EQ("siginfo_kill_signo", got_info.si_signo, SIGUSR2);
	CHECK_EQ("siginfo_kill_code_si_user", got_info.si_code, SI_USER);
	CHECK("siginfo_kill_pid_is_sender", got_info.si_pid == getpid());
	CHECK("siginfo_kill_uid", got_info.si_uid == getuid());
	CHECK_EQ("siginfo_errno_zero", got_info.si_errno, 0);
	CHECK_EQ("siginfo_ucontext_given", got_ucontext, 1);

	memset(&got_info, 0, sizeof(got_info));
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);
	CHECK_EQ("siginfo_tgkill_code_si_tkill", got_info.si_code, SI_TKILL);
	CHECK("siginfo_tgkill_pid", got_info.si_pid == getpid());
	memset(&got_info, 0, sizeof(got_info));
	syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR2);
	CHECK_EQ("siginfo_tkill_code", got_info.si_code, SI_TKILL);
	memset(&got_info, 0, sizeof(got_info));
	raise(SIGUSR2);
	CHECK_EQ("siginfo_raise_code", got_info.si_code, SI_TKILL);

	memset(&got_info, 0, sizeof(got_info));
	union sigval v = { .sival_int = 4242 };
	CHECK_EQ("sigqueue_returns_0", sigqueue(getpid(), SIGUSR2, v), 0);
	CHECK_EQ("siginfo_sigqueue_code", got_info.si_code, SI_QUEUE);
	CHECK_EQ("siginfo_sigqueue_value", got_info.si_value.sival_int, 4242);
	CHECK("siginfo_sigqueue_pid", got_info.si_pid == getpid());

	/* A child's exit: SIGCHLD with CLD_EXITED and its status. */
	set_action(SIGCHLD, info_action, 0);
	memset(&got_info, 0, sizeof(got_info));
	count = 0;
	block(SIGCHLD);
	pid_t p = kt_fork();
	if (p == 0)
		_exit(9);
	siginfo_t si;
	waitid(P_PID, p, &si, WEXITED | WNOWAIT);
	unblock(SIGCHLD);
	CHECK_EQ("sigchld_delivered", count, 1);
	CHECK_EQ("sigchld_code", got_info.si_code, CLD_EXITED);
	CHECK_EQ("sigchld_status", got_info.si_status, 9);
	CHECK("sigchld_pid", got_info.si_pid == p);
	kt_wait(p);
	sig_default(SIGCHLD);
	sig_default(SIGUSR1);
	sig_default(SIGUSR2);
}

/* ---- masks in handlers, NODEFER, RESETHAND ------------------------------------------- */

static volatile int depth, max_depth;
static volatile int blocked_self, blocked_other;

static void nesting(int sig)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	tr('[');
	blocked_self = is_blocked(sig);
	blocked_other = is_blocked(SIGUSR2);
	if (count++ == 0)
		raise(sig);
	tr(']');
	depth--;
}

static void test_masks(void)
{
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	count = depth = max_depth = 0;
	trace_reset();
	set_handler(SIGUSR1, nesting, 0, &m);
	raise(SIGUSR1);
	CHECK_EQ("handler_self_blocked", blocked_self, 1);
	CHECK_EQ("handler_sa_mask_blocked", blocked_other, 1);
	CHECK_STR("no_nodefer_deferred_order", trace, "[][]");
	CHECK_EQ("no_nodefer_depth", max_depth, 1);
	CHECK_EQ("mask_restored_self", is_blocked(SIGUSR1), 0);
	CHECK_EQ("mask_restored_other", is_blocked(SIGUSR2), 0);

	count = depth = max_depth = 0;
	trace_reset();
	set_handler(SIGUSR1, nesting, SA_NODEFER, NULL);
	raise(SIGUSR1);
	CHECK_EQ("nodefer_self_not_blocked", blocked_self, 0);
	CHECK_STR("nodefer_nested_order", trace, "[[]]");
	CHECK_EQ("nodefer_depth", max_depth, 2);

	/* SA_RESETHAND: back to SIG_DFL on delivery; the signal is still blocked in the
	 * handler on Linux. */
	count = 1; /* no re-raise */
	set_handler(SIGUSR1, nesting, SA_RESETHAND, NULL);
	raise(SIGUSR1);
	struct sigaction q;
	sigaction(SIGUSR1, NULL, &q);
	CHECK("resethand_now_default", q.sa_handler == SIG_DFL);
	CHECK_EQ("resethand_blocked_in_handler", blocked_self, 1);
	pid_t p = kt_fork();
	if (p == 0) {
		set_handler(SIGUSR1, nesting, SA_RESETHAND, NULL);
		raise(SIGUSR1);
		raise(SIGUSR1);
		_exit(0);
	}
	CHECK_WSTATUS("resethand_second_kills", kt_wait(p), "signal SIGUSR1");
	sig_default(SIGUSR1);
}

/* ---- sigprocmask, pending, coalescing, order ----------------------------------------- */

static void order_handler(int sig)
{
	tr((char)('A' + sig - 1));
}

static int rt_values[8];
static volatile int rt_n;

static void rt_action(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (rt_n < 8)
		rt_values[rt_n] = si->si_value.sival_int;
	rt_n++;
}

static void test_procmask(void)
{
	sigset_t s, old, cur;
	count = 0;
	set_handler(SIGUSR1, counting, 0, NULL);
	block(SIGUSR1);
	raise(SIGUSR1);
	CHECK_EQ("blocked_not_delivered", count, 0);
	CHECK_EQ("blocked_is_pending", is_pending(SIGUSR1), 1);
	raise(SIGUSR1);
	raise(SIGUSR1);
	unblock(SIGUSR1);
	CHECK_EQ("unblock_delivers_once_coalesced", count, 1);
	CHECK_EQ("no_longer_pending", is_pending(SIGUSR1), 0);

	/* SIG_SETMASK returns the old mask; SIGKILL and SIGSTOP cannot be blocked. */
	sigfillset(&s);
	CHECK_EQ("setmask_all", sigprocmask(SIG_SETMASK, &s, &old), 0);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	CHECK_EQ("sigkill_not_blockable", sigismember(&cur, SIGKILL), 0);
	CHECK_EQ("sigstop_not_blockable", sigismember(&cur, SIGSTOP), 0);
	CHECK_EQ("sigterm_blocked", sigismember(&cur, SIGTERM), 1);
	CHECK_EQ("rt_blocked", sigismember(&cur, SIGRTMIN + 3), 1);
	sigprocmask(SIG_SETMASK, &old, &s);
	CHECK_EQ("old_mask_returned", sigismember(&s, SIGTERM), 1);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	CHECK_EQ("old_mask_restored", sigismember(&cur, SIGTERM), 0);

	sigemptyset(&s);
	CHECK_ERR("sigprocmask_bad_how", sigprocmask(42, &s, NULL), EINVAL);
	CHECK_ERR("rt_sigprocmask_bad_size", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &s, NULL, 4),
		  EINVAL);
	CHECK_ERR("rt_sigpending_bad_size", syscall(SYS_rt_sigpending, &s, 16), EINVAL);
	/* how is not checked when set is NULL. */
	CHECK_EQ("sigprocmask_bad_how_null_set", syscall(SYS_rt_sigprocmask, 42, NULL, &cur, 8),
		 0);

	/* Setting SIG_IGN discards a pending signal. */
	block(SIGUSR1);
	raise(SIGUSR1);
	CHECK_EQ("pending_before_ign", is_pending(SIGUSR1), 1);
	signal(SIGUSR1, SIG_IGN);
	CHECK_EQ("sig_ign_discards_pending", is_pending(SIGUSR1), 0);
	/* A blocked signal is queued even when ignored (it may be unignored later). */
	raise(SIGUSR1);
	CHECK_EQ("blocked_ignored_still_pending", is_pending(SIGUSR1), 1);
	unblock(SIGUSR1);
	CHECK_EQ("unblocked_ignored_dropped", is_pending(SIGUSR1), 0);
	/* An unblocked ignored signal is not even queued. */
	raise(SIGUSR1);
	CHECK_EQ("ignored_not_pending", is_pending(SIGUSR1), 0);

	/* Real-time signals queue, with their values, in order. */
	int rt = SIGRTMIN + 2;
	set_action(rt, rt_action, 0);
	block(rt);
	rt_n = 0;
	for (int i = 0; i < 5; i++) {
		union sigval v = { .sival_int = 100 + i };
		sigqueue(getpid(), rt, v);
	}
	CHECK_EQ("rt_pending_none_delivered", rt_n, 0);
	unblock(rt);
	CHECK_EQ("rt_all_queued", rt_n, 5);
	int in_order = 1;
	for (int i = 0; i < 5; i++)
		if (rt_values[i] != 100 + i)
			in_order = 0;
	CHECK_EQ("rt_values_in_order", in_order, 1);

	/* Several pending signals unblocked at once: Linux sets up a frame for each, lowest
	 * number first, so the handlers run highest number first. */
	trace_reset();
	int sigs[] = { SIGUSR2, SIGTERM, SIGUSR1, SIGHUP };
	sigemptyset(&s);
	for (int i = 0; i < 4; i++) {
		set_handler(sigs[i], order_handler, 0, NULL);
		sigaddset(&s, sigs[i]);
	}
	sigprocmask(SIG_BLOCK, &s, NULL);
	for (int i = 0; i < 4; i++)
		raise(sigs[i]);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	/* A=1 SIGHUP, J=10 SIGUSR1, L=12 SIGUSR2, O=15 SIGTERM */
	CHECK_STR("multi_pending_handler_order", trace, "OLJA");
	/* With every handler blocking the others, they run lowest first. */
	trace_reset();
	for (int i = 0; i < 4; i++)
		set_handler(sigs[i], order_handler, 0, &s);
	sigprocmask(SIG_BLOCK, &s, NULL);
	for (int i = 0; i < 4; i++)
		raise(sigs[i]);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	CHECK_STR("multi_pending_masked_order", trace, "AJLO");
	for (int i = 0; i < 4; i++)
		sig_default(sigs[i]);
	sig_default(rt);
}

/* ---- sigsuspend, sigwaitinfo, sigtimedwait ------------------------------------------- */

static void test_suspend_wait(void)
{
	count = 0;
	set_handler(SIGUSR1, counting, 0, NULL);
	block(SIGUSR1);
	int go[2];
	pipe(go);
	pid_t p = kt_fork();
	if (p == 0) {
		kt_wait_fd(go[0]);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	kt_signal_fd(go[1]);
	sigset_t none;
	sigemptyset(&none);
	CHECK_ERR("sigsuspend_eintr", sigsuspend(&none), EINTR);
	CHECK_EQ("sigsuspend_handler_ran", count, 1);
	CHECK_EQ("sigsuspend_mask_restored", is_blocked(SIGUSR1), 1);
	kt_wait(p);
	close(go[0]);
	close(go[1]);

	/* sigwaitinfo takes a blocked pending signal without running the handler. */
	count = 0;
	raise(SIGUSR1);
	sigset_t w;
	sigemptyset(&w);
	sigaddset(&w, SIGUSR1);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	/* Raw: glibc's sigwaitinfo folds SI_TKILL into SI_USER. */
	CHECK_EQ("sigwaitinfo_returns_signo", syscall(SYS_rt_sigtimedwait, &w, &si, NULL, 8),
		 SIGUSR1);
	CHECK_EQ("sigwaitinfo_si_signo", si.si_signo, SIGUSR1);
	CHECK_EQ("sigwaitinfo_si_code", si.si_code, SI_TKILL);
	CHECK("sigwaitinfo_si_pid", si.si_pid == getpid());
	CHECK_EQ("sigwaitinfo_no_handler", count, 0);
	CHECK_EQ("sigwaitinfo_consumed", is_pending(SIGUSR1), 0);
	raise(SIGUSR1);
	CHECK_EQ("glibc_sigwaitinfo", sigwaitinfo(&w, &si), SIGUSR1);
	CHECK_EQ("glibc_sigwaitinfo_folds_tkill", si.si_code, SI_USER);
	CHECK_ERR("rt_sigtimedwait_bad_size", syscall(SYS_rt_sigtimedwait, &w, &si, NULL, 4),
		  EINVAL);

	struct timespec ts = { 0, 20 * 1000 * 1000 };
	CHECK_ERR("sigtimedwait_timeout_eagain", sigtimedwait(&w, &si, &ts), EAGAIN);
	struct timespec bad = { 0, 1000000000 };
	CHECK_ERR("sigtimedwait_bad_timespec", sigtimedwait(&w, &si, &bad), EINVAL);
	struct timespec zero = { 0, 0 };
	CHECK_ERR("sigtimedwait_zero_poll", sigtimedwait(&w, &si, &zero), EAGAIN);
	raise(SIGUSR1);
	CHECK_EQ("sigtimedwait_pending", sigtimedwait(&w, &si, &zero), SIGUSR1);

	/* Another thread of control: the signal arrives while we wait. */
	p = kt_fork();
	if (p == 0) {
		sleep_ms(30);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	struct timespec longer = { 10, 0 };
	CHECK_EQ("sigtimedwait_woken", sigtimedwait(&w, &si, &longer), SIGUSR1);
	CHECK_EQ("sigtimedwait_woken_code", si.si_code, SI_USER);
	CHECK("sigtimedwait_woken_pid", si.si_pid == p);
	kt_wait(p);
	unblock(SIGUSR1);
	sig_default(SIGUSR1);
}

/* ---- SA_RESTART and EINTR ------------------------------------------------------------ */

/* A child that sends SIGUSR1 to us every 20 ms until told to stop, then (optionally)
 * writes a byte into data. */
static pid_t start_pester(int stop_fd, int data_fd)
{
	pid_t p = kt_fork();
	if (p == 0) {
		pid_t parent = getppid();
		fcntl(stop_fd, F_SETFL, O_NONBLOCK);
		char c;
		for (int i = 0; i < 500; i++) {
			kill(parent, SIGUSR1);
			sleep_ms(20);
			if (read(stop_fd, &c, 1) == 1)
				break;
			if (data_fd >= 0 && i == 5)
				kt_write_all(data_fd, "d", 1);
		}
		_exit(0);
	}
	return p;
}

static void test_restart(void)
{
	int data[2], stop[2];
	char c;
	pipe(data);
	pipe(stop);
	/* Without SA_RESTART: read is interrupted. */
	count = 0;
	set_handler(SIGUSR1, counting, 0, NULL);
	pid_t p = start_pester(stop[0], -1);
	CHECK_ERR("read_interrupted_eintr", read(data[0], &c, 1), EINTR);
	CHECK("read_interrupted_handler_ran", count >= 1);
	kt_signal_fd(stop[1]);
	kt_wait(p);

	/* With SA_RESTART: read carries on and returns the data written after several
	 * signals. */
	count = 0;
	set_handler(SIGUSR1, counting, SA_RESTART, NULL);
	p = start_pester(stop[0], data[1]);
	CHECK_EQ("read_restarted_returns_data", read(data[0], &c, 1), 1);
	CHECK("read_restarted_handler_ran", count >= 1);
	kt_signal_fd(stop[1]);
	kt_wait(p);

	/* nanosleep is never restarted: EINTR with the time left. */
	p = start_pester(stop[0], -1);
	struct timespec ts = { 20, 0 }, rem = { 0, 0 };
	CHECK_ERR("nanosleep_eintr_despite_restart", nanosleep(&ts, &rem), EINTR);
	CHECK("nanosleep_remaining", rem.tv_sec > 0 && rem.tv_sec <= 20);
	kt_signal_fd(stop[1]);
	kt_wait(p);

	/* pause() always returns EINTR. */
	p = start_pester(stop[0], -1);
	CHECK_ERR("pause_eintr", pause(), EINTR);
	kt_signal_fd(stop[1]);
	kt_wait(p);

	/* wait4 restarts with SA_RESTART: it returns the child only when it exits. */
	p = start_pester(stop[0], -1);
	pid_t q = kt_fork();
	if (q == 0) {
		sleep_ms(150);
		_exit(4);
	}
	int st;
	CHECK_EQ("waitpid_restarted", waitpid(q, &st, 0), q);
	CHECK_WSTATUS("waitpid_restarted_status", st, "exit 4");
	kt_signal_fd(stop[1]);
	kt_wait(p);

	/* Without SA_RESTART wait4 fails with EINTR. */
	set_handler(SIGUSR1, counting, 0, NULL);
	int hold[2];
	pipe(hold);
	q = kt_fork();
	if (q == 0) {
		kt_wait_fd(hold[0]);
		_exit(5);
	}
	p = start_pester(stop[0], -1);
	CHECK_ERR("waitpid_eintr", waitpid(q, &st, 0), EINTR);
	kt_signal_fd(stop[1]);
	kt_wait(p);
	kt_signal_fd(hold[1]);
	kt_wait(q);
	sig_default(SIGUSR1);
	close(data[0]);
	close(data[1]);
	close(stop[0]);
	close(stop[1]);
	close(hold[0]);
	close(hold[1]);
}

/* ---- sigaltstack --------------------------------------------------------------------- */

static char *alt_base;
static size_t alt_size;
static volatile int on_alt, alt_flags_in_handler;

static void alt_handler(int sig)
{
	(void)sig;
	volatile char local;
	on_alt = (&local >= alt_base && &local < alt_base + alt_size);
	stack_t cur;
	sigaltstack(NULL, &cur);
	alt_flags_in_handler = cur.ss_flags;
	/* Changing the stack while on it is refused. */
	stack_t again = { .ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0 };
	count = sigaltstack(&again, NULL) == -1 && errno == EPERM;
}

static void overflow_handler(int sig)
{
	(void)sig;
	volatile char local;
	_exit((&local >= alt_base && &local < alt_base + alt_size) ? 42 : 43);
}

static volatile int recurse_stop; /* never set: the recursion ends in SIGSEGV */

static int recurse(volatile char *p)
{
	volatile char buf[512];
	if (recurse_stop)
		return 0;
	buf[0] = p ? p[0] + 1 : 0;
	return recurse(buf) + buf[1];
}

static void test_altstack(void)
{
	alt_size = 64 * 1024;
	alt_base = mmap(NULL, alt_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			0);
	stack_t ss = { .ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0 }, old;
	stack_t q;
	CHECK_EQ("sigaltstack_initial_query", sigaltstack(NULL, &q), 0);
	CHECK_EQ("sigaltstack_initial_disabled", q.ss_flags, SS_DISABLE);
	CHECK_EQ("sigaltstack_set", sigaltstack(&ss, &old), 0);
	sigaltstack(NULL, &q);
	CHECK_EQ("sigaltstack_query_flags", q.ss_flags, 0);
	CHECK("sigaltstack_query_sp", q.ss_sp == alt_base && q.ss_size == alt_size);

	set_handler(SIGUSR1, alt_handler, SA_ONSTACK, NULL);
	on_alt = 0;
	raise(SIGUSR1);
	CHECK_EQ("onstack_handler_on_altstack", on_alt, 1);
	CHECK_EQ("onstack_flags_in_handler", alt_flags_in_handler, SS_ONSTACK);
	CHECK_EQ("onstack_change_while_on_eperm", count, 1);
	set_handler(SIGUSR1, alt_handler, 0, NULL);
	raise(SIGUSR1);
	CHECK_EQ("no_onstack_flag_normal_stack", on_alt, 0);
	sig_default(SIGUSR1);

	stack_t small = { .ss_sp = alt_base, .ss_size = 1024, .ss_flags = 0 };
	CHECK_ERR("sigaltstack_too_small_enomem", sigaltstack(&small, NULL), ENOMEM);
	stack_t badf = { .ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0x1234 };
	CHECK_ERR("sigaltstack_bad_flags_einval", sigaltstack(&badf, NULL), EINVAL);
	CHECK_ERR("sigaltstack_efault", sigaltstack((stack_t *)1, NULL), EFAULT);
	stack_t dis = { .ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE };
	CHECK_EQ("sigaltstack_disable", sigaltstack(&dis, NULL), 0);
	sigaltstack(NULL, &q);
	CHECK_EQ("sigaltstack_disabled_again", q.ss_flags, SS_DISABLE);

	/* Stack overflow caught on the alternate stack. */
	pid_t p = kt_fork();
	if (p == 0) {
		sigaltstack(&ss, NULL);
		set_handler(SIGSEGV, overflow_handler, SA_ONSTACK, NULL);
		struct rlimit rl = { 1 << 20, 1 << 20 };
		setrlimit(RLIMIT_STACK, &rl);
		recurse(NULL);
		_exit(1);
	}
	CHECK_WSTATUS("stack_overflow_handled_on_altstack", kt_wait(p), "exit 42");
	/* Without an alternate stack the overflow is fatal. */
	p = kt_fork();
	if (p == 0) {
		set_handler(SIGSEGV, overflow_handler, 0, NULL);
		struct rlimit rl = { 1 << 20, 1 << 20 };
		setrlimit(RLIMIT_STACK, &rl);
		recurse(NULL);
		_exit(1);
	}
	CHECK_WSTATUS("stack_overflow_no_altstack_kills", kt_wait(p), "signal SIGSEGV");
	munmap(alt_base, alt_size);
}

/* ---- registers across a handler ------------------------------------------------------ */

static void clobber_handler(int sig)
{
	(void)sig;
	__asm__ volatile("mov x9, #1\n mov x10, #2\n mov x11, #3\n mov x12, #4\n"
			 "mov x13, #5\n mov x14, #6\n mov x15, #7\n mov x19, #8\n"
			 "movi v0.2d, #0\n movi v1.2d, #0\n movi v8.2d, #0\n movi v16.2d, #0\n"
			 "movi v31.2d, #0\n"
			 ::: "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x19", "v0", "v1",
			 "v8", "v16", "v31");
	count++;
}

static void test_registers(void)
{
	set_handler(SIGUSR1, clobber_handler, 0, NULL);
	count = 0;
	uint64_t out[12];
	long pid = getpid();
	/* Load patterns, kill(self) with a raw svc (the handler runs on the way back),
	 * then store what the registers hold. */
	register long x0 __asm__("x0") = pid;
	register long x1 __asm__("x1") = SIGUSR1;
	register long x8 __asm__("x8") = SYS_kill;
	__asm__ volatile("movz x9, #0x1111\n movz x10, #0x2222\n movz x11, #0x3333\n"
			 "movz x12, #0x4444\n movz x13, #0x5555\n movz x14, #0x6666\n"
			 "movz x15, #0x7777\n movz x19, #0x8888\n"
			 "fmov d0, x9\n fmov d1, x10\n fmov d8, x11\n fmov d16, x12\n"
			 "fmov d31, x13\n"
			 "svc #0\n"
			 "stp x9, x10, [%[o], #0]\n stp x11, x12, [%[o], #16]\n"
			 "stp x13, x14, [%[o], #32]\n stp x15, x19, [%[o], #48]\n"
			 "str d0, [%[o], #64]\n str d1, [%[o], #72]\n str d8, [%[o], #80]\n"
			 "str d16, [%[o], #88]\n"
			 : "+r"(x0)
			 : "r"(x1), "r"(x8), [o] "r"(out)
			 : "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x19", "v0", "v1", "v8",
			   "v16", "v31", "memory");
	long ret = x0; /* before any call can reuse x0 */
	static const uint64_t want[12] = { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666,
					   0x7777, 0x8888, 0x1111, 0x2222, 0x3333, 0x4444 };
	CHECK_EQ("regs_handler_ran", count, 1);
	CHECK_EQ("regs_kill_returned_0", ret, 0);
	int same = 1;
	for (int i = 0; i < 12; i++)
		if (out[i] != want[i])
			same = 0;
	CHECK_EQ("regs_preserved_across_handler", same, 1);
	sig_default(SIGUSR1);
}

/* ---- sigaction itself ---------------------------------------------------------------- */

static void test_sigaction(void)
{
	struct sigaction sa, q;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = counting;
	CHECK_ERR("sigaction_sigkill_einval", sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERR("sigaction_sigstop_einval", sigaction(SIGSTOP, &sa, NULL), EINVAL);
	sa.sa_handler = SIG_IGN;
	CHECK_ERR("sigaction_sigkill_ign_einval", sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_EQ("sigaction_sigkill_query_ok", sigaction(SIGKILL, NULL, &q), 0);
	CHECK("sigaction_sigkill_is_default", q.sa_handler == SIG_DFL);
	sa.sa_handler = counting;
	CHECK_ERR("sigaction_sig0_einval", syscall(SYS_rt_sigaction, 0, &sa, NULL, 8), EINVAL);
	CHECK_ERR("sigaction_sig65_einval", syscall(SYS_rt_sigaction, 65, NULL, &q, 8), EINVAL);
	CHECK_ERR("sigaction_negative_einval", syscall(SYS_rt_sigaction, -1, NULL, &q, 8), EINVAL);
	CHECK_ERR("rt_sigaction_bad_size", syscall(SYS_rt_sigaction, SIGUSR1, NULL, &q, 4), EINVAL);
	CHECK_EQ("sigaction_sig64_ok", syscall(SYS_rt_sigaction, 64, NULL, &q, 8), 0);

	/* Flags and mask read back; SIGKILL/SIGSTOP dropped from sa_mask; unknown flag
	 * bits are not reported back. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = counting;
	sa.sa_flags = SA_RESTART | SA_NODEFER | SA_ONSTACK | 0x400;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGKILL);
	sigaddset(&sa.sa_mask, SIGSTOP);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGUSR1, &sa, NULL);
	memset(&q, 0, sizeof(q));
	sigaction(SIGUSR1, NULL, &q);
	CHECK("sigaction_handler_read_back", q.sa_handler == counting);
	CHECK_EQ("sigaction_flags_read_back",
		 q.sa_flags & (SA_RESTART | SA_NODEFER | SA_ONSTACK | SA_SIGINFO | SA_RESETHAND),
		 SA_RESTART | SA_NODEFER | SA_ONSTACK);
	CHECK_EQ("sigaction_unknown_flag_cleared", q.sa_flags & 0x400, 0);
	CHECK_EQ("sigaction_mask_keeps_sigterm", sigismember(&q.sa_mask, SIGTERM), 1);
	CHECK_EQ("sigaction_mask_drops_sigkill", sigismember(&q.sa_mask, SIGKILL), 0);
	CHECK_EQ("sigaction_mask_drops_sigstop", sigismember(&q.sa_mask, SIGSTOP), 0);
	/* The old action is returned by the same call that sets the new one. */
	struct sigaction n;
	memset(&n, 0, sizeof(n));
	n.sa_handler = SIG_IGN;
	sigaction(SIGUSR1, &n, &q);
	CHECK("sigaction_old_returned", q.sa_handler == counting);
	sig_default(SIGUSR1);
}

/* ---- fork and exec ------------------------------------------------------------------- */

static void test_fork_exec(void)
{
	/* Fork: mask and handlers inherited, pending signals not. */
	set_handler(SIGUSR1, counting, 0, NULL);
	signal(SIGUSR2, SIG_IGN);
	block(SIGTERM);
	raise(SIGTERM);
	pid_t p = kt_fork();
	if (p == 0) {
		struct sigaction a;
		sigaction(SIGUSR1, NULL, &a);
		int r = 0;
		r |= (a.sa_handler == counting) << 0;
		r |= is_blocked(SIGTERM) << 1;
		r |= (!is_pending(SIGTERM)) << 2;
		_exit(r);
	}
	CHECK_WSTATUS("fork_keeps_handlers_mask_not_pending", kt_wait(p), "exit 7");

	/* Exec: handlers reset, ignored stays ignored, mask and pending kept. */
	p = kt_fork();
	if (p == 0) {
		raise(SIGTERM); /* pending is not inherited by fork: make one for exec */
		char *argv[] = { kt_self_path, "report-exec", NULL };
		execv(kt_self_path, argv);
		_exit(127);
	}
	CHECK_WSTATUS("exec_resets_handlers_keeps_ign_mask_pending", kt_wait(p), "exit 15");
	/* Discard our own pending SIGTERM before unblocking it. */
	signal(SIGTERM, SIG_IGN);
	unblock(SIGTERM);
	sig_default(SIGTERM);
	sig_default(SIGUSR1);
	sig_default(SIGUSR2);
}

static int report_exec(void)
{
	struct sigaction a, b;
	sigaction(SIGUSR1, NULL, &a);
	sigaction(SIGUSR2, NULL, &b);
	int r = 0;
	r |= (a.sa_handler == SIG_DFL) << 0;
	r |= (b.sa_handler == SIG_IGN) << 1;
	r |= is_blocked(SIGTERM) << 2;
	r |= is_pending(SIGTERM) << 3;
	return r;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "report-exec") == 0)
		return report_exec();
	kt_begin("signal_handlers", 20);
	test_basic();
	test_masks();
	test_procmask();
	test_suspend_wait();
	test_restart();
	test_altstack();
	test_registers();
	test_sigaction();
	test_fork_exec();
	return kt_end();
}
