/* SPDX-License-Identifier: MIT */
/* Signal sets and pending queues: the signal types task_struct embeds (kairos/signal.h
 * has the rest, and the API). */
#ifndef KAIROS_SIGNAL_TYPES_H
#define KAIROS_SIGNAL_TYPES_H

#include <kairos/list.h>
#include <kairos/types.h>
#include <uapi/signal.h>

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

static inline void siginitset(sigset_t *set, unsigned long mask)
{
	set->sig[0] = mask;
}

static inline void sigaddsetmask(sigset_t *set, unsigned long mask)
{
	set->sig[0] |= mask;
}

static inline void sigdelsetmask(sigset_t *set, unsigned long mask)
{
	set->sig[0] &= ~mask;
}

static inline void sigorsets(sigset_t *r, const sigset_t *a, const sigset_t *b)
{
	r->sig[0] = a->sig[0] | b->sig[0];
}

static inline void sigandsets(sigset_t *r, const sigset_t *a, const sigset_t *b)
{
	r->sig[0] = a->sig[0] & b->sig[0];
}

/* r = a & ~b */
static inline void sigandnsets(sigset_t *r, const sigset_t *a, const sigset_t *b)
{
	r->sig[0] = a->sig[0] & ~b->sig[0];
}

static inline void signotset(sigset_t *set)
{
	set->sig[0] = ~set->sig[0];
}

static inline bool sigequalsets(const sigset_t *a, const sigset_t *b)
{
	return a->sig[0] == b->sig[0];
}

/* Unsigned: a negative int signal number is invalid too. */
static inline bool valid_signal(unsigned long sig)
{
	return sig <= _NSIG;
}

/* One queued signal with its siginfo (real-time signals queue; others coalesce). */
struct sigqueue {
	struct list_head list;
	siginfo_t info;
};

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
