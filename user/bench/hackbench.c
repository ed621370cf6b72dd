// SPDX-License-Identifier: MIT
/*
 * hackbench's process/pipe mode: GROUPS groups of 20 senders and 20 receivers; each
 * sender writes LOOPS 100-byte messages to every receiver of its group, each receiver
 * reads all of them from its own pipe. Many runnable tasks, short runs, wake-ups across
 * CPUs: the scheduler's and the pipe's throughput under load. Size: LOOPS.
 * Figures: hackbench, milliseconds from the start signal to the last process reaped; and
 * to tell why, hackbench_vcsw and hackbench_ivcsw, the voluntary (sleeps) and involuntary
 * (preemptions) context switches of all the children per message.
 */
#include "bench.h"

#include <sys/resource.h>

#define GROUPS 2
#define FDS 20		/* senders and receivers per group, as hackbench */
#define MSG 100

static int start_pipe[2];

static void wait_start(void)
{
	char c;

	close(start_pipe[1]);
	/* Every child blocks here; the parent's close of the write end starts them all. */
	if (read(start_pipe[0], &c, 1) < 0)
		die("read start");
}

static pid_t spawn(void (*fn)(int *, long), int *fds, long loops)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		wait_start();
		fn(fds, loops);
		_exit(0);
	}
	return pid;
}

static void sender(int *fds, long loops)
{
	char msg[MSG];

	memset(msg, 's', sizeof(msg));
	for (long i = 0; i < loops; i++)
		for (int r = 0; r < FDS; r++)
			write_full(fds[r], msg, sizeof(msg));
}

static void receiver(int *fd, long loops)
{
	char msg[MSG];

	for (long i = 0; i < loops * FDS; i++)
		if (!read_full(*fd, msg, sizeof(msg))) {
			errno = 0;
			die("receiver: end of file");
		}
}

int main(int argc, char **argv)
{
	long loops = bench_size(argc, argv, 10);
	pid_t pids[GROUPS * FDS * 2];
	double msgs = (double)GROUPS * FDS * FDS * loops;
	int npids = 0;
	struct rusage ru;
	uint64_t t0;

	if (pipe(start_pipe) < 0)
		die("pipe");
	for (int g = 0; g < GROUPS; g++) {
		int rd[FDS], wr[FDS];

		for (int r = 0; r < FDS; r++) {
			int p[2];

			if (pipe(p) < 0)
				die("pipe");
			rd[r] = p[0];
			wr[r] = p[1];
		}
		for (int r = 0; r < FDS; r++)
			pids[npids++] = spawn(receiver, &rd[r], loops);
		for (int s = 0; s < FDS; s++)
			pids[npids++] = spawn(sender, wr, loops);
		/* The children hold what they need; the parent keeps no end open. */
		for (int r = 0; r < FDS; r++) {
			close(rd[r]);
			close(wr[r]);
		}
	}
	t0 = now_ns();
	close(start_pipe[1]);
	for (int i = 0; i < npids; i++)
		reap(pids[i]);
	report("hackbench", (now_ns() - t0) / 1e6, "ms");
	if (getrusage(RUSAGE_CHILDREN, &ru) < 0)
		die("getrusage");
	report("hackbench_vcsw", (double)ru.ru_nvcsw / msgs, "per-msg");
	report("hackbench_ivcsw", (double)ru.ru_nivcsw / msgs, "per-msg");
	return 0;
}
