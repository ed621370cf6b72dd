/* SPDX-License-Identifier: MIT */
/* The ChaCha20 block function (RFC 8439), for the random-number generator. */
#ifndef KAIROS_CHACHA_H
#define KAIROS_CHACHA_H

#include <kairos/types.h>

#define CHACHA_KEY_SIZE		32
#define CHACHA_NONCE_SIZE	12
#define CHACHA_BLOCK_SIZE	64
#define CHACHA_STATE_WORDS	16

/* The constants, the key, the block counter (word 12) and the nonce. */
void chacha20_init(u32 state[CHACHA_STATE_WORDS], const u8 key[CHACHA_KEY_SIZE], u32 counter,
		   const u8 nonce[CHACHA_NONCE_SIZE]);
/* One block of key stream for the state's counter; the counter then advances. */
void chacha20_block(u32 state[CHACHA_STATE_WORDS], u8 out[CHACHA_BLOCK_SIZE]);

#endif
