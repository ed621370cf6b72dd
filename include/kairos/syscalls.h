/* SPDX-License-Identifier: MIT */
/*
 * Defining system calls. SYSCALL_DEFINEn(name, type1, arg1, ...) defines
 * __arm64_sys_name(const struct pt_regs *regs), the entry the table holds, which takes
 * the arguments from x0..x5 and calls the typed body. Integer arguments narrower than
 * 64 bits see only their low bits, as on Linux. The body returns a value or -errno.
 *
 * How to add a system call: docs/syscalls.md.
 */
#ifndef KAIROS_SYSCALLS_H
#define KAIROS_SYSCALLS_H

#include <asm/ptrace.h>
#include <kairos/types.h>

typedef long (*syscall_fn_t)(const struct pt_regs *regs);

#define __SC_DECL1(t1, a1)		t1 a1
#define __SC_DECL2(t1, a1, ...)		t1 a1, __SC_DECL1(__VA_ARGS__)
#define __SC_DECL3(t1, a1, ...)		t1 a1, __SC_DECL2(__VA_ARGS__)
#define __SC_DECL4(t1, a1, ...)		t1 a1, __SC_DECL3(__VA_ARGS__)
#define __SC_DECL5(t1, a1, ...)		t1 a1, __SC_DECL4(__VA_ARGS__)
#define __SC_DECL6(t1, a1, ...)		t1 a1, __SC_DECL5(__VA_ARGS__)

/* Argument i (counting down from n) is in x(n - i): cast each register to its type. */
#define __SC_ARG(t, n)			(t)regs->regs[n]
#define __SC_ARGS1(n, t1, a1)		__SC_ARG(t1, n)
#define __SC_ARGS2(n, t1, a1, ...)	__SC_ARG(t1, n), __SC_ARGS1(n + 1, __VA_ARGS__)
#define __SC_ARGS3(n, t1, a1, ...)	__SC_ARG(t1, n), __SC_ARGS2(n + 1, __VA_ARGS__)
#define __SC_ARGS4(n, t1, a1, ...)	__SC_ARG(t1, n), __SC_ARGS3(n + 1, __VA_ARGS__)
#define __SC_ARGS5(n, t1, a1, ...)	__SC_ARG(t1, n), __SC_ARGS4(n + 1, __VA_ARGS__)
#define __SC_ARGS6(n, t1, a1, ...)	__SC_ARG(t1, n), __SC_ARGS5(n + 1, __VA_ARGS__)

#define SYSCALL_DEFINEx(x, name, ...)						\
	static long __do_sys_##name(__SC_DECL##x(__VA_ARGS__));			\
	long __arm64_sys_##name(const struct pt_regs *regs)			\
	{									\
		return __do_sys_##name(__SC_ARGS##x(0, __VA_ARGS__));		\
	}									\
	static long __do_sys_##name(__SC_DECL##x(__VA_ARGS__))

#define SYSCALL_DEFINE0(name)							\
	static long __do_sys_##name(void);					\
	long __arm64_sys_##name(const struct pt_regs *regs __maybe_unused)	\
	{									\
		return __do_sys_##name();					\
	}									\
	static long __do_sys_##name(void)

#define SYSCALL_DEFINE1(name, ...)	SYSCALL_DEFINEx(1, name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...)	SYSCALL_DEFINEx(2, name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...)	SYSCALL_DEFINEx(3, name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...)	SYSCALL_DEFINEx(4, name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...)	SYSCALL_DEFINEx(5, name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...)	SYSCALL_DEFINEx(6, name, __VA_ARGS__)

/* Every known call's entry; those nobody defines are weak aliases of sys_ni_syscall. */
#define __SYSCALL(nr, name)	long __arm64_sys_##name(const struct pt_regs *regs);
#include <uapi/unistd.h>
#undef __SYSCALL

long __arm64_sys_ni_syscall(const struct pt_regs *regs);
extern const syscall_fn_t sys_call_table[__NR_syscalls];

#endif
