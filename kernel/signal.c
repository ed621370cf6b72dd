// SPDX-License-Identifier: MIT
/*
 * Signals with Linux's semantics: generation (send_signal: prepare_signal's job-control
 * rules, queueing, complete_signal's choice of a thread), delivery (get_signal: default
 * actions, group stop and exit; the arch sets up handler frames), the masks and the
 * system calls.
 *
 * Each task has a private pending set (tkill, faults) and shares its group's
 * (signal->shared_pending: kill). A real-time signal queues one entry per send; a
 * standard one is pending at most once. Everything here runs under the group's
 * sighand->siglock, taken with IRQs off; tasklist_lock (taken first) keeps the task
 * list, the parent links and the sighand of tasks found through them stable.
 */
#include <asm/processor.h>
#include <asm/uaccess.h>
#include <kairos/bug.h>
#include <kairos/errno.h>
#include <kairos/pid.h>
#include <kairos/resource.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/slab.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/time.h>
#include <kairos/uaccess.h>

/* Classes of standard signals by their default action (real-time ones terminate). */
#define SIG_KERNEL_ONLY_MASK	(sigmask(SIGKILL) | sigmask(SIGSTOP))
#define SIG_KERNEL_STOP_MASK	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | \
				 sigmask(SIGTTOU))
#define SIG_KERNEL_COREDUMP_MASK (sigmask(SIGQUIT) | sigmask(SIGILL) | sigmask(SIGTRAP) | \
				  sigmask(SIGABRT) | sigmask(SIGFPE) | sigmask(SIGSEGV) | \
				  sigmask(SIGBUS) | sigmask(SIGSYS) | sigmask(SIGXCPU) | \
				  sigmask(SIGXFSZ))
#define SIG_KERNEL_IGNORE_MASK	(sigmask(SIGCONT) | sigmask(SIGCHLD) | sigmask(SIGWINCH) | \
				 sigmask(SIGURG))
/* Faults: delivered before anything else pending. */
#define SYNCHRONOUS_MASK	(sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | \
				 sigmask(SIGTRAP) | sigmask(SIGFPE) | sigmask(SIGSYS))

static bool siginmask(int sig, unsigned long mask)
{
	return sig < SIGRTMIN && (sigmask(sig) & mask);
}

#define sig_kernel_only(sig)		siginmask(sig, SIG_KERNEL_ONLY_MASK)
#define sig_kernel_stop(sig)		siginmask(sig, SIG_KERNEL_STOP_MASK)
#define sig_kernel_coredump(sig)	siginmask(sig, SIG_KERNEL_COREDUMP_MASK)
#define sig_kernel_ignore(sig)		siginmask(sig, SIG_KERNEL_IGNORE_MASK)

/* Bytes of a siginfo the kernel keeps (Linux's kernel_siginfo); the rest reads as 0. */
#define SI_KERNEL_SIZE		48

static bool is_si_special(const siginfo_t *info)
{
	return info == SEND_SIG_NOINFO || info == SEND_SIG_PRIV;
}

/* Sent by a user (kill, sigqueue) rather than by the kernel. */
static bool si_fromuser(const siginfo_t *info)
{
	return info == SEND_SIG_NOINFO || (!is_si_special(info) && info->si_code <= 0);
}

static void clear_siginfo(siginfo_t *info)
{
	memset(info, 0, sizeof(*info));
}

/* The si_code range each signal defines for itself (0: only the generic codes). */
static const int sig_sicodes_limit[] = {
	[SIGILL] = NSIGILL, [SIGFPE] = NSIGFPE, [SIGSEGV] = NSIGSEGV, [SIGBUS] = NSIGBUS,
	[SIGTRAP] = NSIGTRAP, [SIGCHLD] = NSIGCHLD, [SIGIO] = NSIGPOLL, [SIGSYS] = NSIGSYS,
};

static int sicodes_limit(int sig)
{
	return sig >= 0 && sig < (int)ARRAY_SIZE(sig_sicodes_limit) ? sig_sicodes_limit[sig] : 0;
}

/* Whether si_addr holds a fault address (Linux's SIL_FAULT layouts). */
static bool siginfo_is_fault(int sig, int si_code)
{
	if (si_code <= SI_USER || si_code >= SI_KERNEL || si_code > sicodes_limit(sig))
		return false;
	return sig == SIGILL || sig == SIGFPE || sig == SIGSEGV || sig == SIGBUS ||
	       sig == SIGTRAP;
}

/* Whether the kernel knows this si_code's layout (fits in SI_KERNEL_SIZE bytes). */
static bool known_siginfo_layout(int sig, int si_code)
{
	if (si_code == SI_KERNEL)
		return true;
	if (si_code > SI_USER)
		return si_code <= (sicodes_limit(sig) ? sicodes_limit(sig) : NSIGPOLL);
	return si_code >= SI_DETHREAD || si_code == SI_ASYNCNL;
}

/*
 * A queue entry for a signal to t, charged to t's real user: NULL if that user already
 * has RLIMIT_SIGPENDING (t's) signals queued, unless override_rlimit (the kernel's and
 * kill()'s standard signals), or without memory. kmalloc rather than a cache of its own:
 * it needs no boot hook.
 */
static struct sigqueue *sigqueue_alloc(struct task_struct *t, bool override_rlimit)
{
	struct user_struct *user = t->cred.user;
	struct sigqueue *q = NULL;

	if ((unsigned long)atomic_inc_return(&user->sigpending) <= task_rlimit(t, RLIMIT_SIGPENDING) ||
	    override_rlimit)
		q = kmalloc(sizeof(*q), GFP_ATOMIC);
	if (!q) {
		atomic_dec(&user->sigpending);
		return NULL;
	}
	INIT_LIST_HEAD(&q->list);
	q->user = get_uid(user);
	return q;
}

static void sigqueue_free(struct sigqueue *q)
{
	list_del(&q->list);
	atomic_dec(&q->user->sigpending);
	free_uid(q->user);
	kfree(q);
}

void flush_sigqueue(struct sigpending *pending)
{
	struct sigqueue *q, *n;

	sigemptyset(&pending->signal);
	list_for_each_entry_safe(q, n, &pending->list, list)
		sigqueue_free(q);
}

/* Drop the signals of mask from pending, queued entries too. */
static void flush_sigqueue_mask(sigset_t *mask, struct sigpending *pending)
{
	struct sigqueue *q, *n;
	sigset_t m;

	sigandsets(&m, mask, &pending->signal);
	if (sigisemptyset(&m))
		return;
	sigandnsets(&pending->signal, &pending->signal, mask);
	list_for_each_entry_safe(q, n, &pending->list, list) {
		if (sigismember(mask, q->info.si_signo))
			sigqueue_free(q);
	}
}

static __sighandler_t sig_handler(struct task_struct *t, int sig)
{
	return t->sighand->action[sig - 1].sa.sa_handler;
}

static bool sig_handler_ignored(__sighandler_t handler, int sig)
{
	return handler == SIG_IGN || (handler == SIG_DFL && sig_kernel_ignore(sig));
}

/* force: sent by the kernel, which init cannot refuse unless it is SIGKILL/SIGSTOP. */
static bool sig_task_ignored(struct task_struct *t, int sig, bool force)
{
	__sighandler_t handler = sig_handler(t, sig);

	/* SIGKILL and SIGSTOP never reach init. */
	if (is_global_init(t) && sig_kernel_only(sig))
		return true;
	if ((t->signal->flags & SIGNAL_UNKILLABLE) && handler == SIG_DFL &&
	    !(force && sig_kernel_only(sig)))
		return true;
	return sig_handler_ignored(handler, sig);
}

/* Ignored signals are discarded when sent, unless blocked: the handler may change. */
static bool sig_ignored(struct task_struct *t, int sig, bool force)
{
	if (sigismember(&t->blocked, sig) || sigismember(&t->real_blocked, sig))
		return false;
	return sig_task_ignored(t, sig, force);
}

/* Whether sig's action is to end the process. */
static bool sig_fatal(struct task_struct *t, int sig)
{
	return !siginmask(sig, SIG_KERNEL_IGNORE_MASK | SIG_KERNEL_STOP_MASK) &&
	       sig_handler(t, sig) == SIG_DFL;
}

/* Group stops: jobctl holds the stop signal and the STOP_* state of each thread. */
static bool task_set_jobctl_pending(struct task_struct *t, unsigned long mask)
{
	if (t->flags & PF_EXITING)
		return false;
	if (mask & JOBCTL_STOP_SIGMASK)
		t->jobctl &= ~JOBCTL_STOP_SIGMASK;
	t->jobctl |= mask;
	return true;
}

static void task_clear_jobctl_pending(struct task_struct *t, unsigned long mask)
{
	if (mask & JOBCTL_STOP_PENDING)
		mask |= JOBCTL_STOP_CONSUME | JOBCTL_STOP_DEQUEUED;
	t->jobctl &= ~mask;
}

static void signal_set_stop_flags(struct signal_struct *sig, unsigned int flags)
{
	sig->flags = (sig->flags & ~SIGNAL_STOP_MASK) | flags;
}

static bool task_is_stopped(const struct task_struct *t)
{
	return READ_ONCE(t->__state) & __TASK_STOPPED;
}

void task_join_group_stop(struct task_struct *task)
{
	unsigned long mask = current->jobctl & JOBCTL_STOP_SIGMASK;
	struct signal_struct *sig = current->signal;

	/* A stop under way counts the new thread in; a completed one just holds it. */
	if (sig->group_stop_count) {
		sig->group_stop_count++;
		mask |= JOBCTL_STOP_CONSUME;
	} else if (!(sig->flags & SIGNAL_STOP_STOPPED)) {
		return;
	}
	task_set_jobctl_pending(task, mask | JOBCTL_STOP_PENDING);
}

/* Does t have something to do: unblocked pending signals or a group stop? */
static bool recalc_sigpending_tsk(struct task_struct *t)
{
	if ((t->jobctl & JOBCTL_PENDING_MASK) ||
	    (t->pending.signal.sig[0] & ~t->blocked.sig[0]) ||
	    (t->signal->shared_pending.signal.sig[0] & ~t->blocked.sig[0])) {
		set_bit(TIF_SIGPENDING, &t->thread_info.flags);
		return true;
	}
	/* Only ever cleared by t itself: a system call may be returning -ERESTART*. */
	return false;
}

void recalc_sigpending(void)
{
	if (!recalc_sigpending_tsk(current))
		clear_bit(TIF_SIGPENDING, &current->thread_info.flags);
}

void signal_wake_up(struct task_struct *t, bool fatal)
{
	set_bit(TIF_SIGPENDING, &t->thread_info.flags);
	/* TASK_WAKEKILL: killable sleeps and stops; a running t is sent an IPI. */
	if (!wake_up_state(t, TASK_INTERRUPTIBLE | (fatal ? TASK_WAKEKILL : 0)))
		kick_process(t);
}

static void recalc_sigpending_and_wake(struct task_struct *t)
{
	if (recalc_sigpending_tsk(t))
		signal_wake_up(t, false);
}

/*
 * Job control at send time, and whether the signal is to be queued at all. A stop
 * signal cancels a pending SIGCONT; SIGCONT cancels pending stop signals and resumes a
 * stopped (or stopping) group, recording what the parent is to be told.
 */
static bool prepare_signal(int sig, struct task_struct *p, bool force)
{
	struct signal_struct *signal = p->signal;
	struct task_struct *t;
	sigset_t flush;

	if (signal->flags & SIGNAL_GROUP_EXIT) {
		/* Dying already: nothing to do. */
	} else if (sig_kernel_stop(sig)) {
		siginitset(&flush, sigmask(SIGCONT));
		flush_sigqueue_mask(&flush, &signal->shared_pending);
		for_each_thread(p, t)
			flush_sigqueue_mask(&flush, &t->pending);
	} else if (sig == SIGCONT) {
		unsigned int why = 0;

		siginitset(&flush, SIG_KERNEL_STOP_MASK);
		flush_sigqueue_mask(&flush, &signal->shared_pending);
		for_each_thread(p, t) {
			flush_sigqueue_mask(&flush, &t->pending);
			task_clear_jobctl_pending(t, JOBCTL_STOP_PENDING);
			wake_up_state(t, __TASK_STOPPED);
		}
		/* A stop still in progress is reported as done, then continued. */
		if (signal->flags & SIGNAL_STOP_STOPPED)
			why = SIGNAL_CLD_CONTINUED;
		else if (signal->group_stop_count)
			why = SIGNAL_CLD_STOPPED;
		if (why) {
			signal_set_stop_flags(signal, why | SIGNAL_STOP_CONTINUED);
			signal->group_stop_count = 0;
			signal->group_exit_code = 0;
		}
	}
	return !sig_ignored(p, sig, force);
}

/* Whether p should be woken to take sig (it may take it later anyway). */
static bool wants_signal(int sig, struct task_struct *p)
{
	if (sigismember(&p->blocked, sig))
		return false;
	if (p->flags & PF_EXITING)
		return false;
	if (sig == SIGKILL)
		return true;
	if (task_is_stopped(p))
		return false;
	/* Running: it will see it on its way out. Else one already woken suffices. */
	return READ_ONCE(p->on_cpu) || !signal_pending(p);
}

/* Find a thread to take sig; a fatal signal takes the whole group down at once. */
static void complete_signal(int sig, struct task_struct *p, bool group)
{
	struct signal_struct *signal = p->signal;
	struct task_struct *t;

	if (wants_signal(sig, p)) {
		t = p;
	} else if (!group || thread_group_empty(p)) {
		/* It will see the signal when it next leaves the kernel or unblocks it. */
		return;
	} else {
		t = signal->curr_target;
		while (!wants_signal(sig, t)) {
			t = next_thread(t);
			if (t == signal->curr_target)
				return;
		}
		signal->curr_target = t;
	}

	/* Without a core dump to write, the whole group dies now. */
	if (sig_fatal(p, sig) && !(signal->flags & SIGNAL_GROUP_EXIT) &&
	    !sigismember(&t->real_blocked, sig) && !sig_kernel_coredump(sig)) {
		signal->flags = SIGNAL_GROUP_EXIT;
		signal->group_exit_code = sig;
		signal->group_stop_count = 0;
		for_each_thread(p, t) {
			task_clear_jobctl_pending(t, JOBCTL_PENDING_MASK);
			sigaddset(&t->pending.signal, SIGKILL);
			signal_wake_up(t, true);
		}
		return;
	}
	signal_wake_up(t, sig == SIGKILL);
}

/* Queue sig for t (group: to its thread group). siglock held. */
static int __send_signal(int sig, siginfo_t *info, struct task_struct *t, bool group,
			 bool force)
{
	struct sigpending *pending = group ? &t->signal->shared_pending : &t->pending;
	struct sigqueue *q;

	if (!prepare_signal(sig, t, force))
		return 0;
	/* A standard signal already pending: this one merges with it. */
	if (sig < SIGRTMIN && sigismember(&pending->signal, sig))
		return 0;
	/* SIGKILL's info is never read; kernel threads take no siginfo. */
	if (sig == SIGKILL || (t->flags & PF_KTHREAD))
		goto out_set;

	/* A standard signal from the kernel or kill() gets its info whatever the limit. */
	q = sigqueue_alloc(t, sig < SIGRTMIN && (is_si_special(info) || info->si_code >= 0));
	if (q) {
		list_add_tail(&q->list, &pending->list);
		clear_siginfo(&q->info);
		q->info.si_signo = sig;
		if (info == SEND_SIG_NOINFO) {
			q->info.si_code = SI_USER;
			q->info.si_pid = task_tgid_nr_ns(current, task_active_pid_ns(t));
			q->info.si_uid = current_uid();
		} else if (info == SEND_SIG_PRIV) {
			q->info.si_code = SI_KERNEL;
		} else {
			q->info = *info;
		}
	} else if (!is_si_special(info) && sig >= SIGRTMIN && info->si_code != SI_USER) {
		/* sigqueue and the like may fail; kill() always delivers, if without info. */
		return -EAGAIN;
	}
out_set:
	sigaddset(&pending->signal, sig);
	complete_signal(sig, t, group);
	return 0;
}

/* Whether info carries a sender's si_pid and si_uid (Linux's SIL_KILL, SIL_CHLD, SIL_RT
 * layouts). */
static bool has_si_pid_and_uid(const siginfo_t *info)
{
	int code = info->si_code;

	if (code == SI_USER || code == SI_KERNEL)
		return true;
	if (code > SI_USER)
		return info->si_signo == SIGCHLD;
	return code != SI_TIMER && code != SI_SIGIO;
}

/*
 * The kernel's own signals may not be ignored by an init (SIGNAL_UNKILLABLE), nor those
 * from an ancestor PID namespace, where the sender is nobody the target can see: its
 * si_pid reads 0.
 */
static int send_signal(int sig, siginfo_t *info, struct task_struct *t, bool group)
{
	bool force = false;

	if (info == SEND_SIG_NOINFO) {
		force = !task_pid_nr_ns(current, task_active_pid_ns(t));
	} else if (info == SEND_SIG_PRIV) {
		force = true;
	} else if (has_si_pid_and_uid(info)) {
		force = info->si_code == SI_KERNEL;
		if (!task_pid_nr_ns(current, task_active_pid_ns(t))) {
			info->si_pid = 0;
			force = true;
		}
	}
	return __send_signal(sig, info, t, group, force);
}

/*
 * Lock p's sighand (exec may swap it) with IRQs off; NULL once p is released. The caller
 * keeps the sighand from being freed: tasklist_lock, or p is in its own group.
 */
static struct sighand_struct *lock_task_sighand(struct task_struct *p, unsigned long *flags)
{
	struct sighand_struct *sighand;

	for (;;) {
		sighand = READ_ONCE(p->sighand);
		if (!sighand)
			return NULL;
		spin_lock_irqsave(&sighand->siglock, *flags);
		if (sighand == p->sighand)
			return sighand;
		spin_unlock_irqrestore(&sighand->siglock, *flags);
	}
}

static int do_send_sig_info(int sig, siginfo_t *info, struct task_struct *p, bool group)
{
	struct sighand_struct *sighand;
	unsigned long flags;
	int ret;

	sighand = lock_task_sighand(p, &flags);
	if (!sighand)
		return -ESRCH;
	ret = send_signal(sig, info, p, group);
	spin_unlock_irqrestore(&sighand->siglock, flags);
	return ret;
}

int send_sig_info(int sig, siginfo_t *info, struct task_struct *p)
{
	if (!valid_signal(sig))
		return -EINVAL;
	return do_send_sig_info(sig, info, p, true);
}

/* Root, or a real or effective uid matching the target's real or saved uid. */
static bool kill_ok_by_cred(struct task_struct *t)
{
	const struct cred *cred = current_cred(), *tcred = &t->cred;

	return cred->euid == tcred->suid || cred->euid == tcred->uid ||
	       cred->uid == tcred->suid || cred->uid == tcred->uid || capable(CAP_KILL);
}

static int check_kill_permission(int sig, siginfo_t *info, struct task_struct *t)
{
	if (!valid_signal(sig))
		return -EINVAL;
	if (!si_fromuser(info))
		return 0;
	if (same_thread_group(current, t) || kill_ok_by_cred(t))
		return 0;
	/* SIGCONT may be sent to anyone in the caller's session (job control). */
	if (sig == SIGCONT && task_session(t) == task_session(current))
		return 0;
	return -EPERM;
}

int group_send_sig_info(int sig, siginfo_t *info, struct task_struct *p)
{
	int ret = check_kill_permission(sig, info, p);

	if (!ret && sig)
		ret = do_send_sig_info(sig, info, p, true);
	return ret;
}

int kill_pid_info(int sig, siginfo_t *info, int pid)
{
	struct task_struct *p;
	unsigned long flags;
	int ret = -ESRCH;

	spin_lock_irqsave(&tasklist_lock, flags);
	p = find_task_by_vpid(pid);
	if (p)
		ret = group_send_sig_info(sig, info, p);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/* To each process of pgrp: 0 if one got it, else the last error. tasklist_lock held. */
static int __kill_pgrp_info(int sig, siginfo_t *info, struct pid *pgrp)
{
	int retval = -ESRCH, success = 0;
	struct task_struct *p;

	if (!pgrp)
		return -ESRCH;
	for_each_pid_task(pgrp, PIDTYPE_PGID, p) {
		int err = group_send_sig_info(sig, info, p);

		success |= !err;
		retval = err;
	}
	return success ? 0 : retval;
}

int kill_pgrp(struct pid *pgrp, int sig, int priv)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&tasklist_lock, flags);
	ret = __kill_pgrp_info(sig, priv ? SEND_SIG_PRIV : SEND_SIG_NOINFO, pgrp);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/* kill(2): pid > 0 one process, 0 the caller's group, -1 everyone it may signal but
 * init and itself, < -1 the process group -pid. */
static int kill_something_info(int sig, siginfo_t *info, int pid)
{
	unsigned long flags;
	int ret;

	if (pid > 0)
		return kill_pid_info(sig, info, pid);
	if (pid == INT32_MIN)
		return -ESRCH;
	spin_lock_irqsave(&tasklist_lock, flags);
	if (pid != -1) {
		ret = __kill_pgrp_info(sig, info, pid ? find_vpid(-pid) : task_pgrp(current));
	} else {
		struct task_struct *p;
		int retval = 0, count = 0;

		for_each_process(p) {
			int err;

			/* Not our namespace's init, nor anyone outside it (0). */
			if (task_pid_vnr(p) <= 1 || same_thread_group(p, current))
				continue;
			err = group_send_sig_info(sig, info, p);
			count++;
			if (err != -EPERM)
				retval = err;
		}
		ret = count ? retval : -ESRCH;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/*
 * A signal the kernel must deliver (a fault): a blocked or ignored one is unblocked
 * and reset to SIG_DFL (sigdfl: whatever the handler), and with the default action
 * init is killable too.
 */
static int force_sig_info_to_task(siginfo_t *info, struct task_struct *t, bool sigdfl)
{
	int sig = info->si_signo;
	struct k_sigaction *action;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	action = &t->sighand->action[sig - 1];
	if (sigdfl || action->sa.sa_handler == SIG_IGN || sigismember(&t->blocked, sig)) {
		action->sa.sa_handler = SIG_DFL;
		if (sigismember(&t->blocked, sig)) {
			sigdelset(&t->blocked, sig);
			recalc_sigpending_and_wake(t);
		}
	}
	if (action->sa.sa_handler == SIG_DFL)
		t->signal->flags &= ~SIGNAL_UNKILLABLE;
	ret = send_signal(sig, info, t, false);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return ret;
}

static void kernel_siginfo(siginfo_t *info, int sig, int code)
{
	clear_siginfo(info);
	info->si_signo = sig;
	info->si_code = code;
}

void force_sig(int sig)
{
	siginfo_t info;

	kernel_siginfo(&info, sig, SI_KERNEL);
	force_sig_info_to_task(&info, current, false);
}

void force_fatal_sig(int sig)
{
	siginfo_t info;

	kernel_siginfo(&info, sig, SI_KERNEL);
	force_sig_info_to_task(&info, current, true);
}

void force_sig_fault(int sig, int code, void __user *addr)
{
	siginfo_t info;

	kernel_siginfo(&info, sig, code);
	info.si_addr = (void *)addr;
	force_sig_info_to_task(&info, current, false);
}

void force_sigsegv(int sig)
{
	/* SIGSEGV's own handler could not be entered: it must not be tried again. */
	if (sig == SIGSEGV)
		force_fatal_sig(SIGSEGV);
	else
		force_sig(SIGSEGV);
}

void force_sigkill(struct task_struct *p)
{
	siginfo_t info;

	kernel_siginfo(&info, SIGKILL, SI_KERNEL);
	force_sig_info_to_task(&info, p, false);
}

int zap_other_threads(struct task_struct *p)
{
	struct task_struct *t = p;
	int count = 0;

	p->signal->group_stop_count = 0;
	while_each_thread(p, t) {
		task_clear_jobctl_pending(t, JOBCTL_PENDING_MASK);
		count++;
		/* Already dead: nothing to wake. */
		if (t->exit_state)
			continue;
		sigaddset(&t->pending.signal, SIGKILL);
		signal_wake_up(t, true);
	}
	return count;
}

bool do_notify_parent(struct task_struct *tsk, int sig)
{
	struct task_struct *parent = tsk->parent;
	struct sighand_struct *psig = parent->sighand;
	struct k_sigaction *ka = &psig->action[SIGCHLD - 1];
	bool autoreap = false;
	unsigned long flags;
	siginfo_t info;

	BUG_ON(sig == -1);
	kernel_siginfo(&info, sig, CLD_EXITED);
	info.si_pid = task_pid_nr_ns(tsk, task_active_pid_ns(parent));
	info.si_uid = tsk->cred.uid;
	info.si_utime = nsec_to_clock_t(tsk->utime + tsk->signal->utime);
	info.si_stime = nsec_to_clock_t(tsk->stime + tsk->signal->stime);
	info.si_status = tsk->exit_code & 0x7f;
	if (tsk->exit_code & 0x80) {
		info.si_code = CLD_DUMPED;
	} else if (tsk->exit_code & 0x7f) {
		info.si_code = CLD_KILLED;
	} else {
		info.si_code = CLD_EXITED;
		info.si_status = tsk->exit_code >> 8;
	}

	spin_lock_irqsave(&psig->siglock, flags);
	/*
	 * POSIX: a parent that ignores SIGCHLD or set SA_NOCLDWAIT leaves no zombies.
	 * SA_NOCLDWAIT still gets the signal; waiters are woken either way, since a wait
	 * may now fail with ECHILD.
	 */
	if (sig == SIGCHLD && (ka->sa.sa_handler == SIG_IGN || (ka->sa.sa_flags & SA_NOCLDWAIT))) {
		autoreap = true;
		if (ka->sa.sa_handler == SIG_IGN)
			sig = 0;
	}
	if (sig && valid_signal(sig))
		__send_signal(sig, &info, parent, true, false);
	__wake_up_parent(tsk, parent);
	spin_unlock_irqrestore(&psig->siglock, flags);
	return autoreap;
}

/* The group of tsk stopped or continued: SIGCHLD to the leader's real parent, unless
 * it asked for none (SA_NOCLDSTOP, SIG_IGN). tasklist_lock held. */
static void do_notify_parent_cldstop(struct task_struct *tsk, int why)
{
	struct task_struct *parent;
	struct sighand_struct *sighand;
	unsigned long flags;
	siginfo_t info;

	tsk = tsk->group_leader;
	parent = tsk->real_parent;
	kernel_siginfo(&info, SIGCHLD, why);
	info.si_pid = task_pid_nr_ns(tsk, task_active_pid_ns(parent));
	info.si_uid = tsk->cred.uid;
	info.si_utime = nsec_to_clock_t(tsk->utime);
	info.si_stime = nsec_to_clock_t(tsk->stime);
	info.si_status = why == CLD_CONTINUED ? SIGCONT : tsk->signal->group_exit_code & 0x7f;

	sighand = parent->sighand;
	spin_lock_irqsave(&sighand->siglock, flags);
	if (sighand->action[SIGCHLD - 1].sa.sa_handler != SIG_IGN &&
	    !(sighand->action[SIGCHLD - 1].sa.sa_flags & SA_NOCLDSTOP))
		__send_signal(SIGCHLD, &info, parent, true, false);
	/* Even without SIGCHLD, waitpid(WUNTRACED/WCONTINUED) sleepers must look. */
	__wake_up_parent(tsk, parent);
	spin_unlock_irqrestore(&sighand->siglock, flags);
}

static void notify_parent_cldstop(struct task_struct *tsk, int why)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	do_notify_parent_cldstop(tsk, why);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/*
 * POSIX's orphaned process group: no member has a parent in another group of the same
 * session, so nobody is left to resume it from a shell (ignored_task: a member that is
 * leaving). tasklist_lock held.
 */
bool will_become_orphaned_pgrp(struct pid *pgrp, struct task_struct *ignored_task)
{
	struct task_struct *p;

	for_each_pid_task(pgrp, PIDTYPE_PGID, p) {
		struct task_struct *parent = p->real_parent;

		if (p == ignored_task || (p->exit_state && thread_group_empty(p)) ||
		    is_global_init(parent))
			continue;
		if (task_pgrp(parent) != pgrp && task_session(parent) == task_session(p))
			return false;
	}
	return true;
}

bool is_current_pgrp_orphaned(void)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&tasklist_lock, flags);
	ret = will_become_orphaned_pgrp(task_pgrp(current), NULL);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/* The lowest pending signal not in mask; faults first. */
static int next_signal(struct sigpending *pending, sigset_t *mask)
{
	unsigned long x = pending->signal.sig[0] & ~mask->sig[0];

	if (!x)
		return 0;
	if (x & SYNCHRONOUS_MASK)
		x &= SYNCHRONOUS_MASK;
	return __builtin_ctzl(x) + 1;
}

/* Take sig off list; info from its first queue entry, or made up (coalesced, or no
 * memory when it was sent). */
static void collect_signal(int sig, struct sigpending *list, siginfo_t *info)
{
	struct sigqueue *q, *first = NULL;
	bool more = false;

	list_for_each_entry(q, &list->list, list) {
		if (q->info.si_signo == sig) {
			if (first) {
				more = true;
				break;
			}
			first = q;
		}
	}
	if (!more)
		sigdelset(&list->signal, sig);
	if (first) {
		*info = first->info;
		sigqueue_free(first);
	} else {
		clear_siginfo(info);
		info->si_signo = sig;
		info->si_code = SI_USER;
	}
}

static int __dequeue_signal(struct sigpending *pending, sigset_t *mask, siginfo_t *info)
{
	int sig = next_signal(pending, mask);

	if (sig)
		collect_signal(sig, pending, info);
	return sig;
}

/* The next signal not in mask, private ones first. siglock held. */
static int dequeue_signal(struct task_struct *tsk, sigset_t *mask, siginfo_t *info)
{
	int signr = __dequeue_signal(&tsk->pending, mask, info);

	if (!signr)
		signr = __dequeue_signal(&tsk->signal->shared_pending, mask, info);
	recalc_sigpending();
	/*
	 * A stop signal taken off the queue can still be cancelled by SIGCONT (or SIGKILL)
	 * while its stop is being prepared without siglock: they clear this mark.
	 */
	if (signr && sig_kernel_stop(signr))
		current->jobctl |= JOBCTL_STOP_DEQUEUED;
	return signr;
}

/*
 * A fault's signal before anything else pending, with the fault's own siginfo even if
 * a user sent the same signal earlier (kernel si_codes are positive). siglock held.
 */
static int dequeue_synchronous_signal(siginfo_t *info)
{
	struct sigpending *pending = &current->pending;
	struct sigqueue *q, *sync = NULL;
	bool more = false;

	if (!(pending->signal.sig[0] & ~current->blocked.sig[0] & SYNCHRONOUS_MASK))
		return 0;
	list_for_each_entry(q, &pending->list, list) {
		if (sync) {
			if (q->info.si_signo == sync->info.si_signo) {
				more = true;
				break;
			}
		} else if (q->info.si_code > SI_USER && siginmask(q->info.si_signo, SYNCHRONOUS_MASK)) {
			sync = q;
		}
	}
	if (!sync)
		return 0;
	if (!more) {
		sigdelset(&pending->signal, sync->info.si_signo);
		recalc_sigpending();
	}
	*info = sync->info;
	sigqueue_free(sync);
	return info->si_signo;
}

/* Leave the group stop it was asked to join; true if it was the last one in. */
static bool task_participate_group_stop(struct task_struct *task)
{
	struct signal_struct *sig = task->signal;
	bool consume = task->jobctl & JOBCTL_STOP_CONSUME;

	task_clear_jobctl_pending(task, JOBCTL_STOP_PENDING);
	if (!consume)
		return false;
	if (!WARN_ON(sig->group_stop_count == 0))
		sig->group_stop_count--;
	if (!sig->group_stop_count && !(sig->flags & SIGNAL_STOP_STOPPED)) {
		signal_set_stop_flags(sig, SIGNAL_STOP_STOPPED);
		return true;
	}
	return false;
}

/* TASK_STOPPED under pi_lock: a late wake-up of an earlier sleep cannot undo it. */
static void set_special_state(unsigned int state)
{
	unsigned long flags;

	spin_lock_irqsave(&current->pi_lock, flags);
	WRITE_ONCE(current->__state, state);
	spin_unlock_irqrestore(&current->pi_lock, flags);
}

/*
 * Start a group stop for signr (0: join the one under way) and stop until SIGCONT or
 * SIGKILL. Called with siglock held; returns with it released if it stopped (true),
 * held if a SIGCONT or exit overtook the stop (false).
 */
static bool do_signal_stop(int signr)
{
	struct signal_struct *sig = current->signal;
	bool notify;

	if (!(current->jobctl & JOBCTL_STOP_PENDING)) {
		unsigned long gstop = JOBCTL_STOP_PENDING | JOBCTL_STOP_CONSUME;
		struct task_struct *t;

		if (!(current->jobctl & JOBCTL_STOP_DEQUEUED) ||
		    (sig->flags & SIGNAL_GROUP_EXIT) || sig->group_exec_task)
			return false;
		/* A second stop signal while stopped reports nothing new. */
		if (!(sig->flags & SIGNAL_STOP_STOPPED))
			sig->group_exit_code = signr;
		sig->group_stop_count = 0;
		if (task_set_jobctl_pending(current, signr | gstop))
			sig->group_stop_count++;
		for_each_thread(current, t) {
			if (t != current && !task_is_stopped(t) &&
			    task_set_jobctl_pending(t, signr | gstop)) {
				sig->group_stop_count++;
				signal_wake_up(t, false);
			}
		}
	}

	notify = task_participate_group_stop(current);
	set_special_state(TASK_STOPPED);
	spin_unlock_irq(&current->sighand->siglock);
	/* The last thread to stop tells the parent that the group stopped. */
	if (notify)
		notify_parent_cldstop(current, CLD_STOPPED);
	schedule();
	return true;
}

/* The fault address keeps its tag only where the ABI says so (watchpoints). */
static void hide_si_addr_tag_bits(struct ksignal *ksig)
{
	if (siginfo_is_fault(ksig->sig, ksig->info.si_code) &&
	    !(ksig->sig == SIGTRAP && ksig->info.si_code == TRAP_BRKPT))
		ksig->info.si_addr = untagged_addr(ksig->info.si_addr);
}

bool get_signal(struct ksignal *ksig)
{
	struct sighand_struct *sighand = current->sighand;
	struct signal_struct *signal = current->signal;
	int signr;

relock:
	spin_lock_irq(&sighand->siglock);
	/* A SIGCONT (or a completed stop) to report: the first thread that runs does it. */
	if (signal->flags & SIGNAL_CLD_MASK) {
		int why = signal->flags & SIGNAL_CLD_CONTINUED ? CLD_CONTINUED : CLD_STOPPED;

		signal->flags &= ~SIGNAL_CLD_MASK;
		spin_unlock_irq(&sighand->siglock);
		notify_parent_cldstop(current, why);
		goto relock;
	}

	for (;;) {
		struct k_sigaction *ka;

		if ((signal->flags & SIGNAL_GROUP_EXIT) || signal->group_exec_task) {
			clear_siginfo(&ksig->info);
			ksig->info.si_signo = signr = SIGKILL;
			sigdelset(&current->pending.signal, SIGKILL);
			recalc_sigpending();
			goto fatal;
		}
		if ((current->jobctl & JOBCTL_STOP_PENDING) && do_signal_stop(0))
			goto relock;

		signr = dequeue_synchronous_signal(&ksig->info);
		if (!signr)
			signr = dequeue_signal(current, &current->blocked, &ksig->info);
		if (!signr)
			break;

		ka = &sighand->action[signr - 1];
		if (ka->sa.sa_handler == SIG_IGN)
			continue;
		if (ka->sa.sa_handler != SIG_DFL) {
			ksig->ka = *ka;
			if (ka->sa.sa_flags & SA_RESETHAND)
				ka->sa.sa_handler = SIG_DFL;
			break;
		}

		/* The default action. */
		if (sig_kernel_ignore(signr))
			continue;
		/* init takes only what it has handlers for, and what the kernel forces. */
		if ((signal->flags & SIGNAL_UNKILLABLE) && !sig_kernel_only(signr))
			continue;
		if (sig_kernel_stop(signr)) {
			/*
			 * Job-control stops do nothing to an orphaned process group; SIGSTOP
			 * always stops. The check takes tasklist_lock, so siglock is dropped
			 * and a SIGCONT may come in between: do_signal_stop sees it.
			 */
			if (signr != SIGSTOP) {
				spin_unlock_irq(&sighand->siglock);
				if (is_current_pgrp_orphaned())
					goto relock;
				spin_lock_irq(&sighand->siglock);
			}
			if (do_signal_stop(ksig->info.si_signo))
				goto relock;
			continue;
		}
fatal:
		/* Terminate, or dump core: no core is written, so the status says no core. */
		spin_unlock_irq(&sighand->siglock);
		do_group_exit(signr);
	}
	spin_unlock_irq(&sighand->siglock);

	ksig->sig = signr;
	if (signr && !(ksig->ka.sa.sa_flags & SA_EXPOSE_TAGBITS))
		hide_si_addr_tag_bits(ksig);
	return signr > 0;
}

/* The handler runs with its sa_mask and (unless SA_NODEFER) its own signal blocked. */
static void signal_delivered(struct ksignal *ksig)
{
	sigset_t blocked;

	/* The frame holds the mask to go back to: sigsuspend's saved one is in it. */
	clear_bit(TIF_RESTORE_SIGMASK, &current->thread_info.flags);
	sigorsets(&blocked, &current->blocked, &ksig->ka.sa.sa_mask);
	if (!(ksig->ka.sa.sa_flags & SA_NODEFER))
		sigaddset(&blocked, ksig->sig);
	set_current_blocked(&blocked);
	if (current->sas_ss_flags & SS_AUTODISARM) {
		current->sas_ss_sp = 0;
		current->sas_ss_size = 0;
		current->sas_ss_flags = SS_DISABLE;
	}
}

void signal_setup_done(int failed, struct ksignal *ksig)
{
	if (failed)
		force_sigsegv(ksig->sig);
	else
		signal_delivered(ksig);
}

/*
 * Signals of the group that tsk can no longer take (which: those it leaves) go to
 * threads that can. siglock held.
 */
static void retarget_shared_pending(struct task_struct *tsk, sigset_t *which)
{
	struct task_struct *t;
	sigset_t retarget;

	sigandsets(&retarget, &tsk->signal->shared_pending.signal, which);
	if (sigisemptyset(&retarget))
		return;
	for_each_thread(tsk, t) {
		if (t == tsk || (t->flags & PF_EXITING))
			continue;
		if (!(retarget.sig[0] & ~t->blocked.sig[0]))
			continue;
		/* Those t takes are handled; what t blocks needs another thread still. */
		sigandsets(&retarget, &retarget, &t->blocked);
		if (!signal_pending(t))
			signal_wake_up(t, false);
		if (sigisemptyset(&retarget))
			break;
	}
}

void exit_signals(struct task_struct *tsk)
{
	bool notify = false;
	sigset_t unblocked;

	if (thread_group_empty(tsk) || (tsk->signal->flags & SIGNAL_GROUP_EXIT)) {
		tsk->flags |= PF_EXITING;
		return;
	}
	spin_lock_irq(&tsk->sighand->siglock);
	/* From now on group signals and group stops pass tsk by. */
	tsk->flags |= PF_EXITING;
	if (signal_pending(tsk)) {
		unblocked = tsk->blocked;
		signotset(&unblocked);
		retarget_shared_pending(tsk, &unblocked);
		if (tsk->jobctl & JOBCTL_STOP_PENDING)
			notify = task_participate_group_stop(tsk);
	}
	spin_unlock_irq(&tsk->sighand->siglock);
	/* It was the last thread the group stop waited for. */
	if (notify)
		notify_parent_cldstop(tsk, CLD_STOPPED);
}

void flush_signal_handlers(struct task_struct *t, int force_default)
{
	struct k_sigaction *ka = t->sighand->action;

	for (int i = 0; i < _NSIG; i++, ka++) {
		if (force_default || ka->sa.sa_handler != SIG_IGN)
			ka->sa.sa_handler = SIG_DFL;
		ka->sa.sa_flags = 0;
		ka->sa.sa_restorer = NULL;
		sigemptyset(&ka->sa.sa_mask);
	}
}

void flush_signals(struct task_struct *t)
{
	unsigned long flags;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	clear_bit(TIF_SIGPENDING, &t->thread_info.flags);
	flush_sigqueue(&t->pending);
	flush_sigqueue(&t->signal->shared_pending);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
}

void ignore_signals(struct task_struct *t)
{
	for (int i = 0; i < _NSIG; i++)
		t->sighand->action[i].sa.sa_handler = SIG_IGN;
	flush_signals(t);
}

/* Signals of the group that tsk newly blocks go to threads that can take them. */
static void __set_task_blocked(struct task_struct *tsk, const sigset_t *newset)
{
	if (signal_pending(tsk) && !thread_group_empty(tsk)) {
		sigset_t newblocked;

		sigandnsets(&newblocked, newset, &tsk->blocked);
		retarget_shared_pending(tsk, &newblocked);
	}
	tsk->blocked = *newset;
	recalc_sigpending();
}

void __set_current_blocked(const sigset_t *newset)
{
	struct task_struct *tsk = current;

	/* Only current writes its mask: reading it without the lock is safe. */
	if (sigequalsets(&tsk->blocked, newset))
		return;
	spin_lock_irq(&tsk->sighand->siglock);
	__set_task_blocked(tsk, newset);
	spin_unlock_irq(&tsk->sighand->siglock);
}

void set_current_blocked(sigset_t *newset)
{
	sigdelsetmask(newset, SIG_KERNEL_ONLY_MASK);
	__set_current_blocked(newset);
}

/* rt_sigprocmask's core: how is SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK. */
static int sigprocmask(int how, sigset_t *set)
{
	sigset_t newset;

	switch (how) {
	case SIG_BLOCK:
		sigorsets(&newset, &current->blocked, set);
		break;
	case SIG_UNBLOCK:
		sigandnsets(&newset, &current->blocked, set);
		break;
	case SIG_SETMASK:
		newset = *set;
		break;
	default:
		return -EINVAL;
	}
	__set_current_blocked(&newset);
	return 0;
}

int set_user_sigmask(const sigset_t __user *umask, size_t sigsetsize)
{
	sigset_t kmask;

	if (!umask)
		return 0;
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&kmask, umask, sizeof(kmask)))
		return -EFAULT;
	set_restore_sigmask();
	current->saved_sigmask = current->blocked;
	set_current_blocked(&kmask);
	return 0;
}

void restore_saved_sigmask(void)
{
	if (test_and_clear_bit(TIF_RESTORE_SIGMASK, &current->thread_info.flags))
		__set_current_blocked(&current->saved_sigmask);
}

void restore_saved_sigmask_unless(bool interrupted)
{
	/* Interrupted: do_signal restores it once the handler's frame holds it. */
	if (interrupted)
		WARN_ON(!signal_pending(current));
	else
		restore_saved_sigmask();
}

int copy_siginfo_to_user(siginfo_t __user *to, const siginfo_t *from)
{
	return copy_to_user(to, from, sizeof(*to)) ? -EFAULT : 0;
}

/*
 * A siginfo from user space (rt_sigqueueinfo): the kernel keeps SI_KERNEL_SIZE bytes,
 * so bytes past them must be zero unless the layout is one it knows (E2BIG).
 */
static int copy_siginfo_from_user(int sig, siginfo_t *to, const siginfo_t __user *from)
{
	if (copy_from_user(to, from, sizeof(*to)))
		return -EFAULT;
	to->si_signo = sig;
	if (!known_siginfo_layout(sig, to->si_code)) {
		const char *extra = (const char *)to + SI_KERNEL_SIZE;

		for (size_t i = 0; i < sizeof(*to) - SI_KERNEL_SIZE; i++)
			if (extra[i])
				return -E2BIG;
	}
	memset((char *)to + SI_KERNEL_SIZE, 0, sizeof(*to) - SI_KERNEL_SIZE);
	return 0;
}

static void prepare_kill_siginfo(int sig, siginfo_t *info, int code)
{
	kernel_siginfo(info, sig, code);
	info->si_pid = task_tgid_vnr(current);
	info->si_uid = current_uid();
}

SYSCALL_DEFINE2(kill, pid_t, pid, int, sig)
{
	siginfo_t info;

	prepare_kill_siginfo(sig, &info, SI_USER);
	return kill_something_info(sig, &info, pid);
}

/* tkill/tgkill/rt_tgsigqueueinfo: to one thread (of group tgid, if tgid > 0). */
static int do_send_specific(int tgid, int pid, int sig, siginfo_t *info)
{
	struct task_struct *p;
	unsigned long flags;
	int error = -ESRCH;

	spin_lock_irqsave(&tasklist_lock, flags);
	p = find_task_by_vpid(pid);
	if (p && (tgid <= 0 || task_tgid_vnr(p) == tgid)) {
		error = check_kill_permission(sig, info, p);
		/* Signal 0 only probes for existence and permission. */
		if (!error && sig) {
			error = do_send_sig_info(sig, info, p, false);
			/* Released meanwhile: as if it died right after receiving it. */
			if (error == -ESRCH)
				error = 0;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return error;
}

static int do_tkill(int tgid, int pid, int sig)
{
	siginfo_t info;

	prepare_kill_siginfo(sig, &info, SI_TKILL);
	return do_send_specific(tgid, pid, sig, &info);
}

SYSCALL_DEFINE3(tgkill, pid_t, tgid, pid_t, pid, int, sig)
{
	if (pid <= 0 || tgid <= 0)
		return -EINVAL;
	return do_tkill(tgid, pid, sig);
}

SYSCALL_DEFINE2(tkill, pid_t, pid, int, sig)
{
	if (pid <= 0)
		return -EINVAL;
	return do_tkill(0, pid, sig);
}

/* Nobody, root included, may pose as the kernel or as kill/tkill to another task. */
static bool sigqueue_code_allowed(const siginfo_t *info, int pid)
{
	return !((info->si_code >= 0 || info->si_code == SI_TKILL) && task_pid_vnr(current) != pid);
}

SYSCALL_DEFINE3(rt_sigqueueinfo, pid_t, pid, int, sig, siginfo_t __user *, uinfo)
{
	siginfo_t info;
	int ret = copy_siginfo_from_user(sig, &info, uinfo);

	if (ret)
		return ret;
	if (!sigqueue_code_allowed(&info, pid))
		return -EPERM;
	return kill_pid_info(sig, &info, pid);
}

SYSCALL_DEFINE4(rt_tgsigqueueinfo, pid_t, tgid, pid_t, pid, int, sig,
		siginfo_t __user *, uinfo)
{
	siginfo_t info;
	int ret = copy_siginfo_from_user(sig, &info, uinfo);

	if (ret)
		return ret;
	if (pid <= 0 || tgid <= 0)
		return -EINVAL;
	if (!sigqueue_code_allowed(&info, pid))
		return -EPERM;
	return do_send_specific(tgid, pid, sig, &info);
}

/* The sa_flags rt_sigaction keeps; others read back as 0, so programs can probe. */
#define UAPI_SA_FLAGS	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | \
			 SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER)

static int do_sigaction(int sig, struct k_sigaction *act, struct k_sigaction *oact)
{
	struct task_struct *p = current, *t;
	struct k_sigaction *k;
	sigset_t mask;

	if (!valid_signal(sig) || sig < 1 || (act && sig_kernel_only(sig)))
		return -EINVAL;
	k = &p->sighand->action[sig - 1];

	spin_lock_irq(&p->sighand->siglock);
	if (oact)
		*oact = *k;
	if (act) {
		act->sa.sa_flags &= UAPI_SA_FLAGS;
		sigdelsetmask(&act->sa.sa_mask, SIG_KERNEL_ONLY_MASK);
		*k = *act;
		/*
		 * POSIX: setting SIG_IGN, or SIG_DFL where the default is to ignore,
		 * discards the pending signal, blocked or not.
		 */
		if (sig_handler_ignored(sig_handler(p, sig), sig)) {
			siginitset(&mask, sigmask(sig));
			flush_sigqueue_mask(&mask, &p->signal->shared_pending);
			for_each_thread(p, t)
				flush_sigqueue_mask(&mask, &t->pending);
		}
	}
	spin_unlock_irq(&p->sighand->siglock);
	return 0;
}

SYSCALL_DEFINE4(rt_sigaction, int, sig, const struct sigaction __user *, act,
		struct sigaction __user *, oact, size_t, sigsetsize)
{
	struct k_sigaction new_sa, old_sa;
	int ret;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (act && copy_from_user(&new_sa.sa, act, sizeof(new_sa.sa)))
		return -EFAULT;
	ret = do_sigaction(sig, act ? &new_sa : NULL, oact ? &old_sa : NULL);
	if (ret)
		return ret;
	if (oact && copy_to_user(oact, &old_sa.sa, sizeof(old_sa.sa)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, sigset_t __user *, nset, sigset_t __user *, oset,
		size_t, sigsetsize)
{
	sigset_t old_set = current->blocked, new_set;
	int error;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (nset) {
		if (copy_from_user(&new_set, nset, sizeof(new_set)))
			return -EFAULT;
		sigdelsetmask(&new_set, SIG_KERNEL_ONLY_MASK);
		error = sigprocmask(how, &new_set);
		if (error)
			return error;
	}
	if (oset && copy_to_user(oset, &old_set, sizeof(old_set)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(rt_sigpending, sigset_t __user *, uset, size_t, sigsetsize)
{
	sigset_t set;

	if (sigsetsize > sizeof(set))
		return -EINVAL;
	spin_lock_irq(&current->sighand->siglock);
	sigorsets(&set, &current->pending.signal, &current->signal->shared_pending.signal);
	spin_unlock_irq(&current->sighand->siglock);
	sigandsets(&set, &current->blocked, &set);
	return copy_to_user(uset, &set, sigsetsize) ? -EFAULT : 0;
}

/* Sleep with a temporary mask until a signal comes; do_signal restores the old mask
 * after the handler's frame saved it. */
SYSCALL_DEFINE2(rt_sigsuspend, sigset_t __user *, unewset, size_t, sigsetsize)
{
	sigset_t newset;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&newset, unewset, sizeof(newset)))
		return -EFAULT;
	current->saved_sigmask = current->blocked;
	set_current_blocked(&newset);
	while (!signal_pending(current)) {
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
	}
	set_restore_sigmask();
	return -ERESTARTNOHAND;
}

/* Wait for one of which; NULL ts: no time limit. The signal, or -EAGAIN/-EINTR. */
static int do_sigtimedwait(const sigset_t *which, siginfo_t *info, const u64 *timeout_ns)
{
	struct task_struct *tsk = current;
	sigset_t mask = *which;
	int sig, woken = 0;

	/* The signals not waited for, as a mask; KILL and STOP are never waited for. */
	sigdelsetmask(&mask, SIG_KERNEL_ONLY_MASK);
	signotset(&mask);

	spin_lock_irq(&tsk->sighand->siglock);
	sig = dequeue_signal(tsk, &mask, info);
	if (!sig && (!timeout_ns || *timeout_ns)) {
		u64 expires = timeout_ns ? ktime_get_ns() + *timeout_ns : 0;

		/* Unblock those waited for so that they wake us; real_blocked keeps the
		 * mask (and tells senders they are not to be discarded or fatal). */
		tsk->real_blocked = tsk->blocked;
		sigandsets(&tsk->blocked, &tsk->blocked, &mask);
		recalc_sigpending();
		spin_unlock_irq(&tsk->sighand->siglock);

		if (timeout_ns) {
			woken = schedule_hrtimeout(expires, TASK_INTERRUPTIBLE);
		} else {
			set_current_state(TASK_INTERRUPTIBLE);
			schedule();
			woken = 1;
		}
		spin_lock_irq(&tsk->sighand->siglock);
		__set_task_blocked(tsk, &tsk->real_blocked);
		sigemptyset(&tsk->real_blocked);
		sig = dequeue_signal(tsk, &mask, info);
	}
	spin_unlock_irq(&tsk->sighand->siglock);
	if (sig)
		return sig;
	return woken ? -EINTR : -EAGAIN;
}

SYSCALL_DEFINE4(rt_sigtimedwait, const sigset_t __user *, uthese, siginfo_t __user *, uinfo,
		const struct __kernel_timespec __user *, uts, size_t, sigsetsize)
{
	struct __kernel_timespec ts;
	sigset_t these;
	siginfo_t info;
	u64 timeout;
	int ret;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&these, uthese, sizeof(these)))
		return -EFAULT;
	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NSEC_PER_SEC)
			return -EINVAL;
		/* Longer than the clock can count (centuries) is no limit. */
		timeout = (u64)ts.tv_sec >= UINT64_MAX / NSEC_PER_SEC / 2 ? UINT64_MAX / 2 :
			  (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	}
	ret = do_sigtimedwait(&these, &info, uts ? &timeout : NULL);
	if (ret > 0 && uinfo && copy_siginfo_to_user(uinfo, &info))
		ret = -EFAULT;
	return ret;
}

static int do_sigaltstack(const stack_t *ss, stack_t *oss, unsigned long sp)
{
	struct task_struct *t = current;

	if (oss) {
		memset(oss, 0, sizeof(*oss));
		oss->ss_sp = (void __user *)t->sas_ss_sp;
		oss->ss_size = t->sas_ss_size;
		oss->ss_flags = sas_ss_flags(sp) | (t->sas_ss_flags & SS_AUTODISARM);
	}
	if (ss) {
		unsigned long ss_sp = (unsigned long)ss->ss_sp;
		size_t ss_size = ss->ss_size;
		unsigned int ss_flags = ss->ss_flags;
		unsigned int ss_mode = ss_flags & ~SS_AUTODISARM;

		/* Not while running on it. */
		if (on_sig_stack(sp))
			return -EPERM;
		if (ss_mode != SS_DISABLE && ss_mode != SS_ONSTACK && ss_mode != 0)
			return -EINVAL;
		if (ss_mode == SS_DISABLE) {
			ss_size = 0;
			ss_sp = 0;
		} else if (ss_size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
		t->sas_ss_sp = ss_sp;
		t->sas_ss_size = ss_size;
		t->sas_ss_flags = ss_flags;
	}
	return 0;
}

SYSCALL_DEFINE2(sigaltstack, const stack_t __user *, uss, stack_t __user *, uoss)
{
	stack_t new, old;
	int err;

	if (uss && copy_from_user(&new, uss, sizeof(new)))
		return -EFAULT;
	err = do_sigaltstack(uss ? &new : NULL, uoss ? &old : NULL, current_pt_regs()->sp);
	if (!err && uoss && copy_to_user(uoss, &old, sizeof(old)))
		err = -EFAULT;
	return err;
}

int __save_altstack(stack_t __user *uss)
{
	struct task_struct *t = current;

	return put_user((void *)t->sas_ss_sp, &uss->ss_sp) |
	       put_user((int)t->sas_ss_flags, &uss->ss_flags) |
	       put_user(t->sas_ss_size, &uss->ss_size);
}

int restore_altstack(const stack_t __user *uss)
{
	stack_t new;

	if (copy_from_user(&new, uss, sizeof(new)))
		return -EFAULT;
	/* Refused while on it (EPERM): the usual case, and harmless. Only EFAULT counts. */
	do_sigaltstack(&new, NULL, current_pt_regs()->sp);
	return 0;
}

long do_no_restart_syscall(struct restart_block *restart __maybe_unused)
{
	return -EINTR;
}

SYSCALL_DEFINE0(restart_syscall)
{
	struct restart_block *restart = &current->restart_block;

	return restart->fn ? restart->fn(restart) : do_no_restart_syscall(restart);
}
