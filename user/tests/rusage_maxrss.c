// SPDX-License-Identifier: MIT
/*
 * rusage_maxrss: the resident-set peak. ru_maxrss (KiB) of getrusage(SELF/THREAD) after
 * touching 9 MiB, and /proc/self/status's VmHWM, which stay when the memory is unmapped
 * while VmRSS falls; RUSAGE_CHILDREN (0 before any child), wait4's rusage, a peak kept
 * across exec, and a grandchild's peak reaching its grandparent through its parent. Only
 * bounds are printed: Linux's counters lag by up to 64 faults per thread, so each check
 * leaves 1 MiB of room below what was touched and stays far from anything else.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define MiB (1024L * 1024)

static long maxrss(int who)
{
	struct rusage ru;

	return getrusage(who, &ru) ? -1 : ru.ru_maxrss;
}

/* Map and write size bytes; the mapping stays. */
static char *touch(long size)
{
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	for (long off = 0; off < size; off += 4096)
		p[off] = 1;
	return p;
}

/* VmHWM and VmRSS from one read of /proc/self/status (kB), -1 if missing. */
static void status_kb(long *hwm, long *rss)
{
	char buf[4096], *l;
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	*hwm = *rss = -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if ((l = strstr(buf, "\nVmHWM:")))
		*hwm = strtol(l + 7, NULL, 10);
	if ((l = strstr(buf, "\nVmRSS:")))
		*rss = strtol(l + 7, NULL, 10);
}

static void exec_child(char **argv)
{
	char *args[] = { kt_self_path, "after-exec", NULL };

	(void)argv;
	if (!touch(17 * MiB))
		_exit(2);
	execv(kt_self_path, args);
	_exit(3);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "after-exec")) {
		/* The exec'd image: the peak of the image before it is ours. */
		long m = maxrss(RUSAGE_SELF);

		_exit(m >= 16 * 1024 && m < 64 * 1024 ? 0 : 1);
	}
	kt_begin("rusage_maxrss", 60);

	CHECK_EQ("children_none_yet", maxrss(RUSAGE_CHILDREN), 0);
	long before = maxrss(RUSAGE_SELF);
	CHECK("self_small_at_start", before > 0 && before < 8 * 1024);

	char *p = touch(9 * MiB);
	CHECK("touch_9MiB", p != NULL);
	long self = maxrss(RUSAGE_SELF);
	CHECK("self_ge_8MiB", self >= 8 * 1024 && self < 32 * 1024);
	CHECK("thread_ge_8MiB", maxrss(RUSAGE_THREAD) >= 8 * 1024);
	long hwm, rss, hwm2, rss2;
	status_kb(&hwm, &rss);
	CHECK("vmhwm_ge_8MiB", hwm >= 8 * 1024 && hwm < 32 * 1024);
	CHECK("vmrss_ge_8MiB", rss >= 8 * 1024 && rss <= hwm);

	/* Unmapped: the resident set falls, the peak stays. */
	munmap(p, 9 * MiB);
	status_kb(&hwm2, &rss2);
	CHECK("vmrss_falls", rss2 < rss - 7 * 1024);
	CHECK("vmhwm_stays", hwm2 >= hwm);
	CHECK("self_stays", maxrss(RUSAGE_SELF) >= self);

	/* A child's peak: in wait4's rusage, then in RUSAGE_CHILDREN. */
	pid_t c = kt_fork();
	if (c == 0) {
		_exit(touch(17 * MiB) ? 0 : 1);
	}
	struct rusage ru;
	int st;
	CHECK_EQ("wait4_child", wait4(c, &st, 0, &ru), c);
	CHECK_WSTATUS("child_exit", st, "exit 0");
	CHECK("wait4_maxrss_ge_16MiB", ru.ru_maxrss >= 16 * 1024 && ru.ru_maxrss < 64 * 1024);
	long children = maxrss(RUSAGE_CHILDREN);
	CHECK("children_ge_16MiB", children >= 16 * 1024 && children < 64 * 1024);
	CHECK("self_not_childrens", maxrss(RUSAGE_SELF) < 16 * 1024);

	/* Kept across exec: the new image reports the old one's peak. */
	c = kt_fork();
	if (c == 0)
		exec_child(argv);
	CHECK_WSTATUS("exec_keeps_peak", kt_wait(c), "exit 0");

	/* A grandchild's peak reaches us through the child that reaped it. */
	int p2[2];
	pipe(p2);
	c = kt_fork();
	if (c == 0) {
		pid_t g = fork();
		if (g == 0)
			_exit(touch(25 * MiB) ? 0 : 1);
		waitpid(g, NULL, 0);
		long m = maxrss(RUSAGE_CHILDREN);
		_exit(m >= 24 * 1024 && m < 64 * 1024 ? 0 : 1);
	}
	CHECK_EQ("wait4_parent_of_grandchild", wait4(c, &st, 0, &ru), c);
	CHECK_WSTATUS("grandchild_in_childs_children", st, "exit 0");
	CHECK("wait4_includes_grandchild", ru.ru_maxrss >= 24 * 1024);
	CHECK("children_includes_grandchild", maxrss(RUSAGE_CHILDREN) >= 24 * 1024);

	CHECK_ERR("getrusage_bad_who", getrusage(7, &ru), EINVAL);
	CHECK_ERR("getrusage_bad_pointer", syscall(SYS_getrusage, RUSAGE_SELF, (void *)8), EFAULT);
	return kt_end();
}
