/*
 * pipe: blocking reads and writes, EOF (only once every write end is closed), O_NONBLOCK
 * and EAGAIN, capacity, EPIPE with SIGPIPE (default, ignored, caught, blocked), a 1 MiB
 * transfer with a checksum, pipe2 flags, F_GETFL/F_SETFL, F_GETPIPE_SZ/F_SETPIPE_SZ,
 * FIONREAD, O_DIRECT packet mode, PIPE_BUF atomicity with concurrent writers, ESPIPE.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <time.h>

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void test_basic(void)
{
	int p[2];
	char buf[64];
	CHECK_EQ("pipe_ok", pipe(p), 0);
	CHECK("pipe_fds_distinct", p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
	CHECK_EQ("write_hello", write(p[1], "hello", 5), 5);
	CHECK_EQ("read_partial_available", read(p[0], buf, sizeof(buf)), 5);
	CHECK("read_hello", memcmp(buf, "hello", 5) == 0);
	CHECK_EQ("write_zero", write(p[1], buf, 0), 0);
	CHECK_EQ("read_zero", read(p[0], buf, 0), 0);
	/* Reads take bytes in order, across writes. */
	write(p[1], "abc", 3);
	write(p[1], "defg", 4);
	CHECK_EQ("read_across_writes_2", read(p[0], buf, 2), 2);
	CHECK_EQ("read_across_writes_rest", read(p[0], buf + 2, sizeof(buf) - 2), 5);
	CHECK("read_across_writes_data", memcmp(buf, "abcdefg", 7) == 0);
	CHECK_ERR("lseek_espipe", lseek(p[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERR("pread_espipe", pread(p[0], buf, 1, 0), ESPIPE);
	CHECK_ERR("pwrite_espipe", pwrite(p[1], buf, 1, 0), ESPIPE);
	CHECK_ERR("read_write_end_ebadf", read(p[1], buf, 1), EBADF);
	CHECK_ERR("write_read_end_ebadf", write(p[0], buf, 1), EBADF);
	int n = -1;
	write(p[1], "12345", 5);
	CHECK_EQ("fionread_ok", ioctl(p[0], FIONREAD, &n), 0);
	CHECK_EQ("fionread_value", n, 5);
	read(p[0], buf, 5);

	/* EOF only when every write end is closed. */
	int w2 = dup(p[1]);
	close(p[1]);
	write(w2, "x", 1);
	CHECK_EQ("read_with_dup_writer_open", read(p[0], buf, 10), 1);
	close(w2);
	CHECK_EQ("read_eof", read(p[0], buf, 10), 0);
	CHECK_EQ("read_eof_again", read(p[0], buf, 10), 0);
	close(p[0]);
}

static void test_blocking(void)
{
	int p[2];
	pipe(p);
	/* A reader blocks until a writer writes. */
	pid_t c = kt_fork();
	if (c == 0) {
		sleep_ms(50);
		write(p[1], "late", 4);
		_exit(0);
	}
	char buf[8] = { 0 };
	CHECK_EQ("blocking_read_waits", read(p[0], buf, sizeof(buf)), 4);
	CHECK_STR("blocking_read_data", buf, "late");
	kt_wait(c);
	/* A reader blocked on an empty pipe sees EOF when the last writer closes. */
	c = kt_fork();
	if (c == 0) {
		sleep_ms(50);
		_exit(0);
	}
	close(p[1]);
	CHECK_EQ("blocking_read_eof_when_writer_exits", read(p[0], buf, sizeof(buf)), 0);
	kt_wait(c);
	close(p[0]);
}

static void test_nonblock_capacity(void)
{
	int p[2];
	static char buf[16384];
	memset(buf, 'z', sizeof(buf));
	CHECK_EQ("pipe2_nonblock", pipe2(p, O_NONBLOCK), 0);
	CHECK_ERR("nonblock_read_empty_eagain", read(p[0], buf, 1), EAGAIN);
	CHECK_EQ("getpipe_sz_default", fcntl(p[0], F_GETPIPE_SZ), 65536);
	long total = 0;
	for (;;) {
		ssize_t w = write(p[1], buf, 4096);
		if (w < 0)
			break;
		total += w;
	}
	CHECK_EQ("nonblock_full_errno_eagain", errno, EAGAIN);
	CHECK_EQ("capacity_65536", total, 65536);
	int n = -1;
	ioctl(p[0], FIONREAD, &n);
	CHECK_EQ("fionread_full", n, 65536);
	/* A small write (<= PIPE_BUF) is all or nothing. */
	CHECK_EQ("drain_100", read(p[0], buf, 100), 100);
	CHECK_ERR("small_write_needs_room_eagain", write(p[1], buf, 200), EAGAIN);
	CHECK_EQ("drain_3996", read(p[0], buf, 3996), 3996);
	CHECK_EQ("page_write_fits", write(p[1], buf, 4096), 4096);
	/* A large write is partial. */
	CHECK_EQ("drain_8192", kt_read_full(p[0], buf, 8192), 8192);
	CHECK_EQ("large_write_partial", write(p[1], buf, 8192 + 4096), 8192);
	CHECK_ERR("then_full_eagain", write(p[1], buf, 1), EAGAIN);
	close(p[0]);
	close(p[1]);

	pipe(p);
	CHECK_EQ("setpipe_sz", fcntl(p[1], F_SETPIPE_SZ, 100000), 131072);
	CHECK_EQ("getpipe_sz_after_set", fcntl(p[0], F_GETPIPE_SZ), 131072);
	CHECK_EQ("setpipe_sz_small_rounds_to_page", fcntl(p[1], F_SETPIPE_SZ, 1), 4096);
	CHECK_ERR("setpipe_sz_on_file_ebadf", fcntl(0x3ff, F_SETPIPE_SZ, 4096), EBADF);
	close(p[0]);
	close(p[1]);
}

static void test_flags(void)
{
	int p[2];
	pipe(p);
	CHECK_EQ("getfl_read_end", fcntl(p[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDONLY);
	CHECK_EQ("getfl_write_end", fcntl(p[1], F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_WRONLY);
	CHECK_EQ("getfd_no_cloexec", fcntl(p[0], F_GETFD), 0);
	CHECK_EQ("setfl_nonblock", fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	CHECK_EQ("getfl_nonblock", fcntl(p[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK),
		 O_RDONLY | O_NONBLOCK);
	char c;
	CHECK_ERR("setfl_nonblock_effect", read(p[0], &c, 1), EAGAIN);
	/* F_SETFL cannot change the access mode. */
	fcntl(p[0], F_SETFL, O_RDWR);
	CHECK_EQ("setfl_keeps_accmode", fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	close(p[0]);
	close(p[1]);

	CHECK_EQ("pipe2_cloexec", pipe2(p, O_CLOEXEC), 0);
	CHECK_EQ("pipe2_cloexec_read_end", fcntl(p[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ("pipe2_cloexec_write_end", fcntl(p[1], F_GETFD), FD_CLOEXEC);
	CHECK_EQ("pipe2_cloexec_not_nonblock", fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);
	close(p[0]);
	close(p[1]);
	CHECK_EQ("pipe2_both", pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	CHECK_EQ("pipe2_both_nonblock_write_end", fcntl(p[1], F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	close(p[0]);
	close(p[1]);
	CHECK_ERR("pipe2_bad_flags", pipe2(p, O_APPEND), EINVAL);
	CHECK_ERR("pipe2_bad_flags_high", pipe2(p, 0x40000000), EINVAL);
	CHECK_ERR("pipe2_efault", syscall(SYS_pipe2, (int *)1, 0), EFAULT);

	/* O_CLOEXEC pipes vanish across exec: the exec'd program reports whether each fd
	 * is open. */
	int keep[2], drop[2];
	pipe(keep);
	pipe2(drop, O_CLOEXEC);
	pid_t ch = kt_fork();
	if (ch == 0) {
		char a[16], b[16];
		snprintf(a, sizeof(a), "%d", keep[0]);
		snprintf(b, sizeof(b), "%d", drop[0]);
		char *argv[] = { kt_self_path, "fd-open", a, b, NULL };
		execv(kt_self_path, argv);
		_exit(127);
	}
	CHECK_WSTATUS("cloexec_closed_across_exec", kt_wait(ch), "exit 1");
	close(keep[0]);
	close(keep[1]);
	close(drop[0]);
	close(drop[1]);

	/* O_DIRECT: packet mode, one write per read; a short read drops the rest. */
	CHECK_EQ("pipe2_o_direct", pipe2(p, O_DIRECT | O_NONBLOCK), 0);
	CHECK_EQ("o_direct_in_getfl", fcntl(p[1], F_GETFL) & O_DIRECT, O_DIRECT);
	write(p[1], "one", 3);
	write(p[1], "three", 5);
	char buf[16];
	CHECK_EQ("packet_first", read(p[0], buf, sizeof(buf)), 3);
	CHECK_EQ("packet_second", read(p[0], buf, sizeof(buf)), 5);
	write(p[1], "abcdef", 6);
	CHECK_EQ("packet_short_read", read(p[0], buf, 2), 2);
	CHECK_ERR("packet_rest_discarded", read(p[0], buf, sizeof(buf)), EAGAIN);
	close(p[0]);
	close(p[1]);
}

static volatile int pipe_sigs;

static void on_sigpipe(int sig)
{
	(void)sig;
	pipe_sigs++;
}

static void test_epipe(void)
{
	int p[2];
	pipe(p);
	close(p[0]);
	/* Default: SIGPIPE kills. */
	pid_t c = kt_fork();
	if (c == 0) {
		signal(SIGPIPE, SIG_DFL);
		write(p[1], "x", 1);
		_exit(0);
	}
	CHECK_WSTATUS("sigpipe_kills", kt_wait(c), "signal SIGPIPE");
	/* Ignored: EPIPE. */
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR("sigpipe_ignored_epipe", write(p[1], "x", 1), EPIPE);
	/* Caught: the handler runs, then EPIPE. */
	signal(SIGPIPE, on_sigpipe);
	pipe_sigs = 0;
	CHECK_ERR("sigpipe_caught_epipe", write(p[1], "x", 1), EPIPE);
	CHECK_EQ("sigpipe_handler_ran", pipe_sigs, 1);
	/* Blocked: EPIPE and SIGPIPE stays pending. */
	sigset_t b, pend;
	sigemptyset(&b);
	sigaddset(&b, SIGPIPE);
	sigprocmask(SIG_BLOCK, &b, NULL);
	CHECK_ERR("sigpipe_blocked_epipe", write(p[1], "x", 1), EPIPE);
	sigpending(&pend);
	CHECK_EQ("sigpipe_blocked_pending", sigismember(&pend, SIGPIPE), 1);
	pipe_sigs = 0;
	sigprocmask(SIG_UNBLOCK, &b, NULL);
	CHECK_EQ("sigpipe_delivered_on_unblock", pipe_sigs, 1);
	/* Nonblocking write to a pipe without readers is EPIPE too, not EAGAIN. */
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	CHECK_ERR("sigpipe_nonblock_epipe", write(p[1], "x", 1), EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);

	/* A writer blocked on a full pipe gets EPIPE when the last reader goes. */
	pipe(p);
	c = kt_fork();
	if (c == 0) {
		signal(SIGPIPE, SIG_IGN);
		close(p[0]);
		static char big[200000];
		ssize_t w = write(p[1], big, sizeof(big));
		/* The count of what went in, since some did. */
		_exit(w == 65536 ? 3 : (w < 0 && errno == EPIPE) ? 4 : 5);
	}
	close(p[1]);
	/* Once the pipe is full the writer is blocked (or about to be): then close our,
	 * the last, read end. */
	int n = 0;
	for (int i = 0; i < 10000 && n < 65536; i++) {
		ioctl(p[0], FIONREAD, &n);
		if (n < 65536)
			sleep_ms(1);
	}
	CHECK_EQ("blocked_writer_filled_pipe", n, 65536);
	close(p[0]);
	CHECK_WSTATUS("blocked_writer_reader_gone", kt_wait(c), "exit 3");
}

/* 1 MiB in odd-sized pieces each way; the reader checks the bytes. */
static unsigned char pattern(size_t i)
{
	return (unsigned char)((i * 131u + (i >> 8) * 7u) & 0xff);
}

static void test_bulk(void)
{
	int p[2];
	pipe(p);
	const size_t total = 1 << 20;
	pid_t c = kt_fork();
	if (c == 0) {
		close(p[0]);
		static unsigned char buf[70000];
		size_t off = 0, step = 1;
		while (off < total) {
			size_t n = (step * 997) % 69999 + 1;
			if (n > total - off)
				n = total - off;
			for (size_t i = 0; i < n; i++)
				buf[i] = pattern(off + i);
			kt_write_all(p[1], (char *)buf, n);
			off += n;
			step++;
		}
		_exit(0);
	}
	close(p[1]);
	static unsigned char rbuf[50000];
	size_t off = 0, step = 1;
	unsigned long sum = 0, want = 0;
	int bad = 0;
	for (;;) {
		size_t n = (step * 613) % 49999 + 1;
		ssize_t r = read(p[0], rbuf, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r; i++) {
			if (rbuf[i] != pattern(off + (size_t)i))
				bad++;
			sum = sum * 31 + rbuf[i];
		}
		off += (size_t)r;
		step++;
	}
	for (size_t i = 0; i < total; i++)
		want = want * 31 + pattern(i);
	CHECK_EQ("bulk_1mib_length", off, total);
	CHECK_EQ("bulk_1mib_bytes_match", bad, 0);
	CHECK("bulk_1mib_checksum", sum == want);
	CHECK_WSTATUS("bulk_writer_status", kt_wait(c), "exit 0");
	close(p[0]);
}

/* Four writers, 512-byte records (< PIPE_BUF): every record arrives whole. */
static void test_atomic(void)
{
	int p[2];
	pipe(p);
	pid_t kids[4];
	for (int k = 0; k < 4; k++) {
		kids[k] = kt_fork();
		if (kids[k] == 0) {
			close(p[0]);
			char rec[512];
			memset(rec, 'A' + k, sizeof(rec));
			for (int i = 0; i < 500; i++)
				if (write(p[1], rec, sizeof(rec)) != (ssize_t)sizeof(rec))
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	char rec[512];
	int counts[4] = { 0 }, torn = 0;
	while (kt_read_full(p[0], rec, sizeof(rec)) == sizeof(rec)) {
		int k = rec[0] - 'A';
		for (size_t i = 1; i < sizeof(rec); i++)
			if (rec[i] != rec[0])
				torn = 1;
		if (k >= 0 && k < 4)
			counts[k]++;
		else
			torn = 1;
	}
	CHECK_EQ("pipe_buf_records_whole", torn, 0);
	CHECK("pipe_buf_all_records", counts[0] == 500 && counts[1] == 500 && counts[2] == 500 &&
					      counts[3] == 500);
	int ok = 1;
	for (int k = 0; k < 4; k++)
		if (kt_wait(kids[k]) != 0)
			ok = 0;
	CHECK_EQ("pipe_buf_writers_ok", ok, 1);
	close(p[0]);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "fd-open") == 0) {
		int a = fcntl(atoi(argv[2]), F_GETFD) >= 0;
		int b = fcntl(atoi(argv[3]), F_GETFD) >= 0;
		return a | (b << 1);
	}
	kt_begin("pipe", 60);
	signal(SIGPIPE, SIG_DFL);
	test_basic();
	test_blocking();
	test_nonblock_capacity();
	test_flags();
	test_epipe();
	test_bulk();
	test_atomic();
	return kt_end();
}
