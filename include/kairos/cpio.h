/* SPDX-License-Identifier: MIT */
/*
 * A streaming reader of cpio archives in the "newc" (070701) and "crc" (070702)
 * formats, as the initramfs uses them: fed any pieces of the stream, it calls back for
 * each entry. Archives may follow each other, separated by NUL padding.
 */
#ifndef KAIROS_CPIO_H
#define KAIROS_CPIO_H

#include <kairos/types.h>

#define CPIO_HDR_SIZE	110		/* "070701" and 13 fields of 8 hex digits */
#define CPIO_NAME_MAX	4096		/* names and symlink targets, with the NUL */
#define CPIO_TRAILER	"TRAILER!!!"

struct cpio_entry {
	u32 ino, mode, uid, gid, nlink, mtime, filesize;
	u32 devmajor, devminor, rdevmajor, rdevminor, check;
	bool crc_format;		/* 070702: check is the sum of the data bytes */
	const char *name;		/* NUL-terminated */
	const char *link;		/* a symlink's target, NUL-terminated */
};

/* A non-zero return stops the reader with that error. */
struct cpio_ops {
	/* An entry's header and name are in, and a symlink's target. */
	int (*entry)(void *arg, const struct cpio_entry *e);
	/* The next piece of the data of the regular file entry() announced. */
	int (*data)(void *arg, const void *buf, size_t len);
	/* The regular file's data is complete (and its checksum matched). */
	int (*end)(void *arg, const struct cpio_entry *e);
	/* The TRAILER!!! entry: an archive ended. */
	int (*trailer)(void *arg);
};

enum cpio_state {
	CPIO_IDLE,			/* between entries: NUL padding or a header */
	CPIO_HEADER,
	CPIO_NAME,
	CPIO_LINK,
	CPIO_DATA,
	CPIO_SKIP,			/* padding, or data nobody wants */
};

struct cpio_parser {
	const struct cpio_ops *ops;
	void *arg;
	enum cpio_state state;
	u64 offset;			/* in the stream: headers are 4-byte aligned */
	size_t need;			/* bytes to collect, pass on or skip in this state */
	size_t have;
	u32 namesize;
	u32 sum;			/* of the data bytes so far, for the crc format */
	struct cpio_entry entry;
	const char *error;
	char hdr[CPIO_HDR_SIZE];
	char name[CPIO_NAME_MAX + 3];	/* with the padding after it */
	char link[CPIO_NAME_MAX];
};

void cpio_init(struct cpio_parser *p, const struct cpio_ops *ops, void *arg);
/* A new stream (a decompressed member) starts, or the raw input resumes at offset. */
void cpio_start(struct cpio_parser *p, u64 offset);
/*
 * Feeds len bytes. Returns 0 with *used = len, or 0 with *used < len when a byte other
 * than NUL or a header's '0' comes between entries (the caller decides what it is);
 * -EINVAL with p->error set for a malformed archive; or a callback's error.
 */
int cpio_write(struct cpio_parser *p, const void *buf, size_t len, size_t *used);

/* Between entries, so the input may end here. */
static inline bool cpio_idle(const struct cpio_parser *p)
{
	return p->state == CPIO_IDLE;
}

#endif
