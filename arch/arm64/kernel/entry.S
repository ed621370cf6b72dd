/* SPDX-License-Identifier: MIT */
/*
 * Exception vectors and the register save/restore around every exception.
 * Entry from EL1 checks for kernel stack overflow first: every kernel stack is
 * THREAD_SIZE bytes aligned to 2 * THREAD_SIZE, so a valid SP has bit THREAD_SHIFT
 * clear and an SP that ran into the guard page below has it set.
 */
#include <asm/assembler.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <kairos/config.h>

#define THREAD_SHIFT	14
#if (1 << THREAD_SHIFT) != THREAD_SIZE
#error THREAD_SHIFT does not match THREAD_SIZE
#endif

	/*
	 * Save the interrupted context as a struct pt_regs at sp. From EL0, SP_EL0 held the
	 * user stack pointer: save it and make SP_EL0 current again (this CPU's __entry_task).
	 */
	.macro	kernel_entry, el
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	.if	\el == 0
	mrs	x21, sp_el0
	adr_l	x19, __entry_task
	mrs	x20, tpidr_el1
	ldr	x19, [x19, x20]
	msr	sp_el0, x19			// current
	.else
	add	x21, sp, #PT_REGS_SIZE
	.endif
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	lr, x21, [sp, #S_LR]
	stp	x22, x23, [sp, #S_PC]
	mov	x0, #-1
	str	x0, [sp, #S_SYSCALLNO]
	.if	\el == 0
	stp	xzr, xzr, [sp, #S_STACKFRAME]	// a final frame record: backtraces end here
	.else
	stp	x29, x22, [sp, #S_STACKFRAME]
	.endif
	add	x29, sp, #S_STACKFRAME
	.endm

	.macro	kernel_exit, el
	ldp	x21, x22, [sp, #S_PC]		// elr, spsr
	.if	\el == 0
	ldr	x23, [sp, #S_SP]
	msr	sp_el0, x23			// the user stack pointer
	.endif
	msr	elr_el1, x21
	msr	spsr_el1, x22
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	lr, [sp, #S_LR]
	add	sp, sp, #PT_REGS_SIZE
	eret
	.endm

	/* EL1 entry: make room for pt_regs, and divert to the overflow stack if SP is bad. */
	.macro	ventry_el1, label
	.balign	128
	sub	sp, sp, #PT_REGS_SIZE
	add	sp, sp, x0			// sp' = sp + x0; x0 = sp' - x0 = sp, without a spare register
	sub	x0, sp, x0
	tbnz	x0, #THREAD_SHIFT, 1f
	sub	x0, sp, x0			// x0 back, sp back
	sub	sp, sp, x0
	b	\label
1:	sub	x0, sp, x0			// restore x0 and sp, then take the overflow path
	sub	sp, sp, x0
	b	__bad_stack
	.endm

	.macro	ventry, label
	.balign	128
	b	\label
	.endm

	/* EL0 entry: SP_EL1 is the top of the task's kernel stack, always valid. */
	.macro	ventry_el0, label
	.balign	128
	sub	sp, sp, #PT_REGS_SIZE
	b	\label
	.endm

	.text
	.balign	2048
ENTRY(vectors)
	ventry	el1t_invalid			// current EL, SP_EL0: never used
	ventry	el1t_invalid
	ventry	el1t_invalid
	ventry	el1t_invalid

	ventry_el1 el1h_sync			// current EL, SP_EL1
	ventry_el1 el1h_irq
	ventry_el1 el1h_fiq_invalid
	ventry_el1 el1h_serror

	ventry_el0 el0_sync			// lower EL, AArch64: user space
	ventry_el0 el0_irq
	ventry_el0 el0_invalid			// FIQ
	ventry_el0 el0_invalid			// SError

	ventry	el0_invalid			// lower EL, AArch32: never supported
	ventry	el0_invalid
	ventry	el0_invalid
	ventry	el0_invalid
END(vectors)

/*
 * SP ran into the guard page. Move to this CPU's overflow stack, leaving the faulting SP
 * in the 16 bytes above the pt_regs there, and report. This path never returns, so the
 * two user TLS registers serve as scratch.
 */
__bad_stack:
	msr	tpidrro_el0, x0
	msr	tpidr_el0, x1
	adr_l	x0, overflow_stack
	mrs	x1, tpidr_el1
	add	x0, x0, x1
	add	x0, x0, #THREAD_SIZE
	mov	x1, sp
	add	x1, x1, #PT_REGS_SIZE
	str	x1, [x0, #-16]!
	sub	sp, x0, #PT_REGS_SIZE
	mrs	x0, tpidrro_el0
	mrs	x1, tpidr_el0
	kernel_entry 1
	mov	x0, sp
	bl	handle_bad_stack
	b	.

	.macro	el1_handler, name, handler
\name:
	kernel_entry 1
	mov	x0, sp
	bl	\handler
	kernel_exit 1
	.endm

	el1_handler el1h_sync, el1_sync_handler
	el1_handler el1h_irq, el1_irq_handler
	el1_handler el1h_serror, bad_mode_handler
	el1_handler el1h_fiq_invalid, bad_mode_handler
	el1_handler el1t_invalid, bad_mode_handler

	/* From EL0: handle, then leave through ret_to_user (signals, rescheduling). */
	.macro	el0_handler, name, handler
\name:
	kernel_entry 0
	mov	x0, sp
	bl	\handler
	b	ret_to_user
	.endm

	el0_handler el0_sync, el0_sync_handler
	el0_handler el0_irq, el0_irq_handler
	el0_handler el0_invalid, bad_mode_handler

/*
 * Back to user space with the pt_regs at sp, once exit_to_user_mode has done the
 * pending work (it returns with IRQs masked and nothing left to do).
 */
ENTRY(ret_to_user)
	mov	x0, sp
	bl	exit_to_user_mode
	kernel_exit 0
END(ret_to_user)

/*
 * struct task_struct *cpu_switch_to(prev, next): save prev's callee-saved registers, stack
 * and return address in prev->thread.cpu_context, load next's, and return into next
 * (with prev in x0: the task we switched away from, as next sees it).
 */
ENTRY(cpu_switch_to)
	add	x8, x0, #THREAD_CPU_CONTEXT
	mov	x9, sp
	stp	x19, x20, [x8], #16
	stp	x21, x22, [x8], #16
	stp	x23, x24, [x8], #16
	stp	x25, x26, [x8], #16
	stp	x27, x28, [x8], #16
	stp	x29, x9, [x8], #16
	str	lr, [x8]
	add	x8, x1, #THREAD_CPU_CONTEXT
	ldp	x19, x20, [x8], #16
	ldp	x21, x22, [x8], #16
	ldp	x23, x24, [x8], #16
	ldp	x25, x26, [x8], #16
	ldp	x27, x28, [x8], #16
	ldp	x29, x9, [x8], #16
	ldr	lr, [x8]
	mov	sp, x9
	msr	sp_el0, x1			// current = next
	ret
END(cpu_switch_to)

/*
 * A new task's first return from cpu_switch_to. A kernel thread has x19 = its function
 * and x20 = the argument; when the function returns, the thread exits unless it exec'd
 * a user program (kernel_init), which it then enters. A user task (x19 = 0) returns to
 * user space with the registers copy_thread left at the top of its stack.
 */
ENTRY(ret_from_fork)
	bl	schedule_tail			// x0 = prev
	cbz	x19, 1f
	mov	x0, x20
	blr	x19
	bl	kthread_returned		// x0 = the function's result
1:	b	ret_to_user			// sp = task_pt_regs(current) (copy_thread)
END(ret_from_fork)
