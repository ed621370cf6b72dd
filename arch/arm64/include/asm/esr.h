/* SPDX-License-Identifier: MIT */
/* The Exception Syndrome Register: what kind of exception, and its details. */
#ifndef ASM_ESR_H
#define ASM_ESR_H

#define ESR_ELx_EC_SHIFT	26
#define ESR_ELx_EC(esr)		(((esr) >> ESR_ELx_EC_SHIFT) & 0x3f)
#define ESR_ELx_EC_MASK		(0x3fUL << ESR_ELx_EC_SHIFT)
#define ESR_ELx_IL		(1UL << 25)
#define ESR_ELx_ISS(esr)	((esr) & 0x1ffffff)

#define ESR_ELx_EC_UNKNOWN	0x00
#define ESR_ELx_EC_SVC64	0x15
#define ESR_ELx_EC_IABT_LOW	0x20
#define ESR_ELx_EC_IABT_CUR	0x21
#define ESR_ELx_EC_PC_ALIGN	0x22
#define ESR_ELx_EC_DABT_LOW	0x24
#define ESR_ELx_EC_DABT_CUR	0x25
#define ESR_ELx_EC_SP_ALIGN	0x26
#define ESR_ELx_EC_BRK64	0x3c

/* Data/instruction abort ISS fields. */
#define ESR_ELx_ISV		(1UL << 24)
#define ESR_ELx_SET_SHIFT	11
#define ESR_ELx_FnV		(1UL << 10)
#define ESR_ELx_EA		(1UL << 9)
#define ESR_ELx_CM		(1UL << 8)
#define ESR_ELx_S1PTW		(1UL << 7)
#define ESR_ELx_WNR		(1UL << 6)
#define ESR_ELx_FSC		0x3f

#ifndef __ASSEMBLY__
const char *esr_get_class_string(unsigned long esr);
#endif

#endif
