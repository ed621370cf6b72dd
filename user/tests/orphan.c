/*
 * orphan: zombies (still signalable until reaped, then ESRCH), orphans reparented to init
 * (getppid() becomes 1 after the parent dies: assumes no child subreaper above the test),
 * a thread-group leader that exits before its threads (the parent's wait waits for the
 * whole group and reports the exit code of the last thread, as Linux 6.1 does), and exit of the parent not killing its
 * children.
 */
#include "ktest_user.h"

#include <pthread.h>
#include <time.h>

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void test_zombie(void)
{
	int eof[2];
	pipe(eof);
	pid_t p = kt_fork();
	if (p == 0) {
		close(eof[0]);
		_exit(3);
	}
	close(eof[1]);
	char c;
	while (read(eof[0], &c, 1) > 0)
		;
	close(eof[0]);
	/* Now (or very soon) a zombie: still there for kill(0) and getpgid. */
	siginfo_t si;
	CHECK_EQ("zombie_waitable_nowait", waitid(P_PID, p, &si, WEXITED | WNOWAIT), 0);
	CHECK_EQ("zombie_kill_0", kill(p, 0), 0);
	CHECK_EQ("zombie_kill_sigkill_ignored", kill(p, SIGKILL), 0);
	CHECK("zombie_getpgid", getpgid(p) == getpgrp());
	CHECK("zombie_getsid", getsid(p) == getsid(0));
	int st;
	CHECK_EQ("zombie_reap", waitpid(p, &st, 0), p);
	CHECK_WSTATUS("zombie_status_kept", st, "exit 3");
	CHECK_ERR("reaped_kill_esrch", kill(p, 0), ESRCH);
	CHECK_ERR("reaped_getpgid_esrch", getpgid(p), ESRCH);
}

/* A forks B and dies; B reports its parent before and after, through a pipe. */
static void test_reparent_to_init(void)
{
	int res[2];
	pipe(res);
	pid_t a = kt_fork();
	if (a == 0) {
		int go[2], ready[2];
		pipe(go);
		pipe(ready);
		pid_t apid = getpid();
		pid_t b = fork();
		if (b == 0) {
			alarm(20);
			close(go[1]);
			int before = getppid() == apid;
			kt_signal_fd(ready[1]);
			kt_wait_fd(go[0]); /* EOF when A is gone */
			int waited = 0;
			while (getppid() == apid && waited < 10000) {
				sleep_ms(1);
				waited++;
			}
			int r[3] = { before, getppid() != apid, getppid() == 1 };
			kt_write_all(res[1], (char *)r, sizeof(r));
			_exit(0);
		}
		kt_wait_fd(ready[0]);
		_exit(b > 0 ? 0 : 1); /* closes go[1]: B's read sees EOF */
	}
	close(res[1]);
	CHECK_WSTATUS("orphan_parent_exit", kt_wait(a), "exit 0");
	int r[3] = { -1, -1, -1 };
	CHECK_EQ("orphan_report", kt_read_full(res[0], r, sizeof(r)), sizeof(r));
	CHECK_EQ("orphan_ppid_before", r[0], 1);
	CHECK_EQ("orphan_ppid_changed", r[1], 1);
	CHECK_EQ("orphan_ppid_is_init", r[2], 1);
	close(res[0]);
	/* The orphan was never our child. */
	CHECK_ERR("orphan_not_ours", waitpid(-1, NULL, WNOHANG), ECHILD);
}

/* A parent that dies does not take its children with it (no SIGHUP without a session
 * and terminal), and a child whose parent died keeps running: here it reports through a
 * pipe after the parent is gone. */
static void test_child_survives(void)
{
	int res[2];
	pipe(res);
	pid_t a = kt_fork();
	if (a == 0) {
		pid_t pp = getpid();
		pid_t b = fork();
		if (b == 0) {
			alarm(20);
			while (getppid() == pp)
				sleep_ms(1);
			kt_write_all(res[1], "alive", 5);
			_exit(0);
		}
		_exit(0);
	}
	close(res[1]);
	kt_wait(a);
	char buf[8] = { 0 };
	CHECK_EQ("orphan_keeps_running", kt_read_full(res[0], buf, 5), 5);
	CHECK_STR("orphan_message", buf, "alive");
	close(res[0]);
}

static int leader_pipe[2], thread_pipe[2];
static pthread_t main_thread;

static void *late_thread(void *arg)
{
	(void)arg;
	/* Wait for the leader to be gone (its TID word is cleared by the kernel). */
	pthread_join(main_thread, NULL);
	kt_signal_fd(leader_pipe[1]);
	kt_wait_fd(thread_pipe[0]);
	syscall(SYS_exit, 5);
	return NULL;
}

static void test_zombie_leader(void)
{
	pipe(leader_pipe);
	pipe(thread_pipe);
	pid_t p = kt_fork();
	if (p == 0) {
		pthread_t t;
		main_thread = pthread_self();
		pthread_create(&t, NULL, late_thread, NULL);
		syscall(SYS_exit, 3); /* the leader alone */
		_exit(99);
	}
	CHECK_EQ("leader_gone_thread_alive", kt_wait_fd(leader_pipe[0]), 0);
	int st;
	/* The group is not finished: nothing to reap yet. */
	CHECK_EQ("leader_zombie_not_reaped", waitpid(p, &st, WNOHANG), 0);
	CHECK_EQ("leader_zombie_kill_0", kill(p, 0), 0);
	kt_signal_fd(thread_pipe[1]);
	CHECK_EQ("group_reaped", waitpid(p, &st, 0), p);
	/* Linux reports the code of the last thread to exit, not the leader's. */
	CHECK_WSTATUS("group_status_is_last_thread_code", st, "exit 5");
	close(leader_pipe[0]);
	close(leader_pipe[1]);
	close(thread_pipe[0]);
	close(thread_pipe[1]);
}

int main(void)
{
	kt_begin("orphan", 20);
	test_zombie();
	test_reparent_to_init();
	test_child_survives();
	test_zombie_leader();
	return kt_end();
}
