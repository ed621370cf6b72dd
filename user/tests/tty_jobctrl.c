/*
 * tty_jobctrl: a terminal as a session's controlling terminal. A new session leader
 * acquires ttyAMA0 by opening it (and /dev/tty then works); processes of background
 * groups are stopped by SIGTTIN when they read and by SIGTTOU when they change the
 * terminal or write with TOSTOP, or get EIO when the signal is ignored or blocked (read)
 * or their group is orphaned; reads through /dev/console are never stopped. tcsetpgrp
 * and its errors, ^C ^\ ^Z to the foreground group, SIGWINCH, TIOCNOTTY, and the hangup
 * when the leader exits: its foreground group gets SIGHUP, files opened on the terminal
 * read 0 and fail with EIO, the session has no terminal any more. Writes are empty, so
 * that nothing shows on the console; echo is off while input is typed (TIOCSTI).
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <termios.h>

static int fd, con;
static int report[2];		/* from the session's processes to the test */
static pid_t other_session;	/* a process group in another session */

/* The wait status of child c; a stopped child is then killed and reaped. */
static int wait_stopped(pid_t c)
{
	int st;
	while (waitpid(c, &st, WUNTRACED) < 0 && errno == EINTR)
		;
	if (WIFSTOPPED(st)) {
		kill(c, SIGKILL);
		kt_wait(c);
	}
	return st;
}

/* fn in a child of this process (same group); its wait status. */
static int run_wait(int (*fn)(void))
{
	pid_t c = kt_fork();
	if (c == 0)
		_exit(fn());
	return kt_wait(c);
}

/* A child in its own (background) process group, running fn; its wait status. */
static int in_background(int (*fn)(void))
{
	pid_t c = kt_fork();
	if (c == 0) {
		setpgid(0, 0);
		_exit(fn());
	}
	return wait_stopped(c);
}

static int bg_read(void)
{
	char b;
	return read(fd, &b, 1) == -1 && errno == EIO ? 0 : 1;
}

static int bg_read_ignored(void)
{
	signal(SIGTTIN, SIG_IGN);
	return bg_read();
}

static int bg_read_blocked(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTTIN);
	sigprocmask(SIG_BLOCK, &s, NULL);
	return bg_read();
}

/* Through /dev/console: no job control, so no input is just EAGAIN. */
static int bg_read_console(void)
{
	char b;
	fcntl(con, F_SETFL, O_RDWR | O_NONBLOCK);
	int r = read(con, &b, 1) == -1 && errno == EAGAIN ? 0 : 1;
	fcntl(con, F_SETFL, O_RDWR);
	return r;
}

static int bg_write(void)
{
	return write(fd, "", 0) == 0 ? 0 : 1;
}

static int bg_write_ignored(void)
{
	signal(SIGTTOU, SIG_IGN);
	return bg_write();
}

static int bg_tcsetattr(void)
{
	struct termios t;
	tcgetattr(fd, &t);
	return tcsetattr(fd, TCSANOW, &t) == 0 ? 0 : 1;
}

static int bg_tcgetattr(void)
{
	struct termios t;
	return tcgetattr(fd, &t) == 0 ? 0 : 1;
}

static int bg_tcsetpgrp(void)
{
	return tcsetpgrp(fd, getpgrp()) == 0 ? 0 : 1;
}

/* A background group whose parent leaves is orphaned: reading gives EIO. */
static int bg_orphan(void)
{
	int tok[2];
	pid_t parent = getpid();
	pipe(tok);
	pid_t g = fork();
	if (g == 0) {
		kt_wait_fd(tok[0]);
		while (getppid() == parent)
			usleep(1000);
		char r = bg_read() == 0 ? 'E' : '?';
		kt_write_all(report[1], &r, 1);
		_exit(0);
	}
	kt_signal_fd(tok[1]);
	return 0;
}

static void job_control(void)
{
	struct termios t;

	CHECK_WSTATUS("bg_read_sigttin", in_background(bg_read), "stopped SIGTTIN");
	CHECK_WSTATUS("bg_read_ignored_eio", in_background(bg_read_ignored), "exit 0");
	CHECK_WSTATUS("bg_read_blocked_eio", in_background(bg_read_blocked), "exit 0");
	CHECK_WSTATUS("bg_read_console_unstopped", in_background(bg_read_console), "exit 0");
	CHECK_WSTATUS("bg_write_without_tostop", in_background(bg_write), "exit 0");
	CHECK_WSTATUS("bg_tcgetattr", in_background(bg_tcgetattr), "exit 0");
	CHECK_WSTATUS("bg_tcsetattr_sigttou", in_background(bg_tcsetattr), "stopped SIGTTOU");
	tcgetattr(fd, &t);
	t.c_lflag |= TOSTOP;
	tcsetattr(fd, TCSANOW, &t);
	CHECK_WSTATUS("bg_write_tostop_sigttou", in_background(bg_write), "stopped SIGTTOU");
	CHECK_WSTATUS("bg_write_tostop_ignored", in_background(bg_write_ignored), "exit 0");
	t.c_lflag &= ~TOSTOP;
	tcsetattr(fd, TCSANOW, &t);
	CHECK_WSTATUS("bg_tcsetpgrp_sigttou", in_background(bg_tcsetpgrp), "stopped SIGTTOU");
	CHECK_WSTATUS("bg_orphan", in_background(bg_orphan), "exit 0");
	char r = 0;
	kt_read_full(report[0], &r, 1);
	CHECK_EQ("orphaned_read_eio", r, 'E');
}

static int pause_child(int *ready, void (*setup)(void))
{
	pid_t c = kt_fork();
	if (c == 0) {
		setpgid(0, 0);
		if (setup)
			setup();
		kt_signal_fd(ready[1]);
		for (;;)
			pause();
	}
	kt_wait_fd(ready[0]);
	return c;
}

static void ignore_sigttou_in_tcsetpgrp(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTTOU);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

/* The foreground group gets the signal characters; pgrp errors. */
static void foreground(void)
{
	static const struct { const char *name, *ch, *status; } keys[] = {
		{ "intr_sigint", "\003", "signal SIGINT" },
		{ "quit_sigquit", "\034", "signal SIGQUIT" },
		{ "susp_sigtstp", "\032", "stopped SIGTSTP" },
	};
	int ready[2];
	pid_t me = getpid();

	pipe(ready);
	/* The leader hands the terminal over and back, from the background then. */
	ignore_sigttou_in_tcsetpgrp();
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		pid_t c = pause_child(ready, NULL);
		CHECK_EQ(kt_name("%s_tcsetpgrp", keys[i].name), tcsetpgrp(fd, c), 0);
		CHECK_EQ(kt_name("%s_tcgetpgrp", keys[i].name), tcgetpgrp(fd), c);
		ioctl(fd, TIOCSTI, keys[i].ch);
		CHECK_WSTATUS(keys[i].name, wait_stopped(c), keys[i].status);
		CHECK_EQ(kt_name("%s_back", keys[i].name), tcsetpgrp(fd, me), 0);
	}
	CHECK_ERR("tcsetpgrp_other_session_eperm", tcsetpgrp(fd, other_session), EPERM);
	CHECK_ERR("tcsetpgrp_missing_esrch", tcsetpgrp(fd, 0x3ffffff0), ESRCH);
	CHECK_ERR("tcsetpgrp_negative_einval", tcsetpgrp(fd, -1), EINVAL);
	CHECK_EQ("tcgetpgrp_unchanged", tcgetpgrp(fd), me);
}

static volatile int winches;

static void on_winch(int sig)
{
	(void)sig;
	winches++;
}

static void window_size(void)
{
	struct winsize old, ws = { 30, 100, 0, 0 };

	signal(SIGWINCH, on_winch);
	ioctl(fd, TIOCGWINSZ, &old);
	CHECK_EQ("tiocswinsz", ioctl(fd, TIOCSWINSZ, &ws), 0);
	CHECK_EQ("sigwinch_on_change", winches, 1);
	CHECK_EQ("tiocswinsz_same", ioctl(fd, TIOCSWINSZ, &ws), 0);
	CHECK_EQ("no_sigwinch_same_size", winches, 1);
	ioctl(fd, TIOCSWINSZ, &old);
	signal(SIGWINCH, SIG_DFL);
}

static int notty_child(void)
{
	int n;
	int r = ioctl(fd, TIOCNOTTY) == 0;
	r |= (ioctl(fd, TIOCGPGRP, &n) == -1 && errno == ENOTTY) << 1;
	r |= (open("/dev/tty", O_RDWR) == -1 && errno == ENXIO) << 2;
	r |= (setsid() == getpid()) << 3;
	r |= (ioctl(fd, TIOCSCTTY, 0) == -1 && errno == EPERM) << 4;	/* another session's */
	return r;
}

static int sctty_not_leader(void)
{
	return ioctl(fd, TIOCSCTTY, 0) == -1 && errno == EPERM ? 0 : 1;
}

static void on_hup(int sig)
{
	(void)sig;
	kt_write_all(report[1], "H", 1);
	_exit(0);
}

/* Run in the session: after the leader exits, these two see the hangup. */
static void hangup_watchers(int *ready)
{
	if (kt_fork() == 0) {
		signal(SIGHUP, on_hup);
		kt_signal_fd(ready[1]);
		for (;;)
			pause();
	}
	kt_wait_fd(ready[0]);
	if (kt_fork() == 0) {
		pid_t leader = getppid();
		char b, r = 'a';
		struct termios t;
		int n;

		signal(SIGHUP, SIG_IGN);
		kt_signal_fd(ready[1]);
		while (getppid() == leader)
			usleep(1000);
		r += read(fd, &b, 1) == 0;
		r += (write(fd, "x", 1) == -1 && errno == EIO) << 1;
		r += (ioctl(fd, TIOCGPGRP, &n) == -1 && errno == EIO) << 2;
		r += (open("/dev/tty", O_RDWR) == -1 && errno == ENXIO) << 3;
		r += (tcgetattr(con, &t) == 0) << 4;	/* /dev/console is not hung up */
		kt_write_all(report[1], &r, 1);
		_exit(0);
	}
	kt_wait_fd(ready[0]);
}

static void session(void)
{
	struct termios orig, t;
	int sid = 0, ready[2];
	pid_t me = getpid();

	CHECK_EQ("setsid", setsid(), me);
	fd = open("/dev/ttyAMA0", O_RDWR);
	CHECK("open_ttyAMA0", fd >= 0);
	con = open("/dev/console", O_RDWR | O_NOCTTY);
	CHECK("open_console", con >= 0);
	if (fd < 0 || con < 0)
		return;
	CHECK_EQ("tiocgsid", ioctl(fd, TIOCGSID, &sid), 0);
	CHECK("ctty_acquired", sid == me);
	CHECK_EQ("tcgetpgrp_leader", tcgetpgrp(fd), me);
	CHECK_EQ("tcgetpgrp_console_same_tty", tcgetpgrp(con), me);
	int dt = open("/dev/tty", O_RDWR);
	CHECK("open_dev_tty", dt >= 0);
	CHECK_EQ("dev_tty_pgrp", tcgetpgrp(dt), me);
	close(dt);
	CHECK_EQ("tiocsctty_own", ioctl(fd, TIOCSCTTY, 0), 0);
	CHECK_WSTATUS("tiocsctty_not_leader", run_wait(sctty_not_leader), "exit 0");

	tcgetattr(fd, &orig);
	t = orig;
	t.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
	tcsetattr(fd, TCSANOW, &t);
	tcflush(fd, TCIFLUSH);

	job_control();
	foreground();
	window_size();
	CHECK_WSTATUS("tiocnotty_not_leader", run_wait(notty_child), "exit 31");
	CHECK_EQ("leader_keeps_ctty", tcgetpgrp(fd), me);

	tcsetattr(fd, TCSANOW, &orig);
	pipe(ready);
	hangup_watchers(ready);
}

int main(void)
{
	kt_begin("tty_jobctrl", 60);
	if (mknod("/dev/ttyAMA0", S_IFCHR | 0600, makedev(204, 64)) && errno != EEXIST)
		kt_fail("mknod", "%s", kt_errname(errno));
	pipe(report);
	int ready[2];
	pipe(ready);
	other_session = kt_fork();
	if (other_session == 0) {
		setsid();
		kt_signal_fd(ready[1]);
		for (;;)
			pause();
	}
	kt_wait_fd(ready[0]);
	pid_t s = kt_fork();
	if (s == 0) {
		session();
		kt_child_exit();
	}
	/* The session takes a while: its own watchdog (kt_fork) ends it if it hangs. */
	int st = -1;
	while (waitpid(s, &st, 0) < 0 && errno == EINTR)
		;
	CHECK_WSTATUS("session_leader", st, "exit 0");
	char r[2] = { 0, 0 };
	kt_read_full(report[0], r, 2);
	CHECK("hangup_sighup_foreground", r[0] == 'H' || r[1] == 'H');
	char w = r[0] == 'H' ? r[1] : r[0];
	CHECK_EQ("hangup_after", w - 'a', 31);
	kill(other_session, SIGKILL);
	kt_wait(other_session);
	return kt_end();
}
