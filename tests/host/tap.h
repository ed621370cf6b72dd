/* SPDX-License-Identifier: MIT */
/*
 * A minimal TAP producer for the host unit tests: one "ok N - name" or
 * "not ok N - name # reason" line per result, "# ..." diagnostics, and
 * the "1..N" plan at the end. tap_done()'s value is the exit status.
 *
 * Bulk checks (thousands of generated cases) go through CHECK(), which
 * counts failures and prints the first few; tap_bulk_end() then turns
 * the whole batch into one TAP result.
 */
#ifndef KAIROS_TAP_H
#define KAIROS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#define TAP_DIAG_LIMIT	8

static int tap_count, tap_failed;
static unsigned long tap_bulk_checks, tap_bulk_failures;

static inline void tap_result(bool pass, const char *name, const char *reason)
{
	tap_count++;
	if (pass) {
		printf("ok %d - %s\n", tap_count, name);
	} else {
		tap_failed++;
		printf("not ok %d - %s # %s\n", tap_count, name, reason);
	}
	fflush(stdout);
}

static inline __attribute__((format(printf, 1, 2)))
void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

/* One TAP line per condition; the reason is the condition's source text. */
#define TAP_OK(cond, name)	tap_result(!!(cond), (name), #cond)

static inline void tap_bulk_begin(void)
{
	tap_bulk_checks = 0;
	tap_bulk_failures = 0;
}

/* Count one bulk check; print the location and details of early failures. */
#define CHECK(cond, ...)						\
	do {								\
		tap_bulk_checks++;					\
		if (!(cond) && tap_bulk_failures++ < TAP_DIAG_LIMIT) {	\
			tap_diag("%s:%d: %s", __FILE__, __LINE__, #cond); \
			tap_diag(__VA_ARGS__);				\
		}							\
	} while (0)

static inline void tap_bulk_end(const char *name)
{
	char reason[80];

	sprintf(reason, "%lu of %lu checks failed", tap_bulk_failures,
		tap_bulk_checks);
	tap_result(!tap_bulk_failures && tap_bulk_checks, name, reason);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failed)
		tap_diag("%d of %d tests failed", tap_failed, tap_count);
	return tap_failed ? 1 : 0;
}

#endif
