/* SPDX-License-Identifier: MIT */
/*
 * Sleeping mutual exclusion for task context. The owner is recorded: unlocking a mutex
 * one does not own, or locking one already owned, is a BUG. A locker spins while the
 * owner runs on another CPU and nobody waits; waiters sleep in FIFO order and unlock
 * hands the mutex straight to the first, so none can be starved by newcomers.
 */
#ifndef KAIROS_MUTEX_H
#define KAIROS_MUTEX_H

#include <kairos/list.h>
#include <kairos/percpu.h>
#include <kairos/sched.h>
#include <kairos/spinlock.h>
#include <kairos/types.h>

struct mutex {
	/* The owning task, or 0; bit 0 (MUTEX_FLAG_WAITERS) set while tasks wait. */
	unsigned long owner;
	spinlock_t wait_lock;
	struct list_head wait_list;
};

#define MUTEX_FLAG_WAITERS	0x01UL

#define __MUTEX_INITIALIZER(name) {					\
	.owner = 0,							\
	.wait_lock = __SPIN_LOCK_UNLOCKED,				\
	.wait_list = LIST_HEAD_INIT((name).wait_list),			\
}
#define DEFINE_MUTEX(name) struct mutex name = __MUTEX_INITIALIZER(name)

static inline void mutex_init(struct mutex *lock)
{
	lock->owner = 0;
	spin_lock_init(&lock->wait_lock);
	INIT_LIST_HEAD(&lock->wait_list);
}

static inline bool mutex_is_locked(struct mutex *lock)
{
	return __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != 0;
}

static inline struct task_struct *mutex_owner(struct mutex *lock)
{
	return (struct task_struct *)(__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) &
				      ~MUTEX_FLAG_WAITERS);
}

/*
 * Per CPU, for /proc/sched_debug: contended locks taken by spinning while the owner ran,
 * and lockers that queued to sleep.
 */
struct mutex_stat {
	unsigned long spin_acquired;
	unsigned long sleeps;
};
DECLARE_PER_CPU(struct mutex_stat, mutex_stat);

void mutex_lock(struct mutex *lock);
/* 0 once held, -EINTR if a signal came first. */
int mutex_lock_interruptible(struct mutex *lock);
/* true if it took the mutex; never sleeps. */
bool mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);

#endif
