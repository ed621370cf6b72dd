// SPDX-License-Identifier: MIT
/* Registered file system types, and super blocks of file systems without a device. */
#include <kairos/seq_file.h>
#include <kairos/slab.h>
#include <kairos/string.h>
#include "internal.h"

static struct file_system_type *file_systems;
static DEFINE_SPINLOCK(file_systems_lock);
static atomic_t last_anon_minor;

int register_filesystem(struct file_system_type *type)
{
	int err = 0;

	spin_lock(&file_systems_lock);
	if (get_fs_type(type->name)) {
		err = -EBUSY;
	} else {
		type->next = file_systems;
		smp_store_release(&file_systems, type);	/* get_fs_type() reads unlocked */
	}
	spin_unlock(&file_systems_lock);
	return err;
}

/* Types are never unregistered, so the result stays valid. */
struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *type;

	for (type = smp_load_acquire(&file_systems); type; type = type->next)
		if (!strcmp(type->name, name))
			break;
	return type;
}

/* Registration order, oldest first (the list is newest first): no device needed. */
static void show_filesystems(struct seq_file *m, struct file_system_type *type)
{
	if (!type)
		return;
	show_filesystems(m, type->next);
	seq_printf(m, "nodev\t%s\n", type->name);
}

int filesystems_proc_show(struct seq_file *m)
{
	show_filesystems(m, smp_load_acquire(&file_systems));
	return 0;
}

/* A super block with an anonymous device number (major 0), as st_dev tells them apart. */
struct super_block *sget_anon(struct file_system_type *type)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);

	if (!sb)
		return NULL;
	sb->s_type = type;
	sb->s_dev = MKDEV(0, (atomic_inc_return(&last_anon_minor) & MINORMASK));
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	mutex_init(&sb->s_vfs_rename_mutex);
	return sb;
}

void kill_anon_super(struct super_block *sb)
{
	kfree(sb);
}
