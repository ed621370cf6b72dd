// SPDX-License-Identifier: MIT
/*
 * Scheduling domains: what the load balancer (fair.c) balances over.
 *
 * default_topology lists the levels from the lowest up; each gives, for a CPU, the CPUs it
 * shares that level with. QEMU's virt machine tells us nothing about caches or clusters,
 * so there is one level, "MC", spanning every online CPU, as if they shared a last-level
 * cache. A cluster level would be one more line below it: each CPU's domain then points
 * to its parent, and the MC level's groups become the clusters instead of single CPUs.
 *
 * Each CPU has its own sched_domain per level (its balancing state is its own); the groups
 * of a level are shared: since the domains of one level partition the CPUs, every group
 * sits in exactly one ring.
 */
#include "sched.h"

#include <kairos/bug.h>
#include <kairos/slab.h>

struct sched_domain_topology_level {
	const struct cpumask *(*mask)(int cpu);
	int flags;			/* SD_* on top of the defaults */
	const char *name;
};

static const struct cpumask *cpu_cpu_mask(int cpu)
{
	return &cpu_online_mask;
}

static const struct sched_domain_topology_level default_topology[] = {
	{ cpu_cpu_mask, SD_SHARE_PKG_RESOURCES, "MC" },
	{ NULL, 0, NULL },
};

/* Linux's defaults for a level of sd_weight CPUs (sd_init). */
static void sd_init(struct sched_domain *sd, const struct sched_domain_topology_level *tl,
		    const struct cpumask *span)
{
	unsigned int sd_weight = cpumask_weight(span);

	sd->name = tl->name;
	sd->flags = SD_BALANCE_NEWIDLE | SD_BALANCE_EXEC | SD_BALANCE_FORK | SD_WAKE_AFFINE |
		    tl->flags;
	sd->span_weight = sd_weight;
	cpumask_copy(&sd->span, span);
	sd->min_interval = sd_weight;
	sd->max_interval = 2 * sd_weight;
	sd->busy_factor = 16;
	sd->imbalance_pct = 117;
	/* Sharing a cache makes a recently run task cheaper to move: fail once more first. */
	sd->cache_nice_tries = 1;
	sd->balance_interval = sd_weight;
	sd->last_balance = jiffies;
	sd->next_decay_max_lb_cost = jiffies;
}

/* The groups of one level: for each CPU, its child's span (itself at the lowest level). */
static struct sched_group **build_groups(const struct cpumask *cpu_map,
					 struct sched_domain **child_of)
{
	struct sched_group **group_of = kcalloc(NR_CPUS, sizeof(*group_of), GFP_KERNEL);
	unsigned int cpu, i;

	BUG_ON(!group_of);
	for_each_cpu(cpu, cpu_map) {
		struct sched_group *sg;

		if (group_of[cpu])
			continue;
		sg = kzalloc(sizeof(*sg), GFP_KERNEL);
		BUG_ON(!sg);
		if (child_of[cpu])
			cpumask_copy(&sg->span, sched_domain_span(child_of[cpu]));
		else
			cpumask_set_cpu(cpu, &sg->span);
		sg->group_weight = cpumask_weight(&sg->span);
		sg->group_capacity = sg->group_weight * SCHED_CAPACITY_SCALE;
		for_each_cpu(i, &sg->span)
			group_of[i] = sg;
	}
	return group_of;
}

/* Link the groups in sd's span into a ring in CPU order, entered at cpu's group. */
static void link_groups(struct sched_domain *sd, int cpu, struct sched_group **group_of)
{
	struct sched_group *first = NULL, *last = NULL;
	struct cpumask covered = CPU_MASK_NONE;
	unsigned int i;

	for_each_cpu(i, sched_domain_span(sd)) {
		struct sched_group *sg = group_of[i];

		if (cpumask_test_cpu(i, &covered))
			continue;
		cpumask_or(&covered, &covered, &sg->span);
		if (last)
			last->next = sg;
		else
			first = sg;
		last = sg;
	}
	last->next = first;
	sd->groups = group_of[cpu];
}

/*
 * Level by level from the lowest: a level that adds no CPUs to the one below (or spans a
 * single CPU) is left out, so one CPU gets no domain at all and is never balanced.
 */
void __init build_sched_domains(const struct cpumask *cpu_map)
{
	struct sched_domain **lowest = kcalloc(NR_CPUS, sizeof(*lowest), GFP_KERNEL);
	struct sched_domain **child_of = kcalloc(NR_CPUS, sizeof(*child_of), GFP_KERNEL);
	const struct sched_domain_topology_level *tl;
	unsigned int cpu;

	BUG_ON(!lowest || !child_of);
	for (tl = default_topology; tl->mask; tl++) {
		struct sched_group **group_of = NULL;

		for_each_cpu(cpu, cpu_map) {
			struct sched_domain *sd, *child = child_of[cpu];
			struct cpumask span;

			cpumask_and(&span, tl->mask(cpu), cpu_map);
			if (cpumask_weight(&span) <= (child ? child->span_weight : 1))
				continue;
			if (!group_of)
				group_of = build_groups(cpu_map, child_of);
			sd = kzalloc(sizeof(*sd), GFP_KERNEL);
			BUG_ON(!sd);
			sd_init(sd, tl, &span);
			sd->child = child;
			if (child)
				child->parent = sd;
			else
				lowest[cpu] = sd;
			link_groups(sd, cpu, group_of);
			child_of[cpu] = sd;
		}
		kfree(group_of);
	}

	/* Complete before any CPU can see them. */
	smp_wmb();
	for_each_cpu(cpu, cpu_map)
		WRITE_ONCE(cpu_rq(cpu)->sd, lowest[cpu]);
	kfree(child_of);
	kfree(lowest);
}
