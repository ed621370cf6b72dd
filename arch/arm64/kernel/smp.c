// SPDX-License-Identifier: MIT
/* Finding the CPUs, starting the secondaries through PSCI, and the IPIs between them. */
#include <asm/irqflags.h>
#include <asm/memory.h>
#include <asm/mmu_context.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/sysreg.h>
#include <kairos/bug.h>
#include <kairos/irq.h>
#include <kairos/of.h>
#include <kairos/printk.h>
#include <kairos/psci.h>
#include <kairos/sched.h>
#include <kairos/setup.h>
#include <kairos/seq_file.h>
#include <kairos/smp.h>
#include <kairos/string.h>
#include <kairos/time.h>

u64 __cpu_logical_map[NR_CPUS];
unsigned int nr_cpu_ids = 1;
struct cpumask cpu_possible_mask;
struct cpumask cpu_online_mask;
struct secondary_data secondary_data;
DEFINE_PER_CPU(unsigned int, cpu_number);
static DEFINE_PER_CPU(unsigned long [NR_IPI], ipi_counts);

extern char secondary_entry[];

void __init smp_init_cpus(void)
{
	const void *fdt = initial_boot_params;
	int cpus = fdt_path_offset(fdt, "/cpus"), node;
	u64 boot_mpidr = read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
	unsigned int n = 1;
	bool found_boot = false;

	if (cpus < 0)
		panic("device tree: no /cpus node");
	cpumask_clear(&cpu_possible_mask);
	cpumask_set_cpu(0, &cpu_possible_mask);
	cpumask_set_cpu(0, &cpu_online_mask);	/* we are running on it */
	cpu_logical_map(0) = boot_mpidr;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = of_get_string(fdt, node, "device_type");
		u64 hwid, size;

		if (!type || strcmp(type, "cpu"))
			continue;
		if (of_get_reg(fdt, node, 0, &hwid, &size))
			panic("device tree: cpu node %s has no reg", fdt_get_name(fdt, node, NULL));
		hwid &= MPIDR_HWID_MASK;
		if (hwid == boot_mpidr) {
			found_boot = true;
			continue;
		}
		if (n >= NR_CPUS) {
			pr_warn("smp: more than %u CPUs; MPIDR %#lx stays offline\n", NR_CPUS,
				(unsigned long)hwid);
			continue;
		}
		cpu_logical_map(n) = hwid;
		cpumask_set_cpu(n, &cpu_possible_mask);
		n++;
	}
	if (!found_boot)
		panic("device tree: the boot CPU (MPIDR %#lx) is not under /cpus",
		      (unsigned long)boot_mpidr);
	nr_cpu_ids = n;
}

/* The entry point of a secondary CPU, on its idle task's stack, MMU on, IRQs masked. */
void secondary_start_kernel(void)
{
	unsigned int cpu = smp_processor_id();

	cpu_uninstall_idmap();
	irq_chip->cpu_init();
	arch_timer_starting_cpu();
	pr_info("CPU%u: online, MPIDR %#lx\n", cpu, (unsigned long)read_sysreg(mpidr_el1));
	cpumask_set_cpu(cpu, &cpu_online_mask);
	local_irq_enable();
	cpu_startup_entry();
}

static int __cpu_up(unsigned int cpu, struct task_struct *idle)
{
	int err;

	secondary_data.stack_top = (u64)idle->stack + THREAD_SIZE;
	secondary_data.per_cpu_offset = __per_cpu_offset[cpu];
	secondary_data.task = idle;
	/* The CPU starts with caches off and reads secondary_data through its MMU later,
	 * so plain stores suffice; make them visible before it can run. */
	dsb(ish);
	err = psci_cpu_on(cpu_logical_map(cpu), __pa_symbol(secondary_entry), cpu);
	if (err) {
		pr_err("CPU%u: PSCI CPU_ON failed: %d\n", cpu, err);
		return err;
	}
	/* Wait up to a second of counter time: emulated CPUs start slowly. */
	for (u64 t0 = ktime_get_ns(); !cpu_online(cpu);) {
		if (ktime_get_ns() - t0 > NSEC_PER_SEC) {
			pr_err("CPU%u: failed to come online\n", cpu);
			return -1;
		}
		cpu_relax();
	}
	return 0;
}

void __init smp_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		if (cpu == 0)
			continue;
		__cpu_up(cpu, fork_idle(cpu));
	}
	pr_info("smp: brought up %u of %u CPUs\n", num_online_cpus(), nr_cpu_ids);
}

static void send_ipi(unsigned int cpu, enum ipi_msg_type ipi)
{
	irq_chip->send_ipi(cpu, ipi);
}

void arch_send_call_function_ipi(unsigned int cpu)
{
	send_ipi(cpu, IPI_CALL_FUNC);
}

void smp_send_reschedule(int cpu)
{
	send_ipi(cpu, IPI_RESCHEDULE);
}

/* Park every other online CPU with IRQs off (panic, power off). Does not wait long. */
void smp_send_stop(void)
{
	unsigned int cpu, this_cpu = smp_processor_id();

	if (!irq_chip)
		return;
	for_each_online_cpu(cpu)
		if (cpu != this_cpu)
			send_ipi(cpu, IPI_CPU_STOP);
	for (u64 t0 = ktime_get_ns(); num_online_cpus() > 1 &&
	     ktime_get_ns() - t0 < NSEC_PER_SEC;)
		cpu_relax();
}

static void __noreturn ipi_cpu_stop(void)
{
	local_irq_disable();
	cpumask_clear_cpu(smp_processor_id(), &cpu_online_mask);
	for (;;)
		wfi();
}

unsigned long ipi_count(unsigned int cpu, enum ipi_msg_type ipi)
{
	return READ_ONCE(per_cpu(ipi_counts, cpu)[ipi]);
}

/* Linux's names for the IPIs Kairos has (the same numbers). */
static const char *const ipi_types[NR_IPI] = {
	[IPI_RESCHEDULE] = "Rescheduling interrupts",
	[IPI_CALL_FUNC] = "Function call interrupts",
	[IPI_CPU_STOP] = "CPU stop interrupts",
};

void arch_show_interrupts(struct seq_file *m, int prec)
{
	unsigned int cpu;

	for (unsigned int i = 0; i < NR_IPI; i++) {
		seq_printf(m, "%*s%u:%s", prec - 1, "IPI", i, prec >= 4 ? " " : "");
		for_each_online_cpu(cpu)
			seq_printf(m, "%10lu ", ipi_count(cpu, i));
		seq_printf(m, "      %s\n", ipi_types[i]);
	}
}

void handle_IPI(unsigned int ipi)
{
	if (ipi < NR_IPI)
		(*this_cpu_ptr(&ipi_counts))[ipi]++;
	switch (ipi) {
	case IPI_RESCHEDULE:
		scheduler_ipi();
		break;
	case IPI_CALL_FUNC:
		generic_smp_call_function_interrupt();
		break;
	case IPI_CPU_STOP:
		ipi_cpu_stop();
	default:
		pr_warn("CPU%u: unknown IPI %u\n", smp_processor_id(), ipi);
	}
}
