// SPDX-License-Identifier: MIT
/*
 * Credentials over a task's life: fork counts the child against its real uid's user
 * (RLIMIT_NPROC), a change of real uid moves the task to another user, the task's last
 * reference goes with the task. Threads are counted one by one, as Linux counts tasks.
 */
#include <kairos/cred.h>
#include <kairos/resource.h>
#include <kairos/sched.h>
#include <kairos/signal.h>

/*
 * The new task p (a copy of current) joins its user; -EAGAIN if that takes the user past
 * current's RLIMIT_NPROC, unless the user is root's or current is privileged. p holds a
 * reference to the user either way (dropped with p).
 */
int copy_creds(struct task_struct *p)
{
	struct user_struct *user = get_uid(p->cred.user);

	if ((unsigned long)atomic_inc_return(&user->processes) > rlimit(RLIMIT_NPROC) &&
	    user != INIT_USER && !capable(CAP_SYS_RESOURCE) && !capable(CAP_SYS_ADMIN)) {
		atomic_dec(&user->processes);
		return -EAGAIN;
	}
	/* Under the limit again: a pending set*uid complaint is void (see commit_creds). */
	current->flags &= ~PF_NPROC_EXCEEDED;
	return 0;
}

/* p is being freed: its reference to its user goes. */
void exit_creds(struct task_struct *p)
{
	free_uid(p->cred.user);
}

/*
 * Make new current's credentials. A new real uid moves us to that user; if it already
 * has more tasks than RLIMIT_NPROC, set*uid still succeeds (programs run as root seldom
 * check it) but the next execve fails with EAGAIN (PF_NPROC_EXCEEDED, fs/exec.c).
 * Changing who we act as stops a PR_SET_PDEATHSIG request. -EAGAIN without memory.
 */
int commit_creds(struct cred *new)
{
	struct task_struct *task = current;
	struct cred *old = &task->cred;
	struct user_struct *old_user = old->user;
	unsigned long flags;

	if (new->uid != old->uid) {
		new->user = alloc_uid(new->uid);
		if (!new->user)
			return -EAGAIN;
		if ((unsigned long)atomic_read(&new->user->processes) > rlimit(RLIMIT_NPROC) &&
		    new->user != INIT_USER)
			task->flags |= PF_NPROC_EXCEEDED;
		else
			task->flags &= ~PF_NPROC_EXCEEDED;
		atomic_inc(&new->user->processes);
		atomic_dec(&old_user->processes);
	}
	if (new->euid != old->euid || new->egid != old->egid ||
	    new->fsuid != old->fsuid || new->fsgid != old->fsgid)
		task->pdeath_signal = 0;
	/* Under our siglock: a signal being queued to us is charged to a user that stays. */
	spin_lock_irqsave(&task->sighand->siglock, flags);
	*old = *new;
	spin_unlock_irqrestore(&task->sighand->siglock, flags);
	if (old->user != old_user)
		free_uid(old_user);
	return 0;
}

/* Whether the next execve may go on: no set*uid left us over RLIMIT_NPROC. */
int check_nproc_exceeded(void)
{
	if ((current->flags & PF_NPROC_EXCEEDED) &&
	    (unsigned long)atomic_read(&current_cred()->user->processes) > rlimit(RLIMIT_NPROC))
		return -EAGAIN;
	current->flags &= ~PF_NPROC_EXCEEDED;
	return 0;
}
