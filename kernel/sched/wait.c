// SPDX-License-Identifier: MIT
/*
 * Wait queues (see include/kairos/wait.h). Every change to a queue and every wake-up
 * happens under its lock, with IRQs off since interrupts wake queues too.
 */
#include <asm/irqflags.h>
#include <kairos/bug.h>
#include <kairos/printk.h>
#include <kairos/sched.h>
#include <kairos/wait.h>
#include "sched.h"

void __might_sleep(const char *file, int line)
{
	if (!READ_ONCE(scheduler_running) || (!preempt_count() && !irqs_disabled()))
		return;
	printk(KERN_ERR "BUG: sleeping function called from invalid context at %s:%d\n",
	       file, line);
	printk(KERN_ERR "preempt_count: %d, irqs_disabled: %d, pid: %d, name: %s\n",
	       preempt_count(), irqs_disabled(), current->pid, current->comm);
	__warn(file, line, "might_sleep()");
}

int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			  int wake_flags, void *key)
{
	return try_to_wake_up(wq_entry->private, mode, wake_flags);
}

/*
 * Dequeue an entry whose owner may be about to return and drop it: the release store of
 * ->next is the waker's last access to it, and list_empty_careful() pairs with it.
 */
static void list_del_init_careful(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->prev = e;
	smp_store_release(&e->next, e);
}

static bool list_empty_careful(struct list_head *head)
{
	struct list_head *next = smp_load_acquire(&head->next);

	return next == head && next == READ_ONCE(head->prev);
}

int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			     int wake_flags, void *key)
{
	int ret = default_wake_function(wq_entry, mode, wake_flags, key);

	/* A task that was not asleep (it will test its condition again) stays queued. */
	if (ret)
		list_del_init_careful(&wq_entry->entry);
	return ret;
}

void init_wait_entry(struct wait_queue_entry *wq_entry, unsigned int flags)
{
	wq_entry->flags = flags;
	wq_entry->private = current;
	wq_entry->func = autoremove_wake_function;
	INIT_LIST_HEAD(&wq_entry->entry);
}

/* Non-exclusive waiters go first, so a wake-up reaches all of them before it counts. */
static void __add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	if (wq_entry->flags & WQ_FLAG_EXCLUSIVE)
		list_add_tail(&wq_entry->entry, &wq_head->head);
	else
		list_add(&wq_entry->entry, &wq_head->head);
}

void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&wq_head->lock, flags);
	__add_wait_queue(wq_head, wq_entry);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

void add_wait_queue_exclusive(struct wait_queue_head *wq_head,
			      struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&wq_head->lock, flags);
	__add_wait_queue(wq_head, wq_entry);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	spin_lock_irqsave(&wq_head->lock, flags);
	list_del(&wq_entry->entry);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

/* Queued at most once: a waiter looping on its condition calls this every time round. */
static void __prepare_to_wait(struct wait_queue_head *wq_head,
			      struct wait_queue_entry *wq_entry, unsigned int state)
{
	unsigned long flags;

	spin_lock_irqsave(&wq_head->lock, flags);
	if (list_empty(&wq_entry->entry))
		__add_wait_queue(wq_head, wq_entry);
	set_current_state(state);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
		     unsigned int state)
{
	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	__prepare_to_wait(wq_head, wq_entry, state);
}

void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *wq_entry, unsigned int state)
{
	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	__prepare_to_wait(wq_head, wq_entry, state);
}

long prepare_to_wait_event(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
			   unsigned int state)
{
	unsigned long flags;
	long ret = 0;

	spin_lock_irqsave(&wq_head->lock, flags);
	if (signal_pending_state(state, current)) {
		/*
		 * Off the queue under the lock: a waker that comes after us picks another
		 * exclusive waiter. One that chose us already made the condition true, and
		 * the caller tests it before giving up.
		 */
		list_del_init(&wq_entry->entry);
		ret = -ERESTARTSYS;
	} else {
		if (list_empty(&wq_entry->entry))
			__add_wait_queue(wq_head, wq_entry);
		set_current_state(state);
	}
	spin_unlock_irqrestore(&wq_head->lock, flags);
	return ret;
}

void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	/* Without the lock when a wake-up dequeued us: the common case costs nothing. */
	if (!list_empty_careful(&wq_entry->entry)) {
		spin_lock_irqsave(&wq_head->lock, flags);
		list_del_init(&wq_entry->entry);
		spin_unlock_irqrestore(&wq_head->lock, flags);
	}
}

static void __wake_up_common(struct wait_queue_head *wq_head, unsigned int mode,
			     int nr_exclusive, int wake_flags, void *key)
{
	struct wait_queue_entry *curr, *next;

	list_for_each_entry_safe(curr, next, &wq_head->head, entry) {
		/* Read first: once woken, the waiter may return and its entry vanish. */
		unsigned int flags = curr->flags;
		int ret = curr->func(curr, mode, wake_flags, key);

		if (ret < 0)
			break;
		if (ret && (flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
}

static void __wake_up_common_lock(struct wait_queue_head *wq_head, unsigned int mode,
				  int nr_exclusive, int wake_flags, void *key)
{
	unsigned long flags;

	spin_lock_irqsave(&wq_head->lock, flags);
	__wake_up_common(wq_head, mode, nr_exclusive, wake_flags, key);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive,
	       void *key)
{
	__wake_up_common_lock(wq_head, mode, nr_exclusive, 0, key);
}

/*
 * WF_SYNC tells placement that the waker is about to sleep, so the wakee may take its CPU
 * (select_task_rq_fair). A hint only: one exclusive waiter, like wake_up().
 */
void __wake_up_sync(struct wait_queue_head *wq_head, unsigned int mode)
{
	__wake_up_common_lock(wq_head, mode, 1, WF_SYNC, NULL);
}

void __wake_up_locked(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive)
{
	__wake_up_common(wq_head, mode, nr_exclusive, 0, NULL);
}
