// SPDX-License-Identifier: MIT
/* User strings, a byte at a time: each load is a get_user, so a fault ends the walk. */
#include <kairos/uaccess.h>

/* How many bytes from src are user space, or 0 if src is not a user address at all. */
static unsigned long user_bytes_from(const char __user *src)
{
	unsigned long addr = untagged_addr((unsigned long)src);

	return addr < USER_VA_END ? USER_VA_END - addr : 0;
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	unsigned long max = user_bytes_from(src);
	long i;

	if (count <= 0)
		return 0;
	for (i = 0; i < count; i++) {
		char c;
		int err = 0;

		if ((unsigned long)i == max)
			return -EFAULT;
		__get_user_error(c, src + i, err);
		if (err)
			return -EFAULT;
		dst[i] = c;
		if (!c)
			return i;
	}
	return count;
}

long strnlen_user(const char __user *str, long count)
{
	unsigned long max = user_bytes_from(str);
	long i;

	if (count <= 0)
		return 0;
	for (i = 0; i < count; i++) {
		char c;
		int err = 0;

		if ((unsigned long)i == max)
			return 0;
		__get_user_error(c, str + i, err);
		if (err)
			return 0;
		if (!c)
			return i + 1;
	}
	return count + 1;
}
