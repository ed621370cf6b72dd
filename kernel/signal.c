// SPDX-License-Identifier: MIT
/*
 * Signals. PLACEHOLDER while the signal work is under way: just enough for the rest of
 * the kernel to link (a forced signal ends the process). Replaced whole by the real
 * implementation.
 */
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/uaccess.h>
#include <uapi/errno.h>

void force_sig(int sig)
{
	do_exit(sig);
}

void force_sig_fault(int sig, int code __maybe_unused, void __user *addr __maybe_unused)
{
	force_sig(sig);
}

void force_fatal_sig(int sig)
{
	force_sig(sig);
}

void force_sigkill(struct task_struct *p __maybe_unused)
{
}

int send_sig_info(int sig __maybe_unused, siginfo_t *info __maybe_unused,
		  struct task_struct *p __maybe_unused)
{
	return -ENOSYS;
}

int group_send_sig_info(int sig, siginfo_t *info, struct task_struct *p)
{
	return send_sig_info(sig, info, p);
}

int kill_pid_info(int sig __maybe_unused, siginfo_t *info __maybe_unused,
		  int pid __maybe_unused)
{
	return -ENOSYS;
}

long do_no_restart_syscall(struct restart_block *restart __maybe_unused)
{
	return -EINTR;
}

int kill_pgrp(int pgrp __maybe_unused, int sig __maybe_unused, int priv __maybe_unused)
{
	return -ENOSYS;
}

/* No SIGCHLD yet; the waiters are woken, and a parent ignoring SIGCHLD does not wait. */
bool do_notify_parent(struct task_struct *tsk, int sig)
{
	struct k_sigaction *ka = &tsk->parent->sighand->action[SIGCHLD - 1];

	__wake_up_parent(tsk, tsk->parent);
	return sig == SIGCHLD &&
	       (ka->sa.sa_handler == SIG_IGN || (ka->sa.sa_flags & SA_NOCLDWAIT));
}

void task_join_group_stop(struct task_struct *task __maybe_unused)
{
}

int zap_other_threads(struct task_struct *p)
{
	struct task_struct *t = p;
	int count = 0;

	p->signal->group_stop_count = 0;
	while_each_thread(p, t) {
		t->jobctl &= ~(JOBCTL_STOP_PENDING | JOBCTL_STOP_CONSUME);
		count++;
		if (t->exit_state)
			continue;
		sigaddset(&t->pending.signal, SIGKILL);
		signal_wake_up(t, true);
	}
	return count;
}

bool will_become_orphaned_pgrp(int pgrp, struct task_struct *ignored_task)
{
	struct task_struct *p;

	for_each_process(p) {
		struct task_struct *parent = p->real_parent;

		if (p->signal->pgrp != pgrp || p == ignored_task ||
		    (p->exit_state && thread_group_empty(p)) || parent->tgid == 1)
			continue;
		if (parent->signal->pgrp != pgrp && parent->signal->session == p->signal->session)
			return false;
	}
	return true;
}

bool is_current_pgrp_orphaned(void)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&tasklist_lock, flags);
	ret = will_become_orphaned_pgrp(current->signal->pgrp, NULL);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

void signal_wake_up(struct task_struct *t __maybe_unused, bool fatal __maybe_unused)
{
}

void exit_signals(struct task_struct *tsk)
{
	tsk->flags |= PF_EXITING;
}

void ignore_signals(struct task_struct *t)
{
	for (int i = 0; i < _NSIG; i++)
		t->sighand->action[i].sa.sa_handler = SIG_IGN;
}

void flush_sigqueue(struct sigpending *pending)
{
	sigemptyset(&pending->signal);
}

void flush_signal_handlers(struct task_struct *t __maybe_unused, int force_default __maybe_unused)
{
}

void do_signal(struct pt_regs *regs __maybe_unused)
{
}

/* No signal can be delivered yet: a mask changes nothing, but its argument is checked. */
int set_user_sigmask(const sigset_t __user *umask, size_t sigsetsize)
{
	sigset_t kmask;

	if (!umask)
		return 0;
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	return copy_from_user(&kmask, umask, sizeof(kmask)) ? -EFAULT : 0;
}

void restore_saved_sigmask_unless(bool interrupted __maybe_unused)
{
}
