/*
 * signal_group: signals to a multithreaded process. A group stop stops every thread
 * before the parent hears of it, and SIGCONT resumes them all; a process signal goes to
 * a thread that does not block it, or waits for one that unblocks it; a thread in
 * sigwaitinfo takes a process signal the others block; a fatal signal ends every
 * thread; exit_group from a thread ends the group with its status.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <pthread.h>
#include <time.h>

#define NTHREADS 3

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Each thread of the child writes its number to a pipe every millisecond. */
static int beat_fd;

static void *beat(void *arg)
{
	char id = (char)(long)arg;
	for (;;) {
		write(beat_fd, &id, 1);
		sleep_ms(1);
	}
	return NULL;
}

/* Read beats until every thread's (0..NTHREADS) was seen; 0, or -1 on EOF. */
static int all_beats(int fd)
{
	int seen = 0;
	while (seen != (1 << (NTHREADS + 1)) - 1) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		seen |= 1 << c;
	}
	return 0;
}

static void test_group_stop(void)
{
	int fd[2];
	pipe(fd);
	pid_t p = kt_fork();
	if (p == 0) {
		pthread_t th;
		beat_fd = fd[1];
		for (long i = 1; i <= NTHREADS; i++)
			pthread_create(&th, NULL, beat, (void *)i);
		beat((void *)0);
	}
	close(fd[1]);
	CHECK_SUCC("all_threads_beat", all_beats(fd[0]));
	kill(p, SIGSTOP);
	int st;
	CHECK_EQ("group_stop_reported", waitpid(p, &st, WUNTRACED), p);
	CHECK_WSTATUS("group_stop_status", st, "stopped SIGSTOP");
	fcntl(fd[0], F_SETFL, O_NONBLOCK);
	char buf[4096];
	while (read(fd[0], buf, sizeof(buf)) > 0)
		;
	sleep_ms(50);
	CHECK_ERR("all_threads_stopped", read(fd[0], buf, sizeof(buf)), EAGAIN);
	CHECK_EQ("stop_reported_once", waitpid(p, &st, WUNTRACED | WNOHANG), 0);
	kill(p, SIGCONT);
	CHECK_EQ("group_continue_reported", waitpid(p, &st, WCONTINUED), p);
	CHECK_WSTATUS("group_continue_status", st, "continued");
	fcntl(fd[0], F_SETFL, 0);
	CHECK_SUCC("all_threads_resumed", all_beats(fd[0]));
	kill(p, SIGTERM);
	CHECK_WSTATUS("fatal_signal_ends_group", kt_wait(p), "signal SIGTERM");
	close(fd[0]);
}

/* A process signal while every thread but one blocks it goes to that one. */
static volatile pid_t handled_by;

static void record_tid(int sig)
{
	(void)sig;
	handled_by = gettid();
}

static volatile pid_t waiter_tid;
static volatile int waiter_got;

static void *sigwaiter(void *arg)
{
	sigset_t s;
	siginfo_t si;
	(void)arg;
	waiter_tid = gettid();
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	waiter_got = sigwaitinfo(&s, &si);
	return NULL;
}

static volatile int unblocker_ready;

static void *unblock_later(void *arg)
{
	sigset_t s;
	(void)arg;
	unblocker_ready = 1;
	sleep_ms(30);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	return NULL;
}

static void test_targeting(void)
{
	sigset_t s;
	pthread_t th;
	signal(SIGUSR1, record_tid);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL);

	/* Everyone blocks it: pending until a thread unblocks it, which takes it. */
	handled_by = 0;
	pthread_create(&th, NULL, unblock_later, NULL);
	while (!unblocker_ready)
		;
	kill(getpid(), SIGUSR1);
	pthread_join(th, NULL);
	sigset_t pend;
	sigpending(&pend);
	CHECK_EQ("taken_by_unblocking_thread", handled_by != 0 && handled_by != gettid(), 1);
	CHECK_EQ("no_longer_pending", sigismember(&pend, SIGUSR1), 0);

	/* A thread in sigwaitinfo takes it although all block it. */
	waiter_got = 0;
	pthread_create(&th, NULL, sigwaiter, NULL);
	while (!waiter_tid)
		;
	sleep_ms(20);
	kill(getpid(), SIGUSR2);
	pthread_join(th, NULL);
	CHECK_EQ("sigwaitinfo_thread_takes_it", waiter_got, SIGUSR2);

	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	signal(SIGUSR1, SIG_DFL);
}

/* exit_group from a non-main thread while the main thread sleeps. */
static void *exit_from_thread(void *arg)
{
	(void)arg;
	sleep_ms(10);
	syscall(SYS_exit_group, 42);
	return NULL;
}

static void exit_group_child(void *arg)
{
	pthread_t th;
	(void)arg;
	pthread_create(&th, NULL, exit_from_thread, NULL);
	for (;;)
		pause();
}

int main(void)
{
	kt_begin("signal_group", 25);
	test_group_stop();
	test_targeting();
	CHECK_WSTATUS("exit_group_from_thread", kt_run_child(exit_group_child, NULL), "exit 42");
	return kt_end();
}
