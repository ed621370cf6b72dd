// SPDX-License-Identifier: MIT
/*
 * DEFLATE decoder: stored, fixed and dynamic Huffman blocks (RFC 1951) in a gzip
 * member (RFC 1952). Huffman codes are decoded a bit at a time from canonical counts,
 * which needs no tables beyond the code itself and cannot index out of bounds whatever
 * the input says; every read of the input is bounds-checked.
 */
#include <kairos/compiler.h>
#include <kairos/crc32.h>
#include <kairos/inflate.h>
#include <uapi/errno.h>

struct inflate {
	const u8 *in;
	size_t len;
	size_t pos;		/* next input byte */
	u32 bitbuf;		/* bits read from the input but not used, low bit first */
	unsigned int bitcnt;
	struct inflate_ws *ws;
	unsigned int wpos;	/* next byte in the window */
	size_t out;		/* bytes produced: matches may not reach before the start */
	u32 crc;
	inflate_flush_t flush;
	void *arg;
	const char *msg;
};

/* Bases and extra bits of length symbols 257..285 and distance symbols 0..29. */
static const u16 len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const u8 len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};
static const u16 dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
};
static const u8 dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
};
/* The order in which a dynamic block lists the code length code's lengths. */
static const u8 clen_order[19] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
};

static int fail(struct inflate *s, const char *msg)
{
	s->msg = msg;
	return -EINVAL;
}

/* n <= 16 bits, first bit lowest. */
static int getbits(struct inflate *s, unsigned int n, unsigned int *val)
{
	u32 v = s->bitbuf;

	while (s->bitcnt < n) {
		if (s->pos == s->len)
			return fail(s, "gzip data truncated");
		v |= (u32)s->in[s->pos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	s->bitbuf = v >> n;
	s->bitcnt -= n;
	*val = v & ((1U << n) - 1);
	return 0;
}

static int flush_window(struct inflate *s)
{
	int err;

	if (!s->wpos)
		return 0;
	s->crc = crc32_le(s->crc, s->ws->window, s->wpos);
	err = s->flush(s->arg, s->ws->window, s->wpos);
	s->wpos = 0;
	return err;
}

static int put_byte(struct inflate *s, u8 c)
{
	s->ws->window[s->wpos++] = c;
	s->out++;
	return s->wpos == INFLATE_WINDOW ? flush_window(s) : 0;
}

/*
 * Builds the canonical code for n symbols of the given lengths. Returns 0 for a
 * complete code, > 0 if some bit patterns are unused, < 0 if there are too many codes.
 */
static int construct(struct huffman *h, const u16 *length, unsigned int n)
{
	u16 offs[INFLATE_MAXBITS + 1];
	int left = 1;

	for (unsigned int len = 0; len <= INFLATE_MAXBITS; len++)
		h->count[len] = 0;
	for (unsigned int sym = 0; sym < n; sym++)
		h->count[length[sym]]++;
	if (h->count[0] == n)
		return 0;	/* no codes: complete, though nothing decodes */
	for (unsigned int len = 1; len <= INFLATE_MAXBITS; len++) {
		left <<= 1;
		left -= h->count[len];
		if (left < 0)
			return left;
	}
	offs[1] = 0;
	for (unsigned int len = 1; len < INFLATE_MAXBITS; len++)
		offs[len + 1] = offs[len] + h->count[len];
	for (unsigned int sym = 0; sym < n; sym++)
		if (length[sym])
			h->symbol[offs[length[sym]]++] = sym;
	return left;
}

/*
 * Codes of each length are consecutive integers, so walking down the lengths tells
 * whether the bits read so far are a code of this length: code - first < count.
 */
static int decode(struct inflate *s, const struct huffman *h, unsigned int *sym)
{
	int code = 0, first = 0, index = 0;

	for (unsigned int len = 1; len <= INFLATE_MAXBITS; len++) {
		int count = h->count[len];

		if (!s->bitcnt) {
			if (s->pos == s->len)
				return fail(s, "gzip data truncated");
			s->bitbuf = s->in[s->pos++];
			s->bitcnt = 8;
		}
		code |= s->bitbuf & 1;
		s->bitbuf >>= 1;
		s->bitcnt--;
		if (code - first < count) {
			*sym = h->symbol[index + code - first];
			return 0;
		}
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return fail(s, "invalid Huffman code");
}

static int stored(struct inflate *s)
{
	unsigned int len, nlen;
	int err;

	/* The block starts at the next byte boundary; what is left of this one is padding. */
	s->bitbuf = 0;
	s->bitcnt = 0;
	if (s->len - s->pos < 4)
		return fail(s, "gzip data truncated");
	len = s->in[s->pos] | s->in[s->pos + 1] << 8;
	nlen = s->in[s->pos + 2] | s->in[s->pos + 3] << 8;
	s->pos += 4;
	if (len != (~nlen & 0xffff))
		return fail(s, "stored block length does not match its complement");
	if (s->len - s->pos < len)
		return fail(s, "gzip data truncated");
	while (len--) {
		err = put_byte(s, s->in[s->pos++]);
		if (err)
			return err;
	}
	return 0;
}

/* The compressed data of a fixed or dynamic block, up to its end-of-block symbol. */
static int codes(struct inflate *s, const struct huffman *lencode,
		 const struct huffman *distcode)
{
	unsigned int sym, len, dist, extra;
	int err;

	for (;;) {
		err = decode(s, lencode, &sym);
		if (err)
			return err;
		if (sym < 256) {
			err = put_byte(s, sym);
			if (err)
				return err;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= ARRAY_SIZE(len_base))
			return fail(s, "invalid length symbol");
		err = getbits(s, len_extra[sym], &extra);
		if (err)
			return err;
		len = len_base[sym] + extra;
		/* Distance codes have at most 30 symbols: every one is valid. */
		err = decode(s, distcode, &sym);
		if (err)
			return err;
		err = getbits(s, dist_extra[sym], &extra);
		if (err)
			return err;
		dist = dist_base[sym] + extra;
		if (dist > s->out)
			return fail(s, "distance reaches before the start");
		while (len--) {
			err = put_byte(s, s->ws->window[(s->wpos - dist) & (INFLATE_WINDOW - 1)]);
			if (err)
				return err;
		}
	}
}

static int fixed(struct inflate *s)
{
	struct inflate_ws *ws = s->ws;
	unsigned int sym;

	for (sym = 0; sym < 144; sym++)
		ws->lengths[sym] = 8;
	for (; sym < 256; sym++)
		ws->lengths[sym] = 9;
	for (; sym < 280; sym++)
		ws->lengths[sym] = 7;
	for (; sym < INFLATE_FIXLCODES; sym++)
		ws->lengths[sym] = 8;
	construct(&ws->lencode, ws->lengths, INFLATE_FIXLCODES);
	for (sym = 0; sym < INFLATE_MAXDCODES; sym++)
		ws->lengths[sym] = 5;
	construct(&ws->distcode, ws->lengths, INFLATE_MAXDCODES);
	return codes(s, &ws->lencode, &ws->distcode);
}

/* An incomplete code is allowed only as a single code of one bit, as zlib allows. */
static bool code_ok(int left, const struct huffman *h, unsigned int n)
{
	return left == 0 || (left > 0 && n - h->count[0] == 1);
}

static int dynamic(struct inflate *s)
{
	struct inflate_ws *ws = s->ws;
	unsigned int nlen, ndist, ncode, index, sym, rep, val;
	int err, left;

	if ((err = getbits(s, 5, &nlen)) || (err = getbits(s, 5, &ndist)) ||
	    (err = getbits(s, 4, &ncode)))
		return err;
	nlen += 257;
	ndist += 1;
	ncode += 4;
	if (nlen > INFLATE_MAXLCODES || ndist > INFLATE_MAXDCODES)
		return fail(s, "too many length or distance symbols");

	for (index = 0; index < 19; index++) {
		val = 0;
		if (index < ncode && (err = getbits(s, 3, &val)))
			return err;
		ws->lengths[clen_order[index]] = val;
	}
	if (construct(&ws->lencode, ws->lengths, 19) != 0)
		return fail(s, "incomplete or oversubscribed code length code");

	for (index = 0; index < nlen + ndist;) {
		err = decode(s, &ws->lencode, &sym);
		if (err)
			return err;
		if (sym < 16) {
			ws->lengths[index++] = sym;
			continue;
		}
		val = 0;	/* the length to repeat */
		if (sym == 16) {
			if (!index)
				return fail(s, "repeat with no previous length");
			val = ws->lengths[index - 1];
			err = getbits(s, 2, &rep);
			rep += 3;
		} else if (sym == 17) {
			err = getbits(s, 3, &rep);
			rep += 3;
		} else {
			err = getbits(s, 7, &rep);
			rep += 11;
		}
		if (err)
			return err;
		if (index + rep > nlen + ndist)
			return fail(s, "too many code lengths");
		while (rep--)
			ws->lengths[index++] = val;
	}
	if (!ws->lengths[256])
		return fail(s, "no end-of-block code");

	left = construct(&ws->lencode, ws->lengths, nlen);
	if (!code_ok(left, &ws->lencode, nlen))
		return fail(s, "bad literal/length code");
	left = construct(&ws->distcode, ws->lengths + nlen, ndist);
	if (!code_ok(left, &ws->distcode, ndist))
		return fail(s, "bad distance code");
	return codes(s, &ws->lencode, &ws->distcode);
}

static int inflate_blocks(struct inflate *s)
{
	unsigned int last, type;
	int err;

	do {
		if ((err = getbits(s, 1, &last)) || (err = getbits(s, 2, &type)))
			return err;
		switch (type) {
		case 0:
			err = stored(s);
			break;
		case 1:
			err = fixed(s);
			break;
		case 2:
			err = dynamic(s);
			break;
		default:
			err = fail(s, "invalid block type");
		}
		if (err)
			return err;
	} while (!last);
	return flush_window(s);
}

#define FHCRC		0x02
#define FEXTRA		0x04
#define FNAME		0x08
#define FCOMMENT	0x10
#define FRESERVED	0xe0

static u32 get_le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/* Skips a NUL-terminated header field. */
static int skip_string(struct inflate *s)
{
	while (s->pos < s->len)
		if (!s->in[s->pos++])
			return 0;
	return fail(s, "gzip data truncated");
}

static int gzip_header(struct inflate *s)
{
	unsigned int flags;

	if (s->len < 10)
		return fail(s, "gzip data truncated");
	if (s->in[0] != 0x1f || s->in[1] != 0x8b)
		return fail(s, "not gzip data");
	if (s->in[2] != 8)
		return fail(s, "unknown compression method");
	flags = s->in[3];
	if (flags & FRESERVED)
		return fail(s, "reserved flag set");
	s->pos = 10;	/* past MTIME, XFL and OS, which do not matter here */
	if (flags & FEXTRA) {
		size_t xlen;

		if (s->len - s->pos < 2)
			return fail(s, "gzip data truncated");
		xlen = s->in[s->pos] | s->in[s->pos + 1] << 8;
		s->pos += 2;
		if (s->len - s->pos < xlen)
			return fail(s, "gzip data truncated");
		s->pos += xlen;
	}
	if ((flags & FNAME) && skip_string(s))
		return -EINVAL;
	if ((flags & FCOMMENT) && skip_string(s))
		return -EINVAL;
	if (flags & FHCRC) {
		u32 crc = ~crc32_le(~0U, s->in, s->pos);

		if (s->len - s->pos < 2)
			return fail(s, "gzip data truncated");
		if ((crc & 0xffff) != (u32)(s->in[s->pos] | s->in[s->pos + 1] << 8))
			return fail(s, "gzip header CRC mismatch");
		s->pos += 2;
	}
	return 0;
}

int gunzip(const u8 *in, size_t len, size_t *used, inflate_flush_t flush, void *arg,
	   struct inflate_ws *ws, const char **msg)
{
	struct inflate s = {
		.in = in, .len = len, .ws = ws, .crc = ~0U, .flush = flush, .arg = arg,
	};
	int err;

	err = gzip_header(&s);
	if (!err)
		err = inflate_blocks(&s);
	if (!err) {
		/* The trailer starts at a byte boundary: the bits left over are padding. */
		if (s.len - s.pos < 8)
			err = fail(&s, "gzip data truncated");
		else if (get_le32(s.in + s.pos) != ~s.crc)
			err = fail(&s, "gzip CRC-32 mismatch");
		else if (get_le32(s.in + s.pos + 4) != (u32)s.out)
			err = fail(&s, "gzip length mismatch");
		else
			*used = s.pos + 8;
	}
	*msg = s.msg;
	return err;
}
