// SPDX-License-Identifier: MIT
/*
 * Who a process is: its IDs (thread, process, parent, process group, session), its
 * credentials, and the task options of prctl, with Linux's rules for changing them.
 * IDs are numbers in the caller's PID namespace (kernel/pid.c).
 */
#include <kairos/errno.h>
#include <kairos/pid.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include <uapi/prctl.h>

SYSCALL_DEFINE0(getpid)
{
	return task_tgid_vnr(current);
}

SYSCALL_DEFINE0(gettid)
{
	return task_pid_vnr(current);
}

/* The parent process; 0 for init, whose parent is the idle task, and for a namespace's
 * init, whose parent is outside. */
SYSCALL_DEFINE0(getppid)
{
	unsigned long flags;
	int pid;

	spin_lock_irqsave(&tasklist_lock, flags);
	pid = task_tgid_vnr(current->real_parent);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return pid;
}

SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = tidptr;
	return task_pid_vnr(current);
}

/* Process groups and sessions */

SYSCALL_DEFINE2(setpgid, pid_t, pid, pid_t, pgid)
{
	struct task_struct *group_leader = current->group_leader, *p, *g;
	struct pid *pgrp;
	unsigned long flags;
	int err;

	if (!pid)
		pid = task_pid_vnr(group_leader);
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;

	/* Held throughout, so that our child's parent and group stay as we check them. */
	spin_lock_irqsave(&tasklist_lock, flags);
	err = -ESRCH;
	p = find_task_by_vpid(pid);
	if (!p)
		goto out;
	err = -EINVAL;
	if (!thread_group_leader(p))
		goto out;
	/* Ourselves, or a child of ours that is still in our session and has not exec'd. */
	if (same_thread_group(p->real_parent, group_leader)) {
		err = -EPERM;
		if (task_session(p) != task_session(group_leader))
			goto out;
		err = -EACCES;
		if (!(p->flags & PF_FORKNOEXEC))
			goto out;
	} else {
		err = -ESRCH;
		if (p != group_leader)
			goto out;
	}
	err = -EPERM;
	if (p->signal->leader)
		goto out;
	/* A new group named after p, or an existing one in our session (one a process is
	 * in: the number is a property of the group). */
	pgrp = task_pid(p);
	if (pgid != pid) {
		pgrp = find_vpid(pgid);
		g = pid_task(pgrp, PIDTYPE_PGID);
		if (!g || task_session(g) != task_session(group_leader))
			goto out;
	}
	if (task_pgrp(p) != pgrp)
		change_pid(p, PIDTYPE_PGID, pgrp);
	err = 0;
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

/* pid's group (0: ours) as we see it (0 if it is outside our namespace); a zombie still
 * has one. */
static int get_pid_attr(int pid, enum pid_type type)
{
	struct task_struct *p = current;
	unsigned long flags;
	int ret = -ESRCH;

	spin_lock_irqsave(&tasklist_lock, flags);
	if (pid)
		p = find_task_by_vpid(pid);
	if (p && p->signal)
		ret = pid_vnr(type == PIDTYPE_PGID ? task_pgrp(p) : task_session(p));
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

SYSCALL_DEFINE1(getpgid, pid_t, pid)
{
	return get_pid_attr(pid, PIDTYPE_PGID);
}

SYSCALL_DEFINE1(getsid, pid_t, pid)
{
	return get_pid_attr(pid, PIDTYPE_SID);
}

/* The seed's set_special_pids: our process is in session and process group pid.
 * tasklist_lock held. */
static void set_special_pids(struct pid *pid)
{
	struct task_struct *curr = current->group_leader;

	if (task_session(curr) != pid)
		change_pid(curr, PIDTYPE_SID, pid);
	if (task_pgrp(curr) != pid)
		change_pid(curr, PIDTYPE_PGID, pid);
}

/* A new session and process group, both named after us, without a terminal. */
SYSCALL_DEFINE0(setsid)
{
	struct task_struct *group_leader = current->group_leader;
	struct signal_struct *sig = current->signal;
	struct pid *sid = task_pid(group_leader);
	int session = pid_vnr(sid);
	unsigned long flags;
	int err = -EPERM;

	spin_lock_irqsave(&tasklist_lock, flags);
	/* Already a session leader, or our number names a process group already. */
	if (sig->leader || pid_task(sid, PIDTYPE_PGID))
		goto out;
	sig->leader = 1;
	set_special_pids(sid);
	spin_lock(&current->sighand->siglock);
	sig->tty = NULL;
	spin_unlock(&current->sighand->siglock);
	err = session;
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

/* Credentials (made current's by commit_creds, kernel/cred.c). uid 0 (euid) stands for
 * CAP_SETUID and CAP_SETGID. */

/* (uid_t)-1 is "no change" for the calls that take several IDs and invalid for the rest. */
#define ID_NONE		((u32)-1)

static bool id_is(u32 id, u32 r, u32 e, u32 s)
{
	return id == r || id == e || id == s;
}

SYSCALL_DEFINE1(setuid, uid_t, uid)
{
	struct cred new = current->cred;

	if (uid == ID_NONE)
		return -EINVAL;
	if (capable(CAP_SETUID))
		new.uid = new.suid = uid;
	else if (uid != new.uid && uid != new.suid)
		return -EPERM;
	new.euid = new.fsuid = uid;
	return commit_creds(&new);
}

SYSCALL_DEFINE1(setgid, gid_t, gid)
{
	struct cred new = current->cred;

	if (gid == ID_NONE)
		return -EINVAL;
	if (capable(CAP_SETGID))
		new.gid = new.sgid = gid;
	else if (gid != new.gid && gid != new.sgid)
		return -EPERM;
	new.egid = new.fsgid = gid;
	return commit_creds(&new);
}

/* setreuid/setregid: the real ID may become the effective one, the effective any of the
 * three; the saved ID follows the effective one when the real one is set or the effective
 * one leaves the real one. */
static int set_re_ids(bool priv, u32 r, u32 e, u32 *nr, u32 *ne, u32 *ns)
{
	u32 or = *nr, oe = *ne, os = *ns;

	if (r != ID_NONE) {
		if (r != or && r != oe && !priv)
			return -EPERM;
		*nr = r;
	}
	if (e != ID_NONE) {
		if (!id_is(e, or, oe, os) && !priv)
			return -EPERM;
		*ne = e;
	}
	if (r != ID_NONE || (e != ID_NONE && e != or))
		*ns = *ne;
	return 0;
}

SYSCALL_DEFINE2(setreuid, uid_t, ruid, uid_t, euid)
{
	struct cred new = current->cred;
	int err = set_re_ids(capable(CAP_SETUID), ruid, euid, &new.uid, &new.euid, &new.suid);

	if (err)
		return err;
	new.fsuid = new.euid;
	return commit_creds(&new);
}

SYSCALL_DEFINE2(setregid, gid_t, rgid, gid_t, egid)
{
	struct cred new = current->cred;
	int err = set_re_ids(capable(CAP_SETGID), rgid, egid, &new.gid, &new.egid, &new.sgid);

	if (err)
		return err;
	new.fsgid = new.egid;
	return commit_creds(&new);
}

/* setresuid/setresgid: without privilege, each new ID must be one of the current three. */
static int set_res_ids(bool priv, u32 r, u32 e, u32 s, u32 *nr, u32 *ne, u32 *ns)
{
	u32 or = *nr, oe = *ne, os = *ns;

	if (!priv &&
	    ((r != ID_NONE && !id_is(r, or, oe, os)) || (e != ID_NONE && !id_is(e, or, oe, os)) ||
	     (s != ID_NONE && !id_is(s, or, oe, os))))
		return -EPERM;
	if (r != ID_NONE)
		*nr = r;
	if (e != ID_NONE)
		*ne = e;
	if (s != ID_NONE)
		*ns = s;
	return 0;
}

SYSCALL_DEFINE3(setresuid, uid_t, ruid, uid_t, euid, uid_t, suid)
{
	struct cred new = current->cred;
	int err = set_res_ids(capable(CAP_SETUID), ruid, euid, suid, &new.uid, &new.euid, &new.suid);

	if (err)
		return err;
	new.fsuid = new.euid;
	return commit_creds(&new);
}

SYSCALL_DEFINE3(setresgid, gid_t, rgid, gid_t, egid, gid_t, sgid)
{
	struct cred new = current->cred;
	int err = set_res_ids(capable(CAP_SETGID), rgid, egid, sgid, &new.gid, &new.egid, &new.sgid);

	if (err)
		return err;
	new.fsgid = new.egid;
	return commit_creds(&new);
}

/* The file-system ID: one of the other three, or anything with privilege. Returns the
 * old one whether or not it changed. */
static u32 set_fs_id(bool priv, u32 id, u32 r, u32 e, u32 s, u32 *fs)
{
	u32 old = *fs;

	if (id != ID_NONE && (id_is(id, r, e, s) || id == old || priv))
		*fs = id;
	return old;
}

SYSCALL_DEFINE1(setfsuid, uid_t, uid)
{
	struct cred new = current->cred;
	u32 old = set_fs_id(capable(CAP_SETUID), uid, new.uid, new.euid, new.suid, &new.fsuid);

	commit_creds(&new);
	return old;
}

SYSCALL_DEFINE1(setfsgid, gid_t, gid)
{
	struct cred new = current->cred;
	u32 old = set_fs_id(capable(CAP_SETGID), gid, new.gid, new.egid, new.sgid, &new.fsgid);

	commit_creds(&new);
	return old;
}

SYSCALL_DEFINE0(getuid)
{
	return current_cred()->uid;
}

SYSCALL_DEFINE0(geteuid)
{
	return current_cred()->euid;
}

SYSCALL_DEFINE0(getgid)
{
	return current_cred()->gid;
}

SYSCALL_DEFINE0(getegid)
{
	return current_cred()->egid;
}

static int put_res_ids(u32 r, u32 e, u32 s, u32 __user *rp, u32 __user *ep, u32 __user *sp)
{
	int err = put_user(r, rp);

	if (!err)
		err = put_user(e, ep);
	if (!err)
		err = put_user(s, sp);
	return err;
}

SYSCALL_DEFINE3(getresuid, uid_t __user *, ruidp, uid_t __user *, euidp, uid_t __user *, suidp)
{
	const struct cred *cred = current_cred();

	return put_res_ids(cred->uid, cred->euid, cred->suid, ruidp, euidp, suidp);
}

SYSCALL_DEFINE3(getresgid, gid_t __user *, rgidp, gid_t __user *, egidp, gid_t __user *, sgidp)
{
	const struct cred *cred = current_cred();

	return put_res_ids(cred->gid, cred->egid, cred->sgid, rgidp, egidp, sgidp);
}

SYSCALL_DEFINE2(getgroups, int, gidsetsize, gid_t __user *, grouplist)
{
	const struct cred *cred = current_cred();
	int n = cred->ngroups;

	if (gidsetsize < 0)
		return -EINVAL;
	if (!gidsetsize)
		return n;
	if (n > gidsetsize)
		return -EINVAL;
	if (copy_to_user(grouplist, cred->groups, n * sizeof(gid_t)))
		return -EFAULT;
	return n;
}

/*
 * Replace the supplementary groups (CAP_SETGID). Kept sorted, as Linux keeps them, so
 * getgroups lists them in that order; more than Kairos keeps is -ENOMEM, as a failed
 * allocation of the list would be.
 */
SYSCALL_DEFINE2(setgroups, int, gidsetsize, gid_t __user *, grouplist)
{
	struct cred new = current->cred;
	unsigned int i, j;

	if (!capable(CAP_SETGID))
		return -EPERM;
	if ((unsigned int)gidsetsize > NGROUPS_MAX)
		return -EINVAL;
	if (gidsetsize > KAIROS_NGROUPS)
		return -ENOMEM;
	if (copy_from_user(new.groups, grouplist, gidsetsize * sizeof(gid_t)))
		return -EFAULT;
	new.ngroups = gidsetsize;
	for (i = 1; i < new.ngroups; i++) {
		gid_t g = new.groups[i];

		for (j = i; j > 0 && new.groups[j - 1] > g; j--)
			new.groups[j] = new.groups[j - 1];
		new.groups[j] = g;
	}
	return commit_creds(&new);
}

/* prctl */

/* Every descendant learns that a subreaper is above it (find_new_reaper looks up then). */
static void set_child_subreaper(struct task_struct *me, bool on)
{
	struct task_struct *p, *q;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	me->signal->is_child_subreaper = on;
	if (on) {
		for_each_process(p)
			for (q = p->real_parent; q != &init_task; q = q->real_parent)
				if (same_thread_group(q, me)) {
					p->signal->has_child_subreaper = 1;
					break;
				}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

SYSCALL_DEFINE5(prctl, int, option, unsigned long, arg2, unsigned long, arg3,
		unsigned long, arg4, unsigned long, arg5)
{
	struct task_struct *me = current;
	char comm[TASK_COMM_LEN];

	switch (option) {
	case PR_SET_PDEATHSIG:
		if (!valid_signal(arg2))
			return -EINVAL;
		me->pdeath_signal = arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return put_user(me->pdeath_signal, (int __user *)arg2);
	case PR_SET_NAME:
		comm[sizeof(comm) - 1] = 0;
		if (strncpy_from_user(comm, (const char __user *)arg2, sizeof(comm) - 1) < 0)
			return -EFAULT;
		set_task_comm(me, comm);
		return 0;
	case PR_GET_NAME:
		get_task_comm(comm, me);
		if (copy_to_user((char __user *)arg2, comm, sizeof(comm)))
			return -EFAULT;
		return 0;
	case PR_SET_CHILD_SUBREAPER:
		set_child_subreaper(me, arg2);
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_user(me->signal->is_child_subreaper, (int __user *)arg2);
	default:
		return -EINVAL;
	}
}
