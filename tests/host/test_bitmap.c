// SPDX-License-Identifier: MIT
/*
 * lib/bitmap.c and the bitmap/cpumask headers against a naive one-bool-
 * per-bit reference on random data. The words backing each bitmap get
 * random junk beyond nbits, which every operation must ignore.
 */
#include <kairos/bitmap.h>
#include <kairos/cpumask.h>

#include <pthread.h>

#include "rand.h"
#include "tap.h"

#define MAX_BITS	300
#define MAX_WORDS	BITS_TO_LONGS(MAX_BITS)

struct pair {
	unsigned long *map;	/* exactly BITS_TO_LONGS(nbits) words */
	bool ref[MAX_BITS];
};

static void random_pair(struct pair *p, unsigned int nbits)
{
	unsigned int i, words = BITS_TO_LONGS(nbits);
	unsigned int density = rnd_below(5);	/* empty, sparse ... full */

	p->map = malloc(words * sizeof(long));
	for (i = 0; i < words; i++)
		p->map[i] = rnd();	/* junk past nbits stays */
	for (i = 0; i < nbits; i++) {
		bool set = density == 0 ? false : density == 4 ? true :
			   rnd_below(4) < density;

		p->ref[i] = set;
		if (set)
			p->map[BIT_WORD(i)] |= BIT_MASK(i);
		else
			p->map[BIT_WORD(i)] &= ~BIT_MASK(i);
	}
}

static bool matches(const struct pair *p, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < nbits; i++)
		if (test_bit(i, p->map) != p->ref[i])
			return false;
	return true;
}

static unsigned long ref_next(const bool *ref, unsigned long size,
			      unsigned long off, bool want)
{
	for (; off < size; off++)
		if (ref[off] == want)
			return off;
	return size;
}

static void test_searches(unsigned int nbits)
{
	struct pair a, b;
	bool both[MAX_BITS];
	unsigned long off, bit, last = nbits, count = 0;
	unsigned int i;

	random_pair(&a, nbits);
	random_pair(&b, nbits);
	for (i = 0; i < nbits; i++) {
		both[i] = a.ref[i] && b.ref[i];
		if (a.ref[i])
			last = i;
	}

	for (off = 0; off <= nbits + 2; off++) {
		CHECK(find_next_bit(a.map, nbits, off) == ref_next(a.ref, nbits, off, true),
		      "find_next_bit nbits %u off %lu", nbits, off);
		CHECK(find_next_zero_bit(a.map, nbits, off) ==
		      ref_next(a.ref, nbits, off, false),
		      "find_next_zero_bit nbits %u off %lu", nbits, off);
		CHECK(find_next_and_bit(a.map, b.map, nbits, off) ==
		      ref_next(both, nbits, off, true),
		      "find_next_and_bit nbits %u off %lu", nbits, off);
	}
	CHECK(find_first_bit(a.map, nbits) == ref_next(a.ref, nbits, 0, true),
	      "find_first_bit");
	CHECK(find_first_zero_bit(a.map, nbits) == ref_next(a.ref, nbits, 0, false),
	      "find_first_zero_bit");
	CHECK(find_first_and_bit(a.map, b.map, nbits) == ref_next(both, nbits, 0, true),
	      "find_first_and_bit");
	CHECK(find_last_bit(a.map, nbits) == last, "find_last_bit nbits %u: %lu vs %lu",
	      nbits, find_last_bit(a.map, nbits), last);

	for_each_set_bit(bit, a.map, nbits) {
		CHECK(a.ref[bit], "for_each_set_bit visited clear bit %lu", bit);
		count++;
	}
	for_each_clear_bit(bit, a.map, nbits) {
		CHECK(!a.ref[bit], "for_each_clear_bit visited set bit %lu", bit);
		count++;
	}
	CHECK(count == nbits, "for_each_*_bit visited %lu of %u", count, nbits);
	free(a.map);
	free(b.map);
}

static void test_ops(unsigned int nbits)
{
	struct pair a, b;
	unsigned long *dst = malloc(BITS_TO_LONGS(nbits) * sizeof(long));
	bool any, any_ref, eq = true, inter = false, sub = true, empty = true,
	     full = true;
	unsigned int i, weight = 0;

	random_pair(&a, nbits);
	random_pair(&b, nbits);
	if (rnd_below(4) == 0) {	/* equal and subset cases need help */
		for (i = 0; i < nbits; i++)
			b.ref[i] = a.ref[i] || (rnd_below(8) == 0 && b.ref[i]);
		for (i = 0; i < nbits; i++)
			b.ref[i] ? __set_bit(i, b.map) : __clear_bit(i, b.map);
	}
	for (i = 0; i < nbits; i++) {
		eq &= a.ref[i] == b.ref[i];
		inter |= a.ref[i] && b.ref[i];
		sub &= !a.ref[i] || b.ref[i];
		empty &= !a.ref[i];
		full &= a.ref[i];
		weight += a.ref[i];
	}
	CHECK(bitmap_equal(a.map, b.map, nbits) == eq, "bitmap_equal nbits %u", nbits);
	CHECK(bitmap_intersects(a.map, b.map, nbits) == inter, "bitmap_intersects");
	CHECK(bitmap_subset(a.map, b.map, nbits) == sub, "bitmap_subset");
	CHECK(bitmap_empty(a.map, nbits) == empty, "bitmap_empty");
	CHECK(bitmap_full(a.map, nbits) == full, "bitmap_full");
	CHECK(bitmap_weight(a.map, nbits) == weight, "bitmap_weight %u vs %u",
	      bitmap_weight(a.map, nbits), weight);

	any = bitmap_and(dst, a.map, b.map, nbits);
	any_ref = false;
	for (i = 0; i < nbits; i++) {
		CHECK(test_bit(i, dst) == (a.ref[i] && b.ref[i]), "bitmap_and bit %u", i);
		any_ref |= a.ref[i] && b.ref[i];
	}
	CHECK(any == any_ref, "bitmap_and return");

	any = bitmap_andnot(dst, a.map, b.map, nbits);
	any_ref = false;
	for (i = 0; i < nbits; i++) {
		CHECK(test_bit(i, dst) == (a.ref[i] && !b.ref[i]), "bitmap_andnot bit %u", i);
		any_ref |= a.ref[i] && !b.ref[i];
	}
	CHECK(any == any_ref, "bitmap_andnot return");

	bitmap_or(dst, a.map, b.map, nbits);
	for (i = 0; i < nbits; i++)
		CHECK(test_bit(i, dst) == (a.ref[i] || b.ref[i]), "bitmap_or bit %u", i);

	bitmap_copy(dst, a.map, nbits);
	CHECK(bitmap_equal(dst, a.map, nbits), "bitmap_copy");

	bitmap_fill(dst, nbits);
	CHECK(bitmap_full(dst, nbits) && bitmap_weight(dst, nbits) == nbits,
	      "bitmap_fill");
	/* fill leaves the tail of the last word clear */
	CHECK(!nbits || !(dst[BITS_TO_LONGS(nbits) - 1] & ~BITMAP_LAST_WORD_MASK(nbits)),
	      "bitmap_fill tail");
	bitmap_zero(dst, nbits);
	CHECK(bitmap_empty(dst, nbits) && find_first_bit(dst, nbits) == nbits,
	      "bitmap_zero");

	free(a.map);
	free(b.map);
	free(dst);
}

static void test_bit_ops(unsigned int nbits)
{
	struct pair a;
	unsigned int step, i;

	random_pair(&a, nbits);
	for (step = 0; step < 4 * nbits; step++) {
		unsigned int op = rnd_below(6);
		bool old;

		i = rnd_below(nbits);
		switch (op) {
		case 0:
			set_bit(i, a.map);
			a.ref[i] = true;
			break;
		case 1:
			clear_bit(i, a.map);
			a.ref[i] = false;
			break;
		case 2:
			__set_bit(i, a.map);
			a.ref[i] = true;
			break;
		case 3:
			__clear_bit(i, a.map);
			a.ref[i] = false;
			break;
		case 4:
			old = test_and_set_bit(i, a.map);
			CHECK(old == a.ref[i], "test_and_set_bit old value");
			a.ref[i] = true;
			break;
		default:
			old = test_and_clear_bit(i, a.map);
			CHECK(old == a.ref[i], "test_and_clear_bit old value");
			a.ref[i] = false;
			break;
		}
	}
	CHECK(matches(&a, nbits), "bit operations diverged, nbits %u", nbits);
	free(a.map);
}

static void test_random(void)
{
	unsigned int iter, nbits;

	tap_bulk_begin();
	rnd_seed(7);
	for (iter = 0; iter < 3000; iter++) {
		/* word boundaries are where the bugs live */
		nbits = iter % 3 ? 1 + rnd_below(MAX_BITS) :
			BITS_PER_LONG * (1 + rnd_below(4)) - 1 + rnd_below(3);
		test_searches(nbits);
		test_ops(nbits);
		test_bit_ops(nbits);
	}
	tap_bulk_end("bitmap operations match a naive reference");

	tap_bulk_begin();
	for (iter = 0; iter < 100000; iter++) {
		unsigned long w = rnd() >> rnd_below(64), x = w;
		unsigned int n = 0;

		for (; x; x >>= 1)
			n += x & 1;
		CHECK(hweight_long(w) == n, "hweight_long(%#lx)", w);
	}
	tap_bulk_end("hweight_long");
}

static void test_zero_size(void)
{
	unsigned long word = ~0UL;

	TAP_OK(find_first_bit(&word, 0) == 0 && find_last_bit(&word, 0) == 0 &&
	       find_next_zero_bit(&word, 0, 0) == 0 && bitmap_empty(&word, 0) &&
	       bitmap_full(&word, 0) && bitmap_weight(&word, 0) == 0,
	       "zero-length bitmaps");
}

/*
 * Threads flip their own bits of shared words with set_bit/clear_bit and
 * check before each flip that the bit still holds what they last wrote:
 * no one else writes it, so any difference is another thread's lost
 * update. (No lock built from these: a broken one would hang, not fail.)
 */
#define NR_THREADS	4
#define ROUNDS		200000

static unsigned long shared[2];
static unsigned long lost[NR_THREADS];

static void *hammer(void *arg)
{
	unsigned long id = (unsigned long)arg, r, bit;

	for (r = 0; r < ROUNDS; r++) {
		for (bit = id; bit < 2 * BITS_PER_LONG; bit += NR_THREADS) {
			/* odd rounds follow a set, even ones a clear */
			if (test_bit(bit, shared) != (r & 1))
				lost[id]++;
			if (r & 1)
				clear_bit(bit, shared);
			else
				set_bit(bit, shared);
		}
	}
	return NULL;
}

/* All threads sweep the same bits: each must be won exactly once. */
#define RACE_BITS	(1UL << 20)

static unsigned long race_map[BITS_TO_LONGS(RACE_BITS)];
static unsigned long set_wins[NR_THREADS], clear_wins[NR_THREADS];
static pthread_barrier_t race_barrier;

static void *race(void *arg)
{
	unsigned long id = (unsigned long)arg, bit;

	for (bit = 0; bit < RACE_BITS; bit++)
		set_wins[id] += test_and_set_bit(bit, race_map) == 0;
	pthread_barrier_wait(&race_barrier);
	for (bit = 0; bit < RACE_BITS; bit++)
		clear_wins[id] += test_and_clear_bit(bit, race_map);
	return NULL;
}

/*
 * A try-lock from test_and_set_bit: holders must never overlap, and the
 * lock must end up free. Nobody spins, so a broken bitop cannot hang this.
 */
static unsigned long trylock_word, holders, overlaps;

static void *contend(void *arg)
{
	unsigned long r;

	(void)arg;
	for (r = 0; r < ROUNDS; r++) {
		if (test_and_set_bit(0, &trylock_word))
			continue;
		if (__atomic_fetch_add(&holders, 1, __ATOMIC_SEQ_CST))
			__atomic_fetch_add(&overlaps, 1, __ATOMIC_RELAXED);
		__atomic_fetch_sub(&holders, 1, __ATOMIC_SEQ_CST);
		clear_bit(0, &trylock_word);
	}
	return NULL;
}

static void test_atomic(void)
{
	pthread_t th[NR_THREADS];
	unsigned long i, nr_lost = 0, nr_set, nr_clear;

	for (i = 0; i < NR_THREADS; i++)
		pthread_create(&th[i], NULL, hammer, (void *)i);
	for (i = 0; i < NR_THREADS; i++) {
		pthread_join(th[i], NULL);
		nr_lost += lost[i];
	}
	/* ROUNDS is even, so every thread ended on clear_bit() */
	TAP_OK(!nr_lost && !shared[0] && !shared[1],
	       "set_bit/clear_bit lose no updates across threads");

	pthread_barrier_init(&race_barrier, NULL, NR_THREADS);
	for (i = 0; i < NR_THREADS; i++)
		pthread_create(&th[i], NULL, race, (void *)i);
	nr_set = nr_clear = 0;
	for (i = 0; i < NR_THREADS; i++) {
		pthread_join(th[i], NULL);
		nr_set += set_wins[i];
		nr_clear += clear_wins[i];
	}
	pthread_barrier_destroy(&race_barrier);
	TAP_OK(nr_set == RACE_BITS && nr_clear == RACE_BITS &&
	       bitmap_empty(race_map, RACE_BITS),
	       "racing test_and_set_bit/test_and_clear_bit win each bit once");

	for (i = 0; i < NR_THREADS; i++)
		pthread_create(&th[i], NULL, contend, NULL);
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
	TAP_OK(!overlaps && !trylock_word,
	       "test_and_set_bit try-lock excludes and ends free");
}

static void test_cpumask(void)
{
	struct cpumask a, b, c;
	unsigned int ucpu, n;
	int cpu;
	bool ok = true;

	cpumask_clear(&a);
	cpumask_clear(&b);
	ok &= cpumask_empty(&a) && cpumask_first(&a) >= nr_cpumask_bits;
	cpumask_set_cpu(3, &a);
	__cpumask_set_cpu(17, &a);
	cpumask_set_cpu(NR_CPUS - 1, &a);
	cpumask_set_cpu(17, &b);
	cpumask_set_cpu(40, &b);
	ok &= cpumask_weight(&a) == 3 && cpumask_first(&a) == 3 &&
	      cpumask_next(3, &a) == 17 && cpumask_next(17, &a) == NR_CPUS - 1 &&
	      cpumask_next(NR_CPUS - 1, &a) >= nr_cpumask_bits &&
	      cpumask_last(&a) == NR_CPUS - 1;
	ok &= cpumask_test_cpu(17, &a) && !cpumask_test_cpu(4, &a);

	n = 0;
	for_each_cpu(cpu, &a)
		n += cpu;
	ok &= n == 3 + 17 + NR_CPUS - 1;
	n = 0;
	for_each_cpu(ucpu, &a)	/* unsigned iterators work too */
		n++;
	ok &= n == 3;
	n = 0;
	for_each_cpu_and(cpu, &a, &b)
		n += cpu;
	ok &= n == 17 && cpumask_any_and(&a, &b) == 17;

	ok &= cpumask_and(&c, &a, &b) && cpumask_weight(&c) == 1;
	ok &= cpumask_intersects(&a, &b) && !cpumask_subset(&a, &b) &&
	      cpumask_subset(&c, &a) && cpumask_subset(&c, &b);
	ok &= cpumask_andnot(&c, &a, &b) && cpumask_weight(&c) == 2 &&
	      !cpumask_test_cpu(17, &c);
	cpumask_or(&c, &a, &b);
	ok &= cpumask_weight(&c) == 4;
	cpumask_copy(&c, &a);
	ok &= cpumask_equal(&c, &a) && !cpumask_equal(&a, &b);
	cpumask_clear_cpu(3, &c);
	__cpumask_clear_cpu(17, &c);
	ok &= cpumask_weight(&c) == 1;
	ok &= !cpumask_test_and_set_cpu(5, &c) && cpumask_test_and_set_cpu(5, &c) &&
	      cpumask_test_and_clear_cpu(5, &c) && !cpumask_test_cpu(5, &c);
	cpumask_clear(&b);
	ok &= !cpumask_and(&c, &a, &b) && !cpumask_intersects(&a, &b) &&
	      cpumask_subset(&b, &a);
	cpumask_setall(&c);
	ok &= cpumask_weight(&c) == NR_CPUS && cpumask_subset(&a, &c);
	TAP_OK(ok, "cpumask operations and iterators");
}

int main(void)
{
	test_random();
	test_zero_size();
	test_atomic();
	test_cpumask();
	return tap_done();
}
