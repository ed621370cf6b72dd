/* SPDX-License-Identifier: MIT */
/* Random numbers (drivers/char/random.c): a ChaCha20 generator seeded at boot. */
#ifndef KAIROS_RANDOM_H
#define KAIROS_RANDOM_H

#include <kairos/compiler.h>
#include <kairos/types.h>

/* Seed from the device tree and timer jitter (boot, after setup_arch and time_init). */
void random_init(void);
/* Fill buf with random bytes; never blocks, any context but hard IRQ. */
void get_random_bytes(void *buf, size_t len);
/* The same into user memory (at most MAX_RW_COUNT): the count copied, -EFAULT if none. */
ssize_t get_random_bytes_user(void __user *buf, size_t len);
/* Mix data into the generator's state (it is not counted as entropy). */
void add_device_randomness(const void *buf, size_t len);

#endif
