/* SPDX-License-Identifier: MIT */
/*
 * Reaching user memory from the kernel. Every access uses the unprivileged forms
 * (LDTR/STTR), so it is checked against EL0's permissions: a kernel address or a page
 * user space may not touch faults even if access_ok was skipped. Each such instruction
 * has an exception-table entry; a fault that the page-fault handler cannot resolve
 * resumes at its fixup, which reports how much was not done. (ARMv8.0 has no PAN, so
 * there is nothing to toggle around the accesses.)
 */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H

#include <asm/extable.h>
#include <asm/memory.h>
#include <kairos/compiler.h>
#include <kairos/types.h>
#include <uapi/errno.h>

/*
 * User pointers may carry a tag in the top byte (TCR_EL1.TBI0). Sign-extending bit 55
 * clears it, and turns any pointer the hardware would send to TTBR1 into a kernel
 * address, which access_ok then refuses.
 */
#define untagged_addr(addr) ({						\
	u64 __addr = (u64)(addr);					\
	(__typeof__(addr))(u64)((s64)(__addr << 8) >> 8);		\
})

/* Whether [addr, addr + size) lies within user space. */
static inline bool __access_ok(const void __user *ptr, unsigned long size)
{
	unsigned long addr = untagged_addr((unsigned long)ptr);

	return size <= USER_VA_END && addr <= USER_VA_END - size;
}
#define access_ok(addr, size)	__access_ok((const void __user *)(addr), (size))

/* Return the number of bytes not copied (0 on success). No access_ok check. */
unsigned long __arch_copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long __arch_copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long __arch_clear_user(void __user *to, unsigned long n);

#define __get_user_asm(load, reg, x, addr, err)				\
	__asm__ __volatile__(						\
	"1:	" load "	" reg "1, [%2]\n"			\
	"2:\n"								\
	"	.pushsection .fixup, \"ax\"\n"				\
	"	.balign	4\n"						\
	"3:	mov	%w0, %3\n"					\
	"	mov	%1, #0\n"					\
	"	b	2b\n"						\
	"	.popsection\n"						\
	_ASM_EXTABLE(1b, 3b)						\
	: "+r"(err), "=&r"(x)						\
	: "r"(addr), "i"(-EFAULT)					\
	: "memory")

/* Never defined: a get_user/put_user of an unsupported size fails to link. */
extern void __get_user_bad(void);
extern void __put_user_bad(void);

/* x = *ptr, or x = 0 and err = -EFAULT if that faults. No access_ok check. */
#define __get_user_error(x, ptr, err) do {				\
	unsigned long __gu_val;						\
	switch (sizeof(*(ptr))) {					\
	case 1:								\
		__get_user_asm("ldtrb", "%w", __gu_val, (ptr), (err));	\
		break;							\
	case 2:								\
		__get_user_asm("ldtrh", "%w", __gu_val, (ptr), (err));	\
		break;							\
	case 4:								\
		__get_user_asm("ldtr", "%w", __gu_val, (ptr), (err));	\
		break;							\
	case 8:								\
		__get_user_asm("ldtr", "%x", __gu_val, (ptr), (err));	\
		break;							\
	default:							\
		__gu_val = 0;						\
		__get_user_bad();					\
	}								\
	(x) = (__typeof__(*(ptr)))__gu_val;				\
} while (0)

#define __put_user_asm(store, reg, x, addr, err)			\
	__asm__ __volatile__(						\
	"1:	" store "	" reg "1, [%2]\n"			\
	"2:\n"								\
	"	.pushsection .fixup, \"ax\"\n"				\
	"	.balign	4\n"						\
	"3:	mov	%w0, %3\n"					\
	"	b	2b\n"						\
	"	.popsection\n"						\
	_ASM_EXTABLE(1b, 3b)						\
	: "+r"(err)							\
	: "rZ"(x), "r"(addr), "i"(-EFAULT)				\
	: "memory")

/* *ptr = x, or err = -EFAULT if that faults. No access_ok check. */
#define __put_user_error(x, ptr, err) do {				\
	unsigned long __pu_val = (unsigned long)(__typeof__(*(ptr)))(x); \
	switch (sizeof(*(ptr))) {					\
	case 1:								\
		__put_user_asm("sttrb", "%w", __pu_val, (ptr), (err));	\
		break;							\
	case 2:								\
		__put_user_asm("sttrh", "%w", __pu_val, (ptr), (err));	\
		break;							\
	case 4:								\
		__put_user_asm("sttr", "%w", __pu_val, (ptr), (err));	\
		break;							\
	case 8:								\
		__put_user_asm("sttr", "%x", __pu_val, (ptr), (err));	\
		break;							\
	default:							\
		__put_user_bad();					\
	}								\
} while (0)

#endif
