// SPDX-License-Identifier: MIT
/*
 * CPU-time clocks: a thread's or a process's CPU time as a clock. A negative clock ID
 * names another task (CPUCLOCK_PID, 0 for the caller); CLOCK_PROCESS_CPUTIME_ID and
 * CLOCK_THREAD_CPUTIME_ID are the caller's scheduler clocks. Timers on these clocks are
 * not implemented; the CPU-time resource limits are.
 */
#include <kairos/cputime.h>
#include <kairos/pid.h>
#include <kairos/resource.h>
#include <kairos/sched.h>
#include <kairos/signal.h>

#include "posix-timers.h"

#define MAKE_PROCESS_CPUCLOCK(pid, clock)	((clockid_t)(~(u32)(pid) << 3) | (clock))
#define MAKE_THREAD_CPUCLOCK(tid, clock)	\
	MAKE_PROCESS_CPUCLOCK(tid, (clock) | CPUCLOCK_PERTHREAD_MASK)

static clockid_t cpu_clock_id(clockid_t which)
{
	if (which == CLOCK_PROCESS_CPUTIME_ID)
		return MAKE_PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED);
	if (which == CLOCK_THREAD_CPUTIME_ID)
		return MAKE_THREAD_CPUCLOCK(0, CPUCLOCK_SCHED);
	return which;
}

/*
 * The task whose clock this is, as Linux finds it: a thread clock only of a thread of
 * the caller's own process; a process clock of any process, by its PID (or, reading,
 * by the caller's own TID). NULL: -EINVAL. tasklist_lock held.
 */
static struct task_struct *cpu_clock_task(clockid_t clock, bool gettime)
{
	pid_t pid = CPUCLOCK_PID(clock);
	struct task_struct *p;

	if (CPUCLOCK_WHICH(clock) >= CPUCLOCK_MAX)
		return NULL;
	if (!pid)
		return current;
	p = find_task_by_vpid(pid);
	if (!p)
		return NULL;
	if (CPUCLOCK_PERTHREAD(clock))
		return p->signal == current->signal ? p : NULL;
	if (gettime && p == current)
		return p;
	return p->pid == p->tgid ? p : NULL;
}

int posix_cpu_clock_get(clockid_t which, struct timespec64 *ts)
{
	clockid_t clock = cpu_clock_id(which);
	struct task_cputime ct;
	struct task_struct *p;
	unsigned long flags;
	u64 ns;

	spin_lock_irqsave(&tasklist_lock, flags);
	p = cpu_clock_task(clock, true);
	if (!p) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -EINVAL;
	}
	if (CPUCLOCK_PERTHREAD(clock))
		task_cputime_adjusted(p, &ct);
	else
		thread_group_cputime_adjusted(p, &ct);
	spin_unlock_irqrestore(&tasklist_lock, flags);

	switch (CPUCLOCK_WHICH(clock)) {
	case CPUCLOCK_PROF:
		ns = ct.utime + ct.stime;
		break;
	case CPUCLOCK_VIRT:
		ns = ct.utime;
		break;
	default:
		ns = ct.sum_exec_runtime;
		break;
	}
	*ts = ns_to_timespec64(ns);
	return 0;
}

/* The scheduler clock counts ns; the others tick, as Linux reports them. */
int posix_cpu_clock_getres(clockid_t which, struct timespec64 *ts)
{
	clockid_t clock = cpu_clock_id(which);
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&tasklist_lock, flags);
	ok = cpu_clock_task(clock, false) != NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!ok)
		return -EINVAL;
	ts->tv_sec = 0;
	ts->tv_nsec = CPUCLOCK_WHICH(clock) == CPUCLOCK_SCHED ? 1 : TICK_NSEC;
	return 0;
}

int posix_cpu_nsleep(clockid_t which)
{
	clockid_t clock = cpu_clock_id(which);
	unsigned long flags;
	bool ok;

	/* Linux refuses to sleep on the caller's own thread clock (it would never end). */
	if (CPUCLOCK_PERTHREAD(clock) &&
	    (CPUCLOCK_PID(clock) == 0 || CPUCLOCK_PID(clock) == task_pid_vnr(current)))
		return -EINVAL;
	spin_lock_irqsave(&tasklist_lock, flags);
	ok = cpu_clock_task(clock, false) != NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ok ? -EOPNOTSUPP : -EINVAL;
}

/*
 * Whether a CPU time has reached a limit: SIGKILL at the hard one; SIGXCPU at the soft
 * one, which then moves on by step so that SIGXCPU comes again a second later (getrlimit
 * shows it move, as on Linux). siglock held.
 */
static int check_rlimit(u64 time, struct rlimit *rl, u64 unit, unsigned long step)
{
	if (rl->rlim_max != RLIM_INFINITY && time >= rl->rlim_max * unit)
		return SIGKILL;
	if (time < rl->rlim_cur * unit)
		return 0;
	rl->rlim_cur += step;
	return SIGXCPU;
}

/*
 * RLIMIT_RTTIME (us an RT thread runs without blocking, counted in ticks by rt.c) and
 * RLIMIT_CPU (s of the thread group's CPU time), Linux's check_thread_timers and
 * check_process_timers: from the tick of the CPU running tsk, IRQs off.
 */
void check_cpu_rlimits(struct task_struct *tsk)
{
	struct sighand_struct *sighand = tsk->sighand;
	struct rlimit *rlim = tsk->signal->rlim;
	int rt_sig = 0, cpu_sig = 0;
	struct task_cputime ct;

	if (READ_ONCE(rlim[RLIMIT_RTTIME].rlim_cur) == RLIM_INFINITY &&
	    READ_ONCE(rlim[RLIMIT_CPU].rlim_cur) == RLIM_INFINITY)
		return;
	spin_lock(&sighand->siglock);
	if (rlim[RLIMIT_RTTIME].rlim_cur != RLIM_INFINITY)
		rt_sig = check_rlimit((u64)tsk->rt.timeout * (USEC_PER_SEC / HZ),
				      &rlim[RLIMIT_RTTIME], 1, USEC_PER_SEC);
	if (rt_sig != SIGKILL && rlim[RLIMIT_CPU].rlim_cur != RLIM_INFINITY) {
		thread_group_cputime_adjusted(tsk, &ct);
		cpu_sig = check_rlimit(ct.sum_exec_runtime, &rlim[RLIMIT_CPU], NSEC_PER_SEC, 1);
	}
	spin_unlock(&sighand->siglock);
	if (rt_sig)
		send_sig_info(rt_sig, SEND_SIG_PRIV, tsk);
	if (cpu_sig && rt_sig != SIGKILL)
		send_sig_info(cpu_sig, SEND_SIG_PRIV, tsk);
}
