// SPDX-License-Identifier: MIT
/* Task switching and new kernel threads: the arch half of the scheduler's context switch. */
#include <asm/mmu_context.h>
#include <asm/processor.h>
#include <asm/sysreg.h>
#include <kairos/sched.h>
#include <kairos/compiler.h>
#include <kairos/string.h>

BUILD_BUG_ON(offsetof(struct task_struct, thread.cpu_context) != THREAD_CPU_CONTEXT);

struct task_struct *cpu_switch_to(struct task_struct *prev, struct task_struct *next);
void ret_from_fork(void);

struct task_struct *__switch_to(struct task_struct *prev, struct task_struct *next)
{
	/* next's user address space and ASID into TTBR0 (arch/arm64/mm/context.c). */
	switch_mm(prev->active_mm, next->active_mm, next);
	/* Stores of prev (on_cpu and the rest) must be complete before another CPU can
	 * see prev off this CPU and run it there. */
	dsb(ish);
	return cpu_switch_to(prev, next);
}

void copy_thread(struct task_struct *p, int (*fn)(void *), void *arg)
{
	struct cpu_context *ctx = &p->thread.cpu_context;

	memset(ctx, 0, sizeof(*ctx));
	ctx->x19 = (u64)fn;
	ctx->x20 = (u64)arg;
	ctx->pc = (u64)ret_from_fork;
	ctx->sp = (u64)p->stack + THREAD_SIZE;
}

void arch_cpu_idle(void)
{
	wfi();
}
