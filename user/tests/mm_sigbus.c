// SPDX-License-Identifier: MIT
/*
 * A file mapping past the end of the file: mapping is allowed, touching a page wholly
 * past the end raises SIGBUS with BUS_ADRERR at the address touched; the partial last
 * page reads zeros past the end; truncating a mapped file takes its pages away (private
 * copies too) and growing it again brings zeros.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG 4096

static sigjmp_buf env;
static volatile int sig_no, sig_code;
static void *volatile sig_addr;

static void handler(int sig, siginfo_t *si, void *uc)
{
	sig_no = sig;
	sig_code = si->si_code;
	sig_addr = si->si_addr;
	siglongjmp(env, 1);
}

/* Touch *p (write if w): what happened, as a word. */
static void touch(const char *what, volatile char *p, int w)
{
	sig_no = 0;
	if (!sigsetjmp(env, 1)) {
		if (w)
			*p = 1;
		else
			(void)*p;
		printf("%s: ok\n", what);
		return;
	}
	printf("%s: %s code %d %s\n", what, sig_no == SIGBUS ? "SIGBUS" :
	       sig_no == SIGSEGV ? "SIGSEGV" : "other", sig_code,
	       sig_addr == (void *)p ? "at the address" : "elsewhere");
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	int fd = open("/tmp/mm_sigbus", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[PG + 100];
	char *s, *p;

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	memset(buf, 'd', sizeof(buf));
	if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf))
		return 2;
	s = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (s == MAP_FAILED || p == MAP_FAILED)
		return 3;
	printf("last byte: %c, past the end: %d\n", s[PG + 99], s[PG + 100]);
	touch("read page 2", s + 2 * PG, 0);
	touch("write page 3", s + 3 * PG + 5, 1);
	touch("private page 2", p + 2 * PG, 1);
	touch("munmapped", s + 8 * PG, 0);

	p[PG] = 'p';
	printf("truncate: %d\n", ftruncate(fd, 10));
	touch("shared page 1 after truncate", s + PG, 0);
	touch("private copy after truncate", p + PG, 0);
	printf("page 0: %c %d\n", s[9], s[10]);
	printf("grow: %d\n", ftruncate(fd, 2 * PG));
	printf("page 1 again: %d %d\n", s[PG], p[PG]);
	close(fd);
	unlink("/tmp/mm_sigbus");
	return 0;
}
