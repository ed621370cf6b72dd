/*
 * pidns: PID namespaces. clone(CLONE_NEWPID) and unshare(CLONE_NEWPID); numbers as seen
 * from inside (the first process is 1, its parent outside reads as 0, outer numbers name
 * nothing) and from outside (wait, SIGCHLD's si_pid and CLONE_PARENT_SETTID give the
 * outer number, the clone's return value); process groups and sessions across the
 * boundary; signals (si_pid 0 from outside, an init ignores SIGKILL from inside but not
 * from outside, kill(-1) stays inside); the namespace's init adopts orphans, and its exit
 * kills and reaps everyone else before its parent hears of it, after which nobody may
 * enter (ENOMEM); nesting to depth 32 (ENOSPC beyond); clone3's set_tid per level; the
 * EINVAL/EPERM/EEXIST rules. Prints relations only, never numbers that depend on the
 * machine. Runs as root.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>

#ifndef CLONE_NEWPID
#define CLONE_NEWPID 0x20000000
#endif

struct kt_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
		set_tid, set_tid_size, cgroup;
};

/* Numbers far above anything a fresh machine hands out, below pid_max (32768). */
#define FREE_NR_A 31000
#define FREE_NR_B 31001

static pid_t outer_self;		/* the test process's own number, before any clone */

/* fork into a new PID namespace: the child runs fn (on a copy of our stack, as fork). */
static long clone_newpid(unsigned long extra, int (*fn)(void *), void *arg)
{
	return kt_clone(CLONE_NEWPID | SIGCHLD | extra, 0, 0, 0, 0, fn, arg);
}

static long clone3_call(struct kt_clone_args *ca, int (*fn)(void *), void *arg)
{
	return kt_clone_raw(SYS_clone3, (long)ca, sizeof(*ca), 0, 0, 0, fn, arg);
}

static int is_pid_1(void *arg);

static int wait_status(pid_t p)
{
	return kt_wait(p);
}

/* ---- the first process of a namespace -------------------------------------------- */

static int init_basics(void *arg)
{
	(void)arg;
	CHECK_EQ("inside_getpid_is_1", getpid(), 1);
	CHECK_EQ("inside_gettid_is_1", syscall(SYS_gettid), 1);
	CHECK_EQ("inside_getppid_is_0", getppid(), 0);
	CHECK_EQ("inside_set_tid_address_is_1", syscall(SYS_set_tid_address, NULL), 1);
	/* Our group and session were inherited from outside: not visible here. */
	CHECK_EQ("inside_outer_pgrp_reads_0", getpgrp(), 0);
	CHECK_EQ("inside_outer_sid_reads_0", getsid(0), 0);
	CHECK_ERR("inside_outer_number_esrch", kill(outer_self, 0), ESRCH);
	CHECK_ERR("inside_outer_number_getpgid_esrch", getpgid(outer_self), ESRCH);
	CHECK_ERR("inside_outer_number_getpriority_esrch",
		  getpriority(PRIO_PROCESS, (id_t)outer_self), ESRCH);
	CHECK_ERR("inside_outer_number_sched_esrch", sched_getscheduler(outer_self), ESRCH);
	CHECK_EQ("inside_kill_self_by_1", kill(1, 0), 0);

	/* A child of ours is 2, and sees us as 1. */
	int pfd[2];
	pipe(pfd);
	pid_t c = fork();
	if (c == 0) {
		int r = (getpid() == 2) | (getppid() == 1) << 1 | (getpgrp() == 0) << 2;
		_exit(r);
	}
	CHECK_EQ("inside_fork_returns_2", c, 2);
	CHECK_EQ("inside_getpriority_child", getpriority(PRIO_PROCESS, 2), 0);
	int st;
	CHECK_EQ("inside_wait_returns_2", waitpid(-1, &st, 0), 2);
	CHECK_WSTATUS("inside_child_sees_2_and_1_and_pgrp_0", st, "exit 7");

	/* A session of our own: named 1 here. */
	CHECK_EQ("inside_setsid_is_1", setsid(), 1);
	CHECK_EQ("inside_getsid_is_1", getsid(0), 1);
	CHECK_EQ("inside_getpgrp_is_1", getpgrp(), 1);
	kt_child_exit();
}

static void test_clone_newpid(void)
{
	int ptid = 0, ctid = 0;
	long r = kt_clone(CLONE_NEWPID | CLONE_PARENT_SETTID | SIGCHLD, 0, &ptid, 0, &ctid,
			  init_basics, NULL);
	/* The child prints first: we only look once it is done. */
	int st;
	pid_t w = waitpid((pid_t)r, &st, 0);
	CHECK("clone_newpid_succeeds", r > 0);
	CHECK("clone_newpid_outer_number_not_1", r != 1);
	CHECK("parent_settid_is_outer_number", ptid == r);
	CHECK("wait_returns_clone_value", w == r);
	CHECK_WSTATUS("clone_newpid_child_checks", st, "exit 0");
}

/* CLONE_CHILD_SETTID writes the child's own number, as it sees it. */
static int report_child_tid(void *arg)
{
	return *(volatile int *)arg == 1 ? 0 : 1;
}

static void test_child_settid(void)
{
	int ctid = 0;
	long r = kt_clone(CLONE_NEWPID | CLONE_CHILD_SETTID | SIGCHLD, 0, 0, 0, &ctid,
			  report_child_tid, &ctid);
	CHECK_WSTATUS("child_settid_is_inner_number", wait_status((pid_t)r), "exit 0");
	CHECK_EQ("child_settid_not_in_parent_memory", ctid, 0);
}

/* The outside's view of a process in a namespace: its session (after setsid inside) is
 * its outer number; SIGCHLD's si_pid is the outer number; signals from outside arrive
 * with si_pid 0. */
static int setsid_then_wait_usr1(void *arg)
{
	int *fds = arg;
	sigset_t set;
	siginfo_t si;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	setsid();
	kt_signal_fd(fds[1]);
	if (sigwaitinfo(&set, &si) != SIGUSR1)
		return 1;
	return si.si_pid == 0 && si.si_code == SI_USER ? 0 : 2;
}

static void test_outside_view(void)
{
	int fds[2];
	sigset_t set, old;
	siginfo_t si;
	pipe(fds);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	long r = clone_newpid(0, setsid_then_wait_usr1, fds);
	kt_wait_fd(fds[0]);
	CHECK("outside_getsid_is_outer_number", getsid((pid_t)r) == r);
	CHECK("outside_getpgid_is_outer_number", getpgid((pid_t)r) == r);
	CHECK_SUCC("outside_kill_by_outer_number", kill((pid_t)r, SIGUSR1));
	CHECK_EQ("sigchld_arrives", sigwaitinfo(&set, &si), SIGCHLD);
	CHECK("sigchld_si_pid_is_outer_number", si.si_pid == r);
	CHECK_EQ("child_saw_si_pid_0_from_outside", si.si_status, 0);
	memset(&si, 0, sizeof(si));
	CHECK_SUCC("waitid_outer", waitid(P_PID, (id_t)r, &si, WEXITED));
	CHECK("waitid_si_pid_is_outer_number", si.si_pid == r);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fds[0]);
	close(fds[1]);
}

/* ---- signals inside ------------------------------------------------------------------ */

static int init_signals(void *arg)
{
	(void)arg;
	sigset_t set;
	siginfo_t si;
	/* Our parent blocks SIGTERM (below); we and ours take it. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);

	/* From inside: SIGKILL without a handler is ignored by the namespace's init; a
	 * signal it waits for carries the sender's inside number. */
	pid_t c = fork();
	if (c == 0) {
		int r = kill(1, SIGKILL) == 0;
		r |= (kill(1, SIGUSR1) == 0) << 1;
		_exit(r);
	}
	int st;
	waitpid(c, &st, 0);
	CHECK_WSTATUS("inside_kill_init_returns_0", st, "exit 3");
	CHECK_EQ("init_survives_sigkill_from_inside", sigwaitinfo(&set, &si), SIGUSR1);
	CHECK_EQ("inside_si_pid_is_inner_number", si.si_pid, 2);

	/* kill(-1) reaches everyone here but ourselves, and nobody outside. */
	int ready[2];
	pipe(ready);
	pid_t a = fork();
	if (a == 0) {
		kt_signal_fd(ready[1]);
		pause();
		_exit(0);
	}
	kt_wait_fd(ready[0]);
	CHECK_EQ("inside_kill_minus_1", kill(-1, SIGTERM), 0);
	waitpid(a, &st, 0);
	CHECK_WSTATUS("inside_kill_minus_1_reaches_sibling", st, "signal SIGTERM");
	kt_child_exit();
}

static void test_signals_inside(void)
{
	/* The outside must not see the kill(-1) above: we block and check SIGTERM. */
	sigset_t set, old, pend;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);
	long r = clone_newpid(0, init_signals, NULL);
	CHECK_WSTATUS("signals_inside_checks", wait_status((pid_t)r), "exit 0");
	sigpending(&pend);
	CHECK("kill_minus_1_inside_does_not_reach_outside", !sigismember(&pend, SIGTERM));
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* SIGKILL from outside does kill the namespace's init. */
static int pause_forever(void *arg)
{
	int *fds = arg;
	kt_signal_fd(fds[1]);
	for (;;)
		pause();
	return 0;
}

static void test_sigkill_from_outside(void)
{
	int fds[2];
	pipe(fds);
	long r = clone_newpid(0, pause_forever, fds);
	kt_wait_fd(fds[0]);
	CHECK_SUCC("outside_sigkill_init", kill((pid_t)r, SIGKILL));
	CHECK_WSTATUS("init_killed_from_outside", wait_status((pid_t)r), "signal SIGKILL");
	close(fds[0]);
	close(fds[1]);
}

/* ---- orphans and the end of a namespace ----------------------------------------------- */

/* X forks Y and exits; Y, adopted, sees the namespace's init as its parent, which
 * reaps it. */
static int init_adopts_ppid(void *arg)
{
	(void)arg;
	int go[2], res[2];
	pipe(go);
	pipe(res);
	pid_t x = fork();
	if (x == 0) {
		if (fork() == 0) {
			kt_wait_fd(go[0]);
			char c = (char)getppid();
			kt_write_all(res[1], &c, 1);
			_exit(5);
		}
		_exit(0);
	}
	int st;
	waitpid(x, &st, 0);
	kt_signal_fd(go[1]);
	char c = 0;
	kt_read_full(res[0], &c, 1);
	CHECK_EQ("orphan_parent_was_2", x, 2);
	CHECK_EQ("orphan_getppid_is_ns_init", c, 1);
	pid_t w = waitpid(-1, &st, 0);
	CHECK_EQ("ns_init_reaps_orphan", w, 3);
	CHECK_WSTATUS("orphan_exit_status", st, "exit 5");
	CHECK_ERR("nothing_left", waitpid(-1, &st, WNOHANG), ECHILD);
	kt_child_exit();
}

static void test_orphans(void)
{
	long r = clone_newpid(0, init_adopts_ppid, NULL);
	CHECK_WSTATUS("adopt_ppid_checks", wait_status((pid_t)r), "exit 0");
}

/* The init leaves children and grandchildren running: all of them are killed and gone
 * by the time its own exit is reported. They hold the write end of a pipe; its EOF
 * tells us they are all gone. */
static int init_leaves_family(void *arg)
{
	int *fds = arg;
	close(fds[0]);
	for (int i = 0; i < 3; i++) {
		if (fork() == 0) {
			if (i == 1 && fork() == 0) {
				for (;;)
					pause();
			}
			for (;;)
				pause();
		}
	}
	/* A grandchild of ours whose parent (our child) is gone: adopted by us, then
	 * killed too. */
	if (fork() == 0) {
		if (fork() == 0) {
			for (;;)
				pause();
		}
		_exit(0);
	}
	/* Signal readiness only when the whole family exists. */
	kt_signal_fd(fds[1]);
	close(fds[1]);
	return 9;
}

static void test_init_exit_kills_all(void)
{
	int fds[2];
	pipe(fds);
	long r = clone_newpid(0, init_leaves_family, fds);
	close(fds[1]);
	kt_wait_fd(fds[0]);
	CHECK_WSTATUS("init_exit_status", wait_status((pid_t)r), "exit 9");
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	char c;
	CHECK_EQ("everyone_in_ns_gone_when_init_reported", read(fds[0], &c, 1), 0);
	close(fds[0]);
}

/* ---- unshare ------------------------------------------------------------------------ */

static void unshare_child(void *arg)
{
	(void)arg;
	pid_t me = getpid();
	CHECK_SUCC("unshare_newpid", unshare(CLONE_NEWPID));
	CHECK_EQ("unshare_caller_keeps_its_number", getpid(), me);
	CHECK_ERR("unshare_newpid_twice_einval", unshare(CLONE_NEWPID), EINVAL);
	CHECK("clone_newpid_after_unshare_einval", clone_newpid(0, is_pid_1, NULL) == -EINVAL);
	/* Our threads would be in our namespace, our children are not. */
	static char stack[16384] __attribute__((aligned(16)));
	long t = kt_clone(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD,
			  stack + sizeof(stack), 0, 0, 0, is_pid_1, NULL);
	CHECK("thread_after_unshare_einval", t == -EINVAL);

	int go[2], ready[2];
	pipe(go);
	pipe(ready);
	/* B: the namespace's init. */
	pid_t b = fork();
	if (b == 0) {
		int r = (getpid() == 1) | (getppid() == 0) << 1;
		kt_signal_fd(ready[1]);
		kt_wait_fd(go[0]);
		_exit(r);
	}
	CHECK("unshare_first_child_outer_number", b > 1);
	kt_wait_fd(ready[0]);
	/* C: in the namespace too, with its parent (us) outside. */
	pid_t c = fork();
	if (c == 0) {
		if (getpid() == 2 && getppid() == 0)
			kt_signal_fd(ready[1]);
		for (;;)
			pause();	/* until B's exit kills us */
	}
	CHECK_EQ("second_child_sees_2_and_0", kt_wait_fd(ready[0]), 0);
	/* B exits; C dies of it, and B's exit is reported only once we have reaped C. */
	kt_signal_fd(go[1]);
	int st;
	CHECK_EQ("second_child_reaped_by_us", waitpid(c, &st, 0), c);
	CHECK_WSTATUS("second_child_killed_by_init_exit", st, "signal SIGKILL");
	CHECK_EQ("init_reaped", waitpid(b, &st, 0), b);
	CHECK_WSTATUS("init_saw_1_and_0", st, "exit 3");
	/* The namespace is over: nobody enters any more. */
	CHECK_ERR("fork_after_ns_init_exit_enomem", fork(), ENOMEM);
}

static void test_unshare(void)
{
	CHECK_WSTATUS("unshare_checks", kt_run_child(unshare_child, NULL), "exit 0");
}

/* ---- nesting ------------------------------------------------------------------------ */

/* Level n (1-based) of a chain of namespaces: prints what it sees, makes level n+1. */
static int nest(void *arg)
{
	long n = (long)arg;
	if (getpid() != 1 || getppid() != 0)
		return 100;
	if (n == 3) {
		/* A child of the deepest level: 2 here. */
		pid_t c = fork();
		if (c == 0)
			_exit(getpid() == 2 && getppid() == 1 ? 0 : 1);
		int st;
		waitpid(c, &st, 0);
		return c == 2 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 101;
	}
	/* Take a number first, so that the next level's init is 3 here, not 2. */
	pid_t dummy = fork();
	if (dummy == 0)
		_exit(0);
	long r = clone_newpid(0, nest, (void *)(n + 1));
	int st;
	waitpid((pid_t)r, &st, 0);
	waitpid(dummy, NULL, 0);
	if (r != 3)
		return 102;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 103;
}

static int depth_chain(void *arg)
{
	long n = (long)arg;	/* our level */
	int r = unshare(CLONE_NEWPID);
	if (r != 0)
		return errno == ENOSPC ? (int)n : 200;
	pid_t c = fork();
	if (c < 0)
		return 201;
	if (c == 0)
		return depth_chain((void *)(n + 1));
	int st;
	waitpid(c, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 202;
}

static int depth_chain_clone(void *arg)
{
	long n = (long)arg;
	long r = clone_newpid(0, depth_chain_clone, (void *)(n + 1));
	if (r < 0)
		return r == -ENOSPC ? (int)n : 200;
	int st;
	waitpid((pid_t)r, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 202;
}

static void test_nesting(void)
{
	long r = clone_newpid(0, nest, (void *)1);
	CHECK_WSTATUS("three_levels_each_sees_1_0_and_outer_3", wait_status((pid_t)r), "exit 0");
	/* Depth: the root is level 0; 32 levels below it, no more. */
	pid_t p = kt_fork();
	if (p == 0)
		_exit(depth_chain((void *)0));
	CHECK_WSTATUS("unshare_nests_to_level_32_then_enospc", wait_status(p), "exit 32");
	p = kt_fork();
	if (p == 0)
		_exit(depth_chain_clone((void *)0));
	CHECK_WSTATUS("clone_nests_to_level_32_then_enospc", wait_status(p), "exit 32");
}

/* ---- clone3 set_tid ------------------------------------------------------------------- */

static int is_pid_1(void *arg)
{
	(void)arg;
	return getpid() == 1 ? 0 : 1;
}

static int is_pid_5(void *arg)
{
	(void)arg;
	return getpid() == 5 && getppid() == 1 ? 0 : 1;
}

static int init_set_tid(void *arg)
{
	(void)arg;
	/* In a namespace with an init: a number here and one outside, both chosen. */
	int tids[2] = { 5, FREE_NR_B };
	struct kt_clone_args ca = { .exit_signal = SIGCHLD, .set_tid = (uintptr_t)tids,
				    .set_tid_size = 2 };
	long r = clone3_call(&ca, is_pid_5, NULL);
	CHECK_EQ("set_tid_inside_returns_inner_number", r, 5);
	int st;
	waitpid(5, &st, 0);
	CHECK_WSTATUS("set_tid_inside_child_is_5", st, "exit 0");
	/* Only as many numbers as levels (ours and the root). */
	int three[3] = { 6, 31002, 31003 };
	ca.set_tid = (uintptr_t)three;
	ca.set_tid_size = 3;
	CHECK_EQ("set_tid_more_than_levels_einval", clone3_call(&ca, is_pid_5, NULL), -EINVAL);
	/* Taken here. */
	int taken[1] = { 1 };
	ca.set_tid = (uintptr_t)taken;
	ca.set_tid_size = 1;
	CHECK_EQ("set_tid_taken_eexist", clone3_call(&ca, is_pid_5, NULL), -EEXIST);
	kt_child_exit();
}

static void test_set_tid(void)
{
	int tids[2] = { 1, FREE_NR_A };
	struct kt_clone_args ca = { .flags = CLONE_NEWPID, .exit_signal = SIGCHLD,
				    .set_tid = (uintptr_t)tids, .set_tid_size = 2 };
	long r = clone3_call(&ca, is_pid_1, NULL);
	CHECK_EQ("set_tid_newpid_returns_outer_choice", r, FREE_NR_A);
	CHECK_WSTATUS("set_tid_newpid_child_is_1", wait_status((pid_t)r), "exit 0");

	/* A new namespace has no init yet: only 1 may be asked for there. */
	int two[2] = { 2, FREE_NR_A };
	ca.set_tid = (uintptr_t)two;
	CHECK_EQ("set_tid_newpid_not_1_einval", clone3_call(&ca, is_pid_1, NULL), -EINVAL);
	/* Our own number is taken outside. */
	int ours[2] = { 1, outer_self };
	ca.set_tid = (uintptr_t)ours;
	CHECK_EQ("set_tid_newpid_outer_taken_eexist", clone3_call(&ca, is_pid_1, NULL), -EEXIST);
	/* Two numbers for one level. */
	ca.flags = 0;
	ca.set_tid = (uintptr_t)tids;
	CHECK_EQ("set_tid_two_for_one_level_einval", clone3_call(&ca, is_pid_1, NULL), -EINVAL);

	ca.flags = CLONE_NEWPID;
	ca.set_tid = 0;
	ca.set_tid_size = 0;
	r = clone3_call(&ca, init_set_tid, NULL);
	CHECK_WSTATUS("set_tid_inside_checks", wait_status((pid_t)r), "exit 0");
}

/* ---- errors ------------------------------------------------------------------------- */

static int sibling_of_init(void *arg)
{
	(void)arg;
	/* An init may not make siblings: nobody would reap them. */
	long r = kt_clone(CLONE_PARENT | SIGCHLD, 0, 0, 0, 0, is_pid_1, NULL);
	return r == -EINVAL ? 0 : 1;
}

static void unprivileged(void *arg)
{
	(void)arg;
	CHECK_SUCC("drop_root", setresuid(1000, 1000, 1000));
	CHECK_ERR("unshare_newpid_unprivileged_eperm", unshare(CLONE_NEWPID), EPERM);
	long r = clone_newpid(0, is_pid_1, NULL);
	CHECK("clone_newpid_unprivileged_eperm", r == -EPERM);
	int tids[1] = { FREE_NR_A };
	struct kt_clone_args ca = { .exit_signal = SIGCHLD, .set_tid = (uintptr_t)tids,
				    .set_tid_size = 1 };
	CHECK_EQ("set_tid_unprivileged_eperm", clone3_call(&ca, is_pid_1, NULL), -EPERM);
}

static void test_errors(void)
{
	static char stack[16384] __attribute__((aligned(16)));
	long r = kt_clone(CLONE_NEWPID | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
				  CLONE_THREAD,
			  stack + sizeof(stack), 0, 0, 0, is_pid_1, NULL);
	CHECK("clone_newpid_thread_einval", r == -EINVAL);
	r = clone_newpid(0, sibling_of_init, NULL);
	CHECK_WSTATUS("ns_init_clone_parent_einval", wait_status((pid_t)r), "exit 0");
	CHECK_ERR("unshare_unknown_flag_einval", unshare(0x80000000UL | 0x40), EINVAL);
	CHECK_WSTATUS("unprivileged_checks", kt_run_child(unprivileged, NULL), "exit 0");
}

int main(void)
{
	kt_begin("pidns", 120);
	outer_self = getpid();
	test_clone_newpid();
	test_child_settid();
	test_outside_view();
	test_signals_inside();
	test_sigkill_from_outside();
	test_orphans();
	test_init_exit_kills_all();
	test_unshare();
	test_nesting();
	test_set_tid();
	test_errors();
	return kt_end();
}
