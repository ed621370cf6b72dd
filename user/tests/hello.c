// SPDX-License-Identifier: MIT
/* Seed test: the smallest program there is, and a non-zero exit status. */
#include <stdio.h>

int main(void)
{
	printf("hello, world\n");
	return 3;
}
