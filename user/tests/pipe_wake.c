// SPDX-License-Identifier: MIT
/*
 * pipe_wake: every sleeper on a pipe is woken when what it waits for is there, with many
 * sleepers at once. Readers and writers wait exclusively (one woken per event, who wakes
 * the next if it leaves something): eight readers blocked on an empty pipe and fed by
 * one write all get their byte; eight writers blocked on a full pipe all get their
 * PIPE_BUF record in whole once a reader drains it; a poller and a reader on the same
 * empty pipe both see the write. A lost wake-up hangs a child, which kt_wait kills (one
 * failed check). The short sleeps only make it likely that the children block first;
 * the results are the same if they do not.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <poll.h>
#include <time.h>

#define SLEEPERS	8
#define REC		4096	/* PIPE_BUF */

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Each reader takes one byte and exits with it; one write feeds all of them. */
static void test_readers(void)
{
	pid_t kids[SLEEPERS];
	int p[2], seen = 0, ok = 1;

	pipe(p);
	for (int k = 0; k < SLEEPERS; k++) {
		kids[k] = kt_fork();
		if (kids[k] == 0) {
			char c;

			close(p[1]);
			_exit(read(p[0], &c, 1) == 1 ? c - 'a' + 1 : 100);
		}
	}
	close(p[0]);
	sleep_ms(100);
	CHECK_EQ("readers_one_write", write(p[1], "abcdefgh", SLEEPERS), SLEEPERS);
	for (int k = 0; k < SLEEPERS; k++) {
		int st = kt_wait(kids[k]);

		if (!WIFEXITED(st) || WEXITSTATUS(st) < 1 || WEXITSTATUS(st) > SLEEPERS)
			ok = 0;
		else
			seen |= 1 << (WEXITSTATUS(st) - 1);
	}
	CHECK_EQ("readers_all_woken", ok, 1);
	CHECK_EQ("readers_each_byte_once", seen, (1 << SLEEPERS) - 1);
	close(p[1]);
}

/* A full pipe, eight blocked writers of a record each; one reader drains it all. */
static void test_writers(void)
{
	pid_t kids[SLEEPERS];
	int p[2], counts[SLEEPERS] = { 0 }, torn = 0, ok = 1, filler = 0;
	char rec[REC];
	ssize_t n;

	pipe(p);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	memset(rec, 'z', sizeof(rec));
	while (write(p[1], rec, sizeof(rec)) == (ssize_t)sizeof(rec))
		filler++;
	CHECK_ERR("writers_pipe_full", write(p[1], rec, 1), EAGAIN);
	fcntl(p[1], F_SETFL, 0);
	for (int k = 0; k < SLEEPERS; k++) {
		kids[k] = kt_fork();
		if (kids[k] == 0) {
			close(p[0]);
			memset(rec, 'A' + k, sizeof(rec));
			_exit(write(p[1], rec, sizeof(rec)) == (ssize_t)sizeof(rec) ? 0 : 1);
		}
	}
	close(p[1]);
	sleep_ms(100);
	/* One read empties the pipe: room for every writer, woken one after another. */
	{
		static char all[16 * REC];

		CHECK_EQ("writers_drain", kt_read_full(p[0], all, (size_t)filler * REC),
			 (ssize_t)filler * REC);
	}
	while ((n = kt_read_full(p[0], rec, sizeof(rec))) == (ssize_t)sizeof(rec)) {
		int k = rec[0] - 'A';

		for (size_t i = 1; i < sizeof(rec); i++)
			if (rec[i] != rec[0])
				torn = 1;
		if (k >= 0 && k < SLEEPERS)
			counts[k]++;
		else
			torn = 1;
	}
	CHECK_EQ("writers_eof", n, 0);
	for (int k = 0; k < SLEEPERS; k++) {
		if (counts[k] != 1)
			ok = 0;
		if (kt_wait(kids[k]) != 0)
			ok = 0;
	}
	CHECK_EQ("writers_records_whole", torn, 0);
	CHECK_EQ("writers_all_woken", ok, 1);
	close(p[0]);
}

/* A poller and a reader on one empty pipe: both see the write. */
static void test_poller_and_reader(void)
{
	int p[2];
	pid_t poller, reader;
	char c;

	pipe(p);
	poller = kt_fork();
	if (poller == 0) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };

		close(p[1]);
		_exit(poll(&pfd, 1, -1) == 1 && pfd.revents == POLLIN ? 0 : 1);
	}
	reader = kt_fork();
	if (reader == 0) {
		close(p[1]);
		_exit(read(p[0], &c, 1) == 1 && c == 'x' ? 0 : 1);
	}
	sleep_ms(100);
	/* Two bytes: whichever the reader takes, one stays for the poller to see. */
	CHECK_EQ("poll_read_write", write(p[1], "xx", 2), 2);
	CHECK_WSTATUS("poll_read_reader", kt_wait(reader), "exit 0");
	CHECK_WSTATUS("poll_read_poller", kt_wait(poller), "exit 0");
	CHECK_EQ("poll_read_left", read(p[0], &c, 1), 1);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	kt_begin("pipe_wake", 60);
	test_readers();
	test_writers();
	test_poller_and_reader();
	return kt_end();
}
