/* SPDX-License-Identifier: MIT */
/* Device register access. Ordered against normal memory as Linux's readl/writel are. */
#ifndef ASM_IO_H
#define ASM_IO_H

#include <kairos/types.h>

#define __iomem

static inline u32 readl_relaxed(const volatile void __iomem *addr)
{
	u32 v;

	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(addr));
	return v;
}

static inline u64 readq_relaxed(const volatile void __iomem *addr)
{
	u64 v;

	__asm__ __volatile__("ldr %0, [%1]" : "=r"(v) : "r"(addr));
	return v;
}

static inline void writel_relaxed(u32 v, volatile void __iomem *addr)
{
	__asm__ __volatile__("str %w0, [%1]" : : "rZ"(v), "r"(addr));
}

static inline void writeq_relaxed(u64 v, volatile void __iomem *addr)
{
	__asm__ __volatile__("str %x0, [%1]" : : "rZ"(v), "r"(addr));
}

static inline void writeb_relaxed(u8 v, volatile void __iomem *addr)
{
	__asm__ __volatile__("strb %w0, [%1]" : : "rZ"(v), "r"(addr));
}

/* readl: later loads wait for it; writel: earlier stores to memory are visible first. */
static inline u32 readl(const volatile void __iomem *addr)
{
	u32 v = readl_relaxed(addr);

	__asm__ __volatile__("dmb oshld" ::: "memory");
	return v;
}

static inline void writel(u32 v, volatile void __iomem *addr)
{
	__asm__ __volatile__("dmb oshst" ::: "memory");
	writel_relaxed(v, addr);
}

/* Map device registers; panics when out of address space (only boot code calls it). */
void __iomem *ioremap(phys_addr_t phys, size_t size);

#endif
