// SPDX-License-Identifier: MIT
/*
 * /proc/sys: the few settings tools read, read-only for now. kernel/ has the PID limit
 * and the names uname(2) gives.
 */
#include <kairos/utsname.h>
#include "internal.h"

static int pid_max_show(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task)
{
	seq_printf(m, "%d\n", READ_ONCE(pid_max));
	return 0;
}

/* One of uname's strings, by its offset in struct new_utsname. */
static int uts_show(struct seq_file *m, size_t offset)
{
	struct new_utsname uts;

	get_utsname(&uts);
	seq_printf(m, "%s\n", (const char *)&uts + offset);
	return 0;
}

static int ostype_show(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task)
{
	return uts_show(m, offsetof(struct new_utsname, sysname));
}

static int osrelease_show(struct seq_file *m, struct pid_namespace *ns,
			  struct task_struct *task)
{
	return uts_show(m, offsetof(struct new_utsname, release));
}

static int hostname_show(struct seq_file *m, struct pid_namespace *ns,
			 struct task_struct *task)
{
	return uts_show(m, offsetof(struct new_utsname, nodename));
}

static const struct pid_entry sys_kernel_entries[] = {
	ONE("hostname", 0444, hostname_show),
	ONE("osrelease", 0444, osrelease_show),
	ONE("ostype", 0444, ostype_show),
	ONE("pid_max", 0444, pid_max_show),
};

const struct pid_entry proc_sys_entries[PROC_SYS_NENTRIES] = {
	FIXED_DIR("kernel", sys_kernel_entries),
};
