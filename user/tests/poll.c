/*
 * poll: readiness of pipes (and a regular file) through poll, ppoll and pselect6: the
 * exact revents (POLLIN, POLLOUT, POLLHUP, POLLERR, POLLNVAL), timeouts (at least as long
 * as asked), blocking until ready, signal masks during ppoll/pselect, and the errors.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/select.h>
#include <time.h>

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int revents_of(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events, .revents = 0x7777 };
	int r = poll(&p, 1, 0);
	if (r < 0)
		return -1000 - errno;
	return p.revents;
}

#define IO (POLLIN | POLLOUT)

static void test_pipe_states(void)
{
	int p[2];
	pipe(p);
	CHECK_EQ("empty_read_end", revents_of(p[0], IO), 0);
	CHECK_EQ("empty_write_end", revents_of(p[1], IO), POLLOUT);
	CHECK_EQ("empty_write_end_wrnorm", revents_of(p[1], POLLOUT | POLLWRNORM),
		 POLLOUT | POLLWRNORM);
	write(p[1], "x", 1);
	CHECK_EQ("data_read_end", revents_of(p[0], IO), POLLIN);
	CHECK_EQ("data_read_end_rdnorm", revents_of(p[0], POLLIN | POLLRDNORM),
		 POLLIN | POLLRDNORM);
	/* Events not asked for are not reported (except ERR/HUP/NVAL). */
	CHECK_EQ("data_read_end_only_pollout_asked", revents_of(p[0], POLLOUT), 0);
	close(p[1]);
	CHECK_EQ("data_and_hup", revents_of(p[0], IO), POLLIN | POLLHUP);
	CHECK_EQ("hup_even_if_not_asked", revents_of(p[0], 0), POLLHUP);
	char c;
	read(p[0], &c, 1);
	CHECK_EQ("hup_only", revents_of(p[0], IO), POLLHUP);
	close(p[0]);

	pipe(p);
	close(p[0]);
	CHECK_EQ("no_reader_write_end", revents_of(p[1], IO), POLLOUT | POLLERR);
	close(p[1]);

	/* A full pipe is not writable. */
	pipe2(p, O_NONBLOCK);
	static char buf[4096];
	while (write(p[1], buf, sizeof(buf)) > 0)
		;
	CHECK_EQ("full_write_end", revents_of(p[1], IO), 0);
	CHECK_EQ("full_read_end", revents_of(p[0], IO), POLLIN);
	close(p[0]);
	close(p[1]);

	/* Closed and negative descriptors. */
	pipe(p);
	int closed = p[0];
	close(p[0]);
	CHECK_EQ("closed_fd_pollnval", revents_of(closed, IO), POLLNVAL);
	struct pollfd fds[3] = { { .fd = -1, .events = IO, .revents = 0x11 },
				 { .fd = p[1], .events = IO },
				 { .fd = closed, .events = IO } };
	CHECK_EQ("poll_counts_ready_fds", poll(fds, 3, 0), 2);
	CHECK_EQ("negative_fd_ignored_revents_0", fds[0].revents, 0);
	CHECK_EQ("mixed_write_end_no_reader", fds[1].revents, POLLOUT | POLLERR);
	CHECK_EQ("mixed_closed", fds[2].revents, POLLNVAL);
	close(p[1]);

	/* A regular file is always ready. */
	const char *dir = kt_tmpdir("poll");
	char path[300];
	snprintf(path, sizeof(path), "%s/f", dir);
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	CHECK_EQ("regular_file_ready", revents_of(fd, IO), POLLIN | POLLOUT);
	close(fd);
	kt_rmtree(dir);
}

static void test_blocking(void)
{
	int p[2];
	pipe(p);
	pid_t c = kt_fork();
	if (c == 0) {
		sleep_ms(50);
		write(p[1], "x", 1);
		_exit(0);
	}
	struct pollfd f = { .fd = p[0], .events = POLLIN };
	CHECK_EQ("poll_blocks_until_data", poll(&f, 1, 10000), 1);
	CHECK_EQ("poll_blocks_until_data_revents", f.revents, POLLIN);
	kt_wait(c);

	char ch;
	read(p[0], &ch, 1);
	long t0 = now_ms();
	CHECK_EQ("poll_timeout_returns_0", poll(&f, 1, 100), 0);
	CHECK("poll_timeout_at_least_100ms", now_ms() - t0 >= 100);
	CHECK_EQ("poll_timeout_revents_0", f.revents, 0);
	CHECK_EQ("poll_zero_fds_timeout", poll(NULL, 0, 10), 0);

	t0 = now_ms();
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	CHECK_EQ("ppoll_timeout", ppoll(&f, 1, &ts, NULL), 0);
	CHECK("ppoll_timeout_at_least_100ms", now_ms() - t0 >= 100);
	struct timespec zero = { 0, 0 };
	CHECK_EQ("ppoll_zero_timeout", ppoll(&f, 1, &zero, NULL), 0);

	/* select: a read set and a write set. */
	fd_set r, w;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	int nfds = (p[0] > p[1] ? p[0] : p[1]) + 1;
	struct timeval tv = { 0, 0 };
	CHECK_EQ("select_write_ready", select(nfds, &r, &w, NULL, &tv), 1);
	CHECK_EQ("select_read_cleared", FD_ISSET(p[0], &r), 0);
	CHECK("select_write_set", FD_ISSET(p[1], &w));
	write(p[1], "y", 1);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	CHECK_EQ("select_both_ready", select(nfds, &r, &w, NULL, &tv), 2);
	read(p[0], &ch, 1);

	/* select waits and writes back the time left. */
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 0;
	tv.tv_usec = 80000;
	t0 = now_ms();
	CHECK_EQ("select_timeout", select(nfds, &r, NULL, NULL, &tv), 0);
	CHECK("select_timeout_at_least_80ms", now_ms() - t0 >= 80);
	CHECK("select_timeout_left_zero", tv.tv_sec == 0 && tv.tv_usec == 0);
	CHECK_EQ("select_timeout_set_cleared", FD_ISSET(p[0], &r), 0);

	c = kt_fork();
	if (c == 0) {
		sleep_ms(50);
		write(p[1], "z", 1);
		_exit(0);
	}
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 10;
	tv.tv_usec = 0;
	CHECK_EQ("select_blocks_until_data", select(nfds, &r, NULL, NULL, &tv), 1);
	CHECK("select_time_left_written_back", tv.tv_sec < 10 && tv.tv_sec >= 0);
	kt_wait(c);
	close(p[0]);
	close(p[1]);
}

static volatile int usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

/* A child that sends SIGUSR1 to us every 20 ms until its stop pipe has a byte. */
static pid_t pester(int stop_fd)
{
	pid_t p = kt_fork();
	if (p == 0) {
		pid_t parent = getppid();
		fcntl(stop_fd, F_SETFL, O_NONBLOCK);
		char c;
		for (int i = 0; i < 500; i++) {
			kill(parent, SIGUSR1);
			sleep_ms(20);
			if (read(stop_fd, &c, 1) == 1)
				break;
		}
		_exit(0);
	}
	return p;
}

static void test_sigmask(void)
{
	int p[2], stop[2];
	pipe(p);
	pipe(stop);
	signal(SIGUSR1, on_usr1);
	sigset_t b, none, cur;
	sigemptyset(&b);
	sigaddset(&b, SIGUSR1);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &b, NULL);

	/* With SIGUSR1 blocked, a plain poll is not interrupted; ppoll with an empty mask
	 * is. */
	usr1 = 0;
	pid_t c = pester(stop[0]);
	struct pollfd f = { .fd = p[0], .events = POLLIN };
	CHECK_EQ("poll_not_interrupted_when_blocked", poll(&f, 1, 150), 0);
	CHECK_EQ("blocked_handler_not_run", usr1, 0);
	CHECK_ERR("ppoll_mask_eintr", ppoll(&f, 1, NULL, &none), EINTR);
	CHECK("ppoll_mask_handler_ran", usr1 >= 1);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	CHECK_EQ("ppoll_mask_restored", sigismember(&cur, SIGUSR1), 1);
	usr1 = 0;
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK_ERR("pselect_mask_eintr", pselect(p[0] + 1, &r, NULL, NULL, NULL, &none), EINTR);
	CHECK("pselect_mask_handler_ran", usr1 >= 1);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	CHECK_EQ("pselect_mask_restored", sigismember(&cur, SIGUSR1), 1);
	kt_signal_fd(stop[1]);
	kt_wait(c);

	/* Unblocked: plain poll is interrupted (never restarted, even with SA_RESTART). */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sigprocmask(SIG_UNBLOCK, &b, NULL);
	c = pester(stop[0]);
	CHECK_ERR("poll_eintr_despite_sa_restart", poll(&f, 1, 10000), EINTR);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK_ERR("select_eintr_despite_sa_restart", select(p[0] + 1, &r, NULL, NULL, NULL),
		  EINTR);
	kt_signal_fd(stop[1]);
	kt_wait(c);
	signal(SIGUSR1, SIG_DFL);
	close(p[0]);
	close(p[1]);
	close(stop[0]);
	close(stop[1]);
}

static void test_errors(void)
{
	int p[2];
	pipe(p);
	struct pollfd f = { .fd = p[0], .events = POLLIN };
	struct timespec ts0 = { 0, 0 };
	CHECK_ERR("poll_efault", syscall(SYS_ppoll, (struct pollfd *)1, 1, &ts0, NULL, 8), EFAULT);
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	CHECK_ERR("poll_too_many_fds", poll(&f, rl.rlim_cur + 1, 0), EINVAL);
	struct timespec bad = { 0, 1000000000 };
	CHECK_ERR("ppoll_bad_timespec", ppoll(&f, 1, &bad, NULL), EINVAL);
	struct timespec neg = { -1, 0 };
	CHECK_ERR("ppoll_negative_timespec", ppoll(&f, 1, &neg, NULL), EINVAL);
	sigset_t none;
	sigemptyset(&none);
	CHECK_ERR("ppoll_bad_sigsetsize", syscall(SYS_ppoll, &f, 1, NULL, &none, 4), EINVAL);

	fd_set r;
	FD_ZERO(&r);
	int closed = p[0];
	close(p[0]);
	FD_SET(closed, &r);
	struct timeval tv = { 0, 0 };
	CHECK_ERR("select_closed_fd_ebadf", select(closed + 1, &r, NULL, NULL, &tv), EBADF);
	FD_ZERO(&r);
	CHECK_ERR("select_negative_nfds", select(-1, &r, NULL, NULL, &tv), EINVAL);
	struct timeval badtv = { 0, -1 };
	CHECK_ERR("select_bad_timeval", select(1, NULL, NULL, NULL, &badtv), EINVAL);
	CHECK_ERR("pselect6_bad_sets_efault",
		  syscall(SYS_pselect6, 1, (fd_set *)1, NULL, NULL, &ts0, NULL), EFAULT);
	close(p[1]);
}

int main(void)
{
	kt_begin("poll", 20);
	test_pipe_states();
	test_blocking();
	test_sigmask();
	test_errors();
	return kt_end();
}
