// SPDX-License-Identifier: MIT
/*
 * Signals seen from the kernel: which sleeps a signal ends (interruptible ones for any
 * unblocked signal, killable ones only for SIGKILL, uninterruptible ones never), sends
 * from interrupt context, dequeue order (faults first) and merging, what send-time job
 * control and ignoring drop. Kernel threads stand in for processes: each
 * has its own handlers (all SIG_IGN, from kthreadd) and signal_struct, and never runs
 * handlers, so get_signal can be called to see what would be delivered.
 */
#include <kairos/delay.h>
#include <kairos/hrtimer.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/string.h>
#include <kairos/time.h>
#include <kairos/wait.h>

#include "ktest_kthread.h"

/* A handler address that is neither SIG_DFL nor SIG_IGN: such signals are queued. */
#define TEST_HANDLER	((__sighandler_t)0x1000)

static void set_handler(int sig, __sighandler_t handler)
{
	spin_lock_irq(&current->sighand->siglock);
	current->sighand->action[sig - 1].sa.sa_handler = handler;
	spin_unlock_irq(&current->sighand->siglock);
}

static bool pending(struct task_struct *p, int sig)
{
	bool ret;

	spin_lock_irq(&p->sighand->siglock);
	ret = sigismember(&p->pending.signal, sig) ||
	      sigismember(&p->signal->shared_pending.signal, sig);
	spin_unlock_irq(&p->sighand->siglock);
	return ret;
}

/* A kernel thread's way out: nothing pending, then wait for kthread_stop. */
static void sleeper_done(void)
{
	ignore_signals(current);
	ktest_wait_for_stop();
}

struct sleeper {
	unsigned int state;		/* TASK_INTERRUPTIBLE, TASK_KILLABLE, ... */
	sigset_t block;
	wait_queue_head_t wq;
	bool cond;
	bool asleep;
	long ret;
	bool sig_pending, fatal;
};

static int sleeper_fn(void *arg)
{
	struct sleeper *s = arg;

	set_handler(SIGUSR1, TEST_HANDLER);
	set_handler(SIGUSR2, TEST_HANDLER);
	set_handler(SIGKILL, SIG_DFL);
	set_current_blocked(&s->block);
	WRITE_ONCE(s->asleep, true);
	switch (s->state) {
	case TASK_INTERRUPTIBLE:
		s->ret = wait_event_interruptible(s->wq, READ_ONCE(s->cond));
		break;
	case TASK_KILLABLE:
		s->ret = wait_event_killable(s->wq, READ_ONCE(s->cond));
		break;
	default:
		wait_event(s->wq, READ_ONCE(s->cond));
		s->ret = 0;
		break;
	}
	s->sig_pending = signal_pending(current);
	s->fatal = fatal_signal_pending(current);
	smp_store_release(&s->asleep, false);
	sleeper_done();
	return 0;
}

/* A thread asleep in state, with the signals of block blocked. */
static struct task_struct *start_sleeper(struct sleeper *s, unsigned int state,
					 unsigned long block)
{
	struct task_struct *p;

	memset(s, 0, sizeof(*s));
	s->state = state;
	siginitset(&s->block, block);
	init_waitqueue_head(&s->wq);
	p = kthread_run(sleeper_fn, s, "ktest-sigsleep");
	/* Asleep in its state, on the queue. */
	while (!READ_ONCE(s->asleep) || READ_ONCE(p->__state) != state)
		msleep(1);
	return p;
}

/* Whether the sleeper still sleeps a while after a signal that must not wake it. */
static bool still_asleep(struct sleeper *s, struct task_struct *p)
{
	msleep(20);
	return READ_ONCE(s->asleep) && READ_ONCE(p->__state) == s->state;
}

static void wait_awake(struct sleeper *s)
{
	while (smp_load_acquire(&s->asleep))
		msleep(1);
}

static void finish(struct ktest_ctx *t, struct sleeper *s, struct task_struct *p)
{
	WRITE_ONCE(s->cond, true);
	wake_up_all(&s->wq);
	wait_awake(s);
	KTEST_EXPECT_EQ(t, kthread_stop(p), 0);
}

KTEST(signal_interruptible_sleep_ends)
{
	struct sleeper s;
	struct task_struct *p = start_sleeper(&s, TASK_INTERRUPTIBLE, 0);

	KTEST_EXPECT_EQ(t, send_sig_info(SIGUSR1, SEND_SIG_PRIV, p), 0);
	wait_awake(&s);
	KTEST_EXPECT_EQ(t, s.ret, -ERESTARTSYS);
	KTEST_EXPECT(t, s.sig_pending);
	KTEST_EXPECT(t, !s.fatal);
	finish(t, &s, p);
}

KTEST(signal_killable_sleep_only_fatal)
{
	struct sleeper s;
	struct task_struct *p = start_sleeper(&s, TASK_KILLABLE, 0);

	KTEST_EXPECT_EQ(t, send_sig_info(SIGUSR1, SEND_SIG_PRIV, p), 0);
	KTEST_EXPECT(t, still_asleep(&s, p));
	KTEST_EXPECT(t, signal_pending(p));
	KTEST_EXPECT(t, !fatal_signal_pending(p));
	KTEST_EXPECT_EQ(t, send_sig_info(SIGKILL, SEND_SIG_PRIV, p), 0);
	wait_awake(&s);
	KTEST_EXPECT_EQ(t, s.ret, -ERESTARTSYS);
	KTEST_EXPECT(t, s.fatal);
	finish(t, &s, p);
}

KTEST(signal_uninterruptible_sleep_not_even_kill)
{
	struct sleeper s;
	struct task_struct *p = start_sleeper(&s, TASK_UNINTERRUPTIBLE, 0);

	KTEST_EXPECT_EQ(t, send_sig_info(SIGKILL, SEND_SIG_PRIV, p), 0);
	KTEST_EXPECT(t, still_asleep(&s, p));
	KTEST_EXPECT(t, fatal_signal_pending(p));
	finish(t, &s, p);
	KTEST_EXPECT_EQ(t, s.ret, 0);
}

KTEST(signal_blocked_does_not_wake)
{
	struct sleeper s;
	struct task_struct *p = start_sleeper(&s, TASK_INTERRUPTIBLE, sigmask(SIGUSR1));

	KTEST_EXPECT_EQ(t, send_sig_info(SIGUSR1, SEND_SIG_PRIV, p), 0);
	KTEST_EXPECT(t, still_asleep(&s, p));
	KTEST_EXPECT(t, pending(p, SIGUSR1));
	KTEST_EXPECT(t, !signal_pending(p));
	/* SIGKILL cannot be blocked. */
	KTEST_EXPECT_EQ(t, send_sig_info(SIGKILL, SEND_SIG_PRIV, p), 0);
	wait_awake(&s);
	KTEST_EXPECT_EQ(t, s.ret, -ERESTARTSYS);
	KTEST_EXPECT(t, s.fatal);
	finish(t, &s, p);
}

/* A send from hard-IRQ context (an hrtimer), as the interval timers do. */
struct irq_send {
	struct hrtimer timer;
	struct task_struct *target;
	int ret;
};

static enum hrtimer_restart irq_send_fn(struct hrtimer *timer)
{
	struct irq_send *is = container_of(timer, struct irq_send, timer);

	WRITE_ONCE(is->ret, send_sig_info(SIGUSR2, SEND_SIG_PRIV, is->target));
	return HRTIMER_NORESTART;
}

KTEST(signal_sent_from_irq_wakes)
{
	struct irq_send is = { .ret = 1 };
	struct sleeper s;
	struct task_struct *p = start_sleeper(&s, TASK_INTERRUPTIBLE, 0);

	is.target = p;
	hrtimer_init(&is.timer, irq_send_fn);
	hrtimer_start(&is.timer, ktime_get_ns() + 1000000);
	wait_awake(&s);
	hrtimer_cancel(&is.timer);
	KTEST_EXPECT_EQ(t, READ_ONCE(is.ret), 0);
	KTEST_EXPECT_EQ(t, s.ret, -ERESTARTSYS);
	finish(t, &s, p);
}

/*
 * What get_signal hands out, in order, for what was sent while everything was blocked:
 * a fault first, then by number, each signal once however often it was sent. (Kernel
 * threads take no siginfo, so real-time signals do not queue for them either.)
 */
struct order_result {
	int n;
	int sig[8];
	int code[8];
	bool done;
};

static int order_fn(void *arg)
{
	static const int sends[] = { SIGRTMIN + 1, SIGUSR2, SIGRTMIN + 1, SIGRTMIN, SIGUSR2,
				     SIGUSR1 };
	struct order_result *r = arg;
	struct ksignal ksig;
	sigset_t all;

	for (int sig = 1; sig <= _NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			set_handler(sig, TEST_HANDLER);
	sigfillset(&all);
	set_current_blocked(&all);
	for (unsigned int i = 0; i < ARRAY_SIZE(sends); i++)
		send_sig_info(sends[i], SEND_SIG_PRIV, current);
	sigemptyset(&all);
	set_current_blocked(&all);
	/* Unblocked first: a forced signal that is blocked gets SIG_DFL. */
	force_sig_fault(SIGSEGV, SEGV_MAPERR, (void __user *)0x1234);
	while (r->n < 8 && get_signal(&ksig)) {
		r->sig[r->n] = ksig.sig;
		r->code[r->n] = ksig.info.si_code;
		r->n++;
	}
	smp_store_release(&r->done, true);
	sleeper_done();
	return 0;
}

KTEST(signal_dequeue_order)
{
	static const int want[] = { SIGSEGV, SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN + 1 };
	struct order_result r = { 0 };
	struct task_struct *p = kthread_run(order_fn, &r, "ktest-sigorder");

	/* Stopped before it ran, it would never run its function: wait for it (a stall). */
	KTEST_EXPECT(t, WAIT_FOR(smp_load_acquire(&r.done)));
	KTEST_EXPECT_EQ(t, kthread_stop(p), 0);
	KTEST_EXPECT_EQ(t, r.n, (int)ARRAY_SIZE(want));
	for (int i = 0; i < r.n && i < (int)ARRAY_SIZE(want); i++) {
		KTEST_EXPECT_EQ(t, r.sig[i], want[i]);
		KTEST_EXPECT_EQ(t, r.code[i], SI_USER);
	}
}

/* Dropped when sent: ignored and unblocked, and stop/continue cancelling each other. */
struct drop_result {
	bool ign_unblocked, ign_blocked, dfl_chld, cont_then_stop_cont, cont_then_stop_stop,
	     stop_then_cont_stop, stop_then_cont_cont;
	bool done;
};

static bool own_pending(int sig)
{
	return pending(current, sig);
}

static int drop_fn(void *arg)
{
	struct drop_result *r = arg;
	sigset_t block;

	/* SIGUSR1 is SIG_IGN (kthreadd's), unblocked: dropped. Blocked: kept. */
	send_sig_info(SIGUSR1, SEND_SIG_PRIV, current);
	r->ign_unblocked = own_pending(SIGUSR1);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGCONT);
	sigaddset(&block, SIGTSTP);
	set_current_blocked(&block);
	send_sig_info(SIGUSR1, SEND_SIG_PRIV, current);
	r->ign_blocked = own_pending(SIGUSR1);
	/* SIGCHLD by default is ignored. */
	set_handler(SIGCHLD, SIG_DFL);
	send_sig_info(SIGCHLD, SEND_SIG_PRIV, current);
	r->dfl_chld = own_pending(SIGCHLD);
	/* Blocked SIGCONT waits; a stop signal cancels it, and SIGCONT the stop signal. */
	send_sig_info(SIGCONT, SEND_SIG_PRIV, current);
	send_sig_info(SIGTSTP, SEND_SIG_PRIV, current);
	r->cont_then_stop_cont = own_pending(SIGCONT);
	r->cont_then_stop_stop = own_pending(SIGTSTP);
	send_sig_info(SIGCONT, SEND_SIG_PRIV, current);
	r->stop_then_cont_stop = own_pending(SIGTSTP);
	r->stop_then_cont_cont = own_pending(SIGCONT);
	smp_store_release(&r->done, true);
	sleeper_done();
	return 0;
}

KTEST(signal_dropped_at_send)
{
	struct drop_result r;
	struct task_struct *p;

	memset(&r, 0xff, sizeof(r));
	r.done = false;
	p = kthread_run(drop_fn, &r, "ktest-sigdrop");
	KTEST_EXPECT(t, WAIT_FOR(smp_load_acquire(&r.done)));
	KTEST_EXPECT_EQ(t, kthread_stop(p), 0);
	KTEST_EXPECT(t, !r.ign_unblocked);
	KTEST_EXPECT(t, r.ign_blocked);
	KTEST_EXPECT(t, !r.dfl_chld);
	KTEST_EXPECT(t, !r.cont_then_stop_cont);
	KTEST_EXPECT(t, r.cont_then_stop_stop);
	KTEST_EXPECT(t, !r.stop_then_cont_stop);
	KTEST_EXPECT(t, r.stop_then_cont_cont);
}
