// SPDX-License-Identifier: MIT
/*
 * Walking frame records: every function built with frame pointers pushes {x29, x30}
 * and points x29 at them, and exception entry pushes one for the interrupted PC.
 * A frame is trusted only if it lies on the current task's stack or this CPU's overflow
 * stack, and each step moves to a higher address, so a corrupt chain cannot loop.
 */
#include <asm/ptrace.h>
#include <asm/stacktrace.h>
#include <kairos/compiler.h>
#include <kairos/kallsyms.h>
#include <kairos/percpu.h>
#include <kairos/printk.h>
#include <kairos/sched.h>

#define MAX_FRAMES	64

DECLARE_PER_CPU(u8 [THREAD_SIZE], overflow_stack);

/*
 * A return address may lie just past its function's end (a call to a noreturn function
 * is often the last instruction), so it is looked up one byte back, as the call was.
 */
static void print_return_address(unsigned long pc)
{
	unsigned long size, offset;
	const char *name = kallsyms_lookup(pc - 1, &size, &offset);

	if (name)
		printk(KERN_EMERG " %s+0x%lx/0x%lx\n", name, offset + 1, size);
	else
		printk(KERN_EMERG " 0x%016lx\n", pc);
}

enum stack_type { STACK_NONE, STACK_TASK, STACK_OVERFLOW };

static bool on_stack(unsigned long fp, void *low)
{
	return fp >= (unsigned long)low && fp + 16 <= (unsigned long)low + THREAD_SIZE;
}

static enum stack_type stack_of(struct task_struct *tsk, unsigned long fp)
{
	if (fp & 0xf)
		return STACK_NONE;
	if (tsk->stack && on_stack(fp, tsk->stack))
		return STACK_TASK;
	if (on_stack(fp, this_cpu_ptr(&overflow_stack)))
		return STACK_OVERFLOW;
	return STACK_NONE;
}

void dump_backtrace(struct pt_regs *regs, struct task_struct *tsk)
{
	enum stack_type type, prev_type = STACK_NONE;
	unsigned long fp, prev_fp = 0;
	unsigned int seen = 0;

	if (!tsk)
		tsk = current;
	printk(KERN_EMERG "Call trace:\n");
	if (regs) {
		printk(KERN_EMERG " %pS\n", (void *)regs->pc);
		fp = regs->regs[29];
	} else {
		fp = (unsigned long)__builtin_frame_address(0);
	}
	for (int n = 0; n < MAX_FRAMES && fp; n++) {
		unsigned long *frame = (unsigned long *)fp;

		/* Within a stack frames only move up; each stack is entered at most once. */
		type = stack_of(tsk, fp);
		if (type == STACK_NONE || (type == prev_type && fp <= prev_fp) ||
		    (type != prev_type && (seen & (1U << type))))
			break;
		seen |= 1U << type;
		prev_type = type;
		prev_fp = fp;
		fp = frame[0];
		if (!frame[1])
			break;
		print_return_address(frame[1]);
	}
}

void dump_stack(void)
{
	dump_backtrace(NULL, NULL);
}
