/* SPDX-License-Identifier: MIT */
/* Saving and loading a user task's FP/SIMD registers (struct user_fpsimd_state). The
 * kernel itself is built with -mgeneral-regs-only, so only user space owns them. */
#include <asm/assembler.h>

#define FPSIMD_FPSR	(32 * 16)

	.arch_extension fp
	.arch_extension simd

/* void fpsimd_save_state(struct user_fpsimd_state *x0) */
ENTRY(fpsimd_save_state)
	stp	q0, q1, [x0, #32 * 0]
	stp	q2, q3, [x0, #32 * 1]
	stp	q4, q5, [x0, #32 * 2]
	stp	q6, q7, [x0, #32 * 3]
	stp	q8, q9, [x0, #32 * 4]
	stp	q10, q11, [x0, #32 * 5]
	stp	q12, q13, [x0, #32 * 6]
	stp	q14, q15, [x0, #32 * 7]
	stp	q16, q17, [x0, #32 * 8]
	stp	q18, q19, [x0, #32 * 9]
	stp	q20, q21, [x0, #32 * 10]
	stp	q22, q23, [x0, #32 * 11]
	stp	q24, q25, [x0, #32 * 12]
	stp	q26, q27, [x0, #32 * 13]
	stp	q28, q29, [x0, #32 * 14]
	stp	q30, q31, [x0, #32 * 15]
	mrs	x8, fpsr
	str	w8, [x0, #FPSIMD_FPSR]
	mrs	x8, fpcr
	str	w8, [x0, #FPSIMD_FPSR + 4]
	ret
END(fpsimd_save_state)

/* void fpsimd_load_state(const struct user_fpsimd_state *x0) */
ENTRY(fpsimd_load_state)
	ldp	q0, q1, [x0, #32 * 0]
	ldp	q2, q3, [x0, #32 * 1]
	ldp	q4, q5, [x0, #32 * 2]
	ldp	q6, q7, [x0, #32 * 3]
	ldp	q8, q9, [x0, #32 * 4]
	ldp	q10, q11, [x0, #32 * 5]
	ldp	q12, q13, [x0, #32 * 6]
	ldp	q14, q15, [x0, #32 * 7]
	ldp	q16, q17, [x0, #32 * 8]
	ldp	q18, q19, [x0, #32 * 9]
	ldp	q20, q21, [x0, #32 * 10]
	ldp	q22, q23, [x0, #32 * 11]
	ldp	q24, q25, [x0, #32 * 12]
	ldp	q26, q27, [x0, #32 * 13]
	ldp	q28, q29, [x0, #32 * 14]
	ldp	q30, q31, [x0, #32 * 15]
	ldr	w8, [x0, #FPSIMD_FPSR]
	msr	fpsr, x8
	ldr	w8, [x0, #FPSIMD_FPSR + 4]
	msr	fpcr, x8
	ret
END(fpsimd_load_state)
