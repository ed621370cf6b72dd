/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlocks: CPUs get the lock in the order they asked for it. Holding one keeps
 * preemption off. Always-on debug checks catch a CPU taking a lock it already holds and
 * a CPU releasing a lock it does not hold.
 */
#ifndef KAIROS_SPINLOCK_H
#define KAIROS_SPINLOCK_H

#include <asm/irqflags.h>
#include <kairos/compiler.h>
#include <kairos/preempt.h>
#include <kairos/types.h>

typedef struct spinlock {
	u16 owner;		/* ticket now served */
	u16 next;		/* next ticket to hand out */
	int owner_cpu;		/* -1 when free: for the debug checks */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED	{ .owner = 0, .next = 0, .owner_cpu = -1 }
#define DEFINE_SPINLOCK(name)	spinlock_t name = __SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *lock)
{
	*lock = (spinlock_t)__SPIN_LOCK_UNLOCKED;
}

void do_raw_spin_lock(spinlock_t *lock);
bool do_raw_spin_trylock(spinlock_t *lock);
void do_raw_spin_unlock(spinlock_t *lock);

static inline bool spin_is_locked(spinlock_t *lock)
{
	return READ_ONCE(lock->owner) != READ_ONCE(lock->next);
}

static inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	do_raw_spin_lock(lock);
}

static inline bool spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (do_raw_spin_trylock(lock))
		return true;
	preempt_enable();
	return false;
}

static inline void spin_unlock(spinlock_t *lock)
{
	do_raw_spin_unlock(lock);
	preempt_enable();
}

static inline void spin_lock_irq(spinlock_t *lock)
{
	local_irq_disable();
	spin_lock(lock);
}

static inline void spin_unlock_irq(spinlock_t *lock)
{
	do_raw_spin_unlock(lock);
	local_irq_enable();
	preempt_enable();
}

#define spin_lock_irqsave(lock, flags) do {				\
	local_irq_save(flags);						\
	spin_lock(lock);						\
} while (0)

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	do_raw_spin_unlock(lock);
	local_irq_restore(flags);
	preempt_enable();
}

/* The lock must be held by this CPU (debug check). */
void assert_spin_locked(spinlock_t *lock);

#endif
