// SPDX-License-Identifier: MIT
/*
 * The tick's CPU-time accounting (kernel/sched/cputime.c): every tick goes to exactly one
 * kernel_cpustat column of its CPU, and a task busy in the kernel is charged system time,
 * never user time. CPU time for user programs is tested from user space
 * (user/tests/rusage.c, sched_behaviour.c).
 */
#include <asm/irqflags.h>
#include <kairos/cputime.h>
#include <kairos/delay.h>
#include <kairos/kernel_stat.h>
#include <kairos/ktest.h>
#include <kairos/preempt.h>
#include <kairos/sched.h>
#include <kairos/smp.h>
#include <kairos/time.h>

struct snap {
	u64 stat[NR_STATS];
	u64 total;
	unsigned long ticks;
	u64 utime, stime;
};

/* This CPU's counters and ticks, and current's times, at one instant (IRQs off). */
static void take(unsigned int cpu, struct snap *s)
{
	unsigned long flags;

	local_irq_save(flags);
	s->total = 0;
	for (int i = 0; i < NR_STATS; i++) {
		s->stat[i] = READ_ONCE(kcpustat_cpu(cpu)->cpustat[i]);
		s->total += s->stat[i];
	}
	s->ticks = cpu_tick_count(cpu);
	s->utime = current->utime;
	s->stime = current->stime;
	local_irq_restore(flags);
}

KTEST(cputime_kernel_busy_is_system_time)
{
	struct snap a, b;
	unsigned int cpu;
	u64 kernel;

	preempt_disable();
	cpu = smp_processor_id();
	take(cpu, &a);
	mdelay(100);
	take(cpu, &b);
	preempt_enable();

	KTEST_EXPECT(t, b.ticks - a.ticks >= 5);
	/* One tick, one charge. */
	KTEST_EXPECT_EQ(t, b.total - a.total, (u64)(b.ticks - a.ticks) * TICK_NSEC);
	/* All of it kernel work (a tick may land in the softirqs of the one before). */
	kernel = b.stat[CPUTIME_SYSTEM] + b.stat[CPUTIME_SOFTIRQ] + b.stat[CPUTIME_IRQ] -
		 a.stat[CPUTIME_SYSTEM] - a.stat[CPUTIME_SOFTIRQ] - a.stat[CPUTIME_IRQ];
	KTEST_EXPECT_EQ(t, kernel, b.total - a.total);
	KTEST_EXPECT_EQ(t, b.stime - a.stime, kernel);
	KTEST_EXPECT_EQ(t, b.utime, a.utime);
}

KTEST(cputime_idle_time_while_sleeping)
{
	struct snap a, b;
	unsigned int cpu;

	/* Sleeping on a CPU that nothing else wants: its ticks go to idle (or to whatever
	 * else woke up there meanwhile, which this test cannot tell apart). */
	preempt_disable();
	cpu = smp_processor_id();
	preempt_enable();
	take(cpu, &a);
	schedule_timeout_uninterruptible(msecs_to_jiffies(200));
	take(cpu, &b);
	KTEST_EXPECT(t, b.stat[CPUTIME_IDLE] > a.stat[CPUTIME_IDLE]);
}
