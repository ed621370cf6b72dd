/* SPDX-License-Identifier: MIT */
/*
 * PIDs as the seed's "PID Structure" draws them. A struct pid is one identity (a thread,
 * and through signal_struct a thread group, a process group or a session) with a number
 * in each PID namespace from the root down to its own (numbers[0..level]); the tasks that
 * use it hang on its tasks[type] lists. Its numbers stay taken while a task is attached
 * to it in any role (a process group outlives its leader); its memory lives while
 * anything holds a reference (get_pid/put_pid: a terminal's foreground group).
 *
 * task->pid and task->tgid keep the numbers in the root namespace, for the kernel's own
 * messages and comparisons; everything a process sees goes through the *_nr_ns / *_vnr
 * accessors, relative to a namespace (vnr: the caller's own).
 *
 * Locking: tasklist_lock covers the number maps, the hash, tasks[] and pid_links, and
 * signal->pids; a reference keeps a struct pid (not its numbers) alive without it.
 */
#ifndef KAIROS_PID_H
#define KAIROS_PID_H

#include <kairos/atomic.h>
#include <kairos/list.h>
#include <kairos/pid_namespace.h>
#include <kairos/types.h>

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

/* One number of a struct pid, in one namespace. */
struct upid {
	int nr;
	struct pid_namespace *ns;
	struct list_head pid_chain;	/* in the hash from (nr, ns) */
};

struct pid {
	atomic_t count;
	unsigned int level;		/* its namespace's: numbers[level] is its own number */
	struct list_head tasks[PIDTYPE_MAX];	/* by task->pid_links[type] */
	struct upid numbers[];
};

/* PID 0 of the root namespace: swapper and the idle tasks; never hashed nor freed. */
extern struct pid init_struct_pid;
extern int pid_max;

static inline struct pid *get_pid(struct pid *pid)
{
	if (pid)
		atomic_inc(&pid->count);
	return pid;
}

void put_pid(struct pid *pid);

/* The namespace pid was made in (its innermost number's). */
static inline struct pid_namespace *ns_of_pid(struct pid *pid)
{
	return pid ? pid->numbers[pid->level].ns : NULL;
}

/* A fresh identity with a number in ns and every namespace above it: the next free one
 * after the last handed out (wrapping at pid_max to RESERVED_PIDS, to 1 before the
 * cursor passed it), or set_tid[i] in the namespace i levels above ns (clone3).
 * ERR_PTR: -EINVAL (bad set_tid), -EPERM (set_tid without privilege), -EEXIST (set_tid
 * taken), -EAGAIN (full), -ENOMEM (ns's init is gone). One reference, the caller's. */
struct pid *alloc_pid(struct pid_namespace *ns, int *set_tid, size_t set_tid_size);
/* Give pid's numbers back (no task uses it any more) and drop the allocation's
 * reference. tasklist_lock held. */
void free_pid(struct pid *pid);

/* A task takes on (attach) or leaves (detach: freeing the numbers of a pid left without
 * tasks) an identity; change_pid does both. The pid of a type lives in the task
 * (PIDTYPE_PID) or in its signal_struct; attach_pid links what is there. tasklist_lock. */
void attach_pid(struct task_struct *task, enum pid_type type);
void detach_pid(struct task_struct *task, enum pid_type type);
void change_pid(struct task_struct *task, enum pid_type type, struct pid *pid);
/* de_thread: the exec'ing thread takes the leader's place in its group types, and the
 * two trade thread identities. */
void transfer_pid(struct task_struct *old, struct task_struct *new, enum pid_type type);
void exchange_tids(struct task_struct *left, struct task_struct *right);

/* The first task using pid as type, or NULL. tasklist_lock. */
struct task_struct *pid_task(struct pid *pid, enum pid_type type);
#define for_each_pid_task(pid, type, task) \
	list_for_each_entry(task, &(pid)->tasks[type], pid_links[type])

/* Numbers and lookups. A number is 0 where the pid is not visible (an outer namespace's
 * process seen from inside). vnr: in the caller's active namespace. */
int pid_nr_ns(struct pid *pid, struct pid_namespace *ns);
int pid_vnr(struct pid *pid);
static inline int pid_nr(struct pid *pid)
{
	return pid ? pid->numbers[0].nr : 0;
}
struct pid *find_pid_ns(int nr, struct pid_namespace *ns);
struct pid *find_vpid(int nr);
/* find_vpid with a reference, under tasklist_lock (NULL if none). */
struct pid *find_get_pid(int nr);

/* task's pid of type, with a reference (NULL once it is released). */
struct pid *get_task_pid(struct task_struct *task, enum pid_type type);
/* A task's identities (tasklist_lock, or its own). NULL once it is released. */
struct pid *task_pid(struct task_struct *p);
struct pid *task_tgid(struct task_struct *p);
struct pid *task_pgrp(struct task_struct *p);
struct pid *task_session(struct task_struct *p);

/*
 * Numbers as a namespace sees them (0: p is not visible in ns), the interface /proc and
 * the system calls use. tasklist_lock or a reference on p.
 */
struct pid_namespace *task_active_pid_ns(struct task_struct *p);
int task_pid_nr_ns(struct task_struct *p, struct pid_namespace *ns);
int task_tgid_nr_ns(struct task_struct *p, struct pid_namespace *ns);
int task_ppid_nr_ns(struct task_struct *p, struct pid_namespace *ns);
int task_pgrp_nr_ns(struct task_struct *p, struct pid_namespace *ns);
int task_session_nr_ns(struct task_struct *p, struct pid_namespace *ns);
int task_pid_vnr(struct task_struct *p);
int task_tgid_vnr(struct task_struct *p);
int task_pgrp_vnr(struct task_struct *p);
int task_session_vnr(struct task_struct *p);
/* The task (thread) numbered nr in ns / in the caller's namespace, zombies included. */
struct task_struct *find_task_by_pid_ns(int nr, struct pid_namespace *ns);
struct task_struct *find_task_by_vpid(int nr);
/* The thread-group leader with the smallest TGID >= *nr seen in ns, its number stored in
 * *nr; NULL when there is none (readdir of /proc). tasklist_lock held. */
struct task_struct *next_tgid_task(int *nr, struct pid_namespace *ns);

/* The PID ns handed out last (/proc/loadavg's last field). tasklist_lock held. */
int pid_ns_last_pid(struct pid_namespace *ns);

void pid_idr_init(void);

#endif
