// SPDX-License-Identifier: MIT
/* Seed test: getpid works, an unknown system call number fails with ENOSYS. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(void)
{
	long ret;

	printf("getpid() > 0: %s\n", getpid() > 0 ? "yes" : "no");
	errno = 0;
	ret = syscall(9999);
	printf("syscall(9999) = %ld, errno = %s\n", ret, errno == ENOSYS ? "ENOSYS" : "other");
	return 0;
}
