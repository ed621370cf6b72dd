// SPDX-License-Identifier: MIT
/*
 * procfs_more: /proc/PID/auxv (the binary words exec gave, as getauxval sees them, to
 * AT_NULL; inherited by fork; open refused to other users, as environ's), /proc/PID/io
 * (rchar/wchar/syscr/syscw move by exactly what read- and write-type calls did, a reaped
 * child's counts join its parent's), /proc/PID/mountinfo (Linux's fields, one line per
 * mount of /proc/mounts, proc's line), /proc/interrupts (one column per online CPU, the
 * timer line counting, the IPI lines, Err), /proc/softirqs' layout, /proc/vmstat (pgfault counting faults), and
 * exe/cwd/root/fd links that lead to the file itself (a deleted file, a pipe's end).
 * Prints no counts: only how they move, and the layout.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

static char buf[65536];

/* The whole file into buf with one read per call, NUL-terminated: its length or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long len = 0, n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return n < 0 ? -1 : len;
}

/* ---- auxv ----------------------------------------------------------------------- */

static void test_auxv(void)
{
	struct stat st;
	long len = slurp("/proc/self/auxv");
	unsigned long *w = (unsigned long *)buf;
	long words = len / 8;
	int bad = 0, nulls = 0;

	CHECK_SUCC("auxv_stat", stat("/proc/self/auxv", &st));
	CHECK_EQ("auxv_mode", st.st_mode, S_IFREG | 0400);
	CHECK("auxv_pairs", len > 0 && len % 16 == 0);
	for (long i = 0; i + 1 < words; i += 2) {
		if (w[i] == AT_NULL) {
			nulls++;
			bad |= w[i + 1] != 0 || i + 2 != words;
		} else if (getauxval(w[i]) != w[i + 1]) {
			bad = 1;
		}
	}
	CHECK("auxv_matches_getauxval", !bad);
	CHECK_EQ("auxv_one_at_null_last", nulls, 1);
	int seen = 0;
	for (long i = 0; i + 1 < words; i += 2)
		seen |= (w[i] == AT_PAGESZ && w[i + 1] == 4096) | (w[i] == AT_PHDR) << 1 |
			(w[i] == AT_ENTRY) << 2 | (w[i] == AT_RANDOM) << 3 | (w[i] == AT_EXECFN) << 4;
	CHECK_EQ("auxv_has_pagesz_phdr_entry_random_execfn", seen, 31);

	/* A forked child has the same vector. */
	static char mine[4096];
	memcpy(mine, buf, len);
	int p[2];
	pipe(p);
	pid_t c = kt_fork();
	if (c == 0) {
		char ch;
		read(p[0], &ch, 1);
		_exit(0);
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/auxv", c);
	CHECK("auxv_child_same", slurp(path) == len && !memcmp(buf, mine, len));
	close(p[1]);
	kt_wait(c);

	c = kt_fork();
	if (c == 0) {
		if (setuid(1000))
			_exit(2);
		int r = (open("/proc/1/auxv", O_RDONLY) == -1 && errno == EACCES) |
			(open("/proc/1/environ", O_RDONLY) == -1 && errno == EACCES) << 1;
		_exit(r);
	}
	CHECK_WSTATUS("auxv_other_user_eacces", kt_wait(c), "exit 3");
}

/* ---- io ------------------------------------------------------------------------- */

struct io {
	unsigned long long rchar, wchar, syscr, syscw, rb, wb, cwb;
	long len;		/* the text's length: the read that got it counts next time */
};

/* One read() of the file (it fits): the counts as they were before that read. */
static int read_io(const char *path, struct io *io)
{
	int fd = open(path, O_RDONLY);
	long n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	io->len = n;
	return sscanf(buf,
		      "rchar: %llu\nwchar: %llu\nsyscr: %llu\nsyscw: %llu\nread_bytes: %llu\n"
		      "write_bytes: %llu\ncancelled_write_bytes: %llu\n",
		      &io->rchar, &io->wchar, &io->syscr, &io->syscw, &io->rb, &io->wb,
		      &io->cwb) == 7 ? 0 : -1;
}

static char *volatile nowhere;		/* NULL, out of the compiler's sight */

static void test_io(void)
{
	struct stat st;
	struct io a, b;
	static char data[4096];
	int null = open("/dev/null", O_WRONLY), zero = open("/dev/zero", O_RDONLY);
	struct iovec iov[2] = { { data, 100 }, { data + 100, 200 } };

	CHECK_SUCC("io_stat", stat("/proc/self/io", &st));
	CHECK_EQ("io_mode", st.st_mode, S_IFREG | 0400);
	int ok_a = read_io("/proc/self/io", &a);
	/* Nothing printed from here to the second read: printing writes too. */
	write(null, data, 1000);
	write(null, data, 1000);
	writev(null, iov, 2);
	read(zero, data, 500);
	pread(zero, data, 200, 0);
	read(zero, nowhere, 10);		/* EFAULT, after the checks: counted */
	read(-1, data, 10);			/* EBADF: not */
	int ok = read_io("/proc/self/io", &b);
	CHECK_EQ("io_format", ok_a, 0);
	CHECK_EQ("io_format_again", ok, 0);
	CHECK_EQ("io_rchar_delta", b.rchar - a.rchar, a.len + 500 + 200);
	CHECK_EQ("io_wchar_delta", b.wchar - a.wchar, 2300);
	CHECK_EQ("io_syscr_delta", b.syscr - a.syscr, 4);
	CHECK_EQ("io_syscw_delta", b.syscw - a.syscw, 3);
	CHECK("io_block_bytes_still", b.rb == a.rb && b.wb == a.wb && b.cwb == a.cwb);

	/* A reaped child's counts are added to ours. */
	read_io("/proc/self/io", &a);
	pid_t c = kt_fork();
	if (c == 0) {
		write(null, data, 4096);
		_exit(0);
	}
	int stc;
	waitpid(c, &stc, 0);
	read_io("/proc/self/io", &b);
	CHECK_WSTATUS("io_child_exit", stc, "exit 0");
	CHECK_EQ("io_child_wchar_joins", b.wchar - a.wchar, 4096);
	CHECK_EQ("io_child_syscw_joins", b.syscw - a.syscw, 1);
	CHECK_EQ("io_child_syscr", b.syscr - a.syscr, 1);

	char path[64];
	snprintf(path, sizeof(path), "/proc/self/task/%d/io", getpid());
	CHECK_EQ("io_thread_file", read_io(path, &a), 0);
	c = kt_fork();
	if (c == 0) {
		if (setuid(1000))
			_exit(2);
		_exit(open("/proc/1/io", O_RDONLY) == -1 && errno == EACCES ? 0 : 1);
	}
	CHECK_WSTATUS("io_other_user_eacces", kt_wait(c), "exit 0");
	close(null);
	close(zero);
}

/* ---- mountinfo ------------------------------------------------------------------ */

static void test_mountinfo(void)
{
	long mounts_lines = 0, lines = 0, bad = 0, proc_ok = 0, root_ok = 0, parents_ok = 1;
	int ids[64], parents[64];
	char *save, *line;

	if (slurp("/proc/self/mounts") < 0) {
		kt_fail("mounts_read", "errno %s", kt_errname(errno));
		return;
	}
	for (char *s = buf; *s; s++)
		mounts_lines += *s == '\n';
	CHECK("mountinfo_read", slurp("/proc/self/mountinfo") > 0);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int id, parent, n = 0;
		unsigned int major, minor;
		char root[256], point[256], opts[256], type[64], source[256], sopts[256];
		char *sep = strstr(line, " - ");

		if (sscanf(line, "%d %d %u:%u %255s %255s %255s%n", &id, &parent, &major, &minor,
			   root, point, opts, &n) != 7 || !sep ||
		    sscanf(sep, " - %63s %255s %255s", type, source, sopts) != 3) {
			bad++;
			continue;
		}
		if (lines < 64) {
			ids[lines] = id;
			parents[lines] = parent;
		}
		lines++;
		if (!strcmp(point, "/proc"))
			proc_ok = !strcmp(type, "proc") && !strcmp(source, "proc") &&
				  !strcmp(root, "/") && major == 0 && !strncmp(sopts, "rw", 2) &&
				  !strncmp(opts, "rw", 2);
		if (!strcmp(point, "/"))
			root_ok = !strcmp(root, "/") && !strncmp(opts, "rw", 2);
	}
	CHECK_EQ("mountinfo_lines_parse", bad, 0);
	CHECK_EQ("mountinfo_one_line_per_mount", lines, mounts_lines);
	CHECK("mountinfo_proc_line", proc_ok);
	CHECK("mountinfo_root_line", root_ok);
	/* Every mount but the first (the root) hangs from one listed before it. */
	for (long i = 1; i < lines && i < 64; i++) {
		int found = 0;
		for (long j = 0; j < i; j++)
			found |= parents[i] == ids[j];
		parents_ok &= found;
		for (long j = 0; j < i; j++)
			parents_ok &= ids[i] != ids[j];
	}
	CHECK("mountinfo_parents_listed_ids_unique", parents_ok);
}

/* ---- interrupts and vmstat ------------------------------------------------------ */

/* The sum of the timer line's counts, -1 if the layout is not Linux's. */
static long timer_interrupts(long ncpu)
{
	char *save, *line;
	long sum = -1, header_cpus = -1;
	int ipi0 = 0, ipi1 = 0, err = 0;

	if (slurp("/proc/interrupts") <= 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tok, *s2;
		long fields = 0;

		if (header_cpus < 0) {
			header_cpus = 0;
			for (tok = strtok_r(line, " ", &s2); tok; tok = strtok_r(NULL, " ", &s2))
				header_cpus += !strncmp(tok, "CPU", 3);
			continue;
		}
		if (strstr(line, "IPI0:") && strstr(line, "Rescheduling interrupts"))
			ipi0 = 1;
		if (strstr(line, "IPI1:") && strstr(line, "Function call interrupts"))
			ipi1 = 1;
		if (strstr(line, "Err:"))
			err = 1;
		size_t l = strlen(line);
		if (l < 10 || strcmp(line + l - 10, "arch_timer"))
			continue;
		long s = 0;
		tok = strtok_r(line, " ", &s2);		/* "N:" */
		for (tok = strtok_r(NULL, " ", &s2); tok && fields < ncpu;
		     tok = strtok_r(NULL, " ", &s2), fields++)
			s += strtol(tok, NULL, 10);
		if (fields == ncpu)
			sum = s;
	}
	return header_cpus == ncpu && ipi0 && ipi1 && err ? sum : -1;
}

static long vmstat_value(const char *name)
{
	char *l;
	size_t n = strlen(name);

	if (slurp("/proc/vmstat") <= 0)
		return -1;
	for (l = buf; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, name, n) && l[n] == ' ')
			return strtol(l + n + 1, NULL, 10);
	return -1;
}

/* /proc/softirqs: a CPU column per possible CPU and Linux's ten names in order. */
static void test_softirqs(void)
{
	static const char *const names[] = { "HI", "TIMER", "NET_TX", "NET_RX", "BLOCK",
					     "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU" };
	long ncpu = sysconf(_SC_NPROCESSORS_CONF), header = 0, rows = 0, good = 1;
	char *save, *line, *s2, *tok;

	CHECK("softirqs_read", slurp("/proc/softirqs") > 0);
	line = strtok_r(buf, "\n", &save);
	for (tok = line ? strtok_r(line, " ", &s2) : NULL; tok; tok = strtok_r(NULL, " ", &s2))
		header += !strncmp(tok, "CPU", 3);
	while ((line = strtok_r(NULL, "\n", &save))) {
		long counts = 0;

		tok = strtok_r(line, " ", &s2);
		if (rows >= 10 || !tok || strlen(tok) < 2 || tok[strlen(tok) - 1] != ':' ||
		    strncmp(tok, names[rows], strlen(tok) - 1) || strlen(names[rows]) != strlen(tok) - 1)
			good = 0;
		while ((tok = strtok_r(NULL, " ", &s2)))
			counts++;
		good &= counts == ncpu;
		rows++;
	}
	CHECK_EQ("softirqs_header_cpus", header, ncpu);
	CHECK_EQ("softirqs_rows", rows, 10);
	CHECK("softirqs_names_counts", good);
}

static void test_interrupts_vmstat(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long t0 = timer_interrupts(ncpu);
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	CHECK("interrupts_layout", t0 >= 0);
	nanosleep(&ts, NULL);
	CHECK("interrupts_timer_counts", timer_interrupts(ncpu) > t0);

	long free_pages = vmstat_value("nr_free_pages"), f0 = vmstat_value("pgfault");
	CHECK("vmstat_nr_free_pages", free_pages > 0);
	CHECK_EQ("vmstat_pgmajfault_listed", vmstat_value("pgmajfault") >= 0, 1);
	char *p = mmap(NULL, 100 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	for (int i = 0; i < 100; i++)
		p[i * 4096] = 1;
	CHECK("vmstat_pgfault_counts", f0 >= 0 && vmstat_value("pgfault") >= f0 + 100);
	munmap(p, 100 * 4096);
}

/* ---- exe, cwd, root, fd/N lead to the file itself --------------------------------- */

static void test_jump_links(void)
{
	struct stat a, b;
	char path[64], got[16] = "";

	CHECK("exe_is_this_program", stat("/proc/self/exe", &a) == 0 &&
					     stat(kt_self_path, &b) == 0 && a.st_ino == b.st_ino &&
					     a.st_dev == b.st_dev);
	chdir("/tmp");
	CHECK("cwd_is_tmp", stat("/proc/self/cwd", &a) == 0 && stat("/tmp", &b) == 0 &&
				    a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	CHECK("root_is_root", stat("/proc/self/root/.", &a) == 0 && stat("/", &b) == 0 &&
				      a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	chdir("/");

	/* A deleted file opens again through its fd link. */
	int fd = open("/tmp/procfs_more_gone", O_CREAT | O_RDWR | O_TRUNC, 0600);
	write(fd, "hello", 5);
	unlink("/tmp/procfs_more_gone");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int fd2 = open(path, O_RDONLY);
	CHECK("deleted_file_reopens", fd2 >= 0 && read(fd2, got, sizeof(got)) == 5 &&
					      !memcmp(got, "hello", 5));
	CHECK("deleted_file_same_inode", fstat(fd, &a) == 0 && fstat(fd2, &b) == 0 &&
						 a.st_ino == b.st_ino && a.st_nlink == 0);
	close(fd2);
	close(fd);

	/* So does a pipe's end: writing through it reaches the reader. */
	int p[2];
	pipe(p);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[1]);
	fd2 = open(path, O_WRONLY);
	CHECK("pipe_reopens", fd2 >= 0 && write(fd2, "x", 1) == 1 && read(p[0], got, 1) == 1 &&
				      got[0] == 'x');
	close(fd2);
	close(p[0]);
	close(p[1]);

	pid_t c = kt_fork();
	if (c == 0) {
		char l[64];

		if (setuid(1000))
			_exit(2);
		_exit((readlink("/proc/1/cwd", l, sizeof(l)) == -1 && errno == EACCES) |
		      (stat("/proc/1/root", &a) == -1 && errno == EACCES) << 1);
	}
	CHECK_WSTATUS("jump_links_other_user_eacces", kt_wait(c), "exit 3");
}

int main(void)
{
	kt_begin("procfs_more", 60);
	test_auxv();
	test_io();
	test_mountinfo();
	test_interrupts_vmstat();
	test_softirqs();
	test_jump_links();
	return kt_end();
}
