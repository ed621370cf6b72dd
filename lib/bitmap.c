// SPDX-License-Identifier: MIT
/* Bitmap searches and whole-bitmap operations. */
#include <kairos/bitmap.h>

/*
 * Find the first set bit at or after @offset in @addr1, ANDed with @addr2
 * if given, after XOR with @invert (~0UL turns it into a zero-bit search).
 */
static unsigned long find_next(const unsigned long *addr1,
			       const unsigned long *addr2, unsigned long size,
			       unsigned long offset, unsigned long invert)
{
	unsigned long word, idx;

	if (offset >= size)
		return size;

	idx = BIT_WORD(offset);
	word = addr1[idx];
	if (addr2)
		word &= addr2[idx];
	word = (word ^ invert) & BITMAP_FIRST_WORD_MASK(offset);

	while (!word) {
		if (++idx * BITS_PER_LONG >= size)
			return size;
		word = addr1[idx];
		if (addr2)
			word &= addr2[idx];
		word ^= invert;
	}
	/* Bits past @size in the last word may be set; clamp them away. */
	return min(idx * BITS_PER_LONG + __builtin_ctzl(word), size);
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset)
{
	return find_next(addr, NULL, size, offset, 0);
}

unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset)
{
	return find_next(addr, NULL, size, offset, ~0UL);
}

unsigned long find_next_and_bit(const unsigned long *addr1,
				const unsigned long *addr2, unsigned long size,
				unsigned long offset)
{
	return find_next(addr1, addr2, size, offset, 0);
}

unsigned long find_last_bit(const unsigned long *addr, unsigned long size)
{
	unsigned long idx, word;

	if (!size)
		return size;
	idx = BIT_WORD(size - 1);
	word = addr[idx] & BITMAP_LAST_WORD_MASK(size);
	for (;;) {
		if (word)
			return idx * BITS_PER_LONG + BITS_PER_LONG - 1 -
			       __builtin_clzl(word);
		if (!idx)
			return size;
		word = addr[--idx];
	}
}

void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = 0;
}

void bitmap_fill(unsigned long *dst, unsigned int nbits)
{
	unsigned int i, n = BITS_TO_LONGS(nbits);

	if (!n)
		return;
	for (i = 0; i < n - 1; i++)
		dst[i] = ~0UL;
	/* Keep the bits past @nbits clear so whole-word users see no junk. */
	dst[n - 1] = BITMAP_LAST_WORD_MASK(nbits);
}

void bitmap_copy(unsigned long *dst, const unsigned long *src,
		 unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = src[i];
}

/* Mask for word @i of an @nbits-bit bitmap: all ones except in the last word. */
static inline unsigned long word_mask(unsigned int i, unsigned int nbits)
{
	return i == nbits / BITS_PER_LONG ? BITMAP_LAST_WORD_MASK(nbits) : ~0UL;
}

bool bitmap_and(unsigned long *dst, const unsigned long *src1,
		const unsigned long *src2, unsigned int nbits)
{
	unsigned long any = 0;
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++) {
		dst[i] = src1[i] & src2[i];
		any |= dst[i] & word_mask(i, nbits);
	}
	return any;
}

void bitmap_or(unsigned long *dst, const unsigned long *src1,
	       const unsigned long *src2, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = src1[i] | src2[i];
}

bool bitmap_andnot(unsigned long *dst, const unsigned long *src1,
		   const unsigned long *src2, unsigned int nbits)
{
	unsigned long any = 0;
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++) {
		dst[i] = src1[i] & ~src2[i];
		any |= dst[i] & word_mask(i, nbits);
	}
	return any;
}

bool bitmap_equal(const unsigned long *src1, const unsigned long *src2,
		  unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++) {
		if ((src1[i] ^ src2[i]) & word_mask(i, nbits))
			return false;
	}
	return true;
}

bool bitmap_intersects(const unsigned long *src1, const unsigned long *src2,
		       unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++) {
		if (src1[i] & src2[i] & word_mask(i, nbits))
			return true;
	}
	return false;
}

/* Is every bit of @src1 also set in @src2? */
bool bitmap_subset(const unsigned long *src1, const unsigned long *src2,
		   unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++) {
		if (src1[i] & ~src2[i] & word_mask(i, nbits))
			return false;
	}
	return true;
}

bool bitmap_empty(const unsigned long *src, unsigned int nbits)
{
	return find_first_bit(src, nbits) == nbits;
}

bool bitmap_full(const unsigned long *src, unsigned int nbits)
{
	return find_first_zero_bit(src, nbits) == nbits;
}

unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits)
{
	unsigned int i, w = 0;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		w += hweight_long(src[i] & word_mask(i, nbits));
	return w;
}
