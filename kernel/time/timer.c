// SPDX-License-Identifier: MIT
#include <kairos/sched.h>
#include <kairos/time.h>

/* The per-CPU tick: account it and let the scheduler look at the running task. */
void update_process_times(void)
{
	scheduler_tick();
}
