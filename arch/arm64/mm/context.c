// SPDX-License-Identifier: MIT
/*
 * ASIDs: 16-bit tags that let the TLB hold several mms' translations at once, so that a
 * context switch needs no flush. mm->context.id is generation << 16 | ASID. An ASID is
 * valid only in the generation it was handed out in; when all are used up the
 * generation moves on (rollover): the bitmap is cleared except for the ASIDs CPUs are
 * running right now (kept "reserved", so those CPUs need not switch), and every CPU
 * flushes its TLB before it next takes a new ASID. ASID 0 is never handed out: it goes
 * with the reserved TTBR0 of kernel threads.
 *
 * The fast path (the mm's generation is current) is one cmpxchg on this CPU's
 * active_asids, which a concurrent rollover zeroes to force the slow path under
 * cpu_asid_lock. The scheme is Linux's; see docs/locking.md for the lock.
 */
#include <asm/mmu_context.h>
#include <asm/tlbflush.h>
#include <kairos/bitmap.h>
#include <kairos/bug.h>
#include <kairos/percpu.h>
#include <kairos/sched.h>
#include <kairos/smp.h>
#include <kairos/spinlock.h>

#define NUM_USER_ASIDS		(1UL << ASID_BITS)
#define ASID_MASK		(NUM_USER_ASIDS - 1)
#define ASID_FIRST_VERSION	NUM_USER_ASIDS
#define asid2idx(asid)		((asid) & ASID_MASK)

static DEFINE_SPINLOCK(cpu_asid_lock);
static atomic64_t asid_generation = ATOMIC_INIT(ASID_FIRST_VERSION);
static DECLARE_BITMAP(asid_map, NUM_USER_ASIDS);
static unsigned long cur_idx = 1;		/* where the search for a free ASID resumes */
static unsigned long nr_user_asids = NUM_USER_ASIDS;	/* lowered by asid_debug_set_limit */
static struct cpumask tlb_flush_pending;

static DEFINE_PER_CPU(atomic64_t, active_asids);	/* 0 after a rollover, until it switches */
static DEFINE_PER_CPU(u64, reserved_asids);		/* running at the last rollover */

static bool asid_gen_match(u64 asid)
{
	return !((asid ^ (u64)atomic64_read(&asid_generation)) >> ASID_BITS);
}

/* A new generation: keep only the ASIDs in use on some CPU. cpu_asid_lock held. */
static void flush_context(void)
{
	unsigned int cpu;

	bitmap_zero(asid_map, NUM_USER_ASIDS);
	for_each_possible_cpu(cpu) {
		u64 asid = xchg(&per_cpu(active_asids, cpu).counter, 0);

		/* A CPU that has not switched since the last rollover still runs this one. */
		if (!asid)
			asid = per_cpu(reserved_asids, cpu);
		__set_bit(asid2idx(asid), asid_map);
		per_cpu(reserved_asids, cpu) = asid;
	}
	/* Stale translations of recycled ASIDs may sit in any TLB. */
	cpumask_setall(&tlb_flush_pending);
}

/* If asid is reserved on some CPU, move it to newasid's generation there. */
static bool check_update_reserved_asid(u64 asid, u64 newasid)
{
	bool hit = false;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		if (per_cpu(reserved_asids, cpu) == asid) {
			hit = true;
			per_cpu(reserved_asids, cpu) = newasid;
		}
	}
	return hit;
}

/* cpu_asid_lock held. */
static u64 new_context(struct mm_struct *mm)
{
	u64 asid = atomic64_read(&mm->context.id);
	u64 generation = atomic64_read(&asid_generation);

	if (asid) {
		u64 newasid = generation | asid2idx(asid);

		/* Running somewhere across the rollover: it keeps its ASID. */
		if (check_update_reserved_asid(asid, newasid))
			return newasid;
		/* Otherwise keep the old number if nobody took it in this generation. */
		if (asid2idx(asid) < nr_user_asids && !test_bit(asid2idx(asid), asid_map)) {
			__set_bit(asid2idx(asid), asid_map);
			return newasid;
		}
	}

	asid = find_next_zero_bit(asid_map, nr_user_asids, cur_idx);
	if (asid == nr_user_asids) {
		generation = atomic64_add_return(ASID_FIRST_VERSION, &asid_generation);
		flush_context();
		asid = find_next_zero_bit(asid_map, nr_user_asids, 1);
		BUG_ON(asid == nr_user_asids);	/* more CPUs than ASIDs */
	}
	__set_bit(asid, asid_map);
	cur_idx = asid;
	return asid | generation;
}

static void cpu_switch_mm(struct mm_struct *mm, u64 asid)
{
	write_sysreg(__pa(mm->pgd) | asid2idx(asid) << 48, ttbr0_el1);
	isb();
}

static void check_and_switch_context(struct mm_struct *mm)
{
	atomic64_t *active = this_cpu_ptr(&active_asids);
	u64 asid = atomic64_read(&mm->context.id);
	u64 old_active = atomic64_read(active);
	unsigned long flags;

	/*
	 * Current generation and no rollover under way (which would have zeroed active):
	 * publishing the ASID in active makes a rollover that starts now keep it.
	 */
	if (old_active && asid_gen_match(asid) &&
	    (u64)cmpxchg(&active->counter, old_active, asid) == old_active)
		goto switch_ttbr0;

	spin_lock_irqsave(&cpu_asid_lock, flags);
	asid = atomic64_read(&mm->context.id);
	if (!asid_gen_match(asid)) {
		asid = new_context(mm);
		atomic64_set(&mm->context.id, asid);
	}
	if (cpumask_test_and_clear_cpu(smp_processor_id(), &tlb_flush_pending))
		local_flush_tlb_all();
	atomic64_set(active, asid);
	spin_unlock_irqrestore(&cpu_asid_lock, flags);
switch_ttbr0:
	cpu_switch_mm(mm, asid);
}

void switch_mm(struct mm_struct *prev, struct mm_struct *next, struct task_struct *tsk)
{
	if (prev == next)
		return;
	if (next == &init_mm)
		cpu_set_reserved_ttbr0();
	else
		check_and_switch_context(next);
}

void asid_debug_set_limit(unsigned long nr)
{
	unsigned long flags;

	BUG_ON(nr && (nr <= nr_cpu_ids + 1 || nr > NUM_USER_ASIDS));
	spin_lock_irqsave(&cpu_asid_lock, flags);
	nr_user_asids = nr ? nr : NUM_USER_ASIDS;
	spin_unlock_irqrestore(&cpu_asid_lock, flags);
}
