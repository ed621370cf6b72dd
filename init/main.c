// SPDX-License-Identifier: MIT
/* start_kernel: bring the machine up in dependency order, then hand over to the tasks. */
#include <asm/smp.h>
#include <asm/sysreg.h>
#include <kairos/irq.h>
#include <kairos/ktest.h>
#include <kairos/mm.h>
#include <kairos/printk.h>
#include <kairos/psci.h>
#include <kairos/sched.h>
#include <kairos/setup.h>
#include <kairos/slab.h>
#include <kairos/smp.h>
#include <kairos/time.h>

void paging_init_late(void);
extern u64 boot_cpu_el;

static void __init print_cpu_banner(void)
{
	unsigned int cpu;
	u64 t0 = ktime_get_ns();

	/* Give every CPU a few ticks, so the banner shows each one ticking. */
	while (ktime_get_ns() - t0 < 3 * TICK_NSEC)
		cpu_relax();
	pr_notice("Kairos: %u of %u CPUs online, HZ=%u\n", num_online_cpus(), nr_cpu_ids, HZ);
	for_each_online_cpu(cpu)
		pr_notice("  CPU%-2u MPIDR 0x%04lx  ticks %lu  irqs %lu\n", cpu,
			  (unsigned long)cpu_logical_map(cpu), cpu_tick_count(cpu), irq_count(cpu));
}

void __init start_kernel(void)
{
	setup_arch();
	pr_notice("Kairos (MIT) booting on CPU0, MIDR %#lx, entered at EL%lu\n",
		  (unsigned long)read_sysreg(midr_el1), (unsigned long)boot_cpu_el);
	pr_notice("Command line: %s\n", boot_command_line);
	smp_init_cpus();
	setup_per_cpu_areas();
	page_alloc_init();
	paging_init_late();
	kmalloc_init();
	call_function_init();
	sched_init();
	init_IRQ();
	psci_init();
	time_init();
	local_irq_enable();
	smp_init();
	print_cpu_banner();
	ktest_run_from_cmdline();
	rest_init();
}
