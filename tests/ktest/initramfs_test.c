// SPDX-License-Identifier: MIT
/*
 * The initramfs unpacker against archives the host's cpio and gzip made at build time
 * (tests/fs/mkinitramfs-test.py): unpacked into a fresh ramfs, the tree must match the
 * manifest made alongside (names, types, modes, owners, link counts, sizes, mtimes,
 * link targets, CRC-32 of the data, and nothing more). Broken archives stop the
 * unpacking with a message and keep what came before.
 */
#include <kairos/cmdline.h>
#include <kairos/cpio.h>
#include <kairos/crc32.h>
#include <kairos/setup.h>
#include <kairos/slab.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>
#include "fs_fixture.h"

extern const u8 test_initramfs_cpio[], test_initramfs_cpio_end[];
extern const u8 test_initramfs_gz[], test_initramfs_gz_end[];
extern const char test_initramfs_manifest[];

struct manifest_entry {
	char kind;
	unsigned int mode, uid, gid, nlink;
	long long size;			/* -1: not checked */
	long long mtime;
	const char *extra;		/* CRC-32 in hex, a link target, or "-" */
	const char *path;
};

/* Splits a manifest line (modified in place) into its fields. */
static bool parse_line(char *line, struct manifest_entry *e)
{
	char *f[9];

	for (int i = 0; i < 8; i++)
		if (!(f[i] = strsep(&line, " ")))
			return false;
	f[8] = line;
	e->kind = f[0][0];
	e->size = -1;
	return f[8] && !kstrtouint(f[1], 8, &e->mode) && !kstrtouint(f[2], 10, &e->uid) &&
	       !kstrtouint(f[3], 10, &e->gid) && !kstrtouint(f[4], 10, &e->nlink) &&
	       (f[5][0] == '-' || !kstrtoll(f[5], 10, &e->size)) &&
	       !kstrtoll(f[6], 10, &e->mtime) && (e->extra = f[7]) && (e->path = f[8]);
}

static bool is_child(const char *dir, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t len = strlen(dir);

	if (!strcmp(path, "."))
		return false;
	if (!strcmp(dir, "."))
		return !slash;
	return slash && (size_t)(slash - path) == len && !strncmp(path, dir, len);
}

static int count_entries(const struct vfs_ctx *ctx, const char *dir, char *buf, size_t size)
{
	struct file *file = filp_open(ctx, dir, O_RDONLY | O_DIRECTORY, 0);
	int n, count = 0;

	if (IS_ERR(file))
		return PTR_ERR(file);
	while ((n = vfs_getdents64(file, buf, size)) > 0) {
		for (int off = 0; off < n;) {
			struct linux_dirent64 *de = (struct linux_dirent64 *)(buf + off);

			count += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
			off += de->d_reclen;
		}
	}
	fput(file);
	return n < 0 ? n : count;
}

static int file_crc(const struct vfs_ctx *ctx, const char *name, u32 *crc, char *buf,
		    size_t size)
{
	struct file *file = filp_open(ctx, name, O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(file))
		return PTR_ERR(file);
	*crc = ~0U;
	while ((n = kernel_read(file, buf, size, &pos)) > 0)
		*crc = crc32_le(*crc, buf, n);
	*crc = ~*crc;
	fput(file);
	return n;
}

#define MISMATCH(e, what, ...) do {					\
	ktest_fail(t, __FILE__, __LINE__, "%s: " what, (e)->path, ##__VA_ARGS__); \
	return;								\
} while (0)

static void check_entry(struct ktest_ctx *t, const struct vfs_ctx *ctx,
			const struct manifest_entry *e, char *buf, size_t size)
{
	static const struct { char kind; umode_t type; } types[] = {
		{ 'd', S_IFDIR }, { 'f', S_IFREG }, { 'l', S_IFLNK }, { 'p', S_IFIFO },
	};
	umode_t type = 0;
	struct kstat st;
	u32 crc = 0;
	int err;

	for (unsigned int i = 0; i < ARRAY_SIZE(types); i++)
		if (types[i].kind == e->kind)
			type = types[i].type;
	err = vfs_statx(ctx, e->path, AT_SYMLINK_NOFOLLOW, &st);
	if (err)
		MISMATCH(e, "stat: %d", err);
	if (st.mode != (type | e->mode))
		MISMATCH(e, "mode %o, not %o", st.mode, type | e->mode);
	if (st.uid != e->uid || st.gid != e->gid)
		MISMATCH(e, "owner %u:%u, not %u:%u", st.uid, st.gid, e->uid, e->gid);
	if (st.nlink != e->nlink)
		MISMATCH(e, "nlink %u, not %u", st.nlink, e->nlink);
	if (e->size >= 0 && st.size != e->size)
		MISMATCH(e, "size %lld, not %lld", (long long)st.size, e->size);
	if (st.mtime.tv_sec != e->mtime)
		MISMATCH(e, "mtime %lld, not %lld", (long long)st.mtime.tv_sec, e->mtime);
	if (e->kind == 'f') {
		unsigned int want;

		err = file_crc(ctx, e->path, &crc, buf, size);
		if (err || kstrtouint(e->extra, 16, &want) || crc != want)
			MISMATCH(e, "data (CRC %08x, read %d)", crc, err);
	} else if (e->kind == 'l') {
		err = do_readlinkat(ctx, e->path, buf, size);
		if (err != (int)strlen(e->extra) || memcmp(buf, e->extra, err))
			MISMATCH(e, "target (%d bytes)", err);
	}
}

/* The tree at ctx's root is what the manifest lists, entry for entry. */
static void check_manifest(struct ktest_ctx *t, const struct vfs_ctx *ctx)
{
	size_t len = strlen(test_initramfs_manifest);
	char *text = kmalloc(2 * (len + 1), GFP_KERNEL), *copy, *line, *buf;
	struct manifest_entry e, other;
	int entries = 0;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!text || !buf) {
		KTEST_EXPECT(t, text && buf);
		goto out;
	}
	copy = text;
	memcpy(copy, test_initramfs_manifest, len + 1);
	while ((line = strsep(&copy, "\n")) && *line && !t->failed) {
		if (!parse_line(line, &e)) {
			ktest_fail(t, __FILE__, __LINE__, "bad manifest line %d", entries);
			break;
		}
		entries++;
		check_entry(t, ctx, &e, buf, PAGE_SIZE);
		if (e.kind == 'd') {
			/* Its children, as many as the manifest lists: no extra names. */
			char *others = text + len + 1, *l;
			int want = 0, got;

			memcpy(others, test_initramfs_manifest, len + 1);
			while ((l = strsep(&others, "\n")) && *l)
				want += parse_line(l, &other) && is_child(e.path, other.path);
			got = count_entries(ctx, e.path, buf, PAGE_SIZE);
			if (got != want)
				ktest_fail(t, __FILE__, __LINE__, "%s: %d entries, not %d",
					   e.path, got, want);
		}
	}
	KTEST_EXPECT(t, entries > 20);
out:
	kfree(text);
	kfree(buf);
}

static size_t cpio_len(void)
{
	return test_initramfs_cpio_end - test_initramfs_cpio;
}

static size_t gz_len(void)
{
	return test_initramfs_gz_end - test_initramfs_gz;
}

KTEST(initramfs_unpack_newc)
{
	struct fs_fixture f;
	const char *err;

	if (!fs_setup(t, &f))
		return;
	err = unpack_to_rootfs(&f.ctx, test_initramfs_cpio, cpio_len());
	if (err)
		ktest_fail(t, __FILE__, __LINE__, "unpack: %s", err);
	check_manifest(t, &f.ctx);
	fs_teardown(t, &f);
}

KTEST(initramfs_unpack_gzip)
{
	struct fs_fixture f;
	const char *err;

	if (!fs_setup(t, &f))
		return;
	err = unpack_to_rootfs(&f.ctx, test_initramfs_gz, gz_len());
	if (err)
		ktest_fail(t, __FILE__, __LINE__, "unpack: %s", err);
	check_manifest(t, &f.ctx);
	fs_teardown(t, &f);
}

/*
 * Two archives back to back (plain, then compressed) over a tree where two names
 * already exist with other types: later entries replace earlier ones, hard links are
 * made again, and the result is the same tree.
 */
KTEST(initramfs_unpack_concatenated)
{
	size_t plain = cpio_len(), len = plain + gz_len();
	u8 *buf = kmalloc(len, GFP_KERNEL);
	struct fs_fixture f;
	const char *err;

	if (!buf || !fs_setup(t, &f)) {
		KTEST_EXPECT(t, buf);
		kfree(buf);
		return;
	}
	KTEST_EXPECT_EQ(t, plain % 4, 0);
	memcpy(buf, test_initramfs_cpio, plain);
	memcpy(buf + plain, test_initramfs_gz, gz_len());
	KTEST_EXPECT_EQ(t, do_mkdirat(&f.ctx, "hello.txt", 0755), 0);
	KTEST_EXPECT_EQ(t, do_mknodat(&f.ctx, "emptydir", S_IFREG | 0644, 0), 0);
	err = unpack_to_rootfs(&f.ctx, buf, len);
	if (err)
		ktest_fail(t, __FILE__, __LINE__, "unpack: %s", err);
	check_manifest(t, &f.ctx);
	fs_teardown(t, &f);
	kfree(buf);
}

/* Appends a newc entry (owner root, mtime 0): header, name and data, each 4-aligned. */
static size_t newc(u8 *buf, size_t off, const char *name, u32 ino, u32 mode, u32 nlink,
		   dev_t rdev, const char *data)
{
	size_t namesize = strlen(name) + 1, size = strlen(data);

	off += scnprintf((char *)buf + off, CPIO_HDR_SIZE + 1,
			 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			 ino, mode, 0, 0, nlink, 0, (u32)size, 0, 0, MAJOR(rdev), MINOR(rdev),
			 (u32)namesize, 0);
	memcpy(buf + off, name, namesize);
	off = ALIGN(off + namesize, 4);
	memcpy(buf + off, data, size);
	return ALIGN(off + size, 4);
}

/*
 * What the build's archive cannot hold: a hard link whose data comes with its first
 * name (other writers than GNU cpio do that), a device, a socket, an entry of no type.
 */
KTEST(initramfs_crafted)
{
	u8 *buf = kzalloc(2048, GFP_KERNEL);
	struct kstat a, b;
	struct fs_fixture f;
	const char *err;
	size_t len = 0;

	if (!buf || !fs_setup(t, &f)) {
		KTEST_EXPECT(t, buf);
		kfree(buf);
		return;
	}
	len = newc(buf, len, "f1", 5, S_IFREG | 0644, 2, 0, "shared");
	len = newc(buf, len, "f2", 5, S_IFREG | 0644, 2, 0, "");
	len = newc(buf, len, "dev", 6, S_IFCHR | 0600, 1, MKDEV(1, 3), "");
	len = newc(buf, len, "sock", 7, S_IFSOCK | 0755, 1, 0, "");
	len = newc(buf, len, "odd", 8, 0644, 1, 0, "skipped data");
	len = newc(buf, len, CPIO_TRAILER, 0, 0, 1, 0, "");
	err = unpack_to_rootfs(&f.ctx, buf, len);
	if (err)
		ktest_fail(t, __FILE__, __LINE__, "unpack: %s", err);
	KTEST_EXPECT_EQ(t, vfs_statx(&f.ctx, "f1", 0, &a), 0);
	KTEST_EXPECT_EQ(t, vfs_statx(&f.ctx, "f2", 0, &b), 0);
	KTEST_EXPECT_EQ(t, a.ino, b.ino);
	KTEST_EXPECT_EQ(t, b.nlink, 2);
	KTEST_EXPECT_EQ(t, b.size, 6);
	KTEST_EXPECT_EQ(t, vfs_statx(&f.ctx, "dev", 0, &a), 0);
	KTEST_EXPECT_EQ(t, a.mode, S_IFCHR | 0600);
	KTEST_EXPECT_EQ(t, a.rdev, MKDEV(1, 3));
	KTEST_EXPECT_EQ(t, vfs_statx(&f.ctx, "sock", 0, &a), 0);
	KTEST_EXPECT_EQ(t, a.mode, S_IFSOCK | 0755);
	KTEST_EXPECT_EQ(t, vfs_statx(&f.ctx, "odd", 0, &a), -ENOENT);
	fs_teardown(t, &f);
	kfree(buf);
}

/* The header of the entry called name in the plain archive. */
static size_t header_of(const u8 *buf, size_t len, const char *name)
{
	size_t n = strlen(name) + 1;

	for (size_t off = 0; off + CPIO_HDR_SIZE + n <= len; off += 4)
		if (!memcmp(buf + off, "0707", 4) && !memcmp(buf + off + CPIO_HDR_SIZE, name, n))
			return off;
	return 0;
}

static bool exists(const struct vfs_ctx *ctx, const char *name)
{
	struct kstat st;

	return !vfs_statx(ctx, name, AT_SYMLINK_NOFOLLOW, &st);
}

static void expect_error(struct ktest_ctx *t, const char *err, const char *want)
{
	if (!err || strcmp(err, want))
		ktest_fail(t, __FILE__, __LINE__, "unpack: \"%s\", not \"%s\"",
			   err ? err : "(success)", want);
}

/* Broken archives: an error, and everything before the damage in place. */
KTEST(initramfs_malformed)
{
	size_t len = cpio_len(), at;
	u8 *buf = kmalloc(len, GFP_KERNEL);
	struct fs_fixture f;
	struct kstat st;

	if (!buf) {
		KTEST_EXPECT(t, buf);
		return;
	}
	/* A header with its magic smashed: entries before it are there, none after. */
	memcpy(buf, test_initramfs_cpio, len);
	at = header_of(buf, len, "hello.txt");
	KTEST_EXPECT(t, at > 0);
	buf[at + 5] = 'X';
	if (fs_setup(t, &f)) {
		expect_error(t, unpack_to_rootfs(&f.ctx, buf, len),
			     "no cpio magic (only newc and crc archives are supported)");
		KTEST_EXPECT(t, exists(&f.ctx, "etc/secret") && exists(&f.ctx, "big.bin"));
		KTEST_EXPECT(t, !exists(&f.ctx, "hello.txt") && !exists(&f.ctx, "tmp"));
		fs_teardown(t, &f);
	}

	/* Cut in the middle of a file's data: the file is there, cut short. */
	memcpy(buf, test_initramfs_cpio, len);
	at = header_of(buf, len, "big.bin");
	if (fs_setup(t, &f)) {
		expect_error(t, unpack_to_rootfs(&f.ctx, buf, at + 1000), "truncated archive");
		KTEST_EXPECT_EQ(t, vfs_statx(&f.ctx, "big.bin", 0, &st), 0);
		KTEST_EXPECT(t, st.size > 0 && st.size < 1000);
		KTEST_EXPECT(t, exists(&f.ctx, "a/b/c/deep.txt") && !exists(&f.ctx, "bin"));
		fs_teardown(t, &f);
	}

	/* A hex digit that is not one, and a header that is not 4-byte aligned. */
	memcpy(buf, test_initramfs_cpio, len);
	buf[header_of(buf, len, "etc") + 20] = 'g';
	if (fs_setup(t, &f)) {
		expect_error(t, unpack_to_rootfs(&f.ctx, buf, len),
			     "header field is not hexadecimal");
		fs_teardown(t, &f);
	}
	memset(buf, 0, 6);
	memcpy(buf + 6, test_initramfs_cpio, 200);
	if (fs_setup(t, &f)) {
		expect_error(t, unpack_to_rootfs(&f.ctx, buf, 206),
			     "invalid magic at start of compressed archive");
		expect_error(t, unpack_to_rootfs(&f.ctx, "garbage!", 8),
			     "invalid magic at start of compressed archive");
		fs_teardown(t, &f);
	}
	kfree(buf);

	/* gzip without its length: every entry is out, then the error. */
	if (fs_setup(t, &f)) {
		expect_error(t, unpack_to_rootfs(&f.ctx, test_initramfs_gz, gz_len() - 4),
			     "gzip data truncated");
		check_manifest(t, &f.ctx);
		fs_teardown(t, &f);
	}
	/* A damaged compressed stream stops somewhere, with some error. */
	len = gz_len();
	buf = kmalloc(len, GFP_KERNEL);
	if (buf && fs_setup(t, &f)) {
		memcpy(buf, test_initramfs_gz, len);
		buf[len / 2] ^= 0x10;
		KTEST_EXPECT(t, unpack_to_rootfs(&f.ctx, buf, len));
		fs_teardown(t, &f);
	}
	kfree(buf);
}

/*
 * Booted with the gzip'd test archive as the initrd (the initramfs-boot suite): the
 * root file system is what it holds.
 */
KTEST_EXPLICIT(initramfs_from_bootloader)
{
	struct vfs_ctx ctx;

	if (!initrd_start) {
		ktest_fail(t, __FILE__, __LINE__, "no initrd: boot with --initrd");
		return;
	}
	get_init_vfs_ctx(&ctx);
	check_manifest(t, &ctx);
	put_vfs_ctx(&ctx);
}
