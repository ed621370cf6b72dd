/* SPDX-License-Identifier: MIT */
/* Errors in pointers: the top 4095 addresses encode -errno, as Linux does. */
#ifndef KAIROS_ERR_H
#define KAIROS_ERR_H

#include <kairos/compiler.h>
#include <kairos/types.h>

#define MAX_ERRNO	4095

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

/* For functions that return an address or -errno in an unsigned long (mmap). */
#define IS_ERR_VALUE(x)	unlikely((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

static inline bool IS_ERR(const void *ptr)
{
	return unlikely((unsigned long)ptr >= (unsigned long)-MAX_ERRNO);
}

#endif
