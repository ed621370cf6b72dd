/*
 * procfs: a process's own /proc files as Linux 6.1 formats them. stat (52 fields, the
 * comm in parentheses, state, ppid/pgrp/session, tty, priority and nice under each
 * policy, num_threads, rt_priority, policy, processor, start time before now), status
 * (every field name in Linux's order, ids, state, umask, signal masks, threads, NSpid,
 * Cpus_allowed_list), statm, cmdline and environ bytes, comm read and written (by the
 * task's own threads only), limits (set to known values, then the whole table), sched
 * and schedstat, exe/cwd/fd links, maps, task/ and /proc/TID of a thread, the states of
 * a stopped, sleeping and zombie child, and what a reaped process leaves: ESRCH/ENOENT.
 */
#include "ktest_user.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

static char buf[65536];

/* The whole file, NUL-terminated in buf; its length, or -1. */
static ssize_t read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t n = kt_read_full(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n] = '\0';
	return (ssize_t)n;
}

/* stat's fields: [1] pid, [2] "(comm)", [3] state, ... as proc(5) numbers them. */
static char stat_f[64][64];
static int nstat;

static int read_stat(const char *path)
{
	nstat = 0;
	if (read_file(path) < 0)
		return -1;
	char *open_paren = strchr(buf, '('), *close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren)
		return -1;
	snprintf(stat_f[1], sizeof(stat_f[1]), "%.*s", (int)(open_paren - buf - 1), buf);
	snprintf(stat_f[2], sizeof(stat_f[2]), "%.*s", (int)(close_paren - open_paren + 1),
		 open_paren);
	nstat = 2;
	char *save, *tok = strtok_r(close_paren + 1, " \n", &save);
	for (; tok && nstat < 63; tok = strtok_r(NULL, " \n", &save))
		snprintf(stat_f[++nstat], sizeof(stat_f[0]), "%s", tok);
	return nstat;
}

static long long stat_ll(int i)
{
	return strtoll(stat_f[i], NULL, 10);
}

/* The value after "Name:\t" in buf (status), up to the line's end, in a static buffer. */
static const char *status_field(const char *name)
{
	static char val[256];
	char key[64];
	snprintf(key, sizeof(key), "\n%s:\t", name);
	const char *p = strncmp(buf, key + 1, strlen(key + 1)) == 0 ? buf - 1 : strstr(buf, key);
	if (!p)
		return "(missing)";
	p += strlen(key);
	size_t n = strcspn(p, "\n");
	snprintf(val, sizeof(val), "%.*s", (int)n, p);
	return val;
}

static void test_stat_self(void)
{
	char path[64];
	CHECK_EQ("stat_fields", read_stat("/proc/self/stat"), 52);
	CHECK_EQ("stat_pid", stat_ll(1), getpid());
	CHECK_STR("stat_comm", stat_f[2], "(procfs)");
	CHECK_STR("stat_state_running", stat_f[3], "R");
	CHECK_EQ("stat_ppid", stat_ll(4), getppid());
	CHECK_EQ("stat_pgrp", stat_ll(5), getpgrp());
	CHECK_EQ("stat_session", stat_ll(6), getsid(0));
	kt_printf("stat tty_nr %s tpgid %s\n", stat_f[7], stat_f[8]);
	CHECK_STR("stat_priority", stat_f[18], "20");
	CHECK_STR("stat_nice", stat_f[19], "0");
	CHECK_STR("stat_num_threads", stat_f[20], "1");
	CHECK_STR("stat_itrealvalue", stat_f[21], "0");
	CHECK("stat_vsize", stat_ll(23) > 0);
	CHECK("stat_rss", stat_ll(24) > 0);
	CHECK_STR("stat_rsslim", stat_f[25], "18446744073709551615");
	CHECK_STR("stat_exit_signal", stat_f[38], "17");
	CHECK_STR("stat_rt_priority", stat_f[40], "0");
	CHECK_STR("stat_policy", stat_f[41], "0");
	CHECK_STR("stat_exit_code", stat_f[52], "0");

	/* The start time is in ticks since boot, before now. */
	double up = 0;
	CHECK("uptime_read", read_file("/proc/uptime") > 0 && sscanf(buf, "%lf", &up) == 1);
	read_stat("/proc/self/stat");
	CHECK("stat_starttime", stat_ll(22) <= (long long)(up * 100) + 1);

	/* processor: where the task runs, here the one CPU it may use. */
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	CHECK_SUCC("pin_cpu0", sched_setaffinity(0, sizeof(one), &one));
	read_stat("/proc/self/stat");
	CHECK_STR("stat_processor", stat_f[39], "0");
	read_file("/proc/self/status");
	CHECK_STR("status_cpus_allowed_list", status_field("Cpus_allowed_list"), "0");
	CHECK_STR("status_cpus_allowed", status_field("Cpus_allowed"), "1");
	CPU_ZERO(&one);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		CPU_SET(cpu, &one);
	sched_setaffinity(0, sizeof(one), &one);

	/* utime + stime add up to the CPU time the process used. */
	struct timespec ts;
	do
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	while (ts.tv_sec == 0 && ts.tv_nsec < 300000000);
	read_stat("/proc/self/stat");
	CHECK("stat_cputime", stat_ll(14) + stat_ll(15) >= 25);

	snprintf(path, sizeof(path), "/proc/%d/stat", getpid());
	CHECK_EQ("stat_by_pid", read_stat(path), 52);
	CHECK_EQ("stat_by_pid_pid", stat_ll(1), getpid());
}

/* Page faults: the process's own (minflt) and its reaped children's (cminflt). */
static void test_stat_faults(void)
{
	const int pages = 64;
	long long own, children;
	char *p;
	pid_t c;

	read_stat("/proc/self/stat");
	own = stat_ll(10);
	children = stat_ll(11);
	p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("faults_mmap", p != MAP_FAILED);
	for (int i = 0; i < pages; i++)
		p[i * 4096] = 1;
	read_stat("/proc/self/stat");
	CHECK("stat_minflt_counts_touches", stat_ll(10) - own >= pages);
	CHECK_EQ("stat_majflt", stat_ll(12), 0);

	fflush(stdout);
	c = fork();
	if (c == 0) {
		char *q = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (int i = 0; i < pages; i++)
			q[i * 4096] = 1;
		_exit(0);
	}
	waitpid(c, NULL, 0);
	read_stat("/proc/self/stat");
	CHECK("stat_cminflt_counts_reaped_child", stat_ll(11) - children >= pages);
	munmap(p, pages * 4096);
}

/* SigQ: the signals queued to the real user, against RLIMIT_SIGPENDING. */
static void test_status_sigq(void)
{
	union sigval v = { .sival_int = 0 };
	struct timespec zero = { 0, 0 };
	long before, after, limit;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	read_file("/proc/self/status");
	before = atol(status_field("SigQ"));
	for (int i = 0; i < 3; i++)
		sigqueue(getpid(), SIGRTMIN, v);
	read_file("/proc/self/status");
	after = atol(status_field("SigQ"));
	limit = atol(strchr(status_field("SigQ"), '/') + 1);
	CHECK_EQ("status_sigq_counts_queued", after - before, 3);
	CHECK_EQ("status_sigq_limit", limit, (long)sysconf(_SC_SIGQUEUE_MAX));
	while (sigtimedwait(&set, NULL, &zero) == SIGRTMIN)
		;
	read_file("/proc/self/status");
	CHECK_EQ("status_sigq_drained", atol(status_field("SigQ")), before);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* Priority and nice as Linux shows them under each policy. */
static void test_stat_sched(void)
{
	struct sched_param sp = { 0 };
	CHECK_SUCC("nice_5", setpriority(PRIO_PROCESS, 0, 5));
	read_stat("/proc/self/stat");
	CHECK_STR("nice5_priority", stat_f[18], "25");
	CHECK_STR("nice5_nice", stat_f[19], "5");

	sp.sched_priority = 10;
	CHECK_SUCC("fifo_10", sched_setscheduler(0, SCHED_FIFO, &sp));
	read_stat("/proc/self/stat");
	CHECK_STR("fifo_priority", stat_f[18], "-11");
	CHECK_STR("fifo_nice", stat_f[19], "5");
	CHECK_STR("fifo_rt_priority", stat_f[40], "10");
	CHECK_STR("fifo_policy", stat_f[41], "1");
	read_file("/proc/self/sched");
	CHECK("sched_fifo_policy", strstr(buf, "\npolicy                                       :"
					     "                    1\n") != NULL);
	CHECK("sched_fifo_prio", strstr(buf, "\nprio                                         :"
					   "                   89\n") != NULL);

	sp.sched_priority = 30;
	CHECK_SUCC("rr_30", sched_setscheduler(0, SCHED_RR, &sp));
	read_stat("/proc/self/stat");
	CHECK_STR("rr_priority", stat_f[18], "-31");
	CHECK_STR("rr_policy", stat_f[41], "2");

	sp.sched_priority = 0;
	CHECK_SUCC("batch", sched_setscheduler(0, SCHED_BATCH, &sp));
	read_stat("/proc/self/stat");
	CHECK_STR("batch_priority", stat_f[18], "25");
	CHECK_STR("batch_rt_priority", stat_f[40], "0");
	CHECK_STR("batch_policy", stat_f[41], "3");

	CHECK_SUCC("idle", sched_setscheduler(0, SCHED_IDLE, &sp));
	read_stat("/proc/self/stat");
	CHECK_STR("idle_priority", stat_f[18], "25");
	CHECK_STR("idle_policy", stat_f[41], "5");

	CHECK_SUCC("other", sched_setscheduler(0, SCHED_OTHER, &sp));
	CHECK_SUCC("nice_0", setpriority(PRIO_PROCESS, 0, 0));
	read_stat("/proc/self/stat");
	CHECK_STR("other_priority", stat_f[18], "20");
	CHECK_STR("other_nice", stat_f[19], "0");
	CHECK_STR("other_policy", stat_f[41], "0");
}

static const char *const status_names[] = {
	"Name", "Umask", "State", "Tgid", "Ngid", "Pid", "PPid", "TracerPid", "Uid", "Gid",
	"FDSize", "Groups", "NStgid", "NSpid", "NSpgid", "NSsid", "VmPeak", "VmSize", "VmLck",
	"VmPin", "VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmData", "VmStk",
	"VmExe", "VmLib", "VmPTE", "VmSwap", "HugetlbPages", "CoreDumping", "THP_enabled",
	"Threads", "SigQ", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt", "CapInh",
	"CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp", "Seccomp_filters",
	"Speculation_Store_Bypass", "SpeculationIndirectBranch", "Cpus_allowed",
	"Cpus_allowed_list", "Mems_allowed", "Mems_allowed_list", "voluntary_ctxt_switches",
	"nonvoluntary_ctxt_switches",
};

static void handler(int sig)
{
	(void)sig;
}

static void test_status_self(void)
{
	char want[64];
	sigset_t set;
	umask(027);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGTERM, handler);

	CHECK("status_read", read_file("/proc/self/status") > 0);
	/* Every line "Name:\tvalue", the names in Linux's order. */
	unsigned int i = 0, lines = 0, order_ok = 1;
	for (char *line = buf; *line; line = strchr(line, '\n') + 1) {
		size_t n = strcspn(line, ":");
		if (i < sizeof(status_names) / sizeof(status_names[0]) &&
		    (strlen(status_names[i]) != n || strncmp(line, status_names[i], n)))
			order_ok = 0;
		if (line[n] != ':' || line[n + 1] != '\t')
			order_ok = 0;
		i++;
		lines++;
		if (!strchr(line, '\n'))
			break;
	}
	CHECK_EQ("status_lines", lines, sizeof(status_names) / sizeof(status_names[0]));
	CHECK_EQ("status_order", order_ok, 1);
	CHECK_STR("status_name", status_field("Name"), "procfs");
	CHECK_STR("status_umask", status_field("Umask"), "0027");
	CHECK_STR("status_state", status_field("State"), "R (running)");
	snprintf(want, sizeof(want), "%d", getpid());
	CHECK_STR("status_tgid", status_field("Tgid"), want);
	CHECK_STR("status_pid", status_field("Pid"), want);
	CHECK_STR("status_nspid", status_field("NSpid"), want);
	CHECK_STR("status_nstgid", status_field("NStgid"), want);
	snprintf(want, sizeof(want), "%d", getpgrp());
	CHECK_STR("status_nspgid", status_field("NSpgid"), want);
	snprintf(want, sizeof(want), "%d", getsid(0));
	CHECK_STR("status_nssid", status_field("NSsid"), want);
	snprintf(want, sizeof(want), "%d", getppid());
	CHECK_STR("status_ppid", status_field("PPid"), want);
	CHECK_STR("status_tracerpid", status_field("TracerPid"), "0");
	CHECK_STR("status_uid", status_field("Uid"), "0\t0\t0\t0");
	CHECK_STR("status_gid", status_field("Gid"), "0\t0\t0\t0");
	CHECK_STR("status_threads", status_field("Threads"), "1");
	CHECK_STR("status_sigpnd", status_field("SigPnd"), "0000000000000000");
	CHECK_STR("status_sigblk", status_field("SigBlk"), "0000000000000200");
	CHECK_STR("status_sigign", status_field("SigIgn"), "0000000000000800");
	CHECK_STR("status_sigcgt", status_field("SigCgt"), "0000000000004000");
	CHECK_STR("status_capeff_root", status_field("CapEff"), "000001ffffffffff");

	/* A pending, blocked signal shows in SigPnd (thread) or ShdPnd (process). */
	raise(SIGUSR1);
	read_file("/proc/self/status");
	CHECK_STR("status_sigpnd_raise", status_field("SigPnd"), "0000000000000200");
	CHECK_STR("status_shdpnd_none", status_field("ShdPnd"), "0000000000000000");
	signal(SIGUSR2, SIG_DFL);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR2);
	read_file("/proc/self/status");
	CHECK_STR("status_shdpnd_kill", status_field("ShdPnd"), "0000000000000800");
	/* Ignoring a signal discards it; then it may be unblocked safely. */
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	umask(022);

	CHECK("statm_read", read_file("/proc/self/statm") > 0);
	unsigned long v[8];
	CHECK_EQ("statm_fields", sscanf(buf, "%lu %lu %lu %lu %lu %lu %lu %lu", &v[0], &v[1],
					&v[2], &v[3], &v[4], &v[5], &v[6], &v[7]), 7);
	CHECK("statm_size_ge_resident", v[0] >= v[1] && v[1] > 0);
}

static void test_cmdline_child(void *arg)
{
	(void)arg;
	char *argv[] = { kt_self_path, "cmdline", "", "two words", NULL };
	char *envp[] = { "A=1", "EMPTY=", NULL };
	execve(kt_self_path, argv, envp);
	_exit(99);
}

/* Run by the re-exec'd program: its argv and envp, as /proc shows them. */
static int cmdline_main(const char *argv0)
{
	ssize_t n = read_file("/proc/self/cmdline");
	char want[512];
	int len = snprintf(want, sizeof(want), "%s%ccmdline%c%ctwo words%c", argv0, 0, 0, 0, 0);
	if (n != len || memcmp(buf, want, len))
		return 1;
	n = read_file("/proc/self/environ");
	if (n != 11 || memcmp(buf, "A=1\0EMPTY=\0", 11))
		return 2;
	return 0;
}

static void test_cmdline(void)
{
	CHECK_WSTATUS("cmdline_environ_bytes", kt_run_child(test_cmdline_child, NULL), "exit 0");
}

static pthread_barrier_t barrier;
static pid_t thread_tids[3];

static void *thread_fn(void *arg)
{
	long i = (long)arg;
	thread_tids[i] = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&barrier);	/* started */
	pthread_barrier_wait(&barrier);	/* the main thread has looked */
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[3];
	char path[128];
	pthread_barrier_init(&barrier, NULL, 4);
	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, thread_fn, (void *)i);
	pthread_barrier_wait(&barrier);

	read_stat("/proc/self/stat");
	CHECK_STR("threads_num_threads", stat_f[20], "4");
	read_file("/proc/self/status");
	CHECK_STR("threads_status", status_field("Threads"), "4");

	/* task/: the leader first, then every thread, by TID. */
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int count = 0, leader_first = 0, found = 0;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		pid_t tid = atoi(e->d_name);
		if (count == 0)
			leader_first = tid == getpid();
		for (int i = 0; i < 3; i++)
			found += tid == thread_tids[i];
		count++;
	}
	if (d)
		closedir(d);
	CHECK_EQ("task_count", count, 4);
	CHECK_EQ("task_leader_first", leader_first, 1);
	CHECK_EQ("task_all_threads", found, 3);

	/* Each waits in the barrier: asleep, once it got there. */
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", thread_tids[1]);
	for (int i = 0; i < 10000 && read_stat(path) == 52 && stat_f[3][0] != 'S'; i++)
		usleep(1000);
	CHECK_EQ("task_stat_fields", read_stat(path), 52);
	CHECK_EQ("task_stat_pid", stat_ll(1), thread_tids[1]);
	CHECK_STR("task_stat_state", stat_f[3], "S");
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", thread_tids[1]);
	read_file(path);
	char want[32];
	snprintf(want, sizeof(want), "%d", thread_tids[1]);
	CHECK_STR("task_status_pid", status_field("Pid"), want);
	snprintf(want, sizeof(want), "%d", getpid());
	CHECK_STR("task_status_tgid", status_field("Tgid"), want);

	/* A thread's TID is found by lookup in /proc, though readdir lists only processes. */
	snprintf(path, sizeof(path), "/proc/%d/stat", thread_tids[2]);
	CHECK_EQ("tid_lookup", read_stat(path), 52);
	CHECK_EQ("tid_lookup_pid", stat_ll(1), thread_tids[2]);
	d = opendir("/proc");
	int listed = 0;
	while (d && (e = readdir(d)))
		listed += atoi(e->d_name) == thread_tids[2];
	if (d)
		closedir(d);
	CHECK_EQ("tid_not_listed", listed, 0);

	/* glibc names a thread through its task/TID/comm. */
	CHECK_EQ("setname", pthread_setname_np(t[0], "worker"), 0);
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", thread_tids[0]);
	read_file(path);
	CHECK_STR("thread_comm", buf, "worker\n");
	read_file("/proc/self/comm");
	CHECK_STR("leader_comm_kept", buf, "procfs\n");

	pthread_barrier_wait(&barrier);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	/* A joined thread may still be on its way out of the kernel. */
	for (int i = 0; i < 10000 && read_stat("/proc/self/stat") == 52 &&
			strcmp(stat_f[20], "1"); i++)
		usleep(1000);
	CHECK_STR("threads_joined", stat_f[20], "1");
}

static void test_comm(void)
{
	read_file("/proc/self/comm");
	CHECK_STR("comm_read", buf, "procfs\n");
	int fd = open("/proc/self/comm", O_WRONLY);
	CHECK("comm_open_write", fd >= 0);
	CHECK_EQ("comm_write", write(fd, "renamed", 7), 7);
	close(fd);
	char name[32] = "";
	prctl(PR_GET_NAME, name);
	CHECK_STR("comm_prctl", name, "renamed");
	read_stat("/proc/self/stat");
	CHECK_STR("comm_stat", stat_f[2], "(renamed)");
	fd = open("/proc/self/comm", O_WRONLY);
	CHECK_EQ("comm_write_long", write(fd, "abcdefghijklmnopqrstuvwxyz", 26), 26);
	close(fd);
	prctl(PR_GET_NAME, name);
	CHECK_STR("comm_truncated", name, "abcdefghijklmno");
	prctl(PR_SET_NAME, "procfs");

	/* Another process's name is not ours to change. */
	int p[2];
	pipe(p);
	pid_t child = kt_fork();
	if (child == 0) {
		char c;
		read(p[0], &c, 1);
		_exit(0);
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/comm", child);
	fd = open(path, O_WRONLY);
	CHECK_ERR("comm_other_einval", write(fd, "x", 1), EINVAL);
	close(fd);
	kt_signal_fd(p[1]);
	kt_wait(child);
	close(p[0]);
	close(p[1]);
}

static void test_limits(void)
{
	static const struct { int res; rlim_t cur, max; } lim[] = {
		{ RLIMIT_CPU, RLIM_INFINITY, RLIM_INFINITY },
		{ RLIMIT_FSIZE, 1 << 30, RLIM_INFINITY },
		{ RLIMIT_DATA, RLIM_INFINITY, RLIM_INFINITY },
		{ RLIMIT_STACK, 8 << 20, RLIM_INFINITY },
		{ RLIMIT_CORE, 0, RLIM_INFINITY },
		{ RLIMIT_RSS, RLIM_INFINITY, RLIM_INFINITY },
		{ RLIMIT_NPROC, 1000, 2000 },
		{ RLIMIT_NOFILE, 256, 4096 },
		{ RLIMIT_MEMLOCK, 65536, 65536 },
		{ RLIMIT_AS, RLIM_INFINITY, RLIM_INFINITY },
		{ RLIMIT_LOCKS, RLIM_INFINITY, RLIM_INFINITY },
		{ RLIMIT_SIGPENDING, 500, 600 },
		{ RLIMIT_MSGQUEUE, 819200, 819200 },
		{ RLIMIT_NICE, 0, 10 },
		{ RLIMIT_RTPRIO, 0, 50 },
		{ RLIMIT_RTTIME, RLIM_INFINITY, RLIM_INFINITY },
	};
	struct rlimit old[16];
	int ok = 1;
	for (unsigned int i = 0; i < 16; i++) {
		struct rlimit rl = { lim[i].cur, lim[i].max };
		getrlimit(lim[i].res, &old[i]);
		ok &= setrlimit(lim[i].res, &rl) == 0;
	}
	CHECK_EQ("limits_set", ok, 1);
	CHECK("limits_read", read_file("/proc/self/limits") > 0);
	/* The whole table, spaces and all (| marks each line's end). */
	for (char *line = buf; *line;) {
		size_t n = strcspn(line, "\n");
		kt_printf("%.*s|\n", (int)n, line);
		line += n + (line[n] == '\n');
	}
	for (unsigned int i = 0; i < 16; i++)
		setrlimit(lim[i].res, &old[i]);
}

/* Only the fields Kairos has, in Linux's order and layout. */
static void test_sched_files(void)
{
	static const char *const want[] = {
		"se.exec_start", "se.vruntime", "se.sum_exec_runtime", "se.nr_migrations",
		"nr_switches", "nr_voluntary_switches", "nr_involuntary_switches",
		"se.load.weight", "policy", "prio", "clock-delta",
	};
	char first[128];
	CHECK("sched_read", read_file("/proc/self/sched") > 0);
	snprintf(first, sizeof(first), "procfs (%d, #threads: 1)\n", getpid());
	CHECK("sched_header", strncmp(buf, first, strlen(first)) == 0);
	CHECK("sched_rule", strncmp(buf + strlen(first), "-------------------------------"
				    "------------------------------------\n", 68) == 0);
	const char *p = buf;
	unsigned int found = 0;
	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char key[64];
		snprintf(key, sizeof(key), "\n%-45s:", want[i]);
		const char *q = strstr(p, key);
		if (q) {
			found++;
			p = q + 1;
		}
	}
	CHECK_EQ("sched_fields_in_order", found, sizeof(want) / sizeof(want[0]));
	CHECK("sched_weight_nice0", strstr(buf, "\nse.load.weight                               :"
					   "              1048576\n") != NULL);
	CHECK("sched_prio_nice0", strstr(buf, "\nprio                                         :"
					 "                  120\n") != NULL);

	unsigned long long run, wait;
	unsigned long slices;
	char extra;
	CHECK("schedstat_read", read_file("/proc/self/schedstat") > 0);
	CHECK_EQ("schedstat_fields", sscanf(buf, "%llu %llu %lu%c", &run, &wait, &slices,
					    &extra), 4);
	CHECK("schedstat_newline", extra == '\n');
	CHECK("schedstat_runtime", run > 0);
}

static void test_links(void)
{
	char link[4096], want[64];
	ssize_t n;
	n = readlink("/proc/self", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "%d", getpid());
	CHECK_STR("self_link", link, want);
	n = readlink("/proc/thread-self", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "%d/task/%d", getpid(), (int)syscall(SYS_gettid));
	CHECK_STR("thread_self_link", link, want);
	n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK_STR("exe_link", link, kt_self_path);
	chdir("/tmp");
	n = readlink("/proc/self/cwd", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK_STR("cwd_link", link, "/tmp");
	chdir("/");
	n = readlink("/proc/self/root", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK_STR("root_link", link, "/");

	int fd = open("/dev/null", O_RDONLY), p[2];
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK_STR("fd_link", link, "/dev/null");
	struct stat st;
	CHECK("fd_link_mode", lstat(path, &st) == 0 && (st.st_mode & 0777) == 0500 &&
			       S_ISLNK(st.st_mode));
	/* Following it opens the same file. */
	int fd2 = open(path, O_RDONLY);
	CHECK("fd_follow", fd2 >= 0);
	close(fd2);
	close(fd);
	CHECK_ERR("fd_closed", readlink(path, link, sizeof(link)), ENOENT);

	pipe(p);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[1]);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK("pipe_link", strncmp(link, "pipe:[", 6) == 0 && link[n - 1] == ']');
	CHECK("pipe_link_mode", lstat(path, &st) == 0 && (st.st_mode & 0777) == 0300);

	/* fd/ lists exactly the open descriptors. */
	DIR *d = opendir("/proc/self/fd");
	int count = 0, has_pipe = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		count++;
		has_pipe += atoi(e->d_name) == p[0];
	}
	int fds = 0;
	for (int i = 0; i < 1024; i++)
		fds += fcntl(i, F_GETFD) >= 0;
	CHECK_EQ("fd_dir_count", count, fds);
	CHECK_EQ("fd_dir_pipe", has_pipe, 1);
	if (d)
		closedir(d);
	close(p[0]);
	close(p[1]);

	fd = open("/tmp/procfs_gone", O_CREAT | O_RDWR, 0600);
	unlink("/tmp/procfs_gone");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK_STR("fd_deleted", link, "/tmp/procfs_gone (deleted)");
	close(fd);
}

static void test_maps(void)
{
	free(malloc(200000)); /* a heap, whatever the allocator did so far */
	void *brk_heap = sbrk(4096);
	CHECK("maps_read", read_file("/proc/self/maps") > 0);
	int lines = 0, good = 1, exe = 0, stack = 0, heap = 0, vdso = 0, exe_x = 0;
	for (char *line = buf; *line;) {
		unsigned long start, end, off, ino;
		unsigned int maj, min;
		char perms[5];
		int name_at = 0;
		size_t n = strcspn(line, "\n");
		line[n] = '\0';
		if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu %n", &start, &end, perms, &off, &maj,
			   &min, &ino, &name_at) != 7 || start >= end)
			good = 0;
		const char *name = line + name_at;
		if (*name && name_at != 73)
			good = 0;	/* names start in column 73 */
		if (!strcmp(name, kt_self_path)) {
			exe++;
			exe_x += perms[2] == 'x';
		}
		stack += !strcmp(name, "[stack]");
		heap += !strcmp(name, "[heap]");
		vdso += !strcmp(name, "[vdso]");
		lines++;
		line += n + 1;
	}
	CHECK("maps_lines", lines > 4);
	CHECK_EQ("maps_format", good, 1);
	CHECK("maps_exe", exe >= 2);
	CHECK_EQ("maps_exe_text", exe_x, 1);
	CHECK_EQ("maps_stack", stack, 1);
	CHECK_EQ("maps_heap", heap, brk_heap != (void *)-1);
	CHECK_EQ("maps_vdso", vdso, 1);
}

static void sleeper(void *arg)
{
	(void)arg;
	pause();
}

/* A child's state letter, as its parent sees it in /proc/PID/stat. */
static char child_state(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	return read_stat(path) == 52 ? stat_f[3][0] : '?';
}

static void test_child_states(void)
{
	int p[2];
	pipe(p);
	pid_t child = kt_fork();
	if (child == 0) {
		close(p[0]);
		kt_signal_fd(p[1]);
		sleeper(NULL);
		_exit(0);
	}
	close(p[1]);
	kt_wait_fd(p[0]);
	close(p[0]);
	/* It sleeps in pause() soon: wait for that as any observer would. */
	char state = '?';
	for (int i = 0; i < 10000 && (state = child_state(child)) != 'S'; i++)
		usleep(1000);
	CHECK_EQ("child_sleeping", state, 'S');
	CHECK_EQ("child_ppid", stat_ll(4), getpid());
	CHECK_STR("child_comm", stat_f[2], "(procfs)");

	kill(child, SIGSTOP);
	int st;
	waitpid(child, &st, WUNTRACED);
	CHECK_EQ("child_stopped", child_state(child), 'T');
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", child);
	read_file(path);
	CHECK_STR("child_status_stopped", status_field("State"), "T (stopped)");
	kill(child, SIGKILL);
	siginfo_t si;
	waitid(P_PID, child, &si, WEXITED | WNOWAIT);
	CHECK_EQ("child_zombie", child_state(child), 'Z');
	read_file(path);
	CHECK_STR("child_status_zombie", status_field("State"), "Z (zombie)");

	/* Reaped: what was open reads ESRCH, the directory is gone. */
	snprintf(path, sizeof(path), "/proc/%d/stat", child);
	int fd = open(path, O_RDONLY);
	CHECK("zombie_open", fd >= 0);
	kt_wait(child);
	char c;
	CHECK_ERR("reaped_read", read(fd, &c, 1), ESRCH);
	close(fd);
	CHECK_ERR("reaped_open", open(path, O_RDONLY), ENOENT);
	snprintf(path, sizeof(path), "/proc/%d", child);
	CHECK_ERR("reaped_dir", opendir(path) ? 0 : -1, ENOENT);
}

/*
 * A PID handed to a new process while the old one's /proc directory is still open: the
 * open directory says ESRCH, /proc/PID is the new process (clone3's set_tid picks the
 * number, as root may).
 */
static void test_pid_reuse(void)
{
	struct {
		uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
			tls, set_tid, set_tid_size;
	} args;
	char path[64];
	int p[2];

	pid_t first = kt_fork();
	if (first == 0)
		sleeper(NULL);
	snprintf(path, sizeof(path), "/proc/%d", first);
	int dirfd = open(path, O_RDONLY | O_DIRECTORY);
	CHECK("reuse_open_dir", dirfd >= 0);
	kill(first, SIGKILL);
	kt_wait(first);

	pipe(p);
	memset(&args, 0, sizeof(args));
	pid_t tid = first;
	args.exit_signal = SIGCHLD;
	args.set_tid = (uintptr_t)&tid;
	args.set_tid_size = 1;
	long second = syscall(SYS_clone3, &args, sizeof(args));
	if (second == 0) {
		prctl(PR_SET_NAME, "reborn");
		kt_signal_fd(p[1]);
		sleeper(NULL);
		_exit(0);
	}
	CHECK_EQ("reuse_same_pid", second, first);
	kt_wait_fd(p[0]);
	snprintf(path, sizeof(path), "/proc/%d/comm", first);
	read_file(path);
	CHECK_STR("reuse_new_process", buf, "reborn\n");
	CHECK_ERR("reuse_old_dir", openat(dirfd, "comm", O_RDONLY), ESRCH);
	close(dirfd);
	close(p[0]);
	close(p[1]);
	if (second > 0) {
		kill(second, SIGKILL);
		kt_wait(second);
	}
}

/* A process in a child PID namespace: NSpid and NStgid list its number at each level,
 * NSpgid and NSsid 0 where its group and session have no number. */
static void test_nspid_nested(void)
{
	int p[2];
	pid_t inner = 0;

	pipe(p);
	pid_t middle = kt_fork();
	if (middle == 0) {
		if (unshare(CLONE_NEWPID))
			_exit(2);
		pid_t child = fork();
		if (child == 0)
			sleeper(NULL);
		write(p[1], &child, sizeof(child));
		waitpid(child, NULL, 0);
		_exit(0);
	}
	CHECK_EQ("nested_child", kt_read_full(p[0], &inner, sizeof(inner)), sizeof(inner));
	char path[64], want[64];
	snprintf(path, sizeof(path), "/proc/%d/status", inner);
	read_file(path);
	snprintf(want, sizeof(want), "%d\t1", inner);
	CHECK_STR("nested_nspid", status_field("NSpid"), want);
	CHECK_STR("nested_nstgid", status_field("NStgid"), want);
	snprintf(want, sizeof(want), "%d\t0", getpgrp());
	CHECK_STR("nested_nspgid", status_field("NSpgid"), want);
	snprintf(want, sizeof(want), "%d\t0", getsid(0));
	CHECK_STR("nested_nssid", status_field("NSsid"), want);
	snprintf(want, sizeof(want), "%d", inner);
	CHECK_STR("nested_pid_outer", status_field("Pid"), want);
	kill(inner, SIGKILL);
	CHECK_WSTATUS("nested_middle", kt_wait(middle), "exit 0");
	close(p[0]);
	close(p[1]);
}

static void test_errors(void)
{
	CHECK_ERR("no_such_pid", open("/proc/2147483647/stat", O_RDONLY), ENOENT);
	CHECK_ERR("leading_zero", open("/proc/01/stat", O_RDONLY), ENOENT);
	CHECK_ERR("no_such_file", open("/proc/self/nosuchfile", O_RDONLY), ENOENT);
	/* A name /proc does not have is an error of the lookup, before any creating. */
	CHECK_ERR("mkdir", mkdir("/proc/newdir", 0755), ENOENT);
	CHECK_ERR("create", open("/proc/newfile", O_CREAT | O_WRONLY, 0644), ENOENT);
	CHECK_ERR("create_in_pid", open("/proc/self/newfile", O_CREAT | O_WRONLY, 0644), ENOENT);
	CHECK_ERR("unlink", unlink("/proc/self/stat"), EPERM);
	int fd = open("/proc/self/stat", O_RDONLY);
	CHECK_ERR("write_rdonly", write(fd, "x", 1), EBADF);
	close(fd);
	CHECK_ERR("read_dir", read(open("/proc/self", O_RDONLY | O_DIRECTORY), buf, 10), EISDIR);
	void *volatile bad = (void *)8;
	CHECK_ERR("bad_buffer", read(open("/proc/self/stat", O_RDONLY), bad, 100), EFAULT);
}

static void test_listing(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int self = 0, thread_self = 0, me = 0, init = 0, numbers_ok = 1, last = 0;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, "self"))
			self = e->d_type == DT_LNK;
		if (!strcmp(e->d_name, "thread-self"))
			thread_self = e->d_type == DT_LNK;
		int n = atoi(e->d_name);
		if (n > 0) {
			numbers_ok &= e->d_type == DT_DIR && n > last;
			last = n;
		}
		me += n == getpid();
		init += n == 1;
	}
	if (d)
		closedir(d);
	CHECK_EQ("list_self", self, 1);
	CHECK_EQ("list_thread_self", thread_self, 1);
	CHECK_EQ("list_me", me, 1);
	CHECK_EQ("list_init", init, 1);
	CHECK_EQ("list_pids_ascending", numbers_ok, 1);

	d = opendir("/proc/self");
	static const char *const want[] = { "task", "fd", "environ", "status", "limits",
					    "sched", "comm", "cmdline", "stat", "statm", "maps",
					    "cwd", "root", "exe", "mounts", "schedstat" };
	unsigned int found = 0;
	while (d && (e = readdir(d)))
		for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			found += !strcmp(e->d_name, want[i]) &&
				 (e->d_type == DT_DIR) == (i < 2) &&
				 (e->d_type == DT_LNK) == (i >= 11 && i <= 13);
	if (d)
		closedir(d);
	CHECK_EQ("list_pid_dir", found, sizeof(want) / sizeof(want[0]));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "cmdline"))
		return cmdline_main(argv[0]);
	kt_begin("procfs", 20);
	test_stat_self();
	test_stat_sched();
	test_stat_faults();
	test_status_sigq();
	test_status_self();
	test_cmdline();
	test_threads();
	test_comm();
	test_limits();
	test_sched_files();
	test_links();
	test_maps();
	test_child_states();
	test_pid_reuse();
	test_nspid_nested();
	test_errors();
	test_listing();
	return kt_end();
}
