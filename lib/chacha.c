// SPDX-License-Identifier: MIT
/* The ChaCha20 block function as RFC 8439 section 2.3 defines it. */
#include <kairos/chacha.h>

static u32 rol32(u32 v, unsigned int n)
{
	return (v << n) | (v >> (32 - n));
}

static u32 load_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void store_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

void chacha20_init(u32 state[CHACHA_STATE_WORDS], const u8 key[CHACHA_KEY_SIZE], u32 counter,
		   const u8 nonce[CHACHA_NONCE_SIZE])
{
	/* "expand 32-byte k" */
	state[0] = 0x61707865;
	state[1] = 0x3320646e;
	state[2] = 0x79622d32;
	state[3] = 0x6b206574;
	for (int i = 0; i < 8; i++)
		state[4 + i] = load_le32(key + 4 * i);
	state[12] = counter;
	for (int i = 0; i < 3; i++)
		state[13 + i] = load_le32(nonce + 4 * i);
}

#define QUARTERROUND(x, a, b, c, d) do {				\
	x[a] += x[b]; x[d] = rol32(x[d] ^ x[a], 16);			\
	x[c] += x[d]; x[b] = rol32(x[b] ^ x[c], 12);			\
	x[a] += x[b]; x[d] = rol32(x[d] ^ x[a], 8);			\
	x[c] += x[d]; x[b] = rol32(x[b] ^ x[c], 7);			\
} while (0)

void chacha20_block(u32 state[CHACHA_STATE_WORDS], u8 out[CHACHA_BLOCK_SIZE])
{
	u32 x[CHACHA_STATE_WORDS];

	for (int i = 0; i < CHACHA_STATE_WORDS; i++)
		x[i] = state[i];
	/* 20 rounds: a column round and a diagonal round, ten times. */
	for (int i = 0; i < 10; i++) {
		QUARTERROUND(x, 0, 4, 8, 12);
		QUARTERROUND(x, 1, 5, 9, 13);
		QUARTERROUND(x, 2, 6, 10, 14);
		QUARTERROUND(x, 3, 7, 11, 15);
		QUARTERROUND(x, 0, 5, 10, 15);
		QUARTERROUND(x, 1, 6, 11, 12);
		QUARTERROUND(x, 2, 7, 8, 13);
		QUARTERROUND(x, 3, 4, 9, 14);
	}
	for (int i = 0; i < CHACHA_STATE_WORDS; i++)
		store_le32(out + 4 * i, x[i] + state[i]);
	state[12]++;
}
