/* SPDX-License-Identifier: MIT */
/*
 * Signal sets and pending sets: the signal types task_struct embeds. Nothing else, so
 * that host builds of the scheduler (schedsim, host tests), which also see the C
 * library's signal headers, get no clashing names; kairos/signal.h and uapi/signal.h
 * have the rest.
 */
#ifndef KAIROS_SIGNAL_TYPES_H
#define KAIROS_SIGNAL_TYPES_H

#include <kairos/list.h>
#include <kairos/types.h>

#ifdef __KAIROS_HOST__
/*
 * The C library has a sigset_t (128 bytes) and functions of these names of its own:
 * the kernel's are renamed there, as tests/host/host_prefix.h renames memcpy and friends.
 */
#define sigset_t	kairos_sigset_t
#define sigemptyset	kairos_sigemptyset
#define sigfillset	kairos_sigfillset
#define sigaddset	kairos_sigaddset
#define sigdelset	kairos_sigdelset
#define sigismember	kairos_sigismember
#define sigisemptyset	kairos_sigisemptyset
#undef sigmask
#endif

/* The kernel's sigset: one bit per signal, bit (sig - 1). The ABI size is 8 bytes. */
typedef struct {
	unsigned long sig[1];
} sigset_t;

#define sigmask(sig)		(1UL << ((sig) - 1))

static inline void sigemptyset(sigset_t *set)
{
	set->sig[0] = 0;
}

static inline void sigfillset(sigset_t *set)
{
	set->sig[0] = ~0UL;
}

static inline void sigaddset(sigset_t *set, int sig)
{
	set->sig[0] |= sigmask(sig);
}

static inline void sigdelset(sigset_t *set, int sig)
{
	set->sig[0] &= ~sigmask(sig);
}

static inline bool sigismember(const sigset_t *set, int sig)
{
	return set->sig[0] & sigmask(sig);
}

static inline bool sigisemptyset(const sigset_t *set)
{
	return set->sig[0] == 0;
}

struct sigpending {
	struct list_head list;		/* of struct sigqueue */
	sigset_t signal;
};

static inline void init_sigpending(struct sigpending *sig)
{
	sigemptyset(&sig->signal);
	INIT_LIST_HEAD(&sig->list);
}

#endif
