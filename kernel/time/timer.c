// SPDX-License-Identifier: MIT
/*
 * jiffies, and what each CPU's tick does for the process model. The tick itself, and
 * who counts jiffies, is kernel/time/tick-sched.c.
 */
#include <kairos/cputime.h>
#include <kairos/sched.h>
#include <kairos/time.h>

volatile u64 jiffies_64;

/* The per-CPU tick: account it (user_tick: it interrupted user mode), let the scheduler
 * look at the running task, and check its CPU-time timers and limits. */
void update_process_times(int user_tick)
{
	account_process_tick(current, user_tick);
	scheduler_tick();
	run_posix_cpu_timers();
}
