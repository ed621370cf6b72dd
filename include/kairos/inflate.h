/* SPDX-License-Identifier: MIT */
/*
 * DEFLATE (RFC 1951) decompression of gzip members (RFC 1952), for the initramfs.
 * The whole input is in memory; output goes through a 32 KiB window to a callback.
 */
#ifndef KAIROS_INFLATE_H
#define KAIROS_INFLATE_H

#include <kairos/types.h>

#define INFLATE_WINDOW	32768		/* the farthest a match may reach back */
#define INFLATE_MAXBITS	15		/* the longest Huffman code */
#define INFLATE_MAXLCODES 286		/* literal/length symbols a dynamic block may use */
#define INFLATE_MAXDCODES 30
#define INFLATE_FIXLCODES 288		/* the fixed code covers two unused symbols too */

/* A canonical Huffman code: how many codes of each length, and symbols in code order. */
struct huffman {
	u16 count[INFLATE_MAXBITS + 1];
	u16 symbol[INFLATE_FIXLCODES];
};

/* Scratch space for one gunzip() at a time: about 35 KiB, too big for a kernel stack. */
struct inflate_ws {
	u8 window[INFLATE_WINDOW];
	struct huffman lencode, distcode;
	u16 lengths[INFLATE_MAXLCODES + INFLATE_MAXDCODES];
};

/* Takes the next len bytes of output; a non-zero return stops gunzip() with it. */
typedef int (*inflate_flush_t)(void *arg, const u8 *buf, size_t len);

/*
 * Decompress the gzip member at in[0..len), handing the output to flush in pieces of at
 * most INFLATE_WINDOW bytes. Returns 0 with *used set to the member's size, header to
 * trailer (bytes after it are the caller's), -EINVAL for a malformed, corrupt or
 * truncated member with *msg saying what is wrong, or flush's own error (*msg NULL).
 * It never reads outside in[0..len); the CRC-32 and length of the trailer are checked.
 */
int gunzip(const u8 *in, size_t len, size_t *used, inflate_flush_t flush, void *arg,
	   struct inflate_ws *ws, const char **msg);

#endif
