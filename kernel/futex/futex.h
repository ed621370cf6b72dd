/* SPDX-License-Identifier: MIT */
/*
 * Futexes, internal interface (kernel/futex/).
 *
 * A waiter is a struct futex_q on its own stack, queued in the hash bucket of its key.
 * The bucket's spinlock covers the chain and every queued futex_q's list, key and
 * lock_ptr. A waker unlinks a futex_q (list_del_init) and wakes its task, both under the
 * bucket lock; the waiter learns which happened (woken, or a timeout / signal) by
 * taking that lock again in futex_unqueue, so a waker never touches a futex_q or task
 * whose owner could have gone. Requeue moves a futex_q to another bucket and changes
 * its lock_ptr with both locks held.
 *
 * Lock order: bucket locks (two: lower address first) before p->pi_lock and rq->lock,
 * as a wait-queue head's. mmap_lock (key lookup) is never held with a bucket lock, and
 * the user value is read under the bucket lock with faults failing (atomic context),
 * then faulted in with no lock held and the whole step retried.
 */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include <kairos/atomic.h>
#include <kairos/futex.h>
#include <kairos/hrtimer.h>
#include <kairos/list.h>
#include <kairos/spinlock.h>
#include <kairos/types.h>
#include <uapi/errno.h>
#include <uapi/futex.h>

struct task_struct;

/* Internal flags, kept in restart_block.futex.flags across a restart. */
#define FLAGS_SHARED		0x01	/* not FUTEX_PRIVATE_FLAG */
#define FLAGS_CLOCKRT		0x02	/* absolute timeout on CLOCK_REALTIME */
#define FLAGS_HAS_TIMEOUT	0x04

/*
 * What identifies a futex. Private: the mm and the address. Shared in a private mapping
 * (Linux's FUT_OFF_MMSHARED): the same, but a different kind, so a private waiter is
 * not woken by a shared wake, as in Linux. Shared in a shared mapping: the physical
 * page and the offset in it, so every mm mapping the page finds the same futex; a
 * reference on the page keeps it (and so the key) unique while the key is held.
 */
enum futex_key_type {
	FUTEX_KEY_PRIVATE,
	FUTEX_KEY_MM_SHARED,
	FUTEX_KEY_PAGE,
};

struct futex_key {
	void *ptr;			/* the mm_struct, or the struct page */
	unsigned long address;		/* the user address, or the offset in the page */
	enum futex_key_type type;
};

static inline bool futex_match(const struct futex_key *a, const struct futex_key *b)
{
	return a->ptr == b->ptr && a->address == b->address && a->type == b->type;
}

struct futex_hash_bucket {
	atomic_t waiters;		/* queued or about to be: lets wakers skip the lock */
	spinlock_t lock;
	struct list_head chain;
} __aligned(64);

struct futex_q {
	struct list_head list;		/* in the bucket's chain; empty once woken */
	struct task_struct *task;
	spinlock_t *lock_ptr;		/* the lock of the bucket it is queued in */
	struct futex_key key;
	u32 bitset;
};

int get_futex_key(u32 __user *uaddr, unsigned int flags, struct futex_key *key, bool write);
void put_futex_key(struct futex_key *key);
/* Another holder of key (a requeued waiter): takes a reference for it. */
void get_futex_key_refs(struct futex_key *key);

struct futex_hash_bucket *futex_hash(const struct futex_key *key);
void double_lock_hb(struct futex_hash_bucket *hb1, struct futex_hash_bucket *hb2);
void double_unlock_hb(struct futex_hash_bucket *hb1, struct futex_hash_bucket *hb2);

static inline void futex_hb_waiters_inc(struct futex_hash_bucket *hb)
{
	atomic_inc(&hb->waiters);
	/* Pairs with the waker's barrier: one sees the other's store. */
	smp_mb();
}

static inline void futex_hb_waiters_dec(struct futex_hash_bucket *hb)
{
	atomic_dec(&hb->waiters);
}

static inline bool futex_hb_waiters_pending(struct futex_hash_bucket *hb)
{
	smp_mb();
	return atomic_read(&hb->waiters) != 0;
}

/* Read *uaddr under a bucket lock (a fault fails with -EFAULT). */
int futex_get_value_locked(u32 *dest, u32 __user *uaddr);
/* Resolve a write fault on uaddr with no lock held: 0 or -EFAULT. */
int fault_in_user_writeable(u32 __user *uaddr);

/* Unlink q (bucket locked) and wake its task. */
void futex_wake_q(struct futex_q *q);
/* Take q off its bucket if it is still queued: true if it was (not woken). */
bool futex_unqueue(struct futex_q *q);

int futex_do_wake(u32 __user *uaddr, unsigned int flags, int nr_wake, u32 bitset);
/* abs_time: NULL, or ns on CLOCK_REALTIME (FLAGS_CLOCKRT) or CLOCK_MONOTONIC. */
int futex_wait(u32 __user *uaddr, unsigned int flags, u32 val, const u64 *abs_time,
	       u32 bitset);
int futex_wake_op(u32 __user *uaddr1, unsigned int flags, u32 __user *uaddr2, int nr_wake,
		  int nr_wake2, int op);
int futex_requeue(u32 __user *uaddr1, unsigned int flags, u32 __user *uaddr2, int nr_wake,
		  int nr_requeue, const u32 *cmpval);

#endif
