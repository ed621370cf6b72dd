// SPDX-License-Identifier: MIT
/* schedsim [--trace FILE] [--chrome FILE] WORKLOAD: see README.md. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim.h"

static void usage(void)
{
	fprintf(stderr, "usage: schedsim [--trace FILE] [--chrome FILE] WORKLOAD\n");
	exit(2);
}

static FILE *open_output(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "schedsim: cannot write %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return f;
}

/*
 * The second run of a determinism check, in a child whose heap is laid out differently:
 * its capture goes down the pipe, its own report nowhere.
 */
static void __attribute__((noreturn)) twin_run(struct sim_workload *w, int fd)
{
	static void *shift;
	char *buf;
	size_t len, done = 0;

	if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
		_exit(3);
	shift = malloc(1 + (size_t)getpid() % 4093);
	sim_out.capture = open_memstream(&buf, &len);
	if (!shift || !sim_out.capture)
		_exit(3);
	sim_run(w);
	fclose(sim_out.capture);
	while (done < len) {
		ssize_t n = write(fd, buf + done, len - done);

		if (n <= 0)
			_exit(3);
		done += n;
	}
	_exit(0);
}

static char *read_all(int fd, size_t *len)
{
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	ssize_t n;

	*len = 0;
	while (buf && (n = read(fd, buf + *len, cap - *len)) > 0) {
		*len += n;
		if (*len == cap)
			buf = realloc(buf, cap *= 2);
	}
	if (!buf) {
		fprintf(stderr, "schedsim: out of memory\n");
		exit(2);
	}
	return buf;
}

/* "" if both runs wrote the same bytes, else where they part. */
static void compare_runs(const char *a, size_t alen, const char *b, size_t blen, int status,
			 char *msg, size_t size)
{
	size_t i = 0, line = 1;

	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(msg, size, "the second run failed (status %#x)", status);
		return;
	}
	while (i < alen && i < blen && a[i] == b[i])
		line += a[i++] == '\n';
	if (i == alen && i == blen)
		msg[0] = '\0';
	else
		snprintf(msg, size, "the runs differ at line %zu of the trace and summary", line);
}

int main(int argc, char **argv)
{
	const char *trace = NULL, *chrome = NULL, *path = NULL;
	char *mine = NULL, *twin = NULL, verdict[128];
	size_t mine_len = 0, twin_len;
	struct sim_workload *w;
	int i, fds[2], status, ret;
	pid_t pid = -1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trace") && i + 1 < argc)
			trace = argv[++i];
		else if (!strcmp(argv[i], "--chrome") && i + 1 < argc)
			chrome = argv[++i];
		else if (argv[i][0] == '-' || path)
			usage();
		else
			path = argv[i];
	}
	if (!path)
		usage();
	w = sim_parse_workload(path);

	if (w->check_determinism) {
		fflush(stdout);
		fflush(stderr);
		if (pipe(fds) || (pid = fork()) < 0) {
			fprintf(stderr, "schedsim: %s\n", strerror(errno));
			return 2;
		}
		if (!pid) {
			close(fds[0]);
			twin_run(w, fds[1]);
		}
		close(fds[1]);
		sim_out.capture = open_memstream(&mine, &mine_len);
		if (!sim_out.capture)
			return 2;
	}
	if (trace)
		sim_out.trace = open_output(trace);
	if (chrome)
		sim_out.chrome = open_output(chrome);

	sim_run(w);

	if (w->check_determinism) {
		fclose(sim_out.capture);
		sim_out.capture = NULL;
		twin = read_all(fds[0], &twin_len);
		close(fds[0]);
		if (waitpid(pid, &status, 0) != pid)
			status = -1;
		compare_runs(mine, mine_len, twin, twin_len, status, verdict, sizeof(verdict));
	}
	ret = sim_report_results(w, w->check_determinism ? verdict : NULL);
	if ((sim_out.trace && fclose(sim_out.trace)) || (sim_out.chrome && fclose(sim_out.chrome))) {
		fprintf(stderr, "schedsim: writing the trace failed\n");
		ret = 2;
	}
	free(mine);
	free(twin);
	return ret;
}
