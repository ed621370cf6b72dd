// SPDX-License-Identifier: MIT
/* The foundation: CPUs, per-CPU data, IPIs, cross-CPU calls, ticks, memory layout. */
#include <asm/memory.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/sysreg.h>
#include <kairos/atomic.h>
#include <kairos/delay.h>
#include <kairos/irq.h>
#include <kairos/kallsyms.h>
#include <kairos/ktest.h>
#include <kairos/kthread.h>
#include <kairos/percpu.h>
#include <kairos/printk.h>
#include <kairos/sched.h>
#include <kairos/slab.h>
#include <kairos/smp.h>
#include <kairos/spinlock.h>
#include <kairos/string.h>
#include <kairos/time.h>

/* Every CPU the firmware described came online (the -smp 64 boot test runs just this). */
KTEST(all_cpus_online)
{
	KTEST_EXPECT_EQ(t, num_online_cpus(), nr_cpu_ids);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		KTEST_EXPECT(t, cpu_online(cpu));
}

static DEFINE_PER_CPU(unsigned long, percpu_probe);

static void record_cpu(void *arg)
{
	unsigned int *where = arg;

	where[smp_processor_id()] = smp_processor_id() + 1;
	this_cpu_write(percpu_probe, 1000 + smp_processor_id());
}

/* smp_call_function_single runs on the CPU asked for, and per-CPU data is per CPU. */
KTEST(call_function_single_each_cpu)
{
	static unsigned int ran[NR_CPUS];
	unsigned int cpu;

	memset(ran, 0, sizeof(ran));
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, record_cpu, ran, true), 0);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, ran[cpu], cpu + 1);
		KTEST_EXPECT_EQ(t, per_cpu(percpu_probe, cpu), 1000 + cpu);
		KTEST_EXPECT_EQ(t, per_cpu(cpu_number, cpu), cpu);
	}
	KTEST_EXPECT(t, smp_call_function_single(NR_CPUS + 1, record_cpu, ran, true) < 0);
}

static atomic_t many_calls;

static void count_call(void *arg)
{
	atomic_inc_return(&many_calls);
}

/* smp_call_function_many reaches every other online CPU, with and without waiting. */
KTEST(call_function_many)
{
	unsigned int others = num_online_cpus() - 1;

	atomic_set(&many_calls, 0);
	for (int round = 0; round < 50; round++)
		smp_call_function_many(&cpu_online_mask, count_call, NULL, round & 1);
	/* The no-wait rounds complete before their csd can be reused; one wait round last. */
	smp_call_function_many(&cpu_online_mask, count_call, NULL, true);
	KTEST_EXPECT_EQ(t, atomic_read(&many_calls), 51 * others);
}

/*
 * Rounds per CPU, all CPUs released together so that they really contend. Kept modest:
 * with more vCPUs than host cores, a FIFO handoff waits for the host to run the one vCPU
 * thread whose ticket is next, and throughput can collapse (see docs/testing.md).
 */
#define LOCK_STRESS_ROUNDS	300

struct lock_stress {
	spinlock_t lock;
	unsigned long counter;		/* plain: only the lock makes increments safe */
	atomic_t inside;
	atomic_t max_inside;
	atomic_t ready;
	atomic_t done;
	unsigned int cpus;
};

static void lock_stress_fn(void *arg)
{
	struct lock_stress *s = arg;

	atomic_inc_return(&s->ready);
	while (atomic_read_acquire(&s->ready) < (int)s->cpus)
		cpu_relax();
	for (int i = 0; i < LOCK_STRESS_ROUNDS; i++) {
		unsigned long flags;
		int in;

		spin_lock_irqsave(&s->lock, flags);
		in = atomic_inc_return(&s->inside);
		if (in > atomic_read(&s->max_inside))
			atomic_set(&s->max_inside, in);
		s->counter++;
		atomic_dec_return(&s->inside);
		spin_unlock_irqrestore(&s->lock, flags);
	}
	atomic_inc_return(&s->done);
}

/* All CPUs hammer one lock at once: no increment is lost, no two CPUs are inside. */
KTEST(spinlock_contention)
{
	static struct lock_stress s;

	memset(&s, 0, sizeof(s));
	spin_lock_init(&s.lock);
	s.cpus = num_online_cpus();
	smp_call_function_many(&cpu_online_mask, lock_stress_fn, &s, false);
	lock_stress_fn(&s);
	while (atomic_read_acquire(&s.done) < (int)s.cpus)
		cpu_relax();
	KTEST_EXPECT_EQ(t, s.counter, (unsigned long)LOCK_STRESS_ROUNDS * s.cpus);
	KTEST_EXPECT_EQ(t, atomic_read(&s.max_inside), 1);
	KTEST_EXPECT(t, !spin_is_locked(&s.lock));
}

KTEST(spinlock_trylock)
{
	DEFINE_SPINLOCK(lock);

	KTEST_EXPECT(t, spin_trylock(&lock));
	KTEST_EXPECT(t, spin_is_locked(&lock));
	spin_unlock(&lock);
	KTEST_EXPECT(t, !spin_is_locked(&lock));
	KTEST_EXPECT(t, spin_trylock(&lock));
	spin_unlock(&lock);
}

/* Reschedule IPIs are delivered to their target and counted there. */
KTEST(ipi_delivery)
{
	unsigned long before[NR_CPUS];
	unsigned int cpu, this_cpu = smp_processor_id();

	for_each_online_cpu(cpu)
		before[cpu] = ipi_count(cpu, IPI_RESCHEDULE);
	for_each_online_cpu(cpu)
		if (cpu != this_cpu)
			smp_send_reschedule(cpu);
	for_each_online_cpu(cpu) {
		u64 t0 = ktime_get_ns();

		if (cpu == this_cpu)
			continue;
		/* WAIT_FOR's bound, spinning: the host may hold the target off for seconds. */
		while (ipi_count(cpu, IPI_RESCHEDULE) == before[cpu] &&
		       ktime_get_ns() - t0 < 10 * NSEC_PER_SEC)
			cpu_relax();
		KTEST_EXPECT(t, ipi_count(cpu, IPI_RESCHEDULE) > before[cpu]);
	}
}

static bool every_cpu_ticked(const unsigned long *before)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (cpu_tick_count(cpu) == before[cpu])
			return false;
	return true;
}

static int tick_spin_fn(void *arg)
{
	while (!kthread_should_stop())
		cpu_relax();
	return 0;
}

/*
 * Every busy CPU ticks (an idle one may stop its tick: nohz_test.c), and jiffies advance
 * with the clock. A vCPU the host holds off takes no tick meanwhile, so each CPU has ten
 * seconds for its next one.
 */
KTEST(tick_on_every_busy_cpu)
{
	static struct task_struct *spinner[NR_CPUS];
	unsigned long before[NR_CPUS], j;
	unsigned int cpu, me;
	struct cpumask saved, one;
	u64 t0, now;

	cpumask_copy(&saved, &current->cpus_mask);
	me = task_cpu(current);
	cpumask_clear(&one);
	cpumask_set_cpu(me, &one);
	set_cpus_allowed_ptr(current, &one);
	for_each_online_cpu(cpu) {
		spinner[cpu] = NULL;
		if (cpu == me)
			continue;
		spinner[cpu] = kthread_create_on_cpu(tick_spin_fn, NULL, cpu, "ktest-tick/%u");
		KTEST_EXPECT(t, !IS_ERR(spinner[cpu]));
		if (IS_ERR(spinner[cpu])) {
			spinner[cpu] = NULL;
			continue;
		}
		wake_up_process(spinner[cpu]);
	}
	for_each_online_cpu(cpu)
		before[cpu] = cpu_tick_count(cpu);
	t0 = ktime_get_ns();
	while (!every_cpu_ticked(before) && ktime_get_ns() - t0 < 10 * NSEC_PER_SEC)
		cpu_relax();
	for_each_online_cpu(cpu)
		KTEST_EXPECT(t, cpu_tick_count(cpu) > before[cpu]);
	for_each_online_cpu(cpu)
		if (spinner[cpu])
			kthread_stop(spinner[cpu]);
	set_cpus_allowed_ptr(current, &saved);
	/*
	 * jiffies counts ticks of the clock since the timer started: never ahead of it (jiffies
	 * read first, so the clock is the later reading), and catching up with it as soon as
	 * the jiffies keeper ticks or this CPU wakes from idle, however late (its vCPU may be
	 * off the host for a while).
	 */
	t0 = ktime_get_ns();
	do {
		j = jiffies;
		now = ktime_get_ns();
		if (j > now / TICK_NSEC + 1)
			ktest_fail(t, __FILE__, __LINE__, "jiffies %lu ahead of the clock (%lu ns)",
				   j, (unsigned long)now);
		if (j + 1 >= now / TICK_NSEC)
			return;
		msleep(10);
	} while (now - t0 < 10 * NSEC_PER_SEC);
	ktest_fail(t, __FILE__, __LINE__, "jiffies %lu never caught up with the clock (%lu ns)",
		   j, (unsigned long)now);
}

static u64 last_seen[NR_CPUS];
static atomic_t mono_failures;

static void check_monotonic(void *arg)
{
	for (int i = 0; i < 10000; i++) {
		u64 now = ktime_get_ns();
		u64 *last = &last_seen[smp_processor_id()];

		if (now < *last)
			atomic_inc(&mono_failures);
		*last = now;
	}
}

KTEST(ktime_monotonic)
{
	atomic_set(&mono_failures, 0);
	memset(last_seen, 0, sizeof(last_seen));
	smp_call_function_many(&cpu_online_mask, check_monotonic, NULL, true);
	check_monotonic(NULL);
	KTEST_EXPECT_EQ(t, atomic_read(&mono_failures), 0);
	KTEST_EXPECT(t, arch_timer_rate > 0);
}

static pte_t *kernel_pte(u64 va)
{
	struct pgtable_ctx ctx = { .va_offset = PAGE_OFFSET };
	int level;

	return walk_range(&ctx, swapper_pg_dir, va, &level);
}

extern char _stext[], __start_rodata[], _sdata[];
static int some_data = 1;

/* W^X: text is read-only and executable, rodata read-only, data not executable, and the
 * linear alias of the text is not writable. */
KTEST(kernel_memory_permissions)
{
	pte_t *text = kernel_pte((u64)_stext);
	pte_t *ro = kernel_pte((u64)__start_rodata);
	pte_t *data = kernel_pte((u64)&some_data);
	pte_t *alias = kernel_pte((u64)__va(__pa_symbol(_stext)));

	KTEST_EXPECT(t, text && ro && data && alias);
	if (!text || !ro || !data || !alias)
		return;
	KTEST_EXPECT(t, (*text & PTE_RDONLY) && !(*text & PTE_PXN));
	KTEST_EXPECT(t, (*ro & PTE_RDONLY) && (*ro & PTE_PXN));
	KTEST_EXPECT(t, !(*data & PTE_RDONLY) && (*data & PTE_PXN));
	KTEST_EXPECT(t, (*alias & PTE_RDONLY) && (*alias & PTE_PXN));
	KTEST_EXPECT(t, (*text & PTE_UXN) && (*data & PTE_UXN));
	/* Nothing is mapped for user space while kernel threads run. */
	KTEST_EXPECT_EQ(t, read_sysreg(ttbr0_el1) & PTE_ADDR_MASK, __pa_symbol(reserved_pg_dir));
}

KTEST(kallsyms_names_functions)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long size, offset;
	const char *name = kallsyms_lookup((unsigned long)ktest_kallsyms_names_functions + 8,
					   &size, &offset);

	KTEST_EXPECT(t, name && !strcmp(name, "ktest_kallsyms_names_functions"));
	KTEST_EXPECT_EQ(t, offset, 8);
	KTEST_EXPECT(t, size > 8);
	KTEST_EXPECT(t, sprint_symbol(buf, sizeof(buf), (unsigned long)memcpy, true) > 0);
	if (strncmp(buf, "memcpy+0x0/0x", 13))
		ktest_fail(t, __FILE__, __LINE__, "memcpy is named \"%s\"", buf);
	KTEST_EXPECT_EQ(t, sprint_symbol(buf, sizeof(buf), (unsigned long)&some_data, true), 0);
}

#define PRINTK_TEST_LINES	40

static atomic_t printk_ready, printk_done;

/* Long lines at debug level: they reach the log buffer but not the console. */
static void printk_lines(void *arg)
{
	unsigned int cpu = smp_processor_id(), cpus = *(unsigned int *)arg;

	atomic_inc_return(&printk_ready);
	while (atomic_read_acquire(&printk_ready) < (int)cpus)
		cpu_relax();
	for (int i = 0; i < PRINTK_TEST_LINES; i++)
		pr_debug("printk-whole cpu=%02u seq=%03d ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 end\n",
			 cpu, i);
	atomic_inc_return(&printk_done);
}

/* Lines printed by all CPUs at once come out whole, each exactly once. */
KTEST(printk_lines_stay_whole)
{
	static const char tail[] = " ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 end";
	size_t cap = 32 * 1024, n;
	char *buf = kmalloc(cap + 1, GFP_KERNEL);
	unsigned int cpus = num_online_cpus(), seen = 0;
	static u8 count[NR_CPUS][PRINTK_TEST_LINES];

	KTEST_EXPECT(t, buf != NULL);
	if (!buf)
		return;
	memset(count, 0, sizeof(count));
	atomic_set(&printk_ready, 0);
	atomic_set(&printk_done, 0);
	smp_call_function_many(&cpu_online_mask, printk_lines, &cpus, false);
	printk_lines(&cpus);
	while (atomic_read_acquire(&printk_done) < (int)cpus)
		cpu_relax();
	n = log_buf_copy(buf, cap);
	buf[n] = '\0';
	/* Every line that mentions the marker must be exactly one well-formed line. */
	for (char *line = buf, *next; line && *line; line = next) {
		char *nl = strchr(line, '\n');
		char *mark;
		unsigned int cpu, seq;

		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		mark = strstr(line, "printk-whole ");
		if (!mark)
			continue;
		if (strncmp(mark, "printk-whole cpu=", 17) || mark[19] != ' ' ||
		    strncmp(mark + 20, "seq=", 4) || strcmp(mark + 27, tail) ||
		    strstr(mark + 1, "printk-whole")) {
			ktest_fail(t, __FILE__, __LINE__, "mangled line: %.60s", line);
			break;
		}
		cpu = (mark[17] - '0') * 10 + (mark[18] - '0');
		seq = (mark[24] - '0') * 100 + (mark[25] - '0') * 10 + (mark[26] - '0');
		if (cpu < NR_CPUS && seq < PRINTK_TEST_LINES && count[cpu][seq]++ == 0)
			seen++;
	}
	KTEST_EXPECT_EQ(t, seen, cpus * PRINTK_TEST_LINES);
	kfree(buf);
}
