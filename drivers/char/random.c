// SPDX-License-Identifier: MIT
/* PLACEHOLDER until the random-number work lands (replaced whole): counter-derived bytes,
 * not secure. */
#include <asm/sysreg.h>
#include <kairos/random.h>

void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;
	u64 x = read_sysreg(cntvct_el0) | 1;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (u8)x;
	}
}
