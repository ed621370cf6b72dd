/* SPDX-License-Identifier: MIT */
/*
 * Copying to and from user space (current->mm, or the mm a kernel thread adopted).
 * A bad pointer never oopses: the copies return how many bytes were not copied,
 * get_user/put_user and the string helpers -EFAULT. A fault that a page fault can
 * resolve (demand paging, copy-on-write, stack growth) is resolved and the copy goes on,
 * except in atomic context, where it fails as a bad pointer would.
 */
#ifndef KAIROS_UACCESS_H
#define KAIROS_UACCESS_H

#include <asm/uaccess.h>
#include <kairos/string.h>

/*
 * Sizes beyond INT_MAX are a caller's bug (an unchecked length from user space): refuse
 * them whole, without touching either buffer, as Linux's check_copy_size does.
 */
static inline bool copy_size_ok(unsigned long n)
{
	return n <= (unsigned long)__INT_MAX__;
}

/* Bytes not copied; those at the end of to are zeroed, so none stays uninitialised. */
static inline unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left = n;

	if (!copy_size_ok(n))
		return n;
	if (access_ok(from, n))
		left = __arch_copy_from_user(to, from, n);
	if (left)
		memset((char *)to + (n - left), 0, left);
	return left;
}

static inline unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	if (!copy_size_ok(n) || !access_ok(to, n))
		return n;
	return __arch_copy_to_user(to, from, n);
}

/* Zero n user bytes; returns the number not zeroed. */
static inline unsigned long clear_user(void __user *to, unsigned long n)
{
	if (!copy_size_ok(n) || !access_ok(to, n))
		return n;
	return __arch_clear_user(to, n);
}

/* 0, or -EFAULT with x = 0. */
#define get_user(x, ptr) ({						\
	__typeof__(*(ptr)) __user *__gu_p = (ptr);			\
	int __gu_err = 0;						\
									\
	if (access_ok(__gu_p, sizeof(*__gu_p))) {			\
		__get_user_error((x), __gu_p, __gu_err);		\
	} else {							\
		(x) = (__typeof__(*(ptr)))0;				\
		__gu_err = -EFAULT;					\
	}								\
	__gu_err;							\
})

/* 0, or -EFAULT. */
#define put_user(x, ptr) ({						\
	__typeof__(*(ptr)) __user *__pu_p = (ptr);			\
	int __pu_err = 0;						\
									\
	if (access_ok(__pu_p, sizeof(*__pu_p)))				\
		__put_user_error((x), __pu_p, __pu_err);		\
	else								\
		__pu_err = -EFAULT;					\
	__pu_err;							\
})

/* 1 if the size user bytes at from are all zero, 0 if not, -EFAULT. */
int check_zeroed_user(const void __user *from, size_t size);
/*
 * A struct that grows by appending fields (clone3's clone_args): an older, shorter user
 * version is zero-extended; a newer, longer one is accepted if the fields we do not know
 * are zero. 0, -E2BIG (a non-zero unknown field) or -EFAULT.
 */
int copy_struct_from_user(void *dst, size_t ksize, const void __user *src, size_t usize);

/*
 * Copy a NUL-terminated string of at most count bytes. Returns its length (without the
 * NUL, which is copied), count if no NUL came within count bytes (dst is then not
 * terminated), or -EFAULT.
 */
long strncpy_from_user(char *dst, const char __user *src, long count);
/*
 * The size of the string at str including its NUL; count + 1 if there is no NUL
 * within count bytes; 0 on a fault.
 */
long strnlen_user(const char __user *str, long count);

#endif
