// SPDX-License-Identifier: MIT
/*
 * Iterating over the segments of a read or write (kairos/uio.h). The iterator always
 * points at the segment holding its position; a segment may be empty. User segments
 * are copied with the raw arch copies, so a fault leaves the bytes after it untouched
 * (a write into a file page must not zero the rest of the page) and the copy short.
 */
#include <kairos/fs.h>
#include <kairos/slab.h>
#include <kairos/uaccess.h>
#include <kairos/uio.h>
#include <uapi/errno.h>

void iov_iter_init(struct iov_iter *i, unsigned int direction, const struct iovec *iov,
		   unsigned long nr_segs, size_t count)
{
	*i = (struct iov_iter){
		.iter_type = ITER_IOVEC, .data_source = direction == WRITE,
		.iov = iov, .nr_segs = nr_segs, .count = count,
	};
}

void iov_iter_kvec(struct iov_iter *i, unsigned int direction, const struct kvec *kvec,
		   unsigned long nr_segs, size_t count)
{
	*i = (struct iov_iter){
		.iter_type = ITER_KVEC, .data_source = direction == WRITE,
		.kvec = kvec, .nr_segs = nr_segs, .count = count,
	};
}

/* iovec and kvec have the same layout: the base as a number, and the length. */
static unsigned long seg_base(const struct iov_iter *i)
{
	return i->iter_type == ITER_IOVEC ? (unsigned long)i->iov->iov_base :
					    (unsigned long)i->kvec->iov_base;
}

static size_t seg_len(const struct iov_iter *i)
{
	return i->iter_type == ITER_IOVEC ? i->iov->iov_len : i->kvec->iov_len;
}

static void next_seg(struct iov_iter *i)
{
	if (i->iter_type == ITER_IOVEC)
		i->iov++;
	else
		i->kvec++;
	i->nr_segs--;
	i->iov_offset = 0;
}

static void prev_seg(struct iov_iter *i)
{
	if (i->iter_type == ITER_IOVEC)
		i->iov--;
	else
		i->kvec--;
	i->nr_segs++;
	i->iov_offset = seg_len(i);
}

enum iter_op { OP_ADVANCE, OP_COPY_TO, OP_COPY_FROM, OP_ZERO };

/* Bytes not done of len at (user or kernel) address at, with kernel buffer kbuf. */
static size_t do_chunk(const struct iov_iter *i, enum iter_op op, unsigned long at,
		       void *kbuf, size_t len)
{
	if (op == OP_ADVANCE)
		return 0;
	if (i->iter_type == ITER_KVEC) {
		if (op == OP_COPY_TO)
			memcpy((void *)at, kbuf, len);
		else if (op == OP_COPY_FROM)
			memcpy(kbuf, (const void *)at, len);
		else
			memset((void *)at, 0, len);
		return 0;
	}
	if (!access_ok(at, len))
		return len;
	if (op == OP_COPY_TO)
		return __arch_copy_to_user((void __user *)at, kbuf, len);
	if (op == OP_COPY_FROM)
		return __arch_copy_from_user(kbuf, (const void __user *)at, len);
	return __arch_clear_user((void __user *)at, len);
}

/* Moves up to bytes, doing op on each chunk; stops at the first fault. */
static size_t iterate(struct iov_iter *i, enum iter_op op, void *kbuf, size_t bytes)
{
	size_t done = 0;

	bytes = min(bytes, i->count);
	while (done < bytes) {
		size_t len = seg_len(i) - i->iov_offset, left;

		if (!len) {
			next_seg(i);
			continue;
		}
		len = min(len, bytes - done);
		left = do_chunk(i, op, seg_base(i) + i->iov_offset,
				kbuf ? (char *)kbuf + done : NULL, len);
		len -= left;
		done += len;
		i->iov_offset += len;
		i->count -= len;
		if (left)
			break;
	}
	/* Leave no exhausted segment current: the next copy starts at real data. */
	while (i->count && i->iov_offset == seg_len(i))
		next_seg(i);
	return done;
}

size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i)
{
	return iterate(i, OP_COPY_TO, (void *)addr, bytes);
}

size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i)
{
	return iterate(i, OP_COPY_FROM, addr, bytes);
}

size_t iov_iter_zero(size_t bytes, struct iov_iter *i)
{
	return iterate(i, OP_ZERO, NULL, bytes);
}

void iov_iter_advance(struct iov_iter *i, size_t bytes)
{
	iterate(i, OP_ADVANCE, NULL, bytes);
}

void iov_iter_revert(struct iov_iter *i, size_t bytes)
{
	i->count += bytes;
	while (bytes) {
		if (bytes <= i->iov_offset) {
			i->iov_offset -= bytes;
			return;
		}
		bytes -= i->iov_offset;
		prev_seg(i);
	}
}

/*
 * As POSIX has it, a segment whose length is negative as an ssize_t is EINVAL; a total
 * beyond MAX_RW_COUNT is cut to it (Linux's way of keeping the result an ssize_t), the
 * segments past it shortened.
 */
ssize_t import_iovec(int rw, const struct iovec __user *uvec, unsigned int nr_segs,
		     unsigned int fast_segs, struct iovec **iovp, struct iov_iter *i)
{
	struct iovec *iov = *iovp;
	size_t total = 0;
	int err = -EINVAL;

	*iovp = NULL;
	if (nr_segs > UIO_MAXIOV)
		return -EINVAL;
	if (nr_segs > fast_segs) {
		iov = kmalloc(nr_segs * sizeof(*iov), GFP_KERNEL);
		if (!iov)
			return -ENOMEM;
	}
	if (copy_from_user(iov, uvec, nr_segs * sizeof(*iov))) {
		err = -EFAULT;
		goto fail;
	}
	/* Every length is checked before any address, as Linux copies them in. */
	for (unsigned int seg = 0; seg < nr_segs; seg++)
		if ((ssize_t)iov[seg].iov_len < 0)
			goto fail;
	for (unsigned int seg = 0; seg < nr_segs; seg++) {
		size_t len = iov[seg].iov_len;

		if (!access_ok(iov[seg].iov_base, len)) {
			err = -EFAULT;
			goto fail;
		}
		if (len > MAX_RW_COUNT - total)
			iov[seg].iov_len = len = MAX_RW_COUNT - total;
		total += len;
	}
	iov_iter_init(i, rw, iov, nr_segs, total);
	if (nr_segs > fast_segs)
		*iovp = iov;
	return total;
fail:
	if (nr_segs > fast_segs)
		kfree(iov);
	return err;
}
