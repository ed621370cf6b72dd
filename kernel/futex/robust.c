// SPDX-License-Identifier: MIT
/*
 * Robust futexes: user space keeps, per thread, a list of the locks the thread holds
 * (set_robust_list). When the thread exits, the kernel walks that list and marks every
 * lock still owned by the thread FUTEX_OWNER_DIED, waking one waiter, so that the next
 * owner learns the previous one died holding it. The list is user memory and may be
 * anything: every read may fault, and the walk stops after ROBUST_LIST_LIMIT entries.
 */
#include <asm/futex.h>
#include <kairos/pid.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>

#include "futex.h"

SYSCALL_DEFINE2(set_robust_list, struct robust_list_head __user *, head, size_t, len)
{
	if (len != sizeof(*head))
		return -EINVAL;
	current->robust_list = head;
	return 0;
}

SYSCALL_DEFINE3(get_robust_list, int, pid, struct robust_list_head __user * __user *, head_ptr,
		size_t __user *, len_ptr)
{
	struct robust_list_head __user *head;
	struct task_struct *p = current;
	unsigned long flags;

	if (pid) {
		spin_lock_irqsave(&tasklist_lock, flags);
		p = find_task_by_vpid(pid);
		if (!p) {
			spin_unlock_irqrestore(&tasklist_lock, flags);
			return -ESRCH;
		}
		/* ptrace's read access: the same process, matching ids, or privilege. */
		if (p->tgid != current->tgid && !cred_ids_match(current_cred(), &p->cred) &&
		    !capable(CAP_SYS_PTRACE)) {
			spin_unlock_irqrestore(&tasklist_lock, flags);
			return -EPERM;
		}
		head = p->robust_list;
		spin_unlock_irqrestore(&tasklist_lock, flags);
	} else {
		head = p->robust_list;
	}
	if (put_user(sizeof(*head), len_ptr))
		return -EFAULT;
	return put_user(head, head_ptr);
}

/*
 * The thread curr died holding (or about to take: pending) the futex at uaddr, if its
 * TID is the owner there: set FUTEX_OWNER_DIED and wake a waiter. -1 stops the walk
 * (the list is unreadable).
 */
static int handle_futex_death(u32 __user *uaddr, struct task_struct *curr, bool pi,
			      bool pending_op)
{
	u32 uval, nval, mval;
	int err;

	if ((unsigned long)uaddr % sizeof(u32))
		return -1;
retry:
	if (get_user(uval, uaddr))
		return -1;
	/*
	 * A pending lock with no owner: curr may have been woken to take it and died
	 * first, so the wake-up it consumed is passed on.
	 */
	if (pending_op && !pi && !(uval & FUTEX_TID_MASK)) {
		futex_do_wake(uaddr, FLAGS_SHARED, 1, FUTEX_BITSET_MATCH_ANY);
		return 0;
	}
	if ((uval & FUTEX_TID_MASK) != (u32)task_pid_vnr(curr))
		return 0;
	mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	preempt_disable();
	err = futex_atomic_cmpxchg_inatomic(&nval, uaddr, uval, mval);
	preempt_enable();
	if (err) {
		/* -EFAULT: fault the page in; -EAGAIN: user space keeps changing it. */
		if (err == -EFAULT && fault_in_user_writeable(uaddr))
			return -1;
		cond_resched();
		goto retry;
	}
	if (nval != uval)
		goto retry;
	/* PI futexes would be handed on by their PI state; they are not supported. */
	if (!pi && (uval & FUTEX_WAITERS))
		futex_do_wake(uaddr, FLAGS_SHARED, 1, FUTEX_BITSET_MATCH_ANY);
	return 0;
}

/* Read a list pointer: the entry, and bit 0 (a PI futex) apart. */
static int fetch_robust_entry(struct robust_list __user **entry,
			      struct robust_list __user * __user *head, bool *pi)
{
	unsigned long uentry;

	if (get_user(uentry, (unsigned long __user *)head))
		return -EFAULT;
	*entry = (struct robust_list __user *)(uentry & ~1UL);
	*pi = uentry & 1;
	return 0;
}

void exit_robust_list(struct task_struct *curr)
{
	struct robust_list_head __user *head = curr->robust_list;
	struct robust_list __user *entry, *next_entry, *pending;
	unsigned int limit = ROBUST_LIST_LIMIT;
	bool pi, pip, next_pi;
	long futex_offset;
	int rc;

	if (!head)
		return;
	if (fetch_robust_entry(&entry, &head->list.next, &pi))
		return;
	if (get_user(futex_offset, &head->futex_offset))
		return;
	if (fetch_robust_entry(&pending, &head->list_op_pending, &pip))
		return;

	while (entry != &head->list) {
		/* Read the next one first: the owner-died update may let it be freed. */
		rc = fetch_robust_entry(&next_entry, &entry->next, &next_pi);
		if (entry != pending &&
		    handle_futex_death((u32 __user *)((unsigned long)entry + futex_offset), curr,
				       pi, false))
			return;
		if (rc)
			return;
		entry = next_entry;
		pi = next_pi;
		if (!--limit)
			break;
		cond_resched();
	}
	if (pending)
		handle_futex_death((u32 __user *)((unsigned long)pending + futex_offset), curr,
				   pip, true);
}
