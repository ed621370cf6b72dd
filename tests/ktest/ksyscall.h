/* SPDX-License-Identifier: MIT */
/*
 * Calling system calls from in-kernel tests, through their table entries as user space
 * would reach them: SYS(name, args...) with up to six integer arguments (pointers are
 * user addresses). The test thread adopts an mm first (user_mm.h).
 */
#ifndef KTEST_KSYSCALL_H
#define KTEST_KSYSCALL_H

#include <asm/ptrace.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>

struct ktest_sysargs {
	u64 a[6];
};

static inline long ktest_syscall(syscall_fn_t fn, struct ktest_sysargs args)
{
	struct pt_regs regs;

	memset(&regs, 0, sizeof(regs));
	memcpy(regs.regs, args.a, sizeof(args.a));
	return fn(&regs);
}

#define SYS(name, ...)	\
	ktest_syscall(__arm64_sys_##name, (struct ktest_sysargs){ { __VA_ARGS__ } })

#endif
