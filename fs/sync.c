// SPDX-License-Identifier: MIT
/* sync, fsync, fdatasync: every file system here lives in memory, so there is nothing to
 * write back; what remains is Linux's checks. */
#include <kairos/syscalls.h>
#include "internal.h"

SYSCALL_DEFINE0(sync)
{
	return 0;
}

static long do_fsync(unsigned int fd, int datasync)
{
	struct file *file = fdget(fd);
	long err = -EINVAL;

	if (!file)
		return -EBADF;
	if (file->f_op->fsync)
		err = file->f_op->fsync(file, datasync);
	fput(file);
	return err;
}

SYSCALL_DEFINE1(fsync, unsigned int, fd)
{
	return do_fsync(fd, 0);
}

SYSCALL_DEFINE1(fdatasync, unsigned int, fd)
{
	return do_fsync(fd, 1);
}
