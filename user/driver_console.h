/* SPDX-License-Identifier: MIT */
/*
 * Console output for the init programs that drive a boot (utest-driver, bench-driver):
 * one write() per line, no stdio, so nothing is lost in a buffer when the machine powers
 * off and lines from concurrent writers never interleave mid-line.
 */
#ifndef KAIROS_USER_DRIVER_CONSOLE_H
#define KAIROS_USER_DRIVER_CONSOLE_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static void write_all(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* printf a line, newline added; a line too long is cut. */
static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	write_all(line, (size_t)n);
}

#endif
