// SPDX-License-Identifier: MIT
/*
 * Character devices: a driver registers file operations for a major number, and
 * opening a character-device inode hands the file to them (the minor is in i_rdev for
 * the driver's ->open to tell its devices apart).
 */
#include <kairos/spinlock.h>
#include "internal.h"

#define CHRDEV_MAJOR_MAX	512

struct char_device {
	const char *name;
	const struct file_operations *fops;
};

static struct char_device chrdevs[CHRDEV_MAJOR_MAX];
static DEFINE_SPINLOCK(chrdevs_lock);

int register_chrdev(unsigned int major, const char *name,
		    const struct file_operations *fops)
{
	int err = 0;

	if (!major || major >= CHRDEV_MAJOR_MAX)
		return -EINVAL;
	spin_lock(&chrdevs_lock);
	if (chrdevs[major].fops) {
		err = -EBUSY;
	} else {
		chrdevs[major].name = name;
		WRITE_ONCE(chrdevs[major].fops, fops);
	}
	spin_unlock(&chrdevs_lock);
	return err;
}

/* Drivers are never unregistered, so the operations stay valid once found. */
static int chrdev_open(struct inode *inode, struct file *file)
{
	unsigned int major = MAJOR(inode->i_rdev);
	const struct file_operations *fops;

	if (major >= CHRDEV_MAJOR_MAX)
		return -ENXIO;
	fops = READ_ONCE(chrdevs[major].fops);
	if (!fops)
		return -ENXIO;
	file->f_op = fops;
	return fops->open ? fops->open(inode, file) : 0;
}

const struct file_operations def_chr_fops = {
	.open = chrdev_open,
};
