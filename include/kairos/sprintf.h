/* SPDX-License-Identifier: MIT */
/*
 * Bounded formatted output. There is deliberately no sprintf().
 *
 * Standard conversions %d %i %u %x %X %o %c %s %% with flags "-0+ #",
 * width, precision ('*' too) and length modifiers hh h l ll z t.
 * Differences from C: %s of NULL prints "(null)"; %p always prints the
 * raw address as 0x plus 16 hex digits (no hashing: this is a debugging
 * kernel); %pS prints "func+0x1c/0x80" and %ps "func" for a code address,
 * falling back to the raw address when no symbol is known.
 */
#ifndef KAIROS_SPRINTF_H
#define KAIROS_SPRINTF_H

#include <kairos/compiler.h>
#include <kairos/types.h>

/* Both return the length the full output would have had, like C's. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Both return the number of characters actually stored (without the NUL). */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
