/* SPDX-License-Identifier: MIT */
/*
 * PID numbers. For now one namespace and plain numbers; the PID-namespace issue replaces
 * this with struct pid and per-level numbers as the seed's "PID Structure" draws. Until
 * then a number stays taken while a task has it as its PID or a process has it as its
 * process group or session, as a struct pid would.
 *
 * Locking: tasklist_lock covers the number map and the hash.
 */
#ifndef KAIROS_PID_H
#define KAIROS_PID_H

#define PID_MAX_DEFAULT		0x8000
#define RESERVED_PIDS		300	/* after wrapping, allocation restarts above these */

struct task_struct;

/* The seed's pid_type: which of a task's numbers a lookup means. */
enum pid_type {
	PIDTYPE_PID,
	PIDTYPE_TGID,
	PIDTYPE_PGID,
	PIDTYPE_SID,
	PIDTYPE_MAX,
};

/* The seed's pid_namespace, reduced to what there is of it: init adopts orphans. */
struct pid_namespace {
	struct task_struct *child_reaper;
};
extern struct pid_namespace init_pid_ns;

extern int pid_max;

/* The next free PID after the last one handed out, wrapping at pid_max (-EAGAIN if none);
 * or, if set_tid > 0, exactly that one (-EEXIST if taken, -EINVAL if out of range). */
int alloc_pid(int set_tid);
void free_pid(int pid);

/* Make p findable under p->pid, and stop. */
void attach_pid(struct task_struct *p);
void detach_pid(struct task_struct *p);
/* de_thread: two threads of a group trade PIDs. */
void exchange_tids(struct task_struct *left, struct task_struct *right);
/* The task (thread) with PID nr, zombies included, or NULL. */
struct task_struct *find_task_by_vpid(int nr);

/*
 * Numbers as a namespace sees them (0: p is not visible in ns), the interface /proc and
 * the system calls use. For now there is one namespace and these read the plain numbers;
 * struct pid replaces their insides, not their callers. tasklist_lock or a reference on p.
 */
struct pid_namespace *task_active_pid_ns(struct task_struct *p);
int task_pid_nr_ns(struct task_struct *p, struct pid_namespace *ns);
int task_tgid_nr_ns(struct task_struct *p, struct pid_namespace *ns);
int task_ppid_nr_ns(struct task_struct *p, struct pid_namespace *ns);
int task_pgrp_nr_ns(struct task_struct *p, struct pid_namespace *ns);
int task_session_nr_ns(struct task_struct *p, struct pid_namespace *ns);
struct task_struct *find_task_by_pid_ns(int nr, struct pid_namespace *ns);
/* The thread-group leader with the smallest TGID >= *nr seen in ns, its number stored in
 * *nr; NULL when there is none (readdir of /proc). tasklist_lock held. */
struct task_struct *next_tgid_task(int *nr, struct pid_namespace *ns);

/* The PID ns handed out last (/proc/loadavg's last field). tasklist_lock held. */
int pid_ns_last_pid(struct pid_namespace *ns);

void pid_idr_init(void);

#endif
