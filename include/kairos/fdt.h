/* SPDX-License-Identifier: MIT */
/*
 * Read-only access to a flattened device tree blob (DTB, version 17).
 *
 * Nodes and properties are named by their byte offset inside the structure
 * block, as in the DTB format itself. Functions returning int give an
 * offset or count (>= 0) or a negative -FDT_ERR_* code.
 *
 * Safety contract: the blob must be readable for fdt_totalsize() bytes.
 * Given that, no call reads outside the blob, whatever its contents; every
 * offset and length taken from it is checked. fdt_check_full() verifies
 * that contract against the real buffer size and validates the whole tree;
 * use it once on a blob from an untrusted source.
 */
#ifndef KAIROS_FDT_H
#define KAIROS_FDT_H

#include <kairos/types.h>

#define FDT_MAGIC	0xd00dfeed
#define FDT_V17_SIZE	40	/* header size */

/* Structure block tokens */
#define FDT_BEGIN_NODE	0x1
#define FDT_END_NODE	0x2
#define FDT_PROP	0x3
#define FDT_NOP		0x4
#define FDT_END		0x9

#define FDT_MAX_NCELLS	4	/* largest #address-cells / #size-cells accepted */

/* Error codes, returned negated. */
#define FDT_ERR_NOTFOUND	1	/* no such node, property or entry */
#define FDT_ERR_BADOFFSET	2	/* offset is not a node / property */
#define FDT_ERR_BADPATH		3	/* path is not absolute */
#define FDT_ERR_TRUNCATED	4	/* something runs past its block */
#define FDT_ERR_BADMAGIC	5
#define FDT_ERR_BADVERSION	6
#define FDT_ERR_BADSTRUCTURE	7	/* bad token, nesting or name */
#define FDT_ERR_BADLAYOUT	8	/* blocks misplaced or misaligned */
#define FDT_ERR_BADNCELLS	9	/* bad #address-cells / #size-cells */
#define FDT_ERR_MAX		9

/* All fields are big-endian; read them through fdt32_ld(). */
struct fdt_header {
	u32 magic;
	u32 totalsize;
	u32 off_dt_struct;
	u32 off_dt_strings;
	u32 off_mem_rsvmap;
	u32 version;
	u32 last_comp_version;
	u32 boot_cpuid_phys;
	u32 size_dt_strings;
	u32 size_dt_struct;
};

static inline u32 fdt32_to_cpu(u32 x)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap32(x);
#else
	return x;
#endif
}

static inline u64 fdt64_to_cpu(u64 x)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap64(x);
#else
	return x;
#endif
}

/*
 * Big-endian loads from any alignment (64-bit values are only 4-aligned,
 * and a blob need not be aligned at all); the fixed-size copy compiles to
 * a single load.
 */
static inline u32 fdt32_ld(const void *p)
{
	u32 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return fdt32_to_cpu(v);
}

static inline u64 fdt64_ld(const void *p)
{
	return (u64)fdt32_ld(p) << 32 | fdt32_ld((const u8 *)p + 4);
}

#define fdt_get_header(fdt, field) \
	fdt32_ld((const u8 *)(fdt) + __builtin_offsetof(struct fdt_header, field))
#define fdt_magic(fdt)			fdt_get_header(fdt, magic)
#define fdt_totalsize(fdt)		fdt_get_header(fdt, totalsize)
#define fdt_version(fdt)		fdt_get_header(fdt, version)
#define fdt_boot_cpuid_phys(fdt)	fdt_get_header(fdt, boot_cpuid_phys)

/* Header only (O(1)): magic, version, block bounds within totalsize. */
int fdt_check_header(const void *fdt);
/* Everything, against a buffer of @bufsize bytes; O(size of the tree). */
int fdt_check_full(const void *fdt, size_t bufsize);
const char *fdt_strerror(int err);

/* Memory reservation block */
int fdt_num_mem_rsv(const void *fdt);
int fdt_get_mem_rsv(const void *fdt, int n, u64 *address, u64 *size);

/*
 * Walk nodes in document order. Pass offset -1 to get the root. If @depth
 * is given it is adjusted by how far the walk descended, and the walk
 * stops with -FDT_ERR_NOTFOUND when it would climb above the start level.
 */
int fdt_next_node(const void *fdt, int offset, int *depth);
int fdt_first_subnode(const void *fdt, int parent);
int fdt_next_subnode(const void *fdt, int offset);
int fdt_parent_offset(const void *fdt, int nodeoffset);	/* O(tree) */

#define fdt_for_each_subnode(node, fdt, parent)			\
	for ((node) = fdt_first_subnode((fdt), (parent));		\
	     (node) >= 0;						\
	     (node) = fdt_next_subnode((fdt), (node)))

/*
 * "name" matches a node called "name" or, when it has no unit address
 * itself, "name@anything". Paths are absolute: "/", "/cpus/cpu@0".
 */
int fdt_subnode_offset_namelen(const void *fdt, int parent, const char *name,
			       int namelen);
int fdt_subnode_offset(const void *fdt, int parent, const char *name);
int fdt_path_offset(const void *fdt, const char *path);
const char *fdt_get_name(const void *fdt, int nodeoffset, int *lenp);

/*
 * Property values point into the blob; *lenp gets the value's length, or
 * the error code when NULL is returned. Values are only 4-byte aligned.
 */
const void *fdt_getprop(const void *fdt, int nodeoffset, const char *name,
			int *lenp);
int fdt_first_property_offset(const void *fdt, int nodeoffset);
int fdt_next_property_offset(const void *fdt, int offset);
const void *fdt_getprop_by_offset(const void *fdt, int offset,
				  const char **namep, int *lenp);

#define fdt_for_each_property_offset(prop, fdt, node)			\
	for ((prop) = fdt_first_property_offset((fdt), (node));	\
	     (prop) >= 0;						\
	     (prop) = fdt_next_property_offset((fdt), (prop)))

/* Is @str one of the NUL-terminated strings packed in @strlist? */
bool fdt_stringlist_contains(const char *strlist, int listlen, const char *str);
/* 0 if @compatible is in the node's "compatible" list, 1 if not, < 0 on error. */
int fdt_node_check_compatible(const void *fdt, int nodeoffset,
			      const char *compatible);
/* First matching node after @startoffset (-1: search the whole tree). */
int fdt_node_offset_by_compatible(const void *fdt, int startoffset,
				  const char *compatible);

/*
 * Cell counts that @nodeoffset imposes on its children's "reg"; absent
 * properties give the defaults 2 and 1.
 */
int fdt_address_cells(const void *fdt, int nodeoffset);
int fdt_size_cells(const void *fdt, int nodeoffset);

/* A number stored in @ncells big-endian cells; only the low 64 bits survive. */
static inline u64 fdt_read_number(const void *cells, int ncells)
{
	const u8 *p = cells;
	u64 val = 0;

	while (ncells-- > 0) {
		val = val << 32 | fdt32_ld(p);
		p += 4;
	}
	return val;
}

/*
 * Entry @index of the node's "reg", decoded with its parent's cell counts
 * (each at most 2). -FDT_ERR_NOTFOUND if there is no such entry.
 */
int fdt_get_reg(const void *fdt, int nodeoffset, int index, u64 *address,
		u64 *size);

#endif
