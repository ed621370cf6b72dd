// SPDX-License-Identifier: MIT
/*
 * lib/cpio.c against the host's cpio: the test initramfs (tests/fs/mkinitramfs-test.py,
 * newc and crc formats) fed whole and in pieces of every small size must give the
 * entries its manifest lists; cut or damaged archives must fail cleanly, and the input
 * may end only between entries. Under ASan any read or write out of bounds aborts.
 */
#include <kairos/cpio.h>
#include <kairos/crc32.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "tap.h"

/* The tests use the C library's string functions (host_prefix.h renamed the kernel's). */
#undef memcmp
#undef memcpy
#undef memset
#undef snprintf
#undef strchr
#undef strcmp
#undef strlen

#ifndef TEST_INITRAMFS_DIR
#error "TEST_INITRAMFS_DIR names the directory mkinitramfs-test.py wrote"
#endif

#define MAX_ENTRIES 64

struct seen_entry {
	char name[128];
	char link[128];
	u32 mode, uid, gid, nlink, ino, filesize;
	u32 crc;		/* of the data passed on */
	size_t data;		/* bytes of it */
	bool ended;		/* end() called */
};

struct collector {
	struct seen_entry e[MAX_ENTRIES];
	int n;
	int trailers;
	int fail_entry;		/* entry() fails at this entry (-1: never) */
};

static int on_entry(void *arg, const struct cpio_entry *e)
{
	struct collector *c = arg;
	struct seen_entry *s;

	if (c->n == c->fail_entry)
		return -EIO;
	if (c->n == MAX_ENTRIES)
		return -ENOSPC;
	s = &c->e[c->n++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", e->name);
	if (e->link)
		snprintf(s->link, sizeof(s->link), "%s", e->link);
	s->mode = e->mode;
	s->uid = e->uid;
	s->gid = e->gid;
	s->nlink = e->nlink;
	s->ino = e->ino;
	s->filesize = e->filesize;
	s->crc = ~0U;
	return 0;
}

static int on_data(void *arg, const void *buf, size_t len)
{
	struct collector *c = arg;
	struct seen_entry *s = &c->e[c->n - 1];

	s->crc = crc32_le(s->crc, buf, len);
	s->data += len;
	return 0;
}

static int on_end(void *arg, const struct cpio_entry *e)
{
	struct collector *c = arg;

	/* Only once all the data passed. */
	c->e[c->n - 1].ended = c->e[c->n - 1].data == e->filesize;
	return 0;
}

static int on_trailer(void *arg)
{
	((struct collector *)arg)->trailers++;
	return 0;
}

static const struct cpio_ops ops = {
	.entry = on_entry, .data = on_data, .end = on_end, .trailer = on_trailer,
};

static struct cpio_parser *parser;
static struct collector col;

static u8 *load(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	u8 *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", TEST_INITRAMFS_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	*len = n;
	return buf;
}

/* Feeds len bytes in pieces of chunk (each copied to its own allocation for ASan). */
static int feed(const u8 *buf, size_t len, size_t chunk, size_t *consumed)
{
	size_t off = 0;
	int err = 0;

	cpio_init(parser, &ops, &col);
	memset(&col, 0, sizeof(col));
	col.fail_entry = -1;
	while (off < len && !err) {
		size_t n = len - off < chunk ? len - off : chunk, used = 0;
		u8 *piece = malloc(n);

		memcpy(piece, buf + off, n);
		err = cpio_write(parser, piece, n, &used);
		free(piece);
		off += used;
		if (!err && used < n)
			break;
	}
	*consumed = off;
	return err;
}

static struct seen_entry *find(const char *name)
{
	for (int i = 0; i < col.n; i++)
		if (!strcmp(col.e[i].name, name))
			return &col.e[i];
	return NULL;
}

/* Every manifest line has its entry, with the right header fields and data. */
static bool matches_manifest(const char *manifest, char *why, size_t whylen)
{
	char line[512], kind, extra[256], path[256], size[32];
	const char *p = manifest;
	unsigned int mode, uid, gid, nlink;
	long long mtime;
	int lines = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct seen_entry *e;
		u32 want_type = 0;

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += len + (nl ? 1 : 0);
		if (sscanf(line, "%c %o %u %u %u %31s %lld %255s %255s", &kind, &mode, &uid, &gid,
			   &nlink, size, &mtime, extra, path) != 9) {
			snprintf(why, whylen, "bad manifest line: %s", line);
			return false;
		}
		lines++;
		e = find(path);
		switch (kind) {
		case 'd': want_type = S_IFDIR; break;
		case 'f': want_type = S_IFREG; break;
		case 'l': want_type = S_IFLNK; break;
		case 'p': want_type = S_IFIFO; break;
		}
		if (!e) {
			snprintf(why, whylen, "%s missing", path);
			return false;
		}
		if (e->mode != (want_type | mode) || e->uid != uid || e->gid != gid) {
			snprintf(why, whylen, "%s: mode %o owner %u:%u", path, e->mode, e->uid,
				 e->gid);
			return false;
		}
		if (kind != 'd' && e->nlink != nlink) {
			snprintf(why, whylen, "%s: nlink %u", path, e->nlink);
			return false;
		}
		if (kind == 'l' && strcmp(e->link, extra)) {
			snprintf(why, whylen, "%s: target %s", path, e->link);
			return false;
		}
		if (kind == 'f') {
			/* GNU cpio gives the data of hard-linked files to the last name only. */
			u32 crc = (u32)strtoul(extra, NULL, 16);
			bool found = false;

			for (int i = 0; i < col.n; i++)
				if (col.e[i].ino == e->ino && col.e[i].ended &&
				    col.e[i].data == (size_t)atoll(size) && ~col.e[i].crc == crc)
					found = true;
			if (!found || !e->ended) {
				snprintf(why, whylen, "%s: data", path);
				return false;
			}
		}
	}
	if (lines != col.n) {
		snprintf(why, whylen, "%d entries, manifest has %d", col.n, lines);
		return false;
	}
	return true;
}

static void test_archive(const char *file, const char *manifest, bool crc_format)
{
	static const size_t chunks[] = { SIZE_MAX, 1, 2, 3, 4, 5, 7, 109, 110, 111, 512, 4096 };
	size_t len, used;
	u8 *buf = load(file, &len);
	char name[160], why[1024] = "";

	snprintf(name, sizeof(name), "%s exists", file);
	TAP_OK(buf, name);
	if (!buf)
		return;
	tap_bulk_begin();
	for (unsigned int i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		int err = feed(buf, len, chunks[i], &used);

		CHECK(!err && used == len && cpio_idle(parser) && col.trailers == 1,
		      "%s in pieces of %zu: err %d (%s), used %zu of %zu", file, chunks[i], err,
		      parser->error ? parser->error : "", used, len);
		CHECK(matches_manifest(manifest, why, sizeof(why)), "%s in pieces of %zu: %s",
		      file, chunks[i], why);
		CHECK(parser->entry.crc_format == crc_format, "%s: format", file);
	}
	snprintf(name, sizeof(name), "%s: entries match the manifest, whatever the pieces", file);
	tap_bulk_end(name);
	free(buf);
}

/*
 * Cut anywhere: never an error for a clean cut, idle exactly at entry boundaries (which
 * a walk of the headers finds independently), and no entry half-reported as complete.
 */
static void test_truncation(const u8 *buf, size_t len)
{
	bool *boundary = calloc(len + 1, 1);
	size_t off = 0, used;

	while (off + CPIO_HDR_SIZE <= len && !memcmp(buf + off, "07070", 5)) {
		const u8 *name = buf + off + CPIO_HDR_SIZE;
		unsigned int namesize, filesize;
		char field[9] = "";
		bool trailer;

		memcpy(field, buf + off + 54, 8);
		filesize = strtoul(field, NULL, 16);
		memcpy(field, buf + off + 94, 8);
		namesize = strtoul(field, NULL, 16);
		trailer = namesize == sizeof(CPIO_TRAILER) && !memcmp(name, CPIO_TRAILER, namesize);
		off = (off + CPIO_HDR_SIZE + namesize + 3) & ~3UL;
		off = (off + filesize + 3) & ~3UL;
		boundary[off] = true;
		if (trailer)
			break;
	}
	for (size_t i = off; i <= len; i++)
		boundary[i] = true;	/* the NUL padding after the trailer */
	boundary[0] = true;
	tap_bulk_begin();
	for (size_t cut = 0; cut <= len; cut += cut < 3000 ? 1 : 37) {
		int err = feed(buf, cut, SIZE_MAX, &used);

		CHECK(!err && used == cut, "cut at %zu: err %d", cut, err);
		CHECK(cpio_idle(parser) == boundary[cut], "cut at %zu: idle %d", cut,
		      cpio_idle(parser));
	}
	tap_bulk_end("a cut archive is idle exactly at entry boundaries");
	free(boundary);
}

static bool fails_with(const u8 *buf, size_t len, const char *want)
{
	size_t used;
	int err = feed(buf, len, SIZE_MAX, &used);

	if (err != -EINVAL || !parser->error || strcmp(parser->error, want)) {
		tap_diag("got %d \"%s\", wanted \"%s\"", err, parser->error ? parser->error : "",
			 want);
		return false;
	}
	return true;
}

/* The header of the entry called name. */
static size_t header_of(const u8 *buf, size_t len, const char *name)
{
	size_t n = strlen(name) + 1;

	for (size_t off = 0; off + CPIO_HDR_SIZE + n <= len; off += 4)
		if (!memcmp(buf + off, "0707", 4) && !memcmp(buf + off + CPIO_HDR_SIZE, name, n))
			return off;
	return 0;
}

static void put_hex(u8 *field, u32 val)
{
	char s[9];

	snprintf(s, sizeof(s), "%08X", val);
	memcpy(field, s, 8);
}

static void test_damage(const u8 *orig, size_t len, const u8 *crc_orig, size_t crc_len)
{
	u8 *buf = malloc(len + 16);
	size_t used;
	int err;

	memcpy(buf, orig, len);
	buf[3] = '8';
	TAP_OK(fails_with(buf, len, "no cpio magic (only newc and crc archives are supported)"),
	       "070781 is no cpio magic");
	memcpy(buf, orig, len);
	buf[6 + 8 * 3 + 2] = 'x';
	TAP_OK(fails_with(buf, len, "header field is not hexadecimal"), "non-hex field refused");
	memcpy(buf, orig, len);
	put_hex(buf + 94, 0);
	TAP_OK(fails_with(buf, len, "bad name size"), "name size 0 refused");
	put_hex(buf + 94, CPIO_NAME_MAX + 1);
	TAP_OK(fails_with(buf, len, "bad name size"), "name size past PATH_MAX refused");
	memcpy(buf, orig, len);
	put_hex(buf + 94, 1);		/* the name "." is 2 bytes with its NUL: cut it */
	TAP_OK(fails_with(buf, len, "name is not NUL-terminated"), "name without NUL refused");

	/* The symlink abs-link with a size of 0. */
	memcpy(buf, orig, len);
	put_hex(buf + header_of(buf, len, "abs-link") + 54, 0);
	TAP_OK(fails_with(buf, len, "bad symlink target size"), "empty symlink target refused");

	/* The crc format checks the data against its sum. */
	memcpy(buf, crc_orig, crc_len);
	buf[header_of(buf, crc_len, "hello.txt") + CPIO_HDR_SIZE + 12] ^= 1;	/* a data byte */
	TAP_OK(fails_with(buf, crc_len, "file data checksum mismatch"), "crc sum mismatch refused");
	free(buf);

	/* After the trailer: NUL padding, then something else where a header could be. */
	buf = malloc(len + 8);
	memcpy(buf, orig, len);
	memcpy(buf + len, "\0\0\0\0junk", 8);
	err = feed(buf, len + 8, 3, &used);
	TAP_OK(!err && used == len + 4 && cpio_idle(parser), "stops, idle, at what is not cpio");
	memcpy(buf + len, "\0\0\0junk", 7);
	TAP_OK(fails_with(buf, len + 7, "broken padding"), "unaligned data after the trailer");
	free(buf);

	cpio_init(parser, &ops, &col);
	col = (struct collector){ .fail_entry = 3 };
	err = cpio_write(parser, orig, len, &used);
	TAP_OK(err == -EIO && col.n == 3, "an error from a callback stops the reader with it");
}

int main(void)
{
	size_t len, crc_len, mlen;
	u8 *newc, *crc, *manifest;

	parser = malloc(sizeof(*parser));
	manifest = load("test-initramfs.manifest", &mlen);
	TAP_OK(manifest, "manifest exists");
	if (!manifest)
		return tap_done();
	test_archive("test-initramfs.cpio", (char *)manifest, false);
	test_archive("test-initramfs-crc.cpio", (char *)manifest, true);
	newc = load("test-initramfs.cpio", &len);
	crc = load("test-initramfs-crc.cpio", &crc_len);
	if (newc && crc) {
		test_truncation(newc, len);
		test_damage(newc, len, crc, crc_len);
	}
	free(newc);
	free(crc);
	free(manifest);
	free(parser);
	return tap_done();
}
