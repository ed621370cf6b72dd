/*
 * vfork: the parent is suspended until the child exits or execs, the memory is shared
 * until then, the child has its own PID, an exec failure is seen through shared memory,
 * and signals to the suspended parent wait until it resumes.
 */
#include "ktest_user.h"

#include <time.h>

static volatile int shared_val;
static volatile int child_pid_seen;
static volatile int handler_saw;

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void test_shared_and_suspended(void)
{
	volatile int local = 0;
	shared_val = 0;
	pid_t p = vfork();
	if (p == 0) {
		sleep_ms(50);
		shared_val = 1;
		local = 2;
		child_pid_seen = getpid();
		_exit(6);
	}
	CHECK("vfork_returned_pid", p > 0);
	CHECK_EQ("vfork_parent_resumed_after_exit_global", shared_val, 1);
	CHECK_EQ("vfork_parent_resumed_after_exit_local", local, 2);
	CHECK("vfork_child_own_pid", child_pid_seen == p && p != getpid());
	CHECK_WSTATUS("vfork_child_status", kt_wait(p), "exit 6");
}

static void test_exec(void)
{
	/* The exec'd child blocks until we write to it: we can only do so if vfork
	 * returned at the exec. */
	int fds[2];
	pipe(fds);
	char fdarg[16];
	snprintf(fdarg, sizeof(fdarg), "%d", fds[0]);
	shared_val = 0;
	pid_t p = vfork();
	if (p == 0) {
		shared_val = 5;
		char *argv[] = { kt_self_path, "wait-fd", fdarg, NULL };
		execv(kt_self_path, argv);
		_exit(127);
	}
	CHECK_EQ("vfork_exec_pre_exec_write_visible", shared_val, 5);
	kt_signal_fd(fds[1]);
	CHECK_WSTATUS("vfork_exec_child_status", kt_wait(p), "exit 12");
	close(fds[0]);
	close(fds[1]);

	/* A failed exec leaves the child in our memory: its errno is ours to see. */
	shared_val = 0;
	p = vfork();
	if (p == 0) {
		char *argv[] = { "/nonexistent/prog", NULL };
		execv(argv[0], argv);
		shared_val = errno;
		_exit(127);
	}
	CHECK_STR("vfork_exec_fail_errno", kt_errname(shared_val), "ENOENT");
	CHECK_WSTATUS("vfork_exec_fail_status", kt_wait(p), "exit 127");
}

static void test_killed_child(void)
{
	shared_val = 0;
	pid_t p = vfork();
	if (p == 0) {
		shared_val = 1;
		kill(getpid(), SIGKILL);
		_exit(1);
	}
	CHECK_EQ("vfork_killed_child_ran", shared_val, 1);
	CHECK_WSTATUS("vfork_killed_child_status", kt_wait(p), "signal SIGKILL");
}

static void on_usr1(int sig)
{
	(void)sig;
	handler_saw = shared_val;
}

static void test_signal_deferred(void)
{
	signal(SIGUSR1, on_usr1);
	shared_val = 0;
	handler_saw = -1;
	pid_t p = vfork();
	if (p == 0) {
		kill(getppid(), SIGUSR1);
		sleep_ms(30);
		shared_val = 1;
		_exit(0);
	}
	/* The handler ran only when vfork returned, after the child's last write. */
	CHECK_EQ("vfork_parent_signal_deferred", handler_saw, 1);
	CHECK_WSTATUS("vfork_signal_child_status", kt_wait(p), "exit 0");
	signal(SIGUSR1, SIG_DFL);
}

static void test_many(void)
{
	/* Several vforks in a row, each child's exit status distinct. */
	int ok = 1;
	for (int i = 0; i < 20; i++) {
		pid_t p = vfork();
		if (p == 0)
			_exit(i);
		int st = kt_wait(p);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != i)
			ok = 0;
	}
	CHECK_EQ("vfork_twenty_in_a_row", ok, 1);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "wait-fd") == 0) {
		kt_wait_fd(atoi(argv[2]));
		return 12;
	}
	kt_begin("vfork", 20);
	test_shared_and_suspended();
	test_exec();
	test_killed_child();
	test_signal_deferred();
	test_many();
	return kt_end();
}
