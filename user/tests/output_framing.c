// SPDX-License-Identifier: MIT
/*
 * Seed test for the harness itself: what a test writes reaches the expected file byte
 * for byte (stderr too, a long line, a backslash, control and non-ASCII bytes, no final
 * newline), and death by a signal is recorded as such.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void put(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		_exit(1);
}

int main(void)
{
	char line[1300];

	put(1, "stdout first\n");
	put(2, "then stderr\n");
	put(1, "tab\tbackslash\\ bell\a byte\xe9 utf-8 \xc3\xa9\n");
	memset(line, 'x', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = 0;
	put(1, line);
	put(1, "| @@utest end output_framing exit=0\n");
	put(1, "no newline at the end");
	raise(SIGUSR1);
	return 0;
}
