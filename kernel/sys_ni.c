// SPDX-License-Identifier: MIT
/*
 * The answer of every system call Kairos does not implement: -ENOSYS. Each call in
 * uapi/unistd.h gets a weak entry here that a real definition (SYSCALL_DEFINEn) replaces.
 */
#include <kairos/syscalls.h>
#include <uapi/errno.h>

long __arm64_sys_ni_syscall(const struct pt_regs *regs __maybe_unused)
{
	return -ENOSYS;
}

#define __SYSCALL(nr, name)						\
	long __arm64_sys_##name(const struct pt_regs *regs)		\
		__attribute__((weak, alias("__arm64_sys_ni_syscall")));
#include <uapi/unistd.h>
