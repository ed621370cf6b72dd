/*
 * tty_termios: the console terminal as a program sees it that does not have it as its
 * controlling terminal. termios (the serial console's defaults, set and get, speeds
 * through termios2), canonical input edited with ERASE, WERASE, KILL and LNEXT and
 * ended by NL, EOL and EOF, ICRNL/IGNCR, signal characters flushing the input, the
 * four VMIN/VTIME cases, O_NONBLOCK, poll, FIONREAD, TCFLSH, TIOCOUTQ, the window
 * size, and the errors. Input is typed with TIOCSTI (as root); echo stays off so that
 * nothing shows on the console. The console's settings are put back at the end.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>

/* The kernel's struct termios2 (glibc's termios has other fields). */
struct ktermios2 {
	unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line;
	unsigned char c_cc[19];
	unsigned int c_ispeed, c_ospeed;
};
#define K_TCGETS2	0x802C542A
#define K_TCSETS2	0x402C542B
#define K_BOTHER	0010000

static int fd;

static void type(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ioctl(fd, TIOCSTI, s + i);
}

#define TYPE(s) type(s, sizeof(s) - 1)

/*
 * The test runner copies this test's output to the same console while it runs, so
 * before looking at the console's output state (POLLOUT, TIOCOUTQ) wait until that
 * copy has gone out: twice in a row nothing queued, 10 ms apart, within 10 s.
 */
static void wait_output_idle(void)
{
	int n, idle = 0;

	for (int i = 0; i < 1000 && idle < 2; i++) {
		tcdrain(fd);
		idle = ioctl(fd, TIOCOUTQ, &n) == 0 && n == 0 ? idle + 1 : 0;
		usleep(10000);
	}
}

/* A read's result as text: the bytes (control characters as ^X) or the error. */
static const char *rd(size_t n)
{
	static char out[4][256];
	static int next;
	char buf[128], *o = out[next++ & 3];
	ssize_t r = read(fd, buf, n < sizeof(buf) ? n : sizeof(buf));
	size_t k = 0;

	if (r < 0) {
		snprintf(o, sizeof(out[0]), "-1 %s", kt_errname(errno));
		return o;
	}
	k = (size_t)snprintf(o, sizeof(out[0]), "%zd \"", r);
	for (ssize_t i = 0; i < r; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c < 32 || c == 127)
			k += (size_t)snprintf(o + k, sizeof(out[0]) - k, "^%c", c ^ 0100);
		else
			o[k++] = (char)c;
	}
	snprintf(o + k, sizeof(out[0]) - k, "\"");
	return o;
}

static void set(struct termios *t)
{
	if (tcsetattr(fd, TCSANOW, t))
		kt_fail("tcsetattr", "%s", kt_errname(errno));
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static int inq(void)
{
	int n = -1;
	ioctl(fd, FIONREAD, &n);
	return n;
}

static void defaults(const struct termios *t)
{
	struct ktermios2 k;

	kt_printf("termios: iflag %#o oflag %#o cflag %#o lflag %#o line %d\n", t->c_iflag,
		  t->c_oflag, t->c_cflag, t->c_lflag, t->c_line);
	kt_printf("cc:");
	for (int i = 0; i < 17; i++)
		kt_printf(" %d", t->c_cc[i]);
	kt_printf("\n");
	CHECK_EQ("tcgets2", ioctl(fd, K_TCGETS2, &k), 0);
	kt_printf("speeds: %u %u, cfget %u %u\n", k.c_ispeed, k.c_ospeed,
		  (unsigned)cfgetispeed(t), (unsigned)cfgetospeed(t));
}

static void canonical(struct termios base)
{
	base.c_lflag |= ICANON;
	set(&base);
	tcflush(fd, TCIFLUSH);
	TYPE("hello\r");
	CHECK_STR("line_icrnl", rd(64), "6 \"hello^J\"");
	TYPE("ab\ncd\n");
	CHECK_STR("one_line_per_read", rd(64), "3 \"ab^J\"");
	CHECK_STR("second_line", rd(64), "3 \"cd^J\"");
	TYPE("abcdef\n");
	CHECK_STR("short_buffer", rd(4), "4 \"abcd\"");
	CHECK_STR("short_buffer_rest", rd(64), "3 \"ef^J\"");
	TYPE("abx\177c\n");
	CHECK_STR("erase", rd(64), "4 \"abc^J\"");
	TYPE("foo bar\027baz\n");
	CHECK_STR("werase", rd(64), "8 \"foo baz^J\"");
	/* A word is alphanumerics and '_'; the second ^W takes the '-' and the word. */
	TYPE("foo_1-x\027\027y\n");
	CHECK_STR("werase_words", rd(64), "2 \"y^J\"");
	TYPE("abc\025de\n");
	CHECK_STR("kill", rd(64), "3 \"de^J\"");
	TYPE("\177\177a\n");
	CHECK_STR("erase_at_start", rd(64), "2 \"a^J\"");
	TYPE("\026\177\026\025\n");
	CHECK_STR("lnext", rd(64), "3 \"^?^U^J\"");
	TYPE("abc\004");
	CHECK_STR("eof_ends_line", rd(64), "3 \"abc\"");
	TYPE("\004");
	CHECK_STR("eof_alone", rd(64), "0 \"\"");
	TYPE("xyz\004q\n");
	CHECK_STR("eof_exact_fill", rd(3), "3 \"xyz\"");
	CHECK_STR("eof_skipped", rd(64), "2 \"q^J\"");
	TYPE("ab\004cd\npart");
	CHECK_EQ("fionread_canon", inq(), 5);
	tcflush(fd, TCIFLUSH);
	CHECK_EQ("fionread_flushed", inq(), 0);

	base.c_cc[VEOL] = '#';
	base.c_cc[VEOL2] = '%';
	set(&base);
	TYPE("ab#cd%ef\n");
	CHECK_STR("eol", rd(64), "3 \"ab#\"");
	CHECK_STR("eol2", rd(64), "3 \"cd%\"");
	CHECK_STR("eol_rest", rd(64), "3 \"ef^J\"");

	base.c_iflag |= IGNCR;
	set(&base);
	TYPE("a\rb\n");
	CHECK_STR("igncr", rd(64), "3 \"ab^J\"");
	base.c_iflag &= ~(IGNCR | ICRNL);
	set(&base);
	TYPE("a\r\n");
	CHECK_STR("no_icrnl", rd(64), "3 \"a^M^J\"");

	/* Signal characters flush the input (there is no foreground group to signal). */
	TYPE("ab\003cd\n");
	CHECK_STR("intr_flushes", rd(64), "3 \"cd^J\"");
	base.c_lflag |= NOFLSH;
	set(&base);
	TYPE("ab\034cd\n");
	CHECK_STR("noflsh_keeps", rd(64), "5 \"abcd^J\"");
	base.c_lflag &= ~ISIG;
	set(&base);
	TYPE("\003\032\n");
	CHECK_STR("no_isig", rd(64), "3 \"^C^Z^J\"");

	/* A partial line is not readable; O_NONBLOCK says so. */
	fcntl(fd, F_SETFL, O_RDWR | O_NONBLOCK);
	TYPE("partial");
	CHECK_STR("nonblock_partial", rd(64), "-1 EAGAIN");
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
	wait_output_idle();
	int polled = poll(&p, 1, 0);
	short revents = p.revents;
	TYPE("\n");
	int polled_line = poll(&p, 1, 0);
	CHECK_EQ("poll_partial", polled, 1);
	CHECK_EQ("poll_partial_revents", revents, POLLOUT);
	CHECK_EQ("poll_line", polled_line, 1);
	CHECK_EQ("poll_line_revents", p.revents, POLLIN | POLLOUT);
	CHECK_STR("nonblock_line", rd(64), "8 \"partial^J\"");
	fcntl(fd, F_SETFL, O_RDWR);
}

static void noncanonical(struct termios base)
{
	struct timespec t0;

	base.c_lflag &= ~ICANON;
	base.c_cc[VMIN] = 0;
	base.c_cc[VTIME] = 0;
	set(&base);
	tcflush(fd, TCIFLUSH);
	CHECK_STR("min0_time0_empty", rd(64), "0 \"\"");
	TYPE("xy\177\n");
	CHECK_EQ("fionread_raw", inq(), 4);
	CHECK_STR("min0_time0_data", rd(64), "4 \"xy^?^J\"");

	base.c_cc[VTIME] = 2;
	set(&base);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_STR("min0_time2_empty", rd(64), "0 \"\"");
	CHECK("min0_time2_waited", ms_since(&t0) >= 190);
	TYPE("z");
	CHECK_STR("min0_time2_data", rd(64), "1 \"z\"");

	base.c_cc[VMIN] = 3;
	base.c_cc[VTIME] = 0;
	set(&base);
	TYPE("abcd");
	CHECK_STR("min3_time0", rd(64), "4 \"abcd\"");
	TYPE("ab");
	CHECK_STR("min3_count1", rd(1), "1 \"a\"");
	fcntl(fd, F_SETFL, O_RDWR | O_NONBLOCK);
	CHECK_STR("min3_nonblock_short", rd(64), "1 \"b\"");
	CHECK_STR("min3_nonblock_empty", rd(64), "-1 EAGAIN");
	fcntl(fd, F_SETFL, O_RDWR);

	base.c_cc[VMIN] = 5;
	base.c_cc[VTIME] = 1;
	set(&base);
	TYPE("ab");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_STR("min5_time1_timer", rd(64), "2 \"ab\"");
	CHECK("min5_time1_waited", ms_since(&t0) >= 90);

	/* poll waits for VMIN bytes when there is no timer. */
	base.c_cc[VMIN] = 2;
	base.c_cc[VTIME] = 0;
	set(&base);
	struct pollfd p = { fd, POLLIN, 0 };
	TYPE("a");
	CHECK_EQ("poll_below_vmin", poll(&p, 1, 0), 0);
	TYPE("b");
	CHECK_EQ("poll_vmin", poll(&p, 1, 0), 1);
	CHECK_STR("vmin_read", rd(64), "2 \"ab\"");

	/* Back to canonical: what was typed becomes a line. */
	TYPE("raw");
	base.c_lflag |= ICANON;
	set(&base);
	CHECK_STR("raw_then_canon", rd(64), "3 \"raw\"");
}

static void speeds_and_sizes(struct termios base)
{
	struct ktermios2 k;
	struct winsize ws = { 0 }, w2;
	int n = -1;

	cfsetspeed(&base, B115200);
	set(&base);
	CHECK_EQ("tcgets2_b115200", ioctl(fd, K_TCGETS2, &k), 0);
	kt_printf("b115200: cflag %#o speeds %u %u\n", k.c_cflag, k.c_ispeed, k.c_ospeed);
	k.c_cflag = (k.c_cflag & ~CBAUD) | K_BOTHER;
	k.c_ispeed = k.c_ospeed = 57600;
	CHECK_EQ("tcsets2_bother", ioctl(fd, K_TCSETS2, &k), 0);
	CHECK_EQ("tcgets2_bother", ioctl(fd, K_TCGETS2, &k), 0);
	kt_printf("bother 57600: cflag %#o speeds %u %u\n", k.c_cflag, k.c_ispeed, k.c_ospeed);

	CHECK_EQ("tiocgwinsz", ioctl(fd, TIOCGWINSZ, &ws), 0);
	kt_printf("winsize: %u %u %u %u\n", ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel);
	w2 = (struct winsize){ 24, 80, 0, 0 };
	CHECK_EQ("tiocswinsz", ioctl(fd, TIOCSWINSZ, &w2), 0);
	w2 = (struct winsize){ 0 };
	CHECK_EQ("tiocgwinsz_set", ioctl(fd, TIOCGWINSZ, &w2), 0);
	CHECK("winsize_kept", w2.ws_row == 24 && w2.ws_col == 80);
	CHECK_EQ("tiocswinsz_back", ioctl(fd, TIOCSWINSZ, &ws), 0);

	wait_output_idle();
	int r = ioctl(fd, TIOCOUTQ, &n);
	CHECK_EQ("tiocoutq", r, 0);
	CHECK_EQ("tiocoutq_empty", n, 0);
	CHECK_EQ("tcdrain", tcdrain(fd), 0);
	CHECK_EQ("tcflow_on", tcflow(fd, TCOON), 0);
}

static void errors(void)
{
	int n;

	CHECK_ERR("tiocgpgrp_not_ctty", ioctl(fd, TIOCGPGRP, &n), ENOTTY);
	CHECK_ERR("tiocspgrp_not_ctty", ioctl(fd, TIOCSPGRP, &n), ENOTTY);
	CHECK_ERR("tiocgsid_not_ctty", ioctl(fd, TIOCGSID, &n), ENOTTY);
	CHECK_ERR("tiocnotty_not_ctty", ioctl(fd, TIOCNOTTY), ENOTTY);
	CHECK_ERR("unknown_ioctl", ioctl(fd, 0x54ff, 0), ENOTTY);
	CHECK_ERR("tcgets_null", ioctl(fd, TCGETS, NULL), EFAULT);
	CHECK_ERR("tcsets_bad", ioctl(fd, TCSETS, (void *)16), EFAULT);
	CHECK_ERR("tiocgwinsz_bad", ioctl(fd, TIOCGWINSZ, (void *)-1L), EFAULT);
	CHECK_ERR("tiocsti_bad", ioctl(fd, TIOCSTI, (void *)8), EFAULT);
	CHECK_ERR("tcflsh_bad", ioctl(fd, TCFLSH, 3), EINVAL);
	CHECK_ERR("tcxonc_bad", ioctl(fd, TCXONC, 9), EINVAL);
	CHECK_ERR("open_dev_tty_no_ctty", open("/dev/tty", O_RDWR), ENXIO);
	CHECK_ERR("lseek_espipe", lseek(fd, 0, SEEK_SET), ESPIPE);
	CHECK_ERR("pipe_tcgetattr", ({
		int p[2];
		struct termios t;
		pipe(p);
		tcgetattr(p[0], &t);
	}), ENOTTY);
}

int main(void)
{
	struct termios orig, base;

	kt_begin("tty_termios", 30);
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	CHECK("open_console", fd >= 0);
	if (fd < 0)
		return kt_end();
	CHECK_EQ("isatty", isatty(fd), 1);
	CHECK_EQ("tcgetattr", tcgetattr(fd, &orig), 0);
	defaults(&orig);

	base = orig;
	base.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
	canonical(base);
	noncanonical(base);
	speeds_and_sizes(base);
	errors();

	tcflush(fd, TCIFLUSH);
	CHECK_EQ("restore", tcsetattr(fd, TCSANOW, &orig), 0);
	return kt_end();
}
