/* SPDX-License-Identifier: MIT */
/*
 * Signals, the kernel's side (kernel/signal.c, arch/arm64/kernel/signal.c). The seed's
 * "Process and Thread" shapes: each task has its private pending set and blocked mask;
 * a thread group shares signal_struct (the shared pending set, group exit and stop,
 * rlimits, job-control identity) and sighand_struct (the handlers and the siglock).
 *
 * Locking: sighand->siglock (IRQ-safe) protects pending sets, blocked masks, handlers,
 * and signal_struct's group state. tasklist_lock is taken before siglock. The senders
 * (send_sig_info, group_send_sig_info, do_notify_parent) take no lock but siglock: exit
 * calls them with tasklist_lock held. A task's sighand is NULL once it is released.
 */
#ifndef KAIROS_SIGNAL_H
#define KAIROS_SIGNAL_H

#include <kairos/atomic.h>
#include <kairos/bitmap.h>
#include <kairos/hrtimer.h>
#include <kairos/sched.h>
#include <kairos/signal_types.h>
#include <kairos/spinlock.h>
#include <kairos/wait.h>
#include <uapi/resource.h>
#include <uapi/signal.h>

/* Unsigned: a negative int signal number is invalid too. */
static inline bool valid_signal(unsigned long sig)
{
	return sig <= _NSIG;
}

/* Set operations beyond signal_types.h's (the kernel's sigset has one word). */
static inline void siginitset(sigset_t *set, unsigned long mask)
{
	set->sig[0] = mask;
}

static inline void sigdelsetmask(sigset_t *set, unsigned long mask)
{
	set->sig[0] &= ~mask;
}

static inline void sigorsets(sigset_t *r, const sigset_t *a, const sigset_t *b)
{
	r->sig[0] = a->sig[0] | b->sig[0];
}

static inline void sigandsets(sigset_t *r, const sigset_t *a, const sigset_t *b)
{
	r->sig[0] = a->sig[0] & b->sig[0];
}

/* r = a & ~b */
static inline void sigandnsets(sigset_t *r, const sigset_t *a, const sigset_t *b)
{
	r->sig[0] = a->sig[0] & ~b->sig[0];
}

static inline void signotset(sigset_t *set)
{
	set->sig[0] = ~set->sig[0];
}

static inline bool sigequalsets(const sigset_t *a, const sigset_t *b)
{
	return a->sig[0] == b->sig[0];
}

/* One queued signal with its siginfo (real-time signals queue; others coalesce). */
struct sigqueue {
	struct list_head list;
	siginfo_t info;
	struct user_struct *user;	/* charged for RLIMIT_SIGPENDING; a reference */
};

struct k_sigaction {
	struct sigaction sa;
};

/* The handlers, shared by CLONE_SIGHAND. */
struct sighand_struct {
	atomic_t count;
	spinlock_t siglock;
	struct k_sigaction action[_NSIG];
};

/*
 * signal_struct->flags. What wait sees of job control, as in Linux: a completed group
 * stop sets SIGNAL_STOP_STOPPED with group_exit_code = the stop signal, until a waiter
 * with WUNTRACED/WSTOPPED collects it (and zeroes group_exit_code unless WNOWAIT);
 * SIGCONT clears STOPPED and sets SIGNAL_STOP_CONTINUED until a WCONTINUED waiter
 * collects that. Both under siglock.
 */
#define SIGNAL_STOP_STOPPED	0x00000001	/* the group is stopped */
#define SIGNAL_STOP_CONTINUED	0x00000002	/* SIGCONT since the last wait */
#define SIGNAL_GROUP_EXIT	0x00000004	/* exit_group or a fatal signal */
#define SIGNAL_CLD_STOPPED	0x00000010	/* to tell the parent: stopped */
#define SIGNAL_CLD_CONTINUED	0x00000020	/* to tell the parent: continued */
#define SIGNAL_UNKILLABLE	0x00000040	/* init: only signals it handles reach it */
#define SIGNAL_CLD_MASK		(SIGNAL_CLD_STOPPED | SIGNAL_CLD_CONTINUED)
#define SIGNAL_STOP_MASK	(SIGNAL_CLD_MASK | SIGNAL_STOP_STOPPED | SIGNAL_STOP_CONTINUED)

struct tty_struct;

/* A CPU-time interval timer: the group CPU time it fires at (0: off), its period. */
struct cpu_itimer {
	u64 expires;
	u64 incr;
};

/* What a thread group shares (CLONE_THREAD): see the seed's signal_struct. */
struct signal_struct {
	atomic_t sigcnt;		/* references: freed with the last one */
	atomic_t live;			/* threads not yet exiting */
	int nr_threads;
	struct list_head thread_head;	/* the group's tasks, by task->thread_node */
	wait_queue_head_t wait_chldexit;	/* wait4/waitid sleep here */
	struct task_struct *curr_target;	/* next thread tried for a group signal */
	struct sigpending shared_pending;
	int group_exit_code;
	/* exec in a multithreaded group: the thread waiting for the others to die */
	struct task_struct *group_exec_task;
	int notify_count;
	int group_stop_count;
	unsigned int flags;		/* SIGNAL_* */
	unsigned int is_child_subreaper : 1;
	unsigned int has_child_subreaper : 1;

	/* The group's identities: pids[PIDTYPE_TGID], the process group (PGID) and the
	 * session (SID); the leader is attached to each (kernel/pid.c). NULL once the group
	 * is released. tasklist_lock guards them and leader. */
	struct pid *pids[PIDTYPE_MAX];
	int leader;			/* session leader (setsid) */
	struct tty_struct *tty;		/* controlling terminal, or NULL */

	/* Accounting of dead threads and reaped children (ns / counts). */
	u64 utime, stime, cutime, cstime;
	u64 sum_sched_runtime;		/* dead threads' se.sum_exec_runtime */
	struct prev_cputime prev_cputime;	/* as reported (thread_group_cputime_adjusted) */

	/* Interval timers (kernel/time/itimer.c); itimer_mutex guards the settings. */
	struct hrtimer real_timer;	/* ITIMER_REAL: SIGALRM to the group */
	u64 it_real_incr;		/* its interval, ns; 0: one-shot */
	struct cpu_itimer it[2];	/* by CPUCLOCK_PROF / _VIRT; siglock */
	unsigned long nvcsw, nivcsw, cnvcsw, cnivcsw;
	unsigned long min_flt, maj_flt, cmin_flt, cmaj_flt;
	/* Resident-set peaks in pages: of the mms the group left (exit, exec), and the
	 * largest of a reaped child's (its own or its children's); siglock. */
	unsigned long maxrss, cmaxrss;
	/* Released threads' I/O counts and reaped children's; siglock. */
	struct task_io_accounting ioac;

	struct rlimit rlim[RLIM_NLIMITS];	/* siglock */
};

/* task->jobctl */
#define JOBCTL_STOP_SIGMASK	0xffff		/* the signal of the last group stop */
#define JOBCTL_STOP_DEQUEUED	(1UL << 16)	/* a stop signal was dequeued */
#define JOBCTL_STOP_PENDING	(1UL << 17)	/* this thread must take part in a group stop */
#define JOBCTL_STOP_CONSUME	(1UL << 18)	/* ... and count itself in group_stop_count */
#define JOBCTL_PENDING_MASK	JOBCTL_STOP_PENDING

struct task_struct;
struct pt_regs;
struct restart_block;

/* A signal chosen for delivery (get_signal), with its action. */
struct ksignal {
	struct k_sigaction ka;
	siginfo_t info;
	int sig;
};

/* The thread group, as Linux's sched/signal.h has it; tasklist_lock or siglock held. */
static inline bool thread_group_leader(const struct task_struct *p)
{
	return p->group_leader == p;
}

/* PID 1 of the root PID namespace: init. */
static inline bool is_global_init(const struct task_struct *p)
{
	return p->tgid == 1;
}

static inline bool same_thread_group(const struct task_struct *a, const struct task_struct *b)
{
	return a->signal == b->signal;
}

static inline bool thread_group_empty(const struct task_struct *p)
{
	return list_is_singular(&p->signal->thread_head);
}

/* The thread after p in its group, wrapping around. */
static inline struct task_struct *next_thread(const struct task_struct *p)
{
	struct list_head *n = p->thread_node.next;

	if (n == &p->signal->thread_head)
		n = n->next;
	return list_entry(n, struct task_struct, thread_node);
}

#define for_each_thread(p, t) \
	list_for_each_entry(t, &(p)->signal->thread_head, thread_node)
/* t = p; do { ... } while_each_thread(p, t): every thread, p first. */
#define while_each_thread(p, t)	while ((t = next_thread(t)) != (p))
/* Every thread group, by its leader (the task list holds leaders only). */
#define for_each_process(p) \
	list_for_each_entry(p, &init_task.tasks, tasks)

/* The info argument of the senders: from current (kill) or from the kernel. */
#define SEND_SIG_NOINFO		((siginfo_t *)0)
#define SEND_SIG_PRIV		((siginfo_t *)1)

/* Send sig to p's thread group, preferring p (no permission check). 0 or -errno. */
int send_sig_info(int sig, siginfo_t *info, struct task_struct *p);
/* To a whole thread group, checking permission: kill(2)'s core. sig 0 only checks. */
int group_send_sig_info(int sig, siginfo_t *info, struct task_struct *p);
/* To the thread group of the task with PID pid in the caller's namespace: -ESRCH if
 * none. */
int kill_pid_info(int sig, siginfo_t *info, int pid);
/* To every process in process group pgrp (kill(-pgrp)); priv: from the kernel, no
 * permission checks. */
int kill_pgrp(struct pid *pgrp, int sig, int priv);
/* From the kernel to current, not blockable or ignorable (faults): SIGSEGV etc. */
void force_sig(int sig);
void force_sig_fault(int sig, int code, void __user *addr);
/* A handler's frame could not be set up for sig: SIGSEGV, by default action if sig
 * was SIGSEGV itself. */
void force_sigsegv(int sig);
/* A signal that kills current whatever its handlers (exec failing past its point of no
 * return). */
void force_fatal_sig(int sig);
/* SIGKILL to one task from the kernel. */
void force_sigkill(struct task_struct *p);
/* fork of a thread while its group is stopping or stopped: the new thread takes part
 * in the group stop. siglock held. */
void task_join_group_stop(struct task_struct *task);
/* SIGKILL to every other thread of p's group (exit_group, exec); siglock held.
 * Returns how many there are. */
int zap_other_threads(struct task_struct *p);
/*
 * POSIX's orphaned process groups: no member has a parent in another group of the same
 * session (ignored_task, if not NULL, counts as gone). Job-control stop signals do
 * nothing to them. tasklist_lock held, or taken by is_current_pgrp_orphaned.
 */
bool will_become_orphaned_pgrp(struct pid *pgrp, struct task_struct *ignored_task);
bool is_current_pgrp_orphaned(void);

/* Tell tsk's parent that tsk died (exit_notify). True if tsk should be reaped at once
 * (the parent ignores SIGCHLD or set SA_NOCLDWAIT). tasklist_lock held. */
bool do_notify_parent(struct task_struct *tsk, int sig);
/* Wake the tasks of parent's group sleeping in wait4/waitid for p: exit and job-control
 * notifications (kernel/exit.c). */
void __wake_up_parent(struct task_struct *p, struct task_struct *parent);

/* Recompute TIF_SIGPENDING for current; siglock held. */
void recalc_sigpending(void);
/* Wake t for a signal: interruptible sleeps end; fatal also ends killable ones and
 * stops. siglock held. */
void signal_wake_up(struct task_struct *t, bool fatal);
/* Dequeue the next deliverable signal, doing default actions (stop, exit) itself.
 * True with ksig filled if a handler must run. */
bool get_signal(struct ksignal *ksig);
/* After a handler frame was set up (failed: it could not be): block its mask. */
void signal_setup_done(int failed, struct ksignal *ksig);

/* The blocked mask of current (KILL and STOP are never blocked). */
void set_current_blocked(sigset_t *newset);
void __set_current_blocked(const sigset_t *newset);

/*
 * A temporary mask for a sleep (ppoll, pselect6, epoll_pwait): set_user_sigmask saves
 * the old one and installs *umask (NULL: no change). On the way out, call
 * restore_saved_sigmask_unless(interrupted): with -EINTR the old mask comes back only
 * after the signal's handler was set up (rt_sigsuspend's rule), so the signal that
 * interrupted is delivered under the temporary mask.
 */
int set_user_sigmask(const sigset_t __user *umask, size_t sigsetsize);
void restore_saved_sigmask(void);
void restore_saved_sigmask_unless(bool interrupted);

static inline void set_restore_sigmask(void)
{
	set_bit(TIF_RESTORE_SIGMASK, &current->thread_info.flags);
}

/* The mask a handler's frame saves: the one to restore after the sleep, if any. */
static inline sigset_t *sigmask_to_save(void)
{
	if (test_bit(TIF_RESTORE_SIGMASK, &current->thread_info.flags))
		return &current->saved_sigmask;
	return &current->blocked;
}

/* siginfo to user space: every byte defined. 0 or -EFAULT. */
int copy_siginfo_to_user(siginfo_t __user *to, const siginfo_t *from);

/* The alternate signal stack (sigaltstack) seen from user stack pointer sp. */
static inline bool on_sig_stack(unsigned long sp)
{
	/* Armed with SS_AUTODISARM, the stack is disarmed while in use: never "on" it. */
	if (current->sas_ss_flags & SS_AUTODISARM)
		return false;
	return sp > current->sas_ss_sp && sp - current->sas_ss_sp <= current->sas_ss_size;
}

static inline int sas_ss_flags(unsigned long sp)
{
	if (!current->sas_ss_size)
		return SS_DISABLE;
	return on_sig_stack(sp) ? SS_ONSTACK : 0;
}

/* Where a handler's frame goes below: the alternate stack's top if asked for and
 * usable, else the interrupted stack pointer. */
static inline unsigned long sigsp(unsigned long sp, const struct ksignal *ksig)
{
	if ((ksig->ka.sa.sa_flags & SA_ONSTACK) && !sas_ss_flags(sp))
		return current->sas_ss_sp + current->sas_ss_size;
	return sp;
}

/* The frame's uc_stack: save (0 or -EFAULT) and restore it (rt_sigreturn). */
int __save_altstack(stack_t __user *uss);
int restore_altstack(const stack_t __user *uss);

/* What restart_block.fn is until a call sets it, and after rt_sigreturn: -EINTR. */
long do_no_restart_syscall(struct restart_block *restart);

/* Exit and exec: drop pending signals and stop taking part in group stops. */
void exit_signals(struct task_struct *tsk);
/* exec: handlers back to SIG_DFL (ignored ones stay ignored unless force_default). */
void flush_signal_handlers(struct task_struct *t, int force_default);
void flush_sigqueue(struct sigpending *pending);
/* Drop every signal pending for t and its group (kernel threads, tests). */
void flush_signals(struct task_struct *t);
/* Kernel threads (kthreadd): every signal ignored, nothing pending. */
void ignore_signals(struct task_struct *t);

/* Arch: deliver pending signals on the way back to user space (regs: the user frame). */
void do_signal(struct pt_regs *regs);
struct mm_struct;
/* Arch, for exec: map the sigreturn trampoline page into the new mm. 0 or -errno. */
int arch_setup_additional_pages(struct mm_struct *mm);

/* Copy the sharing structures for fork (CLONE_SIGHAND / CLONE_THREAD), and drop them. */
int copy_sighand(unsigned long clone_flags, struct task_struct *p);
int copy_signal(unsigned long clone_flags, struct task_struct *p);
void __cleanup_sighand(struct sighand_struct *sighand);
void put_signal_struct(struct signal_struct *sig);
/* exec (kernel/fork.c): a private copy of the handlers if a CLONE_SIGHAND process
 * shares them. */
int unshare_sighand(struct task_struct *me);

#endif
