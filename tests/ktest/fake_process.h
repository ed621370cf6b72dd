/* SPDX-License-Identifier: MIT */
/*
 * A thread-group identity for a test's kernel thread: calls that keep per-process state
 * in signal_struct (rlimits, interval timers, process CPU time) then work on it. The
 * thread is not linked into the group's thread list, so the group's CPU time is that of
 * its "dead threads" alone, which the test sets.
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
	struct signal_struct *saved;
};

static inline bool fake_process_enter(struct fake_process *fp)
{
	fp->sig = kzalloc(sizeof(*fp->sig), GFP_KERNEL);
	if (!fp->sig)
		return false;
	INIT_LIST_HEAD(&fp->sig->thread_head);
	init_rlimits(fp->sig->rlim);
	itimers_init(fp->sig);
	fp->saved = current->signal;
	current->signal = fp->sig;
	return true;
}

static inline void fake_process_leave(struct fake_process *fp)
{
	exit_itimers(fp->sig);
	current->signal = fp->saved;
	kfree(fp->sig);
}

#endif
