// SPDX-License-Identifier: MIT
/*
 * Small system calls about the system and the caller: sysinfo, getcpu, personality,
 * getrusage.
 */
#include <kairos/cputime.h>
#include <kairos/loadavg.h>
#include <kairos/mm.h>
#include <kairos/mm_types.h>
#include <kairos/resource.h>
#include <kairos/sched.h>
#include <kairos/smp.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/time.h>
#include <kairos/uaccess.h>

struct sysinfo {
	long uptime;			/* s since boot */
	unsigned long loads[3];		/* 1, 5 and 15 min load averages << 16 */
	unsigned long totalram;		/* in mem_unit */
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	u16 procs;			/* tasks (threads) */
	u16 pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	u32 mem_unit;
	char _f[20 - 2 * sizeof(unsigned long) - sizeof(u32)];
};

/*
 * Memory in bytes (mem_unit 1), as 64-bit Linux reports it. There is no swap, no
 * high memory, and no page cache beyond the files themselves.
 */
SYSCALL_DEFINE1(sysinfo, struct sysinfo __user *, info)
{
	struct sysinfo val;
	u64 up = ktime_get_ns();
	unsigned long flags;

	memset(&val, 0, sizeof(val));
	val.uptime = up / NSEC_PER_SEC + (up % NSEC_PER_SEC ? 1 : 0);
	get_avenrun(val.loads, 0, SI_LOAD_SHIFT - FSHIFT);
	spin_lock_irqsave(&tasklist_lock, flags);
	val.procs = nr_threads;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	val.totalram = totalram_pages() * PAGE_SIZE;
	val.freeram = nr_free_pages() * PAGE_SIZE;
	val.mem_unit = 1;
	return copy_to_user(info, &val, sizeof(val)) ? -EFAULT : 0;
}

/* One NUMA node. Both are written even if the first fails, as in Linux. */
SYSCALL_DEFINE3(getcpu, unsigned __user *, cpup, unsigned __user *, nodep, void __user *, unused)
{
	unsigned int cpu = smp_processor_id();	/* may be stale at once: fine */
	int err = 0;

	if (cpup)
		err |= put_user(cpu, cpup);
	if (nodep)
		err |= put_user(0U, nodep);
	return err ? -EFAULT : 0;
}

/* 0xffffffff only asks; any other value is taken as is, as Linux does. */
SYSCALL_DEFINE1(personality, unsigned int, personality)
{
	unsigned int old = current->personality;

	if (personality != 0xffffffff)
		current->personality = personality;
	return old;
}

static struct __kernel_timeval ns_to_timeval(u64 ns)
{
	return (struct __kernel_timeval){ ns / NSEC_PER_SEC, ns % NSEC_PER_SEC / NSEC_PER_USEC };
}

/*
 * What the fields Kairos counts hold: CPU times, context switches, page faults and the
 * resident-set peak (ru_maxrss, KiB: Linux's mix of the process's and its reaped
 * children's, as below). Block I/O is not counted and stays 0.
 */
void getrusage(struct task_struct *p, int who, struct rusage *r)
{
	struct signal_struct *sig = p->signal;
	struct task_cputime ct;
	u64 utime = 0, stime = 0;
	struct task_struct *t;
	unsigned long flags, maxrss = 0;
	struct mm_struct *mm;

	memset(r, 0, sizeof(*r));
	if (who == RUSAGE_THREAD) {
		task_cputime_adjusted(p, &ct);
		utime = ct.utime;
		stime = ct.stime;
		r->ru_nvcsw = p->nvcsw;
		r->ru_nivcsw = p->nivcsw;
		r->ru_minflt = p->min_flt;
		r->ru_majflt = p->maj_flt;
		maxrss = READ_ONCE(sig->maxrss);
		goto out;
	}
	spin_lock_irqsave(&p->sighand->siglock, flags);
	if (who == RUSAGE_CHILDREN || who == RUSAGE_BOTH) {
		utime = sig->cutime;
		stime = sig->cstime;
		r->ru_nvcsw = sig->cnvcsw;
		r->ru_nivcsw = sig->cnivcsw;
		r->ru_minflt = sig->cmin_flt;
		r->ru_majflt = sig->cmaj_flt;
		maxrss = sig->cmaxrss;
	}
	if (who == RUSAGE_SELF || who == RUSAGE_BOTH) {
		thread_group_cputime_adjusted(p, &ct);
		utime += ct.utime;
		stime += ct.stime;
		r->ru_nvcsw += sig->nvcsw;
		r->ru_nivcsw += sig->nivcsw;
		r->ru_minflt += sig->min_flt;
		r->ru_majflt += sig->maj_flt;
		maxrss = max(maxrss, sig->maxrss);
		list_for_each_entry(t, &sig->thread_head, thread_node) {
			r->ru_nvcsw += t->nvcsw;
			r->ru_nivcsw += t->nivcsw;
			r->ru_minflt += t->min_flt;
			r->ru_majflt += t->maj_flt;
		}
	}
	spin_unlock_irqrestore(&p->sighand->siglock, flags);
out:
	r->ru_utime = ns_to_timeval(utime);
	r->ru_stime = ns_to_timeval(stime);
	/* A live process's own mm: its peak so far (a zombie's is in maxrss already). */
	if (who != RUSAGE_CHILDREN) {
		mm = get_task_mm(p);
		if (mm) {
			setmax_mm_hiwater_rss(&maxrss, mm);
			mmput(mm);
		}
	}
	r->ru_maxrss = maxrss * (PAGE_SIZE / 1024);
}

SYSCALL_DEFINE2(getrusage, int, who, struct rusage __user *, ru)
{
	struct rusage r;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	getrusage(current, who, &r);
	return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}
