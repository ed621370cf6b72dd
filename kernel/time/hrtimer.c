// SPDX-License-Identifier: MIT
/*
 * High-resolution timers. Each CPU keeps its queued timers in a tree ordered by expiry and
 * programs its timer hardware (arch_timer_set_next_event) for the earliest one; the
 * interrupt runs every expired timer, then programs the next.
 *
 * A timer belongs to one CPU base while it is queued or its callback runs: timer->base
 * points there and that base's lock covers the timer. It is NULL only for an idle timer,
 * which the first hrtimer_start claims with a cmpxchg under the new base's lock, so two
 * CPUs starting the same timer cannot both queue it. While its callback runs a timer is
 * not moved: a restart queues it again on the CPU running it, so one timer's callback
 * never runs on two CPUs at once.
 *
 * The core touches a timer after its callback returns, so a callback must not free its
 * own timer; owners hrtimer_cancel() before they free (or leave the stack frame of) one.
 *
 * The base locks are taken with IRQs off and without the preempt count: everything here
 * runs with IRQs off, and the interrupt path must not try to preempt.
 */
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <kairos/atomic.h>
#include <kairos/bug.h>
#include <kairos/hrtimer.h>
#include <kairos/percpu.h>
#include <kairos/smp.h>
#include <kairos/spinlock.h>
#include <kairos/tick.h>
#include <kairos/time.h>

struct hrtimer_cpu_base {
	spinlock_t lock;
	struct rb_root_cached active;	/* queued timers by expiry */
	struct hrtimer *running;	/* whose callback runs now, base lock dropped */
	u64 next_event;			/* what the hardware is programmed for */
};

static DEFINE_PER_CPU(struct hrtimer_cpu_base, hrtimer_bases);

void hrtimer_init(struct hrtimer *timer, enum hrtimer_restart (*fn)(struct hrtimer *))
{
	RB_CLEAR_NODE(&timer->node);
	timer->expires = 0;
	timer->function = fn;
	timer->base = NULL;
	timer->running = false;
}

static bool hrtimer_queued(const struct hrtimer *timer)
{
	return !RB_EMPTY_NODE(&timer->node);
}

static bool hrtimer_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct hrtimer, node)->expires <
	       rb_entry(b, struct hrtimer, node)->expires;
}

/*
 * Queue on base (locked). Only this CPU's hardware can be programmed from here; a remote
 * base is only ever given a timer whose callback it is running, and it reprograms itself
 * when that callback returns.
 */
static void enqueue_hrtimer(struct hrtimer_cpu_base *base, struct hrtimer *timer)
{
	bool first = rb_add_cached(&timer->node, &base->active, hrtimer_less);

	if (first && base == this_cpu_ptr(&hrtimer_bases) && timer->expires < base->next_event) {
		base->next_event = timer->expires;
		arch_timer_set_next_event(timer->expires);
	}
}

/*
 * The hardware is left as it is: firing early for a removed timer costs one interrupt
 * that finds nothing to run, and a remote CPU's hardware is out of reach anyway.
 */
static void dequeue_hrtimer(struct hrtimer_cpu_base *base, struct hrtimer *timer)
{
	rb_erase_cached(&timer->node, &base->active);
	RB_CLEAR_NODE(&timer->node);
}

/* Lock the base timer belongs to, following it if it moves; NULL if the timer is idle. */
static struct hrtimer_cpu_base *lock_hrtimer_base(struct hrtimer *timer)
{
	for (;;) {
		struct hrtimer_cpu_base *base = READ_ONCE(timer->base);

		if (!base)
			return NULL;
		do_raw_spin_lock(&base->lock);
		if (base == READ_ONCE(timer->base))
			return base;
		do_raw_spin_unlock(&base->lock);
	}
}

void hrtimer_start(struct hrtimer *timer, u64 expires)
{
	struct hrtimer_cpu_base *base, *new;
	unsigned long flags;

	local_irq_save(flags);
	new = this_cpu_ptr(&hrtimer_bases);
	for (;;) {
		base = lock_hrtimer_base(timer);
		if (base) {
			if (hrtimer_queued(timer))
				dequeue_hrtimer(base, timer);
			/* On this CPU already, or its callback runs there: requeue in place. */
			if (base == new || base->running == timer)
				break;
			WRITE_ONCE(timer->base, NULL);
			do_raw_spin_unlock(&base->lock);
		}
		do_raw_spin_lock(&new->lock);
		if (cmpxchg(&timer->base, NULL, new) == NULL) {
			base = new;
			break;
		}
		/* Another CPU claimed it meanwhile: start over from where it went. */
		do_raw_spin_unlock(&new->lock);
	}
	timer->expires = expires;
	enqueue_hrtimer(base, timer);
	do_raw_spin_unlock(&base->lock);
	local_irq_restore(flags);
}

/*
 * Dequeue timer if queued (setting *was_queued) and leave it idle, unless its callback is
 * running: then return -1, for the caller to wait and try again.
 */
static int __hrtimer_try_to_cancel(struct hrtimer *timer, bool *was_queued)
{
	struct hrtimer_cpu_base *base;
	unsigned long flags;
	int ret = 0;

	local_irq_save(flags);
	base = lock_hrtimer_base(timer);
	if (base) {
		if (hrtimer_queued(timer)) {
			dequeue_hrtimer(base, timer);
			*was_queued = true;
		}
		if (base->running == timer)
			ret = -1;
		else
			WRITE_ONCE(timer->base, NULL);
		do_raw_spin_unlock(&base->lock);
	}
	local_irq_restore(flags);
	return ret;
}

bool hrtimer_try_to_cancel(struct hrtimer *timer)
{
	bool was_queued = false;

	__hrtimer_try_to_cancel(timer, &was_queued);
	return was_queued;
}

bool hrtimer_cancel(struct hrtimer *timer)
{
	bool was_queued = false;

	/* A running callback may restart the timer: dequeue again once it is done. */
	while (__hrtimer_try_to_cancel(timer, &was_queued) < 0) {
		while (smp_load_acquire(&timer->running))
			cpu_relax();
	}
	return was_queued;
}

bool hrtimer_active(const struct hrtimer *timer)
{
	return READ_ONCE(timer->base) != NULL;
}

/* Run one expired timer; base is locked on entry and exit, dropped around the callback. */
static void __run_hrtimer(struct hrtimer_cpu_base *base, struct hrtimer *timer)
{
	enum hrtimer_restart restart;

	dequeue_hrtimer(base, timer);
	base->running = timer;
	timer->running = true;
	do_raw_spin_unlock(&base->lock);

	restart = timer->function(timer);

	do_raw_spin_lock(&base->lock);
	/* The callback (or another CPU meanwhile) may have queued it already. */
	if (!hrtimer_queued(timer)) {
		if (restart == HRTIMER_RESTART)
			enqueue_hrtimer(base, timer);
		else
			WRITE_ONCE(timer->base, NULL);
	}
	base->running = NULL;
	/* Last touch of the timer: hrtimer_cancel() lets its owner free it after this. */
	smp_store_release(&timer->running, false);
}

void hrtimer_interrupt(void)
{
	struct hrtimer_cpu_base *base = this_cpu_ptr(&hrtimer_bases);
	struct rb_node *node;
	u64 now, next = CLOCK_EVENT_NONE;

	do_raw_spin_lock(&base->lock);
	/* One reading of the clock: a timer restarted in the past waits for the next pass. */
	now = ktime_get_ns();
	while ((node = rb_first_cached(&base->active))) {
		struct hrtimer *timer = rb_entry(node, struct hrtimer, node);

		if (timer->expires > now)
			break;
		__run_hrtimer(base, timer);
	}
	node = rb_first_cached(&base->active);
	if (node)
		next = rb_entry(node, struct hrtimer, node)->expires;
	/* An event already past fires again at once, with IRQs on after this one returns. */
	base->next_event = next;
	arch_timer_set_next_event(next);
	do_raw_spin_unlock(&base->lock);
}

void __init hrtimers_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct hrtimer_cpu_base *base = per_cpu_ptr(&hrtimer_bases, cpu);

		spin_lock_init(&base->lock);
		base->active = RB_ROOT_CACHED;
		base->running = NULL;
		base->next_event = CLOCK_EVENT_NONE;
	}
}
