// SPDX-License-Identifier: MIT
/*
 * The scheduling system calls, valid and invalid arguments, as root and as an ordinary
 * user: priorities (setpriority/getpriority), policies and parameters (sched_setscheduler,
 * sched_setparam, sched_setattr with SCHED_DEADLINE and its admission control), their
 * readers, SCHED_RESET_ON_FORK at fork, priority ranges, rr_get_interval, CPU affinity
 * and sched_yield. Results that depend on the number of CPUs are printed as comparisons
 * with it.
 */
#include "ktest_user.h"

#include <sched.h>
#include <stdint.h>

#define NO_PID		0x3fffffff	/* beyond any pid_max */
#define BAD_PTR		((void *)16)

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK	0x40000000
#endif
#define SCHED_DEADLINE_		6
#define SCHED_FLAG_RESET_ON_FORK_	0x01
#define SCHED_FLAG_KEEP_POLICY_	0x08
#define SCHED_FLAG_KEEP_PARAMS_	0x10

struct attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
	uint32_t sched_util_min;
	uint32_t sched_util_max;
};

static long setattr(pid_t pid, void *a, unsigned int flags)
{
	return syscall(SYS_sched_setattr, pid, a, flags);
}

static long getattr(pid_t pid, void *a, unsigned int size, unsigned int flags)
{
	return syscall(SYS_sched_getattr, pid, a, size, flags);
}

static long setsched(pid_t pid, int policy, int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	return syscall(SYS_sched_setscheduler, pid, policy, &sp);
}

static int getprio_raw(int which, int who)
{
	return (int)syscall(SYS_getpriority, which, who);
}

static struct attr dl_attr(uint64_t runtime_us, uint64_t deadline_us, uint64_t period_us)
{
	struct attr a = { .size = 48, .sched_policy = SCHED_DEADLINE_ };

	a.sched_runtime = runtime_us * 1000;
	a.sched_deadline = deadline_us * 1000;
	a.sched_period = period_us * 1000;
	return a;
}

static void ranges(void)
{
	static const int policies[] = { 0, 1, 2, 3, 4, 5, 6, 7, -1 };

	for (unsigned i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		int p = policies[i];
		long mx = syscall(SYS_sched_get_priority_max, p);
		int emx = errno;
		long mn = syscall(SYS_sched_get_priority_min, p);
		int emn = errno;

		kt_printf("policy %d: max %ld%s min %ld%s\n", p, mx, mx < 0 ? kt_errname(emx) : "",
			  mn, mn < 0 ? kt_errname(emn) : "");
	}
}

static void getters(void)
{
	struct sched_param sp;
	struct timespec ts;

	CHECK_EQ("getscheduler self", syscall(SYS_sched_getscheduler, 0), SCHED_OTHER);
	CHECK_EQ("getscheduler by pid", syscall(SYS_sched_getscheduler, getpid()), SCHED_OTHER);
	CHECK_ERR("getscheduler -1", syscall(SYS_sched_getscheduler, -1), EINVAL);
	CHECK_ERR("getscheduler none", syscall(SYS_sched_getscheduler, NO_PID), ESRCH);
	CHECK_ERR("getparam NULL", syscall(SYS_sched_getparam, 0, NULL), EINVAL);
	CHECK_ERR("getparam -1", syscall(SYS_sched_getparam, -1, &sp), EINVAL);
	CHECK_ERR("getparam none", syscall(SYS_sched_getparam, NO_PID, &sp), ESRCH);
	CHECK_ERR("getparam bad pointer", syscall(SYS_sched_getparam, 0, BAD_PTR), EFAULT);
	sp.sched_priority = 77;
	CHECK_SUCC("getparam", syscall(SYS_sched_getparam, 0, &sp));
	CHECK_EQ("getparam other prio", sp.sched_priority, 0);
	CHECK_ERR("rr_get_interval -1", syscall(SYS_sched_rr_get_interval, -1, &ts), EINVAL);
	CHECK_ERR("rr_get_interval none", syscall(SYS_sched_rr_get_interval, NO_PID, &ts), ESRCH);
	CHECK_ERR("rr_get_interval bad pointer",
		  syscall(SYS_sched_rr_get_interval, 0, BAD_PTR), EFAULT);
	CHECK_SUCC("rr_get_interval other", syscall(SYS_sched_rr_get_interval, 0, &ts));
	CHECK("rr_get_interval other nonzero", ts.tv_sec == 0 && ts.tv_nsec > 0);
	CHECK_EQ("sched_yield", syscall(SYS_sched_yield), 0);
}

static void rt_child(void *unused)
{
	struct sched_param sp;
	struct timespec ts;

	CHECK_ERR("fifo prio 0", setsched(0, SCHED_FIFO, 0), EINVAL);
	CHECK_ERR("fifo prio 100", setsched(0, SCHED_FIFO, 100), EINVAL);
	CHECK_ERR("other prio 1", setsched(0, SCHED_OTHER, 1), EINVAL);
	CHECK_ERR("batch prio 1", setsched(0, SCHED_BATCH, 1), EINVAL);
	CHECK_ERR("policy 4", setsched(0, 4, 0), EINVAL);
	CHECK_ERR("policy 99", setsched(0, 99, 0), EINVAL);
	CHECK_ERR("policy -1", setsched(0, -1, 0), EINVAL);
	CHECK_ERR("deadline via setscheduler", setsched(0, SCHED_DEADLINE_, 0), EINVAL);
	CHECK_ERR("setscheduler NULL", syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, NULL),
		  EINVAL);
	CHECK_ERR("setscheduler bad pointer",
		  syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, BAD_PTR), EFAULT);
	CHECK_ERR("setscheduler pid -1", setsched(-1, SCHED_FIFO, 1), EINVAL);
	CHECK_ERR("setscheduler none", setsched(NO_PID, SCHED_FIFO, 1), ESRCH);
	CHECK_ERR("setparam NULL", syscall(SYS_sched_setparam, 0, NULL), EINVAL);

	CHECK_SUCC("fifo 10", setsched(0, SCHED_FIFO, 10));
	CHECK_EQ("fifo getscheduler", syscall(SYS_sched_getscheduler, 0), SCHED_FIFO);
	CHECK_SUCC("fifo getparam", syscall(SYS_sched_getparam, 0, &sp));
	CHECK_EQ("fifo prio", sp.sched_priority, 10);
	sp.sched_priority = 20;
	CHECK_SUCC("setparam 20", syscall(SYS_sched_setparam, 0, &sp));
	sp.sched_priority = 0;
	CHECK_ERR("setparam 0 on fifo", syscall(SYS_sched_setparam, 0, &sp), EINVAL);
	syscall(SYS_sched_getparam, 0, &sp);
	CHECK_EQ("setparam kept", sp.sched_priority, 20);
	CHECK_SUCC("fifo rr_get_interval", syscall(SYS_sched_rr_get_interval, 0, &ts));
	CHECK("fifo interval 0", ts.tv_sec == 0 && ts.tv_nsec == 0);
	CHECK_EQ("getpriority of fifo", getprio_raw(PRIO_PROCESS, 0), 20);

	CHECK_SUCC("rr 5", setsched(0, SCHED_RR, 5));
	CHECK_SUCC("rr rr_get_interval", syscall(SYS_sched_rr_get_interval, 0, &ts));
	kt_printf("rr interval: %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
	CHECK_EQ("sched_yield rr", syscall(SYS_sched_yield), 0);

	CHECK_SUCC("rr reset-on-fork", setsched(0, SCHED_RR | SCHED_RESET_ON_FORK, 5));
	CHECK_EQ("getscheduler reset-on-fork", syscall(SYS_sched_getscheduler, 0),
		 SCHED_RR | SCHED_RESET_ON_FORK);
	fflush(stdout);
	pid_t c = kt_fork();
	if (c == 0) {
		CHECK_EQ("child policy reset", syscall(SYS_sched_getscheduler, 0), SCHED_OTHER);
		syscall(SYS_sched_getparam, 0, &sp);
		CHECK_EQ("child prio reset", sp.sched_priority, 0);
		kt_child_exit();
	}
	CHECK_WSTATUS("reset-on-fork child", kt_wait(c), "exit 0");
	/* setparam keeps the flag. */
	sp.sched_priority = 6;
	CHECK_SUCC("setparam keeps reset-on-fork", syscall(SYS_sched_setparam, 0, &sp));
	CHECK_EQ("getscheduler after setparam", syscall(SYS_sched_getscheduler, 0),
		 SCHED_RR | SCHED_RESET_ON_FORK);
	CHECK_SUCC("back to other", setsched(0, SCHED_OTHER, 0));
	CHECK_EQ("getscheduler other", syscall(SYS_sched_getscheduler, 0), SCHED_OTHER);
	CHECK_SUCC("batch", setsched(0, SCHED_BATCH, 0));
	CHECK_EQ("getscheduler batch", syscall(SYS_sched_getscheduler, 0), SCHED_BATCH);
	CHECK_SUCC("idle", setsched(0, SCHED_IDLE, 0));
	CHECK_EQ("getscheduler idle", syscall(SYS_sched_getscheduler, 0), SCHED_IDLE);
	CHECK_SUCC("idle to other", setsched(0, SCHED_OTHER, 0));
	kt_child_exit();
}

static void nice_child(void *unused)
{
	pid_t c;

	CHECK_EQ("initial nice", getprio_raw(PRIO_PROCESS, 0), 20);
	CHECK_SUCC("nice 5", setpriority(PRIO_PROCESS, 0, 5));
	CHECK_EQ("getpriority 5", getprio_raw(PRIO_PROCESS, 0), 15);
	CHECK_EQ("getpriority by pid", getprio_raw(PRIO_PROCESS, getpid()), 15);
	CHECK_SUCC("nice 100 clamps", setpriority(PRIO_PROCESS, 0, 100));
	CHECK_EQ("getpriority 19", getprio_raw(PRIO_PROCESS, 0), 1);
	CHECK_SUCC("nice -100 clamps", setpriority(PRIO_PROCESS, 0, -100));
	CHECK_EQ("getpriority -20", getprio_raw(PRIO_PROCESS, 0), 40);
	CHECK_ERR("setpriority which 3", setpriority(3, 0, 0), EINVAL);
	CHECK_ERR("setpriority which -1", setpriority(-1, 0, 0), EINVAL);
	CHECK_ERR("getpriority which 3", getprio_raw(3, 0), EINVAL);
	CHECK_ERR("setpriority none", setpriority(PRIO_PROCESS, NO_PID, 0), ESRCH);
	CHECK_ERR("getpriority none", getprio_raw(PRIO_PROCESS, NO_PID), ESRCH);
	CHECK_ERR("getpriority pgrp none", getprio_raw(PRIO_PGRP, NO_PID), ESRCH);
	CHECK_ERR("getpriority user none", getprio_raw(PRIO_USER, 54321), ESRCH);
	CHECK_SUCC("own group", setpgid(0, 0));
	CHECK_SUCC("pgrp nice 3", setpriority(PRIO_PGRP, 0, 3));
	CHECK_EQ("pgrp getpriority", getprio_raw(PRIO_PGRP, 0), 17);
	CHECK_EQ("pgrp by id", getprio_raw(PRIO_PGRP, getpgrp()), 17);

	/* Reset-on-fork takes a negative nice back to 0, keeps a positive one. */
	CHECK_SUCC("nice -5", setpriority(PRIO_PROCESS, 0, -5));
	CHECK_SUCC("other reset-on-fork", setsched(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0));
	fflush(stdout);
	c = kt_fork();
	if (c == 0) {
		CHECK_EQ("child nice reset", getprio_raw(PRIO_PROCESS, 0), 20);
		CHECK_EQ("child flag cleared", syscall(SYS_sched_getscheduler, 0), SCHED_OTHER);
		kt_child_exit();
	}
	CHECK_WSTATUS("nice reset child", kt_wait(c), "exit 0");
	CHECK_SUCC("nice 7", setpriority(PRIO_PROCESS, 0, 7));
	fflush(stdout);
	c = kt_fork();
	if (c == 0) {
		CHECK_EQ("child positive nice kept", getprio_raw(PRIO_PROCESS, 0), 13);
		kt_child_exit();
	}
	CHECK_WSTATUS("nice kept child", kt_wait(c), "exit 0");
	kt_child_exit();
}

static void attr_child(void *unused)
{
	unsigned char big[128];
	struct attr a, g;

	memset(&a, 0, sizeof(a));
	a.size = 48;
	a.sched_nice = 4;
	CHECK_SUCC("setattr other nice 4", setattr(0, &a, 0));
	CHECK_EQ("nice from setattr", getprio_raw(PRIO_PROCESS, 0), 16);
	a.size = 0;
	a.sched_nice = 6;
	CHECK_SUCC("setattr size 0", setattr(0, &a, 0));
	a.sched_nice = 50;
	CHECK_SUCC("setattr nice 50", setattr(0, &a, 0));
	CHECK_EQ("nice clamped", getprio_raw(PRIO_PROCESS, 0), 1);
	a.size = 47;
	CHECK_ERR("setattr size 47", setattr(0, &a, 0), E2BIG);
	kt_printf("size written back: %u\n", a.size);
	a.size = 48;
	CHECK_ERR("setattr flags", setattr(0, &a, 1), EINVAL);
	CHECK_ERR("setattr NULL", setattr(0, NULL, 0), EINVAL);
	CHECK_ERR("setattr pid -1", setattr(-1, &a, 0), EINVAL);
	CHECK_ERR("setattr bad pointer", setattr(0, BAD_PTR, 0), EFAULT);
	CHECK_ERR("setattr none", setattr(NO_PID, &a, 0), ESRCH);
	memset(big, 0, sizeof(big));
	memcpy(big, &a, 48);
	((struct attr *)big)->size = sizeof(big);
	CHECK_SUCC("setattr big zero tail", setattr(0, big, 0));
	big[100] = 1;
	CHECK_ERR("setattr big nonzero tail", setattr(0, big, 0), E2BIG);
	kt_printf("size written back: %u\n", ((struct attr *)big)->size);
	a.sched_policy = 9;
	CHECK_ERR("setattr policy 9", setattr(0, &a, 0), EINVAL);
	a.sched_policy = SCHED_OTHER;
	a.sched_flags = 0x80;
	CHECK_ERR("setattr unknown flag", setattr(0, &a, 0), EINVAL);
	a.sched_flags = 0;
	a.sched_policy = SCHED_FIFO;
	a.sched_priority = 0;
	CHECK_ERR("setattr fifo 0", setattr(0, &a, 0), EINVAL);
	a.sched_priority = 30;
	CHECK_SUCC("setattr fifo 30", setattr(0, &a, 0));
	memset(&g, 0xff, sizeof(g));
	CHECK_EQ("getattr size 48", getattr(0, &g, 48, 0), 0);
	kt_printf("getattr: size %u policy %u flags %llu nice %d prio %u rt %llu dl %llu per %llu\n",
		  g.size, g.sched_policy, (unsigned long long)g.sched_flags, g.sched_nice,
		  g.sched_priority, (unsigned long long)g.sched_runtime,
		  (unsigned long long)g.sched_deadline, (unsigned long long)g.sched_period);
	memset(&g, 0xff, sizeof(g));
	CHECK_EQ("getattr full", getattr(0, &g, sizeof(g), 0), 0);
	kt_printf("getattr: size %u util %u %u\n", g.size, g.sched_util_min, g.sched_util_max);
	memset(big, 0xff, sizeof(big));
	CHECK_EQ("getattr big", getattr(0, big, sizeof(big), 0), 0);
	kt_printf("getattr big: size %u byte 100 %u\n", ((struct attr *)big)->size, big[100]);
	CHECK_ERR("getattr size 47", getattr(0, &g, 47, 0), EINVAL);
	CHECK_ERR("getattr size 8192", getattr(0, &g, 8192, 0), EINVAL);
	CHECK_ERR("getattr flags", getattr(0, &g, 48, 1), EINVAL);
	CHECK_ERR("getattr NULL", getattr(0, NULL, 48, 0), EINVAL);
	CHECK_ERR("getattr pid -1", getattr(-1, &g, 48, 0), EINVAL);
	CHECK_ERR("getattr none", getattr(NO_PID, &g, 48, 0), ESRCH);
	CHECK_ERR("getattr bad pointer", getattr(0, BAD_PTR, 48, 0), EFAULT);

	/* KEEP_PARAMS changes neither policy nor parameters (only reset-on-fork, and the
	 * utilisation clamps); KEEP_POLICY sets new parameters. */
	memset(&a, 0, sizeof(a));
	a.size = 48;
	a.sched_policy = SCHED_RR;
	a.sched_flags = SCHED_FLAG_KEEP_PARAMS_;
	CHECK_SUCC("setattr keep params", setattr(0, &a, 0));
	CHECK_EQ("keep params policy", syscall(SYS_sched_getscheduler, 0), SCHED_FIFO);
	getattr(0, &g, 48, 0);
	CHECK_EQ("keep params prio", g.sched_priority, 30);
	a.sched_flags = SCHED_FLAG_KEEP_POLICY_;
	a.sched_policy = SCHED_FIFO;
	a.sched_priority = 40;
	CHECK_SUCC("setattr keep policy", setattr(0, &a, 0));
	CHECK_EQ("keep policy policy", syscall(SYS_sched_getscheduler, 0), SCHED_FIFO);
	getattr(0, &g, 48, 0);
	CHECK_EQ("keep policy prio", g.sched_priority, 40);
	a.sched_flags = SCHED_FLAG_RESET_ON_FORK_;
	a.sched_policy = SCHED_OTHER;
	a.sched_priority = 0;
	a.sched_nice = 0;
	CHECK_SUCC("setattr reset-on-fork", setattr(0, &a, 0));
	getattr(0, &g, 48, 0);
	CHECK_EQ("getattr reset-on-fork flag", g.sched_flags, SCHED_FLAG_RESET_ON_FORK_);
	CHECK_EQ("getscheduler sees it", syscall(SYS_sched_getscheduler, 0),
		 SCHED_RESET_ON_FORK);
	kt_child_exit();
}

/* SCHED_DEADLINE's parameters, fork refusal, and its reset at fork. */
static void dl_child(void *unused)
{
	struct attr a, g;

	a = dl_attr(0, 30000, 100000);
	CHECK_ERR("dl runtime 0", setattr(0, &a, 0), EINVAL);
	a = dl_attr(10000, 5000, 100000);
	CHECK_ERR("dl deadline < runtime", setattr(0, &a, 0), EINVAL);
	a = dl_attr(10000, 30000, 20000);
	CHECK_ERR("dl period < deadline", setattr(0, &a, 0), EINVAL);
	a = dl_attr(10000, 30000, 100000);
	a.sched_runtime = 1000;
	CHECK_ERR("dl runtime < 1024 ns", setattr(0, &a, 0), EINVAL);
	a = dl_attr(10000, 30000, 100000);
	a.sched_priority = 1;
	CHECK_ERR("dl with priority", setattr(0, &a, 0), EINVAL);
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CHECK_SUCC("one cpu", sched_setaffinity(0, sizeof(set), &set));
	a = dl_attr(10000, 30000, 100000);
	CHECK_ERR("dl on one cpu", setattr(0, &a, 0), EPERM);
	memset(&set, 0xff, sizeof(set));
	CHECK_SUCC("all cpus", sched_setaffinity(0, sizeof(set), &set));
	a = dl_attr(10000, 30000, 0);
	CHECK_SUCC("dl period 0 (= deadline)", setattr(0, &a, 0));
	getattr(0, &g, 48, 0);
	kt_printf("dl: policy %u rt %llu dl %llu per %llu prio %u nice %d\n", g.sched_policy,
		  (unsigned long long)g.sched_runtime, (unsigned long long)g.sched_deadline,
		  (unsigned long long)g.sched_period, g.sched_priority, g.sched_nice);
	a = dl_attr(10000, 30000, 100000);
	CHECK_SUCC("dl 10/30/100 ms", setattr(0, &a, 0));
	getattr(0, &g, 48, 0);
	kt_printf("dl: policy %u rt %llu dl %llu per %llu\n", g.sched_policy,
		  (unsigned long long)g.sched_runtime, (unsigned long long)g.sched_deadline,
		  (unsigned long long)g.sched_period);
	struct sched_param sp;
	CHECK_SUCC("dl getparam", syscall(SYS_sched_getparam, 0, &sp));
	CHECK_EQ("dl getparam prio", sp.sched_priority, 0);
	struct timespec ts;
	CHECK_SUCC("dl rr_get_interval", syscall(SYS_sched_rr_get_interval, 0, &ts));
	CHECK("dl interval 0", ts.tv_sec == 0 && ts.tv_nsec == 0);
	CHECK_EQ("getpriority of dl", getprio_raw(PRIO_PROCESS, 0), 20);
	sp.sched_priority = 0;
	CHECK_ERR("setparam on dl", syscall(SYS_sched_setparam, 0, &sp), EINVAL);
	CHECK_ERR("fork of dl", fork(), EAGAIN);
	a.sched_flags = SCHED_FLAG_RESET_ON_FORK_;
	CHECK_SUCC("dl reset-on-fork", setattr(0, &a, 0));
	fflush(stdout);
	pid_t c = kt_fork();
	if (c == 0) {
		CHECK_EQ("dl child policy", syscall(SYS_sched_getscheduler, 0), SCHED_OTHER);
		kt_child_exit();
	}
	CHECK_WSTATUS("dl reset child", kt_wait(c), "exit 0");
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CHECK_ERR("dl setaffinity one cpu", sched_setaffinity(0, sizeof(set), &set), EBUSY);
	CHECK_SUCC("dl to other", setsched(0, SCHED_OTHER, 0));
	kt_child_exit();
}

/* Admission: 90% tasks until one is refused, one per CPU (95% of each). */
static void dl_admission(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int pipefd[2], admitted = 0, refused = 0;
	pid_t kids[16];
	int nkids = 0;

	if (pipe(pipefd))
		return;
	for (int i = 0; i < 12 && !refused; i++) {
		int st[2];

		if (pipe(st))
			break;
		pid_t c = kt_fork();
		if (c == 0) {
			struct attr a = dl_attr(90000, 100000, 100000);
			char r = setattr(0, &a, 0) ? (errno == EBUSY ? 'B' : 'E') : 'Y';

			close(pipefd[1]);
			write(st[1], &r, 1);
			read(pipefd[0], &r, 1);
			_exit(0);
		}
		char r = 'E';
		kids[nkids++] = c;
		read(st[0], &r, 1);
		close(st[0]);
		close(st[1]);
		if (r == 'Y')
			admitted++;
		else
			refused = r == 'B' ? 1 : 2;
	}
	close(pipefd[1]);
	for (int i = 0; i < nkids; i++)
		kt_wait(kids[i]);
	close(pipefd[0]);
	kt_printf("dl admission: refused with %s, admitted == CPUs: %s\n",
		  refused == 1 ? "EBUSY" : refused ? "other" : "none",
		  admitted == ncpu ? "yes" : "no");
}

static void affinity(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned long mask[16];
	long r;

	CHECK_ERR("getaffinity len 0", syscall(SYS_sched_getaffinity, 0, 0, mask), EINVAL);
	CHECK_ERR("getaffinity len 4", syscall(SYS_sched_getaffinity, 0, 4, mask), EINVAL);
	CHECK_ERR("getaffinity len 12", syscall(SYS_sched_getaffinity, 0, 12, mask), EINVAL);
	CHECK_ERR("getaffinity none", syscall(SYS_sched_getaffinity, NO_PID, 8, mask), ESRCH);
	CHECK_ERR("getaffinity bad pointer", syscall(SYS_sched_getaffinity, 0, 8, BAD_PTR),
		  EFAULT);
	memset(mask, 0xff, sizeof(mask));
	r = syscall(SYS_sched_getaffinity, 0, 8, mask);
	kt_printf("getaffinity len 8: %ld, all online: %s\n", r,
		  mask[0] == (1UL << ncpu) - 1 ? "yes" : "no");
	memset(mask, 0xff, sizeof(mask));
	r = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
	kt_printf("getaffinity len 128: %ld, next word untouched: %s\n", r,
		  mask[r / 8] == ~0UL ? "yes" : "no");

	memset(mask, 0, sizeof(mask));
	CHECK_ERR("setaffinity empty", syscall(SYS_sched_setaffinity, 0, 8, mask), EINVAL);
	CHECK_ERR("setaffinity len 0", syscall(SYS_sched_setaffinity, 0, 0, mask), EINVAL);
	mask[0] = 1UL << 63;
	CHECK_ERR("setaffinity offline only", syscall(SYS_sched_setaffinity, 0, 8, mask), EINVAL);
	mask[0] = 0;
	mask[1] = 1;
	CHECK_ERR("setaffinity cpu 64 only", syscall(SYS_sched_setaffinity, 0, 16, mask), EINVAL);
	mask[0] = 1;
	CHECK_ERR("setaffinity bad pointer", syscall(SYS_sched_setaffinity, 0, 8, BAD_PTR), EFAULT);
	CHECK_ERR("setaffinity none", syscall(SYS_sched_setaffinity, NO_PID, 8, mask), ESRCH);
	CHECK_ERR("setaffinity -1", syscall(SYS_sched_setaffinity, -1, 8, mask), ESRCH);
	mask[0] = (1UL << 63) | 1;
	CHECK_SUCC("setaffinity cpu 0 and offline", syscall(SYS_sched_setaffinity, 0, 8, mask));
	memset(mask, 0xff, sizeof(mask));
	syscall(SYS_sched_getaffinity, 0, 8, mask);
	CHECK_EQ("getaffinity cpu 0", mask[0], 1);
	CHECK_EQ("on cpu 0", sched_getcpu(), 0);
	if (ncpu > 1) {
		mask[0] = 2;
		CHECK_SUCC("setaffinity cpu 1", syscall(SYS_sched_setaffinity, 0, 4, mask));
		kt_printf("on cpu 1: %s\n", sched_getcpu() == 1 ? "yes" : "no");
	}
	mask[0] = ~0UL;
	mask[1] = ~0UL;
	CHECK_SUCC("setaffinity all", syscall(SYS_sched_setaffinity, 0, 16, mask));
	memset(mask, 0, sizeof(mask));
	syscall(SYS_sched_getaffinity, 0, 8, mask);
	CHECK_EQ("getaffinity all online", mask[0], (1UL << ncpu) - 1);
}

/* As uid 1000, with RLIMIT_NICE 25 (down to nice -5) and RLIMIT_RTPRIO 10. */
static void user_child(void *arg)
{
	pid_t parent = *(pid_t *)arg;
	struct rlimit nice_rl = { 25, 25 }, rtprio_rl = { 10, 10 };
	unsigned long mask = 1;
	struct sched_param sp;
	struct attr a;

	setrlimit(RLIMIT_NICE, &nice_rl);
	setrlimit(RLIMIT_RTPRIO, &rtprio_rl);
	CHECK_SUCC("setresuid 1000", setresuid(1000, 1000, 1000));

	CHECK_SUCC("user nice 5", setpriority(PRIO_PROCESS, 0, 5));
	CHECK_SUCC("user nice 5 again", setpriority(PRIO_PROCESS, 0, 5));
	CHECK_SUCC("user nice -5", setpriority(PRIO_PROCESS, 0, -5));
	CHECK_ERR("user nice -6", setpriority(PRIO_PROCESS, 0, -6), EACCES);
	CHECK_EQ("user nice still -5", getprio_raw(PRIO_PROCESS, 0), 25);
	CHECK_ERR("user nice parent", setpriority(PRIO_PROCESS, parent, 5), EPERM);
	CHECK_EQ("user getpriority parent", getprio_raw(PRIO_PROCESS, parent), 20);
	CHECK_SUCC("user nice by uid", setpriority(PRIO_USER, 1000, 10));
	CHECK_EQ("user getpriority by uid", getprio_raw(PRIO_USER, 1000), 10);
	CHECK_EQ("user getpriority uid 0", getprio_raw(PRIO_USER, 0), 10);
	CHECK_ERR("user setpriority user none", setpriority(PRIO_USER, 54321, 10), ESRCH);

	memset(&a, 0, sizeof(a));
	a.size = 48;
	a.sched_nice = -6;
	CHECK_ERR("user setattr nice -6", setattr(0, &a, 0), EPERM);
	a.sched_nice = -5;
	CHECK_SUCC("user setattr nice -5", setattr(0, &a, 0));

	CHECK_ERR("user fifo 11", setsched(0, SCHED_FIFO, 11), EPERM);
	CHECK_SUCC("user fifo 10", setsched(0, SCHED_FIFO, 10));
	CHECK_SUCC("user fifo 5", setsched(0, SCHED_FIFO, 5));
	sp.sched_priority = 10;
	CHECK_SUCC("user setparam 10", syscall(SYS_sched_setparam, 0, &sp));
	sp.sched_priority = 11;
	CHECK_ERR("user setparam 11", syscall(SYS_sched_setparam, 0, &sp), EPERM);
	CHECK_SUCC("user rr 3", setsched(0, SCHED_RR, 3));
	CHECK_SUCC("user back to other", setsched(0, SCHED_OTHER, 0));
	a = dl_attr(10000, 30000, 100000);
	CHECK_ERR("user deadline", setattr(0, &a, 0), EPERM);
	CHECK_ERR("user setscheduler parent", setsched(parent, SCHED_OTHER, 0), EPERM);
	CHECK_EQ("user getscheduler parent", syscall(SYS_sched_getscheduler, parent), SCHED_OTHER);
	CHECK_SUCC("user getparam parent", syscall(SYS_sched_getparam, parent, &sp));
	CHECK_ERR("user setaffinity parent", syscall(SYS_sched_setaffinity, parent, 8, &mask),
		  EPERM);
	CHECK_SUCC("user getaffinity parent", syscall(SYS_sched_getaffinity, parent, 8, &mask));
	CHECK_SUCC("user setaffinity self", syscall(SYS_sched_setaffinity, 0, 8, &mask));

	/* Reset-on-fork may be set, not cleared, without privilege. */
	CHECK_SUCC("user set reset-on-fork", setsched(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0));
	CHECK_ERR("user clear reset-on-fork", setsched(0, SCHED_OTHER, 0), EPERM);

	/* Leaving SCHED_IDLE counts as lowering nice from 20. */
	nice_rl.rlim_cur = 0;
	CHECK_SUCC("user RLIMIT_NICE 0", setrlimit(RLIMIT_NICE, &nice_rl));
	CHECK_SUCC("user idle", setsched(0, SCHED_IDLE | SCHED_RESET_ON_FORK, 0));
	CHECK_ERR("user leave idle", setsched(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0), EPERM);
	CHECK_ERR("user batch from idle", setsched(0, SCHED_BATCH | SCHED_RESET_ON_FORK, 0), EPERM);
	CHECK_EQ("user policy now", syscall(SYS_sched_getscheduler, 0) & 0xff, SCHED_IDLE);
	rtprio_rl.rlim_cur = 0;
	CHECK_SUCC("user RLIMIT_RTPRIO 0", setrlimit(RLIMIT_RTPRIO, &rtprio_rl));
	CHECK_ERR("user fifo 1 without rtprio", setsched(0, SCHED_FIFO | SCHED_RESET_ON_FORK, 1),
		  EPERM);
	kt_child_exit();
}

int main(void)
{
	pid_t self = getpid();

	kt_begin("sched_calls", 25);
	ranges();
	getters();
	CHECK_WSTATUS("rt child", kt_run_child(rt_child, NULL), "exit 0");
	CHECK_WSTATUS("nice child", kt_run_child(nice_child, NULL), "exit 0");
	CHECK_WSTATUS("attr child", kt_run_child(attr_child, NULL), "exit 0");
	CHECK_WSTATUS("dl child", kt_run_child(dl_child, NULL), "exit 0");
	dl_admission();
	affinity();
	CHECK_WSTATUS("user child", kt_run_child(user_child, &self), "exit 0");
	return kt_end();
}
