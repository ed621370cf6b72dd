// SPDX-License-Identifier: MIT
/* The table from interrupt number to handler. Handlers are set once and never removed. */
#include <kairos/atomic.h>
#include <kairos/bug.h>
#include <kairos/irq.h>
#include <kairos/percpu.h>
#include <kairos/printk.h>
#include <kairos/smp.h>

struct irq_desc {
	irq_handler_t handler;
	void *data;
	bool percpu;
};

static struct irq_desc irq_desc[NR_IRQS];
const struct irq_chip *irq_chip;
static DEFINE_PER_CPU(unsigned long, irqs_taken);

void set_irq_chip(const struct irq_chip *chip)
{
	irq_chip = chip;
}

static int setup_irq(unsigned int irq, irq_handler_t handler, void *data, bool percpu)
{
	if (irq >= NR_IRQS || irq < NR_IPI_SGIS || irq_desc[irq].handler)
		return -1;
	irq_desc[irq].data = data;
	irq_desc[irq].percpu = percpu;
	smp_store_release(&irq_desc[irq].handler, handler);
	return 0;
}

int request_irq(unsigned int irq, irq_handler_t handler, void *data)
{
	int err = setup_irq(irq, handler, data, false);

	if (!err)
		irq_chip->unmask(irq, false);
	return err;
}

int request_percpu_irq(unsigned int irq, irq_handler_t handler, void *data)
{
	return setup_irq(irq, handler, data, true);
}

void enable_percpu_irq(unsigned int irq)
{
	irq_chip->unmask(irq, true);
}

void generic_handle_irq(unsigned int irq)
{
	struct irq_desc *desc = &irq_desc[irq];
	irq_handler_t handler = smp_load_acquire(&desc->handler);

	this_cpu_write(irqs_taken, this_cpu_read(irqs_taken) + 1);
	if (unlikely(!handler)) {
		pr_warn("irq %u: no handler\n", irq);
		return;
	}
	handler(irq, desc->data);
}

unsigned long irq_count(unsigned int cpu)
{
	return READ_ONCE(per_cpu(irqs_taken, cpu));
}
