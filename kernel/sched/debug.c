// SPDX-License-Identifier: MIT
/*
 * The scheduler's state as text: /proc/PID/sched (Linux's layout, for the fields Kairos
 * has) and /proc/sched_debug (per CPU: the run queue's counts and clock, then every
 * task queued in each class, in the spirit of Linux's). Not built into tools/schedsim:
 * it is presentation, and writes through seq_file.
 */
#include <kairos/mutex.h>
#include <kairos/pid.h>
#include <kairos/proc_fs.h>
#include <kairos/seq_file.h>
#include <kairos/signal.h>
#include <kairos/smp.h>
#include <kairos/time.h>
#include "sched.h"

/* Linux's SPLIT_NS: ns as milliseconds with six decimals. */
#define SPLIT_NS(x)	((long long)(x) / 1000000), (long)((unsigned long long)(x) % 1000000)

#define __PS(S, F)	seq_printf(m, "%-45s:%21lld\n", S, (long long)(F))
#define __PSN(S, F)	seq_printf(m, "%-45s:%14lld.%06ld\n", S, SPLIT_NS(F))
#define P(F)		__PS(#F, p->F)
#define PN(F)		__PSN(#F, p->F)

void proc_sched_show_task(struct task_struct *p, struct pid_namespace *ns, struct seq_file *m)
{
	unsigned long nr_threads = 1;
	unsigned long flags;
	u64 t0, t1;

	spin_lock_irqsave(&tasklist_lock, flags);
	if (p->sighand)
		nr_threads = p->signal->nr_threads;
	spin_unlock_irqrestore(&tasklist_lock, flags);

	seq_printf(m, "%s (%d, #threads: %lu)\n", p->comm, task_pid_nr_ns(p, ns), nr_threads);
	seq_puts(m, "-------------------------------------------------------------------\n");
	PN(se.exec_start);
	PN(se.vruntime);
	PN(se.sum_exec_runtime);
	P(se.nr_migrations);
	__PS("nr_switches", p->nvcsw + p->nivcsw);
	__PS("nr_voluntary_switches", p->nvcsw);
	__PS("nr_involuntary_switches", p->nivcsw);
	/* Linux's 64-bit weights carry 10 more bits of resolution than ours. */
	__PS("se.load.weight", p->se.load.weight << 10);
	P(se.avg.load_sum);
	P(se.avg.load_avg);
	P(se.avg.last_update_time);
	P(policy);
	P(prio);
	if (p->policy == SCHED_DEADLINE) {
		P(dl.runtime);
		P(dl.deadline);
	}
	t0 = sched_clock();
	t1 = sched_clock();
	__PS("clock-delta", t1 - t0);
}

static void print_task(struct seq_file *m, struct rq *rq, struct task_struct *p,
		       struct pid_namespace *ns)
{
	seq_printf(m, " %c %15s %5d %9lld.%06ld %9lld %5d %9lld.%06ld %9lld.%06ld\n",
		   p == rq->curr ? '>' : ' ', p->comm, task_pid_nr_ns(p, ns),
		   SPLIT_NS(p->se.vruntime), (long long)(p->nvcsw + p->nivcsw), p->prio,
		   SPLIT_NS(p->wait_sum), SPLIT_NS(p->se.sum_exec_runtime));
}

static void print_rq(struct seq_file *m, struct rq *rq, struct pid_namespace *ns)
{
	struct sched_entity *se;
	struct task_struct *p;
	struct rb_node *node;

	seq_puts(m, "\nrunnable tasks:\n");
	seq_puts(m, " S            task   PID         tree-key  switches  prio     wait-time"
		    "             sum-exec\n");
	seq_puts(m, "-------------------------------------------------------------------------"
		    "------------------\n");
	/* The running task first, then each class's queue in pick order. */
	print_task(m, rq, rq->curr, ns);
	for (node = rb_first_cached(&rq->dl.root); node; node = rb_next(node)) {
		p = container_of(node, struct task_struct, dl.rb_node);
		if (p != rq->curr)
			print_task(m, rq, p, ns);
	}
	for (int prio = 0; prio < MAX_RT_PRIO; prio++)
		list_for_each_entry(p, &rq->rt.active.queue[prio], rt.run_list)
			if (p != rq->curr)
				print_task(m, rq, p, ns);
	for (node = rb_first_cached(&rq->cfs.tasks_timeline); node; node = rb_next(node)) {
		se = container_of(node, struct sched_entity, run_node);
		p = container_of(se, struct task_struct, se);
		if (p != rq->curr)
			print_task(m, rq, p, ns);
	}
}

int sched_debug_show(struct seq_file *m, struct pid_namespace *ns)
{
	unsigned int cpu;

	seq_printf(m, "Sched Debug Version: v0.11, Kairos\n");
	seq_printf(m, "%-40s: %lld.%06ld\n", "ktime", SPLIT_NS(ktime_get_ns()));
	seq_printf(m, "%-40s: %lld.%06ld\n", "sched_clk", SPLIT_NS(sched_clock()));
	seq_printf(m, "%-40s: %lu\n", "jiffies", jiffies);
	for_each_online_cpu(cpu) {
		struct rq *rq = cpu_rq(cpu);
		unsigned long flags;

		spin_lock_irqsave(&rq->lock, flags);
		seq_printf(m, "\ncpu#%u\n", cpu);
#define PRQ(x)		seq_printf(m, "  .%-30s: %lld\n", #x, (long long)(rq->x))
#define PRQN(x)		seq_printf(m, "  .%-30s: %lld.%06ld\n", #x, SPLIT_NS(rq->x))
		PRQ(nr_running);
		PRQ(nr_switches);
		PRQ(ttwu_count);
		PRQ(ttwu_local);
		PRQ(ttwu_sync);
		seq_printf(m, "  .%-30s: %lu\n", "mutex_spin_acquired",
			   per_cpu(mutex_stat, cpu).spin_acquired);
		seq_printf(m, "  .%-30s: %lu\n", "mutex_sleeps", per_cpu(mutex_stat, cpu).sleeps);
		seq_printf(m, "  .%-30s: %s/%d\n", "curr", rq->curr->comm,
			   task_pid_nr_ns(rq->curr, ns));
		PRQN(clock);
		PRQN(clock_task);
		seq_printf(m, "\ncfs_rq[%u]:\n", cpu);
		PRQ(cfs.nr_running);
		PRQN(cfs.min_vruntime);
		PRQ(cfs.load.weight);
		PRQ(cfs.avg.load_avg);
		PRQN(cfs.exec_clock);
		seq_printf(m, "\nrt_rq[%u]:\n", cpu);
		PRQ(rt.rt_nr_running);
		seq_printf(m, "  .%-30s: %d\n", "rt.rt_throttled", rq->rt.rt_throttled);
		PRQN(rt.rt_time);
		PRQN(rt.rt_runtime);
		seq_printf(m, "\ndl_rq[%u]:\n", cpu);
		PRQ(dl.dl_nr_running);
		PRQ(dl.running_bw);
#undef PRQ
#undef PRQN
		print_rq(m, rq, ns);
		spin_unlock_irqrestore(&rq->lock, flags);
	}
	return 0;
}
