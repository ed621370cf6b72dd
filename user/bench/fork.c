// SPDX-License-Identifier: MIT
/*
 * fork + _exit + waitpid, one after another: the cost of creating a process (copying a
 * small static program's address space), ending it and reaping it. Size: the number of
 * processes. Figure: fork_exit_wait, microseconds per process.
 */
#include "bench.h"

static void forks(long n, void *arg)
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
	long n = bench_size(argc, argv, 600);

	report("fork_exit_wait", best_batch_ns(forks, NULL, n) / 1e3, "us");
	return 0;
}
