/* SPDX-License-Identifier: MIT */
/* System register values and accessors. */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#include <kairos/const.h>

#define CurrentEL_EL1		(1 << 2)
#define CurrentEL_EL2		(2 << 2)

/* SCTLR_EL1: bits 11, 20, 22, 23, 28, 29 are RES1 on ARMv8.0. */
#define SCTLR_EL1_RES1		((1 << 11) | (1 << 20) | (1 << 22) | (1 << 23) | (1 << 28) | (1 << 29))
#define SCTLR_M			(1 << 0)	/* MMU */
#define SCTLR_C			(1 << 2)	/* data cache */
#define SCTLR_SA		(1 << 3)	/* SP alignment check, EL1 */
#define SCTLR_SA0		(1 << 4)	/* SP alignment check, EL0 */
#define SCTLR_I			(1 << 12)	/* instruction cache */
#define SCTLR_DZE		(1 << 14)	/* EL0 may use DC ZVA (glibc's memset does) */
#define SCTLR_UCT		(1 << 15)	/* EL0 may read CTR_EL0 (glibc's memcpy does) */
#define SCTLR_nTWI		(1 << 16)
#define SCTLR_nTWE		(1 << 18)
#define SCTLR_UCI		(1 << 26)	/* EL0 cache maintenance by VA */
#define SCTLR_EL1_MMU_OFF	SCTLR_EL1_RES1
#define SCTLR_EL1_MMU_ON	(SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | \
				 SCTLR_I | SCTLR_DZE | SCTLR_UCT | SCTLR_nTWI | SCTLR_nTWE | SCTLR_UCI)

/* HCR_EL2 when we start at EL2 and drop to EL1: EL1 is AArch64, nothing trapped. */
#define HCR_RW			(_UL(1) << 31)
#define CPACR_EL1_FPEN		(3 << 20)

/* SPSR for the drop from EL2: EL1h with D, A, I, F masked. */
#define SPSR_EL1H_DAIF		0x3c5

/* Memory attribute indices into MAIR_EL1. */
#define MT_NORMAL		0
#define MT_NORMAL_NC		1
#define MT_DEVICE_nGnRnE	2
#define MT_DEVICE_nGnRE		3
#define MAIR_EL1_VALUE		((_UL(0xff) << (8 * MT_NORMAL)) | (_UL(0x44) << (8 * MT_NORMAL_NC)) | \
				 (_UL(0x00) << (8 * MT_DEVICE_nGnRnE)) | (_UL(0x04) << (8 * MT_DEVICE_nGnRE)))

/* TCR_EL1: 48-bit VAs in both halves, 4 KiB granules, write-back inner-shareable walks,
 * 16-bit ASIDs, top byte ignored for user addresses (as Linux sets it). IPS is filled in
 * from ID_AA64MMFR0_EL1.PARange at boot. */
#define TCR_T0SZ		(64 - 48)
#define TCR_T1SZ		((64 - 48) << 16)
#define TCR_IRGN0_WBWA		(_UL(1) << 8)
#define TCR_ORGN0_WBWA		(_UL(1) << 10)
#define TCR_SH0_INNER		(_UL(3) << 12)
#define TCR_TG0_4K		(_UL(0) << 14)
#define TCR_IRGN1_WBWA		(_UL(1) << 24)
#define TCR_ORGN1_WBWA		(_UL(1) << 26)
#define TCR_SH1_INNER		(_UL(3) << 28)
#define TCR_TG1_4K		(_UL(2) << 30)
#define TCR_IPS_SHIFT		32
#define TCR_AS			(_UL(1) << 36)
#define TCR_TBI0		(_UL(1) << 37)
#define TCR_EL1_VALUE		(TCR_T0SZ | TCR_T1SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | \
				 TCR_SH0_INNER | TCR_TG0_4K | TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | \
				 TCR_SH1_INNER | TCR_TG1_4K | TCR_AS | TCR_TBI0)

#ifndef __ASSEMBLY__
#include <kairos/types.h>

#define read_sysreg(r) ({						\
	u64 __val;							\
	__asm__ __volatile__("mrs %0, " #r : "=r"(__val));		\
	__val;								\
})
#define write_sysreg(v, r) do {						\
	u64 __val = (u64)(v);						\
	__asm__ __volatile__("msr " #r ", %x0" : : "rZ"(__val));	\
} while (0)
/* For registers the assembler knows only by encoding (the GICv3 CPU interface). */
#define read_sysreg_s(r) ({						\
	u64 __val;							\
	__asm__ __volatile__("mrs %0, " r : "=r"(__val));		\
	__val;								\
})
#define write_sysreg_s(v, r) do {					\
	u64 __val = (u64)(v);						\
	__asm__ __volatile__("msr " r ", %x0" : : "rZ"(__val));		\
} while (0)

#define isb()		__asm__ __volatile__("isb" ::: "memory")
#define dsb(opt)	__asm__ __volatile__("dsb " #opt ::: "memory")
#define dmb(opt)	__asm__ __volatile__("dmb " #opt ::: "memory")
#define wfi()		__asm__ __volatile__("wfi" ::: "memory")
#define wfe()		__asm__ __volatile__("wfe" ::: "memory")
#define sev()		__asm__ __volatile__("sev" ::: "memory")
#endif

#endif
