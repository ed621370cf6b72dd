// SPDX-License-Identifier: MIT
/*
 * Starting a program: fork + execve + waitpid and vfork + execve + waitpid of a tiny
 * static program (/bench/tiny_true: one page of code that calls exit_group), and fork +
 * execve + waitpid of a static glibc program (this one, run as "exec exit"; argv[0] is its path), whose
 * start-up maps and touches far more. Size: programs started per figure.
 * Figures: fork_exec_wait, vfork_exec_wait, fork_exec_glibc_wait (microseconds each).
 */
#include "bench.h"

#define TINY "/bench/tiny_true"

static char *const envp[] = { "PATH=/bin", NULL };

static void start(const char *path, char *const argv[], int use_vfork)
{
	pid_t pid = use_vfork ? vfork() : fork();

	if (pid < 0)
		die(use_vfork ? "vfork" : "fork");
	if (pid == 0) {
		execve(path, argv, envp);
		_exit(127);
	}
	reap(pid);
}

static void measure(const char *figure, long n, const char *path, char *const argv[],
		    int use_vfork)
{
	uint64_t t0;

	for (long i = 0; i < n / 10 + 1; i++)
		start(path, argv, use_vfork);
	t0 = now_ns();
	for (long i = 0; i < n; i++)
		start(path, argv, use_vfork);
	report(figure, (now_ns() - t0) / 1e3 / n, "us");
}

int main(int argc, char **argv)
{
	char *tiny_argv[] = { TINY, NULL };
	char *self_argv[] = { argv[0], "exit", NULL };
	long n;

	if (argc > 1 && !strcmp(argv[1], "exit"))
		return 0;
	n = bench_size(argc, argv, 500);
	measure("fork_exec_wait", n, TINY, tiny_argv, 0);
	measure("vfork_exec_wait", n, TINY, tiny_argv, 1);
	measure("fork_exec_glibc_wait", n, argv[0], self_argv, 0);
	return 0;
}
