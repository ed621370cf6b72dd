// SPDX-License-Identifier: MIT
/*
 * The proc file system: `mount -t proc proc /proc`. Each mount shows the processes of
 * the mounter's PID namespace (kept in s_fs_info) and the system-wide files. Nothing is
 * stored: every lookup makes the inode from the process or table entry it names, and
 * dentries go when their last user does, so a directory always lists what exists now.
 */
#include <kairos/irq.h>
#include <kairos/proc_fs.h>
#include <kairos/vmstat.h>
#include <uapi/magic.h>
#include "internal.h"

static const char *proc_mounts_link(struct inode *inode, struct task_struct *task,
				    struct delayed_call *done)
{
	return "self/mounts";
}

static int cpuinfo_proc_show(struct seq_file *m, struct pid_namespace *ns,
			     struct task_struct *task)
{
	return show_cpuinfo(m);
}

static int filesystems_show(struct seq_file *m, struct pid_namespace *ns,
			    struct task_struct *task)
{
	return filesystems_proc_show(m);
}

static int sched_debug_proc_show(struct seq_file *m, struct pid_namespace *ns,
				 struct task_struct *task)
{
	return sched_debug_show(m, ns);
}

static int interrupts_proc_show(struct seq_file *m, struct pid_namespace *ns,
				struct task_struct *task)
{
	return show_interrupts(m);
}

static int vmstat_proc_show(struct seq_file *m, struct pid_namespace *ns,
			    struct task_struct *task)
{
	return vmstat_show(m);
}

/* /proc's own files (the per-process directories come first in lookups). */
static const struct pid_entry proc_root_entries[] = {
	FIXED_DIR("sys", proc_sys_entries),
	ONE("stat", 0444, show_stat),
	LNK("mounts", proc_mounts_link),
	ONE("uptime", 0444, uptime_proc_show),
	ONE("cmdline", 0444, cmdline_proc_show),
	ONE("cpuinfo", 0444, cpuinfo_proc_show),
	ONE("loadavg", 0444, loadavg_proc_show),
	ONE("meminfo", 0444, meminfo_proc_show),
	ONE("version", 0444, version_proc_show),
	ONE("filesystems", 0444, filesystems_show),
	ONE("sched_debug", 0444, sched_debug_proc_show),
	ONE("interrupts", 0444, interrupts_proc_show),
	ONE("softirqs", 0444, softirqs_proc_show),
	ONE("vmstat", 0444, vmstat_proc_show),
};

static int proc_root_lookup(struct inode *dir, struct dentry *dentry)
{
	int err = proc_pid_lookup(dentry);

	if (err == -ENOENT)
		err = proc_lookup_entries(dentry, NULL, proc_self_entries,
					  ARRAY_SIZE(proc_self_entries));
	if (err == -ENOENT)
		err = proc_lookup_entries(dentry, NULL, proc_root_entries,
					  ARRAY_SIZE(proc_root_entries));
	return err;
}

static int proc_root_readdir(struct file *file, struct dir_context *ctx)
{
	if (!proc_dir_emit_dots(file, ctx) ||
	    !proc_fill_entries(file, ctx, proc_root_entries, ARRAY_SIZE(proc_root_entries)))
		return 0;
	return proc_pid_readdir(file, ctx);
}

static const struct inode_operations proc_root_inode_operations = {
	.lookup = proc_root_lookup,
};

static const struct file_operations proc_root_operations = {
	.llseek = dcache_dir_lseek,
	.read_iter = generic_read_dir,
	.iterate = proc_root_readdir,
};

static struct dentry *proc_mount(struct file_system_type *type, const char *dev_name,
				 const char *data)
{
	struct super_block *sb = sget_anon(type);
	struct inode *root;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_magic = PROC_SUPER_MAGIC;
	sb->s_op = &proc_sops;
	/* The mounter's PID namespace, held while the mount lives. */
	sb->s_fs_info = get_pid_ns(task_active_pid_ns(current));
	root = proc_make_inode(sb, NULL, S_IFDIR | 0555);
	if (root) {
		root->i_ino = PROC_ROOT_INO;
		root->i_op = &proc_root_inode_operations;
		root->i_fop = &proc_root_operations;
		sb->s_root = d_make_root(root);
	}
	if (!sb->s_root) {
		put_pid_ns(proc_pid_ns(sb));
		kill_anon_super(sb);
		return ERR_PTR(-ENOMEM);
	}
	return dget(sb->s_root);
}

/* Only the root is left when the last mount goes: nothing pins the other dentries. */
static void proc_kill_sb(struct super_block *sb)
{
	struct pid_namespace *ns = proc_pid_ns(sb);

	dput(sb->s_root);
	kill_anon_super(sb);
	put_pid_ns(ns);
}

static struct file_system_type proc_fs_type = {
	.name = "proc",
	.mount = proc_mount,
	.kill_sb = proc_kill_sb,
};

void init_proc_fs(void)
{
	register_filesystem(&proc_fs_type);
}
