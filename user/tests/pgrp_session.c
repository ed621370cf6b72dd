/*
 * pgrp_session: process groups and sessions. Everything runs in a child that starts its
 * own session first (so it does not matter how the test was started): getsid/getpgid/
 * getpgrp, setpgid moves within a session, and its errors (EPERM for a session leader,
 * for another session, for a group that does not exist; ESRCH for a process that is not
 * a child; EACCES once the child has exec'd; EINVAL), setsid (EPERM for a group leader,
 * and while a group with the caller's PID still exists), and inheritance across fork.
 * kill(0)/kill(-pgrp) are in signal_kill.
 */
#include "ktest_user.h"

#include <fcntl.h>

static int token[2];

static void checks(void)
{
	pid_t c = getpid();
	CHECK_EQ("setsid_new_session", setsid(), c);
	CHECK("getsid_is_self", getsid(0) == c);
	CHECK("getsid_self_pid", getsid(c) == c);
	CHECK("getpgrp_is_self", getpgrp() == c);
	CHECK("getpgid_0_is_self", getpgid(0) == c);
	CHECK_ERR("setsid_again_eperm", setsid(), EPERM);
	CHECK_ERR("setpgid_session_leader_eperm", setpgid(0, 0), EPERM);
	CHECK_ERR("setpgid_session_leader_other_eperm", setpgid(0, 0x3ffffff0), EPERM);
	CHECK_ERR("getpgid_no_such_esrch", getpgid(0x3ffffff0), ESRCH);
	CHECK_ERR("getsid_no_such_esrch", getsid(0x3ffffff0), ESRCH);
	CHECK_ERR("setpgid_negative_pid_einval", setpgid(-1, 0), EINVAL);
	CHECK_ERR("setpgid_negative_pgid_einval", setpgid(0, -1), EINVAL);
	CHECK_ERR("setpgid_not_child_esrch", setpgid(getppid(), getppid()), ESRCH);
	CHECK_ERR("setpgid_init_esrch", setpgid(1, 1), ESRCH);

	/* A child D moves itself around, then leaves for its own session; results come
	 * back as bits of its exit status. */
	pid_t d = fork();
	if (d == 0) {
		alarm(20);
		int r = 0;
		pid_t me = getpid();
		r |= (getsid(0) == c && getpgrp() == c) << 0;
		r |= (setpgid(0, 0) == 0 && getpgrp() == me) << 1;
		r |= (setpgid(0, c) == 0 && getpgrp() == c) << 2;
		r |= (setpgid(0, 0x3ffffff0) == -1 && errno == EPERM) << 3;
		r |= (setsid() == me && getsid(0) == me && getpgrp() == me) << 4;
		r |= (setpgid(0, c) == -1 && errno == EPERM) << 5;
		_exit(r);
	}
	int st;
	waitpid(d, &st, 0);
	CHECK_WSTATUS("child_moves_between_groups", st, "exit 63");

	/* The parent moves its child into a new group, and into an existing one. */
	pipe(token);
	pid_t e = fork();
	if (e == 0) {
		alarm(20);
		kt_wait_fd(token[0]);
		_exit(getpgrp() == c ? 0 : 1);
	}
	pid_t f = fork();
	if (f == 0) {
		alarm(20);
		kt_wait_fd(token[0]);
		_exit(0);
	}
	CHECK_EQ("setpgid_child_new_group", setpgid(e, e), 0);
	CHECK("getpgid_child", getpgid(e) == e);
	CHECK_EQ("setpgid_child_into_existing", setpgid(f, e), 0);
	CHECK("getpgid_child_joined", getpgid(f) == e);
	CHECK_EQ("setpgid_child_back", setpgid(e, c), 0);
	CHECK("group_survives_leader_leaving", getpgid(f) == e);
	/* kill(-e) reaches f though e is no longer in it. */
	CHECK_EQ("kill_group_without_leader", kill(-e, 0), 0);
	CHECK_ERR("setpgid_into_missing_group_eperm", setpgid(f, 0x3ffffff0), EPERM);
	kt_signal_fd(token[1]);
	kt_signal_fd(token[1]);
	waitpid(e, &st, 0);
	CHECK_WSTATUS("child_saw_group_back", st, "exit 0");
	waitpid(f, &st, 0);

	/* setsid fails while a group with the caller's PID exists. */
	pid_t g = fork();
	if (g == 0) {
		alarm(20);
		pid_t me = getpid();
		setpgid(0, 0);
		int hold[2];
		pipe(hold);
		pid_t h = fork();
		if (h == 0) {
			close(hold[1]);
			kt_wait_fd(hold[0]); /* stays in group `me` */
			_exit(0);
		}
		setpgid(0, c); /* the leader leaves; h keeps group me alive */
		int r = (setsid() == -1 && errno == EPERM);
		close(hold[1]);
		waitpid(h, NULL, 0);
		(void)me;
		_exit(r ? 0 : 1);
	}
	waitpid(g, &st, 0);
	CHECK_WSTATUS("setsid_while_own_group_exists_eperm", st, "exit 0");

	/* A child in another session cannot be moved. */
	int ready[2];
	pipe(ready);
	pid_t s = fork();
	if (s == 0) {
		alarm(20);
		setsid();
		kt_signal_fd(ready[1]);
		kt_wait_fd(token[0]);
		_exit(0);
	}
	kt_wait_fd(ready[0]);
	CHECK_ERR("setpgid_child_other_session_eperm", setpgid(s, c), EPERM);
	CHECK("getsid_other_session_allowed", getsid(s) == s);
	kt_signal_fd(token[1]);
	waitpid(s, &st, 0);

	/* After the child has exec'd, the parent may no longer change its group. */
	int fds[2];
	pipe(fds);
	pid_t x = fork();
	if (x == 0) {
		alarm(20);
		close(fds[1]);
		char fdarg[16];
		snprintf(fdarg, sizeof(fdarg), "%d", fds[0]);
		char *av[] = { kt_self_path, "wait-fd", fdarg, NULL };
		execv(kt_self_path, av);
		_exit(127);
	}
	close(fds[0]);
	/* Wait for the exec: then the group change is refused. */
	int r = -1, e2 = 0;
	for (int i = 0; i < 10000; i++) {
		r = setpgid(x, x);
		e2 = errno;
		if (r == -1)
			break;
		setpgid(x, c);
		usleep(1000);
	}
	CHECK("setpgid_after_exec_eacces", r == -1 && e2 == EACCES);
	close(fds[1]);
	waitpid(x, &st, 0);

	/* Groups and sessions are inherited by fork. */
	pid_t y = fork();
	if (y == 0)
		_exit(getpgrp() == c && getsid(0) == c ? 0 : 1);
	waitpid(y, &st, 0);
	CHECK_WSTATUS("fork_inherits_group_and_session", st, "exit 0");
	kt_child_exit();
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "wait-fd") == 0) {
		kt_wait_fd(atoi(argv[2]));
		return 0;
	}
	kt_begin("pgrp_session", 20);
	pid_t c = kt_fork();
	if (c == 0)
		checks();
	CHECK_WSTATUS("session_checks", kt_wait(c), "exit 0");
	return kt_end();
}
