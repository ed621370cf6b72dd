/* SPDX-License-Identifier: MIT */
/* Futexes (kernel/futex.c): what the rest of the kernel calls. */
#ifndef KAIROS_FUTEX_H
#define KAIROS_FUTEX_H

#include <kairos/compiler.h>
#include <kairos/types.h>

struct task_struct;

#define FUTEX_BITSET_MATCH_ANY	0xffffffff

/* The hash table of waiters (boot, once the slab allocator is up). */
void futex_init(void);
/* Wake up to nr waiters on uaddr (FUTEX_PRIVATE_FLAG in flags for a private futex). */
int futex_wake(u32 __user *uaddr, unsigned int flags, int nr, u32 bitset);
/*
 * At exit (tsk is current, its mm still there): mark the robust futexes tsk holds as
 * owner-died and wake one waiter of each.
 */
void exit_robust_list(struct task_struct *tsk);

#endif
