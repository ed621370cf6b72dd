// SPDX-License-Identifier: MIT
/* /proc/version and /proc/cmdline: what uname says, and what the kernel booted with. */
#include <kairos/setup.h>
#include <kairos/utsname.h>
#include "internal.h"

int version_proc_show(struct seq_file *m, struct pid_namespace *ns,
			     struct task_struct *task)
{
	struct new_utsname uts;

	get_utsname(&uts);
	seq_printf(m, "%s version %s (kairos@kairos) (gcc %s) %s\n", uts.sysname, uts.release,
		   __VERSION__, uts.version);
	return 0;
}

int cmdline_proc_show(struct seq_file *m, struct pid_namespace *ns,
			     struct task_struct *task)
{
	seq_printf(m, "%s\n", boot_command_line);
	return 0;
}
