// SPDX-License-Identifier: MIT
/*
 * Starting a program: fork + execve + waitpid and vfork + execve + waitpid of a tiny
 * static program (/bench/tiny_true: one page of code that calls exit_group), and fork +
 * execve + waitpid of a static glibc program (this one, argv[0], run with the argument
 * "exit"), whose start-up maps and touches far more. Size: programs started per figure.
 * Figures: fork_exec_wait, vfork_exec_wait, fork_exec_glibc_wait (microseconds each).
 */
#include "bench.h"

#define TINY "/bench/tiny_true"

static char *const envp[] = { "PATH=/bin", NULL };

struct program {
	const char *path;
	char *const *argv;
	int use_vfork;
};

static void start(long n, void *arg)
{
	const struct program *p = arg;

	for (long i = 0; i < n; i++) {
		pid_t pid = p->use_vfork ? vfork() : fork();

		if (pid < 0)
			die(p->use_vfork ? "vfork" : "fork");
		if (pid == 0) {
			execve(p->path, p->argv, envp);
			_exit(127);
		}
		reap(pid);
	}
}

int main(int argc, char **argv)
{
	char *tiny_argv[] = { TINY, NULL };
	char *self_argv[] = { argv[0], "exit", NULL };
	long n;

	if (argc > 1 && !strcmp(argv[1], "exit"))
		return 0;
	n = bench_size(argc, argv, 200);
	report("fork_exec_wait",
	       best_batch_ns(start, &(struct program){ TINY, tiny_argv, 0 }, n) / 1e3, "us");
	report("vfork_exec_wait",
	       best_batch_ns(start, &(struct program){ TINY, tiny_argv, 1 }, n) / 1e3, "us");
	report("fork_exec_glibc_wait",
	       best_batch_ns(start, &(struct program){ argv[0], self_argv, 0 }, n) / 1e3, "us");
	return 0;
}
