// SPDX-License-Identifier: MIT
/*
 * cpio "newc"/"crc" reader. Each entry is a 110-byte ASCII header, the name (with its
 * NUL) padded so that the data starts 4-byte aligned, then the data padded to 4 bytes.
 * The state machine takes the stream in pieces of any size, so a decompressor can feed
 * it window by window; names and symlink targets are collected, file data passes
 * straight through.
 */
#include <kairos/compiler.h>
#include <kairos/cpio.h>
#include <kairos/string.h>
#include <uapi/errno.h>
#include <uapi/stat.h>

void cpio_init(struct cpio_parser *p, const struct cpio_ops *ops, void *arg)
{
	memset(p, 0, sizeof(*p));
	p->ops = ops;
	p->arg = arg;
}

void cpio_start(struct cpio_parser *p, u64 offset)
{
	p->state = CPIO_IDLE;
	p->offset = offset;
}

static int fail(struct cpio_parser *p, const char *msg)
{
	p->error = msg;
	return -EINVAL;
}

static int parse_hex8(const char *s, u32 *val)
{
	u32 v = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];
		u32 d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*val = v;
	return 0;
}

static void skip(struct cpio_parser *p, size_t n)
{
	p->state = n ? CPIO_SKIP : CPIO_IDLE;
	p->need = n;
}

static size_t pad4(u64 n)
{
	return (4 - (n & 3)) & 3;
}

static int got_header(struct cpio_parser *p)
{
	struct cpio_entry *e = &p->entry;
	u32 *fields[] = {
		&e->ino, &e->mode, &e->uid, &e->gid, &e->nlink, &e->mtime, &e->filesize,
		&e->devmajor, &e->devminor, &e->rdevmajor, &e->rdevminor, NULL, &e->check,
	};
	u32 namesize;

	if (!memcmp(p->hdr, "070701", 6))
		e->crc_format = false;
	else if (!memcmp(p->hdr, "070702", 6))
		e->crc_format = true;
	else
		return fail(p, "no cpio magic (only newc and crc archives are supported)");
	for (unsigned int i = 0; i < ARRAY_SIZE(fields); i++)
		if (parse_hex8(p->hdr + 6 + 8 * i, fields[i] ? fields[i] : &namesize))
			return fail(p, "header field is not hexadecimal");
	if (!namesize || namesize > CPIO_NAME_MAX)
		return fail(p, "bad name size");
	e->name = p->name;
	e->link = NULL;
	p->state = CPIO_NAME;
	p->need = namesize + pad4(CPIO_HDR_SIZE + namesize);
	p->have = 0;
	p->namesize = namesize;
	return 0;
}

static int got_data(struct cpio_parser *p)
{
	struct cpio_entry *e = &p->entry;

	if (e->crc_format && p->sum != e->check)
		return fail(p, "file data checksum mismatch");
	skip(p, pad4(e->filesize));
	return p->ops->end(p->arg, e);
}

static int got_name(struct cpio_parser *p)
{
	struct cpio_entry *e = &p->entry;
	int err = 0;

	if (p->name[p->namesize - 1] != '\0')
		return fail(p, "name is not NUL-terminated");
	if (!strcmp(p->name, CPIO_TRAILER)) {
		err = p->ops->trailer(p->arg);
		skip(p, e->filesize + pad4(e->filesize));
		return err;
	}
	if (S_ISLNK(e->mode)) {
		if (!e->filesize || e->filesize >= CPIO_NAME_MAX)
			return fail(p, "bad symlink target size");
		p->state = CPIO_LINK;
		p->need = e->filesize;
		p->have = 0;
		return 0;
	}
	err = p->ops->entry(p->arg, e);
	if (err)
		return err;
	if (!S_ISREG(e->mode)) {
		skip(p, e->filesize + pad4(e->filesize));
		return 0;
	}
	p->state = CPIO_DATA;
	p->need = e->filesize;
	p->sum = 0;
	return p->need ? 0 : got_data(p);
}

int cpio_write(struct cpio_parser *p, const void *buf, size_t len, size_t *used)
{
	const u8 *s = buf;
	size_t pos = 0;
	int err = 0;

	while (pos < len && !err) {
		size_t n = 0;

		switch (p->state) {
		case CPIO_IDLE:
			while (pos + n < len && !s[pos + n])
				n++;
			if (pos + n == len)
				break;
			if ((p->offset + n) & 3) {
				err = fail(p, "broken padding");
				break;
			}
			if (s[pos + n] != '0') {
				/* Not ours: the caller looks at what comes next. */
				pos += n;
				p->offset += n;
				*used = pos;
				return 0;
			}
			p->state = CPIO_HEADER;
			p->need = CPIO_HDR_SIZE;
			p->have = 0;
			break;
		case CPIO_HEADER:
		case CPIO_NAME:
		case CPIO_LINK: {
			char *dst = p->state == CPIO_HEADER ? p->hdr :
				    p->state == CPIO_NAME ? p->name : p->link;

			n = min(len - pos, p->need - p->have);
			memcpy(dst + p->have, s + pos, n);
			p->have += n;
			if (p->have < p->need)
				break;
			if (p->state == CPIO_HEADER) {
				err = got_header(p);
			} else if (p->state == CPIO_NAME) {
				err = got_name(p);
			} else {
				p->link[p->need] = '\0';
				p->entry.link = p->link;
				err = p->ops->entry(p->arg, &p->entry);
				skip(p, pad4(p->entry.filesize));
			}
			break;
		}
		case CPIO_DATA:
			n = min(len - pos, p->need);
			for (size_t i = 0; i < n && p->entry.crc_format; i++)
				p->sum += s[pos + i];
			err = p->ops->data(p->arg, s + pos, n);
			p->need -= n;
			if (!err && !p->need)
				err = got_data(p);
			break;
		case CPIO_SKIP:
			n = min(len - pos, p->need);
			p->need -= n;
			if (!p->need)
				p->state = CPIO_IDLE;
			break;
		}
		pos += n;
		p->offset += n;
	}
	*used = pos;
	return err;
}
