// SPDX-License-Identifier: MIT
/*
 * The ARM generic timer: the virtual counter is the clock, and each CPU's virtual timer is
 * a one-shot event device that the hrtimer code programs for its earliest timer (the
 * periodic tick among them).
 */
#include <asm/sysreg.h>
#include <asm/vdso.h>
#include <asm/vdso/datapage.h>
#include <kairos/bug.h>
#include <kairos/of.h>
#include <kairos/irq.h>
#include <kairos/printk.h>
#include <kairos/setup.h>
#include <kairos/tick.h>
#include <kairos/time.h>

#define CNTV_CTL_ENABLE		(1 << 0)
#define CNTKCTL_EL0VCTEN	(1 << 1)	/* EL0 reads CNTVCT_EL0 (the vDSO) */

/* Events further out than this (36 years) are never: the conversion below cannot overflow. */
#define MAX_EVENT_NS		(1ULL << 60)

u32 arch_timer_rate;
static u64 boot_count;
static u64 ns_per_cycle;		/* non-zero when the rate divides 1e9 exactly */
static unsigned int timer_irq;

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
	return arch_timer_cycles_to_ns(cyc, arch_timer_rate, ns_per_cycle);
}

/*
 * The first counter value at which ktime_get_ns() reads at least ns: rounding up, so that
 * an event never fires before its time.
 */
static u64 ns_to_cycles_ceil(u64 ns)
{
	if (ns_per_cycle)
		return DIV_ROUND_UP(ns, ns_per_cycle);
	return ns / NSEC_PER_SEC * arch_timer_rate +
	       DIV_ROUND_UP(ns % NSEC_PER_SEC * arch_timer_rate, NSEC_PER_SEC);
}

void arch_timer_set_next_event(u64 expires_ns)
{
	u64 cval = UINT64_MAX;		/* the counter never gets there */

	if (expires_ns < MAX_EVENT_NS)
		cval = boot_count + ns_to_cycles_ceil(expires_ns);
	write_sysreg(cval, cntv_cval_el0);
}

static void arch_timer_handler(unsigned int irq, void *data)
{
	hrtimer_interrupt();
}

/*
 * Enable this CPU's timer with no event pending, then let the tick program it. User
 * space may read the virtual counter (the vDSO's clocks), nothing else of the timer.
 */
static void arch_timer_start(void)
{
	write_sysreg(CNTKCTL_EL0VCTEN, cntkctl_el1);
	write_sysreg(UINT64_MAX, cntv_cval_el0);
	write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
	isb();
	enable_percpu_irq(timer_irq);
	tick_setup_sched_timer();
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
	ns_per_cycle = NSEC_PER_SEC % rate ? 0 : NSEC_PER_SEC / rate;
	arch_timer_rate = rate;
	vdso_update_counter(boot_count, rate, ns_per_cycle);
	request_percpu_irq(timer_irq, arch_timer_handler, NULL, "arch_timer");
	arch_timer_start();
	pr_info("arch_timer: %u.%02u MHz virtual counter, tick %u Hz on irq %u\n",
		rate / 1000000, rate / 10000 % 100, HZ, timer_irq);
}
