// SPDX-License-Identifier: MIT
/*
 * Wake-up latency as cyclictest measures it: a SCHED_FIFO task (priority 90, memory
 * locked) sleeps to an absolute CLOCK_MONOTONIC time 1 ms after the previous one, over
 * and over; the latency of each wake-up is how late it reads the clock after the time
 * it asked for. Measured with the machine idle, then with a CPU-bound SCHED_OTHER
 * process pinned to every CPU (the FIFO task must preempt one). Size: wake-ups per case.
 * Figures: wakeup_{idle,loaded}_{avg,p99,max}, microseconds.
 */
#include "bench.h"

#include <sys/mman.h>

#define INTERVAL_NS 1000000

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void measure(const char *name, long n, uint64_t *lat)
{
	struct timespec next;
	char figure[64];
	double sum = 0;

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (long i = 0; i < n; i++) {
		struct timespec now;
		int err;

		next.tv_nsec += INTERVAL_NS;
		if (next.tv_nsec >= 1000000000) {
			next.tv_nsec -= 1000000000;
			next.tv_sec++;
		}
		while ((err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL)))
			if (err != EINTR) {
				errno = err;
				die("clock_nanosleep");
			}
		clock_gettime(CLOCK_MONOTONIC, &now);
		lat[i] = (uint64_t)(now.tv_sec - next.tv_sec) * 1000000000u +
			 (uint64_t)(now.tv_nsec - next.tv_nsec);
		sum += lat[i];
	}
	qsort(lat, n, sizeof(*lat), cmp_u64);
	snprintf(figure, sizeof(figure), "wakeup_%s_avg", name);
	report(figure, sum / n / 1e3, "us");
	snprintf(figure, sizeof(figure), "wakeup_%s_p99", name);
	report(figure, lat[(n * 99 + 99) / 100 - 1] / 1e3, "us");
	snprintf(figure, sizeof(figure), "wakeup_%s_max", name);
	report(figure, lat[n - 1] / 1e3, "us");
}

int main(int argc, char **argv)
{
	long n = bench_size(argc, argv, 1000);
	struct sched_param sp = { .sched_priority = 90 };
	uint64_t *lat = calloc(n, sizeof(*lat));
	int cpus = online_cpus();
	pid_t hogs[256];

	if (!lat)
		die("calloc");
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		die("mlockall");
	if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
		die("sched_setscheduler");
	measure("idle", n, lat);

	for (int c = 0; c < cpus && c < 256; c++) {
		hogs[c] = fork();
		if (hogs[c] < 0)
			die("fork");
		if (hogs[c] == 0) {
			struct sched_param other = { 0 };

			if (sched_setscheduler(0, SCHED_OTHER, &other) < 0)
				die("sched_setscheduler");
			pin_cpu(c);
			for (;;)
				__asm__ volatile("" ::: "memory");
		}
	}
	measure("loaded", n, lat);
	for (int c = 0; c < cpus && c < 256; c++) {
		int status;

		kill(hogs[c], SIGKILL);
		waitpid(hogs[c], &status, 0);
	}
	return 0;
}
