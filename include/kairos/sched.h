/* SPDX-License-Identifier: MIT */
/*
 * Tasks and the scheduler's public interface, with the fields and states of the seed
 * (../shared/seeds/003_*: "Life Cycle", "Scheduler and Run Queue", "Priority and Class").
 * The run queues and the class interface are internal: kernel/sched/sched.h.
 */
#ifndef KAIROS_SCHED_H
#define KAIROS_SCHED_H

#include <asm/current.h>
#include <asm/processor.h>
#include <asm/thread_info.h>
#include <kairos/task_io_accounting.h>
#include <kairos/atomic.h>
#include <kairos/compiler.h>
#include <kairos/config.h>
#include <kairos/cpumask.h>
#include <kairos/cputime.h>
#include <kairos/cred.h>
#include <kairos/hrtimer.h>
#include <kairos/list.h>
#include <kairos/pid.h>
#include <kairos/rbtree.h>
#include <kairos/signal_types.h>
#include <kairos/spinlock.h>
#include <kairos/types.h>

/* task->__state */
#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define __TASK_STOPPED		0x0004
#define __TASK_TRACED		0x0008
/* task->exit_state */
#define EXIT_DEAD		0x0010
#define EXIT_ZOMBIE		0x0020
/* more task->__state */
#define TASK_PARKED		0x0040
#define TASK_DEAD		0x0080
#define TASK_WAKEKILL		0x0100
#define TASK_WAKING		0x0200
#define TASK_NOLOAD		0x0400
#define TASK_NEW		0x0800

#define TASK_KILLABLE		(TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_STOPPED		(TASK_WAKEKILL | __TASK_STOPPED)
#define TASK_IDLE		(TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* task->flags */
#define PF_IDLE			0x00000002	/* an idle task (swapper/N) */
#define PF_EXITING		0x00000004
#define PF_FORKNOEXEC		0x00000040	/* forked and has not exec'd (exec clears it) */
#define PF_NPROC_EXCEEDED	0x00001000	/* set*uid went over RLIMIT_NPROC: execve fails */
#define PF_KTHREAD		0x00200000
#define PF_NO_SETAFFINITY	0x04000000	/* bound by the kernel: user space may not move it */

/* Scheduling policies (the Linux ABI values). */
#define SCHED_NORMAL		0
#define SCHED_FIFO		1
#define SCHED_RR		2
#define SCHED_BATCH		3
#define SCHED_IDLE		5
#define SCHED_DEADLINE		6
#define SCHED_RESET_ON_FORK	0x40000000

/*
 * Priorities, the kernel's view (lower is more important):
 *   -1        deadline
 *   0..99     real-time (99 - rt_priority)
 *   100..139  fair (nice -20..19)
 */
#define MAX_NICE		19
#define MIN_NICE		-20
#define NICE_WIDTH		(MAX_NICE - MIN_NICE + 1)
#define MAX_RT_PRIO		100
#define MAX_DL_PRIO		0
#define MAX_PRIO		(MAX_RT_PRIO + NICE_WIDTH)
#define DEFAULT_PRIO		(MAX_RT_PRIO + NICE_WIDTH / 2)
#define NICE_TO_PRIO(nice)	((nice) + DEFAULT_PRIO)
#define PRIO_TO_NICE(prio)	((prio) - DEFAULT_PRIO)

#define TASK_COMM_LEN		16
/* Ends every kernel stack (its lowest word); checked on every schedule(). */
#define STACK_END_MAGIC		0x57AC6E9D

struct load_weight {
	unsigned long weight;
	u32 inv_weight;
};

/* A decayed average of how much a task runs, for load balancing (PELT-like). */
struct sched_avg {
	u64 last_update_time;
	u64 load_sum;
	unsigned long load_avg;
	u32 period_contrib;
};

struct sched_entity {
	struct load_weight load;
	struct rb_node run_node;
	unsigned int on_rq;
	u64 exec_start;
	u64 sum_exec_runtime;
	u64 vruntime;
	u64 prev_sum_exec_runtime;
	u64 nr_migrations;
	struct sched_avg avg;
	struct list_head group_node;	/* in rq->cfs_tasks while queued */
};

struct sched_rt_entity {
	struct list_head run_list;
	unsigned int time_slice;	/* ticks left of a SCHED_RR slice */
	unsigned long timeout;		/* ticks run since the last wake-up (RLIMIT_RTTIME) */
	unsigned short on_rq;
};

struct sched_dl_entity {
	struct rb_node rb_node;
	/* Parameters (sched_setattr), in ns. */
	u64 dl_runtime;
	u64 dl_deadline;		/* relative */
	u64 dl_period;
	u64 dl_bw;			/* dl_runtime / dl_period, BW_SHIFT fixed point */
	u64 dl_density;			/* dl_runtime / dl_deadline */
	/* State of the constant-bandwidth server. */
	s64 runtime;			/* left in this instance */
	u64 deadline;			/* absolute */
	unsigned int dl_throttled : 1;
	unsigned int dl_yielded : 1;
	unsigned int dl_new : 1;
	u64 nr_deadline_misses;		/* instances that finished past their deadline */
	struct hrtimer dl_timer;	/* replenishes a throttled server */
};

/* How a system call interrupted by a signal resumes (-ERESTART_RESTARTBLOCK). */
struct restart_block {
	long (*fn)(struct restart_block *restart);
	union {
		struct {			/* futex_wait */
			u32 __user *uaddr;
			u32 val;
			u32 flags;
			u32 bitset;
			u64 time;		/* absolute, ns of the monotonic clock */
		} futex;
		struct {			/* nanosleep, clock_nanosleep */
			int clockid;
			void __user *rmtp;	/* struct timespec: time left */
			u64 expires;		/* absolute, ns */
		} nanosleep;
	};
};

struct mm_struct;
struct fs_struct;
struct files_struct;
struct completion;

struct task_struct {
	struct thread_info thread_info;	/* first: current reaches it at offset 0 */
	struct thread_struct thread;	/* saved registers (arch), at a fixed offset */
	unsigned int __state;
	void *stack;			/* THREAD_SIZE bytes, an unmapped guard page below */
	atomic_t usage;
	unsigned int flags;		/* PF_* */

	int on_cpu;			/* running on a CPU (set across the switch) */
	int on_rq;			/* TASK_ON_RQ_QUEUED or 0 */
	int recent_used_cpu;
	int wake_cpu;

	int prio;
	int static_prio;
	int normal_prio;
	unsigned int rt_priority;
	const struct sched_class *sched_class;
	struct sched_entity se;
	struct sched_rt_entity rt;
	struct sched_dl_entity dl;
	unsigned int policy;
	int nr_cpus_allowed;
	struct cpumask cpus_mask;
	unsigned int sched_reset_on_fork : 1;
	unsigned int sched_contributes_to_load : 1;	/* asleep, counted in the load */
	u64 last_switch_ns;		/* last switched out or made runnable: wait accounting */
	u64 wait_sum;			/* ns spent runnable but not running */
	unsigned long nvcsw, nivcsw;	/* voluntary and involuntary context switches */
	unsigned long min_flt, maj_flt;	/* page faults resolved without / with I/O */
	struct task_io_accounting ioac;	/* fs/read_write.c's counts (/proc/PID/io) */

	/* Protects __state for wake-ups and cpus_mask, as Linux's pi_lock does. */
	spinlock_t pi_lock;
	/* task_lock(): mm, files and fs change under it, for readers in other tasks (/proc). */
	spinlock_t alloc_lock;

	/* Life cycle (kernel/fork.c, kernel/exit.c); tasklist_lock guards the links. */
	int exit_state;
	int exit_code;			/* wait status: (code << 8) or the killing signal */
	int exit_signal;		/* sent to the parent at exit: SIGCHLD, or -1 (threads) */
	int pdeath_signal;		/* prctl(PR_SET_PDEATHSIG) */
	int pid;			/* the root namespace's numbers (kernel/pid.c) */
	int tgid;
	struct task_struct *real_parent;
	struct task_struct *parent;
	struct list_head children;
	struct list_head sibling;
	struct task_struct *group_leader;	/* the thread whose pid is the tgid */
	struct list_head thread_node;	/* in signal->thread_head */
	struct list_head tasks;		/* every thread-group leader, from init_task */
	struct pid *thread_pid;		/* the thread's identity, NULL once released */
	struct list_head pid_links[PIDTYPE_MAX];	/* in struct pid's tasks[] */
	/* Where our children get their PIDs (Linux's nsproxy field): our own namespace,
	 * or one unshare(CLONE_NEWPID) made below it. A reference. */
	struct pid_namespace *pid_ns_for_children;
	struct nameidata *nameidata;	/* the walk whose ->get_link is running (namei.c) */
	struct list_head ptrace_entry;	/* exit_notify's list of tasks to release */
	char comm[TASK_COMM_LEN];
	int __user *set_child_tid;	/* CLONE_CHILD_SETTID */
	int __user *clear_child_tid;	/* CLONE_CHILD_CLEARTID / set_tid_address */
	struct completion *vfork_done;	/* CLONE_VFORK: completed at exec or exit */
	void __user *robust_list;	/* set_robust_list */
	size_t robust_list_len;
	u64 start_time;			/* ns of the monotonic clock at fork */
	u64 utime, stime;		/* CPU time, ns, at user and kernel level */
	struct prev_cputime prev_cputime;	/* as reported (task_cputime_adjusted) */
	unsigned int personality;	/* personality(2): PER_LINUX and flags, inherited */

	struct mm_struct *mm;		/* the user address space; NULL for kernel threads */
	struct mm_struct *active_mm;	/* what TTBR0 holds while it runs: mm or &init_mm */

	struct cred cred;
	struct fs_struct *fs;		/* root, cwd, umask (CLONE_FS shares) */
	struct files_struct *files;	/* open files (CLONE_FILES shares) */

	/* Signals (kernel/signal.c); sighand->siglock guards them. */
	struct signal_struct *signal;
	struct sighand_struct *sighand;
	sigset_t blocked;
	sigset_t real_blocked;		/* rt_sigtimedwait's saved mask */
	sigset_t saved_sigmask;		/* restored after rt_sigsuspend / ppoll's handler */
	struct sigpending pending;
	unsigned long sas_ss_sp;	/* sigaltstack */
	size_t sas_ss_size;
	unsigned int sas_ss_flags;
	unsigned long jobctl;		/* JOBCTL_* */
	struct restart_block restart_block;

	void *worker_private;		/* struct kthread for kernel threads */
};

/* The seed's "current state" accessors. */
#define task_is_running(t)	(READ_ONCE((t)->__state) == TASK_RUNNING)
#define __set_current_state(s)	WRITE_ONCE(current->__state, (s))
/* Full barrier after: the condition a sleeper tests is read after its state is set. */
#define set_current_state(s)	do { WRITE_ONCE(current->__state, (s)); smp_mb(); } while (0)

static inline unsigned int task_cpu(const struct task_struct *p)
{
	return READ_ONCE(p->thread_info.cpu);
}

static inline bool test_tsk_need_resched(struct task_struct *p)
{
	return READ_ONCE(p->thread_info.flags) & (1UL << TIF_NEED_RESCHED);
}

static inline bool need_resched(void)
{
	return test_tsk_need_resched(current);
}

/* Signal delivery sets TIF_SIGPENDING; interruptible sleeps end when it is set. */
static inline bool signal_pending(struct task_struct *p)
{
	return READ_ONCE(p->thread_info.flags) & (1UL << TIF_SIGPENDING);
}

/* Whether a fatal signal is pending: a group exit puts SIGKILL in every thread's set. */
static inline bool fatal_signal_pending(struct task_struct *p)
{
	return signal_pending(p) && sigismember(&p->pending.signal, SIGKILL);
}

/* Whether a sleep in state must end (or not begin) because of a pending signal. */
static inline bool signal_pending_state(unsigned int state, struct task_struct *p)
{
	if (!(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)) || !signal_pending(p))
		return false;
	return (state & TASK_INTERRUPTIBLE) || fatal_signal_pending(p);
}

static inline unsigned long *end_of_stack(const struct task_struct *p)
{
	return (unsigned long *)p->stack;
}

static inline bool task_stack_end_corrupted(const struct task_struct *p)
{
	return *end_of_stack(p) != STACK_END_MAGIC;
}

static inline bool is_idle_task(const struct task_struct *p)
{
	return p->flags & PF_IDLE;
}

extern struct task_struct init_task;

extern u8 init_stack[THREAD_SIZE];
extern spinlock_t tasklist_lock;	/* protects the task list and parent links */
extern int nr_threads;			/* tasks with a PID (kernel/fork.c); tasklist_lock */
extern unsigned long total_forks;	/* forks since boot; tasklist_lock */
extern bool scheduler_running;		/* set once sched_init has run */

/* Core scheduler API (kernel/sched/core.c). */
void sched_init(void);
/* Once every CPU is up (kernel_init): the load balancer's domains and softirq. */
void sched_init_smp(void);
void schedule(void);
void schedule_idle(void);
void preempt_schedule_irq(void);
int _cond_resched(void);
#define cond_resched() _cond_resched()
void scheduler_tick(void);
void scheduler_ipi(void);
int wake_up_process(struct task_struct *p);
int wake_up_state(struct task_struct *p, unsigned int state);
/* If p runs on another CPU, interrupt it so that it sees new work (a signal) soon. */
void kick_process(struct task_struct *p);
int try_to_wake_up(struct task_struct *p, unsigned int state, int wake_flags);
void wake_up_new_task(struct task_struct *p);
int sched_fork(unsigned long clone_flags, struct task_struct *p);
void sched_post_fork(struct task_struct *p);
void resched_cpu(int cpu);
void set_user_nice(struct task_struct *p, long nice);
int task_nice(const struct task_struct *p);
int task_prio(const struct task_struct *p);
void do_sched_yield(void);

struct sched_attr {			/* the Linux ABI layout (sched_setattr) */
	u32 size;
	u32 sched_policy;
	u64 sched_flags;
	s32 sched_nice;
	u32 sched_priority;
	u64 sched_runtime;
	u64 sched_deadline;
	u64 sched_period;
};
#define SCHED_FLAG_RESET_ON_FORK	0x01

struct sched_param {
	int sched_priority;
};
int sched_setscheduler(struct task_struct *p, int policy, const struct sched_param *param);
int sched_setscheduler_nocheck(struct task_struct *p, int policy,
			       const struct sched_param *param);
int sched_setattr(struct task_struct *p, const struct sched_attr *attr);
int sched_setattr_nocheck(struct task_struct *p, const struct sched_attr *attr);
int set_cpus_allowed_ptr(struct task_struct *p, const struct cpumask *new_mask);
void kthread_bind_mask(struct task_struct *p, const struct cpumask *mask);

/* The idle loop of each CPU, and the boot path that starts the first tasks. */
void __noreturn cpu_startup_entry(void);
void __noreturn rest_init(void);
struct task_struct *fork_idle(unsigned int cpu);
void init_idle(struct task_struct *idle, unsigned int cpu);

/* Runnable tasks on all CPUs now, and context switches since boot (/proc/stat). */
unsigned int nr_running(void);
u64 nr_context_switches(void);

/* Debug: a per-CPU view of the run queues and each task's scheduling state. */
void sched_show_state(void);

/* Task lifetime. */
static inline void get_task_struct(struct task_struct *p)
{
	atomic_inc(&p->usage);
}
void __put_task_struct(struct task_struct *p);
static inline void put_task_struct(struct task_struct *p)
{
	if (atomic_dec_and_test(&p->usage))
		__put_task_struct(p);
}

void __noreturn do_task_dead(void);
/* Fork a kernel thread running fn(arg); returns its PID or -errno (kernel/fork.c). */
int kernel_thread(int (*fn)(void *), void *arg, unsigned long flags);
/* End the current task (kernel/exit.c). A kernel thread whose function returns gets here. */
void __noreturn do_exit(long code);
struct rusage;
/* wait4 from the kernel: zap_pid_ns_processes reaps the namespace's children. */
long kernel_wait4(int upid, int __user *stat_addr, int options, struct rusage *ru);
/* End the whole thread group (exit_group, fatal signals): exit_code is a wait status. */
void __noreturn do_group_exit(int exit_code);
/* exec in a multithreaded group: kill the other threads, wait until they are gone, and
 * take the leader's PID. 0, or -EAGAIN if a fatal signal or a group exit came first. */
int de_thread(struct task_struct *tsk);
/* A dead task nobody will wait for, or a reaped zombie: unhash it and drop it. */
void release_task(struct task_struct *p);
void set_task_comm(struct task_struct *p, const char *name);

/* Guards p->mm, p->files and p->fs while another task looks at them; never held across
 * anything that sleeps, taken with interrupts enabled (not from IRQ context). */
static inline void task_lock(struct task_struct *p)
{
	spin_lock(&p->alloc_lock);
}

static inline void task_unlock(struct task_struct *p)
{
	spin_unlock(&p->alloc_lock);
}
/* p's name into buf (TASK_COMM_LEN bytes), whole even while it changes. */
void get_task_comm(char *buf, struct task_struct *p);

#endif
