// SPDX-License-Identifier: MIT
/*
 * The ARM generic timer: the virtual counter is the clock, and each CPU's virtual timer
 * raises the periodic tick (HZ per second) as a private peripheral interrupt.
 */
#include <asm/sysreg.h>
#include <kairos/bug.h>
#include <kairos/of.h>
#include <kairos/irq.h>
#include <kairos/percpu.h>
#include <kairos/printk.h>
#include <kairos/setup.h>
#include <kairos/smp.h>
#include <kairos/time.h>

#define CNTV_CTL_ENABLE		(1 << 0)
#define CNTV_CTL_IMASK		(1 << 1)

u32 arch_timer_rate;
volatile u64 jiffies_64;
static u64 boot_count;
static u64 cycles_per_tick;
static u64 ns_per_cycle;		/* non-zero when the rate divides 1e9 exactly */
static unsigned int timer_irq;
static DEFINE_PER_CPU(unsigned long, tick_count);
static u64 last_jiffies_cval;		/* owned by the timekeeping CPU, 0 */

u64 arch_counter_get_cntvct(void)
{
	isb();		/* do not let the counter read happen early */
	return read_sysreg(cntvct_el0);
}

u64 ktime_get_ns(void)
{
	u64 cyc;

	if (!arch_timer_rate)
		return 0;
	cyc = arch_counter_get_cntvct() - boot_count;
	if (ns_per_cycle)
		return cyc * ns_per_cycle;
	/* Split so that neither product overflows for any rate under 18 GHz. */
	return cyc / arch_timer_rate * NSEC_PER_SEC +
	       cyc % arch_timer_rate * NSEC_PER_SEC / arch_timer_rate;
}

unsigned long cpu_tick_count(unsigned int cpu)
{
	return READ_ONCE(per_cpu(tick_count, cpu));
}

static void arch_timer_handler(unsigned int irq, void *data)
{
	u64 cval = read_sysreg(cntv_cval_el0) + cycles_per_tick;
	u64 now = arch_counter_get_cntvct();

	/* Late ticks (a busy host) are not replayed; the next one is a period from now. */
	if (cval <= now)
		cval = now + cycles_per_tick;
	write_sysreg(cval, cntv_cval_el0);
	this_cpu_write(tick_count, this_cpu_read(tick_count) + 1);
	if (smp_processor_id() == 0) {
		u64 missed = (now - last_jiffies_cval) / cycles_per_tick;

		last_jiffies_cval += missed * cycles_per_tick;
		WRITE_ONCE(jiffies_64, jiffies_64 + missed);
	}
	update_process_times();
}

static void arch_timer_start(void)
{
	write_sysreg(arch_counter_get_cntvct() + cycles_per_tick, cntv_cval_el0);
	write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
	isb();
	enable_percpu_irq(timer_irq);
}

void arch_timer_starting_cpu(void)
{
	arch_timer_start();
}

void __init time_init(void)
{
	const void *fdt = initial_boot_params;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	u32 rate = read_sysreg(cntfrq_el0);

	if (node < 0)
		panic("device tree: no node compatible with \"arm,armv8-timer\"");
	if (!rate)
		panic("arch timer: CNTFRQ_EL0 is 0 and firmware set no frequency");
	/* interrupts = <secure phys>, <non-secure phys>, <virtual>, <hypervisor>; use virtual. */
	timer_irq = of_get_interrupt(fdt, node, 2);
	if (!timer_irq)
		panic("device tree: %s has no virtual timer interrupt", "arm,armv8-timer");
	boot_count = arch_counter_get_cntvct();
	last_jiffies_cval = boot_count;
	cycles_per_tick = rate / HZ;
	ns_per_cycle = NSEC_PER_SEC % rate ? 0 : NSEC_PER_SEC / rate;
	arch_timer_rate = rate;
	request_percpu_irq(timer_irq, arch_timer_handler, NULL);
	arch_timer_start();
	pr_info("arch_timer: %u.%02u MHz virtual counter, tick %u Hz on irq %u\n",
		rate / 1000000, rate / 10000 % 100, HZ, timer_irq);
}
