// SPDX-License-Identifier: MIT
/*
 * uname, sethostname, setdomainname. The system calls itself Linux, as Linux-compatible
 * kernels do, with a release new enough for any C library's start-up checks; the host
 * and domain names start as Linux's do, "(none)".
 */
#include <kairos/sched.h>
#include <kairos/spinlock.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include <kairos/utsname.h>

static struct new_utsname init_uts = {
	.sysname = "Linux",
	.nodename = "(none)",
	.release = "6.1.0-kairos",
	.version = "#1 SMP PREEMPT Kairos",
	.machine = "aarch64",
	.domainname = "(none)",
};
static DEFINE_SPINLOCK(uts_lock);

void get_utsname(struct new_utsname *buf)
{
	unsigned long flags;

	spin_lock_irqsave(&uts_lock, flags);
	*buf = init_uts;
	spin_unlock_irqrestore(&uts_lock, flags);
}

SYSCALL_DEFINE1(uname, struct new_utsname __user *, name)
{
	struct new_utsname tmp;

	get_utsname(&tmp);
	return copy_to_user(name, &tmp, sizeof(tmp)) ? -EFAULT : 0;
}

/* Replace field (__NEW_UTS_LEN + 1 bytes) with len user bytes, zero-filled. */
static long set_uts_field(char *field, const char __user *name, int len)
{
	char tmp[__NEW_UTS_LEN];
	unsigned long flags;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	if (copy_from_user(tmp, name, len))
		return -EFAULT;
	spin_lock_irqsave(&uts_lock, flags);
	memcpy(field, tmp, len);
	memset(field + len, 0, __NEW_UTS_LEN + 1 - len);
	spin_unlock_irqrestore(&uts_lock, flags);
	return 0;
}

SYSCALL_DEFINE2(sethostname, char __user *, name, int, len)
{
	return set_uts_field(init_uts.nodename, name, len);
}

SYSCALL_DEFINE2(setdomainname, char __user *, name, int, len)
{
	return set_uts_field(init_uts.domainname, name, len);
}
