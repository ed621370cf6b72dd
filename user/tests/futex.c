/*
 * futex: the raw futex system call. FUTEX_WAIT value mismatch (EAGAIN), relative and
 * absolute timeouts (ETIMEDOUT, never early), FUTEX_WAKE counts, FUTEX_REQUEUE and
 * FUTEX_CMP_REQUEUE (counts, EAGAIN), FUTEX_WAKE_OP (the operation and its comparison),
 * FUTEX_WAIT_BITSET/WAKE_BITSET, private futexes against shared ones across fork on
 * MAP_SHARED|MAP_ANONYMOUS memory, and EINVAL/ENOSYS.
 *
 * To know that N waiters are asleep in the kernel (so that wake counts are exact), the
 * waiters sleep on a staging word and the test moves them with FUTEX_CMP_REQUEUE to the
 * word under test until N have been moved: a waiter can only be requeued once it sleeps.
 */
#include "ktest_user.h"

#include <linux/futex.h>
#include <pthread.h>
#include <time.h>

static long futex(volatile int *uaddr, int op, int val, const void *timeout_or_val2,
		  volatile int *uaddr2, int val3)
{
	return syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* ---- waiters ------------------------------------------------------------------------- */

struct waiter {
	pthread_t t;
	volatile int *word;
	int op;
	int bitset;
	long result;
	int err;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;
	errno = 0;
	w->result = futex(w->word, w->op, 0, NULL, NULL, w->bitset);
	w->err = errno;
	return NULL;
}

static void start_waiters(struct waiter *w, int n, volatile int *word, int op, int bitset)
{
	for (int i = 0; i < n; i++) {
		w[i].word = word;
		w[i].op = op;
		w[i].bitset = bitset;
		w[i].result = -2;
		pthread_create(&w[i].t, NULL, wait_thread, &w[i]);
	}
}

/* Move sleepers from staging to target until n have moved; returns how many moved. */
static int gather(volatile int *staging, volatile int *target, int n, int private_flag)
{
	int moved = 0;
	for (int i = 0; i < 10000 && moved < n; i++) {
		long r = futex(staging, FUTEX_CMP_REQUEUE | private_flag, 0, (void *)(long)(n - moved),
			       target, 0);
		if (r > 0)
			moved += (int)r;
		else
			usleep(1000);
	}
	return moved;
}

static int join_all(struct waiter *w, int n)
{
	int ok = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(w[i].t, NULL);
		if (w[i].result == 0)
			ok++;
	}
	return ok;
}

static volatile int stage, word_a, word_b;

static void test_wait_basics(void)
{
	volatile int w = 5;
	CHECK_ERR("wait_value_mismatch_eagain", futex(&w, FUTEX_WAIT, 4, NULL, NULL, 0), EAGAIN);
	CHECK_ERR("wait_private_mismatch_eagain", futex(&w, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0),
		  EAGAIN);
	struct timespec rel = { 0, 100 * 1000 * 1000 };
	long t0 = now_ms();
	CHECK_ERR("wait_relative_timeout", futex(&w, FUTEX_WAIT, 5, &rel, NULL, 0), ETIMEDOUT);
	CHECK("wait_relative_timeout_not_early", now_ms() - t0 >= 100);
	struct timespec zero = { 0, 0 };
	CHECK_ERR("wait_zero_timeout", futex(&w, FUTEX_WAIT, 5, &zero, NULL, 0), ETIMEDOUT);

	/* WAIT_BITSET takes an absolute CLOCK_MONOTONIC time. t0 is read first: the
	 * deadline is 80 ms after a moment no earlier than t0. */
	struct timespec abs;
	t0 = now_ms();
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 80 * 1000 * 1000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	CHECK_ERR("wait_bitset_absolute_timeout",
		  futex(&w, FUTEX_WAIT_BITSET, 5, &abs, NULL, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT);
	CHECK("wait_bitset_absolute_not_early", now_ms() - t0 >= 80);
	/* ... or CLOCK_REALTIME with FUTEX_CLOCK_REALTIME. */
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec += 50 * 1000 * 1000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	CHECK_ERR("wait_bitset_realtime_timeout",
		  futex(&w, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 5, &abs, NULL,
			FUTEX_BITSET_MATCH_ANY),
		  ETIMEDOUT);
	/* An absolute time in the past times out at once. */
	struct timespec past = { 1, 0 };
	CHECK_ERR("wait_bitset_past", futex(&w, FUTEX_WAIT_BITSET, 5, &past, NULL, ~0), ETIMEDOUT);

	CHECK_EQ("wake_nobody", futex(&w, FUTEX_WAKE, 10, NULL, NULL, 0), 0);
	CHECK_EQ("wake_private_nobody", futex(&w, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0), 0);

	/* Errors. */
	char buf[8] __attribute__((aligned(4)));
	CHECK_ERR("wait_unaligned_einval", futex((volatile int *)(buf + 1), FUTEX_WAIT, 0, NULL,
						 NULL, 0),
		  EINVAL);
	CHECK_ERR("wake_unaligned_einval", futex((volatile int *)(buf + 2), FUTEX_WAKE, 1, NULL,
						 NULL, 0),
		  EINVAL);
	struct timespec bad = { 0, 1000000000 };
	CHECK_ERR("wait_bad_timeout_einval", futex(&w, FUTEX_WAIT, 5, &bad, NULL, 0), EINVAL);
	struct timespec neg = { -1, 0 };
	CHECK_ERR("wait_negative_timeout_einval", futex(&w, FUTEX_WAIT, 5, &neg, NULL, 0), EINVAL);
	CHECK_ERR("wait_bitset_zero_einval", futex(&w, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0), EINVAL);
	CHECK_ERR("wake_bitset_zero_einval", futex(&w, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), EINVAL);
	CHECK_ERR("unknown_op_enosys", futex(&w, 99, 0, NULL, NULL, 0), ENOSYS);
	CHECK_ERR("clock_realtime_on_wake_enosys",
		  futex(&w, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS);
	CHECK_ERR("cmp_requeue_negative_einval",
		  futex(&w, FUTEX_CMP_REQUEUE, -1, (void *)1, &word_a, 5), EINVAL);
	CHECK_ERR("cmp_requeue_mismatch_eagain",
		  futex(&w, FUTEX_CMP_REQUEUE, 1, (void *)1, &word_a, 4), EAGAIN);
}

static void test_wake_counts(void)
{
	struct waiter w[5];
	stage = 0;
	word_a = 0;
	start_waiters(w, 5, &stage, FUTEX_WAIT, 0);
	CHECK_EQ("requeue_gathered_5", gather(&stage, &word_a, 5, 0), 5);
	CHECK_EQ("wake_2_of_5", futex(&word_a, FUTEX_WAKE, 2, NULL, NULL, 0), 2);
	CHECK_EQ("wake_1_more", futex(&word_a, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	CHECK_EQ("wake_rest", futex(&word_a, FUTEX_WAKE, 100, NULL, NULL, 0), 2);
	CHECK_EQ("wake_none_left", futex(&word_a, FUTEX_WAKE, 100, NULL, NULL, 0), 0);
	CHECK_EQ("woken_waiters_returned_0", join_all(w, 5), 5);

	/* FUTEX_REQUEUE: wake some, move some, leave the rest. */
	start_waiters(w, 5, &stage, FUTEX_WAIT, 0);
	gather(&stage, &word_a, 5, 0);
	CHECK_EQ("requeue_wake1_move2", futex(&word_a, FUTEX_REQUEUE, 1, (void *)2, &word_b, 0), 3);
	CHECK_EQ("requeue_moved_2_wake_b", futex(&word_b, FUTEX_WAKE, 100, NULL, NULL, 0), 2);
	CHECK_EQ("requeue_left_2_wake_a", futex(&word_a, FUTEX_WAKE, 100, NULL, NULL, 0), 2);
	CHECK_EQ("requeue_all_returned_0", join_all(w, 5), 5);

	/* FUTEX_WAKE_OP: *word_b += 5, wake 1 on a, and 1 on b if the old *b == 0. */
	start_waiters(w, 2, &stage, FUTEX_WAIT, 0);
	gather(&stage, &word_a, 2, 0);
	struct waiter v[2];
	static volatile int stage2;
	start_waiters(v, 2, &stage2, FUTEX_WAIT, 0);
	word_b = 0;
	gather(&stage2, &word_b, 2, 0);
	int op = FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_EQ, 0);
	CHECK_EQ("wake_op_both", futex(&word_a, FUTEX_WAKE_OP, 1, (void *)1, &word_b, op), 2);
	CHECK_EQ("wake_op_added", word_b, 5);
	/* Old value 5 is not 0: only uaddr1's waiter is woken; the op still applies. */
	CHECK_EQ("wake_op_cmp_false", futex(&word_a, FUTEX_WAKE_OP, 1, (void *)1, &word_b, op), 1);
	CHECK_EQ("wake_op_added_again", word_b, 10);
	/* OPARG_SHIFT: 1 << 3 is or'ed in; comparison GT 5 on old 10 holds. */
	op = FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 3, FUTEX_OP_CMP_GT, 5);
	CHECK_EQ("wake_op_shift_or", futex(&word_a, FUTEX_WAKE_OP, 1, (void *)1, &word_b, op), 1);
	CHECK_EQ("wake_op_or_value", word_b, 10 | 8);
	CHECK_ERR("wake_op_bad_op", futex(&word_a, FUTEX_WAKE_OP, 1, (void *)1, &word_b,
					  7 << 28),
		  ENOSYS);
	futex(&word_b, FUTEX_WAKE, 100, NULL, NULL, 0);
	futex(&word_a, FUTEX_WAKE, 100, NULL, NULL, 0);
	CHECK_EQ("wake_op_waiters_returned_0", join_all(w, 2) + join_all(v, 2), 4);

	/* Bitsets: wake only the waiters whose bits match. */
	start_waiters(w, 2, &stage, FUTEX_WAIT_BITSET, 1);
	start_waiters(v, 2, &stage2, FUTEX_WAIT_BITSET, 2);
	/* Requeue keeps each waiter's bitset. */
	word_a = 0;
	int g = gather(&stage, &word_a, 2, 0) + gather(&stage2, &word_a, 2, 0);
	CHECK_EQ("bitset_gathered", g, 4);
	CHECK_EQ("wake_bitset_2", futex(&word_a, FUTEX_WAKE_BITSET, 10, NULL, NULL, 2), 2);
	CHECK_EQ("wake_bitset_2_again", futex(&word_a, FUTEX_WAKE_BITSET, 10, NULL, NULL, 2), 0);
	CHECK_EQ("wake_bitset_1", futex(&word_a, FUTEX_WAKE_BITSET, 10, NULL, NULL, 1), 2);
	CHECK_EQ("bitset_waiters_returned_0", join_all(w, 2) + join_all(v, 2), 4);
}

/* ---- across fork --------------------------------------------------------------------- */

static void test_shared_private(void)
{
	volatile int *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
				0);
	CHECK("shared_anon_mapping", sh != MAP_FAILED);
	if (sh == MAP_FAILED)
		return;
	sh[0] = 0; /* staging */
	sh[1] = 0; /* target */
	/* A shared futex: the child sleeps, we move and wake it. */
	pid_t p = kt_fork();
	if (p == 0) {
		long r = futex(&sh[0], FUTEX_WAIT, 0, NULL, NULL, 0);
		_exit(r == 0 ? 0 : 1);
	}
	CHECK_EQ("shared_child_gathered", gather(&sh[0], &sh[1], 1, 0), 1);
	CHECK_EQ("shared_wake_across_fork", futex(&sh[1], FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	CHECK_WSTATUS("shared_child_woken", kt_wait(p), "exit 0");

	/* A private futex is per address space: our private wakes never reach the child,
	 * which times out. */
	sh[2] = 0;
	p = kt_fork();
	if (p == 0) {
		struct timespec ts = { 0, 300 * 1000 * 1000 };
		long r = futex(&sh[2], FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
		_exit(r == -1 && errno == ETIMEDOUT ? 0 : 1);
	}
	long woken = 0;
	for (int i = 0; i < 20; i++) {
		woken += futex(&sh[2], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		usleep(5000);
	}
	CHECK_EQ("private_wake_reaches_no_other_process", woken, 0);
	CHECK_WSTATUS("private_child_timed_out", kt_wait(p), "exit 0");

	/* A private anonymous page after fork: each process has its own futex. */
	static volatile int priv;
	priv = 0;
	p = kt_fork();
	if (p == 0) {
		struct timespec ts = { 0, 200 * 1000 * 1000 };
		long r = futex(&priv, FUTEX_WAIT, 0, &ts, NULL, 0);
		_exit(r == -1 && errno == ETIMEDOUT ? 0 : 1);
	}
	woken = 0;
	for (int i = 0; i < 10; i++) {
		woken += futex(&priv, FUTEX_WAKE, 1, NULL, NULL, 0);
		usleep(5000);
	}
	CHECK_EQ("cow_page_futex_separate", woken, 0);
	CHECK_WSTATUS("cow_page_child_timed_out", kt_wait(p), "exit 0");

	/* Private waiter, shared waker in the same process: different keys on Linux
	 * (the shared key of a private page is not the private key). */
	struct waiter w[1];
	stage = 0;
	word_a = 0;
	start_waiters(w, 1, &stage, FUTEX_WAIT_PRIVATE, 0);
	CHECK_EQ("private_gathered", gather(&stage, &word_a, 1, FUTEX_PRIVATE_FLAG), 1);
	CHECK_EQ("shared_wake_misses_private_waiter", futex(&word_a, FUTEX_WAKE, 1, NULL, NULL, 0),
		 0);
	CHECK_EQ("private_wake_finds_it", futex(&word_a, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 1);
	CHECK_EQ("private_waiter_returned_0", join_all(w, 1), 1);
	munmap((void *)sh, 4096);
}

int main(void)
{
	kt_begin("futex", 20);
	test_wait_basics();
	test_wake_counts();
	test_shared_private();
	return kt_end();
}
