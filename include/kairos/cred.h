/* SPDX-License-Identifier: MIT */
/*
 * Credentials: who a task acts as. Each task has its own (Linux shares them by pointer
 * between threads until one changes; a copy per task gives the same semantics for the
 * calls we have). uid 0 stands for every capability. user is the real uid's
 * user_struct (kernel/user.c), where that user's tasks and queued signals are counted.
 */
#ifndef KAIROS_CRED_H
#define KAIROS_CRED_H

#include <kairos/atomic.h>
#include <kairos/list.h>
#include <kairos/types.h>

#define NGROUPS_MAX		65536
#define KAIROS_NGROUPS		32	/* supplementary groups kept per task */

/* One real uid's usage: a task's references come from its cred, a signal's from its
 * queue entry. */
struct user_struct {
	atomic_t __count;
	atomic_t processes;		/* tasks (threads too) with this real uid: RLIMIT_NPROC */
	atomic_t sigpending;		/* queued signals to them: RLIMIT_SIGPENDING */
	uid_t uid;
	struct list_head uidhash_node;	/* uidhash_lock */
};

extern struct user_struct root_user;
#define INIT_USER		(&root_user)	/* uid 0: not held to RLIMIT_NPROC */

void uid_cache_init(void);
struct user_struct *alloc_uid(uid_t uid);
void free_uid(struct user_struct *up);

static inline struct user_struct *get_uid(struct user_struct *up)
{
	atomic_inc(&up->__count);
	return up;
}

struct cred {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	unsigned int ngroups;
	gid_t groups[KAIROS_NGROUPS];
	struct user_struct *user;	/* uid's; a reference */
};

#define current_cred()		(&current->cred)
#define current_uid()		(current->cred.uid)
#define current_euid()		(current->cred.euid)

/*
 * Whether c's real uid and gid match every uid and gid of t (real, effective, saved):
 * Linux's test for acting on another process without privilege (ptrace's
 * PTRACE_MODE_REALCREDS, prlimit).
 */
static inline bool cred_ids_match(const struct cred *c, const struct cred *t)
{
	return c->uid == t->uid && c->uid == t->euid && c->uid == t->suid &&
	       c->gid == t->gid && c->gid == t->egid && c->gid == t->sgid;
}

/* uid 0 passes every capability check: CAP_SYS_NICE, CAP_KILL, CAP_SYS_RESOURCE... */
#define capable(cap)		(current->cred.euid == 0)

/* kernel/cred.c */
struct task_struct;
int copy_creds(struct task_struct *p);
void exit_creds(struct task_struct *p);
int commit_creds(struct cred *new);
int check_nproc_exceeded(void);

#endif
