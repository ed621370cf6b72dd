/* SPDX-License-Identifier: MIT */
/*
 * PID numbers. For now one namespace and plain numbers; the PID-namespace issue replaces
 * this with struct pid and per-level numbers as the seed's "PID Structure" draws.
 */
#ifndef KAIROS_PID_H
#define KAIROS_PID_H

#define PID_MAX_DEFAULT		0x8000
#define RESERVED_PIDS		300	/* after wrapping, allocation restarts above these */

/* The next free PID after the last one handed out, wrapping at pid_max; -EAGAIN if none. */
int alloc_pid(void);
void free_pid(int pid);
extern int pid_max;

struct task_struct;
/* The task with PID nr, or NULL; the caller holds tasklist_lock. */
struct task_struct *find_task_by_vpid(int nr);

#endif
