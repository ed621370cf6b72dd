// SPDX-License-Identifier: MIT
/*
 * The initramfs: cpio archives, plain or gzip-compressed, one after another with NUL
 * padding between them, unpacked into the root file system before init runs, as Linux
 * does. Entries are made through the ordinary name operations: an existing name of
 * another type is removed first, files get their data, owner and mode, then their
 * mtime; directories get theirs at the very end, once nothing is added to them any
 * more. An entry with nlink > 1 whose (ino, device, type) was seen before in the same
 * archive becomes a hard link to it. A malformed archive stops the unpacking: what came
 * before it stays.
 */
#include <asm/memory.h>
#include <kairos/cpio.h>
#include <kairos/fs.h>
#include <kairos/inflate.h>
#include <kairos/printk.h>
#include <kairos/setup.h>
#include <kairos/slab.h>
#include <kairos/string.h>

struct hardlink {
	struct list_head list;
	u32 ino, major, minor;
	umode_t type;
	char name[];
};

struct dir_time {
	struct list_head list;
	s64 mtime;
	char name[];
};

struct unpack {
	const struct vfs_ctx *ctx;
	struct file *wfile;		/* the regular file whose data comes next */
	loff_t wpos;
	struct list_head links;		/* struct hardlink, until the archive's trailer */
	struct list_head dir_times;
	const char *error;		/* why a callback stopped the unpacking */
	struct cpio_parser parser;
};

static void set_mtime(struct unpack *u, const char *name, s64 mtime)
{
	struct timespec64 t[2] = { { mtime, 0 }, { mtime, 0 } };

	do_utimes(u->ctx, name, t, AT_SYMLINK_NOFOLLOW);
}

static void set_owner_mode(struct unpack *u, const struct cpio_entry *e)
{
	do_fchownat(u->ctx, e->name, e->uid, e->gid, AT_SYMLINK_NOFOLLOW);
	do_fchmodat(u->ctx, e->name, e->mode);	/* after chown, which drops set-ID bits */
}

/* Makes way for an entry of type fmode (0: any existing name goes). */
static void clean_path(struct unpack *u, const char *name, umode_t fmode)
{
	struct kstat st;

	if (vfs_statx(u->ctx, name, AT_SYMLINK_NOFOLLOW, &st) || !((st.mode ^ fmode) & S_IFMT))
		return;
	if (S_ISDIR(st.mode))
		do_rmdir(u->ctx, name);
	else
		do_unlinkat(u->ctx, name);
}

static int nomem(struct unpack *u)
{
	u->error = "out of memory";
	return -ENOMEM;
}

/* 1: linked to an earlier name; 0: a first name, to create; -1: the link failed. */
static int maybe_link(struct unpack *u, const struct cpio_entry *e)
{
	struct hardlink *h;

	if (e->nlink < 2)
		return 0;
	list_for_each_entry(h, &u->links, list) {
		if (h->ino == e->ino && h->major == e->devmajor && h->minor == e->devminor &&
		    h->type == (e->mode & S_IFMT)) {
			clean_path(u, e->name, 0);
			return do_linkat(u->ctx, h->name, u->ctx, e->name, 0) ? -1 : 1;
		}
	}
	h = kmalloc(sizeof(*h) + strlen(e->name) + 1, GFP_KERNEL);
	if (!h)
		return nomem(u);
	h->ino = e->ino;
	h->major = e->devmajor;
	h->minor = e->devminor;
	h->type = e->mode & S_IFMT;
	strscpy(h->name, e->name, strlen(e->name) + 1);
	list_add(&h->list, &u->links);
	return 0;
}

static void free_links(struct unpack *u)
{
	struct hardlink *h, *n;

	list_for_each_entry_safe(h, n, &u->links, list)
		kfree(h);
	INIT_LIST_HEAD(&u->links);
}

static int do_entry(void *arg, const struct cpio_entry *e)
{
	struct unpack *u = arg;
	umode_t mode = e->mode;
	int ml;

	if (S_ISLNK(mode)) {
		clean_path(u, e->name, 0);
		if (!do_symlinkat(u->ctx, e->link, e->name)) {
			do_fchownat(u->ctx, e->name, e->uid, e->gid, AT_SYMLINK_NOFOLLOW);
			set_mtime(u, e->name, e->mtime);
		}
		return 0;
	}
	clean_path(u, e->name, mode);
	if (S_ISREG(mode)) {
		ml = maybe_link(u, e);
		if (ml == -ENOMEM)
			return ml;
		if (ml < 0)
			return 0;
		/* A later name of a hard link carries the data: keep what the first got. */
		u->wfile = filp_open(u->ctx, e->name,
				     O_WRONLY | O_CREAT | O_LARGEFILE | (ml ? 0 : O_TRUNC), mode);
		if (IS_ERR(u->wfile)) {
			u->wfile = NULL;	/* its data is skipped */
			return 0;
		}
		u->wpos = 0;
		set_owner_mode(u, e);
	} else if (S_ISDIR(mode)) {
		struct dir_time *d = kmalloc(sizeof(*d) + strlen(e->name) + 1, GFP_KERNEL);

		if (!d)
			return nomem(u);
		do_mkdirat(u->ctx, e->name, mode);
		set_owner_mode(u, e);
		d->mtime = e->mtime;
		strscpy(d->name, e->name, strlen(e->name) + 1);
		list_add(&d->list, &u->dir_times);
	} else if (S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) || S_ISSOCK(mode)) {
		ml = maybe_link(u, e);
		if (ml == -ENOMEM)
			return ml;
		if (ml == 0 && !do_mknodat(u->ctx, e->name, mode,
					   MKDEV(e->rdevmajor & 0xfff, e->rdevminor & MINORMASK))) {
			set_owner_mode(u, e);
			set_mtime(u, e->name, e->mtime);
		}
	}
	return 0;
}

static int do_data(void *arg, const void *buf, size_t len)
{
	struct unpack *u = arg;

	while (u->wfile && len) {
		ssize_t n = kernel_write(u->wfile, buf, len, &u->wpos);

		if (n <= 0) {
			u->error = "write error";
			return n < 0 ? n : -EIO;
		}
		buf = (const char *)buf + n;
		len -= n;
	}
	return 0;
}

static int do_end(void *arg, const struct cpio_entry *e)
{
	struct unpack *u = arg;

	if (u->wfile) {
		fput(u->wfile);
		u->wfile = NULL;
		set_mtime(u, e->name, e->mtime);
	}
	return 0;
}

static int do_trailer(void *arg)
{
	free_links(arg);
	return 0;
}

static const struct cpio_ops unpack_ops = {
	.entry = do_entry,
	.data = do_data,
	.end = do_end,
	.trailer = do_trailer,
};

/* The decompressor's output is one stream of archives: only NUL may follow them. */
static int flush_buffer(void *arg, const u8 *buf, size_t len)
{
	struct unpack *u = arg;
	size_t used;
	int err = cpio_write(&u->parser, buf, len, &used);

	if (!err && used < len) {
		u->error = "junk within compressed archive";
		return -EINVAL;
	}
	return err;
}

static const char *unpack_error(struct unpack *u)
{
	if (u->error)
		return u->error;
	return u->parser.error ? u->parser.error : "error";
}

const char *unpack_to_rootfs(const struct vfs_ctx *ctx, const void *buf, size_t len)
{
	struct unpack *u = kzalloc(sizeof(*u), GFP_KERNEL);
	struct inflate_ws *ws = NULL;
	const u8 *p = buf;
	const char *msg = NULL;
	struct dir_time *d, *n;
	size_t off = 0;

	if (!u)
		return "out of memory";
	u->ctx = ctx;
	INIT_LIST_HEAD(&u->links);
	INIT_LIST_HEAD(&u->dir_times);
	cpio_init(&u->parser, &unpack_ops, u);
	while (off < len && !msg) {
		size_t used = 0;
		int err;

		if (!p[off]) {
			off++;
			continue;
		}
		if (p[off] == '0' && !(off & 3)) {
			cpio_start(&u->parser, off);
			err = cpio_write(&u->parser, p + off, len - off, &used);
		} else if (len - off >= 2 && p[off] == 0x1f && p[off + 1] == 0x8b) {
			if (!ws)
				ws = kmalloc(sizeof(*ws), GFP_KERNEL);
			if (!ws) {
				msg = "out of memory";
				break;
			}
			cpio_start(&u->parser, 0);
			err = gunzip(p + off, len - off, &used, flush_buffer, u, ws, &msg);
			if (!err && !cpio_idle(&u->parser))
				msg = "truncated archive in compressed data";
		} else {
			msg = "invalid magic at start of compressed archive";
			break;
		}
		if (err && !msg)
			msg = unpack_error(u);
		off += used;
	}
	if (!msg && !cpio_idle(&u->parser))
		msg = "truncated archive";

	if (u->wfile)
		fput(u->wfile);
	free_links(u);
	list_for_each_entry_safe(d, n, &u->dir_times, list) {
		set_mtime(u, d->name, d->mtime);
		kfree(d);
	}
	kfree(ws);
	kfree(u);
	return msg;
}

void __init populate_rootfs(void)
{
	struct vfs_ctx ctx;
	const char *err;

	mnt_init();
	if (!initrd_start)
		return;
	pr_info("Trying to unpack rootfs image as initramfs (%llu bytes)...\n",
		(unsigned long long)(initrd_end - initrd_start));
	get_init_vfs_ctx(&ctx);
	err = unpack_to_rootfs(&ctx, __va(initrd_start), initrd_end - initrd_start);
	put_vfs_ctx(&ctx);
	if (err)
		pr_err("Initramfs unpacking failed: %s\n", err);
}
