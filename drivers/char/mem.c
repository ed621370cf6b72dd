// SPDX-License-Identifier: MIT
/*
 * The memory devices of major 1: /dev/null (1,3) reads nothing and swallows what is
 * written, /dev/zero (1,5) reads zeros and swallows, /dev/full (1,7) reads zeros and
 * is always full. Seeking any of them goes to 0. /dev/random (1,8) and /dev/urandom
 * (1,9) read get_random_bytes() and never block (the generator is always ready here);
 * what is written to them is taken and dropped (nothing mixes it in yet). Minors
 * without a device are ENXIO.
 */
#include <kairos/bug.h>
#include <kairos/errno.h>
#include <kairos/fs.h>
#include <kairos/mm.h>
#include <kairos/mman.h>
#include <kairos/random.h>
#include <kairos/sched.h>
#include <kairos/string.h>

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

/* As Linux's noop_llseek: the position stays. */
static loff_t random_lseek(struct file *file, loff_t offset, int whence)
{
	return file->f_pos;
}

static ssize_t random_read_iter(struct file *file, struct iov_iter *to, loff_t *pos)
{
	u8 block[64];
	size_t done = 0;

	while (iov_iter_count(to)) {
		size_t n = min(iov_iter_count(to), sizeof(block)), copied;

		get_random_bytes(block, n);
		copied = copy_to_iter(block, n, to);
		done += copied;
		if (copied < n)
			break;
		if (!(done % PAGE_SIZE)) {
			if (signal_pending(current))
				break;
			cond_resched();
		}
	}
	memset(block, 0, sizeof(block));
	return done ? (ssize_t)done : -EFAULT;
}

static ssize_t random_write_iter(struct file *file, struct iov_iter *from, loff_t *pos)
{
	u8 block[64];
	size_t done = 0;

	while (iov_iter_count(from)) {
		size_t n = min(iov_iter_count(from), sizeof(block)), copied;

		copied = copy_from_iter(block, n, from);
		done += copied;
		if (copied < n)
			break;
		cond_resched();
	}
	return done ? (ssize_t)done : -EFAULT;
}

static __poll_t random_poll(struct file *file, poll_table *wait)
{
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

static const struct file_operations null_fops = {
	.llseek = null_lseek,
	.read_iter = read_iter_null,
	.write_iter = write_iter_null,
};

/* Private: anonymous memory. Shared: memory of its own, shared with forks (mm/shmem.c). */
static int mmap_zero(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_SHARED)
		return shmem_zero_setup(vma);
	vma_set_anonymous(vma);
	return 0;
}

static const struct file_operations zero_fops = {
	.llseek = null_lseek,
	.read_iter = read_iter_zero,
	.write_iter = write_iter_null,
	.mmap = mmap_zero,
};

static const struct file_operations full_fops = {
	.llseek = null_lseek,
	.read_iter = read_iter_zero,
	.write_iter = write_iter_full,
};

static const struct file_operations random_fops = {
	.llseek = random_lseek,
	.read_iter = random_read_iter,
	.write_iter = random_write_iter,
	.poll = random_poll,
};

static const struct file_operations *const devlist[] = {
	[3] = &null_fops,
	[5] = &zero_fops,
	[7] = &full_fops,
	[8] = &random_fops,
	[9] = &random_fops,
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
