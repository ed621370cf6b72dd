/* SPDX-License-Identifier: MIT */
/*
 * Sets of CPUs, as fixed NR_CPUS-bit bitmaps. Iteration always covers all
 * NR_CPUS bits; CPUs that do not exist are simply never set.
 */
#ifndef KAIROS_CPUMASK_H
#define KAIROS_CPUMASK_H

#include <kairos/bitmap.h>
#include <kairos/config.h>

struct cpumask {
	DECLARE_BITMAP(bits, NR_CPUS);
};
typedef struct cpumask cpumask_t;

#define cpumask_bits(maskp)	((maskp)->bits)
/* Plain int, so comparing either a signed or an unsigned cpu stays quiet. */
#define nr_cpumask_bits		NR_CPUS

#define CPU_MASK_NONE		((struct cpumask) { { 0 } })

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *dstp)
{
	set_bit(cpu, cpumask_bits(dstp));
}

static inline void __cpumask_set_cpu(unsigned int cpu, struct cpumask *dstp)
{
	__set_bit(cpu, cpumask_bits(dstp));
}

static inline void cpumask_clear_cpu(unsigned int cpu, struct cpumask *dstp)
{
	clear_bit(cpu, cpumask_bits(dstp));
}

static inline void __cpumask_clear_cpu(unsigned int cpu, struct cpumask *dstp)
{
	__clear_bit(cpu, cpumask_bits(dstp));
}

static inline bool cpumask_test_cpu(unsigned int cpu,
				    const struct cpumask *srcp)
{
	return test_bit(cpu, cpumask_bits(srcp));
}

static inline bool cpumask_test_and_set_cpu(unsigned int cpu,
					    struct cpumask *dstp)
{
	return test_and_set_bit(cpu, cpumask_bits(dstp));
}

static inline bool cpumask_test_and_clear_cpu(unsigned int cpu,
					      struct cpumask *dstp)
{
	return test_and_clear_bit(cpu, cpumask_bits(dstp));
}

/* Searches return nr_cpumask_bits (or more) when no CPU is found. */
static inline unsigned int cpumask_first(const struct cpumask *srcp)
{
	return find_first_bit(cpumask_bits(srcp), nr_cpumask_bits);
}

/* The next CPU after @n; start from -1 to get the first. */
static inline unsigned int cpumask_next(int n, const struct cpumask *srcp)
{
	return find_next_bit(cpumask_bits(srcp), nr_cpumask_bits,
			     (unsigned int)(n + 1));
}

static inline unsigned int cpumask_first_and(const struct cpumask *src1p,
					     const struct cpumask *src2p)
{
	return find_first_and_bit(cpumask_bits(src1p), cpumask_bits(src2p),
				  nr_cpumask_bits);
}

static inline unsigned int cpumask_next_and(int n, const struct cpumask *src1p,
					    const struct cpumask *src2p)
{
	return find_next_and_bit(cpumask_bits(src1p), cpumask_bits(src2p),
				 nr_cpumask_bits, (unsigned int)(n + 1));
}

static inline unsigned int cpumask_last(const struct cpumask *srcp)
{
	return find_last_bit(cpumask_bits(srcp), nr_cpumask_bits);
}

#define cpumask_any(srcp)		cpumask_first(srcp)
#define cpumask_any_and(src1p, src2p)	cpumask_first_and(src1p, src2p)

#define for_each_cpu(cpu, mask)					\
	for ((cpu) = -1;						\
	     (cpu) = cpumask_next((cpu), (mask)),			\
	     (cpu) < nr_cpumask_bits;)

#define for_each_cpu_and(cpu, mask1, mask2)				\
	for ((cpu) = -1;						\
	     (cpu) = cpumask_next_and((cpu), (mask1), (mask2)),	\
	     (cpu) < nr_cpumask_bits;)

static inline void cpumask_clear(struct cpumask *dstp)
{
	bitmap_zero(cpumask_bits(dstp), nr_cpumask_bits);
}

static inline void cpumask_setall(struct cpumask *dstp)
{
	bitmap_fill(cpumask_bits(dstp), nr_cpumask_bits);
}

static inline void cpumask_copy(struct cpumask *dstp,
				const struct cpumask *srcp)
{
	*dstp = *srcp;
}

static inline bool cpumask_and(struct cpumask *dstp,
			       const struct cpumask *src1p,
			       const struct cpumask *src2p)
{
	return bitmap_and(cpumask_bits(dstp), cpumask_bits(src1p),
			  cpumask_bits(src2p), nr_cpumask_bits);
}

static inline void cpumask_or(struct cpumask *dstp,
			      const struct cpumask *src1p,
			      const struct cpumask *src2p)
{
	bitmap_or(cpumask_bits(dstp), cpumask_bits(src1p),
		  cpumask_bits(src2p), nr_cpumask_bits);
}

static inline bool cpumask_andnot(struct cpumask *dstp,
				  const struct cpumask *src1p,
				  const struct cpumask *src2p)
{
	return bitmap_andnot(cpumask_bits(dstp), cpumask_bits(src1p),
			     cpumask_bits(src2p), nr_cpumask_bits);
}

static inline bool cpumask_equal(const struct cpumask *src1p,
				 const struct cpumask *src2p)
{
	return bitmap_equal(cpumask_bits(src1p), cpumask_bits(src2p),
			    nr_cpumask_bits);
}

static inline bool cpumask_intersects(const struct cpumask *src1p,
				      const struct cpumask *src2p)
{
	return bitmap_intersects(cpumask_bits(src1p), cpumask_bits(src2p),
				 nr_cpumask_bits);
}

/* Is every CPU in @src1p also in @src2p? */
static inline bool cpumask_subset(const struct cpumask *src1p,
				  const struct cpumask *src2p)
{
	return bitmap_subset(cpumask_bits(src1p), cpumask_bits(src2p),
			     nr_cpumask_bits);
}

static inline bool cpumask_empty(const struct cpumask *srcp)
{
	return bitmap_empty(cpumask_bits(srcp), nr_cpumask_bits);
}

static inline unsigned int cpumask_weight(const struct cpumask *srcp)
{
	return bitmap_weight(cpumask_bits(srcp), nr_cpumask_bits);
}

#endif
