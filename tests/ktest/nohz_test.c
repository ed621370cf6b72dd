// SPDX-License-Identifier: MIT
/*
 * Tickless idle (kernel/time/tick-sched.c): an idle CPU stops its tick while a busy one
 * keeps it, jiffies follow the clock when CPU 0 (their first keeper) idles, a task on an
 * idle CPU wakes from its timer, an imbalance that arises while CPUs idle tickless is
 * corrected (the busy CPU kicks one), and the idle time of a tickless CPU is counted.
 * Every test skips with "nohz=off" or on one CPU.
 */
#include <kairos/atomic.h>
#include <kairos/cpumask.h>
#include <kairos/delay.h>
#include <kairos/err.h>
#include <kairos/kernel_stat.h>
#include <kairos/ktest.h>
#include <kairos/kthread.h>
#include <kairos/printk.h>
#include <kairos/sched.h>
#include <kairos/smp.h>
#include <kairos/tick.h>
#include <kairos/time.h>

#include "ktest_kthread.h"

static bool nohz_testable(struct ktest_ctx *t)
{
	if (!tick_nohz_enabled) {
		ktest_skip(t, "nohz=off");
		return false;
	}
	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return false;
	}
	return true;
}

/* Pin the test to one CPU (not CPU 0) and return it; *saved gets the old mask back. */
static unsigned int pin_self_last(struct cpumask *saved)
{
	unsigned int me = cpumask_last(&cpu_online_mask);
	struct cpumask one;

	cpumask_copy(saved, &current->cpus_mask);
	cpumask_clear(&one);
	cpumask_set_cpu(me, &one);
	set_cpus_allowed_ptr(current, &one);
	return me;
}

/* Wait (up to 2 s: a CPU may be busy for a moment) until cpu idles with its tick off. */
static bool wait_tick_stopped(unsigned int cpu)
{
	for (int i = 0; i < 200; i++) {
		if (tick_nohz_tick_stopped_cpu(cpu))
			return true;
		msleep(10);
	}
	return false;
}

static void spin_ns(u64 ns)
{
	u64 t0 = ktime_get_ns();

	while (ktime_get_ns() - t0 < ns)
		cpu_relax();
}

/*
 * While this CPU, spinning, takes 50 ticks, the idle CPU 0 takes (nearly) none: at most a
 * tenth as many (something may wake it for a moment; it ticks only while busy). The
 * spin is counted in ticks, not time: a loaded host may hold a vCPU back for long.
 */
KTEST(nohz_idle_cpu_stops_its_tick)
{
	unsigned long idle0, busy0, idle_ticks, busy_ticks;
	struct cpumask saved;
	unsigned int me;
	u64 t0;

	if (!nohz_testable(t))
		return;
	me = pin_self_last(&saved);
	KTEST_EXPECT(t, wait_tick_stopped(0));
	idle0 = cpu_tick_count(0);
	busy0 = cpu_tick_count(me);
	t0 = ktime_get_ns();
	while (cpu_tick_count(me) - busy0 < 50 && ktime_get_ns() - t0 < 20 * NSEC_PER_SEC)
		cpu_relax();
	idle_ticks = cpu_tick_count(0) - idle0;
	busy_ticks = cpu_tick_count(me) - busy0;
	printk("ktest: %lu ticks on the busy CPU, %lu on the idle one, in %lu ms\n",
	       busy_ticks, idle_ticks, (unsigned long)((ktime_get_ns() - t0) / NSEC_PER_MSEC));
	if (busy_ticks < 50)
		ktest_fail(t, __FILE__, __LINE__, "busy CPU %u took %lu ticks", me, busy_ticks);
	if (idle_ticks * 10 > busy_ticks)
		ktest_fail(t, __FILE__, __LINE__, "idle CPU 0 took %lu ticks", idle_ticks);
	set_cpus_allowed_ptr(current, &saved);
}

/* jiffies as ktime_get_ns() counts them, within one period either way. */
static bool jiffies_match_clock(struct ktest_ctx *t)
{
	unsigned long j = jiffies;
	u64 now = ktime_get_ns();

	if (j > now / TICK_NSEC + 1)
		ktest_fail(t, __FILE__, __LINE__, "jiffies %lu ahead of the clock (%lu ns)", j,
			   (unsigned long)now);
	return j + 1 >= now / TICK_NSEC;
}

/*
 * CPU 0, the first jiffies keeper, idles tickless: while this CPU sleeps too (nobody
 * ticks), jiffies are brought up to date by the interrupt that wakes it; while it spins,
 * its tick takes over the keeping.
 */
KTEST(nohz_jiffies_follow_the_clock_while_cpu0_idles)
{
	unsigned long ticks0;
	struct cpumask saved;
	unsigned int caught_up = 0;

	if (!nohz_testable(t))
		return;
	pin_self_last(&saved);
	KTEST_EXPECT(t, wait_tick_stopped(0));
	ticks0 = cpu_tick_count(0);
	for (int i = 0; i < 20; i++) {
		u64 t0 = ktime_get_ns();

		msleep(10);
		/* The timer's interrupt counted the periods up to its time, at least, before
		 * this task ran (however long the host kept it from running since). */
		caught_up += jiffies >= (t0 + 10 * NSEC_PER_MSEC) / TICK_NSEC;
		jiffies_match_clock(t);
	}
	KTEST_EXPECT_EQ(t, caught_up, 20);

	spin_ns(20 * TICK_NSEC);
	KTEST_EXPECT(t, READ_ONCE(tick_do_timer_cpu) != 0 || !tick_nohz_tick_stopped_cpu(0));
	/* A late tick (the host took the vCPU away) catches up at the next one. */
	caught_up = 0;
	for (int i = 0; i < 50 && !caught_up; i++) {
		spin_ns(TICK_NSEC);
		caught_up = jiffies_match_clock(t);
	}
	KTEST_EXPECT(t, caught_up);
	/* CPU 0 stayed (mostly) idle all along: 60 periods and more passed. */
	if (cpu_tick_count(0) - ticks0 > 30)
		ktest_fail(t, __FILE__, __LINE__, "CPU 0 took %lu ticks",
			   cpu_tick_count(0) - ticks0);
	set_cpus_allowed_ptr(current, &saved);
}

struct sleeper {
	unsigned int cpu;
	int sleeps;
	atomic_t early, wrong_cpu, done;
	u64 late[10];
};

static int sleeper_fn(void *arg)
{
	struct sleeper *s = arg;

	for (int i = 0; i < s->sleeps; i++) {
		u64 t0 = ktime_get_ns(), slept;

		msleep(20);
		slept = ktime_get_ns() - t0;
		if (slept < 20 * NSEC_PER_MSEC)
			atomic_inc(&s->early);
		else
			s->late[i] = slept - 20 * NSEC_PER_MSEC;
		if (smp_processor_id() != s->cpu)
			atomic_inc(&s->wrong_cpu);
	}
	atomic_set_release(&s->done, 1);
	ktest_wait_for_stop();
	return 0;
}

/*
 * A task alone on a CPU sleeps 20 ms at a time: the CPU idles tickless, the task's
 * timer still wakes it (never early, and not held back to a tick that never comes:
 * the median lateness is far below the generous bound a loaded host needs).
 */
KTEST(nohz_task_on_idle_cpu_wakes_on_time)
{
	static struct sleeper s;
	struct task_struct *p;
	unsigned int cpu = 0, stopped_seen = 0;
	struct cpumask saved;
	u64 late[10];

	if (!nohz_testable(t))
		return;
	pin_self_last(&saved);
	s = (struct sleeper){ .cpu = cpu, .sleeps = 10 };
	p = kthread_create_on_cpu(sleeper_fn, &s, cpu, "ktest-sleeper/%u");
	KTEST_EXPECT(t, !IS_ERR(p));
	if (IS_ERR(p)) {
		set_cpus_allowed_ptr(current, &saved);
		return;
	}
	wake_up_process(p);
	for (int i = 0; i < 1000 && !atomic_read_acquire(&s.done); i++) {
		stopped_seen += tick_nohz_tick_stopped_cpu(cpu);
		msleep(3);
	}
	KTEST_EXPECT(t, atomic_read_acquire(&s.done));
	kthread_stop(p);
	set_cpus_allowed_ptr(current, &saved);
	KTEST_EXPECT(t, stopped_seen > 0);
	KTEST_EXPECT_EQ(t, atomic_read(&s.early), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&s.wrong_cpu), 0);
	for (int i = 0; i < 10; i++) {
		int j = i;

		for (; j > 0 && late[j - 1] > s.late[i]; j--)
			late[j] = late[j - 1];
		late[j] = s.late[i];
	}
	printk("ktest: sleeps on a tickless CPU: median %lu us late, max %lu us\n",
	       (unsigned long)(late[5] / NSEC_PER_USEC), (unsigned long)(late[9] / NSEC_PER_USEC));
	if (late[5] > 50 * NSEC_PER_MSEC)
		ktest_fail(t, __FILE__, __LINE__, "median sleep %lu us late",
			   (unsigned long)(late[5] / NSEC_PER_USEC));
}

struct hog {
	atomic_t *stop;
};

static int hog_fn(void *arg)
{
	struct hog *h = arg;

	while (!atomic_read_acquire(h->stop))
		cpu_relax();
	return 0;
}

/*
 * Two hogs on this CPU, the other CPUs idle tickless, then the hogs may go anywhere:
 * no idle CPU balances at a tick and none goes newly idle, so only the busy CPU's kick
 * (nohz idle balance) can move one. It must, within a few seconds.
 */
KTEST(nohz_kick_balances_from_busy_to_tickless_cpu)
{
	static atomic_t stop;
	static struct hog h = { .stop = &stop };
	struct task_struct *hogs[2];
	struct cpumask saved, one;
	unsigned int me, other;
	bool spread = false;
	u64 t0;

	if (!nohz_testable(t))
		return;
	me = pin_self_last(&saved);
	other = cpumask_first(&cpu_online_mask);
	cpumask_clear(&one);
	cpumask_set_cpu(me, &one);
	atomic_set(&stop, 0);
	for (int i = 0; i < 2; i++) {
		hogs[i] = kthread_create(hog_fn, &h, "ktest-hog%d", i);
		KTEST_EXPECT(t, !IS_ERR(hogs[i]));
		if (IS_ERR(hogs[i]))
			return;
		get_task_struct(hogs[i]);
		KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(hogs[i], &one), 0);
		wake_up_process(hogs[i]);
	}
	KTEST_EXPECT(t, wait_tick_stopped(other));
	for (int i = 0; i < 2; i++)
		KTEST_EXPECT_EQ(t, set_cpus_allowed_ptr(hogs[i], &cpu_online_mask), 0);
	t0 = ktime_get_ns();
	while (!spread && ktime_get_ns() - t0 < 5 * NSEC_PER_SEC) {
		msleep(10);
		spread = task_cpu(hogs[0]) != task_cpu(hogs[1]);
	}
	printk("ktest: hogs spread from a busy CPU to a tickless one in %lu ms\n",
	       (unsigned long)((ktime_get_ns() - t0) / NSEC_PER_MSEC));
	KTEST_EXPECT(t, spread);
	atomic_set_release(&stop, 1);
	for (int i = 0; i < 2; i++) {
		kthread_stop(hogs[i]);
		put_task_struct(hogs[i]);
	}
	set_cpus_allowed_ptr(current, &saved);
}

static u64 cpu_busy_time(unsigned int cpu)
{
	const u64 *c = kcpustat_cpu(cpu)->cpustat;

	return READ_ONCE(c[CPUTIME_USER]) + READ_ONCE(c[CPUTIME_NICE]) +
	       READ_ONCE(c[CPUTIME_SYSTEM]) + READ_ONCE(c[CPUTIME_IRQ]) +
	       READ_ONCE(c[CPUTIME_SOFTIRQ]);
}

/*
 * A CPU idle tickless through a sleep of this task has its idle time grow by the time
 * that passed, within a tick period at either end, though it took no tick to count it
 * (what /proc/stat and /proc/uptime show); its busy columns stand still. Idle time never
 * goes back, and no CPU's columns sum to more than the time that passed.
 */
KTEST(nohz_idle_time_adds_up)
{
	unsigned int cpu = 0, ncpus = num_online_cpus(), ok = 0;
	u64 idle0, busy0, total0 = 0, total1 = 0, t0, t1, idle1, busy1;
	unsigned long ticks0;
	struct cpumask saved;

	if (!nohz_testable(t))
		return;
	pin_self_last(&saved);
	/* The clock is read before the first sums and after the last: the widest span. */
	t0 = ktime_get_ns();
	for_each_online_cpu(cpu)
		total0 += get_idle_time(cpu) + cpu_busy_time(cpu);
	cpu = 0;
	/* Retried if something woke the CPU meanwhile (it then ticked, or is busy). */
	for (int tries = 0; tries < 5 && !ok; tries++) {
		u64 s0, s1, e0, e1;

		if (!wait_tick_stopped(cpu))
			continue;
		ticks0 = cpu_tick_count(cpu);
		busy0 = cpu_busy_time(cpu);
		/* Each reading is bracketed by the clock: a stall of this vCPU between a
		 * reading and its timestamp widens the bracket instead of failing the test. */
		s0 = ktime_get_ns();
		idle0 = get_idle_time(cpu);
		s1 = ktime_get_ns();
		msleep(200);
		e0 = ktime_get_ns();
		idle1 = get_idle_time(cpu);
		e1 = ktime_get_ns();
		busy1 = cpu_busy_time(cpu);
		KTEST_EXPECT(t, idle1 >= idle0);
		if (cpu_tick_count(cpu) != ticks0 || !tick_nohz_tick_stopped_cpu(cpu))
			continue;
		ok = 1;
		KTEST_EXPECT_EQ(t, busy1, busy0);
		if (idle1 - idle0 + TICK_NSEC < e0 - s1 || idle1 - idle0 > e1 - s0 + TICK_NSEC)
			ktest_fail(t, __FILE__, __LINE__, "%lu us idle in %lu-%lu us",
				   (unsigned long)((idle1 - idle0) / NSEC_PER_USEC),
				   (unsigned long)((e0 - s1) / NSEC_PER_USEC),
				   (unsigned long)((e1 - s0) / NSEC_PER_USEC));
	}
	if (!ok)
		ktest_skip(t, "CPU 0 never stayed idle through a sleep");
	for_each_online_cpu(cpu)
		total1 += get_idle_time(cpu) + cpu_busy_time(cpu);
	t1 = ktime_get_ns();
	/* Each CPU may count the period it is in: at most one period ahead each. */
	if (total1 - total0 > (t1 - t0) * ncpus + 2 * ncpus * TICK_NSEC)
		ktest_fail(t, __FILE__, __LINE__, "%lu us counted in %lu us on %u CPUs",
			   (unsigned long)((total1 - total0) / NSEC_PER_USEC),
			   (unsigned long)((t1 - t0) / NSEC_PER_USEC), ncpus);
	set_cpus_allowed_ptr(current, &saved);
}

/*
 * Booted with "nohz=off" (make test's smp2-nohz-off suite): every CPU keeps its tick,
 * idle or not, as before tickless idle.
 */
KTEST_EXPLICIT(nohz_off_every_cpu_ticks)
{
	unsigned long before[NR_CPUS];
	unsigned int cpu;

	KTEST_EXPECT(t, !tick_nohz_enabled);
	for_each_online_cpu(cpu)
		before[cpu] = cpu_tick_count(cpu);
	msleep(50 * TICK_NSEC / NSEC_PER_MSEC);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT(t, !tick_nohz_tick_stopped_cpu(cpu));
		if (cpu_tick_count(cpu) == before[cpu])
			ktest_fail(t, __FILE__, __LINE__, "CPU %u took no tick", cpu);
	}
}
