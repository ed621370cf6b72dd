// SPDX-License-Identifier: MIT
/*
 * Host versions of what mm/ needs from kernel/ (panic, printk, spinlocks), plus the
 * test helpers declared in mm_support.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <asm/thread_info.h>
#include <kairos/bug.h>
#include <kairos/memblock.h>
#include <kairos/printk.h>
#include <kairos/spinlock.h>
#include <kairos/string.h>

#include "mm_support.h"

unsigned long host_page_offset;
bool host_irqs_off;
struct thread_info host_thread_info;
bool oops_in_progress;

jmp_buf *host_panic_jmp;
char host_panic_msg[512];

/* Locks currently held, so that a caught panic can release them. */
static spinlock_t *held_locks[16];
static unsigned int nr_held;

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	if (!host_panic_jmp) {
		fprintf(stderr, "Kernel panic - not syncing: %s\n", host_panic_msg);
		abort();
	}
	while (nr_held) {
		spinlock_t *lock = held_locks[--nr_held];

		lock->owner_cpu = -1;
		lock->owner = lock->next;
	}
	host_thread_info.preempt_count = 0;
	host_irqs_off = false;
	longjmp(*host_panic_jmp, 1);
}

void __warn(const char *file, int line, const char *cond)
{
	fprintf(stderr, "WARNING: at %s:%d: %s\n", file, line, cond);
}

int vprintk(const char *fmt, va_list ap)
{
	if (fmt[0] == KERN_SOH[0] && fmt[1])
		fmt += 2;
	return vfprintf(stderr, fmt, ap);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* One host thread is "CPU 0"; the debug checks mirror kernel/locking/spinlock.c. */
void do_raw_spin_lock(spinlock_t *lock)
{
	if (lock->owner_cpu == 0)
		panic("spinlock %p: recursion", (void *)lock);
	if (nr_held == sizeof(held_locks) / sizeof(held_locks[0]))
		panic("host: more than %u spinlocks held", nr_held);
	lock->next++;
	lock->owner_cpu = 0;
	held_locks[nr_held++] = lock;
}

bool do_raw_spin_trylock(spinlock_t *lock)
{
	if (lock->owner_cpu == 0)
		return false;
	do_raw_spin_lock(lock);
	return true;
}

void do_raw_spin_unlock(spinlock_t *lock)
{
	unsigned int i;

	if (lock->owner_cpu != 0)
		panic("spinlock %p: unlock of a lock not held", (void *)lock);
	lock->owner_cpu = -1;
	lock->owner++;
	for (i = 0; i < nr_held && held_locks[i] != lock; i++)
		;
	for (; i + 1 < nr_held; i++)
		held_locks[i] = held_locks[i + 1];
	nr_held--;
}

void assert_spin_locked(spinlock_t *lock)
{
	if (lock->owner_cpu != 0)
		panic("spinlock %p: not held", (void *)lock);
}

void preempt_schedule(void)
{
}

void *host_arena_create(phys_addr_t base, size_t size)
{
	void *arena = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (arena == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	host_page_offset = (unsigned long)arena - base;
	return arena;
}

void host_arena_destroy(void *arena, size_t size)
{
	munmap(arena, size);
}

void host_memblock_reset(void)
{
	memset(&memblock, 0, sizeof(memblock));
}

static u64 rand_state = 0x9e3779b97f4a7c15ULL;

void host_srand(u64 seed)
{
	rand_state = seed ? seed : 1;
}

u64 host_rand(void)
{
	rand_state ^= rand_state >> 12;
	rand_state ^= rand_state << 25;
	rand_state ^= rand_state >> 27;
	return rand_state * 0x2545f4914f6cdd1dULL;
}
