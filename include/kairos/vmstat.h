/* SPDX-License-Identifier: MIT */
/* Counts of memory events since boot, per CPU, summed for /proc/vmstat (mm/vmstat.c). */
#ifndef KAIROS_VMSTAT_H
#define KAIROS_VMSTAT_H

enum vm_event_item {
	PGFAULT,	/* user page faults handled (handle_mm_fault) */
	NR_VM_EVENT_ITEMS
};

void count_vm_event(enum vm_event_item item);
struct seq_file;
int vmstat_show(struct seq_file *m);	/* /proc/vmstat */

#endif
