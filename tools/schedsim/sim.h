/* SPDX-License-Identifier: MIT */
/*
 * schedsim: the kernel's scheduler (kernel/sched/, unchanged) on a simulated machine of
 * N CPUs in virtual time. machine.c is the hardware and the arch hooks, sim.c the
 * workload's tasks and the event loop, workload.c the input, report.c the output.
 */
#ifndef SCHEDSIM_SIM_H
#define SCHEDSIM_SIM_H

#include <stdio.h>

#include <kairos/sched.h>

#define SIM_FOREVER	UINT64_MAX

/* What a task does once it runs. */
enum sim_behaviour {
	SIM_CPU,	/* never blocks */
	SIM_RUN_SLEEP,	/* run, sleep, run, sleep, ... */
	SIM_PERIODIC,	/* a job of job_runtime work released every job_period */
};

/* How the event loop hands a task its turn back (sim_context.cmd). */
enum sim_cmd {
	SIM_CMD_IRQ_RETURN,	/* back from an interrupt: reschedule if asked to */
	SIM_CMD_WORK_DONE,	/* the current burst of work is complete */
};

/* One run interval of a task, kept for tasks whose slices are checked. */
struct sim_slice {
	u64 start, end;
	/* Switched in from, switched out to (NULL: a kernel thread or idle). */
	const struct sim_task *from, *to;
};

struct sim_task {
	struct task_struct *task;	/* from fork until it exits */

	/* From the workload file. */
	char name[TASK_COMM_LEN];
	int line;
	int policy;
	int nice;
	unsigned int rt_prio;
	u64 dl_runtime, dl_deadline, dl_period;
	bool pinned;
	struct cpumask affinity;
	unsigned int fork_cpu;
	u64 start;
	enum sim_behaviour kind;
	u64 run, sleep;			/* SIM_RUN_SLEEP */
	u64 job_runtime, job_period, job_deadline;	/* SIM_PERIODIC (relative deadline) */

	/* Set up at fork. */
	int order;			/* in the workload file, from 0 */
	bool forked, exited;
	int admit_err;			/* sched_setattr's return */
	int affinity_err;		/* set_cpus_allowed_ptr's return */

	/* Running. */
	u64 remaining;			/* work left in this burst, SIM_FOREVER for SIM_CPU */
	u64 run_start;			/* last switched in */
	u64 release, deadline;		/* current job (SIM_PERIODIC) */
	bool waiting;			/* runnable but not running, since wait_start */
	u64 wait_start;
	int last_cpu;			/* -1 until it first runs */

	/* Measured by the simulator, independently of the kernel's counters. */
	u64 cputime, waittime;
	unsigned long switches;		/* times switched in */
	unsigned long preempted;	/* times switched out still runnable */
	unsigned long migrations;	/* switched in on another CPU than the last */
	unsigned long jobs, misses;
	u64 kmisses;			/* the kernel's own count (dl.nr_deadline_misses) */

	u64 slice_start;		/* this run interval, switched in from slice_from */
	const struct sim_task *slice_from;
	bool record_slices;
	struct sim_slice *slices;
	size_t nr_slices, slices_cap;
};

/* NULL for kernel threads and idle tasks. */
static inline struct sim_task *sim_task_of(const struct task_struct *p)
{
	return p->thread.st;
}

/*
 * Wake-up checks against place_entity() and check_preempt_wakeup() (expect placement,
 * expect preemption).
 */
struct sim_wakeup_stats {
	unsigned long placed, misplaced;
	unsigned long preempted, not_preempted, wrong_preempt;
	char first_misplaced[160], first_wrong_preempt[160];
};

enum sim_metric {
	SIM_M_CPUTIME, SIM_M_WAIT,		/* ns */
	SIM_M_SWITCHES, SIM_M_PREEMPTED, SIM_M_MIGRATIONS,
	SIM_M_JOBS, SIM_M_MISSES, SIM_M_KMISSES,	/* counts */
};

enum sim_op { SIM_EQ, SIM_NE, SIM_LT, SIM_LE, SIM_GT, SIM_GE };

enum sim_expect_kind {
	SIM_E_METRIC,		/* expect METRIC TASK OP VALUE */
	SIM_E_RATIO,		/* expect ratio A B R within P% */
	SIM_E_ADMIT,		/* expect admit TASK ok|ERRNO */
	SIM_E_SLICES,		/* expect slices A B LEN within TOL */
	SIM_E_PLACEMENT,	/* expect placement */
	SIM_E_PREEMPTION,	/* expect preemption */
	SIM_E_DETERMINISTIC,	/* expect deterministic */
};

/* A task name, or NAME* for every task whose name begins with NAME (in workload order). */
#define SIM_NAME_LEN	(TASK_COMM_LEN + 1)

struct sim_expect {
	enum sim_expect_kind kind;
	int line;
	char text[160];			/* as written, for the TAP line */
	char a[SIM_NAME_LEN], b[SIM_NAME_LEN];
	enum sim_metric metric;
	enum sim_op op;
	u64 value;
	double ratio, within;		/* within: a fraction of ratio */
	int err;
	u64 slice, slice_tol;
};

struct sim_workload {
	const char *path;
	unsigned int ncpus;
	u64 duration;
	struct sim_task **tasks;
	size_t nr_tasks;
	struct sim_expect *expects;
	size_t nr_expects;
	bool check_determinism;
};

/* Where the simulation writes; any of them may be NULL. */
struct sim_output {
	FILE *trace;		/* --trace: one line per context switch */
	FILE *chrome;		/* --chrome: trace-event JSON */
	FILE *capture;		/* everything above and the summary (determinism check) */
	bool chrome_first;
};

/* workload.c */
struct sim_workload *sim_parse_workload(const char *path);
/* The tasks a name or NAME* stands for, in workload order; returns how many (<= max). */
size_t sim_match_tasks(const struct sim_workload *w, const char *name,
		       struct sim_task **out, size_t max);

/* machine.c: the hardware. */
extern u64 sim_now;
extern unsigned int sim_ncpus;
extern u64 sim_timer_next[NR_CPUS];	/* each CPU's timer compare value */
extern bool sim_ipi_pending[NR_CPUS];
extern unsigned long sim_warnings;
void sim_machine_init(unsigned int ncpus);
/* Give p a context on stack that starts in entry (idle and boot tasks). */
void sim_thread_start(struct task_struct *p, void *stack, void (*entry)(void));
/* From the event loop: run cpu's current task until the machine is idle again. */
void sim_resume(unsigned int cpu, enum sim_cmd cmd);
/* From a task: give the host back to the event loop; returns the next command. */
enum sim_cmd sim_wait(void);
/* Run fn as an interrupt handler on cpu (IRQs off, current is cpu's task). */
void sim_irq(unsigned int cpu, void (*fn)(void *), void *arg);
void sim_check_quiescent(void);
void __attribute__((noreturn, format(printf, 1, 2))) sim_fatal(const char *fmt, ...);

/* sim.c: tasks and the event loop. */
extern struct sim_workload *sim_workload;
extern struct sim_output sim_out;
extern struct sim_wakeup_stats sim_wakeups;
void sim_switch_hook(unsigned int cpu, struct task_struct *prev, struct task_struct *next);
void sim_run(struct sim_workload *w);

/* report.c */
void sim_report_begin(const struct sim_workload *w);
void sim_report_switch(unsigned int cpu, const struct task_struct *prev,
		       const struct task_struct *next);
void sim_report_interval(unsigned int cpu, const struct task_struct *p, u64 start, u64 end);
void sim_report_end(const struct sim_workload *w);
/*
 * TAP results; determinism is NULL unless checked, then "" when the runs matched or
 * what differed. Returns the exit status.
 */
int sim_report_results(const struct sim_workload *w, const char *determinism);
void sim_tap_bail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *sim_errname(int err);
const char *sim_policy_name(int policy);

#endif
