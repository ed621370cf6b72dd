/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the benchmarks in user/bench/ (docs/performance.md).
 *
 * A benchmark is a static program run by the bench driver (user/bench-driver.c) with one
 * optional argument, its size (what it counts depends on the benchmark); without it, it
 * runs at the size `make bench` uses. It prints one line per figure,
 *
 *	BENCH <figure>=<value> <unit>
 *
 * and exits 0; anything else (a crash, a failed system call) makes it print a line
 * starting "bench: " on stderr and exit non-zero. Times come from CLOCK_MONOTONIC, which
 * both kernels read in the vDSO from the same counter. Costs per operation are the
 * fastest of BATCHES batches (best_batch_ns).
 */
#ifndef BENCH_H
#define BENCH_H

#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "bench: %s: %s\n", msg, strerror(err));
	exit(1);
}

static inline void report(const char *figure, double value, const char *unit)
{
	printf("BENCH %s=%.3f %s\n", figure, value, unit);
	fflush(stdout);
}

#define BATCHES 5

/*
 * Runs fn(n / BATCHES, arg) once to warm up (caches, page tables, slabs), then BATCHES
 * times, and returns the fastest batch's time per operation in nanoseconds. What the
 * host adds (other QEMU threads and other users of its CPUs) only ever adds time, so
 * the fastest batch is the closest to the kernel's own cost; lmbench does the same.
 */
static inline double best_batch_ns(void (*fn)(long, void *), void *arg, long n)
{
	long per = n / BATCHES > 0 ? n / BATCHES : 1;
	double best = 0;

	fn(per, arg);
	for (int b = 0; b < BATCHES; b++) {
		uint64_t t0 = now_ns();
		double ns;

		fn(per, arg);
		ns = (double)(now_ns() - t0) / per;
		if (b == 0 || ns < best)
			best = ns;
	}
	return best;
}

/* The benchmark's size: argv[1], or make bench's. */
static inline long bench_size(int argc, char **argv, long full)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : full;

	return n > 0 ? n : full;
}

/* CPUs this process may run on (sysconf would read /sys, which a kernel may lack). */
static inline int online_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		die("sched_getaffinity");
	return CPU_COUNT(&set);
}

/* Pins the calling thread to one CPU. */
static inline void pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		die("sched_setaffinity %d", cpu);
}

/* Waits for a child and dies unless it exited 0. */
static inline void reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		errno = 0;
		die("child %s %d", WIFEXITED(status) ? "exited" : "killed by signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	}
}

static inline void write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("write");
		p += n;
		len -= (size_t)n;
	}
}

/* Reads exactly len bytes; returns 0 at end of file before any. */
static inline size_t read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read");
		if (n == 0) {
			if (got == 0)
				return 0;
			errno = 0;
			die("short read");
		}
		got += (size_t)n;
	}
	return got;
}

#endif
