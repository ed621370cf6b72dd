// SPDX-License-Identifier: MIT
/*
 * sched_yield between two processes pinned to one CPU: each yield hands the CPU to the
 * other (the fair class skips the yielder), so every call is a switch with no wake-up.
 * Size: yields per process. Figure: sched_yield_switch, nanoseconds per yield.
 */
#include "bench.h"

static void yields(long n)
{
	for (long i = 0; i < n; i++)
		sched_yield();
}

int main(int argc, char **argv)
{
	long n = bench_size(argc, argv, 20000);
	int cpu = online_cpus() - 1;
	int go[2];
	uint64_t t0;
	pid_t pid;
	char c;

	if (pipe(go) < 0)
		die("pipe");
	pin_cpu(cpu);
	pid = fork();	/* inherits the affinity */
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(go[1]);
		read_full(go[0], &c, 1);
		yields(n);
		_exit(0);
	}
	close(go[0]);
	yields(n / 10 + 1);	/* alone: warm up */
	t0 = now_ns();
	write_full(go[1], "g", 1);
	yields(n);
	reap(pid);
	/* Both ran n yields; the last few of one may have had no partner. */
	report("sched_yield_switch", (now_ns() - t0) / 2.0 / n, "ns");
	return 0;
}
