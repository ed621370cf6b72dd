/* SPDX-License-Identifier: MIT */
/* Memory and string helpers; the kernel links no C library. */
#ifndef KAIROS_STRING_H
#define KAIROS_STRING_H

#include <kairos/types.h>
#include <uapi/errno.h>	/* strscpy() returns -E2BIG on truncation */

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strsep(char **strp, const char *delim);
ssize_t strscpy(char *dst, const char *src, size_t size);

#endif
