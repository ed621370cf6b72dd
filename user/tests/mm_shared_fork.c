// SPDX-License-Identifier: MIT
/*
 * MAP_SHARED|MAP_ANONYMOUS across fork: both processes see one set of pages (a counter
 * both increment under a lock, a futex one waits on and the other wakes), MAP_PRIVATE
 * memory is copied on write, and a shared mapping split by mprotect and munmap stays
 * shared.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096
#define ROUNDS 2000

struct shared {
	atomic_int lock;
	int counter;
	atomic_int flag;		/* the futex word */
};

static int fails;

static void check(const char *what, int ok)
{
	printf("%s: %s\n", what, ok ? "ok" : "FAIL");
	fails += !ok;
}

static long futex(atomic_int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static void add(struct shared *s)
{
	for (int i = 0; i < ROUNDS; i++) {
		int expected = 0;

		while (!atomic_compare_exchange_weak(&s->lock, &expected, 1))
			expected = 0;
		s->counter++;
		atomic_store(&s->lock, 0);
	}
}

int main(void)
{
	struct shared *s = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *priv = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *bytes = (char *)s;
	int status;
	pid_t pid;

	check("maps", s != MAP_FAILED && priv != MAP_FAILED);
	check("zero filled", bytes[PG] == 0 && bytes[4 * PG - 1] == 0);
	bytes[PG] = 'p';
	priv[0] = 'p';
	fflush(stdout);

	pid = fork();
	if (pid == 0) {
		add(s);
		bytes[2 * PG] = 'c';
		priv[0] = 'c';
		/* Wait until the parent raises the flag, then answer on the same word. */
		while (atomic_load(&s->flag) != 1)
			futex(&s->flag, FUTEX_WAIT, 0);
		atomic_store(&s->flag, 2);
		futex(&s->flag, FUTEX_WAKE, 1);
		_exit(bytes[PG] == 'p' ? 0 : 1);
	}
	add(s);
	waitpid(pid, NULL, WNOHANG);
	atomic_store(&s->flag, 1);
	futex(&s->flag, FUTEX_WAKE, 1);
	while (atomic_load(&s->flag) != 2)
		futex(&s->flag, FUTEX_WAIT, 1);
	waitpid(pid, &status, 0);
	check("child saw the parent's page", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	printf("counter: %d\n", s->counter);
	check("parent sees the child's page", bytes[2 * PG] == 'c');
	check("private stays private", priv[0] == 'p');
	check("futex handshake", atomic_load(&s->flag) == 2);

	/* Split by mprotect and a hole: the pieces are still shared with a new child. */
	check("mprotect", mprotect(bytes + PG, PG, PROT_READ) == 0);
	check("munmap", munmap(bytes + 2 * PG, PG) == 0);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		bytes[0] = 'x';
		bytes[3 * PG] = 'y';
		_exit(0);
	}
	waitpid(pid, &status, 0);
	check("pieces shared", bytes[0] == 'x' && bytes[3 * PG] == 'y' && bytes[PG] == 'p');
	return fails != 0;
}
