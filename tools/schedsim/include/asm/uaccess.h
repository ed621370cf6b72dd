/* SPDX-License-Identifier: MIT */
/*
 * schedsim: there is no user memory (every task is a kernel thread), so every user
 * access fails as a bad pointer would (tools/schedsim/stubs.c has the copies).
 */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H

#include <kairos/compiler.h>
#include <kairos/types.h>
#include <uapi/errno.h>

#define access_ok(addr, size)	((void)(addr), (void)(size), false)

unsigned long __arch_copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long __arch_copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long __arch_clear_user(void __user *to, unsigned long n);

#define __get_user_error(x, ptr, err) do {				\
	(x) = (__typeof__(*(ptr)))0;					\
	(err) = -EFAULT;						\
} while (0)

#define __put_user_error(x, ptr, err) do {				\
	(void)(x);							\
	(err) = -EFAULT;						\
} while (0)

#endif
