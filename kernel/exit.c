// SPDX-License-Identifier: MIT
/*
 * Ending tasks along the seed's graph:
 *
 *   exit_group -> do_group_exit -> zap_other_threads, then do_exit
 *   exit -> do_exit -> exit_signals / exit_mm / exit_files / exit_fs / disassociate_ctty
 *       -> exit_notify -> forget_original_parent (find_child_reaper: a PID namespace's
 *          init first kills and reaps everyone else in it, zap_pid_ns_processes;
 *          find_new_reaper, reparent_leader), then ZOMBIE and do_notify_parent, or DEAD
 *          and release_task
 *       -> do_task_dead
 *   wait4 / waitid -> do_wait -> wait_consider_task -> wait_task_zombie (release_task),
 *       wait_task_stopped, wait_task_continued
 *
 * A zombie keeps its PID, its place among its parent's children and its signal_struct
 * (exit status, accumulated times) until the parent reaps it; a thread-group leader stays
 * a zombie until the last thread of its group is gone. Kernel threads reap themselves:
 * their parent (kthreadd) ignores SIGCHLD.
 */
#include <kairos/bug.h>
#include <kairos/cputime.h>
#include <kairos/errno.h>
#include <kairos/fs.h>
#include <kairos/mm_types.h>
#include <kairos/pid.h>
#include <kairos/pid_namespace.h>
#include <kairos/printk.h>
#include <kairos/resource.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/syscalls.h>
#include <kairos/time.h>
#include <kairos/tty.h>
#include <kairos/uaccess.h>
#include <kairos/wait.h>
#include <asm/mmu_context.h>
#include <uapi/resource.h>
#include <uapi/wait.h>

/* A zombie leader whose threads still run: it is not reaped until the last one goes. */
static bool delay_group_leader(const struct task_struct *p)
{
	return thread_group_leader(p) && !thread_group_empty(p);
}

/* tasklist_lock and tsk's siglock held. */
static void __unhash_process(struct task_struct *p, bool group_dead)
{
	nr_threads--;
	detach_pid(p, PIDTYPE_PID);
	if (group_dead) {
		detach_pid(p, PIDTYPE_TGID);
		detach_pid(p, PIDTYPE_PGID);
		detach_pid(p, PIDTYPE_SID);
		list_del_init(&p->tasks);
		list_del_init(&p->sibling);
	}
	list_del_init(&p->thread_node);
}

/* tsk leaves its thread group (and, the leader, the task list); tasklist_lock held. */
static void __exit_signal(struct task_struct *tsk)
{
	struct signal_struct *sig = tsk->signal;
	struct sighand_struct *sighand = tsk->sighand;
	bool group_dead = thread_group_leader(tsk);

	spin_lock(&sighand->siglock);
	if (group_dead) {
		sig->tty = NULL;
	} else {
		/* de_thread waits for the other threads to be gone. */
		if (sig->notify_count > 0 && !--sig->notify_count)
			wake_up_process(sig->group_exec_task);
		if (tsk == sig->curr_target)
			sig->curr_target = next_thread(tsk);
	}
	/* The group's totals, which wait adds to the parent's children's. */
	sig->utime += tsk->utime;
	sig->sum_sched_runtime += tsk->se.sum_exec_runtime;
	sig->stime += tsk->stime;
	sig->nvcsw += tsk->nvcsw;
	sig->nivcsw += tsk->nivcsw;
	sig->min_flt += tsk->min_flt;
	sig->maj_flt += tsk->maj_flt;
	task_io_accounting_add(&sig->ioac, &tsk->ioac);
	sig->nr_threads--;
	__unhash_process(tsk, group_dead);
	flush_sigqueue(&tsk->pending);
	tsk->sighand = NULL;
	spin_unlock(&sighand->siglock);

	__cleanup_sighand(sighand);
	clear_bit(TIF_SIGPENDING, &tsk->thread_info.flags);
	if (group_dead)
		flush_sigqueue(&sig->shared_pending);
}

void release_task(struct task_struct *p)
{
	struct task_struct *leader;
	unsigned long flags;
	bool zap_leader;

repeat:
	atomic_dec(&p->cred.user->processes);	/* a zombie still counts for RLIMIT_NPROC */
	spin_lock_irqsave(&tasklist_lock, flags);
	__exit_signal(p);
	/*
	 * The last thread of a group whose leader is already a zombie: the leader's exit can
	 * be reported now, and if its parent does not want it, we reap it too.
	 */
	zap_leader = false;
	leader = p->group_leader;
	if (leader != p && thread_group_empty(leader) && leader->exit_state == EXIT_ZOMBIE) {
		zap_leader = do_notify_parent(leader, leader->exit_signal);
		if (zap_leader)
			leader->exit_state = EXIT_DEAD;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	put_task_struct(p);		/* the task list's reference */

	p = leader;
	if (zap_leader)
		goto repeat;
}

static bool has_stopped_jobs(struct pid *pgrp)
{
	struct task_struct *p;

	for_each_pid_task(pgrp, PIDTYPE_PGID, p)
		if (p->signal->flags & SIGNAL_STOP_STOPPED)
			return true;
	return false;
}

/* kill_pgrp's work with tasklist_lock already held. */
static void kill_pgrp_from_kernel(int sig, struct pid *pgrp)
{
	struct task_struct *p;

	for_each_pid_task(pgrp, PIDTYPE_PGID, p)
		group_send_sig_info(sig, SEND_SIG_PRIV, p);
}

/*
 * tsk's exit (parent NULL) or the reparenting of tsk away from parent may orphan tsk's
 * process group; stopped jobs in a newly orphaned group would stay stopped forever, so
 * they get SIGHUP and SIGCONT (POSIX). tasklist_lock held.
 */
static void kill_orphaned_pgrp(struct task_struct *tsk, struct task_struct *parent)
{
	struct pid *pgrp = task_pgrp(tsk);
	struct task_struct *ignored_task = tsk;

	if (!parent)
		parent = tsk->real_parent;	/* exit: we were the link outside */
	else
		ignored_task = NULL;		/* reparent: our parent was */
	if (task_pgrp(parent) != pgrp && task_session(parent) == task_session(tsk) &&
	    will_become_orphaned_pgrp(pgrp, ignored_task) && has_stopped_jobs(pgrp)) {
		kill_pgrp_from_kernel(SIGHUP, pgrp);
		kill_pgrp_from_kernel(SIGCONT, pgrp);
	}
}

static struct task_struct *find_alive_thread(struct task_struct *p)
{
	struct task_struct *t;

	for_each_thread(p, t)
		if (!(t->flags & PF_EXITING))
			return t;
	return NULL;
}

/*
 * The init of father's PID namespace. An init's children go to another of its threads;
 * its last thread out (the root's panics in do_exit) ends the namespace first, so that
 * nobody in it is left to adopt (tasklist_lock is dropped meanwhile).
 */
static struct task_struct *find_child_reaper(struct task_struct *father, unsigned long *flags)
{
	struct pid_namespace *pid_ns = task_active_pid_ns(father);
	struct task_struct *reaper = pid_ns->child_reaper;

	if (likely(reaper != father))
		return reaper;
	reaper = find_alive_thread(father);
	if (reaper) {
		pid_ns->child_reaper = reaper;
		return reaper;
	}
	spin_unlock_irqrestore(&tasklist_lock, *flags);
	zap_pid_ns_processes(pid_ns);
	spin_lock_irqsave(&tasklist_lock, *flags);
	return father;
}

/*
 * Who adopts father's children: another thread of its group, else the nearest ancestor
 * that asked to (PR_SET_CHILD_SUBREAPER), else init.
 */
static struct task_struct *find_new_reaper(struct task_struct *father,
					   struct task_struct *child_reaper)
{
	struct task_struct *thread, *reaper;

	thread = find_alive_thread(father);
	if (thread)
		return thread;
	/* A subreaper of our namespace only: an ancestor outside it cannot see them. */
	if (father->signal->has_child_subreaper) {
		for (reaper = father->real_parent;
		     reaper != &init_task && task_pid(reaper)->level == task_pid(father)->level;
		     reaper = reaper->real_parent) {
			if (!reaper->signal->is_child_subreaper)
				continue;
			thread = find_alive_thread(reaper);
			if (thread)
				return thread;
		}
	}
	return child_reaper;
}

/* p (a leader) has a new parent in another process; tasklist_lock held. */
static void reparent_leader(struct task_struct *father, struct task_struct *p,
			    struct list_head *dead)
{
	if (unlikely(p->exit_state == EXIT_DEAD))
		return;
	/* Whatever it asked for, its new parent gets SIGCHLD (init must not be slain). */
	p->exit_signal = SIGCHLD;
	/* Already a zombie: tell the new parent, which may not want it either. */
	if (p->exit_state == EXIT_ZOMBIE && thread_group_empty(p) &&
	    do_notify_parent(p, p->exit_signal)) {
		p->exit_state = EXIT_DEAD;
		list_add(&p->ptrace_entry, dead);
	}
	kill_orphaned_pgrp(p, father);
}

static void forget_original_parent(struct task_struct *father, struct list_head *dead,
				   unsigned long *flags)
{
	struct task_struct *p, *t, *reaper;

	reaper = find_child_reaper(father, flags);
	if (list_empty(&father->children))
		return;
	reaper = find_new_reaper(father, reaper);
	list_for_each_entry(p, &father->children, sibling) {
		for_each_thread(p, t) {
			t->real_parent = reaper;
			t->parent = reaper;
			/* PR_SET_PDEATHSIG: the thread that forked it is gone. */
			if (t->pdeath_signal)
				group_send_sig_info(t->pdeath_signal, SEND_SIG_NOINFO, t);
		}
		if (!same_thread_group(reaper, father))
			reparent_leader(father, p, dead);
	}
	list_splice_tail_init(&father->children, &reaper->children);
}

static void exit_notify(struct task_struct *tsk, bool group_dead)
{
	struct task_struct *p, *n;
	unsigned long flags;
	LIST_HEAD(dead);
	bool autoreap;

	spin_lock_irqsave(&tasklist_lock, flags);
	forget_original_parent(tsk, &dead, &flags);
	if (group_dead)
		kill_orphaned_pgrp(tsk->group_leader, NULL);

	tsk->exit_state = EXIT_ZOMBIE;
	/* Other threads are not waited for; a leader is reported once its group is empty. */
	if (thread_group_leader(tsk))
		autoreap = thread_group_empty(tsk) && do_notify_parent(tsk, tsk->exit_signal);
	else
		autoreap = true;
	if (autoreap) {
		tsk->exit_state = EXIT_DEAD;
		list_add(&tsk->ptrace_entry, &dead);
	}
	/* A multithreaded exec (de_thread) waits for the old leader to be a zombie. */
	if (unlikely(tsk->signal->notify_count < 0))
		wake_up_process(tsk->signal->group_exec_task);
	spin_unlock_irqrestore(&tasklist_lock, flags);

	list_for_each_entry_safe(p, n, &dead, ptrace_entry) {
		list_del_init(&p->ptrace_entry);
		release_task(p);
	}
}

/* Switch to init_mm's empty TTBR0 and drop the address space. */
static void exit_mm(void)
{
	struct task_struct *tsk = current;
	struct mm_struct *mm = tsk->mm;
	unsigned long flags;

	mm_release(tsk, mm);		/* a kernel thread too: it may have a vfork parent */
	if (!mm)
		return;
	spin_lock_irqsave(&tsk->sighand->siglock, flags);
	setmax_mm_hiwater_rss(&tsk->signal->maxrss, mm);
	spin_unlock_irqrestore(&tsk->sighand->siglock, flags);
	task_lock(tsk);
	local_irq_save(flags);
	tsk->mm = NULL;
	tsk->active_mm = &init_mm;
	switch_mm(mm, &init_mm, tsk);
	local_irq_restore(flags);
	task_unlock(tsk);
	mmput(mm);
}

/*
 * The last thread out sets the group's exit status, unless a group exit already did: a
 * leader that exited first does not decide what its parent's wait reports (Linux 6.x).
 * True if this is the last thread.
 */
static bool synchronize_group_exit(struct task_struct *tsk, long code)
{
	struct signal_struct *sig = tsk->signal;
	unsigned long flags;
	bool group_dead;

	spin_lock_irqsave(&tsk->sighand->siglock, flags);
	group_dead = atomic_dec_and_test(&sig->live);
	if (group_dead && !(sig->flags & SIGNAL_GROUP_EXIT)) {
		sig->flags = SIGNAL_GROUP_EXIT;
		sig->group_exit_code = code;
		sig->group_stop_count = 0;
	}
	spin_unlock_irqrestore(&tsk->sighand->siglock, flags);
	return group_dead;
}

void __noreturn do_exit(long code)
{
	struct task_struct *tsk = current;
	bool group_dead;

	BUG_ON(is_idle_task(tsk));
	/* A fault while exiting: leave this task alone, it cannot be finished. */
	if (unlikely(tsk->flags & PF_EXITING)) {
		pr_emerg("Fixing recursive fault but reboot is needed!\n");
		for (;;) {
			set_current_state(TASK_UNINTERRUPTIBLE);
			schedule();
		}
	}
	group_dead = synchronize_group_exit(tsk, code);
	exit_signals(tsk);		/* sets PF_EXITING */
	if (group_dead && is_global_init(tsk))
		panic("Attempted to kill init! exitcode=0x%08x",
		      tsk->signal->group_exit_code ?: (int)code);
	tsk->exit_code = code;
	if (group_dead)
		exit_itimers(tsk->signal);
	exit_mm();
	exit_files(tsk);
	exit_fs(tsk);
	if (group_dead && tsk->signal->leader)
		disassociate_ctty(1);
	exit_notify(tsk, group_dead);
	do_task_dead();
}

void __noreturn do_group_exit(int exit_code)
{
	struct signal_struct *sig = current->signal;
	unsigned long flags;

	if (READ_ONCE(sig->flags) & SIGNAL_GROUP_EXIT) {
		exit_code = sig->group_exit_code;
	} else if (READ_ONCE(sig->group_exec_task)) {
		exit_code = 0;
	} else if (!thread_group_empty(current)) {
		spin_lock_irqsave(&current->sighand->siglock, flags);
		/* Another thread may have got here first. */
		if (sig->flags & SIGNAL_GROUP_EXIT) {
			exit_code = sig->group_exit_code;
		} else if (sig->group_exec_task) {
			exit_code = 0;
		} else {
			sig->group_exit_code = exit_code;
			sig->flags = SIGNAL_GROUP_EXIT;
			zap_other_threads(current);
		}
		spin_unlock_irqrestore(&current->sighand->siglock, flags);
	}
	do_exit(exit_code);
}

SYSCALL_DEFINE1(exit, int, error_code)
{
	do_exit((error_code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, error_code)
{
	do_group_exit((error_code & 0xff) << 8);
}

int de_thread(struct task_struct *tsk)
{
	struct signal_struct *sig = tsk->signal;
	spinlock_t *lock = &tsk->sighand->siglock;
	struct task_struct *leader;

	if (thread_group_empty(tsk))
		goto no_thread_group;

	spin_lock_irq(lock);
	if ((sig->flags & SIGNAL_GROUP_EXIT) || sig->group_exec_task) {
		/* Another group exit or exec came first: let its signal end us. */
		spin_unlock_irq(lock);
		return -EAGAIN;
	}
	sig->group_exec_task = tsk;
	sig->notify_count = zap_other_threads(tsk);
	if (!thread_group_leader(tsk))
		sig->notify_count--;	/* the leader is waited for below, as a zombie */
	while (sig->notify_count) {
		__set_current_state(TASK_KILLABLE);
		spin_unlock_irq(lock);
		schedule();
		if (fatal_signal_pending(tsk))
			goto killed;
		spin_lock_irq(lock);
	}
	spin_unlock_irq(lock);

	/* Every other thread is gone but the leader: wait until it is a zombie, then take
	 * its place and its PID. */
	if (!thread_group_leader(tsk)) {
		leader = tsk->group_leader;
		for (;;) {
			spin_lock_irq(&tasklist_lock);
			/* Under tasklist_lock, so that exit_notify cannot miss it. */
			sig->notify_count = -1;
			if (likely(leader->exit_state))
				break;
			__set_current_state(TASK_KILLABLE);
			spin_unlock_irq(&tasklist_lock);
			schedule();
			if (fatal_signal_pending(tsk))
				goto killed;
		}
		/* The process is as old as its first thread. */
		tsk->start_time = leader->start_time;
		exchange_tids(tsk, leader);
		transfer_pid(leader, tsk, PIDTYPE_TGID);
		transfer_pid(leader, tsk, PIDTYPE_PGID);
		transfer_pid(leader, tsk, PIDTYPE_SID);
		list_replace_init(&leader->tasks, &tsk->tasks);
		list_replace_init(&leader->sibling, &tsk->sibling);
		tsk->group_leader = tsk;
		leader->group_leader = tsk;
		tsk->exit_signal = SIGCHLD;
		leader->exit_signal = -1;
		BUG_ON(leader->exit_state != EXIT_ZOMBIE);
		leader->exit_state = EXIT_DEAD;
		spin_unlock_irq(&tasklist_lock);
		release_task(leader);
	}
	sig->group_exec_task = NULL;
	sig->notify_count = 0;

no_thread_group:
	tsk->exit_signal = SIGCHLD;	/* a new program: its parent gets SIGCHLD */
	return 0;

killed:
	/* Under tasklist_lock: exit_notify and __exit_signal look at these. */
	spin_lock_irq(&tasklist_lock);
	sig->group_exec_task = NULL;
	sig->notify_count = 0;
	spin_unlock_irq(&tasklist_lock);
	return -EAGAIN;
}

/* wait4 / waitid */

struct waitid_info {
	int pid;
	uid_t uid;
	int status;
	int cause;
};

struct wait_opts {
	enum pid_type wo_type;		/* PIDTYPE_PID, PIDTYPE_PGID, or PIDTYPE_MAX: any */
	int wo_flags;
	struct pid *wo_pid;		/* a reference */
	struct waitid_info *wo_info;	/* waitid */
	int wo_stat;			/* wait4's status */
	struct rusage *wo_rusage;
	struct wait_queue_entry child_wait;
	int notask_error;
};

static bool eligible_pid(const struct wait_opts *wo, struct task_struct *p)
{
	switch (wo->wo_type) {
	case PIDTYPE_PID:
		return task_pid(p) == wo->wo_pid;
	case PIDTYPE_PGID:
		return task_pgrp(p) == wo->wo_pid;
	default:
		return true;
	}
}

static bool eligible_child(const struct wait_opts *wo, struct task_struct *p)
{
	if (!eligible_pid(wo, p))
		return false;
	if (wo->wo_flags & __WALL)
		return true;
	/* A "clone" child reports with something else than SIGCHLD: __WCLONE picks those
	 * and only those. */
	return (p->exit_signal != SIGCHLD) == !!(wo->wo_flags & __WCLONE);
}

/* The child's and its reaped children's usage, as Linux reports it; tasklist_lock held
 * (it keeps p's sighand). */
static void wait_getrusage(struct wait_opts *wo, struct task_struct *p)
{
	if (wo->wo_rusage)
		getrusage(p, RUSAGE_BOTH, wo->wo_rusage);
}

static int exit_status(const struct task_struct *p)
{
	return (p->signal->flags & SIGNAL_GROUP_EXIT) ? p->signal->group_exit_code :
						       p->exit_code;
}

/* The "return nonzero" paths of the wait_task_* functions drop tasklist_lock. */
static int wait_task_zombie(struct wait_opts *wo, struct task_struct *p)
{
	struct signal_struct *psig = current->signal, *sig = p->signal;
	struct waitid_info *infop = wo->wo_info;
	int pid = task_pid_vnr(p), status;		/* as we, its parent, see it */
	uid_t uid = p->cred.uid;
	struct task_cputime ct;

	if (!(wo->wo_flags & WEXITED))
		return 0;
	status = exit_status(p);
	wait_getrusage(wo, p);
	if (wo->wo_flags & WNOWAIT) {
		spin_unlock_irq(&tasklist_lock);
		__set_current_state(TASK_RUNNING);
	} else {
		/* Ours from here: nobody else can reap it. */
		p->exit_state = EXIT_DEAD;
		spin_unlock_irq(&tasklist_lock);
		__set_current_state(TASK_RUNNING);
		/* The whole group is dead; its times and those of the children it reaped
		 * become our children's. */
		thread_group_cputime_adjusted(p, &ct);
		spin_lock_irq(&current->sighand->siglock);
		psig->cutime += ct.utime + sig->cutime;
		psig->cstime += ct.stime + sig->cstime;
		psig->cnvcsw += p->nvcsw + sig->nvcsw + sig->cnvcsw;
		psig->cnivcsw += p->nivcsw + sig->nivcsw + sig->cnivcsw;
		psig->cmin_flt += p->min_flt + sig->min_flt + sig->cmin_flt;
		psig->cmaj_flt += p->maj_flt + sig->maj_flt + sig->cmaj_flt;
		psig->cmaxrss = max(psig->cmaxrss, max(sig->maxrss, sig->cmaxrss));
		task_io_accounting_add(&psig->ioac, &p->ioac);
		task_io_accounting_add(&psig->ioac, &sig->ioac);
		spin_unlock_irq(&current->sighand->siglock);
		wo->wo_stat = status;
		release_task(p);
	}
	if (infop) {
		if ((status & 0x7f) == 0) {
			infop->cause = CLD_EXITED;
			infop->status = status >> 8;
		} else {
			infop->cause = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
			infop->status = status & 0x7f;
		}
		infop->pid = pid;
		infop->uid = uid;
	}
	return pid;
}

/* A stop that the parent has not been told of yet (group_exit_code is the signal). */
static int wait_task_stopped(struct wait_opts *wo, struct task_struct *p)
{
	struct waitid_info *infop = wo->wo_info;
	int exit_code = 0;

	if (!(wo->wo_flags & WUNTRACED) || !(p->signal->flags & SIGNAL_STOP_STOPPED))
		return 0;
	spin_lock(&p->sighand->siglock);
	if (p->signal->flags & SIGNAL_STOP_STOPPED) {
		exit_code = p->signal->group_exit_code;
		if (exit_code && !(wo->wo_flags & WNOWAIT))
			p->signal->group_exit_code = 0;
	}
	spin_unlock(&p->sighand->siglock);
	if (!exit_code)
		return 0;

	wait_getrusage(wo, p);
	spin_unlock_irq(&tasklist_lock);
	__set_current_state(TASK_RUNNING);
	if (!(wo->wo_flags & WNOWAIT))
		wo->wo_stat = (exit_code << 8) | 0x7f;
	if (infop) {
		infop->cause = CLD_STOPPED;
		infop->status = exit_code;
		infop->pid = task_pid_vnr(p);
		infop->uid = p->cred.uid;
	}
	return task_pid_vnr(p);
}

static int wait_task_continued(struct wait_opts *wo, struct task_struct *p)
{
	struct waitid_info *infop = wo->wo_info;
	bool continued;

	if (!(wo->wo_flags & WCONTINUED) || !(p->signal->flags & SIGNAL_STOP_CONTINUED))
		return 0;
	spin_lock(&p->sighand->siglock);
	continued = p->signal->flags & SIGNAL_STOP_CONTINUED;
	if (continued && !(wo->wo_flags & WNOWAIT))
		p->signal->flags &= ~SIGNAL_STOP_CONTINUED;
	spin_unlock(&p->sighand->siglock);
	if (!continued)
		return 0;

	wait_getrusage(wo, p);
	spin_unlock_irq(&tasklist_lock);
	__set_current_state(TASK_RUNNING);
	if (!infop) {
		wo->wo_stat = 0xffff;
	} else {
		infop->cause = CLD_CONTINUED;
		infop->status = SIGCONT;
		infop->pid = task_pid_vnr(p);
		infop->uid = p->cred.uid;
	}
	return task_pid_vnr(p);
}

/*
 * Whether p is a child wo is waiting for, and what it has to report. Nonzero (the PID)
 * once tasklist_lock is dropped with a result; zero to go on, with notask_error cleared
 * if p could report something later.
 */
static int wait_consider_task(struct wait_opts *wo, struct task_struct *p)
{
	int exit_state = p->exit_state;
	int ret;

	if (exit_state == EXIT_DEAD || !eligible_child(wo, p))
		return 0;
	if (exit_state == EXIT_ZOMBIE) {
		/* A leader is not reaped while its threads run. */
		if (!delay_group_leader(p))
			return wait_task_zombie(wo, p);
		/* Its threads may still stop, continue or exit. */
	}
	wo->notask_error = 0;
	ret = wait_task_stopped(wo, p);
	if (ret)
		return ret;
	return wait_task_continued(wo, p);
}

static int child_wait_callback(struct wait_queue_entry *wait, unsigned int mode,
			       int sync, void *key)
{
	struct wait_opts *wo = container_of(wait, struct wait_opts, child_wait);
	struct task_struct *p = key;

	if (p && !eligible_pid(wo, p))
		return 0;
	if (p && (wo->wo_flags & __WNOTHREAD) && wait->private != p->parent)
		return 0;
	return default_wake_function(wait, mode, sync, key);
}

void __wake_up_parent(struct task_struct *p, struct task_struct *parent)
{
	__wake_up(&parent->signal->wait_chldexit, TASK_INTERRUPTIBLE, 1, p);
}

/* The children of every thread in our group (or ours only: __WNOTHREAD). */
static long do_wait(struct wait_opts *wo)
{
	struct task_struct *tsk, *p;
	long retval;

	init_waitqueue_func_entry(&wo->child_wait, child_wait_callback);
	wo->child_wait.private = current;
	add_wait_queue(&current->signal->wait_chldexit, &wo->child_wait);
	for (;;) {
		wo->notask_error = -ECHILD;
		set_current_state(TASK_INTERRUPTIBLE);
		spin_lock_irq(&tasklist_lock);
		for_each_thread(current, tsk) {
			if ((wo->wo_flags & __WNOTHREAD) && tsk != current)
				continue;
			list_for_each_entry(p, &tsk->children, sibling) {
				retval = wait_consider_task(wo, p);
				if (retval)
					goto end;
			}
		}
		spin_unlock_irq(&tasklist_lock);

		retval = wo->notask_error;
		if (retval || (wo->wo_flags & WNOHANG))
			break;
		retval = -ERESTARTSYS;
		if (signal_pending(current))
			break;
		schedule();
	}
end:
	__set_current_state(TASK_RUNNING);
	remove_wait_queue(&current->signal->wait_chldexit, &wo->child_wait);
	return retval;
}

long kernel_wait4(int upid, int __user *stat_addr, int options, struct rusage *ru)
{
	struct wait_opts wo = {
		.wo_flags = options | WEXITED,
		.wo_rusage = ru,
	};
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	/* -INT_MIN is no process group. */
	if (upid == -__INT_MAX__ - 1)
		return -ESRCH;
	if (upid == -1) {
		wo.wo_type = PIDTYPE_MAX;
	} else if (upid < 0) {
		wo.wo_type = PIDTYPE_PGID;
		wo.wo_pid = find_get_pid(-upid);
	} else if (upid == 0) {
		wo.wo_type = PIDTYPE_PGID;
		wo.wo_pid = get_task_pid(current, PIDTYPE_PGID);
	} else {
		wo.wo_type = PIDTYPE_PID;
		wo.wo_pid = find_get_pid(upid);
	}
	ret = do_wait(&wo);
	put_pid(wo.wo_pid);
	if (ret > 0 && stat_addr && put_user(wo.wo_stat, stat_addr))
		ret = -EFAULT;
	return ret;
}

SYSCALL_DEFINE4(wait4, pid_t, upid, int __user *, stat_addr, int, options,
		struct rusage __user *, ru)
{
	struct rusage r;
	long err = kernel_wait4(upid, stat_addr, options, ru ? &r : NULL);

	if (err > 0 && ru && copy_to_user(ru, &r, sizeof(r)))
		return -EFAULT;
	return err;
}

static long kernel_waitid(int which, int upid, struct waitid_info *infop, int options,
			  struct rusage *ru)
{
	struct wait_opts wo = {
		.wo_flags = options,
		.wo_info = infop,
		.wo_rusage = ru,
	};
	long ret;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
			__WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	switch (which) {
	case P_ALL:
		wo.wo_type = PIDTYPE_MAX;
		break;
	case P_PID:
		if (upid <= 0)
			return -EINVAL;
		wo.wo_type = PIDTYPE_PID;
		wo.wo_pid = find_get_pid(upid);
		break;
	case P_PGID:
		if (upid < 0)
			return -EINVAL;
		wo.wo_type = PIDTYPE_PGID;
		wo.wo_pid = upid ? find_get_pid(upid) : get_task_pid(current, PIDTYPE_PGID);
		break;
	case P_PIDFD:
		/* No file is a pidfd here. */
		return upid < 0 ? -EINVAL : -EBADF;
	default:
		return -EINVAL;
	}
	ret = do_wait(&wo);
	put_pid(wo.wo_pid);
	return ret;
}

SYSCALL_DEFINE5(waitid, int, which, pid_t, upid, siginfo_t __user *, infop, int, options,
		struct rusage __user *, ru)
{
	struct rusage r;
	struct waitid_info info = { 0 };
	long err = kernel_waitid(which, upid, &info, options, ru ? &r : NULL);
	int signo = 0;

	if (err > 0) {
		signo = SIGCHLD;
		err = 0;
		if (ru && copy_to_user(ru, &r, sizeof(r)))
			return -EFAULT;
	}
	if (!infop)
		return err;
	/* Only these fields, as Linux writes them; nothing found (WNOHANG) gives zeros. */
	if (put_user(signo, &infop->si_signo) || put_user(0, &infop->si_errno) ||
	    put_user(info.cause, &infop->si_code) || put_user(info.pid, &infop->si_pid) ||
	    put_user(info.uid, &infop->si_uid) || put_user(info.status, &infop->si_status))
		return -EFAULT;
	return err;
}
