// SPDX-License-Identifier: MIT
/*
 * The CPU-time limits. RLIMIT_CPU: SIGXCPU at the soft limit and every second after it
 * (the soft limit moves on a second each time), SIGKILL at the hard limit, counted over
 * all of the process's threads. RLIMIT_RTTIME: the same for a real-time thread's CPU
 * time since it last blocked, in microseconds.
 */
#include "ktest_user.h"

#include <pthread.h>
#include <sched.h>
#include <time.h>

static int report_fd;
static volatile unsigned long sink;

/* Each SIGXCPU reports the soft limit it left behind. */
static void on_xcpu(int sig)
{
	struct rlimit rl;
	char c = '?';

	if (!getrlimit(RLIMIT_CPU, &rl) && rl.rlim_cur < 10)
		c = (char)('0' + rl.rlim_cur);
	write(report_fd, &c, 1);
}

static void on_xcpu_rt(int sig)
{
	struct rlimit rl;
	char c = '?';

	/* The soft limit moves on by a second (in us). */
	if (!getrlimit(RLIMIT_RTTIME, &rl))
		c = rl.rlim_cur == 1200000 ? 'm' : 'x';
	write(report_fd, &c, 1);
}

static long thread_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void *spin(void *arg)
{
	for (;;)
		sink++;
	return NULL;
}

/* Run child() in a process; print what its handlers reported and how it ended. */
static void run(const char *name, void (*child)(void))
{
	char buf[64];
	int pfd[2], st;
	ssize_t n;
	pid_t c;

	pipe(pfd);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		close(pfd[0]);
		report_fd = pfd[1];
		alarm(60);
		child();
		_exit(0);
	}
	close(pfd[1]);
	n = read(pfd[0], buf, sizeof(buf) - 1);
	for (ssize_t m = n; m > 0 && n < (ssize_t)sizeof(buf) - 1; n += m)
		m = read(pfd[0], buf + n, sizeof(buf) - 1 - n);
	buf[n > 0 ? n : 0] = 0;
	close(pfd[0]);
	waitpid(c, &st, 0);
	kt_printf("%s: reports \"%s\", %s\n", name, buf, kt_wstatus(st));
}

/* Soft 1 s, hard 3 s: SIGXCPU at 1 s and 2 s, SIGKILL at 3 s. */
static void cpu_handled(void)
{
	struct rlimit rl = { 1, 3 };

	signal(SIGXCPU, on_xcpu);
	setrlimit(RLIMIT_CPU, &rl);
	for (;;)
		sink++;
}

/* SIGXCPU's default action ends the process. */
static void cpu_default(void)
{
	struct rlimit rl = { 1, RLIM_INFINITY };

	setrlimit(RLIMIT_CPU, &rl);
	for (;;)
		sink++;
}

/* Two spinning threads reach 1 s of process time in about half a second each. */
static void cpu_threads(void)
{
	struct rlimit rl = { 1, 1 };
	pthread_t t;

	pthread_create(&t, NULL, spin, NULL);
	setrlimit(RLIMIT_CPU, &rl);
	spin(NULL);
}

/* A zero soft limit: signalled at once. */
static void cpu_zero(void)
{
	struct rlimit rl = { 0, 2 };

	signal(SIGXCPU, on_xcpu);
	setrlimit(RLIMIT_CPU, &rl);
	for (;;)
		sink++;
}

static int go_fifo(void)
{
	struct sched_param sp = { .sched_priority = 1 };
	cpu_set_t set;

	/* Alone on a CPU other than the runner's, so that nothing else waits for it. */
	CPU_ZERO(&set);
	CPU_SET(1, &set);
	sched_setaffinity(0, sizeof(set), &set);
	return sched_setscheduler(0, SCHED_FIFO, &sp);
}

/* 200 ms soft, 500 ms hard without blocking: SIGXCPU, then SIGKILL. */
static void rt_spin(void)
{
	struct rlimit rl = { 200000, 500000 };

	signal(SIGXCPU, on_xcpu_rt);
	setrlimit(RLIMIT_RTTIME, &rl);
	if (go_fifo())
		_exit(3);
	for (;;)
		sink++;
}

/*
 * Blocking now and then resets the count: 800 ms of CPU in 50 ms runs is fine. (A sleep
 * whose timer expires before the task is off the CPU, an emulator's stall between the
 * two, does not block: the limit is far enough for a few of those in a row.)
 */
static void rt_blocking(void)
{
	struct rlimit rl = { 300000, 400000 };

	signal(SIGXCPU, on_xcpu_rt);
	setrlimit(RLIMIT_RTTIME, &rl);
	if (go_fifo())
		_exit(3);
	for (int i = 0; i < 16; i++) {
		long end = thread_ms() + 50;

		while (thread_ms() < end)
			sink++;
		usleep(1000);
	}
}

/* A fair task's time does not count. */
static void rt_fair(void)
{
	struct rlimit rl = { 100000, 200000 };
	long end = thread_ms() + 400;

	setrlimit(RLIMIT_RTTIME, &rl);
	while (thread_ms() < end)
		sink++;
}

int main(void)
{
	kt_begin("rlimit_cpu", 100);
	run("RLIMIT_CPU 1/3 handled", cpu_handled);
	run("RLIMIT_CPU 1/inf default", cpu_default);
	run("RLIMIT_CPU 1/1 two threads", cpu_threads);
	run("RLIMIT_CPU 0/2 handled", cpu_zero);
	run("RLIMIT_RTTIME 200/500 ms spin", rt_spin);
	run("RLIMIT_RTTIME 300/400 ms blocking", rt_blocking);
	run("RLIMIT_RTTIME fair task", rt_fair);
	return kt_end();
}
