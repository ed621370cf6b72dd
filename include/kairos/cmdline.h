/* SPDX-License-Identifier: MIT */
/* Kernel command line parsing and strict string-to-integer conversion. */
#ifndef KAIROS_CMDLINE_H
#define KAIROS_CMDLINE_H

#include <kairos/types.h>
#include <uapi/errno.h>	/* kstrto*() return -EINVAL and -ERANGE */

/*
 * Split @args in place into whitespace-separated words and call @handler
 * for each with the text before the first '=' as @param and the rest as
 * @val (NULL when there is no '='). Double quotes group words containing
 * spaces and are removed: param="a b" and "param=a b" both give "a b".
 * The strings handed out point into @args and live as long as it does.
 * Stops at the first non-zero handler return and returns it; 0 otherwise.
 */
int parse_args(char *args, int (*handler)(char *param, char *val, void *arg),
	       void *arg);

/* Parameter names match with '-' and '_' treated as the same character. */
bool parameq(const char *a, const char *b);

/*
 * Parse the whole of @s (one trailing newline allowed) as an integer in
 * @base, 2..16, or 0 to pick 16 for "0x", 8 for a leading "0", else 10.
 * Returns 0, -EINVAL for malformed input or -ERANGE if it does not fit;
 * *@res is only written on success.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoll(const char *s, unsigned int base, long long *res);
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtol(const char *s, unsigned int base, long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);

/*
 * A size like "64M": a number (any base prefix) optionally followed by
 * K, M, G, T, P or E (binary multiples, either case). Lenient: stops at
 * the first character that does not fit and reports it via @retptr.
 * Saturates at ULLONG_MAX.
 */
unsigned long long memparse(const char *ptr, char **retptr);

#endif
