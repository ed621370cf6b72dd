/*
 * orphan_subreaper (optional feature: PR_SET_CHILD_SUBREAPER): orphans below a subreaper
 * are reparented to it rather than to init, it can wait for them, the attribute is read
 * back with PR_GET_CHILD_SUBREAPER and is not inherited by fork children.
 */
#include "ktest_user.h"

#include <sys/prctl.h>
#include <time.h>

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Runs in S, the subreaper; its checks print from here (S is our only running process). */
static void subreaper(void)
{
	int v = -1;
	CHECK_EQ("get_subreaper_default", prctl(PR_GET_CHILD_SUBREAPER, &v), 0);
	CHECK_EQ("get_subreaper_default_value", v, 0);
	CHECK_EQ("set_subreaper", prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	CHECK_EQ("get_subreaper", prctl(PR_GET_CHILD_SUBREAPER, &v), 0);
	CHECK_EQ("get_subreaper_value", v, 1);
	CHECK_ERR("get_subreaper_efault", prctl(PR_GET_CHILD_SUBREAPER, (int *)1), EFAULT);

	int res[2];
	pipe(res);
	pid_t s = getpid();
	pid_t a = fork();
	if (a == 0) {
		/* Not inherited. */
		int w = -1;
		prctl(PR_GET_CHILD_SUBREAPER, &w);
		pid_t pp = getpid();
		pid_t b = fork();
		if (b == 0) {
			int waited = 0;
			while (getppid() == pp && waited++ < 10000)
				sleep_ms(1);
			int r = getppid() == s;
			kt_write_all(res[1], (char *)&r, sizeof(r));
			_exit(17);
		}
		_exit(w == 0 ? 0 : 1);
	}
	close(res[1]);
	int st;
	CHECK_EQ("middle_exit_wait", waitpid(a, &st, 0), a);
	CHECK_WSTATUS("subreaper_not_inherited", st, "exit 0");
	int r = -1;
	CHECK_EQ("orphan_report", kt_read_full(res[0], &r, sizeof(r)), sizeof(r));
	CHECK_EQ("orphan_reparented_to_subreaper", r, 1);
	/* The orphan is now our child. */
	pid_t got = wait(&st);
	CHECK("subreaper_reaps_orphan", got > 0 && got != a);
	CHECK_WSTATUS("subreaper_orphan_status", st, "exit 17");
	CHECK_ERR("subreaper_no_more", wait(&st), ECHILD);

	/* Turned off again: the next orphan goes to init. */
	CHECK_EQ("clear_subreaper", prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
	prctl(PR_GET_CHILD_SUBREAPER, &v);
	CHECK_EQ("cleared_value", v, 0);
	kt_child_exit();
}

int main(void)
{
	kt_begin("orphan_subreaper", 20);
	pid_t s = kt_fork();
	if (s == 0)
		subreaper();
	CHECK_WSTATUS("subreaper_checks", kt_wait(s), "exit 0");
	return kt_end();
}
