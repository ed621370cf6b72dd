// SPDX-License-Identifier: MIT
/*
 * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE: wake some waiters of one futex and move others,
 * without waking them, to wait on a second one (a condition variable's broadcast moves
 * its waiters to the mutex instead of waking them all to fight over it).
 */
#include <kairos/sched.h>
#include <kairos/uaccess.h>

#include "futex.h"

/* Move q from hb1 to hb2 (both locked) to wait on key2. */
static void requeue_futex(struct futex_q *q, struct futex_hash_bucket *hb1,
			  struct futex_hash_bucket *hb2, struct futex_key *key2)
{
	if (hb1 != hb2) {
		list_move_tail(&q->list, &hb2->chain);
		futex_hb_waiters_dec(hb1);
		futex_hb_waiters_inc(hb2);
		q->lock_ptr = &hb2->lock;
	}
	/* q holds its key: a reference on the new one, the old one dropped. */
	get_futex_key_refs(key2);
	put_futex_key(&q->key);
	q->key = *key2;
}

int futex_requeue(u32 __user *uaddr1, unsigned int flags, u32 __user *uaddr2, int nr_wake,
		  int nr_requeue, const u32 *cmpval)
{
	struct futex_hash_bucket *hb1, *hb2;
	struct futex_key key1, key2;
	struct futex_q *q, *next;
	int ret, task_count = 0;
	u32 curval;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
retry:
	ret = get_futex_key(uaddr1, flags, &key1, false);
	if (ret)
		return ret;
	ret = get_futex_key(uaddr2, flags, &key2, false);
	if (ret) {
		put_futex_key(&key1);
		return ret;
	}
	hb1 = futex_hash(&key1);
	hb2 = futex_hash(&key2);

	/* Waiters may arrive in hb2 from here on: wakers of key2 must look. */
	futex_hb_waiters_inc(hb2);
	double_lock_hb(hb1, hb2);
	if (cmpval) {
		ret = futex_get_value_locked(&curval, uaddr1);
		if (ret) {
			double_unlock_hb(hb1, hb2);
			futex_hb_waiters_dec(hb2);
			put_futex_key(&key2);
			put_futex_key(&key1);
			if (get_user(curval, uaddr1))
				return -EFAULT;
			goto retry;
		}
		if (curval != *cmpval) {
			ret = -EAGAIN;
			goto out_unlock;
		}
	}
	list_for_each_entry_safe(q, next, &hb1->chain, list) {
		if (task_count - nr_wake >= nr_requeue)
			break;
		if (!futex_match(&q->key, &key1))
			continue;
		if (++task_count <= nr_wake)
			futex_wake_q(q);
		else
			requeue_futex(q, hb1, hb2, &key2);
	}
	ret = task_count;
out_unlock:
	double_unlock_hb(hb1, hb2);
	futex_hb_waiters_dec(hb2);
	put_futex_key(&key2);
	put_futex_key(&key1);
	return ret;
}
