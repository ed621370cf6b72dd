// SPDX-License-Identifier: MIT
/*
 * Memory events, counted per CPU without locks, and /proc/vmstat: the few of Linux's
 * lines Kairos can fill honestly, in Linux's order. nr_free_pages is the page
 * allocator's count; pgfault every fault handle_mm_fault took; pgmajfault is 0 because
 * no fault waits for I/O (there is no swap and no block device).
 */
#include <kairos/mm.h>
#include <kairos/percpu.h>
#include <kairos/preempt.h>
#include <kairos/seq_file.h>
#include <kairos/smp.h>
#include <kairos/vmstat.h>

static DEFINE_PER_CPU(unsigned long [NR_VM_EVENT_ITEMS], vm_events);

void count_vm_event(enum vm_event_item item)
{
	preempt_disable();
	(*this_cpu_ptr(&vm_events))[item]++;
	preempt_enable();
}

static unsigned long sum_vm_event(enum vm_event_item item)
{
	unsigned long sum = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(vm_events, cpu)[item]);
	return sum;
}

int vmstat_show(struct seq_file *m)
{
	seq_printf(m, "nr_free_pages %lu\n", nr_free_pages());
	seq_printf(m, "pgfault %lu\n", sum_vm_event(PGFAULT));
	seq_puts(m, "pgmajfault 0\n");
	return 0;
}
