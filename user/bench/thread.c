// SPDX-License-Identifier: MIT
/*
 * pthread_create + pthread_join, one thread at a time: clone with CLONE_VM and friends,
 * the new thread's first run, its exit (futex wake of the joiner through
 * CLONE_CHILD_CLEARTID) and the join. glibc reuses the stack of the previous thread, so
 * no mmap is timed after the warm-up. Size: threads. Figure: thread_create_join,
 * microseconds per thread.
 */
#include "bench.h"

#include <pthread.h>

static void *nothing(void *arg)
{
	return arg;
}

static void threads(long n, void *arg)
{
	for (long i = 0; i < n; i++) {
		pthread_t t;
		int err = pthread_create(&t, NULL, nothing, NULL);

		if (err) {
			errno = err;
			die("pthread_create");
		}
		err = pthread_join(t, NULL);
		if (err) {
			errno = err;
			die("pthread_join");
		}
	}
}

int main(int argc, char **argv)
{
	long n = bench_size(argc, argv, 1000);

	report("thread_create_join", best_batch_ns(threads, NULL, n) / 1e3, "us");
	return 0;
}
