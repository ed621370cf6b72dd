// SPDX-License-Identifier: MIT
/*
 * Tests that must crash the kernel, each run alone by name (make test boots one kernel
 * per test and checks the oops report: header, ESR, symbolized call trace, panic end).
 */
#include <asm/memory.h>
#include <asm/sysreg.h>
#include <kairos/bug.h>
#include <kairos/ktest.h>
#include <kairos/smp.h>
#include <kairos/spinlock.h>

/* A write to a kernel address nothing maps. */
KTEST_EXPLICIT(oops_unmapped)
{
	volatile unsigned long *p = (volatile unsigned long *)(VMALLOC_END - PAGE_SIZE);

	*p = 0xdead;
	ktest_fail(t, __FILE__, __LINE__, "the write to an unmapped address returned");
}

KTEST_EXPLICIT(oops_spinlock_recursion)
{
	static DEFINE_SPINLOCK(lock);

	spin_lock(&lock);
	spin_lock(&lock);
	ktest_fail(t, __FILE__, __LINE__, "taking a held lock twice returned");
}

/* Never reached, but the compiler cannot know that: the recursion is not provably infinite. */
static volatile unsigned long recursion_limit = ~0UL;

static unsigned long recurse(unsigned long depth)
{
	volatile char pad[256];

	pad[0] = (char)depth;
	if (depth == recursion_limit)
		return 0;
	return recurse(depth + 1) + pad[0];
}

static void overflow_on_this_cpu(void *arg)
{
	recurse(0);
}

/*
 * Recursion on a guarded stack: CPU 1's idle stack, where the IPI runs, or this task's
 * own if it is on CPU 1. Never CPU 0: its idle task's stack is init_stack, in the image,
 * with kernel data below it instead of a guard page.
 */
KTEST_EXPLICIT(oops_stack_overflow)
{
	unsigned int cpu = 1;

	if (!cpu_online(cpu)) {
		ktest_fail(t, __FILE__, __LINE__, "needs two CPUs");
		return;
	}
	smp_call_function_single(cpu, overflow_on_this_cpu, NULL, true);
	ktest_fail(t, __FILE__, __LINE__, "unbounded recursion returned");
}

static void unlock_foreign_lock(void *lock)
{
	spin_unlock(lock);
}

/* Another CPU releases a lock this one holds: the owner check must catch it. */
KTEST_EXPLICIT(oops_spinlock_foreign_unlock)
{
	static DEFINE_SPINLOCK(lock);
	unsigned int cpu = smp_processor_id() ? 0 : 1;

	if (!cpu_online(cpu)) {
		ktest_fail(t, __FILE__, __LINE__, "needs two CPUs");
		return;
	}
	spin_lock(&lock);
	smp_call_function_single(cpu, unlock_foreign_lock, &lock, true);
	spin_unlock(&lock);
	ktest_fail(t, __FILE__, __LINE__, "a CPU released a lock it does not hold");
}
