// SPDX-License-Identifier: MIT
/*
 * procfs_ns: /proc/PID/ns/pid and pid_for_children, and setns(2) with PID namespaces.
 * The links read "pid:[N]" (the initial namespace is 4026531836) and, followed, give the
 * namespace's inode: the same st_dev/st_ino for every process in it, a different one for
 * another namespace. pid_for_children is missing (ENOENT) after unshare until the new
 * namespace has its init, and for a zombie. setns with an open link: our next child goes
 * in that namespace (it is PID 2 there, its parent outside reads 0); only our own
 * namespace or one below it (EINVAL), only privileged (EPERM), only a namespace file of
 * the kind asked for (EINVAL), EBADF; a dead namespace kept by an open link takes no new
 * process (ENOMEM). Other users' links are EACCES. Namespace numbers other than the
 * initial one are compared, never printed. Runs as root.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>

#ifndef CLONE_NEWPID
#define CLONE_NEWPID 0x20000000
#endif
#ifndef CLONE_NEWNS
#define CLONE_NEWNS 0x00020000
#endif

#define INIT_PID_INO 4026531836ULL
#define INIT_PID_NAME "pid:[4026531836]"

static int do_setns(int fd, int nstype)
{
	return (int)syscall(SYS_setns, fd, nstype);
}

/* The link's text, or "" with errno set. */
static const char *link_text(const char *path)
{
	static char buf[128];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static unsigned long long ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (unsigned long long)st.st_ino;
}

static void own_links(void)
{
	struct stat st, st2;
	char path[64];

	CHECK_STR("self_pid_link", link_text("/proc/self/ns/pid"), INIT_PID_NAME);
	CHECK_STR("self_pid_for_children_link", link_text("/proc/self/ns/pid_for_children"),
		  INIT_PID_NAME);
	snprintf(path, sizeof(path), "/proc/self/task/%d/ns/pid", getpid());
	CHECK_STR("thread_pid_link", link_text(path), INIT_PID_NAME);
	CHECK_STR("init_pid_link", link_text("/proc/1/ns/pid"), INIT_PID_NAME);

	CHECK_SUCC("lstat_ns_dir", lstat("/proc/self/ns", &st));
	CHECK_EQ("ns_dir_mode", st.st_mode, S_IFDIR | 0511);
	CHECK_SUCC("lstat_pid_link", lstat("/proc/self/ns/pid", &st));
	CHECK_EQ("pid_link_mode", st.st_mode, S_IFLNK | 0777);

	CHECK_SUCC("stat_pid_link", stat("/proc/self/ns/pid", &st));
	CHECK_EQ("followed_mode", st.st_mode, S_IFREG | 0444);
	CHECK_EQ("followed_ino_is_init", st.st_ino, INIT_PID_INO);
	CHECK_EQ("followed_nlink", st.st_nlink, 1);
	CHECK_SUCC("stat_init_pid_link", stat("/proc/1/ns/pid", &st2));
	CHECK("same_ns_same_dev_ino", st.st_dev == st2.st_dev && st.st_ino == st2.st_ino);
	CHECK_SUCC("stat_pid_for_children", stat("/proc/self/ns/pid_for_children", &st2));
	CHECK("pid_for_children_same_dev_ino",
	      st.st_dev == st2.st_dev && st.st_ino == st2.st_ino);

	CHECK_ERR("missing_ns_name_enoent", lstat("/proc/self/ns/nope", &st), ENOENT);
	CHECK_ERR("trailing_slash_enotdir", stat("/proc/self/ns/pid/", &st), ENOTDIR);
	CHECK_ERR("through_link_enotdir", stat("/proc/self/ns/pid/x", &st), ENOTDIR);
	CHECK_ERR("open_nofollow_eloop", open("/proc/self/ns/pid", O_RDONLY | O_NOFOLLOW),
		  ELOOP);
	CHECK_ERR("create_in_ns_dir", open("/proc/self/ns/new", O_CREAT | O_WRONLY, 0600),
		  ENOENT);

	int fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	CHECK("open_pid_link", fd >= 0);
	CHECK_SUCC("fstat_ns_fd", fstat(fd, &st2));
	CHECK("fstat_is_the_ns", st.st_dev == st2.st_dev && st.st_ino == st2.st_ino);
	char c;
	CHECK_ERR("read_ns_fd_einval", read(fd, &c, 1), EINVAL);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	CHECK_STR("fd_link_names_ns", link_text(path), INIT_PID_NAME);

	/* Our own namespace: allowed, and a no-op. */
	CHECK_EQ("setns_own_ns_newpid", do_setns(fd, CLONE_NEWPID), 0);
	CHECK_EQ("setns_own_ns_any", do_setns(fd, 0), 0);
	CHECK_STR("pid_for_children_still_init",
		  link_text("/proc/self/ns/pid_for_children"), INIT_PID_NAME);
	CHECK_ERR("setns_wrong_type", do_setns(fd, CLONE_NEWNS), EINVAL);
	CHECK_ERR("setns_bad_flags", do_setns(fd, -1), EINVAL);
	CHECK_ERR("setns_negative_fd", do_setns(-1, 0), EBADF);
	CHECK_ERR("setns_closed_fd", do_setns(999, CLONE_NEWPID), EBADF);
	int dir = open("/proc/self/ns", O_RDONLY | O_DIRECTORY);
	CHECK_ERR("setns_ns_dir_einval", do_setns(dir, 0), EINVAL);
	close(dir);
	int p[2];
	pipe(p);
	CHECK_ERR("setns_pipe_einval", do_setns(p[0], CLONE_NEWPID), EINVAL);
	close(p[0]);
	close(p[1]);
	int devnull = open("/dev/null", O_RDONLY);
	CHECK_ERR("setns_file_einval", do_setns(devnull, 0), EINVAL);
	close(devnull);
	close(fd);
}

/* A zombie keeps its pid link; pid_for_children went with its namespaces. */
static void zombie_links(void)
{
	char path[64];
	siginfo_t si;
	pid_t z = kt_fork();

	if (z == 0)
		_exit(0);
	waitid(P_PID, z, &si, WEXITED | WNOWAIT);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", z);
	CHECK_STR("zombie_pid_link", link_text(path), INIT_PID_NAME);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid_for_children", z);
	CHECK_ERR("zombie_pid_for_children_enoent", readlink(path, (char[8]){ 0 }, 8), ENOENT);
	kt_wait(z);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", z);
	CHECK_ERR("reaped_pid_link_enoent", readlink(path, (char[8]){ 0 }, 8), ENOENT);
}

static int hold_pipe[2];	/* the new namespace's init lives until we close the write end */

/*
 * A child unshares a PID namespace and forks its init, which waits on hold_pipe; the
 * child reports the init's number (ours) through report.
 */
static pid_t make_namespace(pid_t *init_out)
{
	int report[2];
	pid_t a;

	pipe(report);
	a = kt_fork();
	if (a == 0) {
		char path[64], name[64];

		close(hold_pipe[1]);
		close(report[0]);
		CHECK_SUCC("unshare_newpid", unshare(CLONE_NEWPID));
		CHECK_ERR("unshared_pid_for_children_enoent",
			  readlink("/proc/self/ns/pid_for_children", (char[8]){ 0 }, 8), ENOENT);
		CHECK_ERR("unshared_pid_for_children_stat_enoent",
			  stat("/proc/self/ns/pid_for_children", &(struct stat){ 0 }), ENOENT);
		CHECK_STR("unshared_own_pid_unchanged", link_text("/proc/self/ns/pid"),
			  INIT_PID_NAME);
		pid_t g = fork();
		if (g == 0) {
			char c;

			while (read(hold_pipe[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		snprintf(name, sizeof(name), "%s", link_text("/proc/self/ns/pid_for_children"));
		CHECK("pid_for_children_now_new",
		      !strncmp(name, "pid:[", 5) && strcmp(name, INIT_PID_NAME) != 0);
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", g);
		CHECK_STR("new_init_pid_link_matches", link_text(path), name);
		CHECK("new_init_ino_matches",
		      ino_of(path) == ino_of("/proc/self/ns/pid_for_children") &&
			      ino_of(path) != INIT_PID_INO);
		snprintf(path, sizeof(path), "/proc/%d/ns/pid_for_children", g);
		CHECK_STR("new_init_pid_for_children", link_text(path), name);
		write(report[1], &g, sizeof(g));
		CHECK_WSTATUS("new_init_exit", kt_wait(g), "exit 0");
		kt_child_exit();
	}
	close(report[1]);
	*init_out = 0;
	read(report[0], init_out, sizeof(*init_out));
	close(report[0]);
	return a;
}

/* After setns into ns_fd: our child is PID 2 there (the init is 1). */
static void setns_child(int ns_fd, int init_fd, const char *name)
{
	CHECK_EQ("setns_into_child_ns", do_setns(ns_fd, CLONE_NEWPID), 0);
	CHECK_STR("setns_own_pid_unchanged", link_text("/proc/self/ns/pid"), INIT_PID_NAME);
	CHECK_STR("setns_pid_for_children", link_text("/proc/self/ns/pid_for_children"), name);
	/* A thread would be in our namespace, its siblings in another: refused. */
	CHECK_ERR("setns_then_thread_einval",
		  syscall(SYS_clone, CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, 0, 0, 0, 0), EINVAL);
	pid_t c = kt_fork();
	if (c == 0) {
		int r = (getpid() == 2) | (getppid() == 0) << 1 |
			(strcmp(link_text("/proc/self/ns/pid"), name) == 0) << 2 |
			/* up to the parent's namespace: never */
			(do_setns(init_fd, CLONE_NEWPID) == -1 && errno == EINVAL) << 3 |
			/* our own active one: fine */
			(do_setns(ns_fd, 0) == 0) << 4;
		_exit(r);
	}
	CHECK_WSTATUS("setns_child_in_ns", kt_wait(c), "exit 31");
	/* Back to where our children went before: our own namespace. */
	CHECK_EQ("setns_back_to_own", do_setns(init_fd, 0), 0);
	CHECK_STR("setns_back_pid_for_children", link_text("/proc/self/ns/pid_for_children"),
		  INIT_PID_NAME);
}

static void unprivileged(int ns_fd)
{
	if (setuid(1000)) {
		kt_fail("setuid", "errno %s", kt_errname(errno));
		return;
	}
	CHECK_ERR("setns_unprivileged_eperm", do_setns(ns_fd, CLONE_NEWPID), EPERM);
	CHECK_ERR("setns_unprivileged_wrong_type_einval", do_setns(ns_fd, CLONE_NEWNS), EINVAL);
	CHECK_ERR("other_user_readlink_eacces", readlink("/proc/1/ns/pid", (char[8]){ 0 }, 8),
		  EACCES);
	CHECK_ERR("other_user_stat_eacces", stat("/proc/1/ns/pid", &(struct stat){ 0 }), EACCES);
	CHECK_ERR("other_user_open_eacces", open("/proc/1/ns/pid", O_RDONLY), EACCES);
	CHECK_STR("own_link_unprivileged", link_text("/proc/self/ns/pid"), INIT_PID_NAME);
}

int main(void)
{
	kt_begin("procfs_ns", 60);
	own_links();
	zombie_links();

	pipe(hold_pipe);
	pid_t init_nr, a = make_namespace(&init_nr);
	char path[64], name[64];
	struct stat st, st_self;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", init_nr);
	snprintf(name, sizeof(name), "%s", link_text(path));
	int ns_fd = open(path, O_RDONLY | O_CLOEXEC);
	int init_fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	CHECK("open_new_ns_link", ns_fd >= 0 && init_fd >= 0);
	CHECK_SUCC("fstat_new_ns", fstat(ns_fd, &st));
	CHECK_SUCC("stat_own_ns", stat("/proc/self/ns/pid", &st_self));
	CHECK("new_ns_other_ino_same_dev", st.st_ino != st_self.st_ino && st.st_dev == st_self.st_dev);
	CHECK_EQ("new_ns_ino_is_link_ino", st.st_ino, ino_of(path));

	pid_t b = kt_fork();
	if (b == 0) {
		setns_child(ns_fd, init_fd, name);
		kt_child_exit();
	}
	CHECK_WSTATUS("setns_child_exit", kt_wait(b), "exit 0");
	b = kt_fork();
	if (b == 0) {
		unprivileged(ns_fd);
		kt_child_exit();
	}
	CHECK_WSTATUS("unprivileged_exit", kt_wait(b), "exit 0");

	/* The init exits: the namespace lives on in ns_fd, but takes nobody any more. */
	close(hold_pipe[1]);
	CHECK_WSTATUS("unshare_child_exit", kt_wait(a), "exit 0");
	CHECK_SUCC("fstat_dead_ns", fstat(ns_fd, &st_self));
	CHECK_EQ("dead_ns_same_ino", st_self.st_ino, st.st_ino);
	b = kt_fork();
	if (b == 0) {
		CHECK_EQ("setns_dead_ns", do_setns(ns_fd, CLONE_NEWPID), 0);
		CHECK_ERR("fork_into_dead_ns_enomem", fork(), ENOMEM);
		kt_child_exit();
	}
	CHECK_WSTATUS("dead_ns_child_exit", kt_wait(b), "exit 0");
	close(ns_fd);
	close(init_fd);
	return kt_end();
}
