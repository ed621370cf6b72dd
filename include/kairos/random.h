/* SPDX-License-Identifier: MIT */
/* Random numbers for the kernel and for getrandom(2) (drivers/char/random.c). */
#ifndef KAIROS_RANDOM_H
#define KAIROS_RANDOM_H

#include <kairos/types.h>

/* Fill buf with len cryptographically strong random bytes. */
void get_random_bytes(void *buf, size_t len);

#endif
