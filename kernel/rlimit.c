// SPDX-License-Identifier: MIT
/*
 * getrlimit, setrlimit, prlimit64: Linux's rules for changing the limits. The group's
 * siglock covers its limits (fork copies them under it); a task found by PID is kept
 * from being released by tasklist_lock, and one that has already left its group
 * (sighand gone) is not there any more: -ESRCH.
 */
#include <kairos/cred.h>
#include <kairos/fs.h>
#include <kairos/pid.h>
#include <kairos/resource.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>

/*
 * Read (old_rlim) and/or set (new_rlim) tsk's limit. A soft limit above the hard one is
 * -EINVAL; raising the hard limit needs CAP_SYS_RESOURCE; RLIMIT_NOFILE stops at
 * NR_OPEN whoever asks.
 */
static int do_prlimit(struct task_struct *tsk, unsigned int resource,
		      const struct rlimit *new_rlim, struct rlimit *old_rlim)
{
	struct sighand_struct *sighand = tsk->sighand;
	struct rlimit *rlim;
	unsigned long flags;
	int ret = 0;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new_rlim) {
		if (new_rlim->rlim_cur > new_rlim->rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE && new_rlim->rlim_max > NR_OPEN)
			return -EPERM;
	}
	if (!sighand)
		return -ESRCH;
	rlim = &tsk->signal->rlim[resource];
	spin_lock_irqsave(&sighand->siglock, flags);
	if (new_rlim && new_rlim->rlim_max > rlim->rlim_max && !capable(CAP_SYS_RESOURCE))
		ret = -EPERM;
	if (!ret && old_rlim)
		*old_rlim = *rlim;
	if (!ret && new_rlim)
		*rlim = *new_rlim;
	spin_unlock_irqrestore(&sighand->siglock, flags);
	return ret;
}

SYSCALL_DEFINE2(getrlimit, unsigned int, resource, struct rlimit __user *, rlim)
{
	struct rlimit value;
	int ret = do_prlimit(current, resource, NULL, &value);

	if (ret)
		return ret;
	return copy_to_user(rlim, &value, sizeof(value)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(setrlimit, unsigned int, resource, struct rlimit __user *, rlim)
{
	struct rlimit value;

	if (copy_from_user(&value, rlim, sizeof(value)))
		return -EFAULT;
	return do_prlimit(current, resource, &value, NULL);
}

/* Acting on another thread: matching ids or CAP_SYS_RESOURCE, as Linux checks. */
static bool prlimit_allowed(struct task_struct *tsk)
{
	return tsk == current || cred_ids_match(current_cred(), &tsk->cred) ||
	       capable(CAP_SYS_RESOURCE);
}

/* On 64-bit, struct rlimit and struct rlimit64 are the same (RLIM64_INFINITY too). */
SYSCALL_DEFINE4(prlimit64, pid_t, pid, unsigned int, resource,
		const struct rlimit64 __user *, new_rlim, struct rlimit64 __user *, old_rlim)
{
	struct rlimit64 new64, old64;
	struct rlimit new, old;
	struct task_struct *tsk;
	unsigned long flags;
	int ret;

	if (new_rlim) {
		if (copy_from_user(&new64, new_rlim, sizeof(new64)))
			return -EFAULT;
		new.rlim_cur = new64.rlim_cur;
		new.rlim_max = new64.rlim_max;
	}
	spin_lock_irqsave(&tasklist_lock, flags);
	tsk = pid ? find_task_by_vpid(pid) : current;
	if (!tsk)
		ret = -ESRCH;
	else if (!prlimit_allowed(tsk))
		ret = -EPERM;
	else
		ret = do_prlimit(tsk, resource, new_rlim ? &new : NULL, old_rlim ? &old : NULL);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (ret || !old_rlim)
		return ret;
	old64.rlim_cur = old.rlim_cur;
	old64.rlim_max = old.rlim_max;
	return copy_to_user(old_rlim, &old64, sizeof(old64)) ? -EFAULT : 0;
}
