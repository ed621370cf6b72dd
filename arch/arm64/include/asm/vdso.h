/* SPDX-License-Identifier: MIT */
/*
 * The vDSO (arch/arm64/kernel/vdso/): a small shared object that exec maps into every
 * process after its data page, with the clock functions and the sigreturn trampoline.
 */
#ifndef ASM_VDSO_H
#define ASM_VDSO_H

#include <kairos/types.h>

struct mm_struct;

/* The linked image, embedded in the kernel's rodata (vdso-image.S). */
extern const char vdso_start[], vdso_end[];

/* __kernel_rt_sigreturn's offset in the image, found at boot. */
extern unsigned long vdso_rt_sigreturn_offset;

void vdso_init(void);
/* A dynamic symbol's offset in the image, or 0 when it has none. */
unsigned long vdso_symbol(const char *name);

/* The data page's clock fields, under its sequence count. */
void vdso_update_counter(u64 boot_count, u32 rate, u64 ns_per_cycle);
void vdso_update_real_offset(u64 real_offset);

#endif
