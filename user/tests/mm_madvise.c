// SPDX-License-Identifier: MIT
/*
 * madvise (MADV_DONTNEED on private, shared and file memory, the hints, DONTFORK and
 * WIPEONFORK across fork, bad advice), msync's and mincore's answers, and mlock,
 * munlock, mlockall with the pages they bring in.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096

static int fails;

static const char *ires(int r)
{
	return r < 0 ? strerrorname_np(errno) : "ok";
}

static void check(const char *what, int ok)
{
	printf("%s: %s\n", what, ok ? "ok" : "FAIL");
	fails += !ok;
}

static void show_mincore(const char *what, char *p, int pages)
{
	unsigned char vec[16];

	printf("%s: ", what);
	if (mincore(p, pages * PG, vec)) {
		printf("%s\n", strerrorname_np(errno));
		return;
	}
	for (int i = 0; i < pages; i++)
		putchar('0' + (vec[i] & 1));
	putchar('\n');
}

int main(void)
{
	char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int fd = open("/tmp/mm_madvise", O_RDWR | O_CREAT | O_TRUNC, 0644), status;
	unsigned char vec[4];
	char *f;
	pid_t pid;

	if (write(fd, "file", 4) != 4 || ftruncate(fd, PG))
		return 2;
	f = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	memset(p, 'x', 4 * PG);
	check("hints", !madvise(p, 8 * PG, MADV_RANDOM) && !madvise(p, 8 * PG, MADV_SEQUENTIAL) &&
		       !madvise(p, 8 * PG, MADV_WILLNEED) && !madvise(p, 8 * PG, MADV_NORMAL) &&
		       p[0] == 'x');
	show_mincore("touched", p, 8);
	check("dontneed private", !madvise(p + PG, 2 * PG, MADV_DONTNEED) && p[0] == 'x' &&
				  p[PG] == 0 && p[2 * PG] == 0 && p[3 * PG] == 'x');
	show_mincore("after dontneed", p, 8);
	s[0] = 's';
	check("dontneed shared keeps data", !madvise(s, 2 * PG, MADV_DONTNEED) && s[0] == 's');
	f[0] = 'F';
	check("dontneed file reloads file", !madvise(f, PG, MADV_DONTNEED) && f[0] == 'f');
	printf("free on shared: %s\n", ires(madvise(s, PG, MADV_FREE)));
	printf("wipeonfork on shared: %s\n", ires(madvise(s, PG, MADV_WIPEONFORK)));
	printf("bad advice: %s\n", ires(madvise(p, PG, 5)));
	printf("unaligned: %s\n", ires(madvise(p + 1, PG, MADV_NORMAL)));
	printf("hole: %s\n", ires(madvise(p, 64 * PG, MADV_NORMAL)));
	printf("length 0: %s\n", ires(madvise(p, 0, MADV_DONTNEED)));

	memset(p, 'y', 4 * PG);
	check("dontfork", !madvise(p, PG, MADV_DONTFORK));
	check("wipeonfork", !madvise(p + 2 * PG, PG, MADV_WIPEONFORK));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* Page 0 is gone here: only look at the others. */
		_exit((p[PG] == 'y' ? 0 : 1) | (p[2 * PG] == 0 ? 0 : 2) | (p[3 * PG] == 'y' ? 0 : 4));
	}
	waitpid(pid, &status, 0);
	printf("child: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	check("parent keeps all", p[0] == 'y' && p[2 * PG] == 'y');

	printf("msync bad flags: %s\n", ires(msync(p, PG, 8)));
	printf("msync sync|async: %s\n", ires(msync(p, PG, MS_SYNC | MS_ASYNC)));
	printf("msync unaligned: %s\n", ires(msync(p + 1, PG, MS_SYNC)));
	printf("msync hole: %s\n", ires(msync(p, 64 * PG, MS_SYNC)));
	printf("msync file: %s\n", ires(msync(f, PG, MS_SYNC | MS_INVALIDATE)));
	printf("mincore unaligned: %s\n", ires(mincore(p + 1, PG, vec)));
	printf("mincore hole: %s\n", ires(mincore(p, 64 * PG, vec)));
	printf("mincore bad vec: %s\n", ires(mincore(p, PG, (unsigned char *)8)));

	check("dontneed all", !madvise(p, 8 * PG, MADV_DONTNEED));
	printf("mlock: %s\n", ires(mlock(p + PG + 10, PG)));
	show_mincore("after mlock", p, 8);
	printf("dontneed locked: %s\n", ires(madvise(p + PG, PG, MADV_DONTNEED)));
	printf("munlock: %s\n", ires(munlock(p, 8 * PG)));
	printf("mlock hole: %s\n", ires(mlock(p, 64 * PG)));
	printf("mlockall bad: %s\n", ires(mlockall(0)));
	printf("mlockall: %s\n", ires(mlockall(MCL_CURRENT)));
	show_mincore("after mlockall", p, 8);
	printf("munlockall: %s\n", ires(munlockall()));
	close(fd);
	unlink("/tmp/mm_madvise");
	return fails != 0;
}
