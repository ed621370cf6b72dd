// SPDX-License-Identifier: MIT
/* Versioned structs from user space (clone3, and the like): Linux's extensible-struct rules. */
#include <kairos/uaccess.h>

int check_zeroed_user(const void __user *from, size_t size)
{
	char buf[64];

	while (size) {
		size_t n = min(size, sizeof(buf));

		if (copy_from_user(buf, from, n))
			return -EFAULT;
		for (size_t i = 0; i < n; i++)
			if (buf[i])
				return 0;
		from += n;
		size -= n;
	}
	return 1;
}

int copy_struct_from_user(void *dst, size_t ksize, const void __user *src, size_t usize)
{
	size_t size = min(ksize, usize);

	if (usize < ksize) {
		memset((char *)dst + size, 0, ksize - size);
	} else if (usize > ksize) {
		int zeroed = check_zeroed_user(src + size, usize - size);

		if (zeroed <= 0)
			return zeroed ? zeroed : -E2BIG;
	}
	if (copy_from_user(dst, src, size))
		return -EFAULT;
	return 0;
}
