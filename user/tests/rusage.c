// SPDX-License-Identifier: MIT
/*
 * Resource usage: getrusage (SELF, CHILDREN, THREAD), wait4's rusage, times(), and the
 * CPU-time clocks, after work whose kind is known (user-mode loops, kernel-mode copies,
 * page faults, sleeps). Only comparisons with generous bounds are printed.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/times.h>
#include <time.h>

#define PAGES	1000

static volatile unsigned long sink;

static long ms(const struct timeval *tv)
{
	return tv->tv_sec * 1000L + tv->tv_usec / 1000;
}

static long clock_ms(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* Loop in user mode until this thread has had ms of CPU. */
static void burn_user(long msec)
{
	long end = clock_ms(CLOCK_THREAD_CPUTIME_ID) + msec;

	while (clock_ms(CLOCK_THREAD_CPUTIME_ID) < end)
		for (int i = 0; i < 100000; i++)
			sink += i;
}

/* Make the kernel copy: read /dev/zero into a buffer already faulted in. */
static void burn_kernel(long msec)
{
	static char buf[1 << 20];
	long end = clock_ms(CLOCK_THREAD_CPUTIME_ID) + msec;
	int fd = open("/dev/zero", O_RDONLY);

	memset(buf, 1, sizeof(buf));
	while (clock_ms(CLOCK_THREAD_CPUTIME_ID) < end)
		if (read(fd, buf, sizeof(buf)) < 0)
			break;
	close(fd);
}

static void touch_pages(void)
{
	char *p = mmap(NULL, PAGES * 4096L, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	/* One fault a page: no transparent huge page (Kairos has none; Linux may). */
	madvise(p, PAGES * 4096L, MADV_NOHUGEPAGE);
	for (long i = 0; i < PAGES; i++)
		p[i * 4096] = 1;
	munmap(p, PAGES * 4096L);
}

static void *thread_burn(void *arg)
{
	struct rusage ru;

	burn_user(300);
	getrusage(RUSAGE_THREAD, &ru);
	kt_printf("thread: own time >= 250 ms: %s\n",
		  ms(&ru.ru_utime) + ms(&ru.ru_stime) >= 250 ? "yes" : "no");
	return NULL;
}

int main(void)
{
	struct rusage ru, ru0;
	struct tms t;
	pid_t c;
	int st;

	kt_begin("rusage", 60);
	CHECK_ERR("getrusage who 2", syscall(SYS_getrusage, 2, &ru), EINVAL);
	CHECK_ERR("getrusage who -3", syscall(SYS_getrusage, -3, &ru), EINVAL);
	CHECK_ERR("getrusage bad pointer", syscall(SYS_getrusage, RUSAGE_SELF, (void *)16), EFAULT);
	CHECK_SUCC("getrusage children", getrusage(RUSAGE_CHILDREN, &ru));
	CHECK_EQ("no children yet", ms(&ru.ru_utime) + ms(&ru.ru_stime) + ru.ru_minflt, 0);

	/* User-mode work shows as user time, in the child's wait4 rusage. */
	fflush(stdout);
	c = kt_fork();
	if (c == 0) {
		burn_user(400);
		_exit(0);
	}
	CHECK_EQ("wait4 user child", wait4(c, &st, 0, &ru), c);
	kt_printf("user child: time >= 350 ms: %s, utime > 3 * stime: %s\n",
		  ms(&ru.ru_utime) + ms(&ru.ru_stime) >= 350 ? "yes" : "no",
		  ms(&ru.ru_utime) > 3 * ms(&ru.ru_stime) ? "yes" : "no");

	/* Copies in the kernel show as system time. */
	fflush(stdout);
	c = kt_fork();
	if (c == 0) {
		burn_kernel(400);
		_exit(0);
	}
	CHECK_EQ("wait4 kernel child", wait4(c, &st, 0, &ru), c);
	kt_printf("kernel child: time >= 350 ms: %s, stime > 3 * utime: %s\n",
		  ms(&ru.ru_utime) + ms(&ru.ru_stime) >= 350 ? "yes" : "no",
		  ms(&ru.ru_stime) > 3 * ms(&ru.ru_utime) ? "yes" : "no");

	/* Faults and sleeps. */
	fflush(stdout);
	c = kt_fork();
	if (c == 0) {
		touch_pages();
		for (int i = 0; i < 10; i++)
			usleep(2000);
		_exit(0);
	}
	CHECK_EQ("wait4 fault child", wait4(c, &st, 0, &ru), c);
	kt_printf("fault child: minflt >= %d: %s, nvcsw >= 10: %s\n", PAGES,
		  ru.ru_minflt >= PAGES ? "yes" : "no", ru.ru_nvcsw >= 10 ? "yes" : "no");

	/* A grandchild's time reaches us through the child that reaped it. */
	fflush(stdout);
	c = kt_fork();
	if (c == 0) {
		pid_t g = fork();
		if (g == 0) {
			burn_user(300);
			_exit(0);
		}
		waitpid(g, NULL, 0);
		_exit(0);
	}
	CHECK_EQ("wait4 grandparent", wait4(c, &st, 0, &ru), c);
	kt_printf("grandchild's time in wait4: %s\n",
		  ms(&ru.ru_utime) + ms(&ru.ru_stime) >= 250 ? "yes" : "no");

	getrusage(RUSAGE_CHILDREN, &ru);
	kt_printf("children: time >= 1100 ms: %s, minflt >= %d: %s, nvcsw >= 10: %s\n",
		  ms(&ru.ru_utime) + ms(&ru.ru_stime) >= 1100 ? "yes" : "no", PAGES,
		  ru.ru_minflt >= PAGES ? "yes" : "no", ru.ru_nvcsw >= 10 ? "yes" : "no");
	times(&t);
	kt_printf("times: children >= 1.1 s: %s\n",
		  t.tms_cutime + t.tms_cstime >= 110 * sysconf(_SC_CLK_TCK) / 100 ? "yes" : "no");

	/* Our own usage. */
	getrusage(RUSAGE_SELF, &ru0);
	touch_pages();
	burn_user(200);
	getrusage(RUSAGE_SELF, &ru);
	kt_printf("self: minflt grew by >= %d: %s, time grew by >= 150 ms: %s\n", PAGES,
		  ru.ru_minflt - ru0.ru_minflt >= PAGES ? "yes" : "no",
		  ms(&ru.ru_utime) + ms(&ru.ru_stime) - ms(&ru0.ru_utime) - ms(&ru0.ru_stime) >=
				  150 ? "yes" : "no");
	kt_printf("self: process clock >= rusage: %s\n",
		  clock_ms(CLOCK_PROCESS_CPUTIME_ID) >= ms(&ru.ru_utime) + ms(&ru.ru_stime) ?
			  "yes" : "no");
	times(&t);
	kt_printf("times: self >= 0.2 s: %s\n",
		  t.tms_utime + t.tms_stime >= 20 * sysconf(_SC_CLK_TCK) / 100 ? "yes" : "no");

	/* A thread's time is its own (RUSAGE_THREAD) and the process's. */
	pthread_t th;
	getrusage(RUSAGE_SELF, &ru0);
	pthread_create(&th, NULL, thread_burn, NULL);
	pthread_join(th, NULL);
	getrusage(RUSAGE_SELF, &ru);
	kt_printf("self after thread: grew by >= 250 ms: %s\n",
		  ms(&ru.ru_utime) + ms(&ru.ru_stime) - ms(&ru0.ru_utime) - ms(&ru0.ru_stime) >=
				  250 ? "yes" : "no");
	getrusage(RUSAGE_THREAD, &ru);
	getrusage(RUSAGE_SELF, &ru0);
	kt_printf("main thread: less than the process by >= 250 ms: %s\n",
		  ms(&ru0.ru_utime) + ms(&ru0.ru_stime) - ms(&ru.ru_utime) - ms(&ru.ru_stime) >=
				  250 ? "yes" : "no");

	/* Work that shifts between user and kernel mode: what is reported never goes back. */
	struct rusage tr0, tr;
	int back = 0;
	getrusage(RUSAGE_SELF, &ru0);
	getrusage(RUSAGE_THREAD, &tr0);
	for (int i = 0; i < 60; i++) {
		if ((i / 10) % 2)
			burn_kernel(5);
		else
			burn_user(5);
		getrusage(RUSAGE_SELF, &ru);
		getrusage(RUSAGE_THREAD, &tr);
		back |= timercmp(&ru.ru_utime, &ru0.ru_utime, <) ||
			timercmp(&ru.ru_stime, &ru0.ru_stime, <) ||
			timercmp(&tr.ru_utime, &tr0.ru_utime, <) ||
			timercmp(&tr.ru_stime, &tr0.ru_stime, <);
		ru0 = ru;
		tr0 = tr;
	}
	kt_printf("utime and stime never went back: %s\n", back ? "no" : "yes");

	/* Another process's CPU-time clock, while it runs and after it stopped. */
	int pfd[2];
	clockid_t cid;
	pipe(pfd);
	fflush(stdout);
	c = kt_fork();
	if (c == 0) {
		char b = 0;
		burn_user(300);
		write(pfd[1], &b, 1);
		pause();
		_exit(0);
	}
	char b;
	read(pfd[0], &b, 1);
	CHECK_EQ("clock_getcpuclockid", clock_getcpuclockid(c, &cid), 0);
	long a1 = clock_ms(cid);
	usleep(100000);
	long a2 = clock_ms(cid);
	kt_printf("child clock: >= 250 ms: %s, still while it sleeps: %s\n",
		  a1 >= 250 ? "yes" : "no", a2 - a1 < 20 ? "yes" : "no");
	kill(c, SIGKILL);
	CHECK_EQ("wait4 killed", wait4(c, &st, 0, &ru), c);
	kt_printf("killed child's rusage >= 250 ms: %s\n",
		  ms(&ru.ru_utime) + ms(&ru.ru_stime) >= 250 ? "yes" : "no");
	return kt_end();
}
