// SPDX-License-Identifier: MIT
/*
 * Creating tasks along the seed's graph:
 *
 *   clone / clone3 / kernel_thread -> kernel_clone
 *     -> copy_process -> dup_task_struct / sched_fork / copy_files / copy_fs /
 *            copy_sighand / copy_signal / copy_mm / copy_namespaces / copy_thread /
 *            alloc_pid (a number in each PID namespace level) / attach_pid
 *     -> CLONE_PARENT_SETTID -> wake_up_new_task -> CLONE_VFORK: wait_for_vfork_done
 *
 * The clone flags say what the child shares with its parent: address space (CLONE_VM),
 * open files, root and cwd, signal handlers, thread group (CLONE_THREAD). Also here: the
 * lifetime of the shared signal structures, and what exit and exec do to an mm that
 * others may still see (mm_release, at exit and exec).
 */
#include <asm/mmu_context.h>
#include <kairos/bug.h>
#include <kairos/completion.h>
#include <kairos/err.h>
#include <kairos/fs.h>
#include <kairos/futex.h>
#include <kairos/kthread.h>
#include <kairos/mm.h>
#include <kairos/mm_types.h>
#include <kairos/pid.h>
#include <kairos/pid_namespace.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/slab.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/time.h>
#include <kairos/uaccess.h>
#include <kairos/vmalloc.h>
#include <kairos/errno.h>
#include <uapi/sched.h>

struct kernel_clone_args {
	u64 flags;
	int __user *child_tid;
	int __user *parent_tid;
	int exit_signal;
	unsigned long stack;		/* the child's user SP; 0: the parent's */
	unsigned long stack_size;	/* clone3: stack is the low end of this many bytes */
	unsigned long tls;
	int *set_tid;			/* clone3: these PIDs, innermost namespace first */
	size_t set_tid_size;
	int (*fn)(void *);		/* a kernel thread's function, or NULL */
	void *fn_arg;
};

/* What a kernel without them answers: namespaces other than PID ones, pidfds and cgroups
 * do not exist here (and with them go Linux's rules on combining CLONE_PIDFD with other
 * flags). */
#define CLONE_NEWTIME		0x00000080
#define CLONE_UNSUPPORTED	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
				 CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWTIME | \
				 CLONE_PIDFD | CLONE_INTO_CGROUP)
#define CLONE_LEGACY_FLAGS	0xffffffffULL

/* Linux's bounds on the number of tasks: enough kernel stacks to fill an eighth of RAM. */
#define MIN_THREADS		20
#define MAX_THREADS		0x3fffffff	/* FUTEX_TID_MASK */

/* The signal structures come from kmalloc, as mm_structs do: their size classes fit and
 * the memory tests count kmalloc's slabs as free. */
static struct kmem_cache *task_struct_cachep;
int nr_threads;				/* tasks in the PID hash; tasklist_lock */
unsigned long total_forks;		/* tasks made since boot (/proc/stat); tasklist_lock */
static int max_threads;

static struct sighand_struct init_sighand = {
	.count = ATOMIC_INIT(1),
	.siglock = __SPIN_LOCK_UNLOCKED,
};

/* Linux's INIT_RLIMITS; NPROC and SIGPENDING are sized from memory in fork_init. */
static struct signal_struct init_signals = {
	.pids = {
		[PIDTYPE_TGID]	= &init_struct_pid,
		[PIDTYPE_PGID]	= &init_struct_pid,
		[PIDTYPE_SID]	= &init_struct_pid,
	},
	.sigcnt = ATOMIC_INIT(1),
	.live = ATOMIC_INIT(1),
	.nr_threads = 1,
	.thread_head = LIST_HEAD_INIT(init_signals.thread_head),
	.prev_cputime = PREV_CPUTIME_INIT,
	.wait_chldexit = __WAIT_QUEUE_HEAD_INITIALIZER(init_signals.wait_chldexit),
	.curr_target = &init_task,
	.shared_pending = { .list = LIST_HEAD_INIT(init_signals.shared_pending.list) },
	.rlim = {
		[RLIMIT_CPU]		= { RLIM_INFINITY, RLIM_INFINITY },
		[RLIMIT_FSIZE]		= { RLIM_INFINITY, RLIM_INFINITY },
		[RLIMIT_DATA]		= { RLIM_INFINITY, RLIM_INFINITY },
		[RLIMIT_STACK]		= { _STK_LIM, RLIM_INFINITY },
		[RLIMIT_CORE]		= { 0, RLIM_INFINITY },
		[RLIMIT_RSS]		= { RLIM_INFINITY, RLIM_INFINITY },
		[RLIMIT_NPROC]		= { 0, 0 },
		[RLIMIT_NOFILE]		= { 1024, 4096 },	/* INR_OPEN_CUR, INR_OPEN_MAX */
		[RLIMIT_MEMLOCK]	= { 8UL << 20, 8UL << 20 },
		[RLIMIT_AS]		= { RLIM_INFINITY, RLIM_INFINITY },
		[RLIMIT_LOCKS]		= { RLIM_INFINITY, RLIM_INFINITY },
		[RLIMIT_SIGPENDING]	= { 0, 0 },
		[RLIMIT_MSGQUEUE]	= { 819200, 819200 },	/* MQ_BYTES_MAX */
		[RLIMIT_NICE]		= { 0, 0 },
		[RLIMIT_RTPRIO]		= { 0, 0 },
		[RLIMIT_RTTIME]		= { RLIM_INFINITY, RLIM_INFINITY },
	},
};

/* init_task (swapper/0) gets what every task has: the root of the sharing tree. */
void __init fork_init(void)
{
	u64 threads = (u64)totalram_pages() * PAGE_SIZE / (8 * THREAD_SIZE);
	struct task_struct *tsk = &init_task;

	task_struct_cachep = kmem_cache_create("task_struct", sizeof(struct task_struct),
					       L1_CACHE_BYTES, 0);
	BUG_ON(!task_struct_cachep);

	max_threads = clamp(threads, (u64)MIN_THREADS, (u64)MAX_THREADS);
	init_signals.rlim[RLIMIT_NPROC].rlim_cur = max_threads / 2;
	init_signals.rlim[RLIMIT_NPROC].rlim_max = max_threads / 2;
	init_signals.rlim[RLIMIT_SIGPENDING] = init_signals.rlim[RLIMIT_NPROC];

	uid_cache_init();
	tsk->cred.user = get_uid(INIT_USER);
	atomic_inc(&INIT_USER->processes);
	pid_idr_init();
	itimers_init(&init_signals);
	tsk->signal = &init_signals;
	tsk->sighand = &init_sighand;
	tsk->group_leader = tsk;
	list_add_tail(&tsk->thread_node, &init_signals.thread_head);
	/* swapper is PID 0 of the root namespace in every role; its kernel threads start
	 * in its (number 0) process group and session. */
	tsk->thread_pid = &init_struct_pid;
	for (int type = 0; type < PIDTYPE_MAX; type++) {
		INIT_LIST_HEAD(&tsk->pid_links[type]);
		attach_pid(tsk, type);
	}
	tsk->pid_ns_for_children = &init_pid_ns;
	INIT_LIST_HEAD(&tsk->ptrace_entry);
	init_sigpending(&tsk->pending);
	tsk->fs = &init_fs;
	tsk->files = alloc_files();
	BUG_ON(!tsk->files);
}

void set_task_comm(struct task_struct *p, const char *name)
{
	unsigned long flags;

	spin_lock_irqsave(&p->pi_lock, flags);
	strscpy(p->comm, name, sizeof(p->comm));
	spin_unlock_irqrestore(&p->pi_lock, flags);
}

void get_task_comm(char *buf, struct task_struct *p)
{
	unsigned long flags;

	spin_lock_irqsave(&p->pi_lock, flags);
	memcpy(buf, p->comm, TASK_COMM_LEN);
	spin_unlock_irqrestore(&p->pi_lock, flags);
}

/* The seed's dup_task_struct: a task_struct and a stack, copied from orig, then reset. */
static struct task_struct *dup_task_struct(struct task_struct *orig)
{
	struct task_struct *tsk = kmem_cache_alloc(task_struct_cachep, GFP_KERNEL);
	void *stack;

	if (!tsk)
		return NULL;
	stack = alloc_thread_stack();
	if (!stack) {
		kmem_cache_free(task_struct_cachep, tsk);
		return NULL;
	}
	/* arch_dup_task_struct: the parent's live FP/SIMD registers into what is copied. */
	if (orig == current && !(orig->flags & PF_KTHREAD))
		fpsimd_preserve_current_state();
	*tsk = *orig;
	tsk->stack = stack;
	*end_of_stack(tsk) = STACK_END_MAGIC;
	tsk->thread_info.flags = 0;
	/* One reference for being alive (dropped when it is switched out dead), one for
	 * its place in the task list (dropped by release_task). */
	atomic_set(&tsk->usage, 2);
	spin_lock_init(&tsk->pi_lock);
	spin_lock_init(&tsk->alloc_lock);
	tsk->worker_private = NULL;
	INIT_LIST_HEAD(&tsk->children);
	INIT_LIST_HEAD(&tsk->sibling);
	INIT_LIST_HEAD(&tsk->tasks);
	INIT_LIST_HEAD(&tsk->thread_node);
	for (int type = 0; type < PIDTYPE_MAX; type++)
		INIT_LIST_HEAD(&tsk->pid_links[type]);
	INIT_LIST_HEAD(&tsk->ptrace_entry);
	return tsk;
}

void __put_task_struct(struct task_struct *p)
{
	BUG_ON(!(p->__state & TASK_DEAD) && p->__state != TASK_NEW);
	if (p->signal)
		put_signal_struct(p->signal);
	put_pid_ns(p->pid_ns_for_children);
	exit_creds(p);
	free_kthread_struct(p);
	free_thread_stack(p->stack);
	kmem_cache_free(task_struct_cachep, p);
}

int copy_sighand(unsigned long clone_flags, struct task_struct *tsk)
{
	struct sighand_struct *sig;
	unsigned long flags;

	if (clone_flags & CLONE_SIGHAND) {
		atomic_inc(&current->sighand->count);
		return 0;
	}
	sig = kmalloc(sizeof(*sig), GFP_KERNEL);
	tsk->sighand = sig;
	if (!sig)
		return -ENOMEM;
	atomic_set(&sig->count, 1);
	spin_lock_init(&sig->siglock);
	spin_lock_irqsave(&current->sighand->siglock, flags);
	memcpy(sig->action, current->sighand->action, sizeof(sig->action));
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	/* clone3: handlers back to SIG_DFL, ignored signals stay ignored. */
	if (clone_flags & CLONE_CLEAR_SIGHAND)
		flush_signal_handlers(tsk, 0);
	return 0;
}

void __cleanup_sighand(struct sighand_struct *sighand)
{
	if (atomic_dec_and_test(&sighand->count))
		kfree(sighand);
}

int unshare_sighand(struct task_struct *me)
{
	struct sighand_struct *oldsighand = me->sighand, *newsighand;
	unsigned long flags;

	if (atomic_read(&oldsighand->count) == 1)
		return 0;
	newsighand = kmalloc(sizeof(*newsighand), GFP_KERNEL);
	if (!newsighand)
		return -ENOMEM;
	atomic_set(&newsighand->count, 1);
	spin_lock_init(&newsighand->siglock);
	/* tasklist_lock: whoever found me->sighand under it still has the old one locked. */
	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&oldsighand->siglock);
	memcpy(newsighand->action, oldsighand->action, sizeof(newsighand->action));
	me->sighand = newsighand;
	spin_unlock(&oldsighand->siglock);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	__cleanup_sighand(oldsighand);
	return 0;
}

/* A new thread group's signal_struct. Its job-control identity is set when the child is
 * linked in (copy_process), under tasklist_lock, so that it sees a setsid of ours whole. */
int copy_signal(unsigned long clone_flags, struct task_struct *tsk)
{
	struct signal_struct *sig;
	unsigned long flags;

	if (clone_flags & CLONE_THREAD)
		return 0;
	sig = kzalloc(sizeof(*sig), GFP_KERNEL);
	tsk->signal = sig;
	if (!sig)
		return -ENOMEM;
	atomic_set(&sig->sigcnt, 1);
	atomic_set(&sig->live, 1);
	sig->nr_threads = 1;
	INIT_LIST_HEAD(&sig->thread_head);
	list_add_tail(&tsk->thread_node, &sig->thread_head);
	init_waitqueue_head(&sig->wait_chldexit);
	sig->curr_target = tsk;
	init_sigpending(&sig->shared_pending);
	prev_cputime_init(&sig->prev_cputime);
	itimers_init(sig);
	spin_lock_irqsave(&current->sighand->siglock, flags);
	memcpy(sig->rlim, current->signal->rlim, sizeof(sig->rlim));
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	return 0;
}

void put_signal_struct(struct signal_struct *sig)
{
	if (atomic_dec_and_test(&sig->sigcnt))
		kfree(sig);
}

/* Kernel threads have no user memory: they run on init_mm's empty TTBR0. */
static int copy_mm(u64 clone_flags, struct task_struct *tsk)
{
	struct mm_struct *oldmm = current->mm, *mm;

	tsk->mm = NULL;
	tsk->active_mm = &init_mm;
	if (!oldmm || (tsk->flags & PF_KTHREAD))
		return 0;
	if (clone_flags & CLONE_VM) {
		mmget(oldmm);
		mm = oldmm;
	} else {
		mm = dup_mm(oldmm);
		if (!mm)
			return -ENOMEM;
	}
	tsk->mm = tsk->active_mm = mm;
	return 0;
}

static int check_clone_flags(u64 clone_flags)
{
	if ((clone_flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	if ((clone_flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
		return -EINVAL;
	/* Threads share signal handlers, and handlers only make sense in one memory. */
	if ((clone_flags & CLONE_THREAD) && !(clone_flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((clone_flags & CLONE_SIGHAND) && !(clone_flags & CLONE_VM))
		return -EINVAL;
	/* Siblings of init would be children of the idle task: nobody would reap them. */
	if ((clone_flags & CLONE_PARENT) && (current->signal->flags & SIGNAL_UNKILLABLE))
		return -EINVAL;
	/* A thread shares its group's PID namespace, which its parent's children (after
	 * unshare) may not be in. */
	if ((clone_flags & CLONE_THREAD) &&
	    ((clone_flags & (CLONE_NEWUSER | CLONE_NEWPID)) ||
	     task_active_pid_ns(current) != current->pid_ns_for_children))
		return -EINVAL;
	if (clone_flags & CLONE_UNSUPPORTED)
		return -EINVAL;
	return 0;
}

/*
 * Link p into the task list, its parent's children and the PID hash, with its PID and
 * thread group. Under tasklist_lock and our siglock: a group exit (zap_other_threads)
 * or a signal to our process group then either comes before (and we give up, so that
 * the call restarts after the signal, which the child must not miss) or sees the child.
 */
static int attach_new_task(struct kernel_clone_args *args, struct task_struct *p,
			   struct pid *pid)
{
	u64 clone_flags = args->flags;
	struct signal_struct *cur = current->signal;

	if (!(p->flags & PF_KTHREAD) && signal_pending(current))
		return -ERESTARTNOINTR;
	p->pid = pid_nr(pid);
	p->thread_pid = pid;

	if (clone_flags & (CLONE_PARENT | CLONE_THREAD)) {
		p->real_parent = current->real_parent;
		p->exit_signal = clone_flags & CLONE_THREAD ? -1 : current->group_leader->exit_signal;
	} else {
		p->real_parent = current;
		p->exit_signal = args->exit_signal;
	}
	p->parent = p->real_parent;

	if (clone_flags & CLONE_THREAD) {
		p->signal = cur;
		p->group_leader = current->group_leader;
		p->tgid = current->tgid;
		cur->nr_threads++;
		atomic_inc(&cur->live);
		atomic_inc(&cur->sigcnt);
		task_join_group_stop(p);
		list_add_tail(&p->thread_node, &cur->thread_head);
	} else {
		struct signal_struct *sig = p->signal;

		p->group_leader = p;
		p->tgid = p->pid;
		sig->pids[PIDTYPE_TGID] = pid;
		sig->pids[PIDTYPE_PGID] = task_pgrp(current);
		sig->pids[PIDTYPE_SID] = task_session(current);
		sig->tty = cur->tty;
		sig->has_child_subreaper = cur->has_child_subreaper || cur->is_child_subreaper;
		/* Number 1 of its namespace: that namespace's init. */
		if (pid->numbers[pid->level].nr == 1) {
			ns_of_pid(pid)->child_reaper = p;
			sig->flags |= SIGNAL_UNKILLABLE;
		}
		list_add_tail(&p->sibling, &p->real_parent->children);
		list_add_tail(&p->tasks, &init_task.tasks);
		attach_pid(p, PIDTYPE_TGID);
		attach_pid(p, PIDTYPE_PGID);
		attach_pid(p, PIDTYPE_SID);
	}
	attach_pid(p, PIDTYPE_PID);
	nr_threads++;
	total_forks++;
	return 0;
}

/* Linux's copy_namespaces, for the one kind there is: where p's children get PIDs. */
static int copy_namespaces(u64 clone_flags, struct task_struct *p)
{
	struct pid_namespace *ns;

	if ((clone_flags & CLONE_NEWPID) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	ns = copy_pid_ns(clone_flags, current->pid_ns_for_children);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	p->pid_ns_for_children = ns;
	return 0;
}

static struct task_struct *copy_process(struct kernel_clone_args *args)
{
	u64 clone_flags = args->flags;
	struct task_struct *p;
	struct pid *pid;
	unsigned long flags;
	int err;

	err = check_clone_flags(clone_flags);
	if (err)
		return ERR_PTR(err);
	/* Let a signal already pending be delivered before the fork (then it restarts). */
	if (!args->fn && signal_pending(current))
		return ERR_PTR(-ERESTARTNOINTR);
	if (READ_ONCE(nr_threads) >= max_threads)
		return ERR_PTR(-EAGAIN);

	p = dup_task_struct(current);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->__state = TASK_NEW;		/* what __put_task_struct expects of an unborn task */
	p->flags &= ~(PF_IDLE | PF_EXITING | PF_NO_SETAFFINITY | PF_KTHREAD);
	p->flags |= PF_FORKNOEXEC | (args->fn ? PF_KTHREAD : 0);
	p->exit_state = 0;
	p->exit_code = 0;
	p->pdeath_signal = 0;
	p->set_child_tid = clone_flags & CLONE_CHILD_SETTID ? args->child_tid : NULL;
	p->clear_child_tid = clone_flags & CLONE_CHILD_CLEARTID ? args->child_tid : NULL;
	p->vfork_done = NULL;
	p->robust_list = NULL;
	p->robust_list_len = 0;
	p->utime = p->stime = 0;
	p->min_flt = p->maj_flt = 0;
	p->ioac = (struct task_io_accounting){};
	p->start_time = ktime_get_ns();
	p->jobctl = 0;
	init_sigpending(&p->pending);
	/* A sibling in the same memory must not run its handlers on our alternate stack. */
	if ((clone_flags & (CLONE_VM | CLONE_VFORK)) == CLONE_VM) {
		p->sas_ss_sp = 0;
		p->sas_ss_size = 0;
		p->sas_ss_flags = SS_DISABLE;
	}
	p->signal = NULL;		/* copy_signal's, or ours once a thread is attached */
	p->pid_ns_for_children = NULL;	/* copy_namespaces' */

	err = copy_creds(p);		/* RLIMIT_NPROC */
	if (err)
		goto bad_fork_free;

	err = sched_fork(clone_flags, p);
	if (err)
		goto bad_fork_cleanup_count;
	err = copy_files(clone_flags, p);
	if (err)
		goto bad_fork_cleanup_count;
	err = copy_fs(clone_flags, p);
	if (err)
		goto bad_fork_cleanup_files;
	err = copy_sighand(clone_flags, p);
	if (err)
		goto bad_fork_cleanup_fs;
	err = copy_signal(clone_flags, p);
	if (err)
		goto bad_fork_cleanup_sighand;
	err = copy_mm(clone_flags, p);
	if (err)
		goto bad_fork_cleanup_signal;
	err = copy_namespaces(clone_flags, p);
	if (err)
		goto bad_fork_cleanup_mm;
	copy_thread(p, args->fn, args->fn_arg, args->stack, clone_flags, args->tls);
	pid = alloc_pid(p->pid_ns_for_children, args->set_tid, args->set_tid_size);
	if (IS_ERR(pid)) {
		err = PTR_ERR(pid);
		goto bad_fork_cleanup_mm;
	}

	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&current->sighand->siglock);
	err = attach_new_task(args, p, pid);
	spin_unlock(&current->sighand->siglock);
	if (err)
		free_pid(pid);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (err)
		goto bad_fork_cleanup_mm;
	return p;

bad_fork_cleanup_mm:
	if (p->mm)
		mmput(p->mm);
bad_fork_cleanup_signal:
	if (p->signal) {
		put_signal_struct(p->signal);
		p->signal = NULL;
	}
bad_fork_cleanup_sighand:
	__cleanup_sighand(p->sighand);
bad_fork_cleanup_fs:
	exit_fs(p);
bad_fork_cleanup_files:
	exit_files(p);
bad_fork_cleanup_count:
	atomic_dec(&p->cred.user->processes);
bad_fork_free:
	__put_task_struct(p);
	return ERR_PTR(err);
}

/* The parent of a CLONE_VFORK child waits (killably) until the child execs or exits. */
static void wait_for_vfork_done(struct task_struct *child, struct completion *vfork)
{
	/* Killed: stop waiting, unless the child has already taken the completion, which it
	 * is about to complete on our stack. */
	if (wait_for_completion_killable(vfork) && !xchg(&child->vfork_done, NULL))
		wait_for_completion(vfork);
	put_task_struct(child);
}

/* The seed's kernel_clone: copy_process, then wake_up_new_task. Returns the PID. */
static int kernel_clone(struct kernel_clone_args *args)
{
	struct completion vfork;
	struct task_struct *p;
	int nr;

	p = copy_process(args);
	if (IS_ERR(p))
		return PTR_ERR(p);
	/* As we see it; p may run and be reaped as soon as it is woken. */
	nr = pid_vnr(task_pid(p));
	if (args->flags & CLONE_PARENT_SETTID)
		put_user(nr, args->parent_tid);
	if (args->flags & CLONE_VFORK) {
		p->vfork_done = &vfork;
		init_completion(&vfork);
		get_task_struct(p);
	}
	wake_up_new_task(p);
	if (args->flags & CLONE_VFORK)
		wait_for_vfork_done(p, &vfork);
	return nr;
}

/* Kernel threads live in no user memory (CLONE_VM of none), untraced; flags' low byte
 * is the exit signal for the parent. */
int kernel_thread(int (*fn)(void *), void *arg, unsigned long flags)
{
	struct kernel_clone_args args = {
		.flags = ((u32)flags | CLONE_VM | CLONE_UNTRACED) & ~CSIGNAL,
		.exit_signal = (u32)flags & CSIGNAL,
		.fn = fn,
		.fn_arg = arg,
	};

	return kernel_clone(&args);
}

/* arm64's argument order. The exit signal is the low byte of the flags, unchecked. */
SYSCALL_DEFINE5(clone, unsigned long, clone_flags, unsigned long, newsp,
		int __user *, parent_tidptr, unsigned long, tls, int __user *, child_tidptr)
{
	struct kernel_clone_args args = {
		.flags = (u32)clone_flags & ~CSIGNAL,
		.child_tid = child_tidptr,
		.parent_tid = parent_tidptr,
		.exit_signal = (u32)clone_flags & CSIGNAL,
		.stack = newsp,
		.tls = tls,
	};

	return kernel_clone(&args);
}

/* kargs->set_tid: room for MAX_PID_NS_LEVEL numbers, the caller's. */
static int copy_clone_args_from_user(struct kernel_clone_args *kargs,
				     struct clone_args __user *uargs, size_t usize)
{
	int *set_tid = kargs->set_tid;
	struct clone_args args;
	int err;

	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	err = copy_struct_from_user(&args, sizeof(args), uargs, usize);
	if (err)
		return err;
	if (args.set_tid_size > MAX_PID_NS_LEVEL)
		return -EINVAL;
	if (!args.set_tid != !args.set_tid_size)
		return -EINVAL;
	if ((args.exit_signal & ~(u64)CSIGNAL) || !valid_signal(args.exit_signal))
		return -EINVAL;
	if (args.set_tid &&
	    copy_from_user(set_tid, (void __user *)(unsigned long)args.set_tid,
			   args.set_tid_size * sizeof(int)))
		return -EFAULT;

	*kargs = (struct kernel_clone_args){
		.flags = args.flags,
		.child_tid = (int __user *)(unsigned long)args.child_tid,
		.parent_tid = (int __user *)(unsigned long)args.parent_tid,
		.exit_signal = args.exit_signal,
		.stack = args.stack,
		.stack_size = args.stack_size,
		.tls = args.tls,
		.set_tid = set_tid,
		.set_tid_size = args.set_tid_size,
	};
	return 0;
}

/* The stack is given by its low end and size; the child's SP starts at the high end. */
static bool clone3_stack_valid(struct kernel_clone_args *kargs)
{
	if (!kargs->stack)
		return !kargs->stack_size;
	if (!kargs->stack_size || !access_ok((void __user *)kargs->stack, kargs->stack_size))
		return false;
	kargs->stack += kargs->stack_size;
	return true;
}

static bool clone3_args_valid(struct kernel_clone_args *kargs)
{
	/* The CSIGNAL bits and CLONE_DETACHED are free for reuse in clone3. */
	if (kargs->flags & ~(CLONE_LEGACY_FLAGS | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP))
		return false;
	if (kargs->flags & (CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME)))
		return false;
	if ((kargs->flags & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) ==
	    (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND))
		return false;
	if ((kargs->flags & (CLONE_THREAD | CLONE_PARENT)) && kargs->exit_signal)
		return false;
	return clone3_stack_valid(kargs);
}

SYSCALL_DEFINE2(clone3, struct clone_args __user *, uargs, size_t, size)
{
	int set_tid[MAX_PID_NS_LEVEL];
	struct kernel_clone_args kargs = { .set_tid = set_tid };
	int err;

	err = copy_clone_args_from_user(&kargs, uargs, size);
	if (err)
		return err;
	if (!clone3_args_valid(&kargs))
		return -EINVAL;
	return kernel_clone(&kargs);
}

/*
 * unshare(2). Of the namespaces, PID ones: our children from now on go in a new one
 * below ours (we stay where we are; the next child is its init). Of the rest, what a
 * single-threaded caller already has alone (Linux pretends it unshared), and the files.
 */
SYSCALL_DEFINE1(unshare, unsigned long, unshare_flags)
{
	struct pid_namespace *ns, *old_ns;
	int err;

	/* Memory goes with its handlers, and handlers with the thread group. */
	if (unshare_flags & CLONE_VM)
		unshare_flags |= CLONE_SIGHAND;
	if (unshare_flags & CLONE_SIGHAND)
		unshare_flags |= CLONE_THREAD;
	if (unshare_flags & ~(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_FILES |
			      CLONE_SYSVSEM | CLONE_NEWPID))
		return -EINVAL;
	if ((unshare_flags & CLONE_THREAD) && !thread_group_empty(current))
		return -EINVAL;
	if ((unshare_flags & (CLONE_SIGHAND | CLONE_VM)) &&
	    atomic_read(&current->sighand->count) > 1)
		return -EINVAL;
	if ((unshare_flags & CLONE_VM) && current->mm && atomic_read(&current->mm->mm_users) > 1)
		return -EINVAL;
	if ((unshare_flags & CLONE_NEWPID) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	ns = copy_pid_ns(unshare_flags, current->pid_ns_for_children);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	err = unshare_flags & CLONE_FILES ? unshare_files() : 0;
	if (err) {
		put_pid_ns(ns);
		return err;
	}
	/* /proc reads it from other tasks (pid_for_children). */
	task_lock(current);
	old_ns = current->pid_ns_for_children;
	current->pid_ns_for_children = ns;
	task_unlock(current);
	put_pid_ns(old_ns);
	return 0;
}

/* The idle task of a secondary CPU: a copy of swapper/0 that never enters the task list. */
struct task_struct *fork_idle(unsigned int cpu)
{
	struct task_struct *idle = dup_task_struct(&init_task);
	char name[TASK_COMM_LEN];

	BUG_ON(!idle);
	idle->pid = idle->tgid = 0;
	idle->mm = NULL;
	idle->active_mm = &init_mm;
	idle->real_parent = idle->parent = &init_task;
	init_idle(idle, cpu);
	snprintf(name, sizeof(name), "swapper/%u", cpu);
	set_task_comm(idle, name);
	return idle;
}

static void complete_vfork_done(struct task_struct *tsk)
{
	struct completion *vfork = xchg(&tsk->vfork_done, NULL);

	if (vfork)
		complete(vfork);
}

/*
 * tsk (current) stops using mm, at exit or exec: its robust futexes are released, a
 * thread library waiting for it (CLONE_CHILD_CLEARTID, pthread_join) is told through
 * the shared memory, and a vfork parent may go on.
 */
void mm_release(struct task_struct *tsk, struct mm_struct *mm)
{
	if (tsk->robust_list) {
		exit_robust_list(tsk);
		tsk->robust_list = NULL;
	}
	if (tsk->clear_child_tid) {
		/* Nobody else sees this memory: nobody to tell. */
		if (atomic_read(&mm->mm_users) > 1) {
			put_user(0, tsk->clear_child_tid);
			futex_wake((u32 __user *)tsk->clear_child_tid, 0, 1,
				   FUTEX_BITSET_MATCH_ANY);
		}
		tsk->clear_child_tid = NULL;
	}
	if (tsk->vfork_done)
		complete_vfork_done(tsk);
}
