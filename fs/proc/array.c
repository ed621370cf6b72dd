// SPDX-License-Identifier: MIT
/*
 * A process's stat, status and statm, in Linux 6.1's formats: tools parse them (ps,
 * top, pidof read stat and status), so every field is where Linux puts it, including
 * the ones Kairos does not count (page faults, code and data bounds): those read 0.
 */
#include <kairos/cputime.h>
#include <kairos/mm_types.h>
#include <kairos/string.h>
#include <kairos/resource.h>
#include <kairos/smp.h>
#include <kairos/time.h>
#include <kairos/tty.h>
#include <uapi/signal.h>
#include "internal.h"

/* Linux's letters, by the bit of the state reported (fls), "I" for idle kernel waits. */
static const char *const task_state_array[] = {
	"R (running)",
	"S (sleeping)",
	"D (disk sleep)",
	"T (stopped)",
	"t (tracing stop)",
	"X (dead)",
	"Z (zombie)",
	"P (parked)",
	"I (idle)",
};

#define TASK_REPORT	(TASK_RUNNING | TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE | \
			 __TASK_STOPPED | __TASK_TRACED | EXIT_DEAD | EXIT_ZOMBIE | \
			 TASK_PARKED)

static const char *get_task_state(struct task_struct *task)
{
	unsigned int tsk_state = READ_ONCE(task->__state);
	unsigned int state = (tsk_state | READ_ONCE(task->exit_state)) & TASK_REPORT;

	if ((tsk_state & TASK_IDLE) == TASK_IDLE)
		state = TASK_REPORT + 1;
	return task_state_array[state ? 32 - __builtin_clz(state) : 0];
}

/* What the group's signal_struct and sighand say, taken under their locks. */
struct task_sig_info {
	bool alive;			/* still has its sighand: not reaped */
	int ppid, pgid, sid;
	int tty_nr, tty_pgrp;
	int num_threads;
	sigset_t pending, shpending, blocked, ignored, caught;
	int sigq;			/* signals queued to the task's real user */
	u64 cutime, cstime;
	unsigned long min_flt, maj_flt;	/* the group's: live and dead threads */
	unsigned long cmin_flt, cmaj_flt;
	unsigned long rsslim;
	unsigned long nvcsw, nivcsw;	/* the group's: live and dead threads */
	struct task_cputime cputime;	/* the group's */
};

static void collect_sig_info(struct task_struct *task, struct pid_namespace *ns,
			     struct task_sig_info *si)
{
	struct signal_struct *sig = task->signal;
	struct sighand_struct *sighand;
	unsigned long flags;
	struct task_struct *t;

	memset(si, 0, sizeof(*si));
	si->tty_pgrp = -1;
	spin_lock_irqsave(&tasklist_lock, flags);
	sighand = task->sighand;
	if (!sighand) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return;
	}
	spin_lock(&sighand->siglock);
	si->alive = true;
	si->ppid = task_ppid_nr_ns(task, ns);
	si->pgid = task_pgrp_nr_ns(task, ns);
	si->sid = task_session_nr_ns(task, ns);
	if (sig->tty) {
		si->tty_nr = new_encode_dev(sig->tty->device);
		/* The foreground group changes under the tty's ctrl_lock. */
		spin_lock(&sig->tty->ctrl_lock);
		si->tty_pgrp = pid_nr_ns(sig->tty->pgrp, ns);
		spin_unlock(&sig->tty->ctrl_lock);
	}
	si->num_threads = sig->nr_threads;
	si->pending = task->pending.signal;
	si->shpending = sig->shared_pending.signal;
	si->blocked = task->blocked;
	/* Linux counts SigQ against RLIMIT_SIGPENDING: the user's queued signals. */
	si->sigq = atomic_read(&task->cred.user->sigpending);
	for (int i = 1; i <= _NSIG; i++) {
		void __user *handler = sighand->action[i - 1].sa.sa_handler;

		if (handler == SIG_IGN)
			sigaddset(&si->ignored, i);
		else if (handler != SIG_DFL)
			sigaddset(&si->caught, i);
	}
	si->cutime = sig->cutime;
	si->cstime = sig->cstime;
	si->rsslim = READ_ONCE(sig->rlim[RLIMIT_RSS].rlim_cur);
	si->nvcsw = sig->nvcsw;
	si->nivcsw = sig->nivcsw;
	si->min_flt = sig->min_flt;
	si->maj_flt = sig->maj_flt;
	si->cmin_flt = sig->cmin_flt;
	si->cmaj_flt = sig->cmaj_flt;
	for_each_thread(task, t) {
		si->nvcsw += t->nvcsw;
		si->nivcsw += t->nivcsw;
		si->min_flt += t->min_flt;
		si->maj_flt += t->maj_flt;
	}
	spin_unlock(&sighand->siglock);
	thread_group_cputime_adjusted(task, &si->cputime);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

static int do_task_stat(struct seq_file *m, struct pid_namespace *ns,
			struct task_struct *task, bool whole)
{
	struct mm_struct *mm = get_task_mm(task);
	struct task_sig_info si;
	struct task_cputime times;
	struct proc_mem_counts mc = {};
	char comm[TASK_COMM_LEN];
	bool permitted = proc_may_access(task);
	u64 start_time = nsec_to_clock_t(task->start_time);
	unsigned long wchan = 0;

	collect_sig_info(task, ns, &si);
	if (whole) {
		times = si.cputime;
	} else {
		task_cputime_adjusted(task, &times);
		si.min_flt = READ_ONCE(task->min_flt);
		si.maj_flt = READ_ONCE(task->maj_flt);
	}
	if (permitted && (!whole || si.num_threads < 2))
		wchan = !task_is_running(task);
	if (mm)
		proc_count_mem(mm, &mc);
	get_task_comm(comm, task);

	seq_put_decimal_ull(m, "", task_pid_nr_ns(task, ns));
	seq_printf(m, " (%s) %c", comm, get_task_state(task)[0]);
	seq_put_decimal_ll(m, " ", si.ppid);
	seq_put_decimal_ll(m, " ", si.pgid);
	seq_put_decimal_ll(m, " ", si.sid);
	seq_put_decimal_ll(m, " ", si.tty_nr);
	seq_put_decimal_ll(m, " ", si.tty_pgrp);
	seq_put_decimal_ull(m, " ", task->flags);
	seq_put_decimal_ull(m, " ", si.min_flt);
	seq_put_decimal_ull(m, " ", si.cmin_flt);
	seq_put_decimal_ull(m, " ", si.maj_flt);
	seq_put_decimal_ull(m, " ", si.cmaj_flt);
	seq_put_decimal_ull(m, " ", nsec_to_clock_t(times.utime));
	seq_put_decimal_ull(m, " ", nsec_to_clock_t(times.stime));
	seq_put_decimal_ll(m, " ", nsec_to_clock_t(si.cutime));
	seq_put_decimal_ll(m, " ", nsec_to_clock_t(si.cstime));
	seq_put_decimal_ll(m, " ", task_prio(task));
	seq_put_decimal_ll(m, " ", task_nice(task));
	seq_put_decimal_ll(m, " ", si.num_threads);
	seq_put_decimal_ull(m, " ", 0);		/* itrealvalue, always 0 since 2.6.17 */
	seq_put_decimal_ull(m, " ", start_time);
	seq_put_decimal_ull(m, " ", mc.total_vm << PAGE_SHIFT);
	seq_put_decimal_ull(m, " ", mc.rss);
	seq_put_decimal_ull(m, " ", si.rsslim);
	/* startcode endcode: not kept; Linux shows 1 to the unprivileged. */
	seq_puts(m, mm && !permitted ? " 1 1" : " 0 0");
	seq_put_decimal_ull(m, " ", permitted && mm ? mm->start_stack : 0);
	seq_puts(m, " 0 0");			/* esp eip: only of a task dumping core */
	/* The old 31-signal masks, decimal; status has the full ones. */
	seq_put_decimal_ull(m, " ", si.pending.sig[0] & 0x7fffffffUL);
	seq_put_decimal_ull(m, " ", si.blocked.sig[0] & 0x7fffffffUL);
	seq_put_decimal_ull(m, " ", si.ignored.sig[0] & 0x7fffffffUL);
	seq_put_decimal_ull(m, " ", si.caught.sig[0] & 0x7fffffffUL);
	seq_put_decimal_ull(m, " ", wchan);
	seq_puts(m, " 0 0");			/* nswap cnswap */
	seq_put_decimal_ll(m, " ", task->exit_signal);
	seq_put_decimal_ll(m, " ", task_cpu(task));
	seq_put_decimal_ull(m, " ", task->rt_priority);
	seq_put_decimal_ull(m, " ", task->policy);
	seq_puts(m, " 0 0 0");			/* delayacct_blkio_ticks guest_time cguest_time */
	if (mm && permitted) {
		seq_puts(m, " 0 0");		/* start_data end_data: not kept */
		seq_put_decimal_ull(m, " ", mm->start_brk);
		seq_put_decimal_ull(m, " ", mm->arg_start);
		seq_put_decimal_ull(m, " ", mm->arg_end);
		seq_put_decimal_ull(m, " ", mm->env_start);
		seq_put_decimal_ull(m, " ", mm->env_end);
	} else {
		seq_puts(m, " 0 0 0 0 0 0 0");
	}
	seq_put_decimal_ll(m, " ", permitted ? task->exit_code : 0);
	seq_putc(m, '\n');
	if (mm)
		mmput(mm);
	return 0;
}

int proc_tgid_stat(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task)
{
	return do_task_stat(m, ns, task, true);
}

int proc_tid_stat(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task)
{
	return do_task_stat(m, ns, task, false);
}

int proc_pid_statm(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task)
{
	struct mm_struct *mm = get_task_mm(task);
	struct proc_mem_counts mc = {};

	if (mm) {
		proc_count_mem(mm, &mc);
		mmput(mm);
	}
	/* size resident shared text lib data dt, in pages */
	seq_printf(m, "%lu %lu %lu %lu 0 %lu 0\n", mc.total_vm, mc.rss, mc.rss_file,
		   mc.exec_vm, mc.data_vm + mc.stack_vm);
	return 0;
}

static void render_sigset_t(struct seq_file *m, const char *header, const sigset_t *set)
{
	/* 64 signals, highest first, as 16 hex digits. */
	seq_printf(m, "%s%016lx\n", header, set->sig[0]);
}

/* A CPU set as Linux's %*pb: 32-bit groups of hex, most significant first. */
static void render_cpumask(struct seq_file *m, const struct cpumask *mask)
{
	for (int word = (nr_cpu_ids - 1) / 32; word >= 0; word--) {
		u32 bits = 0;
		int width = 8;

		for (int b = 0; b < 32; b++) {
			unsigned int cpu = word * 32 + b;

			if (cpu < nr_cpu_ids && cpumask_test_cpu(cpu, mask))
				bits |= 1U << b;
		}
		if (word == (int)((nr_cpu_ids - 1) / 32))
			width = ((nr_cpu_ids - 1) % 32) / 4 + 1;
		seq_printf(m, "%0*x%s", width, bits, word ? "," : "");
	}
}

/* As %*pbl: ranges "0-3,5". */
static void render_cpumask_list(struct seq_file *m, const struct cpumask *mask)
{
	const char *sep = "";

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		unsigned int last = cpu;

		if (!cpumask_test_cpu(cpu, mask))
			continue;
		while (last + 1 < nr_cpu_ids && cpumask_test_cpu(last + 1, mask))
			last++;
		if (last == cpu)
			seq_printf(m, "%s%u", sep, cpu);
		else
			seq_printf(m, "%s%u-%u", sep, cpu, last);
		sep = ",";
		cpu = last;
	}
}

static void task_mem(struct seq_file *m, struct mm_struct *mm)
{
	struct proc_mem_counts mc = {};

	proc_count_mem(mm, &mc);
#define KB(pages)	((pages) << (PAGE_SHIFT - 10))
	seq_printf(m, "VmPeak:\t%8lu kB\n", KB(mc.total_vm));
	seq_printf(m, "VmSize:\t%8lu kB\n", KB(mc.total_vm));
	seq_printf(m, "VmLck:\t%8lu kB\n", KB(mc.locked_vm));
	seq_printf(m, "VmPin:\t%8lu kB\n", 0UL);
	seq_printf(m, "VmHWM:\t%8lu kB\n", KB(mc.hiwater_rss));
	seq_printf(m, "VmRSS:\t%8lu kB\n", KB(mc.rss));
	seq_printf(m, "RssAnon:\t%8lu kB\n", KB(mc.rss_anon));
	seq_printf(m, "RssFile:\t%8lu kB\n", KB(mc.rss_file));
	seq_printf(m, "RssShmem:\t%8lu kB\n", 0UL);
	seq_printf(m, "VmData:\t%8lu kB\n", KB(mc.data_vm));
	seq_printf(m, "VmStk:\t%8lu kB\n", KB(mc.stack_vm));
	seq_printf(m, "VmExe:\t%8lu kB\n", KB(mc.exe_vm));
	seq_printf(m, "VmLib:\t%8lu kB\n", KB(mc.exec_vm - mc.exe_vm));
	seq_printf(m, "VmPTE:\t%8lu kB\n", 0UL);	/* page tables: not counted */
	seq_printf(m, "VmSwap:\t%8lu kB\n", 0UL);
#undef KB
	seq_puts(m, "HugetlbPages:\t       0 kB\n");
}

/*
 * NStgid, NSpid, NSpgid, NSsid: the task's numbers in every PID namespace from the
 * mount's down to the task's own, by the levels of its own struct pid, as Linux's.
 */
static void task_ns_numbers(struct seq_file *m, struct pid_namespace *ns,
			    struct task_struct *task)
{
	static const char *const names[4] = { "NStgid:", "NSpid:", "NSpgid:", "NSsid:" };
	int nr[4][MAX_PID_NS_LEVEL + 1];
	unsigned int levels = 0;
	unsigned long flags;
	struct pid *pid;

	spin_lock_irqsave(&tasklist_lock, flags);
	pid = task_pid(task);
	for (unsigned int g = ns->level; pid && g <= pid->level; g++, levels++) {
		struct pid_namespace *level_ns = pid->numbers[g].ns;

		nr[0][levels] = task_tgid_nr_ns(task, level_ns);
		nr[1][levels] = task_pid_nr_ns(task, level_ns);
		nr[2][levels] = task_pgrp_nr_ns(task, level_ns);
		nr[3][levels] = task_session_nr_ns(task, level_ns);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	for (int i = 0; i < 4; i++) {
		seq_puts(m, names[i]);
		for (unsigned int g = 0; g < levels; g++)
			seq_put_decimal_ull(m, "\t", nr[i][g]);
		seq_putc(m, '\n');
	}
}

/* The capabilities root has (CAP_LAST_CAP 40 in Linux 6.1) and others do not. */
#define CAP_FULL_SET	0x000001ffffffffffULL

int proc_pid_status(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task)
{
	struct mm_struct *mm = get_task_mm(task);
	const struct cred *cred = &task->cred;
	struct task_sig_info si;
	char comm[TASK_COMM_LEN];
	unsigned int max_fds = 0;
	int umask = -1;
	bool privileged;

	collect_sig_info(task, ns, &si);
	get_task_comm(comm, task);
	task_lock(task);
	if (task->fs)
		umask = task->fs->umask;
	if (task->files)
		max_fds = READ_ONCE(task->files->fdt.max_fds);
	task_unlock(task);

	seq_printf(m, "Name:\t%s\n", comm);
	if (umask >= 0)
		seq_printf(m, "Umask:\t%#04o\n", umask);
	seq_printf(m, "State:\t%s\n", get_task_state(task));
	seq_put_decimal_ull(m, "Tgid:\t", task_tgid_nr_ns(task, ns));
	seq_put_decimal_ull(m, "\nNgid:\t", 0);
	seq_put_decimal_ull(m, "\nPid:\t", task_pid_nr_ns(task, ns));
	seq_put_decimal_ull(m, "\nPPid:\t", si.ppid);
	seq_put_decimal_ull(m, "\nTracerPid:\t", 0);	/* no ptrace */
	seq_printf(m, "\nUid:\t%u\t%u\t%u\t%u", cred->uid, cred->euid, cred->suid, cred->fsuid);
	seq_printf(m, "\nGid:\t%u\t%u\t%u\t%u", cred->gid, cred->egid, cred->sgid, cred->fsgid);
	seq_put_decimal_ull(m, "\nFDSize:\t", max_fds);
	seq_puts(m, "\nGroups:\t");
	for (unsigned int g = 0; g < cred->ngroups; g++)
		seq_put_decimal_ull(m, g ? " " : "", cred->groups[g]);
	seq_puts(m, " \n");
	task_ns_numbers(m, ns, task);
	if (mm) {
		task_mem(m, mm);
		seq_puts(m, "CoreDumping:\t0\n");
		seq_puts(m, "THP_enabled:\t1\n");
		mmput(mm);
	}
	seq_put_decimal_ull(m, "Threads:\t", si.num_threads);
	seq_printf(m, "\nSigQ:\t%d/%lu\n", si.sigq,
		   si.alive ? task_rlimit(task, RLIMIT_SIGPENDING) : 0UL);
	render_sigset_t(m, "SigPnd:\t", &si.pending);
	render_sigset_t(m, "ShdPnd:\t", &si.shpending);
	render_sigset_t(m, "SigBlk:\t", &si.blocked);
	render_sigset_t(m, "SigIgn:\t", &si.ignored);
	render_sigset_t(m, "SigCgt:\t", &si.caught);
	privileged = cred->euid == 0;
	seq_printf(m, "CapInh:\t%016llx\n", 0ULL);
	seq_printf(m, "CapPrm:\t%016llx\n", privileged ? CAP_FULL_SET : 0);
	seq_printf(m, "CapEff:\t%016llx\n", privileged ? CAP_FULL_SET : 0);
	seq_printf(m, "CapBnd:\t%016llx\n", CAP_FULL_SET);
	seq_printf(m, "CapAmb:\t%016llx\n", 0ULL);
	seq_puts(m, "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
	seq_puts(m, "Speculation_Store_Bypass:\tvulnerable\n");
	seq_puts(m, "SpeculationIndirectBranch:\tunknown\n");
	seq_puts(m, "Cpus_allowed:\t");
	render_cpumask(m, &task->cpus_mask);
	seq_puts(m, "\nCpus_allowed_list:\t");
	render_cpumask_list(m, &task->cpus_mask);
	/* One memory node, in a mask of Linux arm64's 16 (NODES_SHIFT 4). */
	seq_puts(m, "\nMems_allowed:\t0001\nMems_allowed_list:\t0\n");
	seq_put_decimal_ull(m, "voluntary_ctxt_switches:\t", READ_ONCE(task->nvcsw));
	seq_put_decimal_ull(m, "\nnonvoluntary_ctxt_switches:\t", READ_ONCE(task->nivcsw));
	seq_putc(m, '\n');
	return 0;
}
