// SPDX-License-Identifier: MIT
/*
 * The boot-time task set: init_task (swapper/0, the idle task of CPU 0) and the idle
 * tasks of the other CPUs. The scheduler-core issue grows this into the real scheduler.
 */
#include <asm/irqflags.h>
#include <asm/sysreg.h>
#include <kairos/bug.h>
#include <kairos/printk.h>
#include <kairos/sched.h>
#include <kairos/slab.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>
#include <kairos/vmalloc.h>

/* 2 * THREAD_SIZE alignment: entry.S's overflow check works on the boot stack too. */
u8 init_stack[THREAD_SIZE] __aligned(2 * THREAD_SIZE);
struct task_struct init_task = {
	.stack = init_stack,
	.pid = 0,
	.comm = "swapper/0",
};

void __init sched_init(void)
{
}

/* A CPU's idle task, PID 0 like every idle task, named swapper/N. */
struct task_struct *fork_idle(unsigned int cpu)
{
	struct task_struct *idle = kzalloc(sizeof(*idle), GFP_KERNEL);

	BUG_ON(!idle);
	idle->stack = alloc_thread_stack();
	BUG_ON(!idle->stack);
	idle->thread_info.cpu = cpu;
	idle->pid = 0;
	snprintf(idle->comm, sizeof(idle->comm), "swapper/%u", cpu);
	return idle;
}

void scheduler_tick(void)
{
}

void scheduler_ipi(void)
{
}

void preempt_schedule(void)
{
}

void __noreturn cpu_startup_entry(void)
{
	for (;;)
		wfi();
}

void __noreturn rest_init(void)
{
	cpu_startup_entry();
}
