/* SPDX-License-Identifier: MIT */
/*
 * PID namespaces, as the seed's "PID Structure" draws them: a tree of number spaces, each
 * with its own init (child_reaper). A process has one number in its own namespace and in
 * every one above it (struct pid's numbers[]); it sees only those at its level and below.
 *
 * Locking: tasklist_lock covers the number map, last_pid, pid_allocated and child_reaper.
 */
#ifndef KAIROS_PID_NAMESPACE_H
#define KAIROS_PID_NAMESPACE_H

#include <kairos/atomic.h>
#include <kairos/proc_ns.h>
#include <kairos/types.h>

#define MAX_PID_NS_LEVEL	32	/* Linux's bound on nesting: deeper is ENOSPC */

/* pid_allocated: this bit while the namespace takes new processes (init not yet gone). */
#define PIDNS_ADDING		(1U << 31)

struct task_struct;

struct pid_namespace {
	atomic_t count;
	unsigned long *pidmap;		/* the numbers taken, pid_max bits (Linux: an idr) */
	int last_pid;			/* the last number handed out: allocation goes on after it */
	unsigned int pid_allocated;	/* numbers taken, | PIDNS_ADDING */
	struct task_struct *child_reaper;	/* PID 1 here: adopts orphans, ends us */
	unsigned int level;		/* 0: the root (init_pid_ns) */
	struct pid_namespace *parent;
	struct ns_common ns;		/* /proc/PID/ns/pid's inode number */
};

extern struct pid_namespace init_pid_ns;

static inline struct pid_namespace *get_pid_ns(struct pid_namespace *ns)
{
	if (ns != &init_pid_ns)
		atomic_inc(&ns->count);
	return ns;
}

void put_pid_ns(struct pid_namespace *ns);

/* The namespace a child of a caller whose children go in old_ns goes in: old_ns, or with
 * CLONE_NEWPID a new one below it (ERR_PTR: -EINVAL if the caller already unshared one,
 * -ENOSPC past MAX_PID_NS_LEVEL, -ENOMEM). Takes a reference. */
struct pid_namespace *copy_pid_ns(unsigned long flags, struct pid_namespace *old_ns);

/* The init of ns (current) is exiting: kill everyone else in ns, and wait until they are
 * all gone, before its own parent hears of it. */
void zap_pid_ns_processes(struct pid_namespace *ns);

#endif
