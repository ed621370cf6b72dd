// SPDX-License-Identifier: MIT
/* The table from interrupt number to handler. Handlers are set once and never removed. */
#include <kairos/atomic.h>
#include <kairos/bug.h>
#include <kairos/irq.h>
#include <kairos/percpu.h>
#include <kairos/printk.h>
#include <kairos/seq_file.h>
#include <kairos/smp.h>

struct irq_desc {
	irq_handler_t handler;
	void *data;
	bool percpu;
	const char *name;		/* who asked for it (/proc/interrupts) */
};

static struct irq_desc irq_desc[NR_IRQS];
const struct irq_chip *irq_chip;
/* Interrupts taken by line on each CPU (IPIs are counted by the arch code). */
static DEFINE_PER_CPU(unsigned int [NR_IRQS], kstat_irqs);
/* Lines that came in with no handler. */
static atomic_t irq_err_count;

void set_irq_chip(const struct irq_chip *chip)
{
	irq_chip = chip;
}

static int setup_irq(unsigned int irq, irq_handler_t handler, void *data, bool percpu,
		     const char *name)
{
	if (irq >= NR_IRQS || irq < NR_IPI_SGIS || irq_desc[irq].handler)
		return -1;
	irq_desc[irq].data = data;
	irq_desc[irq].name = name;
	irq_desc[irq].percpu = percpu;
	smp_store_release(&irq_desc[irq].handler, handler);
	return 0;
}

int request_irq(unsigned int irq, irq_handler_t handler, void *data, const char *name)
{
	int err = setup_irq(irq, handler, data, false, name);

	if (!err)
		irq_chip->unmask(irq, false);
	return err;
}

int request_percpu_irq(unsigned int irq, irq_handler_t handler, void *data, const char *name)
{
	return setup_irq(irq, handler, data, true, name);
}

void enable_percpu_irq(unsigned int irq)
{
	irq_chip->unmask(irq, true);
}

void generic_handle_irq(unsigned int irq)
{
	struct irq_desc *desc = &irq_desc[irq];
	irq_handler_t handler = smp_load_acquire(&desc->handler);

	(*this_cpu_ptr(&kstat_irqs))[irq]++;
	if (unlikely(!handler)) {
		atomic_inc(&irq_err_count);
		pr_warn("irq %u: no handler\n", irq);
		return;
	}
	handler(irq, desc->data);
}

unsigned long irq_count(unsigned int cpu)
{
	unsigned long sum = 0;

	for (unsigned int irq = 0; irq < NR_IRQS; irq++)
		sum += READ_ONCE(per_cpu(kstat_irqs, cpu)[irq]);
	return sum;
}

/*
 * /proc/interrupts, in Linux's columns: a header of the online CPUs, then each line
 * that has a handler with its count on each CPU, the controller, its INTID, trigger and
 * name, then the arch's IPIs and the error count. Kairos numbers lines by INTID (Linux
 * by a virtual number). Every line Kairos uses is level-sensitive: the GIC's reset
 * state, which Kairos keeps, and what the device tree says of the timer and the UART.
 */
int show_interrupts(struct seq_file *m)
{
	const int prec = 4;	/* Linux's width for up to 9999 lines (NR_IRQS) */
	unsigned int cpu;

	seq_printf(m, "%*s", prec + 8, "");
	for_each_online_cpu(cpu)
		seq_printf(m, "CPU%-8u", cpu);
	seq_putc(m, '\n');
	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		struct irq_desc *desc = &irq_desc[irq];

		if (!smp_load_acquire(&desc->handler))
			continue;
		seq_printf(m, "%*u: ", prec, irq);
		for_each_online_cpu(cpu)
			seq_printf(m, "%10u ", READ_ONCE(per_cpu(kstat_irqs, cpu)[irq]));
		seq_printf(m, " %8s %*u %-8s  %s\n", irq_chip->name, prec, irq, "Level",
			   desc->name);
	}
	arch_show_interrupts(m, prec);
	seq_printf(m, "%*s: %10u\n", prec, "Err", atomic_read(&irq_err_count));
	return 0;
}
