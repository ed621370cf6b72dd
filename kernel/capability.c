// SPDX-License-Identifier: MIT
/*
 * capget / capset. Kairos has no capability sets: an effective uid of 0 holds every
 * capability and any other none (kairos/cred.h). capget reports that as Linux reports a
 * root or an ordinary process (permitted = effective, inheritable empty); capset accepts
 * only what is already so, since the sets cannot change on their own.
 */
#include <kairos/pid.h>
#include <kairos/sched.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>

#define _LINUX_CAPABILITY_VERSION_1	0x19980330
#define _LINUX_CAPABILITY_VERSION_2	0x20071026
#define _LINUX_CAPABILITY_VERSION_3	0x20080522
#define CAP_LAST_CAP			40	/* CAP_CHECKPOINT_RESTORE, Linux 6.1's last */
#define CAP_U32S			2

struct cap_user_header {
	u32 version;
	int pid;
};

struct cap_user_data {
	u32 effective;
	u32 permitted;
	u32 inheritable;
};

/* The number of u32 sets the header's version carries; else the version we speak is
 * written back and the answer is -EINVAL. */
static int cap_validate_magic(struct cap_user_header __user *header, unsigned int *tocopy)
{
	u32 version;

	if (get_user(version, &header->version))
		return -EFAULT;
	switch (version) {
	case _LINUX_CAPABILITY_VERSION_1:
		*tocopy = 1;
		return 0;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		*tocopy = CAP_U32S;
		return 0;
	default:
		if (put_user((u32)_LINUX_CAPABILITY_VERSION_3, &header->version))
			return -EFAULT;
		return -EINVAL;
	}
}

/* p's sets as Linux would hold them for its effective uid. */
static void task_caps(const struct task_struct *p, struct cap_user_data data[CAP_U32S])
{
	bool root = p->cred.euid == 0;

	memset(data, 0, CAP_U32S * sizeof(*data));
	if (!root)
		return;
	data[0].effective = data[0].permitted = 0xffffffff;
	data[1].effective = data[1].permitted = (1U << (CAP_LAST_CAP + 1 - 32)) - 1;
}

SYSCALL_DEFINE2(capget, struct cap_user_header __user *, header,
		struct cap_user_data __user *, dataptr)
{
	struct cap_user_data data[CAP_U32S];
	struct task_struct *p = current;
	unsigned int tocopy;
	unsigned long flags;
	int ret, pid;

	ret = cap_validate_magic(header, &tocopy);
	/* A NULL dataptr only asks for the version. */
	if (!dataptr || ret)
		return !dataptr && ret == -EINVAL ? 0 : ret;
	if (get_user(pid, &header->pid))
		return -EFAULT;
	if (pid < 0)
		return -EINVAL;
	if (pid && pid != task_pid_vnr(current)) {
		spin_lock_irqsave(&tasklist_lock, flags);
		p = find_task_by_vpid(pid);
		if (p)
			task_caps(p, data);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (!p)
			return -ESRCH;
	} else {
		task_caps(p, data);
	}
	return copy_to_user(dataptr, data, tocopy * sizeof(data[0])) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(capset, struct cap_user_header __user *, header,
		const struct cap_user_data __user *, data)
{
	struct cap_user_data want[CAP_U32S], have[CAP_U32S];
	unsigned int tocopy;
	int ret, pid;

	ret = cap_validate_magic(header, &tocopy);
	if (ret)
		return ret;
	if (get_user(pid, &header->pid))
		return -EFAULT;
	/* Only one's own sets can be changed. */
	if (pid && pid != task_pid_vnr(current))
		return -EPERM;
	memset(want, 0, sizeof(want));
	if (copy_from_user(want, data, tocopy * sizeof(want[0])))
		return -EFAULT;
	task_caps(current, have);
	return memcmp(want, have, tocopy * sizeof(want[0])) ? -EPERM : 0;
}
