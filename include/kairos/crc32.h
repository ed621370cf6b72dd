/* SPDX-License-Identifier: MIT */
/* CRC-32 of IEEE 802.3 (gzip, zlib, PNG): reflected polynomial 0xedb88320. */
#ifndef KAIROS_CRC32_H
#define KAIROS_CRC32_H

#include <kairos/types.h>

/*
 * Continues crc over len bytes, without the pre- and post-inversion, as Linux's
 * crc32_le(): the CRC gzip stores is ~crc32_le(~0, buf, len), and chunks chain.
 */
u32 crc32_le(u32 crc, const void *buf, size_t len);

#endif
