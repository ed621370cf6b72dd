/* SPDX-License-Identifier: MIT */
/*
 * Force-included (gcc -include) into every host test compile, library and
 * test sources alike.
 *
 * lib/string.c and lib/vsprintf.c define memcpy, strlen, snprintf and
 * friends. Linked into a host program under those names they would
 * replace the C library's functions for the whole process, including the
 * calls made by libc itself and by the sanitizer runtime, and clash with
 * the sanitizers' interceptors. So for the host build every such kernel
 * name is a macro for a kairos_-prefixed one: the library defines
 * kairos_memcpy, the tests call kairos_memcpy, and plain memcpy stays the
 * C library's.
 *
 * The C library headers declaring these names are included first, so
 * their declarations keep the real names and later #includes of them are
 * no-ops. A test that wants the C library version as a reference simply
 * #undefs the macro after including the kernel headers.
 */
#ifndef KAIROS_HOST_PREFIX_H
#define KAIROS_HOST_PREFIX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define memcpy		kairos_memcpy
#define memmove		kairos_memmove
#define memset		kairos_memset
#define memcmp		kairos_memcmp
#define memchr		kairos_memchr
#define strlen		kairos_strlen
#define strnlen		kairos_strnlen
#define strcmp		kairos_strcmp
#define strncmp		kairos_strncmp
#define strchr		kairos_strchr
#define strrchr		kairos_strrchr
#define strstr		kairos_strstr
#define strsep		kairos_strsep
#define strscpy		kairos_strscpy

#define vsnprintf	kairos_vsnprintf
#define snprintf	kairos_snprintf
#define vscnprintf	kairos_vscnprintf
#define scnprintf	kairos_scnprintf

#endif
