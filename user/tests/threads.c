/*
 * threads: glibc pthreads on the kernel's clone/futex/signals. Create and join with
 * results, TIDs (gettid != getpid, same getpid, distinct), thread-local storage, mutex and
 * condition-variable ping-pong, many threads incrementing under a mutex, atomics,
 * barriers, rwlocks, timed waits, cancellation (glibc's SIGCANCEL), create/join churn,
 * small stacks, fork from a threaded process, and how the process ends: exit or _exit or a
 * fatal signal in any thread ends all of them; pthread_exit in main leaves the others
 * running; set_tid_address returns the TID.
 */
#include "ktest_user.h"

#include <pthread.h>
#include <sched.h>
#include <time.h>

static void *square(void *arg)
{
	long i = (long)arg;
	return (void *)(i * i);
}

static __thread int tls_var = 7;

struct tid_rec {
	pid_t pid, tid;
	int tls_before, tls_after;
};

static void *record_ids(void *arg)
{
	struct tid_rec *r = arg;
	r->pid = getpid();
	r->tid = (pid_t)syscall(SYS_gettid);
	r->tls_before = tls_var;
	tls_var = (int)(r->tid & 0xffff) + 1000;
	sched_yield();
	r->tls_after = tls_var;
	return NULL;
}

static void test_create_join(void)
{
	pthread_t t[8];
	int ok = 1;
	for (long i = 0; i < 8; i++)
		if (pthread_create(&t[i], NULL, square, (void *)i) != 0)
			ok = 0;
	CHECK_EQ("create_8", ok, 1);
	long sum = 0;
	for (int i = 0; i < 8; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	CHECK_EQ("join_results", sum, 0 + 1 + 4 + 9 + 16 + 25 + 36 + 49);

	struct tid_rec rec[4];
	tls_var = 99;
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, record_ids, &rec[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	int same_pid = 1, tid_not_pid = 1, distinct = 1, tls_ok = 1;
	for (int i = 0; i < 4; i++) {
		if (rec[i].pid != getpid())
			same_pid = 0;
		if (rec[i].tid == rec[i].pid || rec[i].tid == (pid_t)syscall(SYS_gettid))
			tid_not_pid = 0;
		for (int j = 0; j < i; j++)
			if (rec[j].tid == rec[i].tid)
				distinct = 0;
		if (rec[i].tls_before != 7 || rec[i].tls_after != (int)(rec[i].tid & 0xffff) + 1000)
			tls_ok = 0;
	}
	CHECK_EQ("threads_share_pid", same_pid, 1);
	CHECK_EQ("thread_tid_not_pid", tid_not_pid, 1);
	CHECK_EQ("thread_tids_distinct", distinct, 1);
	CHECK_EQ("tls_per_thread", tls_ok, 1);
	CHECK_EQ("tls_main_untouched", tls_var, 99);
	CHECK("main_tid_is_pid", syscall(SYS_gettid) == getpid());
	CHECK_EQ("join_self_edeadlk", pthread_join(pthread_self(), NULL), EDEADLK);
}

/* Two threads take turns, 1000 rounds each. */
static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cond = PTHREAD_COND_INITIALIZER;
static int pp_turn, pp_count, pp_bad;

static void *pingpong(void *arg)
{
	int me = (int)(long)arg;
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(&pp_lock);
		while (pp_turn != me)
			pthread_cond_wait(&pp_cond, &pp_lock);
		if (pp_count % 2 != me)
			pp_bad++;
		pp_count++;
		pp_turn = 1 - me;
		pthread_cond_broadcast(&pp_cond);
		pthread_mutex_unlock(&pp_lock);
	}
	return NULL;
}

static pthread_mutex_t cnt_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter, atomic_counter;

static void *increment(void *arg)
{
	(void)arg;
	for (int i = 0; i < 5000; i++) {
		pthread_mutex_lock(&cnt_lock);
		counter++;
		pthread_mutex_unlock(&cnt_lock);
		__atomic_fetch_add(&atomic_counter, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static pthread_barrier_t barrier;
static int serial_count, after_barrier_bad;
static int arrived;

static void *barrier_thread(void *arg)
{
	(void)arg;
	__atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
	int r = pthread_barrier_wait(&barrier);
	if (__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) != 8)
		__atomic_fetch_add(&after_barrier_bad, 1, __ATOMIC_SEQ_CST);
	if (r == PTHREAD_BARRIER_SERIAL_THREAD)
		__atomic_fetch_add(&serial_count, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_value;
static int rw_bad;

static void *rw_thread(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < 500; i++) {
		if ((i + id) % 5 == 0) {
			pthread_rwlock_wrlock(&rw);
			long v = rw_value;
			rw_value = v + 1;
			pthread_rwlock_unlock(&rw);
		} else {
			pthread_rwlock_rdlock(&rw);
			long a = rw_value;
			sched_yield();
			if (rw_value != a)
				__atomic_fetch_add(&rw_bad, 1, __ATOMIC_SEQ_CST);
			pthread_rwlock_unlock(&rw);
		}
	}
	return NULL;
}

static void test_sync(void)
{
	pthread_t a, b;
	pp_turn = 0;
	pthread_create(&a, NULL, pingpong, (void *)0);
	pthread_create(&b, NULL, pingpong, (void *)1);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	CHECK_EQ("pingpong_count", pp_count, 2000);
	CHECK_EQ("pingpong_alternated", pp_bad, 0);

	pthread_t t[16];
	for (int i = 0; i < 16; i++)
		pthread_create(&t[i], NULL, increment, NULL);
	for (int i = 0; i < 16; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ("mutex_counter_16x5000", counter, 80000);
	CHECK_EQ("atomic_counter_16x5000", atomic_counter, 80000);

	pthread_barrier_init(&barrier, NULL, 8);
	for (int i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, barrier_thread, NULL);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ("barrier_one_serial", serial_count, 1);
	CHECK_EQ("barrier_all_arrived_first", after_barrier_bad, 0);
	pthread_barrier_destroy(&barrier);

	for (long i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, rw_thread, (void *)i);
	for (int i = 0; i < 6; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ("rwlock_writes", rw_value, 600);
	CHECK_EQ("rwlock_readers_consistent", rw_bad, 0);

	/* A timed wait that nobody signals. */
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c, &ca);
	struct timespec t0, t1, dl;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dl = t0;
	dl.tv_nsec += 100 * 1000 * 1000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	int r = pthread_cond_timedwait(&c, &m, &dl);
	pthread_mutex_unlock(&m);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK_EQ("cond_timedwait_etimedout", r, ETIMEDOUT);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK("cond_timedwait_at_least_100ms", ms >= 100);
	/* trylock on a held mutex. */
	pthread_mutex_lock(&m);
	CHECK_EQ("trylock_busy", pthread_mutex_trylock(&m), EBUSY);
	pthread_mutex_unlock(&m);
	CHECK_EQ("trylock_free", pthread_mutex_trylock(&m), 0);
	pthread_mutex_unlock(&m);
}

static int cancel_pipe[2];

static void *blocked_reader(void *arg)
{
	(void)arg;
	char c;
	read(cancel_pipe[0], &c, 1); /* a cancellation point */
	return (void *)1;
}

static void *tiny(void *arg)
{
	return arg;
}

static int small_stack_depth(int n)
{
	volatile char buf[256];
	buf[0] = (char)n;
	return n == 0 ? 0 : small_stack_depth(n - 1) + buf[0] - (char)n;
}

static void *small_stack(void *arg)
{
	(void)arg;
	return (void *)(long)(small_stack_depth(100) + 5);
}

static void test_lifecycle(void)
{
	/* Cancellation: glibc sends SIGCANCEL (32) to the thread. */
	pipe(cancel_pipe);
	pthread_t t;
	pthread_create(&t, NULL, blocked_reader, NULL);
	usleep(20000);
	CHECK_EQ("cancel_ok", pthread_cancel(t), 0);
	void *r = NULL;
	pthread_join(t, &r);
	CHECK("cancel_joined_canceled", r == PTHREAD_CANCELED);
	close(cancel_pipe[0]);
	close(cancel_pipe[1]);

	/* Create/join churn: 300 short threads. */
	int ok = 1;
	for (long i = 0; i < 300; i++) {
		if (pthread_create(&t, NULL, tiny, (void *)i) != 0) {
			ok = 0;
			break;
		}
		pthread_join(t, &r);
		if ((long)r != i)
			ok = 0;
	}
	CHECK_EQ("churn_300_threads", ok, 1);

	/* Detached threads. */
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	ok = 1;
	for (int i = 0; i < 20; i++)
		if (pthread_create(&t, &at, tiny, NULL) != 0)
			ok = 0;
	CHECK_EQ("detached_20", ok, 1);
	pthread_attr_destroy(&at);

	/* A 64 KiB stack. */
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 64 * 1024);
	pthread_create(&t, &at, small_stack, NULL);
	pthread_join(t, &r);
	CHECK_EQ("small_stack_thread", (long)r, 5);
	pthread_attr_destroy(&at);
}

/* ---- how a threaded process ends (each in a child) ---------------------------------- */

static void *exit_5(void *arg)
{
	(void)arg;
	usleep(10000);
	exit(5);
}

static void *underscore_exit_6(void *arg)
{
	(void)arg;
	usleep(10000);
	_exit(6);
}

static void *segv_thread(void *arg)
{
	(void)arg;
	usleep(10000);
	signal(SIGSEGV, SIG_DFL);
	raise(SIGSEGV);
	return NULL;
}

static void *forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void *exit_after(void *arg)
{
	usleep(50000);
	return arg;
}

static int ends_fd = -1;

static void *pipe_then_exit(void *arg)
{
	(void)arg;
	usleep(50000);
	kt_write_all(ends_fd, "t", 1);
	return NULL;
}

static void test_endings(void)
{
	pid_t p = kt_fork();
	if (p == 0) {
		pthread_t a, b;
		pthread_create(&a, NULL, forever, NULL);
		pthread_create(&b, NULL, exit_5, NULL);
		for (;;)
			pause();
	}
	CHECK_WSTATUS("thread_exit_ends_process", kt_wait(p), "exit 5");

	p = kt_fork();
	if (p == 0) {
		pthread_t a, b;
		pthread_create(&a, NULL, forever, NULL);
		pthread_create(&b, NULL, underscore_exit_6, NULL);
		for (;;)
			pause();
	}
	CHECK_WSTATUS("thread_exit_group_ends_process", kt_wait(p), "exit 6");

	p = kt_fork();
	if (p == 0) {
		pthread_t a, b;
		pthread_create(&a, NULL, forever, NULL);
		pthread_create(&b, NULL, segv_thread, NULL);
		for (;;)
			pause();
	}
	CHECK_WSTATUS("thread_fatal_signal_ends_process", kt_wait(p), "signal SIGSEGV");

	/* main returns while others run: all end with main's code. */
	p = kt_fork();
	if (p == 0) {
		pthread_t a;
		pthread_create(&a, NULL, forever, NULL);
		exit(8);
	}
	CHECK_WSTATUS("main_exit_ends_threads", kt_wait(p), "exit 8");

	/* pthread_exit in main: the process lives until the last thread is done. */
	int fds[2];
	pipe(fds);
	p = kt_fork();
	if (p == 0) {
		close(fds[0]);
		ends_fd = fds[1];
		pthread_t a;
		pthread_create(&a, NULL, pipe_then_exit, NULL);
		pthread_exit(NULL);
	}
	close(fds[1]);
	char c = 0;
	CHECK_EQ("pthread_exit_main_others_run", kt_read_full(fds[0], &c, 1), 1);
	CHECK_WSTATUS("pthread_exit_main_status", kt_wait(p), "exit 0");
	close(fds[0]);

	/* Fork in a threaded process: the child has one thread and working locks. */
	pthread_t a;
	pthread_create(&a, NULL, exit_after, (void *)3);
	pthread_mutex_lock(&cnt_lock);
	pthread_mutex_unlock(&cnt_lock);
	p = kt_fork();
	if (p == 0) {
		pthread_mutex_lock(&cnt_lock);
		pthread_mutex_unlock(&cnt_lock);
		void *m = malloc(1000);
		pthread_t b;
		void *r = NULL;
		pthread_create(&b, NULL, tiny, (void *)9);
		pthread_join(b, &r);
		free(m);
		_exit((long)r == 9 ? 0 : 1);
	}
	CHECK_WSTATUS("fork_from_threaded_child", kt_wait(p), "exit 0");
	void *r;
	pthread_join(a, &r);
	CHECK_EQ("fork_from_threaded_parent_thread", (long)r, 3);

	/* set_tid_address returns the caller's TID. */
	static int word;
	CHECK("set_tid_address_returns_tid",
	      syscall(SYS_set_tid_address, &word) == syscall(SYS_gettid));
}

int main(void)
{
	kt_begin("threads", 100);
	test_create_join();
	test_sync();
	test_lifecycle();
	test_endings();
	return kt_end();
}
