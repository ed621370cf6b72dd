// SPDX-License-Identifier: MIT
/*
 * GICv3: the distributor routes shared interrupts (SPIs), each CPU's redistributor its
 * private ones (SGIs, PPIs), and the CPU interface is reached through system registers.
 * Every interrupt is Group 1, priority 0xa0; SGIs 0-15 are the kernel's IPIs.
 */
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/smp.h>
#include <asm/sysreg.h>
#include <kairos/bug.h>
#include <kairos/irq.h>
#include <kairos/of.h>
#include <kairos/percpu.h>
#include <kairos/printk.h>
#include <kairos/setup.h>
#include <kairos/smp.h>

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_IPRIORITYR		0x0400
#define GICD_IROUTER		0x6100
#define GICD_CTLR_RWP		(1U << 31)
#define GICD_CTLR_ARE		(1U << 4)
#define GICD_CTLR_ENABLE_G1	(1U << 1)

#define GICR_WAKER		0x0014
#define GICR_TYPER		0x0008
#define GICR_TYPER_LAST		(1UL << 4)
#define GICR_WAKER_SLEEP	(1U << 1)
#define GICR_WAKER_ASLEEP	(1U << 2)
#define GICR_SGI_OFFSET		0x10000		/* the SGI/PPI frame follows the RD frame */
#define GICR_FRAME_STRIDE	0x20000
#define GICR_IGROUPR0		(GICR_SGI_OFFSET + 0x0080)
#define GICR_ISENABLER0		(GICR_SGI_OFFSET + 0x0100)
#define GICR_ICENABLER0		(GICR_SGI_OFFSET + 0x0180)
#define GICR_IPRIORITYR0	(GICR_SGI_OFFSET + 0x0400)

#define ICC_PMR_EL1		"S3_0_C4_C6_0"
#define ICC_IAR1_EL1		"S3_0_C12_C12_0"
#define ICC_EOIR1_EL1		"S3_0_C12_C12_1"
#define ICC_BPR1_EL1		"S3_0_C12_C12_3"
#define ICC_CTLR_EL1		"S3_0_C12_C12_4"
#define ICC_SRE_EL1		"S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1		"S3_0_C12_C12_7"
#define ICC_SGI1R_EL1		"S3_0_C12_C11_5"

#define GIC_PRIO_DEFAULT	0xa0
#define GIC_PRIO_MASK		0xf0	/* PMR: let everything above this through */
#define INTID_SPURIOUS		1020

#define MAX_REDIST_REGIONS	8

static void __iomem *gicd;
static unsigned int nr_spis;
static struct {
	void __iomem *base;
	u64 size;
} redist_regions[MAX_REDIST_REGIONS];
static unsigned int nr_redist_regions;
static DEFINE_PER_CPU(void __iomem *, gicr);	/* this CPU's redistributor */

static void gicd_wait_rwp(void)
{
	while (readl_relaxed(gicd + GICD_CTLR) & GICD_CTLR_RWP)
		cpu_relax();
}

/* MPIDR affinity as GICR_TYPER[63:32] lays it out: Aff3.Aff2.Aff1.Aff0. */
static u32 mpidr_to_aff32(u64 mpidr)
{
	return (u32)(((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff));
}

static void __iomem *find_redistributor(u64 mpidr)
{
	u32 aff = mpidr_to_aff32(mpidr);

	for (unsigned int r = 0; r < nr_redist_regions; r++) {
		for (u64 off = 0; off + GICR_FRAME_STRIDE <= redist_regions[r].size;
		     off += GICR_FRAME_STRIDE) {
			void __iomem *rd = redist_regions[r].base + off;
			u64 typer = readq_relaxed(rd + GICR_TYPER);

			if ((u32)(typer >> 32) == aff)
				return rd;
			if (typer & GICR_TYPER_LAST)
				break;
		}
	}
	return NULL;
}

static void gic_cpu_init(void)
{
	u64 mpidr = read_sysreg(mpidr_el1);
	void __iomem *rd = find_redistributor(mpidr);

	if (!rd)
		panic("GICv3: no redistributor for MPIDR %#lx", (unsigned long)mpidr);
	this_cpu_write(gicr, rd);

	writel_relaxed(readl_relaxed(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP, rd + GICR_WAKER);
	while (readl_relaxed(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
		cpu_relax();

	writel_relaxed(~0U, rd + GICR_IGROUPR0);
	writel_relaxed(0xffff0000U, rd + GICR_ICENABLER0);	/* PPIs off until requested */
	for (int i = 0; i < 32; i += 4)
		writel_relaxed(GIC_PRIO_DEFAULT * 0x01010101U, rd + GICR_IPRIORITYR0 + i);
	writel_relaxed(0x0000ffffU, rd + GICR_ISENABLER0);	/* SGIs: the IPIs */

	write_sysreg_s(read_sysreg_s(ICC_SRE_EL1) | 1, ICC_SRE_EL1);
	isb();
	write_sysreg_s(GIC_PRIO_MASK, ICC_PMR_EL1);
	write_sysreg_s(0, ICC_BPR1_EL1);
	write_sysreg_s(0, ICC_CTLR_EL1);	/* EOImode 0: EOIR drops and deactivates */
	write_sysreg_s(1, ICC_IGRPEN1_EL1);
	isb();
}

static void gic_unmask(unsigned int irq, bool percpu)
{
	if (irq < 32) {
		void __iomem *rd = this_cpu_read(gicr);

		BUG_ON(!percpu);
		writel_relaxed(1U << irq, rd + GICR_ISENABLER0);
		return;
	}
	BUG_ON(percpu || irq >= 32 + nr_spis);
	/* Route to the boot CPU; IRQ balancing across CPUs is not worth it on this machine. */
	writeq_relaxed(cpu_logical_map(0) & 0xff00ffffffUL, gicd + GICD_IROUTER + 8 * irq);
	writel_relaxed(1U << (irq % 32), gicd + GICD_ISENABLER + 4 * (irq / 32));
	gicd_wait_rwp();
}

static void gic_handle_irq(struct pt_regs *regs)
{
	for (;;) {
		u32 irq = read_sysreg_s(ICC_IAR1_EL1) & 0xffffff;

		if (irq >= INTID_SPURIOUS)
			return;
		if (irq < NR_IPI_SGIS) {
			/* EOI first: an IPI handler may not return (the stop IPI). */
			write_sysreg_s(irq, ICC_EOIR1_EL1);
			isb();
			handle_IPI(irq);
		} else {
			generic_handle_irq(irq);
			write_sysreg_s(irq, ICC_EOIR1_EL1);
		}
	}
}

static void gic_send_ipi(unsigned int cpu, unsigned int ipi)
{
	u64 mpidr = cpu_logical_map(cpu);
	u64 sgi1r = ((mpidr >> 32) & 0xff) << 48 |		/* Aff3 */
		    ((mpidr >> 16) & 0xff) << 32 |		/* Aff2 */
		    (u64)ipi << 24 |
		    ((mpidr >> 8) & 0xff) << 16 |		/* Aff1 */
		    1UL << (mpidr & 0xf);			/* target list by Aff0 */

	BUG_ON((mpidr & 0xff) >= 16);	/* SGI target lists reach Aff0 0-15 only */
	/* Make earlier stores visible to the target before it takes the interrupt. */
	dsb(ishst);
	write_sysreg_s(sgi1r, ICC_SGI1R_EL1);
	isb();
}

static const struct irq_chip gic_v3_chip = {
	.name = "GICv3",
	.handle_irq = gic_handle_irq,
	.unmask = gic_unmask,
	.send_ipi = gic_send_ipi,
	.cpu_init = gic_cpu_init,
};

void __init gic_v3_init(void)
{
	const void *fdt = initial_boot_params;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	u64 base, size;
	u32 regions;

	if (node < 0)
		panic("device tree: no node compatible with \"arm,gic-v3\" (boot with gic-version=3)");
	if (of_get_reg(fdt, node, 0, &base, &size))
		panic("device tree: arm,gic-v3 has no distributor reg");
	gicd = ioremap(base, size);
	regions = of_get_u32(fdt, node, "#redistributor-regions", 1);
	if (regions > MAX_REDIST_REGIONS)
		panic("GICv3: %u redistributor regions, at most %u supported", regions,
		      MAX_REDIST_REGIONS);
	for (u32 r = 0; r < regions; r++) {
		if (of_get_reg(fdt, node, 1 + r, &base, &size))
			panic("device tree: arm,gic-v3 lacks redistributor region %u", r);
		redist_regions[r].base = ioremap(base, size);
		redist_regions[r].size = size;
	}
	nr_redist_regions = regions;
	nr_spis = min(32 * ((readl_relaxed(gicd + GICD_TYPER) & 0x1f) + 1), 1020U) - 32;

	/* Distributor: off while configuring; all SPIs Group 1, default priority, disabled. */
	writel_relaxed(0, gicd + GICD_CTLR);
	gicd_wait_rwp();
	for (unsigned int i = 32; i < 32 + nr_spis; i += 32) {
		writel_relaxed(~0U, gicd + GICD_IGROUPR + i / 8);
		writel_relaxed(~0U, gicd + GICD_ICENABLER + i / 8);
	}
	for (unsigned int i = 32; i < 32 + nr_spis; i += 4)
		writel_relaxed(GIC_PRIO_DEFAULT * 0x01010101U, gicd + GICD_IPRIORITYR + i);
	gicd_wait_rwp();
	writel_relaxed(GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1, gicd + GICD_CTLR);
	gicd_wait_rwp();

	set_irq_chip(&gic_v3_chip);
	gic_cpu_init();
	pr_info("GICv3: %u SPIs, %u redistributor region(s)\n", nr_spis, regions);
}
