// SPDX-License-Identifier: MIT
/*
 * fcntl(2): duplicating fds, the close-on-exec flag, the file status flags, pipe sizes,
 * and record locks.
 *
 * Record locks are checked as Linux checks them (type, whence, range, access mode) but
 * not kept: every lock is granted and F_GETLK never finds a conflict. Within one
 * process that is what POSIX locks do; between processes they do not exclude yet.
 */
#include <kairos/pipe_fs_i.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include "internal.h"

/* What F_SETFL may change; O_NDELAY is O_NONBLOCK here. */
#define SETFL_MASK	(O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME)

/* O_DIRECT is packet mode on pipes; no file here does direct I/O otherwise. Changing
 * FASYNC would take ->fasync, which no file has: the bit is ignored, as Linux does. */
static int setfl(struct file *file, unsigned int arg)
{
	struct inode *inode = file->f_inode;

	if ((arg & O_NOATIME) && !(file->f_flags & O_NOATIME)) {
		struct vfs_ctx ctx;
		bool ok;

		get_current_vfs_ctx(&ctx);
		ok = inode_owner_or_capable(&ctx, inode);
		put_vfs_ctx(&ctx);
		if (!ok)
			return -EPERM;
	}
	if ((arg & O_DIRECT) && !get_pipe_info(file))
		return -EINVAL;
	spin_lock(&file->f_lock);
	file->f_flags = (arg & SETFL_MASK) | (file->f_flags & ~SETFL_MASK);
	spin_unlock(&file->f_lock);
	return 0;
}

/* A lock's range must start at or after 0 and end at or before the largest offset. */
static int check_flock(struct file *file, const struct flock *l)
{
	loff_t start, end;

	switch (l->l_whence) {
	case SEEK_SET:
		start = 0;
		break;
	case SEEK_CUR:
		start = file->f_pos;
		break;
	case SEEK_END:
		start = READ_ONCE(file->f_inode->i_size);
		break;
	default:
		return -EINVAL;
	}
	if (__builtin_add_overflow(start, l->l_start, &start))
		return -EOVERFLOW;
	if (start < 0)
		return -EINVAL;
	if (l->l_len > 0 && __builtin_add_overflow(start, l->l_len - 1, &end))
		return -EOVERFLOW;
	if (l->l_len < 0 && start + l->l_len < 0)
		return -EINVAL;
	if (l->l_type != F_RDLCK && l->l_type != F_WRLCK && l->l_type != F_UNLCK)
		return -EINVAL;
	return 0;
}

static long fcntl_lock(struct file *file, unsigned int cmd, struct flock __user *argp)
{
	struct flock l;
	int err;

	if (copy_from_user(&l, argp, sizeof(l)))
		return -EFAULT;
	if ((cmd == F_GETLK || cmd == F_OFD_GETLK) && l.l_type != F_RDLCK &&
	    l.l_type != F_WRLCK)
		return -EINVAL;
	err = check_flock(file, &l);
	if (err)
		return err;
	if ((cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW) && l.l_pid)
		return -EINVAL;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		l.l_type = F_UNLCK;	/* nothing is in the way */
		return copy_to_user(argp, &l, sizeof(l)) ? -EFAULT : 0;
	}
	if ((l.l_type == F_RDLCK && !(file->f_mode & FMODE_READ)) ||
	    (l.l_type == F_WRLCK && !(file->f_mode & FMODE_WRITE)))
		return -EBADF;
	return 0;
}

static long do_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg, struct file *file)
{
	unsigned int argi = arg;
	int ret;

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return f_dupfd(current->files, argi, file, cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0,
			       nofile_limit());
	case F_GETFD:
		ret = get_close_on_exec(current->files, fd);
		return ret < 0 ? ret : ret ? FD_CLOEXEC : 0;
	case F_SETFD:
		return set_close_on_exec(current->files, fd, argi & FD_CLOEXEC);
	case F_GETFL:
		return file->f_flags;
	case F_SETFL:
		return setfl(file, argi);
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return fcntl_lock(file, cmd, (struct flock __user *)arg);
	case F_SETPIPE_SZ:
	case F_GETPIPE_SZ:
		return pipe_fcntl(file, cmd, argi);
	}
	return -EINVAL;
}

/* An O_PATH fd answers only the commands about the fd itself. */
static bool check_fcntl_cmd(unsigned int cmd)
{
	return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD || cmd == F_SETFD ||
	       cmd == F_GETFL;
}

SYSCALL_DEFINE3(fcntl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *file = fdget_raw(fd);
	long err = -EBADF;

	if (!file)
		return -EBADF;
	if (!(file->f_mode & FMODE_PATH) || check_fcntl_cmd(cmd))
		err = do_fcntl(fd, cmd, arg, file);
	fput(file);
	return err;
}
