// SPDX-License-Identifier: MIT
/*
 * The memory devices of major 1: /dev/null (1,3) reads nothing and swallows what is
 * written, /dev/zero (1,5) reads zeros and swallows, /dev/full (1,7) reads zeros and
 * is always full. Seeking any of them goes to 0. Minors without a device are ENXIO.
 */
#include <kairos/bug.h>
#include <kairos/errno.h>
#include <kairos/fs.h>
#include <kairos/mm.h>
#include <kairos/sched.h>

#define MEM_MAJOR	1

static loff_t null_lseek(struct file *file, loff_t offset, int whence)
{
	return file->f_pos = 0;
}

static ssize_t read_iter_null(struct file *file, struct iov_iter *to, loff_t *pos)
{
	return 0;
}

static ssize_t write_iter_null(struct file *file, struct iov_iter *from, loff_t *pos)
{
	size_t count = iov_iter_count(from);

	iov_iter_advance(from, count);
	return count;
}

/* A page at a time, so that a signal or a fault ends a huge read early. */
static ssize_t read_iter_zero(struct file *file, struct iov_iter *to, loff_t *pos)
{
	size_t written = 0;

	while (iov_iter_count(to)) {
		size_t chunk = min(iov_iter_count(to), PAGE_SIZE);
		size_t n = iov_iter_zero(chunk, to);

		written += n;
		if (n < chunk)
			return written ? (ssize_t)written : -EFAULT;
		if (signal_pending(current))
			return written;
		cond_resched();
	}
	return written;
}

static ssize_t write_iter_full(struct file *file, struct iov_iter *from, loff_t *pos)
{
	return -ENOSPC;
}

static const struct file_operations null_fops = {
	.llseek = null_lseek,
	.read_iter = read_iter_null,
	.write_iter = write_iter_null,
};

static const struct file_operations zero_fops = {
	.llseek = null_lseek,
	.read_iter = read_iter_zero,
	.write_iter = write_iter_null,
};

static const struct file_operations full_fops = {
	.llseek = null_lseek,
	.read_iter = read_iter_zero,
	.write_iter = write_iter_full,
};

static const struct file_operations *const devlist[] = {
	[3] = &null_fops,
	[5] = &zero_fops,
	[7] = &full_fops,
};

static int memory_open(struct inode *inode, struct file *file)
{
	unsigned int minor = MINOR(inode->i_rdev);

	if (minor >= ARRAY_SIZE(devlist) || !devlist[minor])
		return -ENXIO;
	file->f_op = devlist[minor];
	return 0;
}

static const struct file_operations memory_fops = {
	.open = memory_open,
};

void chr_dev_init(void)
{
	if (register_chrdev(MEM_MAJOR, "mem", &memory_fops))
		panic("unable to get major %d for memory devs", MEM_MAJOR);
}
