// SPDX-License-Identifier: MIT
/*
 * fork + _exit + waitpid, one after another: the cost of creating a process (copying a
 * small static program's address space), ending it and reaping it. Size: the number of
 * processes. Figure: fork_exit_wait, microseconds per process.
 */
#include "bench.h"

static void forks(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		reap(pid);
	}
}

int main(int argc, char **argv)
{
	long n = bench_size(argc, argv, 2000);
	uint64_t t0;

	forks(n / 10 + 1);	/* warm up: page tables, slab caches, the child's path */
	t0 = now_ns();
	forks(n);
	report("fork_exit_wait", (now_ns() - t0) / 1e3 / n, "us");
	return 0;
}
