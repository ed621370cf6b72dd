/* SPDX-License-Identifier: MIT */
#ifndef TESTS_KTEST_KTHREAD_H
#define TESTS_KTEST_KTHREAD_H

#include <kairos/kthread.h>
#include <kairos/sched.h>

/*
 * Sleep until kthread_stop(): a test thread that has done its work waits there rather
 * than returning, so that the test can always stop it and collect its result.
 */
static inline void ktest_wait_for_stop(void)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

#endif
