// SPDX-License-Identifier: MIT
/*
 * The main thread's stack grows on demand up to RLIMIT_STACK: deep recursion within the
 * limit works, and beyond it the process gets SIGSEGV (handled on an alternate stack,
 * or fatal without one).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* About 1 KiB of stack per level, which the compiler cannot fold away. */
static int recurse(int depth)
{
	volatile char pad[1000];

	pad[0] = (char)depth;
	if (depth == 0)
		return pad[0];
	return recurse(depth - 1) + pad[0];
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	static const char msg[] = "SIGSEGV on the alternate stack\n";

	write(1, msg, sizeof(msg) - 1);
	_exit(si->si_code == SEGV_MAPERR ? 7 : 8);
}

/* In a child: the limit, then recursion of kib KiB; how it ended. */
static void run(rlim_t limit, int kib, int altstack)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { limit, RLIM_INFINITY };

		setrlimit(RLIMIT_STACK, &rl);
		if (altstack) {
			stack_t ss = { .ss_sp = malloc(65536), .ss_size = 65536 };
			struct sigaction sa = { .sa_sigaction = on_segv,
						.sa_flags = SA_SIGINFO | SA_ONSTACK };

			sigaltstack(&ss, NULL);
			sigaction(SIGSEGV, &sa, NULL);
		}
		recurse(kib);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("limit %lu KiB, %d KiB deep%s: ", (unsigned long)(limit >> 10), kib,
	       altstack ? ", handler" : "");
	if (WIFEXITED(status))
		printf("exit %d\n", WEXITSTATUS(status));
	else
		printf("%s\n", strsignal(WTERMSIG(status)));
}

int main(void)
{
	run(8 << 20, 6 << 10, 0);
	run(2 << 20, 1 << 10, 0);
	run(2 << 20, 4 << 10, 0);
	run(2 << 20, 4 << 10, 1);
	run(32 << 20, 24 << 10, 0);
	return 0;
}
