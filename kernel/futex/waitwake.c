// SPDX-License-Identifier: MIT
/*
 * FUTEX_WAIT(_BITSET), FUTEX_WAKE(_BITSET) and FUTEX_WAKE_OP.
 *
 * No lost wake-ups: the waiter counts itself in the bucket (with a full barrier), then
 * reads the user value under the bucket lock and queues itself before dropping it; a
 * waker changes the value in user space, then (after its own barrier) looks at the
 * count and the chain under the lock. Either the waiter reads the new value and does not
 * sleep, or the waker finds it queued. The waiter sets its task state before queueing,
 * so a wake-up that comes between the unlock and schedule() is not lost either.
 */
#include <asm/futex.h>
#include <kairos/errno.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/time.h>
#include <kairos/uaccess.h>

#include "futex.h"

int futex_do_wake(u32 __user *uaddr, unsigned int flags, int nr_wake, u32 bitset)
{
	struct futex_hash_bucket *hb;
	struct futex_q *q, *next;
	struct futex_key key;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = get_futex_key(uaddr, flags, &key, false);
	if (ret)
		return ret;
	hb = futex_hash(&key);
	if (!futex_hb_waiters_pending(hb))
		goto out;
	spin_lock(&hb->lock);
	list_for_each_entry_safe(q, next, &hb->chain, list) {
		if (!futex_match(&q->key, &key) || !(q->bitset & bitset))
			continue;
		futex_wake_q(q);
		/* As in Linux, nr_wake <= 0 still wakes one. */
		if (++ret >= nr_wake)
			break;
	}
	spin_unlock(&hb->lock);
out:
	put_futex_key(&key);
	return ret;
}

int futex_wake(u32 __user *uaddr, unsigned int flags, int nr, u32 bitset)
{
	return futex_do_wake(uaddr, (flags & FUTEX_PRIVATE_FLAG) ? 0 : FLAGS_SHARED, nr, bitset);
}

static int sign_extend12(unsigned int v)
{
	return (int)(v << 20) >> 20;
}

/*
 * Apply FUTEX_WAKE_OP's operation to *uaddr (bucket locks held): 1 if the comparison
 * of the old value holds, 0 if not, or -errno (-ENOSYS for an unknown op or
 * comparison, as Linux: an unknown comparison is found after the store).
 */
static int futex_atomic_op_inuser(unsigned int encoded_op, u32 __user *uaddr)
{
	unsigned int op = (encoded_op >> 28) & 7, cmp = (encoded_op >> 24) & 15;
	int oparg = sign_extend12(encoded_op >> 12 & 0xfff);
	int cmparg = sign_extend12(encoded_op & 0xfff);
	int oldval, ret;

	/* An out-of-range shift is masked, as Linux does (it only complains). */
	if (encoded_op & (FUTEX_OP_OPARG_SHIFT << 28))
		oparg = (int)(1U << (oparg & 31));
	ret = arch_futex_atomic_op_inuser(op, oparg, &oldval, uaddr);
	if (ret)
		return ret;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		return oldval == cmparg;
	case FUTEX_OP_CMP_NE:
		return oldval != cmparg;
	case FUTEX_OP_CMP_LT:
		return oldval < cmparg;
	case FUTEX_OP_CMP_GE:
		return oldval >= cmparg;
	case FUTEX_OP_CMP_LE:
		return oldval <= cmparg;
	case FUTEX_OP_CMP_GT:
		return oldval > cmparg;
	default:
		return -ENOSYS;
	}
}

/* Wake up to nr waiters on key in hb (locked); returns how many. */
static int wake_matching(struct futex_hash_bucket *hb, const struct futex_key *key, int nr)
{
	struct futex_q *q, *next;
	int woken = 0;

	list_for_each_entry_safe(q, next, &hb->chain, list) {
		if (!futex_match(&q->key, key))
			continue;
		futex_wake_q(q);
		if (++woken >= nr)
			break;
	}
	return woken;
}

int futex_wake_op(u32 __user *uaddr1, unsigned int flags, u32 __user *uaddr2, int nr_wake,
		  int nr_wake2, int op)
{
	struct futex_hash_bucket *hb1, *hb2;
	struct futex_key key1, key2;
	int ret, op_ret;

retry:
	ret = get_futex_key(uaddr1, flags, &key1, false);
	if (ret)
		return ret;
	ret = get_futex_key(uaddr2, flags, &key2, true);
	if (ret) {
		put_futex_key(&key1);
		return ret;
	}
	hb1 = futex_hash(&key1);
	hb2 = futex_hash(&key2);

	double_lock_hb(hb1, hb2);
	op_ret = futex_atomic_op_inuser(op, uaddr2);
	if (op_ret < 0) {
		double_unlock_hb(hb1, hb2);
		put_futex_key(&key2);
		put_futex_key(&key1);
		if (op_ret == -EFAULT) {
			ret = fault_in_user_writeable(uaddr2);
			if (ret)
				return ret;
		} else if (op_ret != -EAGAIN) {
			return op_ret;
		}
		cond_resched();
		goto retry;
	}
	ret = wake_matching(hb1, &key1, nr_wake);
	if (op_ret > 0)
		ret += wake_matching(hb2, &key2, nr_wake2);
	double_unlock_hb(hb1, hb2);
	put_futex_key(&key2);
	put_futex_key(&key1);
	return ret;
}

/*
 * Check *uaddr == val under the bucket lock and queue q, then sleep until woken, the
 * timeout, or a signal. 0 when woken, else -EAGAIN, -EFAULT, -ETIMEDOUT or
 * -ERESTARTSYS.
 */
static int __futex_wait(u32 __user *uaddr, unsigned int flags, u32 val,
			struct hrtimer_sleeper *to, u32 bitset)
{
	struct futex_q q = { .task = current, .bitset = bitset };
	struct futex_hash_bucket *hb;
	bool queued;
	u32 uval;
	int ret;

retry:
	ret = get_futex_key(uaddr, flags, &q.key, false);
	if (ret)
		return ret;
	hb = futex_hash(&q.key);
	q.lock_ptr = &hb->lock;
	futex_hb_waiters_inc(hb);
	spin_lock(&hb->lock);
	ret = futex_get_value_locked(&uval, uaddr);
	if (ret || uval != val) {
		spin_unlock(&hb->lock);
		futex_hb_waiters_dec(hb);
		put_futex_key(&q.key);
		if (!ret)
			return -EAGAIN;
		/* Fault the page in with no lock held, then start over. */
		if (get_user(uval, uaddr))
			return -EFAULT;
		goto retry;
	}

	set_current_state(TASK_INTERRUPTIBLE);
	list_add_tail(&q.list, &hb->chain);
	spin_unlock(&hb->lock);
	if (to)
		hrtimer_sleeper_start(to);
	/* A waker that already took us off the chain has made us runnable. */
	if (READ_ONCE(q.list.next) != &q.list && (!to || !hrtimer_sleeper_expired(to)))
		schedule();
	__set_current_state(TASK_RUNNING);

	queued = futex_unqueue(&q);
	put_futex_key(&q.key);
	if (!queued)
		return 0;
	if (to && hrtimer_sleeper_expired(to))
		return -ETIMEDOUT;
	if (!signal_pending(current))
		goto retry;	/* a spurious wake-up */
	return -ERESTARTSYS;
}

static long futex_wait_restart(struct restart_block *restart);

int futex_wait(u32 __user *uaddr, unsigned int flags, u32 val, const u64 *abs_time,
	       u32 bitset)
{
	struct hrtimer_sleeper timeout, *to = NULL;
	struct restart_block *restart;
	int ret;

	if (!bitset)
		return -EINVAL;
	if (abs_time) {
		to = &timeout;
		hrtimer_sleeper_init(to, (flags & FLAGS_CLOCKRT) ? CLOCK_REALTIME : CLOCK_MONOTONIC,
				     *abs_time);
	}
	ret = __futex_wait(uaddr, flags, val, to, bitset);
	if (!to)
		return ret;
	hrtimer_sleeper_cancel(to);
	/* A timed wait resumes with the same absolute timeout, as Linux does. */
	if (ret == -ERESTARTSYS) {
		restart = &current->restart_block;
		restart->futex.uaddr = uaddr;
		restart->futex.val = val;
		restart->futex.time = *abs_time;
		restart->futex.bitset = bitset;
		restart->futex.flags = flags | FLAGS_HAS_TIMEOUT;
		restart->fn = futex_wait_restart;
		return -ERESTART_RESTARTBLOCK;
	}
	return ret;
}

static long futex_wait_restart(struct restart_block *restart)
{
	u64 t = restart->futex.time;

	restart->fn = do_no_restart_syscall;
	return futex_wait(restart->futex.uaddr, restart->futex.flags, restart->futex.val,
			  (restart->futex.flags & FLAGS_HAS_TIMEOUT) ? &t : NULL,
			  restart->futex.bitset);
}
