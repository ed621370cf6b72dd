// SPDX-License-Identifier: MIT
/*
 * The cheapest system call: getpid by svc (not glibc's wrapper, which a C library may
 * answer from a cache), so the figure is entry, dispatch and return to user space.
 * Size: calls. Figure: getpid_syscall, nanoseconds per call.
 */
#include "bench.h"

static inline long raw_getpid(void)
{
	register long x8 __asm__("x8") = 172;	/* __NR_getpid */
	register long x0 __asm__("x0");

	__asm__ volatile("svc #0" : "=r"(x0) : "r"(x8) : "memory");
	return x0;
}

static void calls(long n, void *arg)
{
	for (long i = 0; i < n; i++)
		raw_getpid();
}

int main(int argc, char **argv)
{
	long n = bench_size(argc, argv, 200000);

	if (raw_getpid() != getpid()) {
		errno = 0;
		die("svc getpid disagrees with getpid()");
	}
	report("getpid_syscall", best_batch_ns(calls, NULL, n), "ns");
	return 0;
}
