/* SPDX-License-Identifier: MIT */
/* Fixed-width and kernel-wide basic types. Works freestanding and on the host. */
#ifndef KAIROS_TYPES_H
#define KAIROS_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef u64 phys_addr_t;

#ifndef __KAIROS_HOST__
typedef long ssize_t;
typedef u32 uid_t;
typedef u32 gid_t;
typedef int pid_t;
#else
#include <sys/types.h>
#endif

#endif
