// SPDX-License-Identifier: MIT
/*
 * Cross-CPU function calls. A call_single_data (csd) is locked while queued on the
 * target's list and unlocked once its function has run, which is what a waiting caller
 * watches; a caller that does not wait uses its CPU's own csd, reusable once unlocked.
 */
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/sysreg.h>
#include <kairos/atomic.h>
#include <kairos/bug.h>
#include <kairos/list.h>
#include <kairos/percpu.h>
#include <kairos/smp.h>
#include <kairos/spinlock.h>
#include <uapi/errno.h>

struct call_single_data {
	struct list_head list;
	smp_call_func_t func;
	void *info;
	unsigned int locked;
};

struct call_queue {
	spinlock_t lock;
	struct list_head list;
};

static DEFINE_PER_CPU(struct call_queue, call_single_queue);
/* Per-CPU csds for calls that do not wait: one per target CPU. */
static DEFINE_PER_CPU(struct call_single_data [NR_CPUS], cfd_csd);

void __init call_function_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct call_queue *q = per_cpu_ptr(&call_single_queue, cpu);

		spin_lock_init(&q->lock);
		INIT_LIST_HEAD(&q->list);
	}
}

static void csd_lock_wait(struct call_single_data *csd)
{
	while (smp_load_acquire(&csd->locked))
		cpu_relax();
}

static void csd_lock(struct call_single_data *csd)
{
	csd_lock_wait(csd);
	csd->locked = 1;
	smp_mb();	/* locked before the fields are rewritten */
}

static void csd_unlock(struct call_single_data *csd)
{
	smp_store_release(&csd->locked, 0);
}

static void queue_call(unsigned int cpu, struct call_single_data *csd)
{
	struct call_queue *q = per_cpu_ptr(&call_single_queue, cpu);
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	list_add_tail(&csd->list, &q->list);
	spin_unlock_irqrestore(&q->lock, flags);
	arch_send_call_function_ipi(cpu);
}

/* The IPI handler: run everything queued for this CPU. */
void generic_smp_call_function_interrupt(void)
{
	struct call_queue *q = this_cpu_ptr(&call_single_queue);
	LIST_HEAD(todo);

	spin_lock(&q->lock);
	list_splice_init(&q->list, &todo);
	spin_unlock(&q->lock);

	while (!list_empty(&todo)) {
		struct call_single_data *csd = list_first_entry(&todo, struct call_single_data, list);
		smp_call_func_t func = csd->func;
		void *info = csd->info;

		list_del(&csd->list);
		func(info);
		csd_unlock(csd);	/* after this a waiter's csd may vanish */
	}
}

int smp_call_function_single(int cpu, smp_call_func_t func, void *info, bool wait)
{
	struct call_single_data on_stack = { .locked = 0 };
	struct call_single_data *csd;
	unsigned long flags;

	WARN_ON(wait && irqs_disabled());
	preempt_disable();
	if ((unsigned int)cpu == smp_processor_id()) {
		local_irq_save(flags);
		func(info);
		local_irq_restore(flags);
		preempt_enable();
		return 0;
	}
	if ((unsigned int)cpu >= NR_CPUS || !cpu_online(cpu)) {
		preempt_enable();
		return -ENXIO;
	}
	csd = wait ? &on_stack : this_cpu_ptr(&cfd_csd[cpu]);
	csd_lock(csd);
	csd->func = func;
	csd->info = info;
	queue_call(cpu, csd);
	if (wait)
		csd_lock_wait(csd);
	preempt_enable();
	return 0;
}

void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info,
			    bool wait)
{
	unsigned int cpu, this_cpu;

	WARN_ON(wait && irqs_disabled());
	preempt_disable();
	this_cpu = smp_processor_id();
	for_each_cpu(cpu, mask) {
		struct call_single_data *csd = this_cpu_ptr(&cfd_csd[cpu]);

		if (cpu == this_cpu || !cpu_online(cpu))
			continue;
		csd_lock(csd);
		csd->func = func;
		csd->info = info;
		queue_call(cpu, csd);
	}
	if (wait) {
		for_each_cpu(cpu, mask)
			if (cpu != this_cpu)
				csd_lock_wait(this_cpu_ptr(&cfd_csd[cpu]));
	}
	preempt_enable();
}
