// SPDX-License-Identifier: MIT
/*
 * Terminal job control, as Linux has it. A session has at most one controlling
 * terminal (signal->tty in each of its processes), which knows the session and its
 * foreground process group (tty->session, tty->pgrp). A session leader without one
 * acquires a terminal by opening it without O_NOCTTY or by TIOCSCTTY. Processes of
 * the session outside the foreground group are stopped (SIGTTIN, SIGTTOU) when they
 * read, write with TOSTOP, or change the terminal; signal characters go to the
 * foreground group. When the leader exits, the terminal hangs up.
 *
 * Locks: tty->lock, then tasklist_lock, then siglock, then tty->ctrl_lock.
 */
#include <kairos/bitmap.h>
#include <kairos/errno.h>
#include <kairos/pid.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/uaccess.h>
#include <uapi/ioctls.h>
#include "tty.h"

struct tty_struct *get_current_tty(void)
{
	struct tty_struct *tty;
	unsigned long flags;

	spin_lock_irqsave(&current->sighand->siglock, flags);
	tty = current->signal->tty;
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	return tty;
}

struct pid *tty_get_pgrp(struct tty_struct *tty)
{
	unsigned long flags;
	struct pid *pgrp;

	spin_lock_irqsave(&tty->ctrl_lock, flags);
	pgrp = get_pid(tty->pgrp);
	spin_unlock_irqrestore(&tty->ctrl_lock, flags);
	return pgrp;
}

static bool is_ignored(int sig)
{
	return sigismember(&current->blocked, sig) ||
	       current->sighand->action[sig - 1].sa.sa_handler == SIG_IGN;
}

int __tty_check_change(struct tty_struct *tty, int sig)
{
	struct pid *pgrp, *tty_pgrp;
	int ret = 0;

	if (READ_ONCE(current->signal->tty) != tty)
		return 0;
	pgrp = get_task_pid(current, PIDTYPE_PGID);
	tty_pgrp = tty_get_pgrp(tty);
	if (!tty_pgrp || pgrp == tty_pgrp)
		goto out;
	/* A background process: stopped, unless stopping it could never be undone. */
	if (is_ignored(sig)) {
		ret = sig == SIGTTIN ? -EIO : 0;
	} else if (is_current_pgrp_orphaned()) {
		ret = -EIO;
	} else {
		kill_pgrp(pgrp, sig, 1);
		/* Another thread may take the signal: this one still restarts the call. */
		set_bit(TIF_SIGPENDING, &current->thread_info.flags);
		ret = -ERESTARTSYS;
	}
out:
	put_pid(tty_pgrp);
	put_pid(pgrp);
	return ret;
}

int tty_check_change(struct tty_struct *tty)
{
	return __tty_check_change(tty, SIGTTOU);
}

/* siglock and ctrl_lock held; current is a session leader, whose group and session
 * setpgid cannot change. */
static void __proc_set_tty(struct tty_struct *tty)
{
	put_pid(tty->session);
	put_pid(tty->pgrp);
	tty->session = get_pid(task_session(current));
	tty->pgrp = get_pid(task_pgrp(current));
	current->signal->tty = tty;
}

static void proc_set_tty(struct tty_struct *tty)
{
	unsigned long flags;

	spin_lock_irqsave(&current->sighand->siglock, flags);
	spin_lock(&tty->ctrl_lock);
	__proc_set_tty(tty);
	spin_unlock(&tty->ctrl_lock);
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
}

void tty_open_proc_set_tty(struct file *file, struct tty_struct *tty)
{
	unsigned long flags;

	spin_lock_irqsave(&current->sighand->siglock, flags);
	spin_lock(&tty->ctrl_lock);
	/* Write access alone does not give the rights of a controlling terminal. */
	if (current->signal->leader && !current->signal->tty && !tty->session &&
	    (file->f_mode & FMODE_READ))
		__proc_set_tty(tty);
	spin_unlock(&tty->ctrl_lock);
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
}

/* Every process of the session loses its controlling terminal; tasklist_lock held. */
static void session_clear_tty(struct pid *session)
{
	struct task_struct *p;

	for_each_pid_task(session, PIDTYPE_SID, p) {
		spin_lock(&p->sighand->siglock);
		p->signal->tty = NULL;
		spin_unlock(&p->sighand->siglock);
	}
}

struct pid *tty_detach_session(struct tty_struct *tty)
{
	struct pid *session, *pgrp;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&tty->ctrl_lock);
	session = tty->session;
	pgrp = tty->pgrp;
	tty->session = tty->pgrp = NULL;
	spin_unlock(&tty->ctrl_lock);
	if (session)
		session_clear_tty(session);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	put_pid(session);
	return pgrp;
}

static void proc_clear_tty(void)
{
	unsigned long flags;

	spin_lock_irqsave(&current->sighand->siglock, flags);
	current->signal->tty = NULL;
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
}

void disassociate_ctty(int on_exit)
{
	struct tty_struct *tty;
	struct pid *pgrp;

	if (!current->signal->leader)
		return;
	tty = get_current_tty();
	if (!tty)
		return;
	if (on_exit) {
		tty_vhangup_session(tty);
		return;
	}
	mutex_lock(&tty->lock);
	pgrp = tty_detach_session(tty);
	mutex_unlock(&tty->lock);
	if (pgrp) {
		kill_pgrp(pgrp, SIGHUP, 0);
		kill_pgrp(pgrp, SIGCONT, 0);
		put_pid(pgrp);
	}
}

static int tiocsctty(struct tty_struct *tty, struct file *file, int arg)
{
	unsigned long flags;
	int ret = 0;

	mutex_lock(&tty->lock);
	spin_lock_irqsave(&tasklist_lock, flags);
	if (current->signal->leader && task_session(current) == tty->session)
		goto unlock;		/* already ours */
	if (!current->signal->leader || current->signal->tty) {
		ret = -EPERM;
		goto unlock;
	}
	if (tty->session) {
		/* Another session's: only root may take it (arg 1), and only if it asks. */
		if (arg != 1 || !capable(CAP_SYS_ADMIN)) {
			ret = -EPERM;
			goto unlock;
		}
		session_clear_tty(tty->session);
	}
	if (!(file->f_mode & FMODE_READ) && !capable(CAP_SYS_ADMIN)) {
		ret = -EPERM;
		goto unlock;
	}
	proc_set_tty(tty);
unlock:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	mutex_unlock(&tty->lock);
	return ret;
}

/* The session of process group pgrp (or of the process pgrp, if no group has that ID);
 * NULL if neither: a session ID alone names no group. tasklist_lock held. */
static struct pid *session_of_pgrp(struct pid *pgrp)
{
	struct task_struct *p = pid_task(pgrp, PIDTYPE_PGID);

	if (!p)
		p = pid_task(pgrp, PIDTYPE_PID);
	return p ? task_session(p) : NULL;
}

static int tiocspgrp(struct tty_struct *tty, int __user *p)
{
	int pgrp_nr, retval = tty_check_change(tty);
	unsigned long flags;
	struct pid *pgrp;

	if (retval == -EIO)
		return -ENOTTY;
	if (retval)
		return retval;
	if (get_user(pgrp_nr, p))
		return -EFAULT;
	if (pgrp_nr < 0)
		return -EINVAL;
	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&tty->ctrl_lock);
	if (current->signal->tty != tty || tty->session != task_session(current)) {
		retval = -ENOTTY;
		goto unlock;
	}
	/* A number in our namespace. */
	pgrp = find_vpid(pgrp_nr);
	if (!pgrp) {
		retval = -ESRCH;
	} else if (session_of_pgrp(pgrp) != task_session(current)) {
		retval = -EPERM;
	} else {
		put_pid(tty->pgrp);
		tty->pgrp = get_pid(pgrp);
	}
unlock:
	spin_unlock(&tty->ctrl_lock);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return retval;
}

long tty_jobctrl_ioctl(struct tty_struct *tty, struct file *file, unsigned int cmd,
		       unsigned long arg)
{
	int __user *p = (int __user *)arg;
	unsigned long flags;
	struct pid *pgrp;
	int sid, ret;

	switch (cmd) {
	case TIOCSCTTY:
		return tiocsctty(tty, file, (int)arg);
	case TIOCNOTTY:
		if (get_current_tty() != tty)
			return -ENOTTY;
		disassociate_ctty(0);
		proc_clear_tty();
		return 0;
	case TIOCGPGRP:
		if (get_current_tty() != tty)
			return -ENOTTY;
		/* As the caller's namespace sees it (0: outside). */
		pgrp = tty_get_pgrp(tty);
		ret = put_user(pid_vnr(pgrp), p);
		put_pid(pgrp);
		return ret;
	case TIOCSPGRP:
		return tiocspgrp(tty, p);
	case TIOCGSID:
		if (get_current_tty() != tty)
			return -ENOTTY;
		spin_lock_irqsave(&tty->ctrl_lock, flags);
		sid = tty->session ? pid_vnr(tty->session) : -1;
		spin_unlock_irqrestore(&tty->ctrl_lock, flags);
		return sid >= 0 ? put_user(sid, p) : -ENOTTY;
	default:
		return -ENOTTY;
	}
}
