/* SPDX-License-Identifier: MIT */
/*
 * Completions: one side waits until the other says "done". complete() lets one waiter
 * through (or banks the event if nobody waits yet); complete_all() lets every waiter,
 * present and future, through until reinit_completion().
 */
#ifndef KAIROS_COMPLETION_H
#define KAIROS_COMPLETION_H

#include <kairos/wait.h>

struct completion {
	unsigned int done;		/* events banked; COMPLETION_ALL after complete_all() */
	struct wait_queue_head wait;
};

#define COMPLETION_ALL		(~0U)

#define COMPLETION_INITIALIZER(work) \
	{ 0, __WAIT_QUEUE_HEAD_INITIALIZER((work).wait) }
#define DECLARE_COMPLETION(work) \
	struct completion work = COMPLETION_INITIALIZER(work)

static inline void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}

/* Only while nobody waits on or completes x. */
static inline void reinit_completion(struct completion *x)
{
	x->done = 0;
}

void complete(struct completion *x);
void complete_all(struct completion *x);
void wait_for_completion(struct completion *x);
/* 0 if timeout jiffies passed first, else the jiffies left (>= 1). */
unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout);
/* 0, or -ERESTARTSYS if a signal (a fatal one for killable) came first. */
int wait_for_completion_interruptible(struct completion *x);
int wait_for_completion_killable(struct completion *x);
/* Take an event without sleeping: false if none is banked. */
bool try_wait_for_completion(struct completion *x);
/* Whether an event is banked (a waiter would not sleep). */
bool completion_done(struct completion *x);

#endif
