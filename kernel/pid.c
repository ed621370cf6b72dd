// SPDX-License-Identifier: MIT
#include <kairos/bitmap.h>
#include <kairos/pid.h>
#include <kairos/sched.h>
#include <kairos/spinlock.h>
#include <uapi/errno.h>

int pid_max = PID_MAX_DEFAULT;
static DECLARE_BITMAP(pid_map, PID_MAX_DEFAULT);
static int last_pid;
static DEFINE_SPINLOCK(pidmap_lock);

/* Search [from, pid_max) for a free number and take it. */
static int take_free_pid(int from)
{
	unsigned long pid = find_next_zero_bit(pid_map, pid_max, from);

	if (pid >= (unsigned long)pid_max)
		return -1;
	__set_bit(pid, pid_map);
	return (int)pid;
}

int alloc_pid(void)
{
	unsigned long flags;
	int pid;

	spin_lock_irqsave(&pidmap_lock, flags);
	pid = take_free_pid(last_pid + 1);
	if (pid < 0)
		pid = take_free_pid(RESERVED_PIDS);
	if (pid >= 0)
		last_pid = pid;
	spin_unlock_irqrestore(&pidmap_lock, flags);
	return pid < 0 ? -EAGAIN : pid;
}

void free_pid(int pid)
{
	unsigned long flags;

	spin_lock_irqsave(&pidmap_lock, flags);
	__clear_bit(pid, pid_map);
	spin_unlock_irqrestore(&pidmap_lock, flags);
}

/* Until PID structures exist, a walk of the task list (callers hold tasklist_lock). */
struct task_struct *find_task_by_vpid(int nr)
{
	struct task_struct *p;

	list_for_each_entry(p, &init_task.tasks, tasks)
		if (p->pid == nr)
			return p;
	return NULL;
}
