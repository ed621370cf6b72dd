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

bool do_notify_parent(struct task_struct *tsk __maybe_unused, int sig __maybe_unused)
{
	return false;
}

void signal_wake_up(struct task_struct *t __maybe_unused, bool fatal __maybe_unused)
{
}

void exit_signals(struct task_struct *tsk __maybe_unused)
{
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
