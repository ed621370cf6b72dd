// SPDX-License-Identifier: MIT
/*
 * lib/inflate.c and lib/crc32.c: the host's gzip output at several levels plus
 * zlib's fixed-only and stored-only members (tests/host/mkinflate.py, run at build
 * time) must decode exactly; hand-made streams reach the farthest match and every
 * error; truncated, bit-flipped and random streams must fail cleanly. Under ASan any
 * read or write out of bounds aborts the test.
 */
#include <kairos/crc32.h>
#include <kairos/inflate.h>
#include <uapi/errno.h>
#include "rand.h"
#include "tap.h"

/* The tests use the C library's string functions (host_prefix.h renamed the kernel's). */
#undef memcmp
#undef memcpy
#undef memset
#undef snprintf
#undef strchr
#undef strcmp
#undef strlen

#ifndef INFLATE_CORPUS
#error "INFLATE_CORPUS names the directory mkinflate.py wrote"
#endif

static struct inflate_ws *ws;

/* Takes the output and compares it, as it comes, with what it should be. */
struct sink {
	const u8 *expect;
	size_t expect_len;
	size_t len;
	bool mismatch;
	int fail_after;		/* flushes that succeed before one fails; -1: never */
};

static int sink_flush(void *arg, const u8 *buf, size_t len)
{
	struct sink *s = arg;

	if (s->fail_after == 0)
		return -EIO;
	if (s->fail_after > 0)
		s->fail_after--;
	if (!len || len > INFLATE_WINDOW || s->len + len > s->expect_len ||
	    (s->expect && memcmp(s->expect + s->len, buf, len)))
		s->mismatch = true;
	s->len += len;
	return 0;
}

/* Decodes in[0..len); true if that gave exactly expect. */
static int run(const u8 *in, size_t len, const u8 *expect, size_t expect_len, size_t *used,
	       const char **msg, bool *exact)
{
	struct sink s = { expect, expect_len, 0, false, -1 };
	int ret = gunzip(in, len, used, sink_flush, &s, ws, msg);

	*exact = !s.mismatch && s.len == expect_len;
	return ret;
}

static u8 *load(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	u8 *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", INFLATE_CORPUS, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	/* Exactly n bytes (at least one for malloc): ASan catches a read past the end. */
	buf = malloc(n ? n : 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* The first block's type: the two bits after BFINAL in the first byte after the header. */
static int first_btype(const u8 *gz, size_t len)
{
	size_t off = 10;

	if (gz[3] & 0x08)
		while (off < len && gz[off++])
			;
	return off < len ? (gz[off] >> 1) & 3 : -1;
}

static void test_corpus(void)
{
	char line[256], orig[128], comp[128];
	bool types[3] = { false };
	FILE *list;
	int members = 0;

	snprintf(line, sizeof(line), "%s/corpus.list", INFLATE_CORPUS);
	list = fopen(line, "r");
	TAP_OK(list, "corpus list exists");
	if (!list)
		return;
	tap_bulk_begin();
	while (fgets(line, sizeof(line), list) && sscanf(line, "%127s %127s", orig, comp) == 2) {
		size_t olen, clen, used = 0;
		u8 *o = load(orig, &olen), *c = load(comp, &clen);
		const char *msg = NULL;
		bool exact;
		int ret;

		CHECK(o && c, "%s or %s missing", orig, comp);
		if (o && c) {
			ret = run(c, clen, o, olen, &used, &msg, &exact);
			CHECK(ret == 0 && exact && used == clen, "%s: ret %d (%s), used %zu of %zu",
			      comp, ret, msg ? msg : "", used, clen);
			if (first_btype(c, clen) >= 0 && first_btype(c, clen) < 3)
				types[first_btype(c, clen)] = true;
			members++;
		}
		free(o);
		free(c);
	}
	fclose(list);
	tap_bulk_end("corpus members decode exactly, to the last byte of the trailer");
	TAP_OK(members >= 30, "corpus has gzip -1/-6/-9, zlib fixed and stored members");
	TAP_OK(types[0] && types[1] && types[2], "stored, fixed and dynamic blocks all covered");
}

/* Bytes after a member are not its business. */
static void test_trailing_data(void)
{
	size_t olen, clen, used = 0;
	u8 *o = load("hello.bin", &olen), *c = load("hello.gzip9.gz", &clen), *both;
	const char *msg;
	bool exact;

	if (!o || !c) {
		TAP_OK(o && c, "hello corpus files");
		return;
	}
	both = malloc(clen + 5);
	memcpy(both, c, clen);
	memcpy(both + clen, "junk!", 5);
	TAP_OK(run(both, clen + 5, o, olen, &used, &msg, &exact) == 0 && exact && used == clen,
	       "a member followed by other bytes: used is the member's length");
	free(both);
	free(o);
	free(c);
}

/* Every proper prefix fails (no output is taken for complete). */
static void truncations(const char *orig, const char *comp, size_t step)
{
	size_t olen, clen, used;
	u8 *o = load(orig, &olen), *c = load(comp, &clen);
	char name[160];

	if (!o || !c) {
		TAP_OK(o && c, "corpus files for truncation");
		return;
	}
	tap_bulk_begin();
	for (size_t cut = 0; cut < clen; cut += (cut < 64 || clen - cut < 64) ? 1 : step) {
		/* A copy of exactly cut bytes, so ASan sees any read past it. */
		u8 *part = malloc(cut ? cut : 1);
		const char *msg = NULL;
		bool exact;
		int ret;

		memcpy(part, c, cut);
		ret = run(part, cut, o, olen, &used, &msg, &exact);
		CHECK(ret == -EINVAL && msg, "%s cut at %zu: ret %d", comp, cut, ret);
		free(part);
	}
	snprintf(name, sizeof(name), "%s: every truncation fails", comp);
	tap_bulk_end(name);
	free(o);
	free(c);
}

/* A flipped bit fails, or (in a field that does not matter) changes nothing. */
static void bit_flips(const char *orig, const char *comp, int count)
{
	size_t olen, clen, used;
	u8 *o = load(orig, &olen), *c = load(comp, &clen);
	char name[160];
	int failed = 0;

	if (!o || !c) {
		TAP_OK(o && c, "corpus files for bit flips");
		return;
	}
	rnd_seed(clen);
	tap_bulk_begin();
	for (int i = 0; i < count; i++) {
		size_t bit = count >= (int)(clen * 8) ? (size_t)i : rnd_below(clen * 8);
		const char *msg = NULL;
		bool exact;
		int ret;

		if (bit >= clen * 8)
			break;
		c[bit / 8] ^= 1 << (bit % 8);
		ret = run(c, clen, o, olen, &used, &msg, &exact);
		CHECK(ret == -EINVAL ? msg != NULL : (ret == 0 && exact),
		      "%s bit %zu: ret %d, exact %d", comp, bit, ret, exact);
		failed += ret != 0;
		c[bit / 8] ^= 1 << (bit % 8);
	}
	snprintf(name, sizeof(name), "%s: flipped bits fail or change nothing", comp);
	tap_bulk_end(name);
	TAP_OK(failed > count / 2, "most flipped bits are caught");
	free(o);
	free(c);
}

/* Random bytes after a valid header: errors, never a crash or a hang. */
static void random_streams(void)
{
	u8 buf[10 + 200];

	rnd_seed(7);
	tap_bulk_begin();
	for (int i = 0; i < 20000; i++) {
		size_t len = 10 + rnd_below(200), used;
		const char *msg;
		bool exact;
		int ret;

		memcpy(buf, "\x1f\x8b\x08\0\0\0\0\0\0\x03", 10);
		for (size_t j = 10; j < len; j++)
			buf[j] = rnd();
		/* Biased toward plausible block headers: half start a dynamic block. */
		if (i & 1)
			buf[10] = (buf[10] & ~6) | 4;
		ret = run(buf, len, NULL, SIZE_MAX, &used, &msg, &exact);
		CHECK(ret == 0 || (ret == -EINVAL && msg), "random stream %d: ret %d", i, ret);
	}
	tap_bulk_end("random streams fail cleanly");
}

/* ---- hand-made streams -------------------------------------------------------------- */

struct bitw {
	u8 buf[40000];
	size_t bits;
};

static void put_bits(struct bitw *w, u32 val, int n)
{
	for (int i = 0; i < n; i++, w->bits++)
		if (val >> i & 1)
			w->buf[w->bits / 8] |= 1 << (w->bits % 8);
}

/* Huffman codes go most significant bit first. */
static void put_code(struct bitw *w, u32 code, int len)
{
	for (int i = len - 1; i >= 0; i--)
		put_bits(w, code >> i & 1, 1);
}

static void align(struct bitw *w)
{
	w->bits = (w->bits + 7) & ~7UL;
}

/* The fixed literal/length code of RFC 1951 3.2.6. */
static void put_fixed(struct bitw *w, unsigned int sym)
{
	if (sym < 144)
		put_code(w, 0x30 + sym, 8);
	else if (sym < 256)
		put_code(w, 0x190 + sym - 144, 9);
	else if (sym < 280)
		put_code(w, sym - 256, 7);
	else
		put_code(w, 0xc0 + sym - 280, 8);
}

/* Canonical codes from lengths, as RFC 1951 3.2.2 assigns them. */
static void canonical(const u8 *lengths, int n, u32 *codes)
{
	int count[16] = { 0 }, next[16];
	int code = 0;

	for (int i = 0; i < n; i++)
		count[lengths[i]]++;
	count[0] = 0;
	for (int len = 1; len < 16; len++) {
		code = (code + count[len - 1]) << 1;
		next[len] = code;
	}
	for (int i = 0; i < n; i++)
		if (lengths[i])
			codes[i] = next[lengths[i]]++;
}

/* Wraps raw DEFLATE data in a gzip header and a trailer for out. */
static u8 *gz_wrap(const struct bitw *w, const u8 *out, size_t out_len, size_t *len)
{
	size_t n = (w->bits + 7) / 8;
	u8 *gz = malloc(10 + n + 8);
	u32 crc = ~crc32_le(~0U, out, out_len);

	memcpy(gz, "\x1f\x8b\x08\0\0\0\0\0\0\x03", 10);
	memcpy(gz + 10, w->buf, n);
	for (int i = 0; i < 4; i++) {
		gz[10 + n + i] = crc >> (8 * i);
		gz[14 + n + i] = (u32)out_len >> (8 * i);
	}
	*len = 10 + n + 8;
	return gz;
}

static int run_bits(const struct bitw *w, const u8 *out, size_t out_len, const char **msg,
		    bool *exact)
{
	size_t len, used;
	u8 *gz = gz_wrap(w, out, out_len, &len);
	int ret = run(gz, len, out, out_len, &used, msg, exact);

	free(gz);
	return ret;
}

static bool fails_with(const struct bitw *w, const char *want)
{
	const char *msg = NULL;
	bool exact;
	int ret = run_bits(w, NULL, 0, &msg, &exact);

	if (ret != -EINVAL || !msg || strcmp(msg, want)) {
		tap_diag("got %d \"%s\", wanted \"%s\"", ret, msg ? msg : "", want);
		return false;
	}
	return true;
}

/* A stored block of 32768 random bytes, then a match of 258 from 32768 back. */
static void test_farthest_match(void)
{
	static struct bitw w;
	static u8 out[32768 + 258 + 3];
	const char *msg;
	bool exact;

	memset(&w, 0, sizeof(w));
	rnd_seed(3);
	for (int i = 0; i < 32768; i++)
		out[i] = rnd();
	memcpy(out + 32768, out, 258);
	memcpy(out + 32768 + 258, out + 258, 3);
	put_bits(&w, 0, 1);			/* not final, stored */
	put_bits(&w, 0, 2);
	align(&w);
	put_bits(&w, 0x8000, 16);
	put_bits(&w, 0x7fff, 16);
	for (int i = 0; i < 32768; i++)
		put_bits(&w, out[i], 8);
	put_bits(&w, 1, 1);			/* final, fixed */
	put_bits(&w, 1, 2);
	put_fixed(&w, 285);			/* length 258 */
	put_code(&w, 29, 5);			/* distance 24577 + 8191 */
	put_bits(&w, 8191, 13);
	put_fixed(&w, 257);			/* length 3 */
	put_code(&w, 29, 5);
	put_bits(&w, 8191, 13);
	put_fixed(&w, 256);
	TAP_OK(run_bits(&w, out, sizeof(out), &msg, &exact) == 0 && exact,
	       "a match 32768 bytes back, across the window's wrap");
}

/* A dynamic block header: code length code (19 symbols, lengths 4 and 5), then lengths. */
static void put_dynamic(struct bitw *w, int nlen, int ndist, const int *seq, int nseq)
{
	static const u8 order[19] = {
		16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
	};
	u8 cl[19];
	u32 codes[19];

	/* 13 codes of 4 bits and 6 of 5: a complete code. */
	for (int i = 0; i < 19; i++)
		cl[i] = i < 13 ? 4 : 5;
	canonical(cl, 19, codes);
	put_bits(w, 1, 1);
	put_bits(w, 2, 2);
	put_bits(w, nlen - 257, 5);
	put_bits(w, ndist - 1, 5);
	put_bits(w, 19 - 4, 4);
	for (int i = 0; i < 19; i++)
		put_bits(w, cl[order[i]], 3);
	/* seq: code length symbols, each followed by its extra bits value if >= 16. */
	for (int i = 0; i < nseq; i++) {
		int sym = seq[i];

		put_code(w, codes[sym], cl[sym]);
		if (sym == 16)
			put_bits(w, seq[++i], 2);
		else if (sym == 17)
			put_bits(w, seq[++i], 3);
		else if (sym == 18)
			put_bits(w, seq[++i], 7);
	}
}

/* Literal/length lengths: 'a', 'b', 256, 257 get 2 bits; one distance code of 1 bit. */
static int good_lengths(int *seq)
{
	int n = 0;

	seq[n++] = 18; seq[n++] = 97 - 11;	/* zeros for 0..96 */
	seq[n++] = 2; seq[n++] = 2;		/* 'a', 'b' */
	seq[n++] = 18; seq[n++] = 138 - 11;	/* 99..236 */
	seq[n++] = 18; seq[n++] = 19 - 11;	/* 237..255 */
	seq[n++] = 2; seq[n++] = 2;		/* 256, 257 */
	seq[n++] = 1;				/* distance 0 */
	return n;
}

static void test_dynamic(void)
{
	static const u8 want[] = "abbbb";
	static const u8 lit[258] = { ['a'] = 2, ['b'] = 2, [256] = 2, [257] = 2 };
	u32 codes[258];
	struct bitw *w = calloc(1, sizeof(*w));
	int seq[64], n;
	const char *msg;
	bool exact;

	canonical(lit, 258, codes);
	n = good_lengths(seq);
	put_dynamic(w, 258, 1, seq, n);
	put_code(w, codes['a'], 2);
	put_code(w, codes['b'], 2);
	put_code(w, codes[257], 2);		/* length 3 */
	put_code(w, 0, 1);			/* distance 1 */
	put_code(w, codes[256], 2);
	TAP_OK(run_bits(w, want, 5, &msg, &exact) == 0 && exact,
	       "hand-made dynamic block with a one-code distance tree");

	memset(w, 0, sizeof(*w));
	put_bits(w, 1, 1);
	put_bits(w, 2, 2);
	put_bits(w, 30, 5);			/* 287 literal/length codes */
	put_bits(w, 0, 5);
	put_bits(w, 0, 4);
	TAP_OK(fails_with(w, "too many length or distance symbols"), "HLIT 287 refused");

	memset(w, 0, sizeof(*w));
	put_bits(w, 1, 1);
	put_bits(w, 2, 2);
	put_bits(w, 0, 5);
	put_bits(w, 0, 5);
	put_bits(w, 0, 4);			/* 4 code length codes: 16, 17, 18, 0 */
	put_bits(w, 0, 9);
	put_bits(w, 1, 3);			/* only symbol 0, 1 bit: incomplete */
	TAP_OK(fails_with(w, "incomplete or oversubscribed code length code"),
	       "incomplete code length code refused");

	memset(w, 0, sizeof(*w));
	seq[0] = 16;
	seq[1] = 0;
	put_dynamic(w, 258, 1, seq, 2);
	TAP_OK(fails_with(w, "repeat with no previous length"), "repeat of nothing refused");

	memset(w, 0, sizeof(*w));
	n = good_lengths(seq);
	seq[8] = 0;				/* 256 has no code */
	put_dynamic(w, 258, 1, seq, n);
	TAP_OK(fails_with(w, "no end-of-block code"), "block without end-of-block refused");

	memset(w, 0, sizeof(*w));
	n = good_lengths(seq);
	seq[7] = 18 - 11;			/* 237..254, and 255 gets 2 bits too */
	seq[8] = 2; seq[9] = 2; seq[10] = 2; seq[11] = 1;
	put_dynamic(w, 258, 1, seq, 12);
	TAP_OK(fails_with(w, "bad literal/length code"), "oversubscribed literal code refused");

	memset(w, 0, sizeof(*w));
	n = good_lengths(seq);
	seq[n - 1] = 2;
	seq[n++] = 2;				/* two distance codes of 2 bits: incomplete */
	put_dynamic(w, 258, 2, seq, n);
	TAP_OK(fails_with(w, "bad distance code"), "incomplete two-code distance tree refused");

	memset(w, 0, sizeof(*w));
	n = good_lengths(seq);
	seq[n - 1] = 16;
	seq[n++] = 0;				/* 3 copies where one length is left */
	put_dynamic(w, 258, 1, seq, n);
	TAP_OK(fails_with(w, "too many code lengths"), "lengths past the end refused");
	free(w);
}

static void test_bad_blocks(void)
{
	struct bitw *w = calloc(1, sizeof(*w));

	put_bits(w, 1, 1);
	put_bits(w, 3, 2);
	TAP_OK(fails_with(w, "invalid block type"), "block type 3 refused");

	memset(w, 0, sizeof(*w));
	put_bits(w, 1, 1);
	put_bits(w, 0, 2);
	align(w);
	put_bits(w, 5, 16);
	put_bits(w, 5, 16);
	TAP_OK(fails_with(w, "stored block length does not match its complement"),
	       "stored block with a bad NLEN refused");

	memset(w, 0, sizeof(*w));
	put_bits(w, 1, 1);
	put_bits(w, 1, 2);
	put_fixed(w, 'x');
	put_fixed(w, 257);
	put_code(w, 1, 5);			/* distance 2, one byte out */
	TAP_OK(fails_with(w, "distance reaches before the start"),
	       "match reaching before the output refused");

	memset(w, 0, sizeof(*w));
	put_bits(w, 1, 1);
	put_bits(w, 1, 2);
	put_fixed(w, 286);
	TAP_OK(fails_with(w, "invalid length symbol"), "length symbol 286 refused");

	memset(w, 0, sizeof(*w));
	put_bits(w, 1, 1);
	put_bits(w, 1, 2);
	put_fixed(w, 'x');
	put_fixed(w, 257);
	put_code(w, 30, 5);
	TAP_OK(fails_with(w, "invalid Huffman code"), "distance code 30 refused");
	free(w);
}

static u8 *header_variant(const u8 *c, size_t clen, size_t *len, bool good_hcrc)
{
	static const u8 extra[] = { 4, 0, 'a', 'b', 'c', 'd' };
	u8 *gz = malloc(clen + 64);
	size_t n = 10;
	u32 hcrc;

	memcpy(gz, c, 10);
	gz[3] = 0x02 | 0x04 | 0x08 | 0x10;
	memcpy(gz + n, extra, sizeof(extra));
	n += sizeof(extra);
	memcpy(gz + n, "name", 5);
	n += 5;
	memcpy(gz + n, "a comment", 10);
	n += 10;
	hcrc = ~crc32_le(~0U, gz, n) ^ (good_hcrc ? 0 : 1);
	gz[n++] = hcrc;
	gz[n++] = hcrc >> 8;
	memcpy(gz + n, c + 10, clen - 10);
	*len = n + clen - 10;
	return gz;
}

static void test_header(void)
{
	size_t olen, clen, len, used;
	u8 *o = load("hello.bin", &olen), *c = load("hello.gzip9.gz", &clen), *gz;
	const char *msg;
	bool exact;

	if (!o || !c) {
		TAP_OK(o && c, "hello corpus files");
		return;
	}
	gz = header_variant(c, clen, &len, true);
	TAP_OK(run(gz, len, o, olen, &used, &msg, &exact) == 0 && exact && used == len,
	       "FEXTRA, FNAME, FCOMMENT and a good FHCRC are skipped");
	tap_bulk_begin();
	for (size_t cut = 0; cut < len - clen + 10; cut++)
		CHECK(run(gz, cut, o, olen, &used, &msg, &exact) == -EINVAL &&
		      !strcmp(msg, "gzip data truncated"), "header cut at %zu", cut);
	tap_bulk_end("a header cut anywhere is truncated");
	free(gz);
	gz = header_variant(c, clen, &len, false);
	TAP_OK(run(gz, len, o, olen, &used, &msg, &exact) == -EINVAL &&
	       !strcmp(msg, "gzip header CRC mismatch"), "bad FHCRC refused");
	free(gz);

	c[3] = 0x20;
	TAP_OK(run(c, clen, o, olen, &used, &msg, &exact) == -EINVAL &&
	       !strcmp(msg, "reserved flag set"), "reserved flag refused");
	c[3] = 0;
	c[2] = 7;
	TAP_OK(run(c, clen, o, olen, &used, &msg, &exact) == -EINVAL &&
	       !strcmp(msg, "unknown compression method"), "method other than deflate refused");
	c[2] = 8;
	c[1] = 0x8c;
	TAP_OK(run(c, clen, o, olen, &used, &msg, &exact) == -EINVAL &&
	       !strcmp(msg, "not gzip data"), "bad magic refused");
	c[1] = 0x8b;
	c[clen - 8] ^= 1;
	TAP_OK(run(c, clen, o, olen, &used, &msg, &exact) == -EINVAL &&
	       !strcmp(msg, "gzip CRC-32 mismatch"), "bad CRC-32 in the trailer refused");
	c[clen - 8] ^= 1;
	c[clen - 4] ^= 1;
	TAP_OK(run(c, clen, o, olen, &used, &msg, &exact) == -EINVAL &&
	       !strcmp(msg, "gzip length mismatch"), "bad ISIZE in the trailer refused");
	c[clen - 4] ^= 1;
	{
		struct sink s = { o, olen, 0, false, 0 };

		msg = "unset";
		TAP_OK(gunzip(c, clen, &used, sink_flush, &s, ws, &msg) == -EIO && !msg,
		       "an error from flush stops gunzip and comes back as is");
	}
	free(o);
	free(c);
}

static void test_crc32(void)
{
	static const char fox[] = "The quick brown fox jumps over the lazy dog";
	u32 crc;

	TAP_OK(~crc32_le(~0U, "123456789", 9) == 0xcbf43926, "CRC-32 check value");
	TAP_OK(~crc32_le(~0U, "", 0) == 0, "CRC-32 of nothing");
	TAP_OK(~crc32_le(~0U, "a", 1) == 0xe8b7be43, "CRC-32 of \"a\"");
	TAP_OK(~crc32_le(~0U, fox, strlen(fox)) == 0x414fa339, "CRC-32 of the fox");
	crc = crc32_le(~0U, fox, 10);
	crc = crc32_le(crc, fox + 10, strlen(fox) - 10);
	TAP_OK(~crc == 0x414fa339, "CRC-32 chains across pieces");
	TAP_OK(crc32_le(0, "123456789", 9) == 0x2dfd2d88, "crc32_le() without inversion");
}

int main(void)
{
	ws = malloc(sizeof(*ws));
	test_crc32();
	test_corpus();
	test_trailing_data();
	truncations("hello.bin", "hello.gzip9.gz", 1);
	truncations("hello.bin", "hello.stored.gz", 1);
	truncations("zeros.bin", "zeros.gzip9.gz", 5);
	truncations("text.bin", "text.gzip6.gz", 401);
	truncations("mixed.bin", "mixed.fixed.gz", 809);
	bit_flips("hello.bin", "hello.gzip9.gz", 36 * 8);
	bit_flips("text.bin", "text.gzip9.gz", 100);
	bit_flips("mixed.bin", "mixed.stored.gz", 100);
	random_streams();
	test_farthest_match();
	test_dynamic();
	test_bad_blocks();
	test_header();
	free(ws);
	return tap_done();
}
