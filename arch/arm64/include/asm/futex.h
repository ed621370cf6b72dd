/* SPDX-License-Identifier: MIT */
/*
 * Atomic read-modify-write of a user futex word, for FUTEX_WAKE_OP and robust-futex
 * cleanup. Exclusive loads and stores have no unprivileged form, so these run as EL1
 * accesses: an AT S1E0W first checks that EL0 itself may write the word (EL1 could write
 * a PROT_NONE page), and every access has an exception-table fixup. They are called in
 * atomic context, where a fault is not resolved but reported: -EFAULT, for the caller to
 * fault the page in (fault_in_user_writeable) and try again. The exclusive loop gives up
 * with -EAGAIN after FUTEX_MAX_LOOPS lost reservations, so that user space hammering the
 * word cannot keep the kernel spinning with locks held.
 */
#ifndef ASM_FUTEX_H
#define ASM_FUTEX_H

#include <asm/extable.h>
#include <asm/irqflags.h>
#include <asm/sysreg.h>
#include <asm/uaccess.h>
#include <kairos/compiler.h>
#include <kairos/types.h>
#include <uapi/errno.h>
#include <uapi/futex.h>

#define FUTEX_MAX_LOOPS	128

/*
 * Whether EL0 may write the word at uaddr now (its page is present and writable). IRQs
 * are off so that nothing else uses PAR_EL1 between the AT and its read.
 */
static inline bool futex_user_writable(u32 __user *uaddr)
{
	unsigned long flags, par;

	local_irq_save(flags);
	__asm__ __volatile__("at	s1e0w, %0\n"
			     "isb"
			     :: "r"(uaddr) : "memory");
	par = read_sysreg(par_el1);
	local_irq_restore(flags);
	return !(par & 1);	/* PAR_EL1.F: the translation faulted */
}

/*
 * One exclusive read-modify-write: insn computes %w3 (new) from %w1 (old) and %w5
 * (oparg). ret is 0, -EFAULT (fixup) or -EAGAIN.
 */
#define __futex_atomic_op(insn, ret, oldval, uaddr, oparg) do {		\
	unsigned int __loops = FUTEX_MAX_LOOPS;				\
	unsigned int __tmp;						\
									\
	__asm__ __volatile__(						\
	"	prfm	pstl1strm, %2\n"				\
	"1:	ldxr	%w1, %2\n"					\
		insn "\n"						\
	"2:	stlxr	%w0, %w3, %2\n"					\
	"	cbz	%w0, 3f\n"					\
	"	subs	%w4, %w4, #1\n"					\
	"	b.ne	1b\n"						\
	"	mov	%w0, %w6\n"					\
	"3:	dmb	ish\n"						\
	"4:\n"								\
	"	.pushsection .fixup, \"ax\"\n"				\
	"	.balign	4\n"						\
	"5:	mov	%w0, %w7\n"					\
	"	b	4b\n"						\
	"	.popsection\n"						\
	_ASM_EXTABLE(1b, 5b)						\
	_ASM_EXTABLE(2b, 5b)						\
	: "=&r"(ret), "=&r"(oldval), "+Q"(*(uaddr)), "=&r"(__tmp),	\
	  "+r"(__loops)							\
	: "r"(oparg), "Ir"(-EAGAIN), "Ir"(-EFAULT)			\
	: "memory");							\
} while (0)

/*
 * FUTEX_OP_* op on *uaddr with oparg; the old value in *oval. 0, -EFAULT, -EAGAIN, or
 * -ENOSYS for an unknown op (memory untouched).
 */
static inline int arch_futex_atomic_op_inuser(int op, int oparg, int *oval, u32 __user *uaddr)
{
	int ret, oldval;

	uaddr = untagged_addr(uaddr);
	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	if (op < FUTEX_OP_SET || op > FUTEX_OP_XOR)
		return -ENOSYS;
	if (!futex_user_writable(uaddr))
		return -EFAULT;
	switch (op) {
	case FUTEX_OP_SET:
		__futex_atomic_op("mov	%w3, %w5", ret, oldval, uaddr, oparg);
		break;
	case FUTEX_OP_ADD:
		__futex_atomic_op("add	%w3, %w1, %w5", ret, oldval, uaddr, oparg);
		break;
	case FUTEX_OP_OR:
		__futex_atomic_op("orr	%w3, %w1, %w5", ret, oldval, uaddr, oparg);
		break;
	case FUTEX_OP_ANDN:
		__futex_atomic_op("bic	%w3, %w1, %w5", ret, oldval, uaddr, oparg);
		break;
	default:	/* FUTEX_OP_XOR */
		__futex_atomic_op("eor	%w3, %w1, %w5", ret, oldval, uaddr, oparg);
		break;
	}
	if (!ret)
		*oval = oldval;
	return ret;
}

/*
 * If *uaddr == oldval, store newval; *uval gets what was there either way (0 after a
 * fault). 0, -EFAULT or -EAGAIN.
 */
static inline int futex_atomic_cmpxchg_inatomic(u32 *uval, u32 __user *uaddr, u32 oldval,
						u32 newval)
{
	unsigned int loops = FUTEX_MAX_LOOPS;
	u32 val = 0, tmp;
	int ret = 0;

	uaddr = untagged_addr(uaddr);
	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	if (!futex_user_writable(uaddr))
		return -EFAULT;
	__asm__ __volatile__(
	"	prfm	pstl1strm, %2\n"
	"1:	ldxr	%w1, %2\n"
	"	sub	%w3, %w1, %w5\n"
	"	cbnz	%w3, 3f\n"
	"2:	stlxr	%w3, %w6, %2\n"
	"	cbz	%w3, 3f\n"
	"	subs	%w4, %w4, #1\n"
	"	b.ne	1b\n"
	"	mov	%w0, %w7\n"
	"3:	dmb	ish\n"
	"4:\n"
	"	.pushsection .fixup, \"ax\"\n"
	"	.balign	4\n"
	"5:	mov	%w0, %w8\n"
	"	b	4b\n"
	"	.popsection\n"
	_ASM_EXTABLE(1b, 5b)
	_ASM_EXTABLE(2b, 5b)
	: "+r"(ret), "=&r"(val), "+Q"(*uaddr), "=&r"(tmp), "+r"(loops)
	: "r"(oldval), "r"(newval), "Ir"(-EAGAIN), "Ir"(-EFAULT)
	: "memory");
	*uval = val;
	return ret;
}

#endif
