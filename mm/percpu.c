// SPDX-License-Identifier: MIT
#include <asm/memory.h>
#include <asm/sysreg.h>
#include <kairos/bug.h>
#include <kairos/memblock.h>
#include <kairos/percpu.h>
#include <kairos/smp.h>
#include <kairos/string.h>

extern char __per_cpu_start[], __per_cpu_end[];
unsigned long __per_cpu_offset[NR_CPUS];

/* One copy of the per-CPU template for each possible CPU, all in one allocation; the
 * boot CPU switches to its copy at once, so the template is never written again. */
void __init setup_per_cpu_areas(void)
{
	size_t size = ALIGN((size_t)(__per_cpu_end - __per_cpu_start), L1_CACHE_BYTES);
	phys_addr_t pa = memblock_alloc(size * nr_cpu_ids, PAGE_SIZE);
	unsigned int cpu;

	if (!pa)
		panic("setup_per_cpu_areas: no memory for %u CPUs", nr_cpu_ids);
	for_each_possible_cpu(cpu) {
		char *copy = (char *)__va(pa) + cpu * size;

		memcpy(copy, __per_cpu_start, __per_cpu_end - __per_cpu_start);
		__per_cpu_offset[cpu] = (unsigned long)copy - (unsigned long)__per_cpu_start;
		per_cpu(cpu_number, cpu) = cpu;
	}
	write_sysreg(__per_cpu_offset[0], tpidr_el1);
}
