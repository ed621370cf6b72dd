// SPDX-License-Identifier: MIT
/*
 * Users: what a real uid has in use across all its tasks (Linux's struct user_struct),
 * for the limits counted per user rather than per process: RLIMIT_NPROC counts the
 * user's tasks, RLIMIT_SIGPENDING its queued signals. Each task's credentials hold a
 * reference; a user is found by uid in a small hash and freed with its last reference.
 */
#include <kairos/cred.h>
#include <kairos/list.h>
#include <kairos/slab.h>
#include <kairos/spinlock.h>

#define UIDHASH_BITS	5
#define UIDHASH_SZ	(1 << UIDHASH_BITS)

static struct list_head uidhash_table[UIDHASH_SZ];
static DEFINE_SPINLOCK(uidhash_lock);

/* uid 0: init's and the kernel threads'. Never freed (its count starts at 1). */
struct user_struct root_user = {
	.__count	= ATOMIC_INIT(1),
	.uid		= 0,
};

static struct list_head *uidhashentry(uid_t uid)
{
	return &uidhash_table[(uid ^ (uid >> UIDHASH_BITS)) & (UIDHASH_SZ - 1)];
}

void __init uid_cache_init(void)
{
	for (int i = 0; i < UIDHASH_SZ; i++)
		INIT_LIST_HEAD(&uidhash_table[i]);
	list_add(&root_user.uidhash_node, uidhashentry(0));
}

/* uidhash_lock held. */
static struct user_struct *uid_hash_find(uid_t uid)
{
	struct user_struct *up;

	list_for_each_entry(up, uidhashentry(uid), uidhash_node)
		if (up->uid == uid) {
			atomic_inc(&up->__count);
			return up;
		}
	return NULL;
}

/* A reference to uid's user, made if it has none yet; NULL without memory. */
struct user_struct *alloc_uid(uid_t uid)
{
	struct user_struct *up, *new;
	unsigned long flags;

	spin_lock_irqsave(&uidhash_lock, flags);
	up = uid_hash_find(uid);
	spin_unlock_irqrestore(&uidhash_lock, flags);
	if (up)
		return up;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return NULL;
	new->uid = uid;
	atomic_set(&new->__count, 1);
	/* Someone may have made it while we allocated. */
	spin_lock_irqsave(&uidhash_lock, flags);
	up = uid_hash_find(uid);
	if (!up) {
		list_add(&new->uidhash_node, uidhashentry(uid));
		up = new;
		new = NULL;
	}
	spin_unlock_irqrestore(&uidhash_lock, flags);
	kfree(new);
	return up;
}

/*
 * Drop a reference. The last one is dropped under uidhash_lock, so that a lookup never
 * finds a user on its way out; any other just decrements. Callable with IRQs off (a
 * queued signal's reference goes under a siglock).
 */
void free_uid(struct user_struct *up)
{
	unsigned long flags;
	int old = atomic_read(&up->__count);

	while (old > 1)
		if (atomic_try_cmpxchg(&up->__count, &old, old - 1))
			return;
	spin_lock_irqsave(&uidhash_lock, flags);
	if (!atomic_dec_and_test(&up->__count)) {
		spin_unlock_irqrestore(&uidhash_lock, flags);
		return;
	}
	list_del(&up->uidhash_node);
	spin_unlock_irqrestore(&uidhash_lock, flags);
	kfree(up);
}
