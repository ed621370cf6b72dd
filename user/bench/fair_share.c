// SPDX-License-Identifier: MIT
/*
 * Fair-share accuracy: two CPU-bound processes pinned to one CPU, at nice 0 and nice 5,
 * spin for the same wall-clock time; the fair class should split the CPU in the ratio of
 * their weights, 1024 : 335. Each reads its own CPU time (CLOCK_PROCESS_CPUTIME_ID) at
 * the end and sends it to the parent. Size: milliseconds of spinning.
 * Figures: fair_share_ratio (nice-0 CPU time / nice-5 CPU time; 3.057 is exact) and
 * fair_share_error, the distance from 1024/335 in percent.
 */
#include "bench.h"

#include <sys/resource.h>

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct result {
	int nice;
	uint64_t cpu_ns;
};

/* Spins at NICE on CPU until the end time the parent sends, then reports its CPU time. */
static pid_t spinner(int nice, int cpu, int go_fd, int result_fd)
{
	struct result r = { .nice = nice };
	pid_t pid = fork();
	uint64_t end;

	if (pid < 0)
		die("fork");
	if (pid)
		return pid;
	pin_cpu(cpu);
	if (setpriority(PRIO_PROCESS, 0, nice) < 0)
		die("setpriority");
	if (!read_full(go_fd, &end, sizeof(end))) {
		errno = 0;
		die("no end time");
	}
	r.cpu_ns = cpu_ns();
	while (now_ns() < end)
		;
	r.cpu_ns = cpu_ns() - r.cpu_ns;
	write_full(result_fd, &r, sizeof(r));
	_exit(0);
}

int main(int argc, char **argv)
{
	long ms = bench_size(argc, argv, 2000);
	int cpu = online_cpus() - 1;
	uint64_t nice0 = 0, nice5 = 0, end;
	int go[2], results[2];
	double ratio, exact = 1024.0 / 335.0;
	pid_t pid[2];

	if (pipe(go) < 0 || pipe(results) < 0)
		die("pipe");
	pid[0] = spinner(0, cpu, go[0], results[1]);
	pid[1] = spinner(5, cpu, go[0], results[1]);
	/* The same end for both: the split of one stretch of time is what counts. */
	end = now_ns() + ms * 1000000ull;
	write_full(go[1], &end, sizeof(end));
	write_full(go[1], &end, sizeof(end));
	for (int i = 0; i < 2; i++) {
		struct result r;

		read_full(results[0], &r, sizeof(r));
		*(r.nice ? &nice5 : &nice0) = r.cpu_ns;
	}
	reap(pid[0]);
	reap(pid[1]);
	if (!nice5) {
		errno = 0;
		die("the nice-5 process got no CPU time");
	}
	ratio = (double)nice0 / nice5;
	report("fair_share_ratio", ratio, "x");
	report("fair_share_error", (ratio > exact ? ratio / exact - 1 : 1 - ratio / exact) * 100,
	       "%");
	return 0;
}
