// SPDX-License-Identifier: MIT
/*
 * Memory and string primitives.
 *
 * The compiler emits calls to memcpy/memset/memmove/memcmp on its own
 * (struct copies, large initialisers), so these must exist, and must not
 * be turned back into calls to themselves by GCC's loop-idiom recognition.
 */
#include <kairos/compiler.h>
#include <kairos/string.h>

/* A word that may alias any object, so bulk copies stay strict-aliasing safe. */
typedef unsigned long __attribute__((may_alias)) word_t;

#define WORD_SIZE	sizeof(word_t)
#define WORD_MASK	(WORD_SIZE - 1)

/*
 * Byte loops carry an empty asm so GCC cannot rewrite them into a call to
 * memcpy()/memset() (it does so for plain fill loops in hosted builds),
 * which from inside those functions would recurse.
 */
#define byte_loop_barrier()	barrier()

static void copy_forward(u8 *d, const u8 *s, size_t n)
{
	/* Words only help when both pointers can become aligned together. */
	if (n >= 2 * WORD_SIZE && !(((uintptr_t)d ^ (uintptr_t)s) & WORD_MASK)) {
		while ((uintptr_t)d & WORD_MASK) {
			*d++ = *s++;
			n--;
		}
		while (n >= 4 * WORD_SIZE) {
			word_t *dw = (word_t *)d;
			const word_t *sw = (const word_t *)s;
			word_t a = sw[0], b = sw[1], c = sw[2], e = sw[3];

			dw[0] = a;
			dw[1] = b;
			dw[2] = c;
			dw[3] = e;
			d += 4 * WORD_SIZE;
			s += 4 * WORD_SIZE;
			n -= 4 * WORD_SIZE;
		}
		while (n >= WORD_SIZE) {
			*(word_t *)d = *(const word_t *)s;
			d += WORD_SIZE;
			s += WORD_SIZE;
			n -= WORD_SIZE;
		}
	}
	while (n--) {
		*d++ = *s++;
		byte_loop_barrier();
	}
}

static void copy_backward(u8 *d, const u8 *s, size_t n)
{
	d += n;
	s += n;
	if (n >= 2 * WORD_SIZE && !(((uintptr_t)d ^ (uintptr_t)s) & WORD_MASK)) {
		while ((uintptr_t)d & WORD_MASK) {
			*--d = *--s;
			n--;
		}
		while (n >= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			*(word_t *)d = *(const word_t *)s;
			n -= WORD_SIZE;
		}
	}
	while (n--) {
		*--d = *--s;
		byte_loop_barrier();
	}
}

void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	/*
	 * A forward copy is safe whenever the destination starts below the
	 * source: every word is read before the copy can overwrite it.
	 */
	if ((uintptr_t)dst <= (uintptr_t)src ||
	    (uintptr_t)dst >= (uintptr_t)src + n)
		copy_forward(dst, src, n);
	else
		copy_backward(dst, src, n);
	return dst;
}

void *memset(void *s, int c, size_t n)
{
	u8 *p = s;

	if (n >= 2 * WORD_SIZE) {
		word_t w = (u8)c * (~0UL / 0xff);	/* byte replicated */

		while ((uintptr_t)p & WORD_MASK) {
			*p++ = (u8)c;
			n--;
		}
		while (n >= WORD_SIZE) {
			*(word_t *)p = w;
			p += WORD_SIZE;
			n -= WORD_SIZE;
		}
	}
	while (n--) {
		*p++ = (u8)c;
		byte_loop_barrier();
	}
	return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *pa = a, *pb = b;

	for (; n; n--, pa++, pb++) {
		if (*pa != *pb)
			return *pa < *pb ? -1 : 1;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++) {
		if (*p == (u8)c)
			return (void *)p;
	}
	return NULL;
}

/*
 * The string functions go byte by byte: reading whole words could touch
 * bytes past the terminator, which is harmless on hardware but would be
 * flagged by the host sanitizers and is not worth the complexity here.
 */
size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t i = 0;

	while (i < maxlen && s[i])
		i++;
	return i;
}

int strcmp(const char *a, const char *b)
{
	const u8 *pa = (const u8 *)a, *pb = (const u8 *)b;

	while (*pa && *pa == *pb) {
		pa++;
		pb++;
	}
	if (*pa == *pb)
		return 0;
	return *pa < *pb ? -1 : 1;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const u8 *pa = (const u8 *)a, *pb = (const u8 *)b;

	for (; n; n--, pa++, pb++) {
		if (*pa != *pb)
			return *pa < *pb ? -1 : 1;
		if (!*pa)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *haystack, const char *needle)
{
	size_t hl, nl = strlen(needle);

	if (!nl)
		return (char *)haystack;
	for (hl = strlen(haystack); hl >= nl; hl--, haystack++) {
		if (!memcmp(haystack, needle, nl))
			return (char *)haystack;
	}
	return NULL;
}

char *strsep(char **strp, const char *delim)
{
	char *start = *strp, *p;

	if (!start)
		return NULL;
	for (p = start; *p; p++) {
		if (strchr(delim, *p)) {
			*p = '\0';
			*strp = p + 1;
			return start;
		}
	}
	*strp = NULL;
	return start;
}

/*
 * Copy a string into a buffer of @size bytes, always NUL-terminating when
 * @size is non-zero. Returns the length copied, or -E2BIG if @src did not
 * fit (the destination then holds the truncated prefix). Never reads more
 * than @size bytes of @src.
 */
ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t i;

	if (!size)
		return -E2BIG;
	for (i = 0; i < size; i++) {
		dst[i] = src[i];
		if (!src[i])
			return i;
	}
	dst[size - 1] = '\0';
	return -E2BIG;
}
