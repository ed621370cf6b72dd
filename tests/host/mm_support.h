/* SPDX-License-Identifier: MIT */
/* What the mm host tests share: a fake physical memory arena and catchable panics. */
#ifndef TESTS_HOST_MM_SUPPORT_H
#define TESTS_HOST_MM_SUPPORT_H

#include <setjmp.h>
#include <kairos/types.h>

/* Where panic() jumps when set; otherwise it reports and aborts. */
extern jmp_buf *host_panic_jmp;
extern char host_panic_msg[512];

/*
 * True if stmt panicked. Locks the panicking code held are released and the preempt
 * count reset, as if the panic had been survived, so that the test can go on.
 */
#define EXPECT_PANIC(stmt) ({						\
	jmp_buf __jb;							\
	volatile bool __fired = false;					\
									\
	host_panic_msg[0] = '\0';					\
	host_panic_jmp = &__jb;						\
	if (setjmp(__jb) == 0) {					\
		stmt;							\
	} else {							\
		__fired = true;						\
	}								\
	host_panic_jmp = NULL;						\
	__fired;							\
})

/* Map size bytes of fake RAM to stand for physical [base, base + size); returns its VA. */
void *host_arena_create(phys_addr_t base, size_t size);
void host_arena_destroy(void *arena, size_t size);

/* Forget every memblock range, so that each test starts from an empty map. */
void host_memblock_reset(void);

/* A small deterministic PRNG (xorshift64*), so a failing run can be replayed. */
u64 host_rand(void);
void host_srand(u64 seed);

#endif
