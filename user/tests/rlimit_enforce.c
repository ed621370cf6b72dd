/*
 * rlimit_enforce: each resource limit enforced with Linux's errno. RLIMIT_NOFILE (open,
 * dup, pipe, F_DUPFD, dup2/dup3, the nr_open ceiling), RLIMIT_FSIZE (partial writes,
 * EFBIG and SIGXFSZ from write/pwrite/writev/O_APPEND/truncate/ftruncate, default action),
 * RLIMIT_AS and RLIMIT_DATA (mmap, MAP_FIXED replacing, mremap, mprotect, brk),
 * RLIMIT_MEMLOCK (mlock, MAP_LOCKED, mlockall, as uid 1000), RLIMIT_SIGPENDING (counted
 * per user: sigqueue EAGAIN, kill() and standard signals still delivered),
 * RLIMIT_NPROC (fork and threads EAGAIN as uid 1000, zombies count, root exempt, and a
 * set*uid over the limit failing the next execve), RLIMIT_NICE and RLIMIT_RTPRIO.
 * Every part runs in a child; uid 1000 has no other processes while this runs.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/uio.h>

#define MB (1024UL * 1024)

static void set_limit(int res, unsigned long cur, unsigned long max)
{
	struct rlimit rl = { cur, max };
	if (setrlimit(res, &rl))
		kt_printf("setrlimit %d failed: %s\n", res, kt_errname(errno));
}

/* Become uid/gid 1000 (all three of each) with no supplementary groups. */
static void drop_to_user(void)
{
	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		kt_printf("drop_to_user failed: %s\n", kt_errname(errno));
}

/* ---- RLIMIT_NOFILE ---- */

static void t_nofile(void *arg)
{
	int p[2];

	syscall(SYS_close_range, 3, ~0U, 0);
	set_limit(RLIMIT_NOFILE, 5, 5);
	int a = open("/dev/null", O_RDONLY);
	int b = dup(a);
	CHECK("nofile_first_two", a == 3 && b == 4);
	CHECK_ERR("nofile_open_emfile", open("/dev/null", O_RDONLY), EMFILE);
	CHECK_ERR("nofile_dup_emfile", dup(a), EMFILE);
	CHECK_ERR("nofile_pipe_emfile", pipe(p), EMFILE);
	CHECK_ERR("nofile_fdupfd_emfile", fcntl(a, F_DUPFD, 0), EMFILE);
	CHECK_ERR("nofile_fdupfd_arg_at_limit", fcntl(a, F_DUPFD, 5), EINVAL);
	CHECK_ERR("nofile_fdupfd_cloexec_arg_above", fcntl(a, F_DUPFD_CLOEXEC, 100), EINVAL);
	CHECK_ERR("nofile_dup2_newfd_at_limit", dup2(a, 5), EBADF);
	CHECK_ERR("nofile_dup3_newfd_above", dup3(a, 7, 0), EBADF);
	CHECK_EQ("nofile_dup2_below_limit", dup2(a, 4), 4);
	close(b);
	/* One free slot: a pipe needs two. */
	CHECK_ERR("nofile_pipe_one_slot", pipe(p), EMFILE);
	CHECK_EQ("nofile_open_last_slot", open("/dev/null", O_RDONLY), 4);
	/* A limit below the open fds: they stay, nothing new. */
	set_limit(RLIMIT_NOFILE, 3, 3);
	struct stat st;
	CHECK_SUCC("nofile_above_limit_stays_open", fstat(4, &st));
	CHECK_ERR("nofile_lowered_dup", dup(0), EMFILE);
	close(a);
	CHECK_ERR("nofile_lowered_free_slot_above", dup(0), EMFILE);
	close(0);
	CHECK_EQ("nofile_lowered_slot_below", dup(4), 0);
	/* nr_open (1048576) is the ceiling, even for root. */
	struct rlimit big = { 1048577, 1048577 };
	CHECK_ERR("nofile_above_nr_open", setrlimit(RLIMIT_NOFILE, &big), EPERM);
	big.rlim_cur = big.rlim_max = 1048576;
	CHECK_SUCC("nofile_at_nr_open_root", setrlimit(RLIMIT_NOFILE, &big));
	kt_child_exit();
}

/* ---- RLIMIT_FSIZE ---- */

static volatile int xfsz_count;

static void on_xfsz(int sig)
{
	xfsz_count++;
}

static char path[300];

static void t_fsize(void *arg)
{
	static char buf[1500];
	int p[2];

	memset(buf, 'x', sizeof(buf));
	signal(SIGXFSZ, on_xfsz);
	set_limit(RLIMIT_FSIZE, 1000, 1000);
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK_EQ("fsize_write_partial", write(fd, buf, 1500), 1000);
	CHECK_EQ("fsize_partial_no_signal", xfsz_count, 0);
	CHECK_ERR("fsize_write_at_limit", write(fd, buf, 10), EFBIG);
	CHECK_EQ("fsize_signal_sent", xfsz_count, 1);
	CHECK_EQ("fsize_write_zero_at_limit", write(fd, buf, 0), 0);
	CHECK_EQ("fsize_zero_no_signal", xfsz_count, 1);
	CHECK_ERR("fsize_pwrite_past", pwrite(fd, buf, 10, 5000), EFBIG);
	CHECK_EQ("fsize_pwrite_partial", pwrite(fd, buf, 10, 995), 5);
	struct iovec iov[2] = { { buf, 600 }, { buf, 600 } };
	lseek(fd, 0, SEEK_SET);
	CHECK_EQ("fsize_writev_partial", writev(fd, iov, 2), 1000);
	CHECK_ERR("fsize_pwritev_past", pwritev(fd, iov, 2, 1000), EFBIG);
	CHECK_SUCC("fsize_ftruncate_to_limit", ftruncate(fd, 1000));
	CHECK_ERR("fsize_ftruncate_past", ftruncate(fd, 1001), EFBIG);
	CHECK_SUCC("fsize_ftruncate_shrink", ftruncate(fd, 10));
	CHECK_ERR("fsize_truncate_past", truncate(path, 4096), EFBIG);
	CHECK_EQ("fsize_signals_so_far", xfsz_count, 5);
	int afd = open(path, O_WRONLY | O_APPEND);
	CHECK_EQ("fsize_append_partial", write(afd, buf, 1500), 990);
	CHECK_ERR("fsize_append_at_limit", write(afd, buf, 1), EFBIG);
	struct stat st;
	fstat(fd, &st);
	CHECK_EQ("fsize_final_size", st.st_size, 1000);
	/* Not a regular file: no limit. */
	pipe(p);
	CHECK_EQ("fsize_pipe_unlimited", write(p[1], buf, 1500), 1500);
	CHECK_EQ("fsize_devnull_unlimited", pwrite(open("/dev/null", O_WRONLY), buf, 1500, 4000),
		 1500);
	/* Ignored: only the error. */
	signal(SIGXFSZ, SIG_IGN);
	CHECK_ERR("fsize_ignored_efbig", write(afd, buf, 1), EFBIG);
	CHECK_EQ("fsize_ignored_no_handler", xfsz_count, 6);
	/* The default action ends the process. */
	pid_t c = kt_fork();
	if (c == 0) {
		signal(SIGXFSZ, SIG_DFL);
		write(afd, buf, 1);
		_exit(0);
	}
	CHECK_WSTATUS("fsize_default_kills", kt_wait(c), "signal SIGXFSZ");
	kt_child_exit();
}

/* ---- RLIMIT_AS and RLIMIT_DATA ---- */

static void *map(size_t len, int prot, int flags)
{
	return mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
}

static void t_as(void *arg)
{
	set_limit(RLIMIT_AS, 256 * MB, 256 * MB);
	CHECK_ERR("as_mmap_over", (long)map(512 * MB, PROT_NONE, MAP_PRIVATE), ENOMEM);
	char *p = map(100 * MB, PROT_NONE, MAP_PRIVATE);
	CHECK("as_mmap_under", p != MAP_FAILED);
	/* Replacing a mapping does not count it twice. */
	CHECK("as_map_fixed_replaces",
	      mmap(p, 100 * MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p);
	CHECK_ERR("as_second_over", (long)map(200 * MB, PROT_NONE, MAP_PRIVATE), ENOMEM);
	CHECK_ERR("as_mremap_grow_over", (long)mremap(p, 100 * MB, 300 * MB, MREMAP_MAYMOVE),
		  ENOMEM);
	char *q = mremap(p, 100 * MB, 150 * MB, MREMAP_MAYMOVE);
	CHECK("as_mremap_grow_under", q != MAP_FAILED);
	long cur = syscall(SYS_brk, 0);
	CHECK_EQ("as_brk_over_keeps_old", syscall(SYS_brk, cur + 200 * MB) - cur, 0);
	CHECK_EQ("as_brk_under", syscall(SYS_brk, cur + 65536) - cur, 65536);
	munmap(q, 150 * MB);
	CHECK("as_after_unmap", map(200 * MB, PROT_NONE, MAP_PRIVATE) != MAP_FAILED);
	kt_child_exit();
}

static void t_data(void *arg)
{
	set_limit(RLIMIT_DATA, 8 * MB, 8 * MB);
	CHECK_ERR("data_private_rw_over", (long)map(16 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE),
		  ENOMEM);
	char *ro = map(16 * MB, PROT_READ, MAP_PRIVATE);
	CHECK("data_private_ro_not_data", ro != MAP_FAILED);
	CHECK_ERR("data_mprotect_to_rw", mprotect(ro, 16 * MB, PROT_READ | PROT_WRITE), ENOMEM);
	CHECK_SUCC("data_mprotect_small_rw", mprotect(ro, 64 * 1024, PROT_READ | PROT_WRITE));
	CHECK("data_shared_rw_not_data",
	      map(16 * MB, PROT_READ | PROT_WRITE, MAP_SHARED) != MAP_FAILED);
	CHECK("data_growsdown_not_data",
	      map(16 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_GROWSDOWN) != MAP_FAILED);
	CHECK("data_private_rw_under", map(MB, PROT_READ | PROT_WRITE, MAP_PRIVATE) != MAP_FAILED);
	long cur = syscall(SYS_brk, 0);
	CHECK_EQ("data_brk_over_keeps_old", syscall(SYS_brk, cur + 16 * MB) - cur, 0);
	CHECK_EQ("data_brk_under", syscall(SYS_brk, cur + 65536) - cur, 65536);
	/* A soft limit of 0 stands for the hard one (Linux's allowance for Valgrind). */
	set_limit(RLIMIT_DATA, 0, 8 * MB);
	CHECK("data_soft_zero_uses_hard",
	      map(MB, PROT_READ | PROT_WRITE, MAP_PRIVATE) != MAP_FAILED);
	CHECK_ERR("data_soft_zero_hard_over",
		  (long)map(16 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE), ENOMEM);
	kt_child_exit();
}

/* ---- RLIMIT_MEMLOCK (root is not limited: as uid 1000) ---- */

static void t_memlock_zero(void *arg)
{
	set_limit(RLIMIT_MEMLOCK, 0, 0);
	drop_to_user();
	char *p = map(65536, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	CHECK_ERR("memlock_zero_mlock", mlock(p, 4096), EPERM);
	CHECK_ERR("memlock_zero_mlockall", mlockall(MCL_CURRENT), EPERM);
	CHECK_ERR("memlock_zero_map_locked", (long)map(4096, PROT_READ, MAP_PRIVATE | MAP_LOCKED),
		  EPERM);
	CHECK_SUCC("memlock_zero_munlock", munlock(p, 4096));
	kt_child_exit();
}

static void t_memlock(void *arg)
{
	set_limit(RLIMIT_MEMLOCK, 65536, 65536);
	drop_to_user();
	char *p = map(256 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	CHECK_SUCC("memlock_under", mlock(p, 32768));
	CHECK_SUCC("memlock_relock_not_counted_twice", mlock(p, 32768));
	CHECK_SUCC("memlock_exactly_limit", mlock(p, 65536));
	CHECK_ERR("memlock_over", mlock(p, 128 * 1024), ENOMEM);
	CHECK_ERR("memlock_map_locked_over",
		  (long)map(4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_LOCKED), EAGAIN);
	CHECK_SUCC("memlock_munlock", munlock(p, 65536));
	CHECK("memlock_map_locked_under",
	      map(32768, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_LOCKED) != MAP_FAILED);
	CHECK_ERR("memlock_mlockall_current", mlockall(MCL_CURRENT), ENOMEM);
	kt_child_exit();
}

/* ---- RLIMIT_SIGPENDING ---- */

static void t_sigpending(void *arg)
{
	union sigval v = { .sival_int = 7 };
	int token[2], ready[2];
	sigset_t all, set;
	siginfo_t si;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	drop_to_user();
	set_limit(RLIMIT_SIGPENDING, 3, 3);
	/* Another process of the same user, to show the count is the user's. */
	pipe(token);
	pipe(ready);
	pid_t other = kt_fork();
	if (other == 0) {
		char c;
		kt_signal_fd(ready[1]);
		read(token[0], &c, 1);
		_exit(0);
	}
	kt_wait_fd(ready[0]);
	for (int i = 0; i < 3; i++)
		CHECK_SUCC(kt_name("sigpending_queue_%d", i), sigqueue(getpid(), SIGRTMIN, v));
	CHECK_ERR("sigpending_queue_over", sigqueue(getpid(), SIGRTMIN, v), EAGAIN);
	CHECK_ERR("sigpending_queue_other_process_same_user", sigqueue(other, SIGRTMIN, v),
		  EAGAIN);
	siginfo_t qi = { .si_signo = SIGRTMIN + 2, .si_code = SI_QUEUE, .si_pid = getpid(),
			 .si_uid = getuid() };
	CHECK_ERR("sigpending_rt_sigqueueinfo_over",
		  syscall(SYS_rt_sigqueueinfo, getpid(), SIGRTMIN + 2, &qi), EAGAIN);
	/* kill() delivers an RT signal anyway, without its info. */
	CHECK_SUCC("sigpending_kill_rt_delivered", kill(getpid(), SIGRTMIN + 1));
	/* A standard signal from sigqueue: delivered, info lost. */
	CHECK_SUCC("sigpending_sigqueue_std_delivered", sigqueue(getpid(), SIGUSR1, v));
	/* A standard signal from kill(): over the limit, info kept. */
	CHECK_SUCC("sigpending_kill_std", kill(getpid(), SIGUSR2));
	sigpending(&set);
	CHECK("sigpending_all_pending",
	      sigismember(&set, SIGRTMIN) && sigismember(&set, SIGRTMIN + 1) &&
		      !sigismember(&set, SIGRTMIN + 2) && sigismember(&set, SIGUSR1) &&
		      sigismember(&set, SIGUSR2));
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_EQ("sigpending_usr1_taken", sigwaitinfo(&set, &si), SIGUSR1);
	CHECK("sigpending_usr1_info_lost", si.si_code == SI_USER && si.si_pid == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK_EQ("sigpending_usr2_taken", sigwaitinfo(&set, &si), SIGUSR2);
	CHECK("sigpending_usr2_info_kept", si.si_code == SI_USER && si.si_pid == getpid());
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 1);
	CHECK_EQ("sigpending_rt_kill_taken", sigwaitinfo(&set, &si), SIGRTMIN + 1);
	CHECK("sigpending_rt_kill_info_lost", si.si_code == SI_USER && si.si_pid == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	int n = 0;
	struct timespec zero = { 0, 0 };
	while (sigtimedwait(&set, &si, &zero) == SIGRTMIN)
		n += si.si_code == SI_QUEUE && si.si_value.sival_int == 7;
	CHECK_EQ("sigpending_rt_queued_taken", n, 3);
	/* All taken: room again. */
	CHECK_SUCC("sigpending_room_again", sigqueue(other, SIGRTMIN, v));
	kt_signal_fd(token[1]);
	CHECK_WSTATUS("sigpending_other_exit", kt_wait(other), "exit 0");
	kt_child_exit();
}

/* ---- RLIMIT_NPROC ---- */

/* A child that waits for EOF on rfd (its parent keeps wfd) and exits 0; as_user: it
 * becomes uid 1000 first. We wait for its token on the ready pipe: then it counts. */
static pid_t holder(int rfd, int wfd, const int *ready, int as_user)
{
	pid_t c = fork();
	if (c == 0) {
		char ch;
		close(wfd);
		if (as_user)
			drop_to_user();
		kt_signal_fd(ready[1]);
		while (read(rfd, &ch, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	if (c > 0)
		kt_wait_fd(ready[0]);
	return c;
}

static int exit_at_once(void *a)
{
	return 0;
}

static void *thread_fn(void *a)
{
	return NULL;
}

static void t_nproc(void *arg)
{
	int p[2], r[2];

	set_limit(RLIMIT_NPROC, 3, 3);
	drop_to_user();
	pipe(p);
	pipe(r);
	pid_t a = holder(p[0], p[1], r, 0);
	pid_t b = holder(p[0], p[1], r, 0);
	CHECK("nproc_two_forks", a > 0 && b > 0);
	CHECK_ERR("nproc_third_fork", fork(), EAGAIN);
	pthread_t t;
	CHECK_EQ("nproc_thread_counts", pthread_create(&t, NULL, thread_fn, NULL), EAGAIN);
	CHECK_EQ("nproc_clone_vfork",
		 kt_clone(CLONE_VFORK | CLONE_VM | SIGCHLD, kt_stack(65536), 0, 0, 0, exit_at_once,
			  NULL),
		 -EAGAIN);
	/* A zombie still counts until it is reaped. */
	kill(a, SIGKILL);
	siginfo_t si;
	waitid(P_PID, a, &si, WEXITED | WNOWAIT);
	CHECK_ERR("nproc_zombie_counts", fork(), EAGAIN);
	waitpid(a, NULL, 0);
	pid_t c = fork();
	if (c == 0)
		_exit(0);
	CHECK("nproc_fork_after_reap", c > 0);
	waitpid(c, NULL, 0);
	close(p[1]);
	waitpid(b, NULL, 0);
	kt_child_exit();
}

/* Root's uid is not limited; nor is a real uid 1000 acting as euid 0 (privileged). */
static void t_nproc_exempt(void *arg)
{
	set_limit(RLIMIT_NPROC, 1, 1);
	pid_t c = fork();
	if (c == 0)
		_exit(0);
	CHECK("nproc_root_exempt", c > 0);
	waitpid(c, NULL, 0);
	setresuid(1000, 0, 0);
	c = fork();
	if (c == 0)
		_exit(0);
	CHECK("nproc_euid0_exempt", c > 0);
	waitpid(c, NULL, 0);
	setresuid(1000, 1000, 1000);
	CHECK_ERR("nproc_user_limited", fork(), EAGAIN);
	kt_child_exit();
}

/*
 * Root makes `holders` uid 1000 tasks, then sets RLIMIT_NPROC 2 and becomes uid 1000
 * itself: returns the holders' pids (they end at EOF on *wfd, or by SIGKILL).
 */
static void join_user(int holders, pid_t *h, int *wfd)
{
	int p[2], r[2];

	pipe(p);
	pipe(r);
	for (int i = 0; i < holders; i++)
		h[i] = holder(p[0], p[1], r, 1);
	close(p[0]);
	close(r[0]);
	close(r[1]);
	*wfd = p[1];
	set_limit(RLIMIT_NPROC, 2, 2);
}

/* Over the limit when we join (3 others, limit 2): setresuid works, execve is EAGAIN
 * while the user stays over, and works again once it is not. */
static void t_nproc_exceeded(void *arg)
{
	char *argv[] = { kt_self_path, "nproc_exceeded", NULL };
	pid_t h[3];
	int wfd;

	join_user(3, h, &wfd);
	CHECK_SUCC("nproc_exceeded_setresuid", setresuid(1000, 1000, 1000));
	CHECK_ERR("nproc_exceeded_execve", execv(kt_self_path, argv), EAGAIN);
	CHECK_ERR("nproc_exceeded_execve_again", execv(kt_self_path, argv), EAGAIN);
	CHECK_ERR("nproc_exceeded_fork", fork(), EAGAIN);
	for (int i = 0; i < 3; i++) {
		kill(h[i], SIGKILL);
		waitpid(h[i], NULL, 0);
	}
	execv(kt_self_path, argv);
	kt_fail("nproc_exceeded_execve_after", "%s", kt_errname(errno));
	kt_child_exit();
}

/* At the limit, not over it, when we join (2 others, limit 2): the execve works, though
 * we make 3. */
static void t_nproc_at_limit(void *arg)
{
	char *argv[] = { kt_self_path, "nproc_at_limit", NULL };
	pid_t h[2];
	int wfd;

	join_user(2, h, &wfd);
	CHECK_SUCC("nproc_at_limit_setresuid", setresuid(1000, 1000, 1000));
	execv(kt_self_path, argv);
	kt_fail("nproc_at_limit_execve", "%s", kt_errname(errno));
	close(wfd);
	for (int i = 0; i < 2; i++)
		waitpid(h[i], NULL, 0);
	kt_child_exit();
}

/* ---- RLIMIT_NICE and RLIMIT_RTPRIO ---- */

static void t_nice_rtprio(void *arg)
{
	set_limit(RLIMIT_NICE, 25, 25);		/* down to nice -5 */
	set_limit(RLIMIT_RTPRIO, 10, 10);
	drop_to_user();
	CHECK_SUCC("nice_to_limit", setpriority(PRIO_PROCESS, 0, -5));
	CHECK_EQ("nice_is", getpriority(PRIO_PROCESS, 0), -5);
	CHECK_ERR("nice_past_limit", setpriority(PRIO_PROCESS, 0, -6), EACCES);
	CHECK_SUCC("nice_up", setpriority(PRIO_PROCESS, 0, 10));
	CHECK_SUCC("nice_back_down", setpriority(PRIO_PROCESS, 0, -5));
	struct sched_param sp = { 10 };
	CHECK_SUCC("rtprio_fifo_at_limit", sched_setscheduler(0, SCHED_FIFO, &sp));
	sp.sched_priority = 0;
	CHECK_SUCC("rtprio_back_to_other", sched_setscheduler(0, SCHED_OTHER, &sp));
	sp.sched_priority = 11;
	CHECK_ERR("rtprio_past_limit", sched_setscheduler(0, SCHED_FIFO, &sp), EPERM);
	set_limit(RLIMIT_RTPRIO, 0, 0);
	set_limit(RLIMIT_NICE, 0, 0);
	sp.sched_priority = 1;
	CHECK_ERR("rtprio_zero", sched_setscheduler(0, SCHED_RR, &sp), EPERM);
	CHECK_SUCC("nice_zero_limit_raise", setpriority(PRIO_PROCESS, 0, 0));
	CHECK_ERR("nice_zero_limit_lower", setpriority(PRIO_PROCESS, 0, -1), EACCES);
	kt_child_exit();
}

static void run(const char *name, void (*fn)(void *))
{
	CHECK_WSTATUS(kt_name("%s_status", name), kt_run_child(fn, NULL), "exit 0");
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		/* Re-exec'd by nproc_exec: reap what is left, say we ran. */
		syscall(SYS_close_range, 3, ~0U, 0);
		while (wait(NULL) > 0 || errno == EINTR)
			;
		kt_printf("%s_exec_ran: ok\n", argv[1]);
		return 0;
	}
	kt_begin("rlimit_enforce", 60);
	snprintf(path, sizeof(path), "%s/f", kt_tmpdir("rlimit_enforce"));
	run("nofile", t_nofile);
	run("fsize", t_fsize);
	run("as", t_as);
	run("data", t_data);
	run("memlock_zero", t_memlock_zero);
	run("memlock", t_memlock);
	run("sigpending", t_sigpending);
	run("nproc", t_nproc);
	run("nproc_exempt", t_nproc_exempt);
	run("nproc_exceeded", t_nproc_exceeded);
	run("nproc_at_limit", t_nproc_at_limit);
	run("nice_rtprio", t_nice_rtprio);
	kt_rmtree("/tmp/kt_rlimit_enforce");
	return kt_end();
}
