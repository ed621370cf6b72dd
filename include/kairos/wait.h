/* SPDX-License-Identifier: MIT */
/*
 * Wait queues: tasks sleep on a wait_queue_head until another task or an interrupt makes
 * their condition true and wakes them. Entries are woken by calling their func under the
 * queue's lock; exclusive entries sit at the tail and a wake-up stops after waking the
 * number of them it was asked to, so that one event wakes one consumer.
 *
 * Also here: the signal tests sleeps honour, and might_sleep().
 */
#ifndef KAIROS_WAIT_H
#define KAIROS_WAIT_H

#include <kairos/delay.h>
#include <kairos/list.h>
#include <kairos/sched.h>
#include <kairos/spinlock.h>
#include <kairos/types.h>
#include <uapi/errno.h>

/*
 * Complain (with a backtrace) when a function that may sleep is called where sleeping is
 * not allowed: preemption or IRQs off. Quiet until the scheduler core sets
 * scheduler_running, since boot code runs with both off.
 */
void __might_sleep(const char *file, int line);
#define might_sleep() __might_sleep(__FILE__, __LINE__)

struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned int mode,
				 int wake_flags, void *key);

/* wait_queue_entry.flags */
#define WQ_FLAG_EXCLUSIVE	0x01

struct wait_queue_entry {
	unsigned int flags;
	void *private;			/* the waiting task, for the default funcs */
	wait_queue_func_t func;
	struct list_head entry;
};

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};

typedef struct wait_queue_head wait_queue_head_t;
typedef struct wait_queue_entry wait_queue_entry_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) {				\
	.lock = __SPIN_LOCK_UNLOCKED,					\
	.head = LIST_HEAD_INIT((name).head),				\
}
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

static inline void init_waitqueue_head(struct wait_queue_head *wq_head)
{
	spin_lock_init(&wq_head->lock);
	INIT_LIST_HEAD(&wq_head->head);
}

/* Wake the task in private (try_to_wake_up); the entry stays queued. */
int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			  int wake_flags, void *key);
/* The same, and dequeue the entry if the task was woken: the usual func for sleeps. */
int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			     int wake_flags, void *key);

#define DECLARE_WAITQUEUE(name, tsk)					\
	struct wait_queue_entry name = {				\
		.private = (tsk),					\
		.func = default_wake_function,				\
		.entry = { NULL, NULL },				\
	}

#define DEFINE_WAIT_FUNC(name, function)				\
	struct wait_queue_entry name = {				\
		.private = current,					\
		.func = (function),					\
		.entry = LIST_HEAD_INIT((name).entry),			\
	}
#define DEFINE_WAIT(name) DEFINE_WAIT_FUNC(name, autoremove_wake_function)

static inline void init_waitqueue_entry(struct wait_queue_entry *wq_entry,
					struct task_struct *p)
{
	wq_entry->flags = 0;
	wq_entry->private = p;
	wq_entry->func = default_wake_function;
}

static inline void init_waitqueue_func_entry(struct wait_queue_entry *wq_entry,
					     wait_queue_func_t func)
{
	wq_entry->flags = 0;
	wq_entry->private = NULL;
	wq_entry->func = func;
}

/* For current, waking with autoremove_wake_function; flags may be WQ_FLAG_EXCLUSIVE. */
void init_wait_entry(struct wait_queue_entry *wq_entry, unsigned int flags);
#define init_wait(wait) init_wait_entry(wait, 0)

/* Racy unless the caller holds the lock or pairs with a barrier (wq_has_sleeper). */
static inline bool waitqueue_active(struct wait_queue_head *wq_head)
{
	return !list_empty(&wq_head->head);
}

/* For wakers that changed the condition without the queue lock: order that change
 * before looking at the queue, pairing with set_current_state() in the sleeper. */
static inline bool wq_has_sleeper(struct wait_queue_head *wq_head)
{
	smp_mb();
	return waitqueue_active(wq_head);
}

void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void add_wait_queue_exclusive(struct wait_queue_head *wq_head,
			      struct wait_queue_entry *wq_entry);
void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);

/* Queue wq_entry (if not queued) and set current's state; finish_wait() undoes both. */
void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
		     unsigned int state);
void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *wq_entry, unsigned int state);
/* As prepare_to_wait, but -ERESTARTSYS (and dequeued) if a signal ends a sleep in state. */
long prepare_to_wait_event(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
			   unsigned int state);
void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);

/*
 * Call the func of every non-exclusive entry and of exclusive entries until nr_exclusive
 * of them have woken a task (0: all). mode is the task states to wake.
 */
void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive,
	       void *key);
/* One exclusive waiter, the waker about to sleep (WF_SYNC: the wakee may take its CPU). */
void __wake_up_sync(struct wait_queue_head *wq_head, unsigned int mode);
/* The same with wq_head->lock already held. */
void __wake_up_locked(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive);

#define wake_up(x)			__wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_nr(x, nr)		__wake_up(x, TASK_NORMAL, nr, NULL)
#define wake_up_all(x)			__wake_up(x, TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(x)	__wake_up(x, TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_nr(x, nr)	__wake_up(x, TASK_INTERRUPTIBLE, nr, NULL)
#define wake_up_interruptible_all(x)	__wake_up(x, TASK_INTERRUPTIBLE, 0, NULL)
#define wake_up_interruptible_sync(x)	__wake_up_sync(x, TASK_INTERRUPTIBLE)

/*
 * The loop under every wait_event*(): queue, set the state, test the condition, sleep
 * (cmd). The state is set before the condition is read and wake-ups take the queue lock,
 * so a waker that makes the condition true and then wakes the queue either is seen by the
 * test or finds the task queued and sleeping. The condition is tested before a pending
 * signal, so an event that arrived wins. Yields ret, or -ERESTARTSYS on a signal.
 */
#define ___wait_event(wq_head, condition, state, exclusive, ret, cmd) ({	\
	struct wait_queue_entry __wq_entry;					\
	long __ret = (ret);							\
										\
	init_wait_entry(&__wq_entry, (exclusive) ? WQ_FLAG_EXCLUSIVE : 0);	\
	for (;;) {								\
		long __intr = prepare_to_wait_event(&(wq_head), &__wq_entry, (state)); \
										\
		if (condition)							\
			break;							\
		if (__intr) {							\
			__ret = __intr;						\
			break;							\
		}								\
		cmd;								\
	}									\
	finish_wait(&(wq_head), &__wq_entry);					\
	__ret;									\
})

#define wait_event(wq_head, condition) do {					\
	might_sleep();								\
	if (!(condition))							\
		(void)___wait_event(wq_head, condition, TASK_UNINTERRUPTIBLE, 0, 0, \
				    schedule());				\
} while (0)

#define __wait_event_signal(wq_head, condition, state, exclusive) ({		\
	int __err = 0;								\
										\
	might_sleep();								\
	if (!(condition))							\
		__err = ___wait_event(wq_head, condition, state, exclusive, 0,	\
				      schedule());				\
	__err;									\
})

/* 0 once condition is true, -ERESTARTSYS if a signal came first. */
#define wait_event_interruptible(wq_head, condition) \
	__wait_event_signal(wq_head, condition, TASK_INTERRUPTIBLE, 0)
#define wait_event_interruptible_exclusive(wq_head, condition) \
	__wait_event_signal(wq_head, condition, TASK_INTERRUPTIBLE, 1)
/* As interruptible, but only a fatal signal ends the sleep. */
#define wait_event_killable(wq_head, condition) \
	__wait_event_signal(wq_head, condition, TASK_KILLABLE, 0)
#define wait_event_killable_exclusive(wq_head, condition) \
	__wait_event_signal(wq_head, condition, TASK_KILLABLE, 1)

/*
 * The condition of the timeout variants, where __ret holds the jiffies left: true when
 * the condition holds (at least 1 left, even if it became true as time ran out) or
 * nothing is left.
 */
#define ___wait_cond_timeout(condition) ({					\
	bool __cond = (condition);						\
										\
	if (__cond && !__ret)							\
		__ret = 1;							\
	__cond || !__ret;							\
})

#define __wait_event_timeout(wq_head, condition, state, timeout) ({		\
	long __tmo = (timeout);							\
	long __ret = __tmo;							\
										\
	might_sleep();								\
	if (!___wait_cond_timeout(condition))					\
		__ret = ___wait_event(wq_head, ___wait_cond_timeout(condition),	\
				      state, 0, __tmo,				\
				      __ret = schedule_timeout(__ret));		\
	__ret;									\
})

/* 0 if timeout jiffies passed with condition false, else the jiffies left (>= 1). */
#define wait_event_timeout(wq_head, condition, timeout) \
	__wait_event_timeout(wq_head, condition, TASK_UNINTERRUPTIBLE, timeout)
/* The same, or -ERESTARTSYS if a signal came first. */
#define wait_event_interruptible_timeout(wq_head, condition, timeout) \
	__wait_event_timeout(wq_head, condition, TASK_INTERRUPTIBLE, timeout)
#define wait_event_killable_timeout(wq_head, condition, timeout) \
	__wait_event_timeout(wq_head, condition, TASK_KILLABLE, timeout)

#endif
