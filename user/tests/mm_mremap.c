// SPDX-License-Identifier: MIT
/*
 * mremap: shrink, grow in place, move (the contents travel), MREMAP_FIXED over another
 * mapping, MREMAP_DONTUNMAP, and the errors, in Linux's order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG 4096

static int fails;

static const char *mres(void *p)
{
	return p == MAP_FAILED ? strerrorname_np(errno) : "ok";
}

static void check(const char *what, int ok)
{
	printf("%s: %s\n", what, ok ? "ok" : "FAIL");
	fails += !ok;
}

static int holds(char *p, int pages, char first)
{
	for (int i = 0; i < pages; i++)
		if (p[i * PG] != first + i || p[i * PG + PG - 1] != first + i)
			return 0;
	return 1;
}

int main(void)
{
	/* A reserved area to carve fixed addresses from. */
	char *area = mmap(NULL, 64 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p, *q, *r;

	munmap(area, 64 * PG);
	p = mmap(area, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0);
	for (int i = 0; i < 4; i++)
		memset(p + i * PG, 'a' + i, PG);

	check("shrink", mremap(p, 4 * PG, 2 * PG, 0) == p && holds(p, 2, 'a'));
	check("same size", mremap(p, 2 * PG, 2 * PG, 0) == p);
	q = mremap(p, 2 * PG, 6 * PG, 0);
	check("grow in place", q == p && holds(p, 2, 'a') && p[5 * PG] == 0);
	/* Blocked by a neighbour: ENOMEM unless it may move. */
	mmap(p + 6 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("grow blocked: %s\n", mres(mremap(p, 6 * PG, 8 * PG, 0)));
	q = mremap(p, 6 * PG, 8 * PG, MREMAP_MAYMOVE);
	check("grow by moving", q != MAP_FAILED && q != p && holds(q, 2, 'a') && q[7 * PG] == 0);
	printf("old place: %s\n", mres(mremap(p, PG, PG, 0)));

	/* MREMAP_FIXED replaces what is at the target. */
	r = mmap(area + 32 * PG, 4 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	memset(r + 3 * PG, 'z', PG);
	check("fixed", mremap(q, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, r) == r &&
		       holds(r, 2, 'a') && r[3 * PG] == 'z');
	check("rest of the source stays", q[2 * PG] == 0 && q[7 * PG] == 0);
	p = mremap(r, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	check("dontunmap", p != MAP_FAILED && holds(p, 2, 'a') && r[0] == 0 && r[PG] == 0);

	printf("bad flags: %s\n", mres(mremap(r, PG, PG, 8)));
	printf("fixed without maymove: %s\n", mres(mremap(r, PG, PG, MREMAP_FIXED, area)));
	printf("dontunmap resize: %s\n",
	       mres(mremap(r, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP)));
	printf("unaligned: %s\n", mres(mremap(r + 1, PG, PG, 0)));
	printf("new len 0: %s\n", mres(mremap(r, PG, 0, 0)));
	q = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(q, PG);
	printf("unmapped: %s\n", mres(mremap(q, PG, PG, 0)));
	printf("across areas: %s\n", mres(mremap(r, 8 * PG, 9 * PG, MREMAP_MAYMOVE)));
	printf("overlap: %s\n", mres(mremap(r, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
					    r + PG)));
	printf("private old len 0: %s\n", mres(mremap(r, 0, PG, MREMAP_MAYMOVE)));

	/* old_len 0 on shared memory: a second mapping of the same pages. */
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	q = mremap(p, 0, 2 * PG, MREMAP_MAYMOVE);
	check("shared duplicate", q != MAP_FAILED && q != p);
	if (q != MAP_FAILED) {
		q[PG] = 'd';
		check("duplicate shares", p[PG] == 'd');
	}
	return fails != 0;
}
