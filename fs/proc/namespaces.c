// SPDX-License-Identifier: MIT
/*
 * /proc/PID/ns/: a link per kind of namespace the task is in. Read, a link says
 * "pid:[4026531836]"; followed, it leads to the namespace's nsfs inode (fs/nsfs.c), which
 * stat() compares and setns(2) takes once open. Both need ptrace read access to the
 * task (EACCES), as on Linux. Only PID namespaces exist here: pid and pid_for_children.
 */
#include <kairos/proc_ns.h>
#include <kairos/string.h>
#include "internal.h"

static const char *proc_ns_get_link(struct dentry *dentry, struct inode *inode,
				    struct delayed_call *done)
{
	const struct proc_ns_operations *ns_ops = PROC_I(inode)->entry->ns_ops;
	struct task_struct *task = get_proc_task(inode);
	struct path ns_path;
	int err = -EACCES;

	if (!task)
		return ERR_PTR(-EACCES);
	if (proc_may_access(task)) {
		err = ns_get_path(&ns_path, task, ns_ops);
		if (!err)
			nd_jump_link(&ns_path);
	}
	put_task_struct(task);
	return err ? ERR_PTR(err) : NULL;
}

static int proc_ns_readlink(struct dentry *dentry, char *buf, int size)
{
	struct inode *inode = dentry->d_inode;
	const struct proc_ns_operations *ns_ops = PROC_I(inode)->entry->ns_ops;
	struct task_struct *task = get_proc_task(inode);
	char name[50];
	int len = -EACCES;

	if (!task)
		return -EACCES;
	if (proc_may_access(task)) {
		len = ns_get_name(name, sizeof(name), task, ns_ops);
		if (len >= 0) {
			len = min(len, size);
			memcpy(buf, name, len);
		}
	}
	put_task_struct(task);
	return len;
}

static const struct inode_operations proc_ns_link_inode_operations = {
	.get_link = proc_ns_get_link,
	.readlink = proc_ns_readlink,
};

#define NS(NAME, OPS) \
	NOD(NAME, S_IFLNK | 0777, &proc_ns_link_inode_operations, NULL, .ns_ops = &(OPS))

/* In Linux's order (of those there are). */
const struct pid_entry proc_ns_entries[PROC_NS_NENTRIES] = {
	NS("pid", pidns_operations),
	NS("pid_for_children", pidns_for_children_operations),
};
