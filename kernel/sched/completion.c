// SPDX-License-Identifier: MIT
/*
 * Completions: a count of events under the wait queue's lock. Waiters queue exclusively
 * and each complete() wakes one, so one event lets exactly one waiter through.
 */
#include <kairos/completion.h>
#include <kairos/sched.h>

void complete(struct completion *x)
{
	unsigned long flags;

	spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done != COMPLETION_ALL)
		x->done++;
	__wake_up_locked(&x->wait, TASK_NORMAL, 1);
	spin_unlock_irqrestore(&x->wait.lock, flags);
}

void complete_all(struct completion *x)
{
	unsigned long flags;

	spin_lock_irqsave(&x->wait.lock, flags);
	x->done = COMPLETION_ALL;
	__wake_up_locked(&x->wait, TASK_NORMAL, 0);
	spin_unlock_irqrestore(&x->wait.lock, flags);
}

/*
 * Sleep in state until an event is banked, the timeout runs out or a signal ends the
 * sleep; take the event. Returns the jiffies left (at least 1) on success, 0 on timeout,
 * -ERESTARTSYS on a signal.
 */
static long wait_for_common(struct completion *x, long timeout, unsigned int state)
{
	DECLARE_WAITQUEUE(wait, current);

	might_sleep();
	spin_lock_irq(&x->wait.lock);
	if (!x->done) {
		wait.flags |= WQ_FLAG_EXCLUSIVE;
		list_add_tail(&wait.entry, &x->wait.head);
		do {
			if (signal_pending_state(state, current)) {
				timeout = -ERESTARTSYS;
				break;
			}
			/* Under the lock complete() takes: its wake-up finds this state. */
			__set_current_state(state);
			spin_unlock_irq(&x->wait.lock);
			timeout = schedule_timeout(timeout);
			spin_lock_irq(&x->wait.lock);
		} while (!x->done && timeout);
		list_del(&wait.entry);
		__set_current_state(TASK_RUNNING);
		if (timeout < 0 || !x->done) {
			spin_unlock_irq(&x->wait.lock);
			return timeout;
		}
	}
	if (x->done != COMPLETION_ALL)
		x->done--;
	spin_unlock_irq(&x->wait.lock);
	return timeout ? timeout : 1;
}

void wait_for_completion(struct completion *x)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_UNINTERRUPTIBLE);
}

unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	return wait_for_common(x, timeout, TASK_UNINTERRUPTIBLE);
}

int wait_for_completion_interruptible(struct completion *x)
{
	long ret = wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_INTERRUPTIBLE);

	return ret < 0 ? ret : 0;
}

int wait_for_completion_killable(struct completion *x)
{
	long ret = wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_KILLABLE);

	return ret < 0 ? ret : 0;
}

bool try_wait_for_completion(struct completion *x)
{
	unsigned long flags;
	bool ret = false;

	if (!READ_ONCE(x->done))
		return false;
	spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done) {
		if (x->done != COMPLETION_ALL)
			x->done--;
		ret = true;
	}
	spin_unlock_irqrestore(&x->wait.lock, flags);
	return ret;
}

bool completion_done(struct completion *x)
{
	unsigned long flags;

	if (!READ_ONCE(x->done))
		return false;
	/* Wait for a complete() still holding the lock: the caller may free x next. */
	spin_lock_irqsave(&x->wait.lock, flags);
	spin_unlock_irqrestore(&x->wait.lock, flags);
	return true;
}
