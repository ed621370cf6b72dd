/*
 * rlimit_inherit: limits pass to a forked child and a thread, survive execve (this
 * program re-exec'd with "show" prints them), RLIMIT_STACK bounds exec's argument space
 * (a quarter of it, at least ARG_MAX), and prlimit64 on other processes: reading and
 * setting a child's limits, permission (the caller's real uid and gid must match all of
 * the target's, or root), raising a hard limit, soft above hard, unknown pid/resource.
 */
#include "ktest_user.h"

#include <grp.h>
#include <pthread.h>

static const int shown[] = { RLIMIT_NOFILE, RLIMIT_STACK, RLIMIT_FSIZE, RLIMIT_DATA,
			     RLIMIT_AS, RLIMIT_CORE, RLIMIT_NICE, RLIMIT_MEMLOCK };
#define NSHOWN (int)(sizeof(shown) / sizeof(shown[0]))

static void set_limit(int res, unsigned long cur, unsigned long max)
{
	struct rlimit rl = { cur, max };
	if (setrlimit(res, &rl))
		kt_printf("setrlimit %d failed: %s\n", res, kt_errname(errno));
}

static const char *lim(unsigned long v)
{
	static char bufs[2][32];
	static int n;
	char *b = bufs[n++ & 1];
	if (v == RLIM_INFINITY)
		return "unlimited";
	snprintf(b, 32, "%lu", v);
	return b;
}

static void show(const char *who)
{
	for (int i = 0; i < NSHOWN; i++) {
		struct rlimit rl;
		getrlimit(shown[i], &rl);
		kt_printf("%s %d: %s %s\n", who, shown[i], lim(rl.rlim_cur), lim(rl.rlim_max));
	}
}

static void set_test_limits(void)
{
	set_limit(RLIMIT_NOFILE, 100, 200);
	set_limit(RLIMIT_STACK, 1 << 20, 4 << 20);
	set_limit(RLIMIT_FSIZE, 1 << 30, RLIM_INFINITY);
	set_limit(RLIMIT_DATA, 1UL << 32, 1UL << 33);
	set_limit(RLIMIT_AS, 1UL << 34, RLIM_INFINITY);
	set_limit(RLIMIT_NICE, 5, 10);
	set_limit(RLIMIT_MEMLOCK, 1 << 16, 1 << 17);
}

static void *thread_show(void *a)
{
	show("thread");
	return NULL;
}

static void *thread_set(void *a)
{
	set_limit(RLIMIT_NOFILE, 90, 200);
	return NULL;
}

static void t_fork_thread_exec(void *arg)
{
	set_test_limits();
	pid_t c = kt_fork();
	if (c == 0) {
		show("child");
		_exit(0);
	}
	kt_wait(c);
	pthread_t t;
	pthread_create(&t, NULL, thread_show, NULL);
	pthread_join(t, NULL);
	/* A thread's setrlimit is the whole process's. */
	pthread_create(&t, NULL, thread_set, NULL);
	pthread_join(t, NULL);
	char *argv[] = { kt_self_path, "show", NULL };
	execv(kt_self_path, argv);
	kt_fail("exec_show", "%s", kt_errname(errno));
	kt_child_exit();
}

/* Arguments of total size len (in 1000-byte strings) under RLIMIT_STACK stack. */
static int exec_with_args(unsigned long stack, size_t len)
{
	static char s[1000];
	size_t n = len / sizeof(s);
	char **argv = calloc(n + 3, sizeof(char *));
	memset(s, 'a', sizeof(s) - 1);
	argv[0] = kt_self_path;
	argv[1] = "quiet";
	for (size_t i = 0; i < n; i++)
		argv[i + 2] = s;
	pid_t c = kt_fork();
	if (c == 0) {
		set_limit(RLIMIT_STACK, stack, RLIM_INFINITY);
		execv(kt_self_path, argv);
		_exit(errno == E2BIG ? 3 : 4);
	}
	free(argv);
	return kt_wait(c);
}

static void t_exec_stack(void *arg)
{
	/* A quarter of 1 MiB: 256 KiB of strings. */
	CHECK_WSTATUS("exec_stack_1m_200k_args", exec_with_args(1 << 20, 200000), "exit 0");
	CHECK_WSTATUS("exec_stack_1m_300k_args", exec_with_args(1 << 20, 300000), "exit 3");
	/* Below 512 KiB the quarter is less than ARG_MAX (128 KiB), which is allowed, but the
	 * strings are on the new stack, which may not grow past the limit. */
	CHECK_WSTATUS("exec_stack_256k_100k_args", exec_with_args(1 << 18, 100000), "exit 0");
	CHECK_WSTATUS("exec_stack_256k_140k_args", exec_with_args(1 << 18, 140000), "exit 3");
	CHECK_WSTATUS("exec_stack_64k_40k_args", exec_with_args(1 << 16, 40000), "exit 0");
	CHECK_WSTATUS("exec_stack_64k_100k_args", exec_with_args(1 << 16, 100000), "exit 3");
	CHECK_WSTATUS("exec_stack_8m_1m_args", exec_with_args(8 << 20, 1000000), "exit 0");
	kt_child_exit();
}

/* ---- prlimit64 on others ---- */

static long sys_prlimit(pid_t pid, int res, const struct rlimit *n, struct rlimit *o)
{
	return syscall(SYS_prlimit64, pid, res, n, o);
}

/* A child with ids (r, e, s) for both uid and gid, waiting for EOF on a pipe. */
struct target {
	pid_t pid;
	int wfd;
};

static struct target spawn(uid_t r, uid_t e, uid_t s, gid_t g)
{
	struct target t;
	int p[2], ready[2];
	pipe(p);
	pipe(ready);
	t.pid = kt_fork();
	if (t.pid == 0) {
		char c;
		/* Only our own pipe: EOF comes when our parent closes it. */
		for (int fd = 3; fd < 64; fd++)
			if (fd != p[0] && fd != ready[1])
				close(fd);
		if (setgroups(0, NULL) || setresgid(g, g, g) || setresuid(r, e, s))
			_exit(9);
		kt_signal_fd(ready[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	kt_wait_fd(ready[0]);
	close(ready[0]);
	close(ready[1]);
	t.wfd = p[1];
	return t;
}

static void finish(struct target *t, const char *name)
{
	close(t->wfd);
	CHECK_WSTATUS(name, kt_wait(t->pid), "exit 0");
}

static void t_prlimit_root(void *arg)
{
	struct rlimit old, n = { 50, 60 };
	struct target t = spawn(1000, 1000, 1000, 1000);

	CHECK_SUCC("prlimit_root_get_other", sys_prlimit(t.pid, RLIMIT_NOFILE, NULL, &old));
	CHECK_EQ("prlimit_root_get_value", old.rlim_cur, 1024);
	CHECK_SUCC("prlimit_root_set_other", sys_prlimit(t.pid, RLIMIT_NOFILE, &n, &old));
	CHECK_SUCC("prlimit_root_read_back", sys_prlimit(t.pid, RLIMIT_NOFILE, NULL, &old));
	CHECK("prlimit_root_value", old.rlim_cur == 50 && old.rlim_max == 60);
	n.rlim_max = 100000;
	CHECK_SUCC("prlimit_root_raise_hard_other", sys_prlimit(t.pid, RLIMIT_NOFILE, &n, NULL));
	n.rlim_cur = 70;
	n.rlim_max = 60;
	CHECK_ERR("prlimit_soft_above_hard", sys_prlimit(t.pid, RLIMIT_NOFILE, &n, NULL), EINVAL);
	CHECK_ERR("prlimit_bad_resource", sys_prlimit(t.pid, 16, NULL, &old), EINVAL);
	CHECK_ERR("prlimit_bad_pointer", sys_prlimit(t.pid, RLIMIT_NOFILE, NULL, (void *)8), EFAULT);
	CHECK_ERR("prlimit_bad_new_pointer", sys_prlimit(t.pid, RLIMIT_NOFILE, (void *)8, NULL),
		  EFAULT);
	finish(&t, "prlimit_root_target_exit");
	CHECK_ERR("prlimit_reaped", sys_prlimit(t.pid, RLIMIT_NOFILE, NULL, &old), ESRCH);
	kt_child_exit();
}

static void t_prlimit_user(void *arg)
{
	struct rlimit old, n = { 50, 60 };
	pid_t root_pid = getppid();	/* the test itself, root */
	struct target same = spawn(1000, 1000, 1000, 1000);
	struct target other = spawn(1001, 1001, 1001, 1001);
	struct target saved_root = spawn(1000, 1000, 0, 1000);	/* saved uid 0 */
	struct target other_gid = spawn(1000, 1000, 1000, 1001);

	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		kt_printf("drop failed\n");
	CHECK_ERR("prlimit_user_get_root", sys_prlimit(root_pid, RLIMIT_NOFILE, NULL, &old), EPERM);
	CHECK_ERR("prlimit_user_set_root", sys_prlimit(root_pid, RLIMIT_NOFILE, &n, NULL), EPERM);
	CHECK_ERR("prlimit_user_get_other_user", sys_prlimit(other.pid, RLIMIT_NOFILE, NULL, &old),
		  EPERM);
	CHECK_ERR("prlimit_user_saved_uid_differs",
		  sys_prlimit(saved_root.pid, RLIMIT_NOFILE, NULL, &old), EPERM);
	CHECK_ERR("prlimit_user_gid_differs", sys_prlimit(other_gid.pid, RLIMIT_NOFILE, NULL, &old),
		  EPERM);
	/* Permission comes before the other checks. */
	CHECK_ERR("prlimit_user_other_bad_resource", sys_prlimit(other.pid, 99, NULL, &old), EPERM);
	CHECK_SUCC("prlimit_user_get_same", sys_prlimit(same.pid, RLIMIT_NOFILE, NULL, &old));
	CHECK_SUCC("prlimit_user_lower_same", sys_prlimit(same.pid, RLIMIT_NOFILE, &n, NULL));
	n.rlim_max = 61;
	CHECK_ERR("prlimit_user_raise_hard_same", sys_prlimit(same.pid, RLIMIT_NOFILE, &n, NULL), EPERM);
	n.rlim_cur = n.rlim_max = 60;
	CHECK_SUCC("prlimit_user_hard_unchanged", sys_prlimit(same.pid, RLIMIT_NOFILE, &n, &old));
	CHECK("prlimit_user_old_value", old.rlim_cur == 50 && old.rlim_max == 60);
	/* Our own hard limit cannot go back up either. */
	set_limit(RLIMIT_CORE, 0, 0);
	struct rlimit up = { 0, 1 };
	CHECK_ERR("setrlimit_user_raise_hard", setrlimit(RLIMIT_CORE, &up), EPERM);
	CHECK_ERR("setrlimit_user_nofile_nr_open", setrlimit(RLIMIT_NOFILE,
		  &(struct rlimit){ 1048577, 1048577 }), EPERM);
	finish(&same, "prlimit_user_same_exit");
	finish(&other, "prlimit_user_other_exit");
	finish(&saved_root, "prlimit_user_saved_root_exit");
	finish(&other_gid, "prlimit_user_other_gid_exit");
	kt_child_exit();
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		if (strcmp(argv[1], "show") == 0)
			show("exec");
		return 0;
	}
	kt_begin("rlimit_inherit", 60);
	CHECK_WSTATUS("fork_thread_exec_status", kt_run_child(t_fork_thread_exec, NULL), "exit 0");
	CHECK_WSTATUS("exec_stack_status", kt_run_child(t_exec_stack, NULL), "exit 0");
	CHECK_WSTATUS("prlimit_root_status", kt_run_child(t_prlimit_root, NULL), "exit 0");
	CHECK_WSTATUS("prlimit_user_status", kt_run_child(t_prlimit_user, NULL), "exit 0");
	return kt_end();
}
