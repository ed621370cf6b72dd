// SPDX-License-Identifier: MIT
/*
 * Character devices: opening a device inode reaches the driver registered for its
 * major, which sees the minor; the memory devices of major 1.
 */
#include <kairos/string.h>

#include "fs_fixture.h"

#define TEST_MAJOR	251	/* Linux's "local/experimental use" range */

static unsigned int opened_minor;

static int test_open(struct inode *inode, struct file *file)
{
	opened_minor = MINOR(inode->i_rdev);
	return opened_minor == 13 ? -EIO : 0;
}

static ssize_t test_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	return copy_to_iter("driver", 6, to);
}

static const struct file_operations test_fops = {
	.open = test_open,
	.read_iter = test_read,
};

static struct file *open_dev(struct fs_fixture *f, const char *name, unsigned int major,
			     unsigned int minor, int flags)
{
	do_mknodat(&f->ctx, name, S_IFCHR | 0666, MKDEV(major, minor));
	return filp_open(&f->ctx, name, flags, 0);
}

/* The error of the open, or 0 (and the file closed). */
static long open_dev_err(struct fs_fixture *f, const char *name, unsigned int major,
			 unsigned int minor, int flags)
{
	struct file *file = open_dev(f, name, major, minor, flags);

	if (IS_ERR(file))
		return PTR_ERR(file);
	fput(file);
	return 0;
}

KTEST(chrdev_dispatch)
{
	struct fs_fixture f;
	struct file *file;
	char buf[8];
	loff_t pos = 0;

	KTEST_EXPECT_EQ(t, register_chrdev(TEST_MAJOR, "ktest", &test_fops), 0);
	KTEST_EXPECT_EQ(t, register_chrdev(TEST_MAJOR, "again", &test_fops), -EBUSY);
	KTEST_EXPECT_EQ(t, register_chrdev(0, "zero", &test_fops), -EINVAL);
	KTEST_EXPECT_EQ(t, register_chrdev(4096, "huge", &test_fops), -EINVAL);
	if (!fs_setup(t, &f))
		return;
	file = open_dev(&f, "dev7", TEST_MAJOR, 7, O_RDONLY);
	KTEST_EXPECT(t, !IS_ERR(file));
	if (!IS_ERR(file)) {
		KTEST_EXPECT_EQ(t, opened_minor, 7);
		KTEST_EXPECT(t, file->f_op == &test_fops);
		KTEST_EXPECT_EQ(t, kernel_read(file, buf, sizeof(buf), &pos), 6);
		KTEST_EXPECT(t, !memcmp(buf, "driver", 6));
		/* No write or llseek in the driver: what the file can do follows it. */
		KTEST_EXPECT_EQ(t, vfs_llseek(file, 0, SEEK_SET), -ESPIPE);
		fput(file);
	}
	KTEST_EXPECT_EQ(t, open_dev_err(&f, "dev7w", TEST_MAJOR, 7, O_WRONLY), 0);
	/* The driver's ->open says no. */
	KTEST_EXPECT_EQ(t, open_dev_err(&f, "dev13", TEST_MAJOR, 13, O_RDONLY), -EIO);
	/* A major nobody registered. */
	KTEST_EXPECT_EQ(t, open_dev_err(&f, "none", TEST_MAJOR + 1, 0, O_RDONLY), -ENXIO);
	fs_teardown(t, &f);
}

KTEST(chrdev_mem)
{
	struct fs_fixture f;
	struct file *null, *zero, *full, *rnd;
	char buf[64], buf2[64];
	loff_t pos = 0;

	if (!fs_setup(t, &f))
		return;
	null = open_dev(&f, "null", 1, 3, O_RDWR);
	zero = open_dev(&f, "zero", 1, 5, O_RDWR);
	full = open_dev(&f, "full", 1, 7, O_RDWR);
	rnd = open_dev(&f, "urandom", 1, 9, O_RDONLY);
	KTEST_EXPECT(t, !IS_ERR(null) && !IS_ERR(zero) && !IS_ERR(full) && !IS_ERR(rnd));
	KTEST_EXPECT_EQ(t, open_dev_err(&f, "mem", 1, 1, O_RDONLY), -ENXIO);
	if (IS_ERR(null) || IS_ERR(zero) || IS_ERR(full) || IS_ERR(rnd))
		goto out;
	KTEST_EXPECT_EQ(t, kernel_read(null, buf, sizeof(buf), &pos), 0);
	KTEST_EXPECT_EQ(t, kernel_write(null, buf, sizeof(buf), &pos), sizeof(buf));
	memset(buf, 1, sizeof(buf));
	memset(buf2, 0, sizeof(buf2));
	KTEST_EXPECT_EQ(t, kernel_read(zero, buf, sizeof(buf), &pos), sizeof(buf));
	KTEST_EXPECT(t, !memcmp(buf, buf2, sizeof(buf)));
	KTEST_EXPECT_EQ(t, kernel_write(zero, buf, 5, &pos), 5);
	KTEST_EXPECT_EQ(t, kernel_write(full, buf, 5, &pos), -ENOSPC);
	memset(buf, 1, sizeof(buf));
	KTEST_EXPECT_EQ(t, kernel_read(full, buf, sizeof(buf), &pos), sizeof(buf));
	KTEST_EXPECT(t, !memcmp(buf, buf2, sizeof(buf)));
	/* Seeking goes nowhere. */
	null->f_pos = zero->f_pos = 77;
	KTEST_EXPECT_EQ(t, vfs_llseek(null, 100, SEEK_SET), 0);
	KTEST_EXPECT_EQ(t, vfs_llseek(zero, 5, SEEK_CUR), 0);
	KTEST_EXPECT_EQ(t, null->f_pos, 0);
	/* Two reads of random bytes are not the same. */
	KTEST_EXPECT_EQ(t, kernel_read(rnd, buf, sizeof(buf), &pos), sizeof(buf));
	KTEST_EXPECT_EQ(t, kernel_read(rnd, buf2, sizeof(buf2), &pos), sizeof(buf2));
	KTEST_EXPECT(t, memcmp(buf, buf2, sizeof(buf)));
out:
	if (!IS_ERR(null))
		fput(null);
	if (!IS_ERR(zero))
		fput(zero);
	if (!IS_ERR(full))
		fput(full);
	if (!IS_ERR(rnd))
		fput(rnd);
	fs_teardown(t, &f);
}
