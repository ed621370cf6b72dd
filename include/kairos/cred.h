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

/* uid 0 passes every capability check: CAP_SYS_NICE, CAP_KILL, CAP_SYS_RESOURCE... */
#define capable(cap)		(current->cred.euid == 0)

#endif
