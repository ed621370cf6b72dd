// SPDX-License-Identifier: MIT
/*
 * setns(2): join the namespace an nsfs file (an open /proc/PID/ns/NAME) stands for.
 * Only PID namespaces exist here, and there are no pidfds, so every other file is
 * EINVAL, as Linux says of a file that is neither.
 */
#include <kairos/proc_ns.h>
#include <kairos/sched.h>
#include <kairos/syscalls.h>
#include <kairos/fs.h>

SYSCALL_DEFINE2(setns, int, fd, int, flags)
{
	struct file *file = fget(current->files, fd);
	struct ns_common *ns;
	int err = -EINVAL;

	if (!file)
		return -EBADF;
	ns = proc_ns_file_ns(file);
	/* flags 0 takes whatever kind the file is; otherwise it must be that kind. */
	if (ns && (!flags || flags == ns->ops->type))
		err = ns->ops->install(ns);
	fput(file);
	return err;
}
