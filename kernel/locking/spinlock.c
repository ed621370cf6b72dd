// SPDX-License-Identifier: MIT
#include <asm/processor.h>
#include <asm/sysreg.h>
#include <kairos/bug.h>
#include <kairos/printk.h>
#include <kairos/smp.h>
#include <kairos/spinlock.h>

static void __noreturn spin_bug(spinlock_t *lock, const char *msg)
{
	printk(KERN_EMERG "BUG: spinlock %s on CPU%u, lock %p, owner cpu %d\n", msg,
	       smp_processor_id(), (void *)lock, READ_ONCE(lock->owner_cpu));
	BUG();
}

void do_raw_spin_lock(spinlock_t *lock)
{
	u16 ticket;

	if (unlikely(READ_ONCE(lock->owner_cpu) == (int)smp_processor_id()))
		spin_bug(lock, "recursion");
	ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
	WRITE_ONCE(lock->owner_cpu, (int)smp_processor_id());
}

bool do_raw_spin_trylock(spinlock_t *lock)
{
	u16 owner = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
	u16 expected = owner;

	/*
	 * Take the next ticket only if it is served at once, that is, if next == owner.
	 * owner never passes next, so next == owner at the CAS means owner did not move.
	 */
	if (!__atomic_compare_exchange_n(&lock->next, &expected, (u16)(owner + 1), false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	WRITE_ONCE(lock->owner_cpu, (int)smp_processor_id());
	return true;
}

void do_raw_spin_unlock(spinlock_t *lock)
{
	if (unlikely(READ_ONCE(lock->owner_cpu) != (int)smp_processor_id()))
		spin_bug(lock, "unlock by a CPU that does not hold it");
	WRITE_ONCE(lock->owner_cpu, -1);
	__atomic_store_n(&lock->owner, (u16)(lock->owner + 1), __ATOMIC_RELEASE);
}

void assert_spin_locked(spinlock_t *lock)
{
	if (unlikely(READ_ONCE(lock->owner_cpu) != (int)smp_processor_id()))
		spin_bug(lock, "not held by this CPU");
}
