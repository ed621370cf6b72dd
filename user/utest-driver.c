// SPDX-License-Identifier: MIT
/*
 * utest-driver: PID 1 of the test initramfs (/test/driver, booted with
 * rdinit=/test/driver). Runs the test programs in /test one after another, copies what
 * each writes to stdout and stderr onto the console between markers, and powers the
 * machine off. tools/utest-run reads the console; the protocol is in tools/README.md.
 *
 * Which tests: the names listed in /test/list, one per line ('#' starts a comment;
 * "timeout SECONDS" sets the per-test limit), or, if it names none or does not exist,
 * every executable file in /test except the driver and the list, in strcmp order.
 *
 * Each test runs as /test/NAME with no arguments, in a new session, in "/" with umask
 * 022, stdin /dev/null, stdout and stderr one pipe, and a fixed environment. Besides
 * what static glibc needs to start, the driver uses clone (fork), execve, pipe2, dup3,
 * ppoll, read, write, wait4, kill, setsid, openat, getdents64, newfstatat, mount,
 * clock_gettime, clock_nanosleep, sync and reboot; no signal handlers, no stdio.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "driver_console.h"

#define TEST_DIR "/test"
#define LIST_FILE TEST_DIR "/list"
/* Only a hung test should reach it: ten times what the slowest takes on an idle host. */
#define DEFAULT_TIMEOUT_S 120
/* Output beyond this is counted but not copied: a runaway test must not flood the log. */
#define MAX_OUTPUT (256 * 1024)
/* A console line carries at most this many output bytes; longer lines are split. */
#define CHUNK 512

static char *const test_envp[] = {
	"PATH=/bin:/sbin:/usr/bin:/usr/sbin",
	"HOME=/root",
	NULL,
};

/* ---- a test's output, escaped into "| " and "|-" lines ------------------------------- */

struct output {
	char line[2 + 4 * CHUNK + 1];	/* "| " + escaped bytes + '\n' */
	size_t len;			/* bytes in line[] after the two-byte prefix */
	size_t chunk;			/* output bytes in the current line */
	size_t copied, total;
	uint32_t crc;
};

static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

/* Ends the current console line: "| " if the output had a newline here, else "|-". */
static void flush_line(struct output *o, bool newline)
{
	o->line[0] = '|';
	o->line[1] = newline ? ' ' : '-';
	o->line[2 + o->len] = '\n';
	write_all(o->line, 2 + o->len + 1);
	o->len = 0;
	o->chunk = 0;
}

static void output_bytes(struct output *o, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	o->total += n;
	if (o->copied + n > MAX_OUTPUT)
		n = o->copied < MAX_OUTPUT ? MAX_OUTPUT - o->copied : 0;
	o->copied += n;
	o->crc = crc32_update(o->crc, p, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		char *d = o->line + 2 + o->len;

		if (c == '\n') {
			flush_line(o, true);
			continue;
		}
		if (c == '\\') {
			d[0] = d[1] = '\\';
			o->len += 2;
		} else if ((c >= 0x20 && c < 0x7f) || c == '\t') {
			d[0] = (char)c;
			o->len += 1;
		} else {
			d[0] = '\\';
			d[1] = 'x';
			d[2] = hex[c >> 4];
			d[3] = hex[c & 15];
			o->len += 4;
		}
		if (++o->chunk == CHUNK)
			flush_line(o, false);
	}
}

static void output_end(struct output *o)
{
	if (o->chunk)
		flush_line(o, false);
}

/* ---- the list of tests --------------------------------------------------------------- */

struct tests {
	char **names;
	size_t count, cap;
	int timeout_s;
};

static void add_test(struct tests *t, const char *name)
{
	if (t->count == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->names = realloc(t->names, t->cap * sizeof(*t->names));
		if (!t->names) {
			say("@@utest note out of memory");
			t->count = t->cap = 0;
			return;
		}
	}
	t->names[t->count++] = strdup(name);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

/* Returns false if there is no list file. */
static bool read_list(struct tests *t)
{
	static char buf[64 * 1024];
	size_t len = 0;
	int fd = open(LIST_FILE, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	for (;;) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	for (char *line = buf, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		line = trim(line);
		if (!*line || *line == '#')
			continue;
		if (!strncmp(line, "timeout ", 8))
			t->timeout_s = atoi(line + 8) > 0 ? atoi(line + 8) : DEFAULT_TIMEOUT_S;
		else
			add_test(t, line);
	}
	return true;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void scan_dir(struct tests *t)
{
	DIR *dir = opendir(TEST_DIR);
	struct dirent *d;
	struct stat st;
	char path[512];

	if (!dir) {
		say("@@utest note cannot open %s: %s", TEST_DIR, strerror(errno));
		return;
	}
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || !strcmp(d->d_name, "driver") ||
		    !strcmp(d->d_name, "list"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", TEST_DIR, d->d_name);
		if (!stat(path, &st) && S_ISREG(st.st_mode) && (st.st_mode & 0111))
			add_test(t, d->d_name);
	}
	closedir(dir);
	if (t->count)
		qsort(t->names, t->count, sizeof(*t->names), by_name);
}

/* ---- running one test ---------------------------------------------------------------- */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void __attribute__((noreturn)) exec_test(const char *path, int out_fd)
{
	char *argv[] = { (char *)path, NULL };
	int null_fd = open("/dev/null", O_RDONLY);

	setsid();
	if (null_fd >= 0 && null_fd != STDIN_FILENO) {
		dup2(null_fd, STDIN_FILENO);
		close(null_fd);
	}
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	if (out_fd > STDERR_FILENO)
		close(out_fd);
	if (chdir("/") < 0)
		dprintf(STDERR_FILENO, "utest-driver: chdir /: %s\n", strerror(errno));
	umask(022);
	execve(path, argv, test_envp);
	dprintf(STDERR_FILENO, "utest-driver: cannot execute %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* Reads what is in the pipe now, without waiting; returns false at end of file. */
static bool drain(int fd, struct output *o)
{
	unsigned char buf[4096];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 0) <= 0)
			return true;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		output_bytes(o, buf, (size_t)n);
	}
}

static void run_test(const char *name, int timeout_s)
{
	struct output o = { 0 };
	char path[512], status_text[64];
	int pipefd[2], status = 0;
	bool pipe_open = true, exited = false, timed_out = false;
	int64_t start, deadline;
	pid_t pid;

	say("@@utest begin %s", name);
	snprintf(path, sizeof(path), "%s/%s", TEST_DIR, name);
	start = now_ms();
	deadline = start + (int64_t)timeout_s * 1000;
	if (strchr(name, '/') || pipe2(pipefd, O_CLOEXEC) < 0) {
		say("@@utest end %s error=%s bytes=0 crc32=00000000 dropped=0 ms=0", name,
		    strchr(name, '/') ? "bad-name" : "pipe");
		return;
	}
	pid = fork();
	if (pid == 0)
		exec_test(path, pipefd[1]);
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		say("@@utest end %s error=fork bytes=0 crc32=00000000 dropped=0 ms=0", name);
		return;
	}

	/*
	 * Copy output until the pipe is closed and the test has exited. Once it has exited,
	 * whatever is already in the pipe is its output; descendants that still hold the
	 * pipe are killed below. Polls in short steps so an exit is noticed without signals.
	 */
	while (pipe_open || !exited) {
		int64_t left = deadline - now_ms();

		if (left <= 0) {
			timed_out = true;
			break;
		}
		if (pipe_open) {
			struct pollfd p = { .fd = pipefd[0], .events = POLLIN };

			if (poll(&p, 1, (int)(left < 50 ? left : 50)) > 0)
				pipe_open = drain(pipefd[0], &o);
		} else {
			sleep_ms(left < 10 ? left : 10);
		}
		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = true;
		if (exited && pipe_open) {
			pipe_open = drain(pipefd[0], &o);
			break;
		}
	}
	if (!exited) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		if (pipe_open)
			drain(pipefd[0], &o);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	close(pipefd[0]);
	/* Leftover descendants (their session is the test's pid) and zombies reparented to us. */
	kill(-pid, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	output_end(&o);

	if (timed_out)
		snprintf(status_text, sizeof(status_text), "timeout=%d", timeout_s);
	else if (WIFEXITED(status))
		snprintf(status_text, sizeof(status_text), "exit=%d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(status_text, sizeof(status_text), "signal=%d", WTERMSIG(status));
	else
		snprintf(status_text, sizeof(status_text), "error=status-%#x", status);
	say("@@utest end %s %s bytes=%zu crc32=%08x dropped=%zu ms=%lld", name, status_text,
	    o.copied, o.crc, o.total - o.copied, (long long)(now_ms() - start));
}

/* ---- PID 1 --------------------------------------------------------------------------- */

/* The kernel opens /dev/console as 0, 1 and 2 for init; make sure they exist. */
static void ensure_console(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		int c = open("/dev/console", O_RDWR);

		if (c >= 0 && c != fd) {
			dup2(c, fd);
			close(c);
		}
	}
}

static void try_mount(const char *source, const char *target, const char *type,
		      const char *data)
{
	if (mount(source, target, type, 0, data) < 0)
		say("@@utest note cannot mount %s on %s: %s", type, target, strerror(errno));
}

int main(void)
{
	struct tests t = { .timeout_s = DEFAULT_TIMEOUT_S };

	ensure_console();
	try_mount("proc", "/proc", "proc", NULL);
	try_mount("sysfs", "/sys", "sysfs", NULL);
	try_mount("tmpfs", "/tmp", "tmpfs", "mode=1777");
	if (!read_list(&t) || !t.count)
		scan_dir(&t);

	say("@@utest start %zu timeout=%d", t.count, t.timeout_s);
	for (size_t i = 0; i < t.count; i++)
		say("@@utest plan %s", t.names[i]);
	for (size_t i = 0; i < t.count; i++)
		run_test(t.names[i], t.timeout_s);
	say("@@utest done");

	sync();
	reboot(RB_POWER_OFF);
	say("@@utest note reboot(RB_POWER_OFF) failed: %s", strerror(errno));
	/* PID 1 must not exit: Linux would panic. Sleep instead; utest-run gives up. */
	for (;;)
		sleep_ms(1000000);
}
