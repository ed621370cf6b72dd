// SPDX-License-Identifier: MIT
/*
 * Scheduling as a user sees it, measured from the CPU time processes are charged:
 * (a) two CPU hogs on one CPU at nice 0 and nice 5 share it 1024 : 335 (CFS's weights);
 * (b) a SCHED_FIFO hog leaves a nice -20 hog on its CPU only what RT throttling frees
 *     (sched_rt_runtime_us 950000 of sched_rt_period_us 1000000: about 5%; 2-15% passes);
 * (c) sched_setaffinity moves a running process, and /proc/PID/stat's "processor"
 *     field follows.
 * CPU time comes from /proc/PID/stat (utime + stime, in clock ticks). Shares are medians
 * over many windows, robust to a loaded host's stalls: only the verdicts are printed.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <sched.h>

static volatile unsigned long sink;

/* Field n (1-based, as proc(5) numbers them) of /proc/pid/stat, or -1. */
static long stat_field(pid_t pid, int n)
{
	char path[64], buf[1024], *p;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = 0;
	/* The name (field 2) may hold spaces and parentheses: count from its last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	for (int f = 2; f < n; f++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -1;
	}
	return strtol(p + 1, NULL, 10);
}

/* pid's CPU time in ms. */
static long cpu_ms(pid_t pid)
{
	return (stat_field(pid, 14) + stat_field(pid, 15)) * 1000 / sysconf(_SC_CLK_TCK);
}

static void pin(pid_t pid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(pid, sizeof(set), &set);
}

/* A child that pins itself to cpu, takes policy/nice, tells us, and spins. */
static pid_t hog(int cpu, int policy, int prio, int nice)
{
	struct sched_param sp = { .sched_priority = prio };
	int pfd[2];
	char c = 0;
	pid_t p;

	pipe(pfd);
	p = fork();
	if (p == 0) {
		alarm(90);
		pin(0, cpu);
		if (policy != SCHED_OTHER)
			sched_setscheduler(0, policy, &sp);
		else
			setpriority(PRIO_PROCESS, 0, nice);
		write(pfd[1], &c, 1);
		for (;;)
			sink++;
	}
	read(pfd[0], &c, 1);
	close(pfd[0]);
	close(pfd[1]);
	return p;
}

static void stop(pid_t p)
{
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
}

/*
 * The ratio of a's CPU time to b's, robust to the emulator's stalls. A host that stops the
 * emulated CPU for tens of milliseconds charges the stall to whichever hog was running;
 * CFS pays it back over the next few hundred milliseconds, but a window that ends in
 * between is off by the whole stall (3% of the nice 5 hog's 1.7 s is 50 ms). So samples
 * are taken every 100 ms, and the ratio is the median over every pair of samples at least
 * NICE_SPAN of CPU time apart (Theil-Sen): a stall spoils only the pairs that end inside
 * its payback. Wrong weights spoil every pair. (Measured at host load 10-17: 8 s of
 * samples with a 4 s span still missed by 3.4% once in twelve runs; 16 s with 6 s, 0.6%
 * at worst.)
 */
#define NICE_SAMPLES 161	/* 16 s */
#define NICE_SPAN 6000		/* ms of the two hogs' CPU time */

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static double share_ratio(pid_t a, pid_t b, long *busy)
{
	static long ta[NICE_SAMPLES], tb[NICE_SAMPLES];
	static double r[NICE_SAMPLES * NICE_SAMPLES / 2];
	size_t n = 0;

	sleep(1);
	for (int i = 0; i < NICE_SAMPLES; i++) {
		if (i)
			usleep(100000);
		ta[i] = cpu_ms(a);
		tb[i] = cpu_ms(b);
	}
	for (int i = 0; i < NICE_SAMPLES; i++)
		for (int j = i + 1; j < NICE_SAMPLES; j++)
			if (ta[j] + tb[j] - ta[i] - tb[i] >= NICE_SPAN && tb[j] > tb[i])
				r[n++] = (double)(ta[j] - ta[i]) / (double)(tb[j] - tb[i]);
	*busy = ta[NICE_SAMPLES - 1] + tb[NICE_SAMPLES - 1] - ta[0] - tb[0];
	if (!n)
		return 0;
	qsort(r, n, sizeof(r[0]), cmp_double);
	return r[n / 2];
}

static void nice_share(void)
{
	pid_t a = hog(1, SCHED_OTHER, 0, 0), b = hog(1, SCHED_OTHER, 0, 5);
	long busy;
	double r = share_ratio(a, b, &busy);

	stop(a);
	stop(b);
	/* 1024 / 335 = 3.057; within 3%. */
	kt_printf("nice 0 : nice 5 share within 3%% of 1024 : 335: %s\n",
		  r > 3.057 * 0.97 && r < 3.057 * 1.03 ? "yes" : "no");
	kt_printf("the CPU was kept busy: %s\n", busy > 14000 ? "yes" : "no");
}

/*
 * The fair hog's share of the two hogs' CPU time against a FIFO hog, robust to stalls
 * the same way: samples every 100 ms for 10 s, the share over each second (an RT period,
 * so one throttled turn) between them, and the median of those. A stall is charged
 * whole to whichever hog ran, so it spoils the seconds around it (with stalls of up to
 * 1.5 s injected, one 5 s window fell outside 2-15%), not the median; no throttling,
 * or FIFO not winning, moves every second.
 */
#define RT_SAMPLES 101		/* 10 s */
#define RT_WINDOW 10		/* samples: 1 s */

static double throttled_share(pid_t rt, pid_t fair)
{
	static long tr[RT_SAMPLES], tf[RT_SAMPLES];
	static double share[RT_SAMPLES];
	size_t n = 0;

	sleep(1);
	for (int i = 0; i < RT_SAMPLES; i++) {
		if (i)
			usleep(100000);
		tr[i] = cpu_ms(rt);
		tf[i] = cpu_ms(fair);
	}
	for (int i = 0; i + RT_WINDOW < RT_SAMPLES; i++) {
		long drt = tr[i + RT_WINDOW] - tr[i], dfair = tf[i + RT_WINDOW] - tf[i];

		if (drt + dfair > 0)
			share[n++] = (double)dfair / (double)(drt + dfair);
	}
	if (!n)
		return 0;
	qsort(share, n, sizeof(share[0]), cmp_double);
	return share[n / 2];
}

static void rt_throttle(void)
{
	pid_t rt = hog(1, SCHED_FIFO, 1, 0), fair = hog(1, SCHED_OTHER, 0, -20);
	double share = throttled_share(rt, fair);

	stop(rt);
	stop(fair);
	/* About 5%: 0 without throttling (or if RT borrowed from other CPUs' budgets, as
	 * RT_RUNTIME_SHARE did), 50% if FIFO did not win. */
	kt_printf("fifo hog keeps nice -20 to the throttled share (2%% - 15%%): %s\n",
		  share > 0.02 && share < 0.15 ? "yes" : "no");
}

/* Where pid is: /proc/pid/stat's "processor". */
static int where(pid_t pid)
{
	return (int)stat_field(pid, 39);
}

static void migrate(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	pid_t p;

	p = fork();
	if (p == 0) {
		alarm(90);
		for (;;)
			sink++;
	}
	/* To the last CPU, then back to CPU 0 (where this process is). */
	for (int i = 0; i < 2; i++) {
		int cpu = i ? 0 : (int)ncpu - 1, n = 0;

		pin(p, cpu);
		/* The stat file may lag a tick behind the move. */
		while (where(p) != cpu && n++ < 200)
			usleep(10000);
		kt_printf("running process moved to %s: %s\n", i ? "cpu 0" : "the last cpu",
			  where(p) == cpu ? "yes" : "no");
	}
	stop(p);
}

int main(void)
{
	kt_begin("sched_behaviour", 110);
	/* The measuring parent keeps off the hogs' CPU. */
	pin(0, 0);
	nice_share();
	rt_throttle();
	migrate();
	return kt_end();
}
