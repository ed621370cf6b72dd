// SPDX-License-Identifier: MIT
/*
 * The process life cycle, driven from kernel threads: clone flags and their checks, thread
 * groups, exit statuses and wait4/waitid, zombies and reaping, reparenting to init or a
 * subreaper, vfork, de_thread's PID exchange, process groups and sessions, and that
 * nothing (tasks, PIDs, pages) is left behind. The tests run in PID 1 (kernel_init), so
 * the children they make are init's and orphans come to them.
 */
#include <kairos/completion.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>
#include <kairos/pid.h>
#include <kairos/signal.h>
#include <kairos/syscalls.h>
#include <kairos/time.h>
#include <uapi/prctl.h>
#include <uapi/sched.h>
#include <uapi/wait.h>

#include "user_mm.h"

/* A system call as user space makes it (x0..x4). */
static long sys(long (*fn)(const struct pt_regs *), u64 a0, u64 a1, u64 a2, u64 a3, u64 a4)
{
	struct pt_regs regs = { .regs = { a0, a1, a2, a3, a4 } };

	return fn(&regs);
}
#define SYS(name, a0, a1, a2, a3, a4) \
	sys(__arm64_sys_##name, (u64)(a0), (u64)(a1), (u64)(a2), (u64)(a3), (u64)(a4))

static long wait4(int pid, int __user *status, int options)
{
	return SYS(wait4, pid, status, options, 0, 0);
}

/* What a wait status says, for comparisons. */
#define EXITED(code)	((code) << 8)

/* The task with this PID now (NULL if none); it may go once the lock is dropped, unless
 * it is a child of ours we have not reaped. */
static struct task_struct *task_of(int pid)
{
	struct task_struct *p;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	p = find_task_by_vpid(pid);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return p;
}

static int exit_state_of(int pid)
{
	struct task_struct *p;
	unsigned long flags;
	int state = -1;

	spin_lock_irqsave(&tasklist_lock, flags);
	p = find_task_by_vpid(pid);
	if (p)
		state = p->exit_state;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return state;
}

/* A child that waits for go, then exits with code (a wait status). */
struct child_ctl {
	struct completion go;
	long code;
	int pid;			/* what the child saw of itself, or a PID it made */
	int pid2;
	bool ok;
};

static void ctl_init(struct child_ctl *c, long code)
{
	memset(c, 0, sizeof(*c));
	init_completion(&c->go);
	c->code = code;
}

static int wait_go_then_exit(void *arg)
{
	struct child_ctl *c = arg;

	wait_for_completion(&c->go);
	return c->code;
}

static int exit_now(void *arg)
{
	return (long)arg;
}

/* The number of tasks once those that other tests stopped have finished exiting. */
static int settled_nr_threads(void)
{
	int n = READ_ONCE(nr_threads);

	for (int i = 0; i < 100; i++) {
		msleep(10);
		if (n == READ_ONCE(nr_threads))
			break;
		n = READ_ONCE(nr_threads);
	}
	return n;
}

/* Nothing of ours left behind: no children, no tasks beyond those we started with. */
static void expect_no_children(struct ktest_ctx *t, int nr_before)
{
	KTEST_EXPECT(t, list_empty(&current->children));
	KTEST_EXPECT(t, WAIT_FOR(READ_ONCE(nr_threads) == nr_before));
}

KTEST(life_ids_of_init)
{
	KTEST_EXPECT_EQ(t, SYS(getpid, 0, 0, 0, 0, 0), 1);
	KTEST_EXPECT_EQ(t, SYS(gettid, 0, 0, 0, 0, 0), 1);
	KTEST_EXPECT_EQ(t, SYS(getppid, 0, 0, 0, 0, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(getuid, 0, 0, 0, 0, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(getpgid, 0, 0, 0, 0, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(getsid, 1, 0, 0, 0, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(getpgid, 99999, 0, 0, 0, 0), -ESRCH);
	KTEST_EXPECT(t, current->signal->flags & SIGNAL_UNKILLABLE);
	KTEST_EXPECT(t, init_pid_ns.child_reaper == current);
	KTEST_EXPECT_EQ(t, current->signal->rlim[RLIMIT_STACK].rlim_cur, 8UL << 20);
	KTEST_EXPECT_EQ(t, current->signal->rlim[RLIMIT_NOFILE].rlim_max, 4096);
	KTEST_EXPECT(t, current->signal->rlim[RLIMIT_NPROC].rlim_cur >= 10);
}

/* Flags Linux refuses, and those of what this kernel does not have: nothing is created. */
KTEST(life_clone_flags_einval)
{
	int before = settled_nr_threads();

	KTEST_EXPECT_EQ(t, kernel_thread(exit_now, NULL, CLONE_THREAD | SIGCHLD), -EINVAL);
	KTEST_EXPECT_EQ(t, kernel_thread(exit_now, NULL, CLONE_FS | CLONE_NEWNS), -EINVAL);
	KTEST_EXPECT_EQ(t, kernel_thread(exit_now, NULL, CLONE_FS | CLONE_NEWUSER), -EINVAL);
	/* A thread cannot be in another PID namespace than its group. */
	KTEST_EXPECT_EQ(t, kernel_thread(exit_now, NULL, CLONE_NEWPID | CLONE_THREAD |
					 CLONE_SIGHAND), -EINVAL);
	KTEST_EXPECT_EQ(t, kernel_thread(exit_now, NULL, CLONE_PIDFD | SIGCHLD), -EINVAL);
	/* Init's siblings would have no parent to reap them. */
	KTEST_EXPECT_EQ(t, kernel_thread(exit_now, NULL, CLONE_PARENT | SIGCHLD), -EINVAL);
	/* clone(2) itself: handlers without the memory they point into. */
	KTEST_EXPECT_EQ(t, SYS(clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(clone, CLONE_VM | CLONE_THREAD, 0, 0, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, READ_ONCE(nr_threads), before);
	KTEST_EXPECT(t, list_empty(&current->children));
}

/* clone3's struct checks, with the struct in user memory; none of these creates a task. */
KTEST(life_clone3_args)
{
	struct mm_struct *mm = enter_new_mm();
	int before = settled_nr_threads();
	struct clone_args ca = { .exit_signal = SIGCHLD };
	unsigned long a;
	u8 one = 1;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	a = umap(0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, 0);
#define CLONE3(args, size) ({						\
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), (args), sizeof(*(args))), 0);	\
	SYS(clone3, a, (size), 0, 0, 0);					\
})
	KTEST_EXPECT_EQ(t, SYS(clone3, a, PAGE_SIZE + 1, 0, 0, 0), -E2BIG);
	KTEST_EXPECT_EQ(t, SYS(clone3, a, 63, 0, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(clone3, 0, 64, 0, 0, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, SYS(clone3, a + 2 * PAGE_SIZE - 32, 64, 0, 0, 0), -EFAULT);
	/* A longer struct with a non-zero field we do not know. */
	ca.flags = CLONE_SIGHAND;		/* would be EINVAL: E2BIG comes first */
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a + 95), &one, 1), 0);
	KTEST_EXPECT_EQ(t, CLONE3(&ca, 96), -E2BIG);
	KTEST_EXPECT_EQ(t, CLONE3(&ca, 88), -EINVAL);
	ca.flags = SIGCHLD;			/* CSIGNAL bits are not flags in clone3 */
	KTEST_EXPECT_EQ(t, CLONE3(&ca, 64), -EINVAL);
	ca.flags = 1ULL << 40;
	KTEST_EXPECT_EQ(t, CLONE3(&ca, 64), -EINVAL);
	ca.flags = CLONE_DETACHED;
	KTEST_EXPECT_EQ(t, CLONE3(&ca, 64), -EINVAL);
	ca.flags = CLONE_PARENT;		/* with an exit signal */
	KTEST_EXPECT_EQ(t, CLONE3(&ca, 64), -EINVAL);
	ca.flags = CLONE_VM | CLONE_SIGHAND | CLONE_CLEAR_SIGHAND;
	KTEST_EXPECT_EQ(t, CLONE3(&ca, 88), -EINVAL);
	ca.flags = 0;
	ca.exit_signal = 65;
	KTEST_EXPECT_EQ(t, CLONE3(&ca, 64), -EINVAL);
	ca.exit_signal = 0x111;
	KTEST_EXPECT_EQ(t, CLONE3(&ca, 64), -EINVAL);
	ca.exit_signal = SIGCHLD;
	ca.stack = a;
	KTEST_EXPECT_EQ(t, CLONE3(&ca, 64), -EINVAL);	/* a stack without a size */
	ca.stack = 0;
	ca.stack_size = PAGE_SIZE;
	KTEST_EXPECT_EQ(t, CLONE3(&ca, 64), -EINVAL);	/* a size without a stack */
	ca.stack_size = 0;
	ca.set_tid_size = 1;
	KTEST_EXPECT_EQ(t, CLONE3(&ca, 80), -EINVAL);	/* a count without the array */
	ca.set_tid = 8;				/* ... and an array in no memory */
	KTEST_EXPECT_EQ(t, CLONE3(&ca, 80), -EFAULT);
#undef CLONE3
	KTEST_EXPECT_EQ(t, READ_ONCE(nr_threads), before);
	leave_mm(mm);
}

/* Exit statuses, WNOHANG, WNOWAIT, waitid's siginfo, and clone children (__WCLONE). */
KTEST(life_wait_status)
{
	struct mm_struct *mm = enter_new_mm();
	int before = settled_nr_threads();
	static struct child_ctl c;
	unsigned long a;
	siginfo_t __user *info;
	int __user *status;
	int pid, v;

	KTEST_EXPECT(t, mm != NULL);
	if (!mm)
		return;
	a = umap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, 0);
	status = uptr(a);
	info = uptr(a + 64);

	KTEST_EXPECT_EQ(t, wait4(-1, NULL, WNOHANG), -ECHILD);
	KTEST_EXPECT_EQ(t, wait4(-1, NULL, WEXITED), -EINVAL);	/* wait4 has no WEXITED */
	KTEST_EXPECT_EQ(t, SYS(waitid, P_ALL, 0, 0, WNOHANG, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(waitid, P_PID, 0, 0, WEXITED, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(waitid, 7, 0, 0, WEXITED, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(waitid, P_PIDFD, 3, 0, WEXITED, 0), -EBADF);

	ctl_init(&c, EXITED(3));
	pid = kernel_thread(wait_go_then_exit, &c, SIGCHLD);
	KTEST_EXPECT(t, pid > 1);
	KTEST_EXPECT_EQ(t, wait4(pid, status, WNOHANG), 0);
	/* waitid's WNOHANG with nothing to report: zeros. */
	KTEST_EXPECT_EQ(t, SYS(waitid, P_PID, pid, info, WEXITED | WNOHANG, 0), 0);
	KTEST_EXPECT(t, !get_user(v, &info->si_pid) && v == 0);
	complete(&c.go);
	/* WNOWAIT leaves it to be reaped again. */
	KTEST_EXPECT_EQ(t, SYS(waitid, P_PID, pid, info, WEXITED | WNOWAIT, 0), 0);
	KTEST_EXPECT(t, !get_user(v, &info->si_signo) && v == SIGCHLD);
	KTEST_EXPECT(t, !get_user(v, &info->si_code) && v == CLD_EXITED);
	KTEST_EXPECT(t, !get_user(v, &info->si_status) && v == 3);
	KTEST_EXPECT(t, !get_user(v, &info->si_pid) && v == pid);
	KTEST_EXPECT_EQ(t, exit_state_of(pid), EXIT_ZOMBIE);
	KTEST_EXPECT_EQ(t, wait4(pid, status, 0), pid);
	KTEST_EXPECT(t, !get_user(v, status) && v == EXITED(3));
	KTEST_EXPECT(t, task_of(pid) == NULL);		/* reaped: the PID is gone */
	KTEST_EXPECT_EQ(t, wait4(pid, status, 0), -ECHILD);

	/* A killed status comes through waitid as CLD_KILLED. */
	pid = kernel_thread(exit_now, (void *)SIGKILL, SIGCHLD);
	KTEST_EXPECT_EQ(t, SYS(waitid, P_ALL, 0, info, WEXITED, 0), 0);
	KTEST_EXPECT(t, !get_user(v, &info->si_code) && v == CLD_KILLED);
	KTEST_EXPECT(t, !get_user(v, &info->si_status) && v == SIGKILL);
	KTEST_EXPECT(t, !get_user(v, &info->si_pid) && v == pid);

	/* A clone child (no exit signal) is seen only with __WCLONE or __WALL. */
	ctl_init(&c, EXITED(4));
	pid = kernel_thread(wait_go_then_exit, &c, 0);
	KTEST_EXPECT_EQ(t, wait4(pid, status, WNOHANG), -ECHILD);
	KTEST_EXPECT_EQ(t, wait4(pid, status, __WCLONE | WNOHANG), 0);
	complete(&c.go);
	KTEST_EXPECT_EQ(t, wait4(-1, status, __WALL), pid);
	KTEST_EXPECT(t, !get_user(v, status) && v == EXITED(4));

	/* A bad status pointer: the child is still reaped, the call says EFAULT. */
	pid = kernel_thread(exit_now, NULL, SIGCHLD);
	KTEST_EXPECT_EQ(t, wait4(pid, uptr(8), 0), -EFAULT);
	KTEST_EXPECT(t, task_of(pid) == NULL);
	expect_no_children(t, before);
	leave_mm(mm);
}

/* A thread group: same tgid, not waitable itself; a leader that exits first stays a
 * zombie until its last thread goes, whose code the parent then sees. */
static int thread_fn(void *arg)
{
	struct child_ctl *c = arg;

	c->pid2 = current->pid;
	wait_for_completion(&c->go);
	return EXITED(5);
}

static int leader_fn(void *arg)
{
	struct child_ctl *c = arg;
	struct task_struct *me = current;
	int tid = kernel_thread(thread_fn, c, CLONE_THREAD | CLONE_SIGHAND | CLONE_FS |
				CLONE_FILES);
	struct task_struct *th = task_of(tid);

	c->ok = tid > 0 && th && th->tgid == me->pid && th->group_leader == me &&
		th->exit_signal == -1 && th->signal == me->signal &&
		th->sighand == me->sighand && me->signal->nr_threads == 2 &&
		atomic_read(&me->signal->live) == 2 && th->real_parent == me->real_parent;
	c->pid = tid;
	return EXITED(3);
}

KTEST(life_thread_group)
{
	int before = settled_nr_threads(), pid, status = 0;
	static struct child_ctl c;

	ctl_init(&c, 0);
	pid = kernel_thread(leader_fn, &c, SIGCHLD);
	KTEST_EXPECT(t, pid > 0);
	KTEST_EXPECT(t, WAIT_FOR(exit_state_of(pid) == EXIT_ZOMBIE));
	KTEST_EXPECT(t, c.ok);
	/* The thread runs: nothing to reap; the thread itself is no child of ours. */
	KTEST_EXPECT_EQ(t, wait4(pid, NULL, WNOHANG), 0);
	KTEST_EXPECT_EQ(t, wait4(c.pid, NULL, __WALL | WNOHANG), -ECHILD);
	KTEST_EXPECT_EQ(t, SYS(getpgid, c.pid, 0, 0, 0, 0), 0);
	complete(&c.go);
	/* The parent's status is not a kernel copy: read it back through kernel memory. */
	{
		struct mm_struct *mm = enter_new_mm();
		unsigned long a = umap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, 0);

		KTEST_EXPECT_EQ(t, wait4(pid, uptr(a), 0), pid);
		KTEST_EXPECT(t, !get_user(status, (int __user *)uptr(a)));
		leave_mm(mm);
	}
	KTEST_EXPECT_EQ(t, status, EXITED(5));
	KTEST_EXPECT(t, task_of(c.pid2) == NULL);
	expect_no_children(t, before);
}

/* A parent that dies hands its children to init (us); a subreaper catches them first. */
static int middle_fn(void *arg)
{
	struct child_ctl *c = arg;

	c->pid = kernel_thread(wait_go_then_exit, c, SIGCHLD);
	return 0;
}

KTEST(life_reparent_to_init)
{
	int before = settled_nr_threads(), a, status;
	static struct child_ctl c;
	struct task_struct *b;

	ctl_init(&c, EXITED(9));
	a = kernel_thread(middle_fn, &c, SIGCHLD);
	KTEST_EXPECT_EQ(t, wait4(a, NULL, 0), a);
	b = task_of(c.pid);
	KTEST_EXPECT(t, b && b->real_parent == current && b->parent == current);
	KTEST_EXPECT(t, b && b->exit_signal == SIGCHLD);
	complete(&c.go);
	{
		struct mm_struct *mm = enter_new_mm();
		unsigned long u = umap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, 0);

		KTEST_EXPECT_EQ(t, wait4(-1, uptr(u), 0), c.pid);
		KTEST_EXPECT(t, !get_user(status, (int __user *)uptr(u)) &&
			     status == EXITED(9));
		leave_mm(mm);
	}
	expect_no_children(t, before);
}

struct subreaper_ctl {
	struct child_ctl inner;
	int a, b;
	bool adopted, reaped_b, not_inherited;
};

static int subreaper_fn(void *arg)
{
	struct subreaper_ctl *s = arg;

	if (SYS(prctl, PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
		return EXITED(1);
	s->a = kernel_thread(middle_fn, &s->inner, SIGCHLD);
	if (wait4(s->a, NULL, 0) != s->a)
		return EXITED(2);
	s->b = s->inner.pid;
	s->adopted = task_of(s->b) && task_of(s->b)->real_parent == current;
	s->not_inherited = task_of(s->b) && !task_of(s->b)->signal->is_child_subreaper &&
			   task_of(s->b)->signal->has_child_subreaper;
	complete(&s->inner.go);
	s->reaped_b = wait4(-1, NULL, 0) == s->b;
	return wait4(-1, NULL, WNOHANG) == -ECHILD ? 0 : EXITED(3);
}

KTEST(life_subreaper)
{
	int before = settled_nr_threads(), s;
	static struct subreaper_ctl c;

	memset(&c, 0, sizeof(c));
	ctl_init(&c.inner, 0);
	s = kernel_thread(subreaper_fn, &c, SIGCHLD);
	KTEST_EXPECT_EQ(t, wait4(s, NULL, 0), s);
	KTEST_EXPECT(t, c.adopted);
	KTEST_EXPECT(t, c.not_inherited);
	KTEST_EXPECT(t, c.reaped_b);
	expect_no_children(t, before);
}

/* vfork: the parent waits until the child is gone; so does a parent of a vfork child
 * that exits at once. */
static int vfork_child(void *arg)
{
	struct child_ctl *c = arg;

	msleep(20);
	WRITE_ONCE(c->ok, true);
	return EXITED(6);
}

KTEST(life_vfork)
{
	int before = settled_nr_threads(), pid;
	static struct child_ctl c;

	ctl_init(&c, 0);
	pid = kernel_thread(vfork_child, &c, CLONE_VFORK | SIGCHLD);
	KTEST_EXPECT(t, pid > 0);
	KTEST_EXPECT(t, READ_ONCE(c.ok));
	KTEST_EXPECT_EQ(t, wait4(pid, NULL, 0), pid);
	for (int i = 0; i < 20; i++) {
		pid = kernel_thread(exit_now, NULL, CLONE_VFORK | SIGCHLD);
		KTEST_EXPECT_EQ(t, wait4(pid, NULL, 0), pid);
	}
	expect_no_children(t, before);
}

/* exec in a thread that is not the leader: the leader is killed and the thread takes its
 * PID; the parent reaps the process under that PID, with the thread's status. */
struct de_thread_ctl {
	struct completion go;
	int leader_pid, thread_pid, result, new_pid;
	bool leader_released;
};

static int exec_thread_fn(void *arg)
{
	struct de_thread_ctl *c = arg;

	c->thread_pid = current->pid;
	wait_for_completion(&c->go);
	c->result = de_thread(current);
	c->new_pid = current->pid;
	c->leader_released = current->group_leader == current && thread_group_empty(current);
	return EXITED(7);
}

static int doomed_leader_fn(void *arg)
{
	struct de_thread_ctl *c = arg;

	if (kernel_thread(exec_thread_fn, c, CLONE_THREAD | CLONE_SIGHAND | CLONE_FS |
			  CLONE_FILES) < 0)
		return EXITED(1);
	/* zap_other_threads' SIGKILL; a kernel thread looks for it itself. */
	while (!sigismember(&current->pending.signal, SIGKILL))
		msleep(1);
	return SIGKILL;
}

KTEST(life_de_thread)
{
	int before = settled_nr_threads(), pid, status;
	static struct de_thread_ctl c;

	memset(&c, 0, sizeof(c));
	init_completion(&c.go);
	pid = kernel_thread(doomed_leader_fn, &c, SIGCHLD);
	c.leader_pid = pid;
	KTEST_EXPECT(t, WAIT_FOR(READ_ONCE(c.thread_pid) != 0));
	complete(&c.go);
	{
		struct mm_struct *mm = enter_new_mm();
		unsigned long u = umap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, 0);

		KTEST_EXPECT_EQ(t, wait4(pid, uptr(u), 0), pid);
		KTEST_EXPECT(t, !get_user(status, (int __user *)uptr(u)) &&
			     status == EXITED(7));
		leave_mm(mm);
	}
	KTEST_EXPECT_EQ(t, c.result, 0);
	KTEST_EXPECT_EQ(t, c.new_pid, pid);
	KTEST_EXPECT(t, c.leader_released);
	KTEST_EXPECT(t, task_of(c.thread_pid) == NULL);
	expect_no_children(t, before);
}

/* setpgid's and setsid's rules, and a number that names a process group stays taken. */
static int setsid_fn(void *arg)
{
	struct child_ctl *c = arg;

	c->pid = SYS(setsid, 0, 0, 0, 0, 0);
	c->pid2 = SYS(setsid, 0, 0, 0, 0, 0);		/* already a leader */
	/* A child in our new group, which outlives us. */
	c->ok = kernel_thread(wait_go_then_exit, c, SIGCHLD) > 0;
	return 0;
}

KTEST(life_pgrp_session)
{
	int before = settled_nr_threads(), pid;
	static struct child_ctl c, d;
	unsigned long flags;
	struct task_struct *p;
	struct pid *np;

	ctl_init(&c, 0);
	pid = kernel_thread(wait_go_then_exit, &c, SIGCHLD);
	KTEST_EXPECT_EQ(t, SYS(setpgid, pid, -1, 0, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(setpgid, 99999, 0, 0, 0, 0), -ESRCH);
	KTEST_EXPECT_EQ(t, SYS(setpgid, pid, 99999, 0, 0, 0), -EPERM);	/* no such group */
	KTEST_EXPECT_EQ(t, SYS(setpgid, pid, 0, 0, 0, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(getpgid, pid, 0, 0, 0, 0), pid);
	KTEST_EXPECT_EQ(t, SYS(getsid, pid, 0, 0, 0, 0), 0);
	/* After its exec, a child's group is its own business. */
	p = task_of(pid);
	p->flags &= ~PF_FORKNOEXEC;
	KTEST_EXPECT_EQ(t, SYS(setpgid, pid, 0, 0, 0, 0), -EACCES);
	complete(&c.go);
	KTEST_EXPECT_EQ(t, wait4(pid, NULL, 0), pid);
	/* Not our child. */
	KTEST_EXPECT_EQ(t, SYS(setpgid, 2, 0, 0, 0, 0), -ESRCH);

	ctl_init(&d, 0);
	pid = kernel_thread(setsid_fn, &d, SIGCHLD);
	KTEST_EXPECT_EQ(t, wait4(pid, NULL, 0), pid);
	KTEST_EXPECT_EQ(t, d.pid, pid);
	KTEST_EXPECT_EQ(t, d.pid2, -EPERM);
	KTEST_EXPECT(t, d.ok);
	/* Its child, now ours, is in the session and group named after the dead leader:
	 * that number is not handed out again while they exist. */
	p = list_first_entry(&current->children, struct task_struct, sibling);
	KTEST_EXPECT(t, !list_empty(&current->children));
	KTEST_EXPECT_EQ(t, SYS(getsid, p->pid, 0, 0, 0, 0), pid);
	KTEST_EXPECT_EQ(t, SYS(getpgid, p->pid, 0, 0, 0, 0), pid);
	KTEST_EXPECT(t, !p->signal->leader);
	KTEST_EXPECT_EQ(t, SYS(setpgid, p->pid, 0, 0, 0, 0), -EPERM);	/* other session */
	np = alloc_pid(&init_pid_ns, &pid, 1);
	if (!IS_ERR(np)) {
		spin_lock_irqsave(&tasklist_lock, flags);
		free_pid(np);
		spin_unlock_irqrestore(&tasklist_lock, flags);
	}
	KTEST_EXPECT_EQ(t, PTR_ERR(np), -EEXIST);
	/* Nor does the cyclic search hand it out when it comes by. */
	spin_lock_irqsave(&tasklist_lock, flags);
	init_pid_ns.last_pid = pid - 1;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	np = alloc_pid(&init_pid_ns, NULL, 0);
	KTEST_EXPECT(t, !IS_ERR(np) && pid_nr(np) != pid);
	if (!IS_ERR(np)) {
		spin_lock_irqsave(&tasklist_lock, flags);
		free_pid(np);
		spin_unlock_irqrestore(&tasklist_lock, flags);
	}
	pid = p->pid;
	complete(&d.go);
	KTEST_EXPECT_EQ(t, wait4(-1, NULL, 0), pid);
	expect_no_children(t, before);
}

/* Kernel threads reap themselves (kthreadd ignores SIGCHLD), and a round of forks and
 * exits gives back every PID, task and page. */
static int spawn_round(int n)
{
	int pids[16], ok = 0;

	for (int i = 0; i < n; i++) {
		struct task_struct *k = kthread_create(exit_now, NULL, "ktest_life/%d", i);

		pids[i] = 0;
		if (!IS_ERR(k)) {
			pids[i] = k->pid;	/* before it can run, end and be freed */
			wake_up_process(k);
		}
	}
	for (int i = 0; i < n; i++)
		ok += pids[i] && WAIT_FOR(task_of(pids[i]) == NULL);
	for (int i = 0; i < n; i++) {
		pids[i] = kernel_thread(exit_now, (void *)(long)EXITED(i), SIGCHLD);
		ok += pids[i] > 0 && wait4(pids[i], NULL, 0) == pids[i];
	}
	return ok;
}

KTEST(life_no_leaks)
{
	int before = settled_nr_threads();
	unsigned long pages;

	KTEST_EXPECT_EQ(t, spawn_round(16), 32);	/* warms the caches */
	KTEST_EXPECT_EQ(t, settled_nr_threads(), before);
	pages = settled_pages();
	KTEST_EXPECT_EQ(t, spawn_round(16), 32);
	KTEST_EXPECT(t, WAIT_FOR(READ_ONCE(nr_threads) == before));
	KTEST_EXPECT_EQ(t, settled_pages(), pages);
	expect_no_children(t, before);
}
