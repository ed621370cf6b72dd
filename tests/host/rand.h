/* SPDX-License-Identifier: MIT */
/* Deterministic pseudo-random numbers for generated test cases. */
#ifndef KAIROS_TEST_RAND_H
#define KAIROS_TEST_RAND_H

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static inline void rnd_seed(unsigned long long seed)
{
	rng_state = seed * 0x9e3779b97f4a7c15ULL | 1;	/* never zero */
}

/* xorshift64*: fast, reproducible, plenty for test data */
static inline unsigned long long rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* Uniform enough in [0, n) for n much smaller than 2^64. */
static inline unsigned long long rnd_below(unsigned long long n)
{
	return rnd() % n;
}

#endif
