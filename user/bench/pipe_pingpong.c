// SPDX-License-Identifier: MIT
/*
 * Context-switch latency in lmbench's lat_ctx sense: two processes pass a one-byte token
 * back and forth over two pipes. Both on one CPU, every pass is a sleep, a wake-up and a
 * switch; on two CPUs, a wake-up of a task on another (idle) CPU. Size: round trips.
 * Figures: pipe_pingpong_1cpu, pipe_pingpong_2cpu (microseconds per round trip).
 */
#include "bench.h"

struct pair {
	int ab[2], ba[2];	/* parent to child, child to parent */
};

static void round_trips(long n, void *arg)
{
	struct pair *p = arg;
	char token = 't';

	for (long i = 0; i < n; i++) {
		write_full(p->ab[1], &token, 1);
		read_full(p->ba[0], &token, 1);
	}
}

static void pingpong(const char *figure, long n, int cpu_a, int cpu_b)
{
	struct pair p;
	int *ab = p.ab, *ba = p.ba;
	char token;
	pid_t pid;

	if (pipe(ab) < 0 || pipe(ba) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(ab[1]);
		close(ba[0]);
		pin_cpu(cpu_b);
		while (read_full(ab[0], &token, 1))
			write_full(ba[1], &token, 1);
		_exit(0);
	}
	pin_cpu(cpu_a);
	report(figure, best_batch_ns(round_trips, &p, n) / 1e3, "us");
	close(ab[1]);
	reap(pid);
	close(ab[0]);
	close(ba[0]);
	close(ba[1]);
}

int main(int argc, char **argv)
{
	long n = bench_size(argc, argv, 2000);
	int cpus = online_cpus();

	/* The last CPUs: away from CPU 0, where device interrupts land on both kernels. */
	pingpong("pipe_pingpong_1cpu", n, cpus - 1, cpus - 1);
	if (cpus > 1)
		pingpong("pipe_pingpong_2cpu", n, cpus - 1, cpus - 2);
	return 0;
}
