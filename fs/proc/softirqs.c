// SPDX-License-Identifier: MIT
/* /proc/softirqs: how many times each softirq ran on each CPU, in Linux's columns. */
#include <kairos/interrupt.h>
#include <kairos/smp.h>
#include "internal.h"

static const char *const softirq_to_name[NR_SOFTIRQS] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER",
	"RCU",
};

int softirqs_proc_show(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task)
{
	unsigned int cpu;

	seq_puts(m, "                    ");
	for_each_possible_cpu(cpu)
		seq_printf(m, "CPU%-8u", cpu);
	seq_putc(m, '\n');
	for (int i = 0; i < NR_SOFTIRQS; i++) {
		seq_printf(m, "%12s:", softirq_to_name[i]);
		for_each_possible_cpu(cpu)
			seq_printf(m, " %10u", kstat_softirqs_cpu(i, cpu));
		seq_putc(m, '\n');
	}
	return 0;
}
