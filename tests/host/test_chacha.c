// SPDX-License-Identifier: MIT
/* lib/chacha.c against the test vectors of RFC 8439 (sections 2.3.2, 2.4.2, A.1). */
#include <kairos/chacha.h>
#include <kairos/string.h>

#include <stdlib.h>

#include "tap.h"

static void unhex(u8 *out, const char *hex)
{
	for (size_t i = 0; hex[2 * i]; i++) {
		char b[3] = { hex[2 * i], hex[2 * i + 1], 0 };

		out[i] = (u8)strtoul(b, NULL, 16);
	}
}

static bool block_is(const u8 key[CHACHA_KEY_SIZE], u32 counter, const char *nonce_hex,
		     const char *want_hex)
{
	u8 nonce[CHACHA_NONCE_SIZE], out[CHACHA_BLOCK_SIZE], want[CHACHA_BLOCK_SIZE];
	u32 state[CHACHA_STATE_WORDS];

	unhex(nonce, nonce_hex);
	unhex(want, want_hex);
	chacha20_init(state, key, counter, nonce);
	chacha20_block(state, out);
	return !memcmp(out, want, sizeof(out)) && state[12] == counter + 1;
}

int main(void)
{
	static const char sunscreen[] = "Ladies and Gentlemen of the class of '99: If I could "
		"offer you only one tip for the future, sunscreen would be it.";
	u8 key[CHACHA_KEY_SIZE], zero[CHACHA_KEY_SIZE] = { 0 }, nonce[CHACHA_NONCE_SIZE];
	u8 ct[sizeof(sunscreen) - 1], want[sizeof(sunscreen) - 1], stream[CHACHA_BLOCK_SIZE];
	u32 state[CHACHA_STATE_WORDS];

	for (int i = 0; i < CHACHA_KEY_SIZE; i++)
		key[i] = (u8)i;

	TAP_OK(block_is(key, 1, "000000090000004a00000000",
			"10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
			"d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"),
	       "rfc8439_2.3.2_block");
	TAP_OK(block_is(zero, 0, "000000000000000000000000",
			"76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
			"da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"),
	       "rfc8439_a.1_block_1");
	TAP_OK(block_is(zero, 1, "000000000000000000000000",
			"9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
			"29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f"),
	       "rfc8439_a.1_block_2");

	/* 2.4.2: encryption is the plaintext XOR consecutive blocks from counter 1. */
	unhex(nonce, "000000000000004a00000000");
	unhex(want, "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
		    "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
		    "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
		    "5af90bbf74a35be6b40b8eedf2785e42874d");
	chacha20_init(state, key, 1, nonce);
	for (size_t i = 0; i < sizeof(ct); i++) {
		if (i % CHACHA_BLOCK_SIZE == 0)
			chacha20_block(state, stream);
		ct[i] = (u8)sunscreen[i] ^ stream[i % CHACHA_BLOCK_SIZE];
	}
	TAP_OK(!memcmp(ct, want, sizeof(ct)), "rfc8439_2.4.2_encryption");
	return tap_done();
}
