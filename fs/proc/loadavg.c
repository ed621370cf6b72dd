// SPDX-License-Identifier: MIT
/* /proc/loadavg: the three averages, runnable tasks / all tasks, and the last PID. */
#include <kairos/loadavg.h>
#include "internal.h"

int loadavg_proc_show(struct seq_file *m, struct pid_namespace *ns,
			     struct task_struct *task)
{
	unsigned long avnrun[3], flags;
	int threads, last;

	/* Rounded to the hundredths shown. */
	get_avenrun(avnrun, FIXED_1 / 200, 0);
	spin_lock_irqsave(&tasklist_lock, flags);
	threads = nr_threads;
	last = pid_ns_last_pid(ns);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	seq_printf(m, "%lu.%02lu %lu.%02lu %lu.%02lu %u/%d %d\n",
		   LOAD_INT(avnrun[0]), LOAD_FRAC(avnrun[0]),
		   LOAD_INT(avnrun[1]), LOAD_FRAC(avnrun[1]),
		   LOAD_INT(avnrun[2]), LOAD_FRAC(avnrun[2]),
		   nr_running(), threads, last);
	return 0;
}
