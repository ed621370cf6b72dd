/* SPDX-License-Identifier: MIT */
/*
 * Credentials: who a task acts as. Each task has its own (Linux shares them by pointer
 * between threads until one changes; a copy per task gives the same semantics for the
 * calls we have). uid 0 stands for every capability.
 */
#ifndef KAIROS_CRED_H
#define KAIROS_CRED_H

#include <kairos/types.h>

#define NGROUPS_MAX		65536
#define KAIROS_NGROUPS		32	/* supplementary groups kept per task */

struct cred {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	unsigned int ngroups;
	gid_t groups[KAIROS_NGROUPS];
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

#endif
