/*
 * robust_fuzz: garbage arguments to every system call number 0..450 (the arm64 Linux 6.1
 * table), each number in its own throw-away child with no open files, a scratch
 * directory as cwd, and a watchdog. The children's fates and errnos differ between
 * kernels and are not printed: the output only says that the kernel survived (this
 * process and the coordinator finished) and how many numbers were tried.
 *
 * Skipped, because on Linux they would harm the machine or other processes, or just
 * sleep: reboot, kexec, module loading, mounts, chroot, acct, syslog, clock and host
 * setters, vhangup, swap; everything that targets another process by PID (kill family,
 * sched_set*, setpriority, ioprio_set, prlimit64, migrate_pages, move_pages,
 * process_vm_*, process_madvise, process_mrelease, pidfd_*); exit, exit_group, clone,
 * clone3, execve, execveat, rt_sigreturn, ptrace, munmap, mremap; and the calls that
 * wait (nanosleep, futex, wait4, waitid, poll/select, message queues, sockets, ...).
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <sys/time.h>

#define NR_MAX 450

static const short skip_list[] = {
	4,   /* io_getevents */
	22,  /* epoll_pwait */
	30,  /* ioprio_set */
	32,  /* flock */
	39,  /* umount2 */
	40,  /* mount */
	41,  /* pivot_root */
	51,  /* chroot */
	58,  /* vhangup */
	72,  /* pselect6 */
	73,  /* ppoll */
	89,  /* acct */
	93,  /* exit */
	94,  /* exit_group */
	95,  /* waitid */
	98,  /* futex */
	101, /* nanosleep */
	104, /* kexec_load */
	105, /* init_module */
	106, /* delete_module */
	112, /* clock_settime */
	115, /* clock_nanosleep */
	116, /* syslog */
	117, /* ptrace */
	118, /* sched_setparam */
	119, /* sched_setscheduler */
	122, /* sched_setaffinity */
	129, /* kill */
	130, /* tkill */
	131, /* tgkill */
	133, /* rt_sigsuspend */
	137, /* rt_sigtimedwait */
	138, /* rt_sigqueueinfo */
	139, /* rt_sigreturn */
	140, /* setpriority */
	142, /* reboot */
	161, /* sethostname */
	162, /* setdomainname */
	170, /* settimeofday */
	171, /* adjtimex */
	182, /* mq_timedsend */
	183, /* mq_timedreceive */
	188, /* msgrcv */
	189, /* msgsnd */
	192, /* semtimedop */
	193, /* semop */
	202, /* accept */
	203, /* connect */
	207, /* recvfrom */
	212, /* recvmsg */
	215, /* munmap */
	216, /* mremap */
	220, /* clone */
	221, /* execve */
	224, /* swapon */
	225, /* swapoff */
	238, /* migrate_pages */
	239, /* move_pages */
	240, /* rt_tgsigqueueinfo */
	242, /* accept4 */
	243, /* recvmmsg */
	260, /* wait4 */
	261, /* prlimit64 */
	266, /* clock_adjtime */
	270, /* process_vm_readv */
	271, /* process_vm_writev */
	273, /* finit_module */
	274, /* sched_setattr */
	281, /* execveat */
	292, /* io_pgetevents */
	294, /* kexec_file_load */
	424, /* pidfd_send_signal */
	426, /* io_uring_enter */
	428, /* open_tree */
	429, /* move_mount */
	430, /* fsopen */
	431, /* fsconfig */
	432, /* fsmount */
	433, /* fspick */
	434, /* pidfd_open */
	435, /* clone3 */
	438, /* pidfd_getfd */
	440, /* process_madvise */
	441, /* epoll_pwait2 */
	442, /* mount_setattr */
	448, /* process_mrelease */
	449, /* futex_waitv */
};

static int skipped(int nr)
{
	for (unsigned i = 0; i < sizeof(skip_list) / sizeof(skip_list[0]); i++)
		if (skip_list[i] == nr)
			return 1;
	return 0;
}

static uint64_t rng;

static uint64_t next(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return rng >> 11;
}

static char *scratch; /* 64 KiB of mapped garbage: valid pointers with junk behind them */

static long garbage_arg(void)
{
	switch (next() % 12) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return -1;
	case 3:
		return (long)(next() % 64);
	case 4:
		return (long)(next() % 4096);
	case 5:
		return (long)next() << 11 | (long)(next() & 0x7ff);
	case 6:
		return (long)0xffff000000000000ul + (long)(next() % 65536);
	case 7:
		return (long)(scratch + (next() % 65536));
	case 8:
		return (long)(scratch + (next() % 16) * 4096);
	case 9:
		return (long)0x7fffffff;
	case 10:
		return (long)0x80000000l;
	default:
		return (long)(next() % 0x100000) * 4096;
	}
}

static void fill_scratch(void)
{
	uint64_t *w = (uint64_t *)(void *)scratch;
	for (int i = 0; i < 65536 / 8; i++)
		w[i] = next() * 0x2545f4914f6cdd1dull;
	for (int i = 0; i < 65536; i++) {
		if (scratch[i] == '/')
			scratch[i] = 'x';
		if (i % 64 == 63)
			scratch[i] = 0;
	}
}

/* In a fresh child: no files, cwd in the scratch directory, 16 calls. */
static void fuzz_one(int nr, const char *dir)
{
	alarm(2);
	if (chdir(dir) != 0)
		_exit(0);
	for (int fd = 0; fd < 256; fd++)
		close(fd);
	rng = 0x9e3779b97f4a7c15ull ^ (uint64_t)nr * 0x100000001b3ull;
	scratch = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED)
		_exit(0);
	fill_scratch();
	for (int i = 0; i < 16; i++) {
		long a[6];
		for (int j = 0; j < 6; j++)
			a[j] = garbage_arg();
		syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	_exit(0);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Wait for a child for at most ms milliseconds (an interval timer interrupts the wait),
 * then SIGKILL it. */
static void reap_with_timeout(pid_t p, int ms)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: the wait returns EINTR */
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	int st;
	pid_t r = waitpid(p, &st, __WALL);
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	if (r != p) {
		kill(p, SIGKILL);
		waitpid(p, &st, __WALL);
	}
}

static void coordinator(const char *dir, int report_fd)
{
	int tried = 0;
	for (int nr = 0; nr <= NR_MAX; nr++) {
		if (skipped(nr))
			continue;
		pid_t g = fork();
		if (g == 0)
			fuzz_one(nr, dir);
		if (g < 0)
			_exit(2);
		tried++;
		reap_with_timeout(g, 3000);
	}
	kt_write_all(report_fd, (char *)&tried, sizeof(tried));
	_exit(0);
}

int main(void)
{
	kt_begin("robust_fuzz", 100);
	const char *dir = kt_tmpdir("fuzz");
	int rep[2];
	pipe(rep);
	pid_t c = fork();
	if (c == 0) {
		close(rep[0]);
		/* The coordinator's own process group, so stray grandchildren can be found. */
		setpgid(0, 0);
		coordinator(dir, rep[1]);
	}
	close(rep[1]);
	int tried = -1;
	kt_read_full(rep[0], &tried, sizeof(tried));
	int st = kt_wait(c);
	kill(-c, SIGKILL);
	CHECK_WSTATUS("fuzz_coordinator_finished", st, "exit 0");
	CHECK_EQ("fuzz_numbers_tried", tried, NR_MAX + 1 - (int)(sizeof(skip_list) / sizeof(skip_list[0])));
	kt_printf("fuzz syscalls 0..%d: survived\n", NR_MAX);
	kt_rmtree(dir);
	return kt_end();
}
