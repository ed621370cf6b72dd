// SPDX-License-Identifier: MIT
/*
 * read, write and lseek on open files, with Linux's checks and limits, and the system
 * calls on them: read, write, readv, writev, pread64, pwrite64, preadv, pwritev,
 * lseek, sendfile, copy_file_range.
 */
#include <kairos/resource.h>
#include <kairos/slab.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include "internal.h"

/* A position below zero, or one that a transfer would carry past the largest, is invalid. */
static int rw_verify_area(const loff_t *pos, size_t count)
{
	loff_t end;

	if ((ssize_t)count < 0)
		return -EINVAL;
	if (pos && (*pos < 0 || __builtin_add_overflow(*pos, (loff_t)count, &end)))
		return -EINVAL;
	return 0;
}

static int rw_check_mode(struct file *file, int rw)
{
	if (!(file->f_mode & (rw == READ ? FMODE_READ : FMODE_WRITE)))
		return -EBADF;
	if (!(file->f_mode & (rw == READ ? FMODE_CAN_READ : FMODE_CAN_WRITE)))
		return -EINVAL;
	return 0;
}

/* Files that cannot seek still get a position to keep the methods simple: always 0. */
static ssize_t call_rw_iter(struct file *file, int rw, struct iov_iter *iter, loff_t *pos)
{
	loff_t none = 0;

	if (!pos)
		pos = &none;
	if (rw == READ)
		return file->f_op->read_iter(file, iter, pos);
	return file->f_op->write_iter(file, iter, pos);
}

/* /proc/PID/io: what a read- or write-type call moved, and that it was made. */
static void io_account(int rw, ssize_t ret)
{
	struct task_io_accounting *ioac = &current->ioac;

	if (rw == READ) {
		ioac->rchar += ret > 0 ? ret : 0;
		ioac->syscr++;
	} else {
		ioac->wchar += ret > 0 ? ret : 0;
		ioac->syscw++;
	}
}

/* Counted once the checks pass, as Linux's vfs_read and vfs_write count. */
static ssize_t vfs_rw(struct file *file, int rw, char __user *buf, size_t count, loff_t *pos)
{
	struct iovec iov = { buf, min(count, MAX_RW_COUNT) };
	struct iov_iter iter;
	int err = rw_check_mode(file, rw);
	ssize_t ret;

	if (err)
		return err;
	if (!access_ok(buf, count))
		return -EFAULT;
	err = rw_verify_area(pos, count);
	if (err)
		return err;
	iov_iter_init(&iter, rw, &iov, 1, iov.iov_len);
	ret = call_rw_iter(file, rw, &iter, pos);
	io_account(rw, ret);
	return ret;
}

ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	return vfs_rw(file, READ, buf, count, pos);
}

ssize_t vfs_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
{
	return vfs_rw(file, WRITE, (char __user *)buf, count, pos);
}

/* As readv and writev do it: nothing to move is done at once, whatever the position. */
static ssize_t vfs_iter_rw(struct file *file, int rw, struct iov_iter *iter, loff_t *pos)
{
	int err = rw_check_mode(file, rw);

	if (err)
		return err;
	if (!iov_iter_count(iter))
		return 0;
	err = rw_verify_area(pos, iov_iter_count(iter));
	if (err)
		return err;
	return call_rw_iter(file, rw, iter, pos);
}

ssize_t vfs_iter_read(struct file *file, struct iov_iter *iter, loff_t *pos)
{
	return vfs_iter_rw(file, READ, iter, pos);
}

ssize_t vfs_iter_write(struct file *file, struct iov_iter *iter, loff_t *pos)
{
	return vfs_iter_rw(file, WRITE, iter, pos);
}

ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos)
{
	struct kvec kv = { buf, min(count, MAX_RW_COUNT) };
	struct iov_iter iter;

	iov_iter_kvec(&iter, READ, &kv, 1, kv.iov_len);
	return vfs_iter_read(file, &iter, pos);
}

ssize_t kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos)
{
	struct kvec kv = { (void *)buf, min(count, MAX_RW_COUNT) };
	struct iov_iter iter;

	iov_iter_kvec(&iter, WRITE, &kv, 1, kv.iov_len);
	return vfs_iter_write(file, &iter, pos);
}

static ssize_t vfs_rwv(struct file *file, int rw, const struct iovec __user *vec,
		       unsigned int vlen, loff_t *pos)
{
	struct iovec iovstack[UIO_FASTIOV], *iov = iovstack;
	struct iov_iter iter;
	ssize_t ret = import_iovec(rw, vec, vlen, UIO_FASTIOV, &iov, &iter);

	if (ret < 0)
		return ret;
	ret = vfs_iter_rw(file, rw, &iter, pos);
	kfree(iov);
	return ret;
}

/*
 * Where a transfer through an fd starts: a copy of f_pos (NULL for files that cannot
 * seek), under f_pos_lock; fpos_end() stores what the transfer made of it.
 */
static loff_t *fpos_begin(struct file *file, loff_t *pos)
{
	file_pos_lock(file);
	if (!(file->f_mode & FMODE_LSEEK))
		return NULL;
	*pos = file->f_pos;
	return pos;
}

static void fpos_end(struct file *file, const loff_t *pos, ssize_t ret)
{
	if (pos && ret >= 0)
		file->f_pos = *pos;
	file_pos_unlock(file);
}

static ssize_t ksys_rw(unsigned int fd, int rw, char __user *buf, size_t count)
{
	struct file *file = fdget(fd);
	loff_t pos, *ppos;
	ssize_t ret;

	if (!file)
		return -EBADF;
	ppos = fpos_begin(file, &pos);
	ret = vfs_rw(file, rw, buf, count, ppos);
	fpos_end(file, ppos, ret);
	fput(file);
	return ret;
}

SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)
{
	return ksys_rw(fd, READ, buf, count);
}

SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf, size_t, count)
{
	return ksys_rw(fd, WRITE, (char __user *)buf, count);
}

/* Linux passes vlen on as an unsigned int: the high half is ignored. Every call counts
 * in /proc/PID/io, even on a bad fd, as Linux's do_readv has it. */
static ssize_t do_rwv(unsigned long fd, int rw, const struct iovec __user *vec,
		      unsigned long vlen)
{
	struct file *file = fdget(fd);
	loff_t pos, *ppos;
	ssize_t ret = -EBADF;

	if (file) {
		ppos = fpos_begin(file, &pos);
		ret = vfs_rwv(file, rw, vec, vlen, ppos);
		fpos_end(file, ppos, ret);
		fput(file);
	}
	io_account(rw, ret);
	return ret;
}

SYSCALL_DEFINE3(readv, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen)
{
	return do_rwv(fd, READ, vec, vlen);
}

SYSCALL_DEFINE3(writev, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen)
{
	return do_rwv(fd, WRITE, vec, vlen);
}

/*
 * The file of a transfer at an explicit position: the position must be valid before the
 * fd is looked at, and the file seekable. NULL with *err set otherwise.
 */
static struct file *fdget_positioned(unsigned long fd, loff_t pos, ssize_t *err)
{
	struct file *file;

	*err = -EINVAL;
	if (pos < 0)
		return NULL;
	*err = -EBADF;
	file = fdget(fd);
	if (file && !(file->f_mode & FMODE_LSEEK)) {
		*err = -ESPIPE;
		fput(file);
		file = NULL;
	}
	return file;
}

static ssize_t do_prw(unsigned int fd, int rw, char __user *buf, size_t count, loff_t pos)
{
	ssize_t ret;
	struct file *file = fdget_positioned(fd, pos, &ret);

	if (file) {
		ret = vfs_rw(file, rw, buf, count, &pos);
		fput(file);
	}
	return ret;
}

SYSCALL_DEFINE4(pread64, unsigned int, fd, char __user *, buf, size_t, count, loff_t, pos)
{
	return do_prw(fd, READ, buf, count, pos);
}

SYSCALL_DEFINE4(pwrite64, unsigned int, fd, const char __user *, buf, size_t, count,
		loff_t, pos)
{
	return do_prw(fd, WRITE, (char __user *)buf, count, pos);
}

static ssize_t do_prwv(unsigned long fd, int rw, const struct iovec __user *vec,
		       unsigned long vlen, loff_t pos)
{
	ssize_t ret;
	struct file *file = fdget_positioned(fd, pos, &ret);

	if (file) {
		ret = vfs_rwv(file, rw, vec, vlen, &pos);
		fput(file);
	}
	if (pos >= 0)		/* counted unless the position was refused first */
		io_account(rw, ret);
	return ret;
}

/* The position comes in two halves for 32-bit ABIs; on 64-bit pos_l holds all of it. */
SYSCALL_DEFINE5(preadv, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen, unsigned long, pos_l, unsigned long, pos_h)
{
	return do_prwv(fd, READ, vec, vlen, pos_l);
}

SYSCALL_DEFINE5(pwritev, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen, unsigned long, pos_l, unsigned long, pos_h)
{
	return do_prwv(fd, WRITE, vec, vlen, pos_l);
}

/* Pipes (no llseek) cannot seek: ESPIPE. */
loff_t vfs_llseek(struct file *file, loff_t offset, int whence)
{
	if (whence < SEEK_SET || whence > SEEK_HOLE)
		return -EINVAL;
	if (!(file->f_mode & FMODE_LSEEK))
		return -ESPIPE;
	return file->f_op->llseek(file, offset, whence);
}

SYSCALL_DEFINE3(lseek, unsigned int, fd, long, offset, unsigned int, whence)
{
	struct file *file = fdget(fd);
	loff_t ret = -EINVAL;

	if (!file)
		return -EBADF;
	if (whence <= SEEK_HOLE) {
		file_pos_lock(file);
		ret = vfs_llseek(file, offset, whence);
		file_pos_unlock(file);
	}
	fput(file);
	return ret;
}

/*
 * Before a write of *count (non-zero) bytes at pos to a regular file: at or past the
 * writer's RLIMIT_FSIZE it gets SIGXFSZ and -EFBIG, else the write is cut to end at the
 * limit (a partial write, as Linux's); then the same for the file system's largest size,
 * without the signal.
 */
int generic_write_checks(struct file *file, loff_t pos, size_t *count)
{
	loff_t max = file->f_inode->i_sb->s_maxbytes;
	unsigned long limit = rlimit(RLIMIT_FSIZE);

	if (limit != RLIM_INFINITY) {
		if ((unsigned long)pos >= limit) {
			send_sig_info(SIGXFSZ, SEND_SIG_NOINFO, current);
			return -EFBIG;
		}
		*count = min(*count, (size_t)(limit - pos));
	}
	if (pos >= max)
		return -EFBIG;
	*count = min(*count, (size_t)(max - pos));
	return 0;
}

/*
 * Files whose size is i_size: any position from 0 to s_maxbytes, even past the end.
 * The whole file counts as data, with one hole at the end.
 */
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	struct inode *inode = file->f_inode;
	loff_t size = READ_ONCE(inode->i_size);

	switch (whence) {
	case SEEK_END:
		if (__builtin_add_overflow(offset, size, &offset))
			return -EINVAL;
		break;
	case SEEK_CUR:
		if (__builtin_add_overflow(offset, file->f_pos, &offset))
			return -EINVAL;
		break;
	case SEEK_DATA:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		break;
	case SEEK_HOLE:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		offset = size;
		break;
	}
	if (offset < 0 || offset > inode->i_sb->s_maxbytes)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

/*
 * Copies count bytes from in at *in_pos to out at *out_pos (NULL: streams) through a
 * kernel page, as Linux's splice does without pipes: the bytes copied, or the first
 * error if none were. Each read is written out in full before the next.
 */
static ssize_t copy_through_page(struct file *in, loff_t *in_pos, struct file *out,
				 loff_t *out_pos, size_t count)
{
	char *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	ssize_t done = 0, err = 0;

	if (!buf)
		return -ENOMEM;
	while (count) {
		ssize_t n = kernel_read(in, buf, min(count, PAGE_SIZE), in_pos);

		if (n <= 0) {
			err = n;
			break;
		}
		for (ssize_t w = 0; w < n && !err;) {
			ssize_t m = kernel_write(out, buf + w, n - w, out_pos);

			if (m <= 0) {
				/* The unwritten part was read: the input goes back to it. */
				if (in_pos)
					*in_pos -= n - w;
				err = m ? m : -EIO;
			} else {
				w += m;
				done += m;
			}
		}
		if (err)
			break;
		count -= n;
	}
	kfree(buf);
	return done ? done : err;
}

/*
 * sendfile: from a file that can be read at a position to any writable file, at *ppos
 * (NULL: the input's f_pos) and the output's f_pos.
 */
static ssize_t do_sendfile(int out_fd, int in_fd, loff_t *ppos, size_t count)
{
	struct file *in, *out = NULL;
	loff_t pos, out_pos, max;
	ssize_t ret = -EBADF;

	in = fdget(in_fd);
	if (!in)
		return -EBADF;
	if (!(in->f_mode & FMODE_READ))
		goto out;
	ret = -ESPIPE;
	if (ppos && !(in->f_mode & FMODE_LSEEK))
		goto out;
	pos = ppos ? *ppos : in->f_pos;
	ret = rw_verify_area(&pos, count);
	if (ret)
		goto out;
	count = min(count, MAX_RW_COUNT);
	out = fdget(out_fd);
	ret = -EBADF;
	if (!out || !(out->f_mode & FMODE_WRITE))
		goto out;
	out_pos = out->f_pos;
	ret = rw_verify_area(&out_pos, count);
	if (ret)
		goto out;
	max = min(in->f_inode->i_sb->s_maxbytes, out->f_inode->i_sb->s_maxbytes);
	if (pos + (loff_t)count > max) {
		ret = -EOVERFLOW;
		if (pos >= max)
			goto out;
		count = max - pos;
	}
	/* What splice can read: not a pipe or a directory. */
	ret = -EINVAL;
	if (out->f_flags & O_APPEND || !(in->f_mode & FMODE_LSEEK) ||
	    S_ISDIR(in->f_inode->i_mode))
		goto out;
	ret = copy_through_page(in, &pos, out, (out->f_mode & FMODE_LSEEK) ? &out_pos : NULL,
				count);
	io_account(READ, ret);
	io_account(WRITE, ret);
	if (ret > 0) {
		out->f_pos = out_pos;
		if (ppos)
			*ppos = pos;
		else
			in->f_pos = pos;
	}
out:
	if (out)
		fput(out);
	fput(in);
	return ret;
}

/* The offset is read before anything else and written back whatever happened. */
SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, loff_t __user *, offset, size_t, count)
{
	loff_t pos;
	ssize_t ret;

	if (!offset)
		return do_sendfile(out_fd, in_fd, NULL, count);
	if (copy_from_user(&pos, offset, sizeof(pos)))
		return -EFAULT;
	ret = do_sendfile(out_fd, in_fd, &pos, count);
	if (put_user(pos, offset))
		return -EFAULT;
	return ret;
}

/*
 * Both regular files in one file system (else EXDEV, and the caller copies); ranges
 * in one file must not overlap. The copy stops at the end of the input.
 */
static ssize_t vfs_copy_file_range(struct file *in, loff_t *pos_in, struct file *out,
				   loff_t *pos_out, size_t len, unsigned int flags)
{
	struct inode *inode_in = in->f_inode, *inode_out = out->f_inode;
	loff_t end, size;
	ssize_t ret;

	if (flags)
		return -EINVAL;
	if (S_ISDIR(inode_in->i_mode) || S_ISDIR(inode_out->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode_in->i_mode) || !S_ISREG(inode_out->i_mode))
		return -EINVAL;
	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE) ||
	    (out->f_flags & O_APPEND))
		return -EBADF;
	if (inode_in->i_sb != inode_out->i_sb)
		return -EXDEV;
	if (__builtin_add_overflow(*pos_in, (loff_t)len, &end) ||
	    __builtin_add_overflow(*pos_out, (loff_t)len, &end))
		return -EOVERFLOW;
	size = READ_ONCE(inode_in->i_size);
	len = *pos_in >= size ? 0 : min(len, (size_t)(size - *pos_in));
	if (inode_in == inode_out && *pos_out + (loff_t)len > *pos_in &&
	    *pos_out < *pos_in + (loff_t)len)
		return -EINVAL;
	ret = rw_verify_area(pos_in, len);
	if (!ret)
		ret = rw_verify_area(pos_out, len);
	if (ret || !len)
		return ret;
	ret = copy_through_page(in, pos_in, out, pos_out, min(len, MAX_RW_COUNT));
	io_account(READ, ret);
	io_account(WRITE, ret);
	return ret;
}

SYSCALL_DEFINE6(copy_file_range, int, fd_in, loff_t __user *, off_in, int, fd_out,
		loff_t __user *, off_out, size_t, len, unsigned int, flags)
{
	struct file *in, *out;
	loff_t pos_in, pos_out;
	ssize_t ret = -EBADF;

	in = fdget(fd_in);
	if (!in)
		return -EBADF;
	out = fdget(fd_out);
	if (!out)
		goto out_in;
	pos_in = in->f_pos;
	pos_out = out->f_pos;
	ret = -EFAULT;
	if (off_in && copy_from_user(&pos_in, off_in, sizeof(pos_in)))
		goto out;
	if (off_out && copy_from_user(&pos_out, off_out, sizeof(pos_out)))
		goto out;
	ret = vfs_copy_file_range(in, &pos_in, out, &pos_out, len, flags);
	if (ret > 0) {
		if (!off_in)
			in->f_pos = pos_in;
		else if (put_user(pos_in, off_in))
			ret = -EFAULT;
		if (!off_out)
			out->f_pos = pos_out;
		else if (put_user(pos_out, off_out))
			ret = -EFAULT;
	}
out:
	fput(out);
out_in:
	fput(in);
	return ret;
}
