// SPDX-License-Identifier: MIT
/*
 * A stand-in for /proc: "proc" mounts as an empty directory, so that init scripts'
 * `mount -t proc proc /proc` succeeds. The real one (processes, mounts, meminfo...)
 * comes with its own issue.
 */
#include <uapi/magic.h>
#include "../internal.h"


static struct dentry *proc_mount(struct file_system_type *type, const char *dev_name,
				 const char *data)
{
	return mount_pseudo(type, PROC_SUPER_MAGIC, NULL);
}

static struct file_system_type proc_fs_type = {
	.name = "proc",
	.mount = proc_mount,
	.kill_sb = kill_litter_super,
};

void init_proc_fs(void)
{
	register_filesystem(&proc_fs_type);
}
