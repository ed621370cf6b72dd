// SPDX-License-Identifier: MIT
/*
 * Mutexes (see include/kairos/mutex.h and docs/locking.md). ->owner is claimed with a
 * cmpxchg from 0, so an uncontended lock or unlock is one atomic. A task that must wait
 * queues under wait_lock and sets MUTEX_FLAG_WAITERS, which makes the owner's fast unlock
 * fail; the slow unlock then hands ->owner straight to the first waiter. So, under
 * wait_lock, a non-empty wait_list means an owner with the flag set: newcomers (who only
 * take a 0 owner) never jump the queue.
 *
 * Before queueing, a locker spins while the owner is running on another CPU (it will
 * likely unlock soon, and a sleep and a wake-up cost far more than a short critical
 * section): Linux's optimistic spinning, without its queue of spinners. It stops when the
 * owner leaves its CPU, when someone has queued (the mutex will be handed to them), or
 * when this CPU has something better to do.
 */
#include <kairos/bug.h>
#include <kairos/mutex.h>
#include <kairos/percpu.h>
#include <kairos/sched.h>
#include <kairos/wait.h>
#include <uapi/errno.h>

DEFINE_PER_CPU(struct mutex_stat, mutex_stat);

struct mutex_waiter {
	struct list_head list;
	struct task_struct *task;
};

static bool __mutex_trylock_fast(struct mutex *lock)
{
	unsigned long free = 0;

	return __atomic_compare_exchange_n(&lock->owner, &free, (unsigned long)current, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static bool __mutex_unlock_fast(struct mutex *lock)
{
	unsigned long mine = (unsigned long)current;

	return __atomic_compare_exchange_n(&lock->owner, &mine, 0, false,
					   __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

/*
 * With wait_lock held and current queued: take the mutex if it is free (its owner
 * released it before we queued), else set the flag that routes the owner's unlock to us.
 */
static bool __mutex_trylock_or_flag(struct mutex *lock)
{
	unsigned long old = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED), new;

	do {
		new = old ? old | MUTEX_FLAG_WAITERS : (unsigned long)current;
	} while (!__atomic_compare_exchange_n(&lock->owner, &old, new, false,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	return !old;
}

/*
 * Spin for a free mutex while its owner runs. The owner's task_struct may be freed under
 * us (it unlocked and exited): reading its on_cpu is then harmless (slab memory stays in
 * the linear map), and the next look at ->owner sees the change.
 */
static bool mutex_optimistic_spin(struct mutex *lock)
{
	bool taken = false;

	/* Not preempted while spinning: need_resched ends the spin instead. */
	preempt_disable();
	for (;;) {
		unsigned long owner = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);

		if (!owner) {
			if (__mutex_trylock_fast(lock)) {
				taken = true;
				this_cpu_ptr(&mutex_stat)->spin_acquired++;
				break;
			}
			continue;
		}
		if ((owner & MUTEX_FLAG_WAITERS) || need_resched() ||
		    !READ_ONCE(((struct task_struct *)owner)->on_cpu))
			break;
		cpu_relax();
	}
	preempt_enable();
	return taken;
}

static int __mutex_lock_slowpath(struct mutex *lock, unsigned int state)
{
	struct mutex_waiter waiter = { .task = current };
	int ret = 0;

	if (mutex_optimistic_spin(lock))
		return 0;
	spin_lock(&lock->wait_lock);
	if (list_empty(&lock->wait_list) && __mutex_trylock_fast(lock))
		goto out;
	list_add_tail(&waiter.list, &lock->wait_list);
	if (__mutex_trylock_or_flag(lock)) {
		/* Free, so nobody else was queued either. */
		list_del(&waiter.list);
		goto out;
	}
	this_cpu_ptr(&mutex_stat)->sleeps++;
	for (;;) {
		/* Tested before signals: a mutex handed over is ours to keep. */
		if (mutex_owner(lock) == current)
			break;
		if (signal_pending_state(state, current)) {
			list_del(&waiter.list);
			if (list_empty(&lock->wait_list))
				__atomic_fetch_and(&lock->owner, ~MUTEX_FLAG_WAITERS,
						   __ATOMIC_RELAXED);
			ret = -EINTR;
			break;
		}
		/* Under wait_lock, which the handover takes: its wake-up finds this state. */
		set_current_state(state);
		spin_unlock(&lock->wait_lock);
		schedule();
		spin_lock(&lock->wait_lock);
	}
	__set_current_state(TASK_RUNNING);
out:
	spin_unlock(&lock->wait_lock);
	return ret;
}

static int __mutex_lock(struct mutex *lock, unsigned int state)
{
	might_sleep();
	/* A task waiting for itself would sleep for ever. */
	BUG_ON(mutex_owner(lock) == current);
	if (__mutex_trylock_fast(lock))
		return 0;
	return __mutex_lock_slowpath(lock, state);
}

void mutex_lock(struct mutex *lock)
{
	__mutex_lock(lock, TASK_UNINTERRUPTIBLE);
}

int mutex_lock_interruptible(struct mutex *lock)
{
	return __mutex_lock(lock, TASK_INTERRUPTIBLE);
}

bool mutex_trylock(struct mutex *lock)
{
	return __mutex_trylock_fast(lock);
}

void mutex_unlock(struct mutex *lock)
{
	struct mutex_waiter *waiter;
	struct task_struct *next;
	unsigned long owner = 0;

	BUG_ON(mutex_owner(lock) != current);
	if (__mutex_unlock_fast(lock))
		return;
	spin_lock(&lock->wait_lock);
	/* The last waiter may have left (a signal) since the fast path saw the flag. */
	if (!list_empty(&lock->wait_list)) {
		waiter = list_first_entry(&lock->wait_list, struct mutex_waiter, list);
		list_del(&waiter->list);
		next = waiter->task;
		owner = (unsigned long)next;
		if (!list_empty(&lock->wait_list))
			owner |= MUTEX_FLAG_WAITERS;
		/* The waiter checks ->owner under wait_lock, so its frame stays until we drop it. */
		__atomic_store_n(&lock->owner, owner, __ATOMIC_RELEASE);
		wake_up_process(next);
	} else {
		__atomic_store_n(&lock->owner, owner, __ATOMIC_RELEASE);
	}
	spin_unlock(&lock->wait_lock);
}
