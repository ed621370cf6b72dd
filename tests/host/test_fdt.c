// SPDX-License-Identifier: MIT
/*
 * lib/fdt.c against real QEMU virt device trees (embedded by fdt_blobs.S),
 * small hand-built trees with specific defects, and thousands of truncated
 * and corrupted copies. Every copy lives in a malloc'ed buffer of exactly
 * its size, so ASan turns any out-of-bounds read into a failure.
 */
#include <kairos/fdt.h>
#include <kairos/string.h>

#include "rand.h"
#include "tap.h"

/* The C library's versions for the test's own use (ours are kairos_*). */
#undef memcpy
#undef memset
#undef memcmp
#undef strcmp
#undef strlen
#undef strncmp

extern const unsigned char dtb_smp4[], dtb_smp4_end[];
extern const unsigned char dtb_smp8[], dtb_smp8_end[];

struct blob {
	const char *name;
	const unsigned char *start, *end;
	unsigned int ncpus;
	u64 memsize;
	const char *bootargs;	/* NULL: none expected */
};

static const struct blob blobs[] = {
	{ "virt -smp 4 -m 1G", dtb_smp4, dtb_smp4_end, 4, 1ULL << 30, NULL },
	{ "virt -smp 8 -m 2G -append", dtb_smp8, dtb_smp8_end, 8, 2ULL << 30,
	  "console=ttyAMA0 ktest=all" },
};

static void put32(unsigned char *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void set_header(unsigned char *fdt, size_t field, u32 v)
{
	put32(fdt + field, v);
}

#define HDR(field)	__builtin_offsetof(struct fdt_header, field)

static unsigned char *copy(const void *src, size_t len)
{
	unsigned char *p = malloc(len ? len : 1);

	memcpy(p, src, len);
	return p;
}

static bool prop_is(const void *fdt, int node, const char *name,
		    const char *expect)
{
	int len;
	const char *val = fdt_getprop(fdt, node, name, &len);

	return val && len == (int)strlen(expect) + 1 && !memcmp(val, expect, len);
}

static bool reg_is(const void *fdt, int node, int index, u64 addr, u64 size)
{
	u64 a = ~0ULL, s = ~0ULL;

	return fdt_get_reg(fdt, node, index, &a, &s) == 0 && a == addr &&
	       s == size;
}

/* Facts about QEMU's virt machine that the kernel relies on. */
static void test_virt_facts(const struct blob *b)
{
	const void *fdt = b->start;
	size_t size = b->end - b->start;
	int root, chosen, mem, uart, gic, its, cpus, cpu, psci, len, n;
	u64 addr;
	char name[128];
	const char *str;

	tap_bulk_begin();
	CHECK(fdt_check_header(fdt) == 0, "check_header");
	CHECK(fdt_check_full(fdt, size) == 0, "check_full: %s",
	      fdt_strerror(fdt_check_full(fdt, size)));
	CHECK(fdt_totalsize(fdt) == size, "totalsize %u vs file %zu",
	      fdt_totalsize(fdt), size);
	CHECK(fdt_version(fdt) == 17, "version %u", fdt_version(fdt));
	CHECK(fdt_num_mem_rsv(fdt) == 0, "reservations: %d", fdt_num_mem_rsv(fdt));

	root = fdt_path_offset(fdt, "/");
	str = fdt_get_name(fdt, root, &len);
	CHECK(root == 0 && str && len == 0, "root at 0 with an empty name");
	CHECK(fdt_parent_offset(fdt, root) == -FDT_ERR_NOTFOUND, "root has no parent");
	CHECK(fdt_address_cells(fdt, root) == 2 && fdt_size_cells(fdt, root) == 2,
	      "root cells");

	chosen = fdt_path_offset(fdt, "/chosen");
	CHECK(chosen > 0, "/chosen");
	if (b->bootargs) {
		CHECK(prop_is(fdt, chosen, "bootargs", b->bootargs), "bootargs");
	} else {
		CHECK(!fdt_getprop(fdt, chosen, "bootargs", &len) &&
		      len == -FDT_ERR_NOTFOUND, "no bootargs expected");
	}

	mem = fdt_path_offset(fdt, "/memory");
	CHECK(mem > 0 && mem == fdt_path_offset(fdt, "/memory@40000000"),
	      "/memory matches memory@40000000");
	CHECK(prop_is(fdt, mem, "device_type", "memory"), "memory device_type");
	CHECK(reg_is(fdt, mem, 0, 0x40000000, b->memsize), "memory reg");
	CHECK(fdt_get_reg(fdt, mem, 1, NULL, NULL) == -FDT_ERR_NOTFOUND,
	      "only one memory range");

	uart = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	CHECK(uart > 0, "pl011 found");
	CHECK(fdt_node_offset_by_compatible(fdt, uart, "arm,pl011") ==
	      -FDT_ERR_NOTFOUND, "only one pl011");
	str = fdt_get_name(fdt, uart, &len);
	CHECK(str && !strcmp(str, "pl011@9000000") && len == 13, "pl011 name");
	CHECK(reg_is(fdt, uart, 0, 0x9000000, 0x1000), "pl011 reg");
	CHECK(fdt_node_check_compatible(fdt, uart, "arm,primecell") == 0 &&
	      fdt_node_check_compatible(fdt, uart, "arm,pl01") == 1 &&
	      fdt_node_check_compatible(fdt, uart, "arm,pl0111") == 1,
	      "compatible matches whole strings only");
	str = fdt_getprop(fdt, chosen, "stdout-path", &len);
	CHECK(str && fdt_path_offset(fdt, str) == uart, "stdout-path leads to the pl011");

	gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	CHECK(gic > 0, "GICv3 found");
	CHECK(reg_is(fdt, gic, 0, 0x8000000, 0x10000), "GICD at 0x8000000");
	CHECK(fdt_get_reg(fdt, gic, 1, &addr, NULL) == 0 && addr == 0x80a0000,
	      "GICR at 0x80a0000");
	CHECK(fdt_get_reg(fdt, gic, 2, NULL, NULL) == -FDT_ERR_NOTFOUND,
	      "no third GIC range");
	CHECK(fdt_getprop(fdt, gic, "interrupt-controller", &len) && len == 0,
	      "empty property");
	its = fdt_first_subnode(fdt, gic);
	str = fdt_get_name(fdt, its, NULL);
	CHECK(its > gic && str && !strncmp(str, "its@", 4), "ITS child");
	CHECK(fdt_parent_offset(fdt, its) == gic, "ITS parent");
	CHECK(fdt_next_subnode(fdt, its) == -FDT_ERR_NOTFOUND, "GIC has one child");
	CHECK(fdt_first_subnode(fdt, its) == -FDT_ERR_NOTFOUND, "ITS has no child");

	cpus = fdt_path_offset(fdt, "/cpus");
	CHECK(fdt_address_cells(fdt, cpus) == 1 && fdt_size_cells(fdt, cpus) == 0,
	      "/cpus cells");
	n = 0;
	fdt_for_each_subnode(cpu, fdt, cpus) {
		if (!prop_is(fdt, cpu, "device_type", "cpu"))
			continue;
		CHECK(prop_is(fdt, cpu, "enable-method", "psci"),
		      "cpu %d enable-method", n);
		CHECK(reg_is(fdt, cpu, 0, n, 0), "cpu %d reg", n);
		sprintf(name, "/cpus/cpu@%d", n);
		CHECK(fdt_path_offset(fdt, name) == cpu, "%s by path", name);
		n++;
	}
	CHECK(n == (int)b->ncpus, "%d cpu nodes, want %u", n, b->ncpus);
	CHECK(fdt_path_offset(fdt, "/cpus/cpu") == fdt_path_offset(fdt, "/cpus/cpu@0"),
	      "unit address optional");
	CHECK(fdt_path_offset(fdt, "/cpus/cpu@99") == -FDT_ERR_NOTFOUND, "no cpu@99");

	psci = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	CHECK(psci > 0 && (prop_is(fdt, psci, "method", "hvc") ||
			   prop_is(fdt, psci, "method", "smc")), "PSCI method");

	CHECK(fdt_path_offset(fdt, "chosen") == -FDT_ERR_BADPATH, "relative path");
	CHECK(fdt_path_offset(fdt, "/nonexistent") == -FDT_ERR_NOTFOUND, "missing node");
	CHECK(fdt_path_offset(fdt, "/chosen/bootargs") == -FDT_ERR_NOTFOUND,
	      "a property is not a node");
	CHECK(fdt_path_offset(fdt, "//cpus//") == cpus, "repeated slashes");
	CHECK(!fdt_get_name(fdt, 2, &len) && len == -FDT_ERR_BADOFFSET, "misaligned offset");
	CHECK(!fdt_get_name(fdt, -4, &len) && len == -FDT_ERR_BADOFFSET, "negative offset");
	CHECK(!fdt_get_name(fdt, fdt_first_property_offset(fdt, root), &len) &&
	      len == -FDT_ERR_BADOFFSET, "property offset is not a node");
	CHECK(!fdt_get_name(fdt, 1 << 24, &len) && len == -FDT_ERR_BADOFFSET,
	      "offset past the end");
	CHECK(!fdt_getprop(fdt, root, "no-such-prop", &len) && len == -FDT_ERR_NOTFOUND,
	      "missing property");
	CHECK(fdt_next_property_offset(fdt, root) == -FDT_ERR_BADOFFSET,
	      "node offset is not a property");
	sprintf(name, "facts about %s", b->name);
	tap_bulk_end(name);
}

/* Walk everything and cross-check the navigation functions. */
static int check_consistency(const void *fdt)
{
	int stack[32], node, depth = -1, prop, len, len2, nodes = 0, children = 0;
	char path[512];
	size_t plen[32];

	plen[0] = 0;
	path[0] = '\0';
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		const char *name = fdt_get_name(fdt, node, &len), *pname;
		const void *val;
		int child;

		nodes++;
		CHECK(depth >= 0 && depth < 32 && name, "walk depth %d", depth);
		if (depth < 0 || depth >= 32 || !name)
			break;
		stack[depth] = node;
		if (depth) {
			plen[depth] = plen[depth - 1] + 1 + len;
			sprintf(path + plen[depth - 1], "/%s", name);
			CHECK(fdt_parent_offset(fdt, node) == stack[depth - 1],
			      "parent of %s", path);
			CHECK(fdt_path_offset(fdt, path) == node, "path %s", path);
		}

		fdt_for_each_subnode(child, fdt, node) {
			CHECK(fdt_parent_offset(fdt, child) == node, "child's parent");
			children++;
		}
		CHECK(child == -FDT_ERR_NOTFOUND, "subnode walk ended with %d", child);

		fdt_for_each_property_offset(prop, fdt, node) {
			val = fdt_getprop_by_offset(fdt, prop, &pname, &len);
			CHECK(val && fdt_getprop(fdt, node, pname, &len2) == val &&
			      len2 == len, "property %s of %s", pname, path);
		}
		CHECK(prop == -FDT_ERR_NOTFOUND, "property walk ended with %d", prop);
	}
	CHECK(node == -FDT_ERR_NOTFOUND, "node walk ended with %d", node);
	CHECK(children == nodes - 1, "%d nodes but %d children", nodes, children);
	return nodes;
}

static size_t block_end(const unsigned char *fdt)
{
	size_t s = fdt32_ld(fdt + HDR(off_dt_struct)) + fdt32_ld(fdt + HDR(size_dt_struct));
	size_t t = fdt32_ld(fdt + HDR(off_dt_strings)) + fdt32_ld(fdt + HDR(size_dt_strings));

	return s > t ? s : t;
}

/* A copy without QEMU's free space, so truncations cut into real data. */
static unsigned char *pack(const struct blob *b, size_t *lenp)
{
	size_t len = block_end(b->start);
	unsigned char *p = copy(b->start, len);

	set_header(p, HDR(totalsize), len);
	*lenp = len;
	return p;
}

static volatile unsigned long sink;

/* Read every byte of something the library handed out. */
static void touch(const void *p, int len)
{
	const unsigned char *c = p;
	unsigned long sum = 0;

	while (len-- > 0)
		sum += *c++;
	sink += sum;
}

/*
 * Run (nearly) every entry point over a blob that may be garbage; the only
 * requirement is that nothing reads outside it. Caller ensures the header
 * is sane and totalsize covers the buffer.
 */
static void exercise(const void *fdt)
{
	static const char *const paths[] = {
		"/", "/chosen", "/memory", "/cpus/cpu@0", "/intc@8000000/its",
		"/no/such/node",
	};
	int node, depth = -1, prop, len, n = 0, i, child;
	const char *name, *pname;
	const void *val;
	u64 a, s;

	for (i = 0; i < 4 && fdt_get_mem_rsv(fdt, i, &a, &s) == 0; i++)
		sink += a + s;

	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth), n++) {
		name = fdt_get_name(fdt, node, &len);
		if (name)
			touch(name, len + 1);
		fdt_for_each_property_offset(prop, fdt, node) {
			val = fdt_getprop_by_offset(fdt, prop, &pname, &len);
			if (!val)
				continue;
			touch(val, len);
			touch(pname, strlen(pname) + 1);
		}
		val = fdt_getprop(fdt, node, "compatible", &len);
		if (val)
			sink += fdt_stringlist_contains(val, len, "arm,pl011");
		/* the costlier lookups only for a few nodes, to keep this fast */
		if (n < 3) {
			sink += fdt_address_cells(fdt, node) + fdt_size_cells(fdt, node);
			sink += fdt_parent_offset(fdt, node);
			sink += fdt_get_reg(fdt, node, n % 2, &a, &s);
			fdt_for_each_subnode(child, fdt, node)
				sink += child;
		}
	}
	for (i = 0; i < (int)(sizeof(paths) / sizeof(paths[0])); i++)
		sink += fdt_path_offset(fdt, paths[i]);
	for (node = -1, i = 0; i < 8; i++) {
		node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio");
		if (node < 0)
			break;
	}
}

static bool header_usable(const void *fdt, size_t len)
{
	return fdt_check_header(fdt) == 0 && fdt_totalsize(fdt) <= len;
}

/* Every prefix of the packed blob, raw and with the header fixed up. */
static void test_truncation(const struct blob *b)
{
	size_t plen, len, step;
	unsigned char *packed = pack(b, &plen), *p;
	char name[128];
	u32 off, size;

	tap_bulk_begin();
	CHECK(fdt_check_full(packed, plen) == 0, "packed copy valid");
	CHECK(check_consistency(packed) == check_consistency(b->start),
	      "packed copy has the same nodes");

	for (len = 0; len < plen; len += step) {
		step = len < 4096 ? 1 : 11;	/* every length of the first 4K */
		p = copy(packed, len);
		CHECK(fdt_check_full(p, len) < 0, "raw prefix %zu accepted", len);
		free(p);

		if (len < FDT_V17_SIZE)
			continue;
		/* Claim the prefix is the whole blob: contents now run short. */
		p = copy(packed, len);
		set_header(p, HDR(totalsize), len);
		off = fdt32_ld(p + HDR(off_dt_struct));
		size = fdt32_ld(p + HDR(size_dt_struct));
		if (off <= len && size > len - off)
			set_header(p, HDR(size_dt_struct), len - off);
		off = fdt32_ld(p + HDR(off_dt_strings));
		size = fdt32_ld(p + HDR(size_dt_strings));
		if (off <= len && size > len - off)
			set_header(p, HDR(size_dt_strings), len - off);
		CHECK(fdt_check_full(p, len) < 0, "patched prefix %zu accepted", len);
		if (header_usable(p, len))
			exercise(p);
		free(p);
	}
	free(packed);
	sprintf(name, "truncated copies of %s rejected, no OOB", b->name);
	tap_bulk_end(name);
}

#define NR_CORRUPTIONS	10000

static void test_corruption(const struct blob *b, unsigned long long seed)
{
	static const u32 nasty[] = {
		0, 1, 2, 3, 4, 9, 0xff, 0x7fffffff, 0x80000000, 0xfffffffc,
		0xffffffff, FDT_MAGIC,
	};
	size_t plen, pos;
	unsigned char *packed = pack(b, &plen), *p;
	unsigned int iter, k, accepted = 0, usable = 0;
	char name[128];

	rnd_seed(seed);
	tap_bulk_begin();
	for (iter = 0; iter < NR_CORRUPTIONS; iter++) {
		p = copy(packed, plen);
		if (iter % 2) {
			/* byte flips, often in the header */
			for (k = 0; k <= rnd_below(4); k++) {
				pos = rnd_below(4) ? rnd_below(plen) : rnd_below(FDT_V17_SIZE);
				p[pos] ^= 1 << rnd_below(8);
			}
		} else {
			/* a whole aligned word replaced by a boundary value */
			pos = rnd_below(plen / 4) * 4;
			put32(p + pos, rnd_below(2) ? nasty[rnd_below(sizeof(nasty) / 4)] :
				       (u32)rnd_below(plen + 64));
		}
		if (fdt_check_full(p, plen) == 0)
			accepted++;
		if (header_usable(p, plen)) {
			usable++;
			exercise(p);
		}
		free(p);
	}
	/* Most damage must be caught, and most runs must reach the parser. */
	CHECK(accepted < NR_CORRUPTIONS && usable > NR_CORRUPTIONS / 2,
	      "accepted %u usable %u", accepted, usable);
	tap_diag("%s: %u of %u corrupted copies passed check_full, %u parsed",
		 b->name, accepted, NR_CORRUPTIONS, usable);
	free(packed);
	sprintf(name, "%u corrupted copies of %s parsed without OOB",
		NR_CORRUPTIONS, b->name);
	tap_bulk_end(name);
}

/* A tiny DTB builder for precisely broken trees. */
struct builder {
	unsigned char st[1024];
	size_t stlen;
	char strs[256];
	size_t strslen;
	u64 rsv[4][2];
	int nrsv;
	bool rsv_unterminated;
};

static void b_u32(struct builder *b, u32 v)
{
	put32(b->st + b->stlen, v);
	b->stlen += 4;
}

static void b_bytes(struct builder *b, const void *data, size_t len)
{
	memcpy(b->st + b->stlen, data, len);
	b->stlen += len;
	while (b->stlen % 4)
		b->st[b->stlen++] = 0;
}

static void b_begin(struct builder *b, const char *name)
{
	b_u32(b, FDT_BEGIN_NODE);
	b_bytes(b, name, strlen(name) + 1);
}

static u32 b_string(struct builder *b, const char *s)
{
	size_t off;

	for (off = 0; off < b->strslen; off += strlen(b->strs + off) + 1)
		if (!strcmp(b->strs + off, s))
			return off;
	memcpy(b->strs + off, s, strlen(s) + 1);
	b->strslen += strlen(s) + 1;
	return off;
}

static void b_prop_raw(struct builder *b, u32 nameoff, const void *val, u32 len)
{
	b_u32(b, FDT_PROP);
	b_u32(b, len);
	b_u32(b, nameoff);
	b_bytes(b, val, len);
}

static void b_prop(struct builder *b, const char *name, const void *val, u32 len)
{
	b_prop_raw(b, b_string(b, name), val, len);
}

static void b_prop_u32(struct builder *b, const char *name, u32 v)
{
	unsigned char be[4];

	put32(be, v);
	b_prop(b, name, be, 4);
}

static unsigned char *b_finish(struct builder *b, size_t *lenp)
{
	size_t rsv = 40, rsvlen = (b->nrsv + !b->rsv_unterminated) * 16;
	size_t st = rsv + rsvlen, strs = st + b->stlen, total = strs + b->strslen;
	unsigned char *p = calloc(1, total);
	int i;

	set_header(p, HDR(magic), FDT_MAGIC);
	set_header(p, HDR(totalsize), total);
	set_header(p, HDR(off_dt_struct), st);
	set_header(p, HDR(off_dt_strings), strs);
	set_header(p, HDR(off_mem_rsvmap), rsv);
	set_header(p, HDR(version), 17);
	set_header(p, HDR(last_comp_version), 16);
	set_header(p, HDR(size_dt_strings), b->strslen);
	set_header(p, HDR(size_dt_struct), b->stlen);
	for (i = 0; i < b->nrsv; i++) {
		put32(p + rsv + 16 * i, b->rsv[i][0] >> 32);
		put32(p + rsv + 16 * i + 4, b->rsv[i][0]);
		put32(p + rsv + 16 * i + 8, b->rsv[i][1] >> 32);
		put32(p + rsv + 16 * i + 12, b->rsv[i][1]);
	}
	memcpy(p + st, b->st, b->stlen);
	memcpy(p + strs, b->strs, b->strslen);
	*lenp = total;
	return p;
}

/* root { #address-cells; #size-cells; compatible; dev@1000 { reg; sub {} }; other {} } */
static void build_sample(struct builder *b, u32 acells, u32 scells)
{
	static const unsigned char reg[] = {	/* <0 0x1000 0x100 0 0 0x2000> */
		0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 1, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0,
	};

	memset(b, 0, sizeof(*b));
	b->nrsv = 2;
	b->rsv[0][0] = 0x80000000ULL;
	b->rsv[0][1] = 0x1000;
	b->rsv[1][0] = 0x123456789aULL;
	b->rsv[1][1] = 0x20000;
	b_begin(b, "");
	b_prop_u32(b, "#address-cells", acells);
	b_prop_u32(b, "#size-cells", scells);
	b_prop(b, "compatible", "vendor,a\0vendor,b", 18);
	b_begin(b, "dev@1000");
	b_prop(b, "reg", reg, sizeof(reg));
	b_u32(b, FDT_NOP);
	b_begin(b, "sub");
	b_u32(b, FDT_END_NODE);
	b_u32(b, FDT_END_NODE);
	b_begin(b, "other");
	b_u32(b, FDT_END_NODE);
	b_u32(b, FDT_END_NODE);
}

static int check_built(struct builder *b)
{
	size_t len;
	unsigned char *p = b_finish(b, &len);
	int ret = fdt_check_full(p, len);

	if (header_usable(p, len))
		exercise(p);
	free(p);
	return ret;
}

static void test_built(void)
{
	struct builder b;
	unsigned char *p;
	size_t len;
	u64 a, s;
	int dev, sub, ret;

	tap_bulk_begin();
	build_sample(&b, 2, 1);
	b_u32(&b, FDT_END);
	p = b_finish(&b, &len);
	CHECK(fdt_check_full(p, len) == 0, "sample valid");
	CHECK(fdt_num_mem_rsv(p) == 2, "two reservations");
	CHECK(fdt_get_mem_rsv(p, 1, &a, &s) == 0 && a == 0x123456789aULL &&
	      s == 0x20000, "second reservation");
	CHECK(fdt_get_mem_rsv(p, 2, &a, &s) == -FDT_ERR_NOTFOUND, "no third");
	dev = fdt_path_offset(p, "/dev");
	sub = fdt_path_offset(p, "/dev@1000/sub");
	CHECK(dev > 0 && fdt_parent_offset(p, sub) == dev, "paths and parents");
	CHECK(reg_is(p, dev, 0, 0x1000, 0x100) && reg_is(p, dev, 1, 0, 0x2000) &&
	      fdt_get_reg(p, dev, 2, &a, &s) == -FDT_ERR_NOTFOUND,
	      "reg with 2 address and 1 size cells");
	CHECK(fdt_node_offset_by_compatible(p, -1, "vendor,b") == 0 &&
	      fdt_node_offset_by_compatible(p, -1, "vendor,c") == -FDT_ERR_NOTFOUND,
	      "compatible on the root");
	CHECK(fdt_first_subnode(p, sub) == -FDT_ERR_NOTFOUND, "leaf");
	CHECK(fdt_next_subnode(p, dev) == fdt_path_offset(p, "/other"), "sibling");
	CHECK(fdt_read_number("\x12\x34\x56\x78\x9a\xbc\xde\xf0\x11\x22\x33\x44", 3) ==
	      0x9abcdef011223344ULL, "fdt_read_number keeps the low 64 bits");
	CHECK(fdt_stringlist_contains("ab\0cd", 6, "cd") &&
	      !fdt_stringlist_contains("ab\0cd", 5, "cd") &&
	      !fdt_stringlist_contains("ab\0cd", 6, "c") &&
	      !fdt_stringlist_contains("", 0, ""), "stringlist bounds");

	/* header damage, one field at a time */
	set_header(p, HDR(magic), FDT_MAGIC + 1);
	CHECK(fdt_check_header(p) == -FDT_ERR_BADMAGIC, "bad magic");
	CHECK(fdt_path_offset(p, "/") == -FDT_ERR_BADMAGIC, "accessors check too");
	set_header(p, HDR(magic), FDT_MAGIC);
	set_header(p, HDR(version), 16);
	CHECK(fdt_check_header(p) == -FDT_ERR_BADVERSION, "version 16");
	set_header(p, HDR(version), 17);
	set_header(p, HDR(last_comp_version), 18);
	CHECK(fdt_check_header(p) == -FDT_ERR_BADVERSION, "incompatible");
	set_header(p, HDR(last_comp_version), 16);
	set_header(p, HDR(totalsize), 39);
	CHECK(fdt_check_header(p) == -FDT_ERR_TRUNCATED, "totalsize below header");
	set_header(p, HDR(totalsize), len);
	set_header(p, HDR(size_dt_struct), len);
	CHECK(fdt_check_header(p) == -FDT_ERR_TRUNCATED, "struct past the end");
	set_header(p, HDR(size_dt_struct), b.stlen);
	set_header(p, HDR(off_mem_rsvmap), 44);
	CHECK(fdt_check_header(p) == -FDT_ERR_BADLAYOUT, "misaligned rsvmap");
	set_header(p, HDR(off_mem_rsvmap), 40);
	set_header(p, HDR(off_dt_strings), len + 1);
	CHECK(fdt_check_header(p) == -FDT_ERR_TRUNCATED, "strings past the end");
	set_header(p, HDR(off_dt_strings), len - b.strslen);
	CHECK(fdt_check_full(p, len) == 0 && fdt_check_full(p, len - 1) == -FDT_ERR_TRUNCATED &&
	      fdt_check_full(p, 39) == -FDT_ERR_TRUNCATED, "buffer smaller than totalsize");
	free(p);

	/* cell counts the reg decoder cannot use */
	build_sample(&b, 3, 1);
	b_u32(&b, FDT_END);
	p = b_finish(&b, &len);
	dev = fdt_path_offset(p, "/dev");
	CHECK(fdt_check_full(p, len) == 0 && fdt_address_cells(p, 0) == 3 &&
	      fdt_get_reg(p, dev, 0, &a, &s) == -FDT_ERR_BADNCELLS, "3 address cells");
	free(p);
	build_sample(&b, 5, 1);
	b_u32(&b, FDT_END);
	p = b_finish(&b, &len);
	CHECK(fdt_address_cells(p, 0) == -FDT_ERR_BADNCELLS, "5 address cells");
	free(p);

	/* structure damage */
	build_sample(&b, 2, 1);
	CHECK(check_built(&b) == -FDT_ERR_TRUNCATED, "missing FDT_END");
	build_sample(&b, 2, 1);
	b_u32(&b, FDT_END_NODE);
	b_u32(&b, FDT_END);
	CHECK(check_built(&b) == -FDT_ERR_BADSTRUCTURE, "unbalanced END_NODE");
	build_sample(&b, 2, 1);
	b_begin(&b, "second-root");
	b_u32(&b, FDT_END_NODE);
	b_u32(&b, FDT_END);
	CHECK(check_built(&b) == -FDT_ERR_BADSTRUCTURE, "two roots");
	build_sample(&b, 2, 1);
	b_prop_u32(&b, "stray", 1);
	b_u32(&b, FDT_END);
	CHECK(check_built(&b) == -FDT_ERR_BADSTRUCTURE, "property outside the root");
	build_sample(&b, 2, 1);
	b.stlen -= 4;			/* reopen the root */
	b_u32(&b, 7);
	b_u32(&b, FDT_END_NODE);
	b_u32(&b, FDT_END);
	CHECK(check_built(&b) == -FDT_ERR_BADSTRUCTURE, "unknown token");
	build_sample(&b, 2, 1);
	b.stlen -= 4;
	b_prop_raw(&b, 1000, "x", 1);
	b_u32(&b, FDT_END_NODE);
	b_u32(&b, FDT_END);
	CHECK(check_built(&b) == -FDT_ERR_BADSTRUCTURE, "name offset out of range");
	build_sample(&b, 2, 1);
	b.stlen -= 4;
	b_u32(&b, FDT_PROP);
	b_u32(&b, 0xfffffff0);
	b_u32(&b, 0);
	b_u32(&b, FDT_END_NODE);
	b_u32(&b, FDT_END);
	CHECK(check_built(&b) == -FDT_ERR_TRUNCATED, "huge property length");
	build_sample(&b, 2, 1);
	b_u32(&b, FDT_BEGIN_NODE);
	memset(b.st + b.stlen, 'n', 8);	/* name with no terminator, to the end */
	b.stlen += 8;
	CHECK(check_built(&b) == -FDT_ERR_TRUNCATED, "unterminated node name");
	build_sample(&b, 2, 1);
	b_u32(&b, FDT_END);
	b.strs[b.strslen - 1] = 'x';	/* last string loses its NUL */
	CHECK(check_built(&b) == -FDT_ERR_BADSTRUCTURE, "unterminated property name");
	build_sample(&b, 2, 1);
	b_u32(&b, FDT_END);
	b.rsv_unterminated = true;
	CHECK(check_built(&b) == -FDT_ERR_TRUNCATED, "unterminated reservations");

	ret = 0;
	for (int e = 0; e >= -FDT_ERR_MAX - 1; e--)
		ret += fdt_strerror(e) != NULL;
	CHECK(ret == FDT_ERR_MAX + 2 && fdt_strerror(1) && fdt_strerror(-1000),
	      "fdt_strerror covers all codes");
	tap_bulk_end("hand-built trees: valid parse and each defect detected");
}

int main(void)
{
	unsigned int i;
	char name[128];

	for (i = 0; i < sizeof(blobs) / sizeof(blobs[0]); i++) {
		test_virt_facts(&blobs[i]);
		tap_bulk_begin();
		CHECK(check_consistency(blobs[i].start) > 20, "too few nodes");
		sprintf(name, "navigation functions agree on %s", blobs[i].name);
		tap_bulk_end(name);
		test_truncation(&blobs[i]);
		test_corruption(&blobs[i], i + 1);
	}
	test_built();
	return tap_done();
}
