// SPDX-License-Identifier: MIT
/* /proc/uptime: seconds since boot, and the seconds all CPUs together spent idle. */
#include <kairos/kernel_stat.h>
#include <kairos/smp.h>
#include <kairos/time.h>
#include "internal.h"

int uptime_proc_show(struct seq_file *m, struct pid_namespace *ns,
			    struct task_struct *task)
{
	u64 uptime = ktime_get_ns(), idle = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		idle += get_idle_time(cpu);
	seq_printf(m, "%lu.%02lu %lu.%02lu\n",
		   uptime / NSEC_PER_SEC, uptime % NSEC_PER_SEC / (NSEC_PER_SEC / 100),
		   idle / NSEC_PER_SEC, idle % NSEC_PER_SEC / (NSEC_PER_SEC / 100));
	return 0;
}
