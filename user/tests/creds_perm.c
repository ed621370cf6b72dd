/*
 * creds_perm: Linux's rules for changing one's ids (setuid/setreuid/setresuid and the gid
 * calls, setfsuid, setgroups and its sorted list, PR_SET_PDEATHSIG cleared by a new euid)
 * and for acting on another process as an ordinary user (uid 1000): signals (real or
 * effective uid against the target's real or saved uid; SIGCONT within the session),
 * nice values (setpriority by process and by user), scheduling policy and parameters,
 * CPU affinity. Reading another's settings stays allowed.
 */
#include "ktest_user.h"

#include <grp.h>
#include <sched.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>

static void ids(const char *name, uid_t r, uid_t e, uid_t s)
{
	uid_t gr, ge, gs;
	getresuid(&gr, &ge, &gs);
	if (gr == r && ge == e && gs == s)
		kt_printf("%s: ok\n", name);
	else
		kt_fail(name, "got %u %u %u want %u %u %u", gr, ge, gs, r, e, s);
}

static void t_setuid_rules(void *arg)
{
	CHECK_SUCC("root_setresuid_any", setresuid(1000, 1001, 1002));
	ids("ids_after_root_setresuid", 1000, 1001, 1002);
	CHECK_SUCC("user_setresuid_permute", setresuid(1002, 1000, 1001));
	ids("ids_permuted", 1002, 1000, 1001);
	CHECK_ERR("user_setresuid_new_ruid", setresuid(1003, -1, -1), EPERM);
	CHECK_ERR("user_setresuid_new_euid", setresuid(-1, 1003, -1), EPERM);
	CHECK_ERR("user_setresuid_new_suid", setresuid(-1, -1, 1003), EPERM);
	CHECK_ERR("user_setresuid_root", setresuid(0, -1, -1), EPERM);
	CHECK_SUCC("user_setresuid_no_change", setresuid(-1, -1, -1));
	ids("ids_unchanged", 1002, 1000, 1001);
	/* Unprivileged setuid sets only the effective id, to the real or saved one. */
	CHECK_SUCC("user_setuid_saved", setuid(1001));
	ids("ids_after_user_setuid", 1002, 1001, 1001);
	CHECK_ERR("user_setuid_other", setuid(1000), EPERM);
	CHECK_ERR("user_setuid_root", setuid(0), EPERM);
	CHECK_ERR("setuid_minus_one", setuid(-1), EINVAL);
	/* setreuid: a new real id makes the saved one the new effective one. */
	CHECK_SUCC("user_setreuid_real_to_effective", setreuid(1001, -1));
	ids("ids_after_setreuid", 1001, 1001, 1001);
	CHECK_ERR("user_setreuid_gone", setreuid(-1, 1002), EPERM);
	/* setfsuid returns the old value and changes only to one of the three. */
	CHECK_EQ("user_setfsuid_refused", setfsuid(5000), 1001);
	CHECK_EQ("user_setfsuid_unchanged", setfsuid(-1), 1001);
	CHECK_ERR("user_setgroups", setgroups(0, NULL), EPERM);
	CHECK_ERR("user_setresgid_new", setresgid(2000, -1, -1), EPERM);
	CHECK_ERR("user_setgid_other", setgid(2000), EPERM);
	kt_child_exit();
}

static void t_root_setuid(void *arg)
{
	gid_t g[3] = { 30, 10, 20 }, got[8];
	CHECK_SUCC("root_setgroups", setgroups(3, g));
	CHECK_EQ("getgroups_count", getgroups(0, NULL), 3);
	CHECK_EQ("getgroups_n", getgroups(8, got), 3);
	CHECK("getgroups_sorted", got[0] == 10 && got[1] == 20 && got[2] == 30);
	CHECK_ERR("getgroups_too_small", getgroups(2, got), EINVAL);
	CHECK_ERR("setgroups_negative", setgroups(-1, g), EINVAL);
	CHECK_ERR("setgroups_too_many", syscall(SYS_setgroups, 65537, g), EINVAL);
	CHECK_ERR("setgroups_bad_pointer", setgroups(2, (gid_t *)8), EFAULT);
	CHECK_SUCC("setgroups_empty", setgroups(0, NULL));
	CHECK_EQ("getgroups_empty", getgroups(0, NULL), 0);

	/* Saved uid 0: the way back to root. */
	CHECK_SUCC("root_setresuid_keep_saved", setresuid(1000, 1000, 0));
	CHECK_SUCC("setuid_back_to_saved_root", setuid(0));
	ids("ids_euid_root_again", 1000, 0, 0);
	CHECK_SUCC("privileged_setuid_all", setuid(0));
	ids("ids_all_root", 0, 0, 0);
	/* setreuid: the saved id follows a new effective id that is not the real one. */
	CHECK_SUCC("root_setreuid", setreuid(1000, 1001));
	ids("ids_after_root_setreuid", 1000, 1001, 1001);
	CHECK_SUCC("setreuid_effective_to_real", setreuid(-1, 1000));
	ids("ids_saved_kept", 1000, 1000, 1001);
	/* A new effective uid cancels PR_SET_PDEATHSIG. */
	int sig = -1;
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
	CHECK_SUCC("pdeathsig_setresuid", setresuid(-1, 1001, -1));
	prctl(PR_GET_PDEATHSIG, &sig);
	CHECK_EQ("pdeathsig_cleared", sig, 0);
	kt_child_exit();
}

/* ---- acting on others as uid 1000 ---- */

struct target {
	pid_t pid;
	int wfd;
};

/* A child with uids (r, e, s) (gids 1000), in its own session if own_session, waiting
 * for EOF on a pipe. */
static struct target spawn(uid_t r, uid_t e, uid_t s, int own_session)
{
	struct target t;
	int p[2], ready[2];
	pipe(p);
	pipe(ready);
	t.pid = kt_fork();
	if (t.pid == 0) {
		char c;
		for (int fd = 3; fd < 64; fd++)
			if (fd != p[0] && fd != ready[1])
				close(fd);
		if (own_session)
			setsid();
		if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) || setresuid(r, e, s))
			_exit(9);
		kt_signal_fd(ready[1]);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
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

static void t_others(void *arg)
{
	struct target root = spawn(0, 0, 0, 0);
	struct target other = spawn(1001, 1001, 1001, 0);
	struct target same = spawn(1000, 1000, 1000, 0);
	struct target real_match = spawn(1000, 1001, 1001, 0);
	struct target saved_match = spawn(1001, 1001, 1000, 0);
	struct target euid_match = spawn(1001, 1000, 1001, 0);
	struct target far = spawn(1001, 1001, 1001, 1);
	struct sched_param sp = { 0 };
	cpu_set_t cpus;

	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		kt_printf("drop failed\n");

	CHECK_ERR("kill_root_probe", kill(root.pid, 0), EPERM);
	CHECK_ERR("kill_root_term", kill(root.pid, SIGTERM), EPERM);
	CHECK_ERR("kill_other_user", kill(other.pid, SIGTERM), EPERM);
	CHECK_ERR("tgkill_other_user", syscall(SYS_tgkill, other.pid, other.pid, SIGTERM), EPERM);
	siginfo_t si = { .si_signo = SIGUSR1, .si_code = SI_QUEUE };
	CHECK_ERR("sigqueueinfo_other_user",
		  syscall(SYS_rt_sigqueueinfo, other.pid, SIGUSR1, &si), EPERM);
	CHECK_SUCC("kill_same_user", kill(same.pid, 0));
	CHECK_SUCC("kill_real_uid_match", kill(real_match.pid, 0));
	CHECK_SUCC("kill_saved_uid_match", kill(saved_match.pid, 0));
	/* The target's effective uid does not count. */
	CHECK_ERR("kill_euid_only_match", kill(euid_match.pid, 0), EPERM);
	/* SIGCONT: anyone in our session, nobody else. */
	CHECK_SUCC("sigcont_root_same_session", kill(root.pid, SIGCONT));
	CHECK_SUCC("sigcont_other_same_session", kill(other.pid, SIGCONT));
	CHECK_ERR("sigcont_other_session", kill(far.pid, SIGCONT), EPERM);

	CHECK_ERR("setpriority_root", setpriority(PRIO_PROCESS, root.pid, 5), EPERM);
	CHECK_ERR("setpriority_other_user", setpriority(PRIO_PROCESS, other.pid, 5), EPERM);
	CHECK_ERR("setpriority_by_user", setpriority(PRIO_USER, 1001, 5), EPERM);
	CHECK_SUCC("setpriority_same", setpriority(PRIO_PROCESS, same.pid, 5));
	CHECK_SUCC("setpriority_euid_match", setpriority(PRIO_PROCESS, euid_match.pid, 5));
	CHECK_ERR("setpriority_saved_only", setpriority(PRIO_PROCESS, saved_match.pid, 5), EPERM);
	errno = 0;
	CHECK("getpriority_other_allowed",
	      getpriority(PRIO_PROCESS, other.pid) == 0 && errno == 0);
	CHECK_EQ("getpriority_same", getpriority(PRIO_PROCESS, same.pid), 5);

	CHECK_ERR("sched_setscheduler_other", sched_setscheduler(other.pid, SCHED_OTHER, &sp),
		  EPERM);
	CHECK_ERR("sched_setscheduler_root", sched_setscheduler(root.pid, SCHED_BATCH, &sp),
		  EPERM);
	CHECK_ERR("sched_setparam_other", sched_setparam(other.pid, &sp), EPERM);
	CHECK_SUCC("sched_setscheduler_same", sched_setscheduler(same.pid, SCHED_BATCH, &sp));
	CHECK_EQ("sched_getscheduler_other", sched_getscheduler(other.pid), SCHED_OTHER);
	CHECK_EQ("sched_getscheduler_same", sched_getscheduler(same.pid), SCHED_BATCH);
	CPU_ZERO(&cpus);
	CHECK_SUCC("sched_getaffinity_other", sched_getaffinity(other.pid, sizeof(cpus), &cpus));
	CHECK_ERR("sched_setaffinity_other", sched_setaffinity(other.pid, sizeof(cpus), &cpus),
		  EPERM);
	CHECK_ERR("sched_setaffinity_root", sched_setaffinity(root.pid, sizeof(cpus), &cpus),
		  EPERM);
	CHECK_SUCC("sched_setaffinity_same", sched_setaffinity(same.pid, sizeof(cpus), &cpus));

	finish(&root, "root_target_exit");
	finish(&other, "other_target_exit");
	finish(&same, "same_target_exit");
	finish(&real_match, "real_match_target_exit");
	finish(&saved_match, "saved_match_target_exit");
	finish(&euid_match, "euid_match_target_exit");
	finish(&far, "far_target_exit");
	kt_child_exit();
}

int main(void)
{
	kt_begin("creds_perm", 60);
	CHECK_WSTATUS("setuid_rules_status", kt_run_child(t_setuid_rules, NULL), "exit 0");
	CHECK_WSTATUS("root_setuid_status", kt_run_child(t_root_setuid, NULL), "exit 0");
	CHECK_WSTATUS("others_status", kt_run_child(t_others, NULL), "exit 0");
	return kt_end();
}
