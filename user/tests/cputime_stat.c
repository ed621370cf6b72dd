// SPDX-License-Identifier: MIT
/*
 * Where a CPU's time goes, as /proc/stat's "cpuN" line shows it: user-mode work at nice 0
 * is "user", at nice > 0 "nice", work in the kernel "system", and a CPU with nothing to
 * run "idle". This process pins itself to the last CPU and does one kind of work at a
 * time there. Under an emulator ticks go missing while the host runs something else, so
 * the columns are compared with each other, not with the time the work took; the margin
 * leaves room for the runner's own activity.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <sched.h>
#include <time.h>

enum { USER, NICE, SYSTEM, IDLE, NCOLS };

static volatile unsigned long sink;

/* cpu's first four columns of /proc/stat, in ms. */
static void cpu_stat(int cpu, long out[NCOLS])
{
	char buf[8192], name[32], *p;
	long hz = sysconf(_SC_CLK_TCK);
	int fd = open("/proc/stat", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	memset(out, 0, NCOLS * sizeof(long));
	if (n <= 0)
		return;
	buf[n] = 0;
	snprintf(name, sizeof(name), "\ncpu%d ", cpu);
	p = strstr(buf, name);
	if (!p)
		return;
	p += strlen(name);
	for (int i = 0; i < NCOLS; i++)
		out[i] = strtol(p, &p, 10) * 1000 / hz;
}

static long thread_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void burn_user(long ms)
{
	long end = thread_ms() + ms;

	while (thread_ms() < end)
		for (int i = 0; i < 100000; i++)
			sink += i;
}

static void burn_kernel(long ms)
{
	static char buf[1 << 20];
	long end = thread_ms() + ms;
	int fd = open("/dev/zero", O_RDONLY);

	memset(buf, 1, sizeof(buf));
	while (thread_ms() < end)
		if (read(fd, buf, sizeof(buf)) < 0)
			break;
	close(fd);
}

/* What one kind of work added to each column of cpu. */
static void delta(int cpu, void (*work)(long), long ms, long d[NCOLS])
{
	long a[NCOLS], b[NCOLS];

	cpu_stat(cpu, a);
	work(ms);
	cpu_stat(cpu, b);
	for (int i = 0; i < NCOLS; i++)
		d[i] = b[i] - a[i];
}

static void sleep_ms(long ms)
{
	usleep(ms * 1000);
}

int main(void)
{
	int cpu = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
	cpu_set_t set;
	long d[NCOLS];

	kt_begin("cputime_stat", 60);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	CHECK_SUCC("pin to the last cpu", sched_setaffinity(0, sizeof(set), &set));

	delta(cpu, burn_user, 600, d);
	kt_printf("user work: user, at least 4 times nice and system: %s\n",
		  d[USER] > 0 && d[USER] >= 4 * (d[NICE] + d[SYSTEM]) ? "yes" : "no");

	CHECK_SUCC("nice 5", setpriority(PRIO_PROCESS, 0, 5));
	delta(cpu, burn_user, 600, d);
	kt_printf("nice work: nice, at least 4 times user and system: %s\n",
		  d[NICE] > 0 && d[NICE] >= 4 * (d[USER] + d[SYSTEM]) ? "yes" : "no");
	CHECK_SUCC("nice 0", setpriority(PRIO_PROCESS, 0, 0));

	delta(cpu, burn_kernel, 600, d);
	kt_printf("kernel work: system, at least 4 times user and nice: %s\n",
		  d[SYSTEM] > 0 && d[SYSTEM] >= 4 * (d[USER] + d[NICE]) ? "yes" : "no");

	delta(cpu, sleep_ms, 600, d);
	kt_printf("sleeping: idle, at least 4 times the rest: %s\n",
		  d[IDLE] > 0 && d[IDLE] >= 4 * (d[USER] + d[NICE] + d[SYSTEM]) ? "yes" : "no");
	return kt_end();
}
