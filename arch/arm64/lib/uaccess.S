/* SPDX-License-Identifier: MIT */
/*
 * Bulk user copies. Each returns in x0 the number of bytes it did not copy, exactly:
 * words go eight bytes at a time, and when a word faults (it may straddle the end of
 * a mapping) the rest is redone a byte at a time, so the count stops at the first byte
 * that cannot be reached. User accesses are LDTR/STTR (EL0 permissions), each one
 * listed in the exception table.
 */
#include <asm/assembler.h>
#include <asm/extable.h>

/* One user access: if it faults beyond repair, resume at fixup. */
	.macro	user, fixup, insn:vararg
9999:	\insn
	_asm_extable 9999b, \fixup
	.endm

	.text

/* unsigned long __arch_copy_from_user(void *to, const void __user *from, unsigned long n) */
ENTRY(__arch_copy_from_user)
	cmp	x2, #8
	b.lo	2f
1:	user	2f, ldtr x3, [x1]
	str	x3, [x0], #8
	add	x1, x1, #8
	sub	x2, x2, #8
	cmp	x2, #8
	b.hs	1b
2:	cbz	x2, 3f
	user	3f, ldtrb w3, [x1]
	strb	w3, [x0], #1
	add	x1, x1, #1
	sub	x2, x2, #1
	b	2b
3:	mov	x0, x2
	ret
END(__arch_copy_from_user)

/* unsigned long __arch_copy_to_user(void __user *to, const void *from, unsigned long n) */
ENTRY(__arch_copy_to_user)
	cmp	x2, #8
	b.lo	2f
1:	ldr	x3, [x1]
	user	2f, sttr x3, [x0]
	add	x0, x0, #8
	add	x1, x1, #8
	sub	x2, x2, #8
	cmp	x2, #8
	b.hs	1b
2:	cbz	x2, 3f
	ldrb	w3, [x1], #1
	user	3f, sttrb w3, [x0]
	add	x0, x0, #1
	sub	x2, x2, #1
	b	2b
3:	mov	x0, x2
	ret
END(__arch_copy_to_user)

/* unsigned long __arch_clear_user(void __user *to, unsigned long n) */
ENTRY(__arch_clear_user)
	cmp	x1, #8
	b.lo	2f
1:	user	2f, sttr xzr, [x0]
	add	x0, x0, #8
	sub	x1, x1, #8
	cmp	x1, #8
	b.hs	1b
2:	cbz	x1, 3f
	user	3f, sttrb wzr, [x0]
	add	x0, x0, #1
	sub	x1, x1, #1
	b	2b
3:	mov	x0, x1
	ret
END(__arch_clear_user)
