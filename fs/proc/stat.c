// SPDX-License-Identifier: MIT
/*
 * /proc/stat: time per CPU by use (the kcpustat the tick accounting fills), then
 * interrupts, context switches, boot time, forks, runnable and blocked tasks, softirqs,
 * in Linux's layout. Times are in USER_HZ ticks.
 */
#include <kairos/interrupt.h>
#include <kairos/irq.h>
#include <kairos/kernel_stat.h>
#include <kairos/smp.h>
#include <kairos/sprintf.h>
#include <kairos/time.h>
#include "internal.h"

/* /proc/stat's column order differs from the enum's: idle and iowait come before irq. */
static const int stat_columns[NR_STATS] = {
	CPUTIME_USER, CPUTIME_NICE, CPUTIME_SYSTEM, CPUTIME_IDLE, CPUTIME_IOWAIT,
	CPUTIME_IRQ, CPUTIME_SOFTIRQ, CPUTIME_STEAL, CPUTIME_GUEST, CPUTIME_GUEST_NICE,
};

static void show_cpu_line(struct seq_file *m, const char *name, const u64 *cpustat)
{
	seq_puts(m, name);
	for (int i = 0; i < NR_STATS; i++)
		seq_put_decimal_ull(m, " ", nsec_to_clock_t(cpustat[stat_columns[i]]));
	seq_putc(m, '\n');
}

int show_stat(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task)
{
	u64 sum[NR_STATS] = {}, intr = 0, softirqs[NR_SOFTIRQS] = {}, softirq_sum = 0;
	unsigned long flags, forks;
	unsigned int cpu;
	char name[16];

	for_each_possible_cpu(cpu) {
		for (int i = 0; i < NR_STATS; i++)
			sum[i] += i == CPUTIME_IDLE ? get_idle_time(cpu) :
						     READ_ONCE(kcpustat_cpu(cpu)->cpustat[i]);
		intr += irq_count(cpu);
		for (int i = 0; i < NR_SOFTIRQS; i++)
			softirqs[i] += kstat_softirqs_cpu(i, cpu);
	}
	show_cpu_line(m, "cpu ", sum);
	for_each_online_cpu(cpu) {
		u64 cpustat[NR_STATS];

		for (int i = 0; i < NR_STATS; i++)
			cpustat[i] = i == CPUTIME_IDLE ? get_idle_time(cpu) :
							 READ_ONCE(kcpustat_cpu(cpu)->cpustat[i]);
		snprintf(name, sizeof(name), "cpu%u", cpu);
		show_cpu_line(m, name, cpustat);
	}
	/* Linux adds each interrupt line's count; Kairos counts per CPU only. */
	seq_put_decimal_ull(m, "intr ", intr);
	spin_lock_irqsave(&tasklist_lock, flags);
	forks = total_forks;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	seq_printf(m, "\nctxt %llu\nbtime %llu\nprocesses %lu\nprocs_running %u\n"
		   "procs_blocked %u\n", (unsigned long long)nr_context_switches(),
		   (unsigned long long)((ktime_get_real_ns() - ktime_get_ns()) / NSEC_PER_SEC),
		   forks, nr_running(), 0U);
	for (int i = 0; i < NR_SOFTIRQS; i++)
		softirq_sum += softirqs[i];
	seq_put_decimal_ull(m, "softirq ", softirq_sum);
	for (int i = 0; i < NR_SOFTIRQS; i++)
		seq_put_decimal_ull(m, " ", softirqs[i]);
	seq_putc(m, '\n');
	return 0;
}
