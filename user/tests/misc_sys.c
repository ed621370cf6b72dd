/*
 * misc_sys: uname (sysname and machine only), getrandom flags, clocks (monotonic never
 * goes back, through the vDSO and the system call; resolutions; errors), nanosleep and
 * clock_nanosleep (never shorter than asked), interval timers and alarm, times, sysinfo,
 * getrusage, resource limits (defaults of RLIMIT_NOFILE and RLIMIT_STACK, EMFILE, errors),
 * identity calls, umask, prctl names, personality, sched_getcpu/getaffinity/yield, and
 * set_tid_address returning the TID.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <time.h>

static long long ts_ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long mono_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return ts_ns(&t);
}

static void test_uname(void)
{
	struct utsname u;
	CHECK_EQ("uname_ok", uname(&u), 0);
	CHECK_STR("uname_sysname", u.sysname, "Linux");
	CHECK_STR("uname_machine", u.machine, "aarch64");
	CHECK("uname_release_nonempty", u.release[0] != 0);
	CHECK("uname_version_nonempty", u.version[0] != 0);
	struct utsname r;
	CHECK_EQ("uname_raw", syscall(SYS_uname, &r), 0);
	CHECK("uname_raw_same", memcmp(&u, &r, sizeof(u)) == 0);
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void test_getrandom(void)
{
	unsigned char a[64], b[64];
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	CHECK_EQ("getrandom_default", getrandom(a, sizeof(a), 0), 64);
	CHECK_EQ("getrandom_nonblock", getrandom(b, sizeof(b), GRND_NONBLOCK), 64);
	CHECK("getrandom_not_zero", !all_zero(a, sizeof(a)) && !all_zero(b, sizeof(b)));
	CHECK("getrandom_differs", memcmp(a, b, sizeof(a)) != 0);
	CHECK_EQ("getrandom_random_flag", getrandom(a, 16, GRND_RANDOM), 16);
	CHECK_EQ("getrandom_random_nonblock", getrandom(a, 16, GRND_RANDOM | GRND_NONBLOCK), 16);
	CHECK_EQ("getrandom_insecure", getrandom(a, 16, GRND_INSECURE), 16);
	CHECK_EQ("getrandom_len_0", getrandom(a, 0, 0), 0);
	CHECK_ERR("getrandom_bad_flags", getrandom(a, 16, 0x100), EINVAL);
	CHECK_ERR("getrandom_insecure_and_random", getrandom(a, 16, GRND_INSECURE | GRND_RANDOM),
		  EINVAL);
	static unsigned char big[65536];
	CHECK_EQ("getrandom_64k", getrandom(big, sizeof(big), 0), 65536);
	CHECK("getrandom_64k_tail_filled", !all_zero(big + 65536 - 64, 64));
}

static void test_clocks(void)
{
	/* Never backwards: 2000 reads through glibc (vDSO) and 500 raw. */
	struct timespec prev, cur;
	int back = 0;
	clock_gettime(CLOCK_MONOTONIC, &prev);
	for (int i = 0; i < 2000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &cur);
		if (ts_ns(&cur) < ts_ns(&prev))
			back++;
		prev = cur;
	}
	CHECK_EQ("monotonic_never_backwards", back, 0);
	back = 0;
	for (int i = 0; i < 500; i++) {
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &cur);
		if (ts_ns(&cur) < ts_ns(&prev))
			back++;
		prev = cur;
		clock_gettime(CLOCK_MONOTONIC, &cur);
		if (ts_ns(&cur) < ts_ns(&prev))
			back++;
		prev = cur;
	}
	CHECK_EQ("monotonic_raw_and_vdso_agree", back, 0);
	CHECK("monotonic_nsec_in_range", cur.tv_nsec >= 0 && cur.tv_nsec < 1000000000);

	static const clockid_t ids[] = { CLOCK_REALTIME,	   CLOCK_MONOTONIC,
					 CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
					 CLOCK_MONOTONIC_RAW,	   CLOCK_REALTIME_COARSE,
					 CLOCK_MONOTONIC_COARSE,   CLOCK_BOOTTIME };
	static const char *const names[] = { "realtime", "monotonic", "process_cputime",
					     "thread_cputime", "monotonic_raw", "realtime_coarse",
					     "monotonic_coarse", "boottime" };
	for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		CHECK_EQ(kt_name("clock_gettime_%s", names[i]),
			 syscall(SYS_clock_gettime, ids[i], &cur), 0);
		CHECK_EQ(kt_name("clock_getres_%s_ok", names[i]),
			 syscall(SYS_clock_getres, ids[i], &cur), 0);
	}
	struct timespec res;
	clock_getres(CLOCK_MONOTONIC, &res);
	CHECK("clock_getres_monotonic_1ns", res.tv_sec == 0 && res.tv_nsec == 1);
	clock_getres(CLOCK_MONOTONIC_COARSE, &res);
	CHECK("clock_getres_coarse_one_tick_4ms", res.tv_sec == 0 && res.tv_nsec == 4000000);
	CHECK_EQ("clock_getres_null_ok", syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL), 0);
	CHECK_ERR("clock_gettime_bad_id", syscall(SYS_clock_gettime, 100, &cur), EINVAL);
	CHECK_ERR("clock_getres_bad_id", syscall(SYS_clock_getres, 100, &cur), EINVAL);
	CHECK_ERR("clock_settime_monotonic_einval",
		  syscall(SYS_clock_settime, CLOCK_MONOTONIC, &cur), EINVAL);

	struct timespec mono, boot;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	CHECK("boottime_at_least_monotonic", ts_ns(&boot) >= ts_ns(&mono));
	/* CPU time goes forward when we burn CPU. */
	struct timespec c0, c1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	volatile unsigned long x = 0;
	long long t0 = mono_ns();
	while (mono_ns() - t0 < 30000000LL)
		x++;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	CHECK("process_cputime_advances", ts_ns(&c1) > ts_ns(&c0));
	struct timeval tv;
	CHECK_EQ("gettimeofday_ok", gettimeofday(&tv, NULL), 0);
	CHECK("gettimeofday_usec_range", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	CHECK("time_matches_realtime", labs((long)time(NULL) - (long)rt.tv_sec) <= 1);
}

static void test_sleeps(void)
{
	static const long ms[] = { 0, 1, 10, 50 };
	for (unsigned i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		struct timespec ts = { 0, ms[i] * 1000000L };
		long long t0 = mono_ns();
		CHECK_EQ(kt_name("nanosleep_%ldms", ms[i]), nanosleep(&ts, NULL), 0);
		CHECK(kt_name("nanosleep_%ldms_not_short", ms[i]), mono_ns() - t0 >= ms[i] * 1000000LL);
	}
	struct timespec ts = { 0, 20000000 };
	long long t0 = mono_ns();
	CHECK_EQ("clock_nanosleep_relative", clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL), 0);
	CHECK("clock_nanosleep_relative_not_short", mono_ns() - t0 >= 20000000LL);
	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	long long target = ts_ns(&abs) + 30000000LL;
	abs.tv_sec = target / 1000000000LL;
	abs.tv_nsec = target % 1000000000LL;
	CHECK_EQ("clock_nanosleep_abstime", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL),
		 0);
	CHECK("clock_nanosleep_abstime_reached", mono_ns() >= target);
	struct timespec past = { 0, 1 };
	CHECK_EQ("clock_nanosleep_abstime_past", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past,
								 NULL),
		 0);
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec += 10000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	CHECK_EQ("clock_nanosleep_realtime_abstime",
		 clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL), 0);

	struct timespec bad = { 0, 1000000000 };
	CHECK_ERR("nanosleep_bad_nsec", nanosleep(&bad, NULL), EINVAL);
	struct timespec neg = { -1, 0 };
	CHECK_ERR("nanosleep_negative", nanosleep(&neg, NULL), EINVAL);
	struct timespec negns = { 0, -1 };
	CHECK_ERR("nanosleep_negative_nsec", nanosleep(&negns, NULL), EINVAL);
	CHECK_ERR("clock_nanosleep_thread_cputime_eopnotsupp",
		  syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &ts, NULL), EOPNOTSUPP);
	CHECK_ERR("clock_nanosleep_bad_clock", syscall(SYS_clock_nanosleep, 100, 0, &ts, NULL),
		  EINVAL);
	/* glibc returns the error number itself. */
	CHECK_EQ("clock_nanosleep_glibc_returns_errno", clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL),
		 EINVAL);
}

static volatile int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void test_timers(void)
{
	unsigned watchdog = alarm(0); /* our own watchdog; restored below */
	CHECK("watchdog_was_set", watchdog > 0);
	CHECK_EQ("alarm_none_pending", alarm(5), 0);
	CHECK_EQ("alarm_returns_remaining", alarm(0), 5);

	signal(SIGALRM, on_alarm);
	alarms = 0;
	struct itimerval it = { { 0, 0 }, { 0, 60000 } }, cur;
	long long t0 = mono_ns();
	CHECK_EQ("setitimer_real", setitimer(ITIMER_REAL, &it, NULL), 0);
	getitimer(ITIMER_REAL, &cur);
	CHECK("getitimer_running", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 &&
					   cur.it_value.tv_usec <= 60000);
	while (alarms == 0 && mono_ns() - t0 < 5000000000LL)
		pause();
	CHECK_EQ("itimer_fired_once", alarms, 1);
	CHECK("itimer_not_early", mono_ns() - t0 >= 60000000LL);
	getitimer(ITIMER_REAL, &cur);
	CHECK("getitimer_expired_zero", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
	/* Periodic: 3 ticks of 20 ms, then stop. */
	struct itimerval per = { { 0, 20000 }, { 0, 20000 } };
	alarms = 0;
	setitimer(ITIMER_REAL, &per, NULL);
	while (alarms < 3)
		pause();
	struct itimerval off = { { 0, 0 }, { 0, 0 } }, old;
	setitimer(ITIMER_REAL, &off, &old);
	CHECK("itimer_periodic_interval_kept", old.it_interval.tv_usec == 20000);
	CHECK_ERR("setitimer_bad_which", setitimer(42, &it, NULL), EINVAL);
	struct itimerval badv = { { 0, 0 }, { 0, 1000000 } };
	CHECK_ERR("setitimer_bad_usec", setitimer(ITIMER_REAL, &badv, NULL), EINVAL);
	/* ITIMER_VIRTUAL counts our CPU time: burn until SIGVTALRM. */
	signal(SIGVTALRM, on_alarm);
	alarms = 0;
	struct itimerval v = { { 0, 0 }, { 0, 20000 } };
	setitimer(ITIMER_VIRTUAL, &v, NULL);
	t0 = mono_ns();
	volatile unsigned long spin = 0;
	while (alarms == 0 && mono_ns() - t0 < 5000000000LL)
		spin++;
	CHECK_EQ("itimer_virtual_fired", alarms, 1);
	signal(SIGALRM, SIG_DFL);
	signal(SIGVTALRM, SIG_DFL);
	alarm(watchdog);

	struct tms tm;
	clock_t c0 = times(&tm);
	CHECK("times_ok", c0 != (clock_t)-1);
	CHECK("times_utime_counts", tm.tms_utime + tm.tms_stime > 0);
	struct sysinfo si;
	CHECK_EQ("sysinfo_ok", sysinfo(&si), 0);
	CHECK("sysinfo_sane", si.uptime >= 0 && si.totalram > 0 && si.mem_unit > 0 &&
				      si.freeram <= si.totalram && si.procs > 0);
	struct rusage ru;
	CHECK_EQ("getrusage_self", getrusage(RUSAGE_SELF, &ru), 0);
	CHECK("getrusage_self_cpu", ru.ru_utime.tv_sec + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec +
					    ru.ru_stime.tv_usec > 0);
	CHECK_EQ("getrusage_children", getrusage(RUSAGE_CHILDREN, &ru), 0);
	CHECK_EQ("getrusage_thread", getrusage(RUSAGE_THREAD, &ru), 0);
	CHECK_ERR("getrusage_bad_who", getrusage(42, &ru), EINVAL);
}

static void test_limits(void)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	kt_printf("rlimit_nofile_default: %lu %lu\n", (unsigned long)rl.rlim_cur,
		  (unsigned long)rl.rlim_max);
	getrlimit(RLIMIT_STACK, &rl);
	kt_printf("rlimit_stack_default: %lu %s\n", (unsigned long)rl.rlim_cur,
		  rl.rlim_max == RLIM_INFINITY ? "unlimited" : "limited");
	getrlimit(RLIMIT_CORE, &rl);
	CHECK("rlimit_core_set_by_test", rl.rlim_cur == 0 && rl.rlim_max == 0);

	struct rlimit bad = { 100, 50 };
	CHECK_ERR("setrlimit_soft_above_hard", setrlimit(RLIMIT_NOFILE, &bad), EINVAL);
	CHECK_ERR("getrlimit_bad_resource", syscall(SYS_getrlimit, 99, &rl), EINVAL);
	CHECK_ERR("prlimit_bad_resource", syscall(SYS_prlimit64, 0, 99, NULL, &rl), EINVAL);
	CHECK_ERR("prlimit_no_such_pid", syscall(SYS_prlimit64, 0x3ffffff0, RLIMIT_NOFILE, NULL, &rl),
		  ESRCH);
	struct rlimit huge = { 1 << 30, 1 << 30 };
	CHECK_ERR("setrlimit_nofile_above_nr_open", setrlimit(RLIMIT_NOFILE, &huge), EPERM);

	/* EMFILE and EBADF at the soft limit, in a child. */
	pid_t p = kt_fork();
	if (p == 0) {
		struct rlimit ten = { 10, 10 };
		setrlimit(RLIMIT_NOFILE, &ten);
		int r = 0, fd = 0, last = -1;
		while ((fd = open("/", O_RDONLY)) >= 0)
			last = fd;
		r |= (errno == EMFILE) << 0;
		r |= (last == 9) << 1;
		r |= (dup2(0, 10) == -1 && errno == EBADF) << 2;
		r |= (fcntl(0, F_DUPFD, 10) == -1 && errno == EINVAL) << 3;
		int pf[2];
		r |= (pipe(pf) == -1 && errno == EMFILE) << 4;
		_exit(r);
	}
	CHECK_WSTATUS("nofile_limit_enforced", kt_wait(p), "exit 31");
	/* prlimit on a child. */
	int go[2];
	pipe(go);
	p = kt_fork();
	if (p == 0) {
		kt_wait_fd(go[0]);
		struct rlimit r;
		getrlimit(RLIMIT_NOFILE, &r);
		_exit(r.rlim_cur == 77 ? 0 : 1);
	}
	struct rlimit n77 = { 77, 4096 }, oldl;
	CHECK_EQ("prlimit_child", syscall(SYS_prlimit64, p, RLIMIT_NOFILE, &n77, &oldl), 0);
	kt_signal_fd(go[1]);
	CHECK_WSTATUS("prlimit_child_sees_it", kt_wait(p), "exit 0");
	close(go[0]);
	close(go[1]);
}

static void test_identity(void)
{
	CHECK_EQ("uid_root", getuid(), 0);
	CHECK_EQ("euid_root", geteuid(), 0);
	CHECK_EQ("gid_root", getgid(), 0);
	CHECK_EQ("egid_root", getegid(), 0);
	uid_t r, e, s;
	CHECK_EQ("getresuid", getresuid(&r, &e, &s), 0);
	CHECK("getresuid_all_0", r == 0 && e == 0 && s == 0);
	CHECK("gettid_main_is_pid", syscall(SYS_gettid) == getpid());
	CHECK("getppid_positive", getppid() > 0);
	CHECK("set_tid_address_returns_tid",
	      syscall(SYS_set_tid_address, NULL) == syscall(SYS_gettid));
	mode_t old = umask(077);
	CHECK_EQ("umask_inherited_022", old, 022);
	CHECK_EQ("umask_returns_previous", umask(old), 077);
	CHECK_EQ("umask_masks_to_0777", umask(0777777) & 0777, 022);
	CHECK_EQ("umask_kept_low_bits", umask(022), 0777);

	CHECK_EQ("prctl_set_name", prctl(PR_SET_NAME, "kt-misc-name-that-is-long"), 0);
	char name[32] = { 0 };
	prctl(PR_GET_NAME, name);
	CHECK_STR("prctl_name_truncated_15", name, "kt-misc-name-th");
	prctl(PR_SET_NAME, "misc_sys");
	CHECK_EQ("personality_query", personality(0xffffffff), 0);
	CHECK_EQ("sched_yield", sched_yield(), 0);
	cpu_set_t set;
	CPU_ZERO(&set);
	CHECK_EQ("sched_getaffinity", sched_getaffinity(0, sizeof(set), &set), 0);
	int n = CPU_COUNT(&set);
	CHECK("affinity_has_cpus", n >= 1);
	int cpu = sched_getcpu();
	CHECK("sched_getcpu_in_set", cpu >= 0 && CPU_ISSET(cpu, &set));
	unsigned c2 = 999, node = 999;
	CHECK_EQ("getcpu_raw", syscall(SYS_getcpu, &c2, &node, NULL), 0);
	CHECK("getcpu_node_0", node == 0 && c2 < 1024);
	CHECK_ERR("sched_getaffinity_small_size", syscall(SYS_sched_getaffinity, 0, 1, &set), EINVAL);
	CHECK_ERR("sched_getaffinity_no_such", sched_getaffinity(0x3ffffff0, sizeof(set), &set),
		  ESRCH);
}

int main(void)
{
	kt_begin("misc_sys", 20);
	test_uname();
	test_getrandom();
	test_clocks();
	test_sleeps();
	test_timers();
	test_limits();
	test_identity();
	return kt_end();
}
