// SPDX-License-Identifier: MIT
/*
 * The small system calls through their entries: uname and the host and domain names,
 * getrandom, sysinfo, getcpu, personality, reboot's checks (never its effect), resource
 * limits, and the scheduler's calls with Linux's argument and permission errors.
 */
#include <kairos/ktest.h>
#include <kairos/random.h>
#include <kairos/resource.h>
#include <kairos/smp.h>
#include <uapi/utsname.h>

#include "fake_process.h"
#include "ksyscall.h"
#include "user_mm.h"

#define RW	(PROT_READ | PROT_WRITE)
#define P	PAGE_SIZE

/* Run as an unprivileged user for a moment. */
static void become_user(uid_t id)
{
	current->cred.uid = current->cred.euid = current->cred.suid = id;
	current->cred.gid = current->cred.egid = current->cred.sgid = id;
}

KTEST(misc_uname_and_hostname)
{
	struct mm_struct *mm = enter_new_mm();
	struct new_utsname u;
	struct cred saved = current->cred;
	unsigned long a;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, P, RW, 0);
	KTEST_EXPECT_EQ(t, SYS(uname, a), 0);
	copy_from_user(&u, uptr(a), sizeof(u));
	KTEST_EXPECT(t, !strcmp(u.sysname, "Linux") && !strcmp(u.machine, "aarch64"));
	KTEST_EXPECT(t, !strcmp(u.nodename, "(none)") && !strcmp(u.domainname, "(none)"));
	/* glibc wants a release of at least 3.7 on arm64. */
	KTEST_EXPECT(t, u.release[0] >= '4' && u.release[0] <= '9' && u.release[1] == '.');
	KTEST_EXPECT_EQ(t, SYS(uname, 0x10), -EFAULT);

	copy_to_user(uptr(a + 1024), "kairos-test-host", 16);
	KTEST_EXPECT_EQ(t, SYS(sethostname, a + 1024, 6), 0);
	SYS(uname, a);
	copy_from_user(&u, uptr(a), sizeof(u));
	KTEST_EXPECT(t, !strcmp(u.nodename, "kairos"));
	KTEST_EXPECT_EQ(t, SYS(setdomainname, a + 1024, 16), 0);
	SYS(uname, a);
	copy_from_user(&u, uptr(a), sizeof(u));
	KTEST_EXPECT(t, !strcmp(u.domainname, "kairos-test-host"));
	KTEST_EXPECT_EQ(t, SYS(sethostname, a + 1024, __NEW_UTS_LEN + 1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(sethostname, a + 1024, -1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(sethostname, 0x10, 5), -EFAULT);
	/* All 64 bytes, no room for a NUL: fine. */
	KTEST_EXPECT_EQ(t, SYS(sethostname, a + 1024, __NEW_UTS_LEN), 0);
	become_user(1000);
	KTEST_EXPECT_EQ(t, SYS(sethostname, a + 1024, 4), -EPERM);
	KTEST_EXPECT_EQ(t, SYS(setdomainname, a + 1024, 4), -EPERM);
	current->cred = saved;
	copy_to_user(uptr(a + 1024), "(none)", 6);
	KTEST_EXPECT_EQ(t, SYS(sethostname, a + 1024, 6), 0);
	KTEST_EXPECT_EQ(t, SYS(setdomainname, a + 1024, 6), 0);
	SYS(uname, a);
	copy_from_user(&u, uptr(a), sizeof(u));
	KTEST_EXPECT(t, !strcmp(u.nodename, "(none)") && !strcmp(u.domainname, "(none)"));
	leave_mm(mm);
}

static bool all_zero(const u8 *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

KTEST(misc_getrandom)
{
	static u8 b1[3000], b2[3000];
	struct mm_struct *mm = enter_new_mm();
	unsigned long a;
	u64 k1 = 0, k2 = 0;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, 2 * P, RW, 0);
	KTEST_EXPECT_EQ(t, SYS(getrandom, a, sizeof(b1), 0), sizeof(b1));
	KTEST_EXPECT_EQ(t, SYS(getrandom, a + P, sizeof(b2), 0x1 | 0x2), sizeof(b2));
	copy_from_user(b1, uptr(a), sizeof(b1));
	copy_from_user(b2, uptr(a + P), sizeof(b2));
	KTEST_EXPECT(t, !all_zero(b1, sizeof(b1)) && memcmp(b1, b2, sizeof(b1)));
	KTEST_EXPECT_EQ(t, SYS(getrandom, a, 0, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(getrandom, a, 16, 0x4), 16);	/* GRND_INSECURE */
	KTEST_EXPECT_EQ(t, SYS(getrandom, a, 16, 0x8), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(getrandom, a, 16, 0x4 | 0x2), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(getrandom, 0x10, 16, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, SYS(getrandom, 0xffff000000000000UL, 16, 0), -EFAULT);
	/* Up to the end of the mapping: a short count, as Linux gives. */
	KTEST_EXPECT_EQ(t, SYS(getrandom, a + 2 * P - 100, 1000, 0), 100);

	get_random_bytes(&k1, sizeof(k1));
	get_random_bytes(&k2, sizeof(k2));
	KTEST_EXPECT(t, k1 != k2);
	leave_mm(mm);
}

struct ksysinfo {
	long uptime;
	unsigned long loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	u16 procs, pad;
	unsigned long totalhigh, freehigh;
	u32 mem_unit;
};

KTEST(misc_sysinfo_getcpu_personality)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned int old = current->personality, cpu = ~0U, node = ~0U;
	struct ksysinfo si;
	unsigned long a;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, P, RW, 0);
	KTEST_EXPECT_EQ(t, SYS(sysinfo, a), 0);
	copy_from_user(&si, uptr(a), sizeof(si));
	KTEST_EXPECT_EQ(t, si.mem_unit, 1);
	KTEST_EXPECT_EQ(t, si.totalram, totalram_pages() * PAGE_SIZE);
	KTEST_EXPECT(t, si.freeram > 0 && si.freeram < si.totalram);
	KTEST_EXPECT(t, si.uptime >= 1 && si.procs >= 3 && !si.totalswap);
	KTEST_EXPECT_EQ(t, SYS(sysinfo, 0x10), -EFAULT);

	KTEST_EXPECT_EQ(t, SYS(getcpu, a, a + 4, 0), 0);
	get_user(cpu, (unsigned int __user *)uptr(a));
	get_user(node, (unsigned int __user *)uptr(a + 4));
	KTEST_EXPECT(t, cpu < nr_cpu_ids && node == 0);
	KTEST_EXPECT_EQ(t, SYS(getcpu, 0, 0, 0), 0);
	KTEST_EXPECT_EQ(t, SYS(getcpu, 0x10, a, 0), -EFAULT);

	KTEST_EXPECT_EQ(t, SYS(personality, 0xffffffffUL), old);
	KTEST_EXPECT_EQ(t, SYS(personality, 0x0040000), old);
	KTEST_EXPECT_EQ(t, SYS(personality, 0xffffffffUL), 0x0040000);
	KTEST_EXPECT_EQ(t, SYS(personality, old), 0x0040000);
	leave_mm(mm);
}

KTEST(misc_reboot_checks)
{
	struct cred saved = current->cred;

	/* Wrong magic numbers, unknown commands: nothing happens. */
	KTEST_EXPECT_EQ(t, SYS(reboot, 0xfee1deadUL, 1, 0x4321FEDC, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(reboot, 0xfee1deaeUL, 672274793, 0x4321FEDC, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(reboot, 0xfee1deadUL, 672274793, 0x12345678, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(reboot, 0xfee1deadUL, 85072278, 0x89ABCDEF, 0), 0);	/* CAD on */
	KTEST_EXPECT_EQ(t, SYS(reboot, 0xfee1deadUL, 369367448, 0, 0), 0);		/* CAD off */
	KTEST_EXPECT_EQ(t, SYS(reboot, 0xfee1deadUL, 537993216, 0x89ABCDEF, 0), 0);
	become_user(1000);
	KTEST_EXPECT_EQ(t, SYS(reboot, 0xfee1deadUL, 672274793, 0x4321FEDC, 0), -EPERM);
	current->cred = saved;
}

static void get_rl(unsigned long a, unsigned long *cur, unsigned long *max)
{
	get_user(*cur, (unsigned long __user *)uptr(a));
	get_user(*max, (unsigned long __user *)uptr(a + 8));
}

static void set_rl(unsigned long a, unsigned long cur, unsigned long max)
{
	put_user(cur, (unsigned long __user *)uptr(a));
	put_user(max, (unsigned long __user *)uptr(a + 8));
}

KTEST(misc_rlimits)
{
	struct mm_struct *mm = enter_new_mm();
	struct cred saved = current->cred;
	struct fake_process fp;
	unsigned long a, cur, max;

	if (!mm)
		return ktest_skip(t, "no memory");
	if (!fake_process_enter(&fp)) {
		leave_mm(mm);
		return ktest_skip(t, "no memory");
	}
	a = umap(0, P, RW, 0);
	/* What the group holds (fake_process.h starts it with Linux's defaults). */
	KTEST_EXPECT_EQ(t, SYS(getrlimit, RLIMIT_NOFILE, a), 0);
	get_rl(a, &cur, &max);
	KTEST_EXPECT(t, cur == 1024 && max == 4096);
	SYS(getrlimit, RLIMIT_STACK, a);
	get_rl(a, &cur, &max);
	KTEST_EXPECT(t, cur == 8UL << 20 && max == RLIM_INFINITY);
	SYS(getrlimit, RLIMIT_CORE, a);
	get_rl(a, &cur, &max);
	KTEST_EXPECT(t, cur == 0 && max == RLIM_INFINITY);
	KTEST_EXPECT_EQ(t, SYS(getrlimit, RLIM_NLIMITS, a), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(getrlimit, RLIMIT_NOFILE, 0x10), -EFAULT);

	/* Soft above hard, past NR_OPEN, a bad pointer. */
	set_rl(a, 200, 100);
	KTEST_EXPECT_EQ(t, SYS(setrlimit, RLIMIT_NOFILE, a), -EINVAL);
	set_rl(a, 100, (1UL << 20) + 1);
	KTEST_EXPECT_EQ(t, SYS(setrlimit, RLIMIT_NOFILE, a), -EPERM);
	KTEST_EXPECT_EQ(t, SYS(setrlimit, RLIMIT_NOFILE, 0x10), -EFAULT);
	set_rl(a, 10, 20);
	KTEST_EXPECT_EQ(t, SYS(setrlimit, RLIM_NLIMITS + 5, a), -EINVAL);
	/* Lowering is for anyone; raising the hard limit again only for privilege. */
	become_user(1000);
	set_rl(a, 512, 2048);
	KTEST_EXPECT_EQ(t, SYS(setrlimit, RLIMIT_NOFILE, a), 0);
	set_rl(a, 512, 4096);
	KTEST_EXPECT_EQ(t, SYS(setrlimit, RLIMIT_NOFILE, a), -EPERM);
	set_rl(a, 2048, 2048);
	KTEST_EXPECT_EQ(t, SYS(setrlimit, RLIMIT_NOFILE, a), 0);
	current->cred = saved;
	set_rl(a, 1024, 4096);
	KTEST_EXPECT_EQ(t, SYS(setrlimit, RLIMIT_NOFILE, a), 0);

	/* prlimit64: new and old at once; another PID that does not exist. */
	set_rl(a, 100, 200);
	KTEST_EXPECT_EQ(t, SYS(prlimit64, 0, RLIMIT_NOFILE, a, a + 16), 0);
	get_rl(a + 16, &cur, &max);
	KTEST_EXPECT(t, cur == 1024 && max == 4096);
	KTEST_EXPECT_EQ(t, SYS(prlimit64, current->pid, RLIMIT_NOFILE, 0, a + 16), 0);
	get_rl(a + 16, &cur, &max);
	KTEST_EXPECT(t, cur == 100 && max == 200);
	KTEST_EXPECT_EQ(t, SYS(prlimit64, 0x7ffffff0, RLIMIT_NOFILE, 0, a + 16), -ESRCH);
	KTEST_EXPECT_EQ(t, SYS(prlimit64, 0, RLIMIT_NOFILE, 0x10, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, SYS(prlimit64, 0, RLIM_NLIMITS, 0, a + 16), -EINVAL);
	KTEST_EXPECT_EQ(t, rlimit(RLIMIT_NOFILE), 100);
	fake_process_leave(&fp);
	leave_mm(mm);
}

KTEST(misc_sched_syscalls)
{
	struct mm_struct *mm = enter_new_mm();
	struct cred saved = current->cred;
	struct fake_process fp;
	int nice = task_nice(current), prio;
	unsigned long a, mask = 0;
	long long slice;
	u32 size;

	if (!mm)
		return ktest_skip(t, "no memory");
	if (!fake_process_enter(&fp)) {
		leave_mm(mm);
		return ktest_skip(t, "no memory");
	}
	a = umap(0, P, RW, 0);
	KTEST_EXPECT_EQ(t, SYS(sched_yield), 0);
	KTEST_EXPECT_EQ(t, SYS(sched_get_priority_max, SCHED_FIFO), 99);
	KTEST_EXPECT_EQ(t, SYS(sched_get_priority_min, SCHED_RR), 1);
	KTEST_EXPECT_EQ(t, SYS(sched_get_priority_max, SCHED_BATCH), 0);
	KTEST_EXPECT_EQ(t, SYS(sched_get_priority_min, SCHED_DEADLINE), 0);
	KTEST_EXPECT_EQ(t, SYS(sched_get_priority_max, 4), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(sched_getscheduler, 0), SCHED_NORMAL);
	KTEST_EXPECT_EQ(t, SYS(sched_getscheduler, -1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(sched_getscheduler, 0x7ffffff0), -ESRCH);

	/* Validation comes before permission: a bad priority is -EINVAL for anyone. */
	put_user(0, (int __user *)uptr(a));
	KTEST_EXPECT_EQ(t, SYS(sched_setscheduler, 0, SCHED_FIFO, a), -EINVAL);
	put_user(100, (int __user *)uptr(a));
	KTEST_EXPECT_EQ(t, SYS(sched_setscheduler, 0, SCHED_FIFO, a), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(sched_setscheduler, 0, SCHED_FIFO, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(sched_setscheduler, 0, -1, a), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(sched_setscheduler, 0, SCHED_FIFO, 0x10), -EFAULT);
	put_user(10, (int __user *)uptr(a));
	become_user(1000);
	KTEST_EXPECT_EQ(t, SYS(sched_setscheduler, 0, SCHED_FIFO, a), -EPERM);	/* RLIMIT_RTPRIO 0 */
	current->cred = saved;
	KTEST_EXPECT_EQ(t, SYS(sched_setscheduler, 0, SCHED_FIFO | SCHED_RESET_ON_FORK, a), 0);
	KTEST_EXPECT_EQ(t, SYS(sched_getscheduler, 0), SCHED_FIFO | SCHED_RESET_ON_FORK);
	put_user(20, (int __user *)uptr(a));
	KTEST_EXPECT_EQ(t, SYS(sched_setparam, 0, a), 0);		/* policy and flag kept */
	KTEST_EXPECT_EQ(t, SYS(sched_getscheduler, 0), SCHED_FIFO | SCHED_RESET_ON_FORK);
	put_user(0, (int __user *)uptr(a));
	KTEST_EXPECT_EQ(t, SYS(sched_getparam, 0, a), 0);
	get_user(prio, (int __user *)uptr(a));
	KTEST_EXPECT_EQ(t, prio, 20);
	KTEST_EXPECT_EQ(t, SYS(sched_rr_get_interval, 0, a + 64), 0);
	get_user(slice, (long long __user *)uptr(a + 72));
	KTEST_EXPECT_EQ(t, slice, 0);					/* FIFO: none */
	KTEST_EXPECT_EQ(t, SYS(sched_setscheduler, 0, SCHED_RR, a), 0);
	KTEST_EXPECT_EQ(t, SYS(sched_rr_get_interval, 0, a + 64), 0);
	get_user(slice, (long long __user *)uptr(a + 72));
	KTEST_EXPECT(t, slice > 0 && slice % TICK_NSEC == 0);
	KTEST_EXPECT_EQ(t, SYS(sched_rr_get_interval, -1, a + 64), -EINVAL);
	KTEST_EXPECT(t, SYS(sched_getscheduler, 0) == SCHED_RR);
	put_user(0, (int __user *)uptr(a));
	KTEST_EXPECT_EQ(t, SYS(sched_setscheduler, 0, SCHED_NORMAL, a), 0);
	KTEST_EXPECT_EQ(t, SYS(sched_getparam, 0, a), 0);
	get_user(prio, (int __user *)uptr(a));
	KTEST_EXPECT_EQ(t, prio, 0);
	KTEST_EXPECT_EQ(t, SYS(sched_getparam, 0, 0), -EINVAL);

	/* sched_getattr / sched_setattr: sizes, E2BIG, a nice value through the new call. */
	KTEST_EXPECT_EQ(t, SYS(sched_getattr, 0, a, 40, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(sched_getattr, 0, a, 48, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(sched_getattr, 0, a, 48, 0), 0);
	get_user(size, (u32 __user *)uptr(a));
	KTEST_EXPECT_EQ(t, size, 48);
	clear_user(uptr(a), 128);
	put_user(5, (s32 __user *)uptr(a + 16));			/* sched_nice */
	KTEST_EXPECT_EQ(t, SYS(sched_setattr, 0, a, 0), 0);		/* size 0: VER0 */
	KTEST_EXPECT_EQ(t, task_nice(current), 5);
	put_user(100U, (u32 __user *)uptr(a));
	put_user(1, (u8 __user *)uptr(a + 99));
	KTEST_EXPECT_EQ(t, SYS(sched_setattr, 0, a, 0), -E2BIG);
	get_user(size, (u32 __user *)uptr(a));
	KTEST_EXPECT_EQ(t, size, 56);
	put_user(1, (u32 __user *)uptr(a + 4));				/* FIFO, priority 0 */
	put_user(0U, (u32 __user *)uptr(a));
	KTEST_EXPECT_EQ(t, SYS(sched_setattr, 0, a, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(sched_setattr, 0, a, 1), -EINVAL);

	/* Nice: getpriority's 20 - nice, lowering needs privilege (-EACCES), which/who. */
	KTEST_EXPECT_EQ(t, SYS(getpriority, PRIO_PROCESS, 0), 15);
	KTEST_EXPECT_EQ(t, SYS(setpriority, PRIO_PROCESS, 0, 10), 0);
	KTEST_EXPECT_EQ(t, SYS(getpriority, PRIO_PROCESS, current->pid), 10);
	KTEST_EXPECT_EQ(t, SYS(setpriority, PRIO_PROCESS, 0, 100), 0);		/* clamped */
	KTEST_EXPECT_EQ(t, task_nice(current), MAX_NICE);
	become_user(1000);
	KTEST_EXPECT_EQ(t, SYS(setpriority, PRIO_PROCESS, 2, 0), -EPERM);	/* kthreadd's */
	KTEST_EXPECT_EQ(t, SYS(setpriority, PRIO_PROCESS, 0, 0), -EACCES);	/* ours, lower */
	current->cred = saved;
	KTEST_EXPECT_EQ(t, SYS(setpriority, 3, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(getpriority, -1, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(getpriority, PRIO_PROCESS, 0x7ffffff0), -ESRCH);
	KTEST_EXPECT_EQ(t, SYS(setpriority, PRIO_PROCESS, 0, nice), 0);

	/* Affinity: sizes, an empty mask, a move to one CPU and back. */
	KTEST_EXPECT_EQ(t, SYS(sched_getaffinity, 0, 4, a), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(sched_getaffinity, 0, 12, a), -EINVAL);
	KTEST_EXPECT_EQ(t, SYS(sched_getaffinity, 0, 128, a), (long)sizeof(struct cpumask));
	get_user(mask, (unsigned long __user *)uptr(a));
	KTEST_EXPECT_EQ(t, mask, cpu_online_mask.bits[0]);
	KTEST_EXPECT_EQ(t, SYS(sched_getaffinity, 0, 8, 0x10), -EFAULT);
	put_user(0UL, (unsigned long __user *)uptr(a));
	KTEST_EXPECT_EQ(t, SYS(sched_setaffinity, 0, 8, a), -EINVAL);
	put_user(1UL, (unsigned long __user *)uptr(a));
	KTEST_EXPECT_EQ(t, SYS(sched_setaffinity, 0, 8, a), 0);
	KTEST_EXPECT_EQ(t, smp_processor_id(), 0);
	KTEST_EXPECT_EQ(t, SYS(sched_setaffinity, 0, 8, 0x10), -EFAULT);
	KTEST_EXPECT_EQ(t, SYS(sched_setaffinity, 0x7ffffff0, 8, a), -ESRCH);
	put_user(cpu_possible_mask.bits[0], (unsigned long __user *)uptr(a));
	KTEST_EXPECT_EQ(t, SYS(sched_setaffinity, 0, 8, a), 0);
	fake_process_leave(&fp);
	leave_mm(mm);
}

KTEST(misc_capabilities)
{
	struct mm_struct *mm = enter_new_mm();
	struct cred saved = current->cred;
	u32 v[8];
	unsigned long a;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, P, RW, 0);
	/* An unknown version: the kernel's is written back; with no data that is no error. */
	put_user(0x12345678U, (u32 __user *)uptr(a));
	put_user(0, (int __user *)uptr(a + 4));
	KTEST_EXPECT_EQ(t, SYS(capget, a, a + 64), -EINVAL);
	get_user(v[0], (u32 __user *)uptr(a));
	KTEST_EXPECT_EQ(t, v[0], 0x20080522);
	put_user(0x12345678U, (u32 __user *)uptr(a));
	KTEST_EXPECT_EQ(t, SYS(capget, a, 0), 0);
	/* Root: everything permitted and effective, nothing inheritable. */
	KTEST_EXPECT_EQ(t, SYS(capget, a, a + 64), 0);
	copy_from_user(v, uptr(a + 64), 6 * sizeof(u32));
	KTEST_EXPECT(t, v[0] == 0xffffffff && v[1] == 0xffffffff && v[2] == 0);
	KTEST_EXPECT(t, v[3] == 0x1ff && v[4] == 0x1ff && v[5] == 0);
	KTEST_EXPECT_EQ(t, SYS(capset, a, a + 64), 0);		/* no change: fine */
	put_user(0U, (u32 __user *)uptr(a + 64));
	KTEST_EXPECT_EQ(t, SYS(capset, a, a + 64), -EPERM);	/* dropping: not possible */
	put_user(-1, (int __user *)uptr(a + 4));
	KTEST_EXPECT_EQ(t, SYS(capget, a, a + 64), -EINVAL);
	put_user(0x7ffffff0, (int __user *)uptr(a + 4));
	KTEST_EXPECT_EQ(t, SYS(capget, a, a + 64), -ESRCH);
	KTEST_EXPECT_EQ(t, SYS(capset, a, a + 64), -EPERM);
	put_user(0, (int __user *)uptr(a + 4));
	current->cred.euid = 1000;
	KTEST_EXPECT_EQ(t, SYS(capget, a, a + 64), 0);
	copy_from_user(v, uptr(a + 64), 6 * sizeof(u32));
	KTEST_EXPECT(t, !v[0] && !v[1] && !v[3] && !v[4]);
	current->cred = saved;
	KTEST_EXPECT_EQ(t, SYS(capget, 0x10, a + 64), -EFAULT);
	leave_mm(mm);
}
