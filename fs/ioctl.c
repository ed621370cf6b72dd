// SPDX-License-Identifier: MIT
/*
 * ioctl(2): the commands every file answers (close-on-exec, non-blocking, asynchronous
 * mode, sizes), then the file's own ->unlocked_ioctl, else ENOTTY.
 */
#include <kairos/errno.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include <uapi/ioctls.h>
#include "internal.h"

long vfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	long err;

	if (!file->f_op->unlocked_ioctl)
		return -ENOTTY;
	err = file->f_op->unlocked_ioctl(file, cmd, arg);
	return err == -ENOIOCTLCMD ? -ENOTTY : err;
}

static int ioctl_fionbio(struct file *file, int __user *argp)
{
	int on;

	if (get_user(on, argp))
		return -EFAULT;
	spin_lock(&file->f_lock);
	if (on)
		file->f_flags |= O_NONBLOCK;
	else
		file->f_flags &= ~O_NONBLOCK;
	spin_unlock(&file->f_lock);
	return 0;
}

/* No file here can signal I/O readiness (no ->fasync): changing the mode is ENOTTY. */
static int ioctl_fioasync(struct file *file, int __user *argp)
{
	int on;

	if (get_user(on, argp))
		return -EFAULT;
	return ((on ? FASYNC : 0) ^ file->f_flags) & FASYNC ? -ENOTTY : 0;
}

/* -ENOIOCTLCMD for what the file itself must answer. */
static long do_vfs_ioctl(struct file *file, unsigned int fd, unsigned int cmd,
			 unsigned long arg)
{
	struct inode *inode = file->f_inode;
	void __user *argp = (void __user *)arg;
	loff_t bytes;

	switch (cmd) {
	case FIOCLEX:
		return set_close_on_exec(current->files, fd, true);
	case FIONCLEX:
		return set_close_on_exec(current->files, fd, false);
	case FIONBIO:
		return ioctl_fionbio(file, argp);
	case FIOASYNC:
		return ioctl_fioasync(file, argp);
	case FIOQSIZE:
		if (!S_ISDIR(inode->i_mode) && !S_ISREG(inode->i_mode) &&
		    !S_ISLNK(inode->i_mode))
			return -ENOTTY;
		bytes = inode->i_blocks * 512;
		return copy_to_user(argp, &bytes, sizeof(bytes)) ? -EFAULT : 0;
	case FIONREAD:
		/* Bytes after the position, as an int; other files answer for themselves. */
		if (!S_ISREG(inode->i_mode))
			break;
		return put_user((int)(READ_ONCE(inode->i_size) - file->f_pos), (int __user *)argp);
	}
	return -ENOIOCTLCMD;
}

SYSCALL_DEFINE3(ioctl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *file = fdget(fd);
	long err;

	if (!file)
		return -EBADF;
	err = do_vfs_ioctl(file, fd, cmd, arg);
	if (err == -ENOIOCTLCMD)
		err = vfs_ioctl(file, cmd, arg);
	fput(file);
	return err;
}
