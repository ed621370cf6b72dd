/* SPDX-License-Identifier: MIT */
#ifndef KAIROS_COMPILER_H
#define KAIROS_COMPILER_H

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
/* glibc defines its own on the host; ours must win without a warning. */
#undef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#define __noreturn	__attribute__((noreturn))
#define __packed	__attribute__((packed))
#define __aligned(x)	__attribute__((aligned(x)))
#define __section(s)	__attribute__((section(s)))
#define __used		__attribute__((used))
#define __maybe_unused	__attribute__((unused))
/* Marks pointers into user space (documentation only: there is no checker). */
#define __user
#define __unused	__attribute__((unused))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __weak		__attribute__((weak))
#define fallthrough	__attribute__((__fallthrough__))
/* Code and data only needed during boot; kept (not freed) for simplicity. */
#define __init		__section(".init.text")
#define __initdata	__section(".init.data")

#define barrier()	__asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#ifndef offsetof	/* <stddef.h> may have been included first */
#define offsetof(t, m)	__builtin_offsetof(t, m)
#endif
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))
#define clamp(v, lo, hi) min(max(v, lo), hi)

#define BUILD_BUG_ON(c) _Static_assert(!(c), #c)

#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)

#endif
