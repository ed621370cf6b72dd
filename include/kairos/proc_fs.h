/* SPDX-License-Identifier: MIT */
/*
 * What /proc (fs/proc/) asks of the rest of the kernel: the scheduler's text views
 * (kernel/sched/debug.c). docs/proc.md describes the files.
 */
#ifndef KAIROS_PROC_FS_H
#define KAIROS_PROC_FS_H

struct pid_namespace;
struct seq_file;
struct task_struct;

/* /proc/cpuinfo (arch/arm64/kernel/cpuinfo.c). */
int show_cpuinfo(struct seq_file *m);

/* /proc/PID/sched: p's scheduling state in Linux's layout. */
void proc_sched_show_task(struct task_struct *p, struct pid_namespace *ns, struct seq_file *m);
/* /proc/sched_debug: every CPU's run queue and the tasks queued on it. */
int sched_debug_show(struct seq_file *m, struct pid_namespace *ns);

#endif
