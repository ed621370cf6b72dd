// SPDX-License-Identifier: MIT
/*
 * mmap's answers: bad lengths, flags and offsets, fds that cannot be mapped (closed, a
 * pipe, write-only, read-only for shared writing, /dev/null), MAP_FIXED_NOREPLACE;
 * private and shared /dev/zero; a file mapped shared sees write() and is seen by read();
 * a private one is copied on write; the mapping outlives its fd.
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

/* What a call that returns a pointer or MAP_FAILED said: "ok" or the errno's name. */
static const char *mres(void *p)
{
	return p == MAP_FAILED ? strerrorname_np(errno) : "ok";
}

static const char *ires(int r)
{
	return r < 0 ? strerrorname_np(errno) : "ok";
}

static void check(const char *what, int ok)
{
	printf("%s: %s\n", what, ok ? "ok" : "FAIL");
	fails += !ok;
}

#define FILE_PATH "/tmp/mm_mmap"

/* FILE_PATH with pages pages of 'a', 'b', ..., open read-write. */
static int make_file(int pages)
{
	char buf[PG];
	int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (int i = 0; i < pages; i++) {
		memset(buf, 'a' + i, PG);
		if (write(fd, buf, PG) != PG)
			return -1;
	}
	return fd;
}

int main(void)
{
	int fd = make_file(2), ro = open(FILE_PATH, O_RDONLY), wo = open(FILE_PATH, O_WRONLY);
	int pfd[2], nfd;
	char *p, *q, c;

	if (fd < 0 || ro < 0 || wo < 0)
		return 2;
	if (pipe(pfd))
		return 2;

	printf("len 0: %s\n", mres(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
	printf("no type: %s\n", mres(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0)));
	printf("anon shared|private: %s\n",
	       mres(mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
	printf("huge len: %s\n",
	       mres(mmap(NULL, 1UL << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
	printf("unaligned offset: %s\n", mres(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100)));
	printf("unaligned fixed: %s\n",
	       mres(mmap((void *)0x10000001, PG, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS,
			 -1, 0)));
	printf("bad fd: %s\n", mres(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 99, 0)));
	printf("pipe: %s\n", mres(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, pfd[0], 0)));
	nfd = open("/dev/null", O_RDWR);
	printf("/dev/null: %s\n", mres(mmap(NULL, PG, PROT_READ, MAP_SHARED, nfd, 0)));
	printf("write-only private: %s\n", mres(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, wo, 0)));
	printf("read-only shared rw: %s\n",
	       mres(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0)));
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
	printf("read-only shared r: %s\n", mres(p));
	printf("  mprotect rw: %s\n", ires(mprotect(p, PG, PROT_READ | PROT_WRITE)));
	printf("read-only private rw: %s\n",
	       mres(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0)));
	printf("validate unknown flag: %s\n",
	       mres(mmap(NULL, PG, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0)));
	p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("fixed noreplace: %s\n",
	       mres(mmap(p + PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			 -1, 0)));
	printf("munmap unaligned: %s\n", ires(munmap(p + 1, PG)));
	printf("munmap 0: %s\n", ires(munmap(p, 0)));
	printf("mprotect hole: %s\n", ires(mprotect(p, 64 * PG, PROT_READ)));

	/* /dev/zero: private is zero-filled memory, shared is shared across fork. */
	nfd = open("/dev/zero", O_RDWR);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, nfd, 0);
	check("/dev/zero private zero", p != MAP_FAILED && p[100] == 0);
	q = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, nfd, 0);
	close(nfd);
	check("/dev/zero shared", q != MAP_FAILED);
	fflush(stdout);
	if (q != MAP_FAILED && p != MAP_FAILED) {
		pid_t pid = fork();

		if (pid == 0) {
			q[0] = 'S';
			p[0] = 'P';
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		check("/dev/zero shared sees child", q[0] == 'S');
		check("/dev/zero private does not", p[0] == 0);
	}

	/* A shared file mapping and write()/read(). */
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check("file maps", p != MAP_FAILED && q != MAP_FAILED);
	check("file contents", p[0] == 'a' && p[PG] == 'b' && q[PG + 7] == 'b');
	p[10] = 'X';
	check("read sees shared store", pread(fd, &c, 1, 10) == 1 && c == 'X');
	check("private sees it before copying", q[10] == 'X');
	q[PG] = 'Y';
	check("private store stays private", pread(fd, &c, 1, PG) == 1 && c == 'b' && p[PG] == 'b');
	check("pwrite seen by shared", pwrite(fd, "Z", 1, PG + 1) == 1 && p[PG + 1] == 'Z');
	check("pwrite not seen by copied page", q[PG + 1] == 'b');
	close(fd);
	p[20] = 'W';
	check("mapping outlives the fd", p[20] == 'W' && q[20] == 'W');
	printf("msync: %s\n", ires(msync(p, 2 * PG, MS_SYNC)));
	printf("munmap: %s\n", ires(munmap(p, 2 * PG)));
	unlink(FILE_PATH);
	return fails != 0;
}
