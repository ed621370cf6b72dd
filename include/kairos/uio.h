/* SPDX-License-Identifier: MIT */
/*
 * Where a read or write's bytes go or come from: user memory (an iovec array, readv and
 * friends; a single buffer is one segment) or kernel memory (kvec: kernel_read and
 * kernel_write). File operations see only an iov_iter, so one read_iter serves both.
 * lib/iov_iter.c.
 */
#ifndef KAIROS_UIO_H
#define KAIROS_UIO_H

#include <kairos/compiler.h>
#include <kairos/types.h>

struct iovec {				/* the Linux ABI layout */
	void __user *iov_base;
	size_t iov_len;
};

struct kvec {
	void *iov_base;
	size_t iov_len;
};

#define UIO_MAXIOV	1024
#define UIO_FASTIOV	8		/* segments readv takes without allocating */

enum iter_type {
	ITER_IOVEC,			/* user memory */
	ITER_KVEC,			/* kernel memory */
};

/* direction: the iterator is the destination (READ) or the source (WRITE) of the data. */
#define READ	0
#define WRITE	1

struct iov_iter {
	u8 iter_type;
	bool data_source;		/* WRITE */
	size_t iov_offset;		/* into the current segment */
	size_t count;			/* bytes left in all segments */
	union {
		const struct iovec *iov;
		const struct kvec *kvec;
	};
	unsigned long nr_segs;
};

void iov_iter_init(struct iov_iter *i, unsigned int direction, const struct iovec *iov,
		   unsigned long nr_segs, size_t count);
void iov_iter_kvec(struct iov_iter *i, unsigned int direction, const struct kvec *kvec,
		   unsigned long nr_segs, size_t count);

static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

/* Copy up to bytes, advancing the iterator; returns how many were copied (short only
 * on a fault in user memory). */
size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i);
size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i);
/* Fill up to bytes with zeros, the same way. */
size_t iov_iter_zero(size_t bytes, struct iov_iter *i);
/* Skip bytes, or give back the last unused ones. */
void iov_iter_advance(struct iov_iter *i, size_t bytes);
void iov_iter_revert(struct iov_iter *i, size_t bytes);

/*
 * readv(2)'s array: copied into *iovp (fast_segs entries) or an allocation returned in
 * *iovp for the caller to kfree (NULL when none was made). The total length, cut to
 * MAX_RW_COUNT; EINVAL for too many segments or a length below zero as an ssize_t,
 * EFAULT for an array or a segment outside user memory.
 */
ssize_t import_iovec(int rw, const struct iovec __user *uvec, unsigned int nr_segs,
		     unsigned int fast_segs, struct iovec **iovp, struct iov_iter *i);

#endif
