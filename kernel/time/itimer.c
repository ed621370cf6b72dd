// SPDX-License-Identifier: MIT
/*
 * getitimer / setitimer (alarm() in the C library).
 *
 * ITIMER_REAL is an hrtimer in the thread group's signal_struct that sends SIGALRM to
 * the group and, with an interval, re-arms itself on its period's grid. itimer_mutex
 * serialises its settings (the callback only reads it_real_incr, and a setting cancels
 * the timer first, waiting out a running callback). The callback takes the signal
 * locks, so nobody may wait for it while holding one.
 *
 * ITIMER_PROF and ITIMER_VIRTUAL expire at an absolute CPU time of the group (all of
 * it, or its user part: see kairos/cputime.h for how the two are told apart), checked
 * at every tick on the CPU running one of its threads, as Linux does; they fire at most
 * once a tick. The group's siglock covers them.
 */
#include <kairos/cputime.h>
#include <kairos/hrtimer.h>
#include <kairos/mutex.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/time.h>
#include <kairos/uaccess.h>

static DEFINE_MUTEX(itimer_mutex);

struct itimerspec64 {
	struct timespec64 it_interval;
	struct timespec64 it_value;
};

static enum hrtimer_restart it_real_fn(struct hrtimer *timer)
{
	struct signal_struct *sig = container_of(timer, struct signal_struct, real_timer);
	u64 incr = READ_ONCE(sig->it_real_incr), now, expires;
	unsigned long flags;

	/* To the group, through a thread of it (not by number: a timer runs in whatever
	 * task's PID namespace). The group cannot go before exit_itimers has waited for us. */
	spin_lock_irqsave(&tasklist_lock, flags);
	if (!list_empty(&sig->thread_head))
		send_sig_info(SIGALRM, SEND_SIG_PRIV,
			      list_first_entry(&sig->thread_head, struct task_struct, thread_node));
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!incr)
		return HRTIMER_NORESTART;
	/* The next period after now: periods missed while late are skipped, not queued. */
	now = ktime_get_ns();
	expires = ktime_add_safe(timer->expires, incr);
	if (expires <= now)
		expires = ktime_add_safe(expires, ((now - expires) / incr + 1) * incr);
	hrtimer_forward_to(timer, expires);
	return HRTIMER_RESTART;
}

void itimers_init(struct signal_struct *sig)
{
	hrtimer_init(&sig->real_timer, it_real_fn);
	sig->it_real_incr = 0;
	memset(sig->it, 0, sizeof(sig->it));
}

void exit_itimers(struct signal_struct *sig)
{
	hrtimer_cancel(&sig->real_timer);
}

static int cpu_clock_of(int which)
{
	return which == ITIMER_PROF ? CPUCLOCK_PROF : CPUCLOCK_VIRT;
}

/* The group's CPU time on clock (CPUCLOCK_PROF or CPUCLOCK_VIRT); its siglock held. */
static u64 group_cpu_time(struct task_struct *tsk, int clock)
{
	struct task_cputime ct;

	thread_group_cputime_adjusted(tsk, &ct);
	return clock == CPUCLOCK_VIRT ? ct.utime : ct.utime + ct.stime;
}

/*
 * The time left of a CPU itimer expiring at the absolute CPU time expires (0: off); one
 * that is due reports a tick, as in Linux. siglock held.
 */
static u64 cpu_itimer_left(struct task_struct *tsk, int clock, u64 expires)
{
	u64 now;

	if (!expires)
		return 0;
	now = group_cpu_time(tsk, clock);
	return expires > now ? expires - now : TICK_NSEC;
}

/* itimer_mutex held. A running ITIMER_REAL that is due reports 1 us left, as in Linux. */
static void get_itimer(struct task_struct *tsk, int which, struct itimerspec64 *v)
{
	struct signal_struct *sig = tsk->signal;
	struct hrtimer *timer = &sig->real_timer;
	u64 now, value = 0, incr;
	struct cpu_itimer *it;
	unsigned long flags;

	if (which == ITIMER_REAL) {
		if (hrtimer_active(timer)) {
			now = ktime_get_ns();
			value = READ_ONCE(timer->expires);
			value = value > now ? value - now : NSEC_PER_USEC;
		}
		incr = sig->it_real_incr;
	} else {
		it = &sig->it[cpu_clock_of(which)];
		spin_lock_irqsave(&tsk->sighand->siglock, flags);
		value = cpu_itimer_left(tsk, cpu_clock_of(which), it->expires);
		incr = it->incr;
		spin_unlock_irqrestore(&tsk->sighand->siglock, flags);
	}
	v->it_value = ns_to_timespec64(value);
	v->it_interval = ns_to_timespec64(incr);
}

/*
 * Arm a CPU itimer value ns of CPU time from now (0: off), a tick later than asked, as
 * Linux does so that it never fires early. Unlike ITIMER_REAL it keeps its interval
 * when disarmed.
 */
static void set_cpu_itimer(struct task_struct *tsk, int which, u64 value, u64 incr)
{
	int clock = cpu_clock_of(which);
	struct cpu_itimer *it = &tsk->signal->it[clock];
	unsigned long flags;

	spin_lock_irqsave(&tsk->sighand->siglock, flags);
	it->expires = value ? group_cpu_time(tsk, clock) + value + TICK_NSEC : 0;
	it->incr = incr;
	spin_unlock_irqrestore(&tsk->sighand->siglock, flags);
}

/* Whether the CPU itimer it on clock is due: then it is re-armed or disarmed. siglock. */
static bool cpu_itimer_expired(struct task_struct *tsk, struct cpu_itimer *it, int clock)
{
	if (!it->expires || group_cpu_time(tsk, clock) < it->expires)
		return false;
	it->expires = it->incr ? it->expires + it->incr : 0;
	return true;
}

void run_posix_cpu_timers(void)
{
	struct task_struct *tsk = current;
	struct signal_struct *sig = tsk->signal;
	struct sighand_struct *sighand = tsk->sighand;
	bool prof, virt;

	/* Kernel threads have none; a task past __exit_signal has no sighand. */
	if (!tsk->mm || !sig || !sighand)
		return;
	check_cpu_rlimits(tsk);
	if (!READ_ONCE(sig->it[CPUCLOCK_PROF].expires) &&
	    !READ_ONCE(sig->it[CPUCLOCK_VIRT].expires))
		return;
	spin_lock(&sighand->siglock);
	prof = cpu_itimer_expired(tsk, &sig->it[CPUCLOCK_PROF], CPUCLOCK_PROF);
	virt = cpu_itimer_expired(tsk, &sig->it[CPUCLOCK_VIRT], CPUCLOCK_VIRT);
	spin_unlock(&sighand->siglock);
	if (prof)
		send_sig_info(SIGPROF, SEND_SIG_PRIV, tsk);
	if (virt)
		send_sig_info(SIGVTALRM, SEND_SIG_PRIV, tsk);
}

static int do_setitimer(int which, const struct itimerspec64 *value,
			struct itimerspec64 *ovalue)
{
	struct signal_struct *sig = current->signal;
	u64 expires, incr;

	if (!timespec64_valid(&value->it_value) || !timespec64_valid(&value->it_interval))
		return -EINVAL;
	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	expires = timespec64_to_ns(&value->it_value);
	incr = timespec64_to_ns(&value->it_interval);

	mutex_lock(&itimer_mutex);
	if (ovalue)
		get_itimer(current, which, ovalue);
	if (which == ITIMER_REAL) {
		hrtimer_cancel(&sig->real_timer);
		/* A disarmed ITIMER_REAL forgets its interval. */
		WRITE_ONCE(sig->it_real_incr, expires ? incr : 0);
		if (expires)
			hrtimer_start(&sig->real_timer, ktime_add_safe(ktime_get_ns(), expires));
	} else {
		set_cpu_itimer(current, which, expires, incr);
	}
	mutex_unlock(&itimer_mutex);
	return 0;
}

static int get_itimerval(struct itimerspec64 *v, const struct __kernel_old_itimerval __user *u)
{
	struct __kernel_old_itimerval kv;

	if (copy_from_user(&kv, u, sizeof(kv)))
		return -EFAULT;
	/* An out-of-range tv_usec stays out of range in ns (and fails the validity check). */
	v->it_interval.tv_sec = kv.it_interval.tv_sec;
	v->it_interval.tv_nsec = (unsigned long)kv.it_interval.tv_usec >= USEC_PER_SEC ?
				 -1 : kv.it_interval.tv_usec * (long)NSEC_PER_USEC;
	v->it_value.tv_sec = kv.it_value.tv_sec;
	v->it_value.tv_nsec = (unsigned long)kv.it_value.tv_usec >= USEC_PER_SEC ?
			      -1 : kv.it_value.tv_usec * (long)NSEC_PER_USEC;
	return 0;
}

static int put_itimerval(struct __kernel_old_itimerval __user *u, const struct itimerspec64 *v)
{
	struct __kernel_old_itimerval kv = {
		.it_interval = { v->it_interval.tv_sec, v->it_interval.tv_nsec / NSEC_PER_USEC },
		.it_value = { v->it_value.tv_sec, v->it_value.tv_nsec / NSEC_PER_USEC },
	};

	return copy_to_user(u, &kv, sizeof(kv)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(getitimer, int, which, struct __kernel_old_itimerval __user *, value)
{
	struct itimerspec64 v;

	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	mutex_lock(&itimer_mutex);
	get_itimer(current, which, &v);
	mutex_unlock(&itimer_mutex);
	return put_itimerval(value, &v);
}

/* A NULL value disarms the timer: a misfeature Linux still supports. */
SYSCALL_DEFINE3(setitimer, int, which, struct __kernel_old_itimerval __user *, value,
		struct __kernel_old_itimerval __user *, ovalue)
{
	struct itimerspec64 set = { 0 }, old;
	int ret;

	if (value) {
		ret = get_itimerval(&set, value);
		if (ret)
			return ret;
	}
	ret = do_setitimer(which, &set, ovalue ? &old : NULL);
	if (ret || !ovalue)
		return ret;
	return put_itimerval(ovalue, &old);
}
