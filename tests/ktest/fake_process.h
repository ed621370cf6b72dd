/* SPDX-License-Identifier: MIT */
/*
 * A thread-group identity for a test's kernel thread: calls that keep per-process state
 * in signal_struct (rlimits, interval timers, process CPU time) then work on it. The
 * thread is not linked into the group's thread list, so the group's CPU time is that of
 * its "dead threads" alone, which the test sets. The limits start as Linux's defaults
 * for the ones the tests look at, unlimited for the others.
 */
#ifndef KTEST_FAKE_PROCESS_H
#define KTEST_FAKE_PROCESS_H

#include <kairos/resource.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/slab.h>
#include <kairos/time.h>

struct fake_process {
	struct signal_struct *sig;
	struct sighand_struct *sighand;
	struct signal_struct *saved_sig;
	struct sighand_struct *saved_sighand;
};

static inline bool fake_process_enter(struct fake_process *fp)
{
	struct rlimit *rlim;

	fp->sig = kzalloc(sizeof(*fp->sig), GFP_KERNEL);
	fp->sighand = kzalloc(sizeof(*fp->sighand), GFP_KERNEL);
	if (!fp->sig || !fp->sighand) {
		kfree(fp->sig);
		kfree(fp->sighand);
		return false;
	}
	spin_lock_init(&fp->sighand->siglock);
	INIT_LIST_HEAD(&fp->sig->thread_head);
	init_sigpending(&fp->sig->shared_pending);
	prev_cputime_init(&fp->sig->prev_cputime);
	rlim = fp->sig->rlim;
	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlim[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	rlim[RLIMIT_STACK].rlim_cur = 8UL << 20;
	rlim[RLIMIT_CORE].rlim_cur = 0;
	rlim[RLIMIT_NOFILE] = (struct rlimit){ 1024, 4096 };
	rlim[RLIMIT_NICE] = (struct rlimit){ 0, 0 };
	rlim[RLIMIT_RTPRIO] = (struct rlimit){ 0, 0 };
	itimers_init(fp->sig);
	fp->saved_sig = current->signal;
	fp->saved_sighand = current->sighand;
	current->signal = fp->sig;
	current->sighand = fp->sighand;
	return true;
}

/* Signals the fake process got (SIGALRM from its timers) go with it. */
static inline void fake_process_leave(struct fake_process *fp)
{
	exit_itimers(fp->sig);
	flush_signals(current);
	current->signal = fp->saved_sig;
	current->sighand = fp->saved_sighand;
	kfree(fp->sig);
	kfree(fp->sighand);
}

#endif
