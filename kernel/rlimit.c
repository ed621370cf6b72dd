// SPDX-License-Identifier: MIT
/*
 * getrlimit, setrlimit, prlimit64: the limits' storage and Linux's rules for changing
 * them. tasklist_lock covers the limits of every group (a change is rare and short),
 * and keeps a task found by PID from being released meanwhile.
 */
#include <kairos/cred.h>
#include <kairos/fs.h>
#include <kairos/mm.h>
#include <kairos/mm_types.h>
#include <kairos/pid.h>
#include <kairos/resource.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include <uapi/futex.h>

#define INR_OPEN_CUR	1024		/* RLIMIT_NOFILE's soft default */
#define INR_OPEN_MAX	4096		/* ... and hard */
#define MLOCK_LIMIT	(8UL << 20)	/* RLIMIT_MEMLOCK */
#define MQ_BYTES_MAX	819200		/* RLIMIT_MSGQUEUE */

void init_rlimits(struct rlimit rlim[RLIM_NLIMITS])
{
	/* Linux's max_threads: an eighth of memory for kernel stacks; half for one user. */
	unsigned long threads = totalram_pages() / (8 * THREAD_SIZE / PAGE_SIZE);
	unsigned long nproc = clamp(threads, 20UL, (unsigned long)FUTEX_TID_MASK) / 2;

	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlim[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	rlim[RLIMIT_STACK].rlim_cur = _STK_LIM;
	rlim[RLIMIT_CORE].rlim_cur = 0;
	rlim[RLIMIT_NPROC] = (struct rlimit){ nproc, nproc };
	rlim[RLIMIT_NOFILE] = (struct rlimit){ INR_OPEN_CUR, INR_OPEN_MAX };
	rlim[RLIMIT_MEMLOCK] = (struct rlimit){ MLOCK_LIMIT, MLOCK_LIMIT };
	rlim[RLIMIT_SIGPENDING] = rlim[RLIMIT_NPROC];
	rlim[RLIMIT_MSGQUEUE] = (struct rlimit){ MQ_BYTES_MAX, MQ_BYTES_MAX };
	rlim[RLIMIT_NICE] = (struct rlimit){ 0, 0 };
	rlim[RLIMIT_RTPRIO] = (struct rlimit){ 0, 0 };
}

/*
 * Read (old_rlim) and/or set (new_rlim) tsk's limit. A soft limit above the hard one is
 * -EINVAL; raising the hard limit needs CAP_SYS_RESOURCE; RLIMIT_NOFILE stops at
 * NR_OPEN whoever asks. tasklist_lock held.
 */
static int do_prlimit(struct task_struct *tsk, unsigned int resource,
		      const struct rlimit *new_rlim, struct rlimit *old_rlim)
{
	struct rlimit *rlim;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new_rlim) {
		if (new_rlim->rlim_cur > new_rlim->rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE && new_rlim->rlim_max > NR_OPEN)
			return -EPERM;
	}
	rlim = &tsk->signal->rlim[resource];
	if (new_rlim && new_rlim->rlim_max > rlim->rlim_max && !capable(CAP_SYS_RESOURCE))
		return -EPERM;
	if (old_rlim)
		*old_rlim = *rlim;
	if (new_rlim)
		*rlim = *new_rlim;
	return 0;
}

static int do_prlimit_current(unsigned int resource, const struct rlimit *new_rlim,
			      struct rlimit *old_rlim)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&tasklist_lock, flags);
	ret = do_prlimit(current, resource, new_rlim, old_rlim);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

SYSCALL_DEFINE2(getrlimit, unsigned int, resource, struct rlimit __user *, rlim)
{
	struct rlimit value;
	int ret = do_prlimit_current(resource, NULL, &value);

	if (ret)
		return ret;
	return copy_to_user(rlim, &value, sizeof(value)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(setrlimit, unsigned int, resource, struct rlimit __user *, rlim)
{
	struct rlimit value;

	if (copy_from_user(&value, rlim, sizeof(value)))
		return -EFAULT;
	return do_prlimit_current(resource, &value, NULL);
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
