// SPDX-License-Identifier: MIT
/*
 * sched_yield between two processes pinned to one CPU: each yield hands the CPU to the
 * other (the fair class skips the yielder), so every call is a switch with no wake-up.
 * The child yields until told to stop; each of the parent's yields is two switches.
 * Size: the parent's yields. Figure: sched_yield_switch, nanoseconds per switch.
 */
#include "bench.h"

#include <sys/mman.h>

static void yields(long n, void *arg)
{
	for (long i = 0; i < n; i++)
		sched_yield();
}

int main(int argc, char **argv)
{
	long n = bench_size(argc, argv, 10000);
	volatile int *stop = mmap(NULL, sizeof(*stop), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	if (stop == MAP_FAILED)
		die("mmap");
	pin_cpu(online_cpus() - 1);
	pid = fork();	/* inherits the affinity */
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		while (!*stop)
			sched_yield();
		_exit(0);
	}
	report("sched_yield_switch", best_batch_ns(yields, NULL, n) / 2, "ns");
	*stop = 1;
	reap(pid);
	return 0;
}
