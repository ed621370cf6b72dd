// SPDX-License-Identifier: MIT
/*
 * bench-driver: PID 1 of the benchmark initramfs (/bench/driver, booted with
 * rdinit=/bench/driver). Reports how long the boot took and how much memory the kernel
 * uses, runs the benchmarks listed in /bench/list one after another with their output
 * on the console, and powers the machine off. tools/bench-run reads the console; the
 * protocol is in tools/README.md and the figures in docs/performance.md.
 *
 * Boot time: the entry point (bench_entry, set with -e) reads the virtual counter before
 * anything else runs in user space. QEMU's counter starts at 0 when the machine starts
 * and neither kernel offsets it, so the count is the time from reset to the first
 * instruction of init; tools/bench-run checks it against its own clock.
 *
 * /bench/list: one benchmark per line, "NAME [ARG...]" runs /bench/NAME (a NAME with a
 * '/' is a path, e.g. "/bin/sh -c ls"), "timeout SECONDS" sets the limit for the lines
 * after it; '#' starts a comment. The driver waits for each benchmark in rt_sigtimedwait
 * on SIGCHLD, so it never wakes while one runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "driver_console.h"

#define LIST_FILE "/bench/list"
#define MAX_ARGS 16
#define DEFAULT_TIMEOUT_S 300

uint64_t boot_cntvct;

/* The ELF entry point: read the counter, then glibc's _start with every register as the
 * kernel left it (x0..x8 hold nothing _start needs but x0, which is untouched). */
__asm__(".globl bench_entry\n"
	".type bench_entry, %function\n"
	"bench_entry:\n"
	"	mrs	x9, cntvct_el0\n"
	"	adrp	x10, boot_cntvct\n"
	"	str	x9, [x10, :lo12:boot_cntvct]\n"
	"	b	_start\n");

static char *const bench_envp[] = { "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/", NULL };

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

static void report_boot(void)
{
	uint64_t freq;
	struct sysinfo si;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	say("@@bench boot cntvct=%llu cntfrq=%llu", (unsigned long long)boot_cntvct,
	    (unsigned long long)freq);
	if (sysinfo(&si) < 0) {
		say("@@bench note sysinfo: %s", strerror(errno));
		return;
	}
	say("@@bench mem totalram=%llu freeram=%llu bufferram=%llu",
	    (unsigned long long)si.totalram * si.mem_unit,
	    (unsigned long long)si.freeram * si.mem_unit,
	    (unsigned long long)si.bufferram * si.mem_unit);
}

static void run(char **argv, int timeout_s, const sigset_t *chld)
{
	char path[256], status_text[64];
	struct timespec limit = { .tv_sec = timeout_s };
	int64_t start = now_ms();
	int status = 0;
	pid_t pid;

	if (strchr(argv[0], '/'))
		snprintf(path, sizeof(path), "%s", argv[0]);
	else
		snprintf(path, sizeof(path), "/bench/%s", argv[0]);
	say("@@bench begin %s", argv[0]);
	pid = fork();
	if (pid < 0) {
		say("@@bench end %s error=fork ms=0", argv[0]);
		return;
	}
	if (pid == 0) {
		sigprocmask(SIG_UNBLOCK, chld, NULL);
		setsid();
		argv[0] = path;
		execve(path, argv, bench_envp);
		dprintf(STDERR_FILENO, "bench-driver: cannot execute %s: %s\n", path,
			strerror(errno));
		_exit(127);
	}
	/* SIGCHLD is blocked: it stays pending until taken here (or it already is). */
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (sigtimedwait(chld, NULL, &limit) < 0 && errno == EAGAIN) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			snprintf(status_text, sizeof(status_text), "timeout=%d", timeout_s);
			goto out;
		}
	}
	if (WIFEXITED(status))
		snprintf(status_text, sizeof(status_text), "exit=%d", WEXITSTATUS(status));
	else
		snprintf(status_text, sizeof(status_text), "signal=%d", WTERMSIG(status));
out:
	/* What the benchmark left behind (its session) and any orphans reparented to us. */
	kill(-pid, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	say("@@bench end %s %s ms=%lld", argv[0], status_text, (long long)(now_ms() - start));
}

int main(void)
{
	static char buf[16384];
	int timeout_s = DEFAULT_TIMEOUT_S;
	sigset_t chld;
	size_t len = 0;
	int fd;

	ensure_console();
	report_boot();
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);

	fd = open(LIST_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		say("@@bench note cannot open %s: %s", LIST_FILE, strerror(errno));
	} else {
		ssize_t n;

		while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
			len += (size_t)n;
		close(fd);
	}
	buf[len] = 0;
	say("@@bench start");
	for (char *line = buf, *next; line; line = next) {
		char *argv[MAX_ARGS + 1];
		int argc = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (strchr(line, '#'))
			*strchr(line, '#') = 0;
		for (char *w = strtok(line, " \t"); w && argc < MAX_ARGS; w = strtok(NULL, " \t"))
			argv[argc++] = w;
		argv[argc] = NULL;
		if (!argc)
			continue;
		if (!strcmp(argv[0], "timeout") && argc == 2)
			timeout_s = atoi(argv[1]) > 0 ? atoi(argv[1]) : DEFAULT_TIMEOUT_S;
		else
			run(argv, timeout_s, &chld);
	}
	say("@@bench done");
	sync();
	reboot(RB_POWER_OFF);
	say("@@bench note reboot(RB_POWER_OFF) failed: %s", strerror(errno));
	for (;;)
		pause();
}
