// SPDX-License-Identifier: MIT
/*
 * Task switching and new tasks: the arch half of the scheduler's context switch, the
 * registers a new task starts with, and the user FP/SIMD and thread-pointer state that
 * goes with each user task.
 */
#include <asm/mmu_context.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>
#include <kairos/compiler.h>
#include <kairos/percpu.h>
#include <kairos/preempt.h>
#include <kairos/sched.h>
#include <kairos/string.h>
#include <uapi/sched.h>

BUILD_BUG_ON(offsetof(struct task_struct, thread.cpu_context) != THREAD_CPU_CONTEXT);

/* The task running on this CPU, for entry from EL0 to reload SP_EL0 (= current). Every
 * user task was switched to before it first entered EL0, so this is always set. */
DEFINE_PER_CPU(struct task_struct *, __entry_task);

struct task_struct *cpu_switch_to(struct task_struct *prev, struct task_struct *next);
void ret_from_fork(void);
void fpsimd_save_state(struct user_fpsimd_state *state);
void fpsimd_load_state(const struct user_fpsimd_state *state);

/* Only user tasks own FP/SIMD state: the kernel is built without FP registers. */
static bool has_user_state(const struct task_struct *p)
{
	return !(p->flags & PF_KTHREAD) && !is_idle_task(p);
}

struct task_struct *__switch_to(struct task_struct *prev, struct task_struct *next)
{
	/* Eager FP/SIMD switching: 528 bytes each way, only between user tasks' states. */
	if (has_user_state(prev)) {
		fpsimd_save_state(&prev->thread.fpsimd_state);
		prev->thread.tp_value = read_sysreg(tpidr_el0);
	}
	if (has_user_state(next)) {
		fpsimd_load_state(&next->thread.fpsimd_state);
		write_sysreg(next->thread.tp_value, tpidr_el0);
	}
	this_cpu_write(__entry_task, next);
	/* next's user address space and ASID into TTBR0 (arch/arm64/mm/context.c). */
	switch_mm(prev->active_mm, next->active_mm, next);
	/* Stores of prev (on_cpu and the rest) must be complete before another CPU can
	 * see prev off this CPU and run it there. */
	dsb(ish);
	return cpu_switch_to(prev, next);
}

void copy_thread(struct task_struct *p, int (*fn)(void *), void *arg, unsigned long usp,
		 unsigned long clone_flags, unsigned long tls)
{
	struct cpu_context *ctx = &p->thread.cpu_context;
	struct pt_regs *childregs = task_pt_regs(p);

	memset(ctx, 0, sizeof(*ctx));
	if (fn) {
		/* Room for user registers above its frames, should it exec (kernel_init). */
		memset(childregs, 0, sizeof(*childregs));
		ctx->x19 = (u64)fn;
		ctx->x20 = (u64)arg;
	} else {
		*childregs = *current_pt_regs();
		childregs->regs[0] = 0;		/* the child's return value */
		if (usp)
			childregs->sp = usp;
		/* The parent's live thread pointer, or the one CLONE_SETTLS asks for. */
		p->thread.tp_value = clone_flags & CLONE_SETTLS ? tls : read_sysreg(tpidr_el0);
	}
	ctx->pc = (u64)ret_from_fork;
	ctx->sp = (u64)childregs;
}

void start_thread(struct pt_regs *regs, unsigned long pc, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->syscallno = -1;
	regs->pstate = PSR_MODE_EL0t;
	regs->pc = pc;
	regs->sp = sp;
}

void fpsimd_preserve_current_state(void)
{
	preempt_disable();
	fpsimd_save_state(&current->thread.fpsimd_state);
	preempt_enable();
}

/* With preemption off: a switch in between would save the old live registers over the
 * new state. */
void fpsimd_update_current_state(const struct user_fpsimd_state *state)
{
	preempt_disable();
	current->thread.fpsimd_state = *state;
	fpsimd_load_state(state);
	preempt_enable();
}

void fpsimd_flush_thread(void)
{
	static const struct user_fpsimd_state zero;

	fpsimd_update_current_state(&zero);
	current->thread.tp_value = 0;
	write_sysreg(0, tpidr_el0);
}

void arch_cpu_idle(void)
{
	wfi();
}
