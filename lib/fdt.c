// SPDX-License-Identifier: MIT
/*
 * Flattened device tree reader.
 *
 * Every public entry point checks the header first, so all later reads
 * only need to stay inside the structure or strings block, whose bounds
 * the header check has placed inside totalsize. Reads go through
 * struct_ptr() and get_string(), the only places that turn offsets from
 * the blob into pointers. The static helpers below assume a checked
 * header, which is what lets the public functions share them cheaply.
 */
#include <kairos/compiler.h>
#include <kairos/fdt.h>
#include <kairos/string.h>

/* Far beyond any real tree; keeps offset arithmetic well inside an int. */
#define FDT_MAX_TOTALSIZE	(1U << 30)
#define FDT_RSV_ENTRY_SIZE	16
#define FDT_TAGSIZE		4

#define fdt_off_dt_struct(fdt)		fdt_get_header(fdt, off_dt_struct)
#define fdt_off_dt_strings(fdt)		fdt_get_header(fdt, off_dt_strings)
#define fdt_off_mem_rsvmap(fdt)		fdt_get_header(fdt, off_mem_rsvmap)
#define fdt_last_comp_version(fdt)	fdt_get_header(fdt, last_comp_version)
#define fdt_size_dt_strings(fdt)	fdt_get_header(fdt, size_dt_strings)
#define fdt_size_dt_struct(fdt)		fdt_get_header(fdt, size_dt_struct)

/* Does a block of @size bytes at @off fit after the header and inside @total? */
static bool block_fits(u32 off, u32 size, u32 total)
{
	return off >= FDT_V17_SIZE && off <= total && size <= total - off;
}

int fdt_check_header(const void *fdt)
{
	u32 total;

	if (fdt_magic(fdt) != FDT_MAGIC)
		return -FDT_ERR_BADMAGIC;
	/* v17 added size_dt_struct, which the bounds checks depend on. */
	if (fdt_version(fdt) < 17 || fdt_last_comp_version(fdt) > 17)
		return -FDT_ERR_BADVERSION;
	total = fdt_totalsize(fdt);
	if (total < FDT_V17_SIZE || total > FDT_MAX_TOTALSIZE)
		return -FDT_ERR_TRUNCATED;
	if (!block_fits(fdt_off_dt_struct(fdt), fdt_size_dt_struct(fdt), total) ||
	    !block_fits(fdt_off_dt_strings(fdt), fdt_size_dt_strings(fdt), total) ||
	    !block_fits(fdt_off_mem_rsvmap(fdt), 0, total))
		return -FDT_ERR_TRUNCATED;
	if (fdt_off_dt_struct(fdt) % FDT_TAGSIZE || fdt_off_mem_rsvmap(fdt) % 8)
		return -FDT_ERR_BADLAYOUT;
	return 0;
}

/* @len bytes at @offset in the structure block, or NULL if they don't fit. */
static const u8 *struct_ptr(const void *fdt, int offset, u32 len)
{
	u32 size = fdt_size_dt_struct(fdt);

	if (offset < 0 || (u32)offset > size || len > size - (u32)offset)
		return NULL;
	return (const u8 *)fdt + fdt_off_dt_struct(fdt) + offset;
}

/* The NUL-terminated string at @stroffset in the strings block, or NULL. */
static const char *get_string(const void *fdt, u32 stroffset)
{
	u32 size = fdt_size_dt_strings(fdt);
	const char *s;

	if (stroffset >= size)
		return NULL;
	s = (const char *)fdt + fdt_off_dt_strings(fdt) + stroffset;
	return memchr(s, '\0', size - stroffset) ? s : NULL;
}

/*
 * Decode the tag at @offset, checking that everything it owns (a node's
 * name, a property's header and value) lies inside the structure block.
 * Returns the tag and sets *@next to the following tag's offset, which is
 * always beyond @offset, so every walk terminates.
 */
static int next_tag(const void *fdt, int offset, int *next)
{
	const u8 *p, *nul;
	u32 tag, len;

	if (offset < 0 || offset % FDT_TAGSIZE)
		return -FDT_ERR_BADOFFSET;
	p = struct_ptr(fdt, offset, FDT_TAGSIZE);
	if (!p)
		return -FDT_ERR_TRUNCATED;
	tag = fdt32_ld(p);
	offset += FDT_TAGSIZE;

	switch (tag) {
	case FDT_BEGIN_NODE:
		p = struct_ptr(fdt, offset, 0);
		nul = memchr(p, '\0', fdt_size_dt_struct(fdt) - offset);
		if (!nul)
			return -FDT_ERR_TRUNCATED;
		offset += nul + 1 - p;
		break;
	case FDT_PROP:
		/* u32 value length, u32 name offset, then the value */
		p = struct_ptr(fdt, offset, 8);
		if (!p)
			return -FDT_ERR_TRUNCATED;
		len = fdt32_ld(p);
		offset += 8;
		if (!struct_ptr(fdt, offset, len))
			return -FDT_ERR_TRUNCATED;
		offset += len;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return -FDT_ERR_BADSTRUCTURE;
	}
	*next = ALIGN(offset, FDT_TAGSIZE);
	return tag;
}

/* Check @offset is a node; return the offset just past its name. */
static int node_body(const void *fdt, int offset)
{
	int next, tag = next_tag(fdt, offset, &next);

	if (tag < 0)
		return tag == -FDT_ERR_TRUNCATED ? -FDT_ERR_BADOFFSET : tag;
	return tag == FDT_BEGIN_NODE ? next : -FDT_ERR_BADOFFSET;
}

const char *fdt_strerror(int err)
{
	static const char *const names[] = {
		[0] = "success",
		[FDT_ERR_NOTFOUND] = "not found",
		[FDT_ERR_BADOFFSET] = "bad offset",
		[FDT_ERR_BADPATH] = "bad path",
		[FDT_ERR_TRUNCATED] = "truncated",
		[FDT_ERR_BADMAGIC] = "bad magic",
		[FDT_ERR_BADVERSION] = "bad version",
		[FDT_ERR_BADSTRUCTURE] = "bad structure block",
		[FDT_ERR_BADLAYOUT] = "bad block layout",
		[FDT_ERR_BADNCELLS] = "bad cell count",
	};

	if (err > 0 || err < -FDT_ERR_MAX)
		return "unknown error";
	return names[-err];
}

/* Report @err through *@lenp (if wanted) for functions returning pointers. */
static const void *fail(int *lenp, int err)
{
	if (lenp)
		*lenp = err;
	return NULL;
}

static int num_mem_rsv(const void *fdt)
{
	u32 off = fdt_off_mem_rsvmap(fdt), total = fdt_totalsize(fdt);
	const u8 *entry;
	int n;

	/* The list ends with an all-zero entry, which must be in bounds. */
	for (n = 0; total - off >= FDT_RSV_ENTRY_SIZE; n++) {
		entry = (const u8 *)fdt + off;
		if (!fdt64_ld(entry) && !fdt64_ld(entry + 8))
			return n;
		off += FDT_RSV_ENTRY_SIZE;
	}
	return -FDT_ERR_TRUNCATED;
}

int fdt_num_mem_rsv(const void *fdt)
{
	int err = fdt_check_header(fdt);

	return err ? err : num_mem_rsv(fdt);
}

int fdt_get_mem_rsv(const void *fdt, int n, u64 *address, u64 *size)
{
	const u8 *entry;
	int count = fdt_num_mem_rsv(fdt);

	if (count < 0)
		return count;
	if (n < 0 || n >= count)
		return -FDT_ERR_NOTFOUND;
	entry = (const u8 *)fdt + fdt_off_mem_rsvmap(fdt) +
		(u32)n * FDT_RSV_ENTRY_SIZE;
	*address = fdt64_ld(entry);
	*size = fdt64_ld(entry + 8);
	return 0;
}

static int next_node(const void *fdt, int offset, int *depth)
{
	int next = 0, tag;

	if (offset >= 0) {
		next = node_body(fdt, offset);
		if (next < 0)
			return next;
	}
	for (;;) {
		offset = next;
		tag = next_tag(fdt, offset, &next);
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth)
				(*depth)++;
			return offset;
		case FDT_END_NODE:
			if (depth && --(*depth) < 0)
				return -FDT_ERR_NOTFOUND;
			break;
		case FDT_PROP:
		case FDT_NOP:
			break;
		case FDT_END:
			return -FDT_ERR_NOTFOUND;
		default:
			return tag;	/* error */
		}
	}
}

int fdt_next_node(const void *fdt, int offset, int *depth)
{
	int err = fdt_check_header(fdt);

	return err ? err : next_node(fdt, offset, depth);
}

static int first_subnode(const void *fdt, int parent)
{
	int depth = 0;

	/* A first child is the very next node; anything else ends at depth -1. */
	return next_node(fdt, parent, &depth);
}

static int next_subnode(const void *fdt, int offset)
{
	int depth = 1;

	/* Skip our own descendants; climbing past the parent ends the walk. */
	do {
		offset = next_node(fdt, offset, &depth);
		if (offset < 0)
			return offset;
	} while (depth > 1);
	return offset;
}

int fdt_first_subnode(const void *fdt, int parent)
{
	int err = fdt_check_header(fdt);

	return err ? err : first_subnode(fdt, parent);
}

int fdt_next_subnode(const void *fdt, int offset)
{
	int err = fdt_check_header(fdt);

	return err ? err : next_subnode(fdt, offset);
}

int fdt_parent_offset(const void *fdt, int nodeoffset)
{
	int off, depth = -1, target, parent = -FDT_ERR_NOTFOUND;
	int err = fdt_check_header(fdt);

	if (err)
		return err;
	/* The format has no parent links: find the node's depth, ... */
	for (off = next_node(fdt, -1, &depth); off >= 0 && off < nodeoffset;
	     off = next_node(fdt, off, &depth))
		;
	if (off < 0)
		return off == -FDT_ERR_NOTFOUND ? -FDT_ERR_BADOFFSET : off;
	if (off != nodeoffset)
		return -FDT_ERR_BADOFFSET;
	target = depth - 1;
	if (target < 0)
		return -FDT_ERR_NOTFOUND;	/* the root has no parent */

	/* ... then the last node one level up before it. */
	depth = -1;
	for (off = next_node(fdt, -1, &depth); off >= 0 && off < nodeoffset;
	     off = next_node(fdt, off, &depth)) {
		if (depth == target)
			parent = off;
	}
	return off < 0 ? off : parent;
}

static const char *node_name(const void *fdt, int nodeoffset, int *lenp)
{
	const char *name;
	int err = node_body(fdt, nodeoffset);

	if (err < 0)
		return fail(lenp, err);
	/* node_body() found the terminator inside the block */
	name = (const char *)struct_ptr(fdt, nodeoffset + FDT_TAGSIZE, 0);
	if (lenp)
		*lenp = strlen(name);
	return name;
}

const char *fdt_get_name(const void *fdt, int nodeoffset, int *lenp)
{
	int err = fdt_check_header(fdt);

	return err ? fail(lenp, err) : node_name(fdt, nodeoffset, lenp);
}

static bool name_matches(const char *node, int nodelen, const char *name,
			 int namelen)
{
	if (nodelen < namelen || memcmp(node, name, namelen))
		return false;
	if (nodelen == namelen)
		return true;
	/* "cpu" matches "cpu@1", but "cpu@1" does not match "cpu@10". */
	return node[namelen] == '@' && !memchr(name, '@', namelen);
}

static int subnode_offset(const void *fdt, int parent, const char *name,
			  int namelen)
{
	const char *nodename;
	int node, len;

	for (node = first_subnode(fdt, parent); node >= 0;
	     node = next_subnode(fdt, node)) {
		nodename = node_name(fdt, node, &len);
		if (!nodename)
			return len;
		if (name_matches(nodename, len, name, namelen))
			return node;
	}
	return node;
}

int fdt_subnode_offset_namelen(const void *fdt, int parent, const char *name,
			       int namelen)
{
	int err = fdt_check_header(fdt);

	return err ? err : subnode_offset(fdt, parent, name, namelen);
}

int fdt_subnode_offset(const void *fdt, int parent, const char *name)
{
	return fdt_subnode_offset_namelen(fdt, parent, name, strlen(name));
}

int fdt_path_offset(const void *fdt, const char *path)
{
	const char *end;
	int offset, len;

	if (*path != '/')
		return -FDT_ERR_BADPATH;
	offset = fdt_next_node(fdt, -1, NULL);	/* the root */
	while (offset >= 0) {
		while (*path == '/')
			path++;
		if (!*path)
			break;
		end = strchr(path, '/');
		len = end ? end - path : (int)strlen(path);
		offset = subnode_offset(fdt, offset, path, len);
		path += len;
	}
	return offset;
}

/* From tag offset @offset inside a node, the next property tag, if any. */
static int scan_property(const void *fdt, int offset)
{
	int next, tag;

	for (;; offset = next) {
		tag = next_tag(fdt, offset, &next);
		if (tag < 0)
			return tag;
		if (tag == FDT_PROP)
			return offset;
		/* Properties come before subnodes: any other tag ends them. */
		if (tag != FDT_NOP)
			return -FDT_ERR_NOTFOUND;
	}
}

static int first_property(const void *fdt, int nodeoffset)
{
	int body = node_body(fdt, nodeoffset);

	return body < 0 ? body : scan_property(fdt, body);
}

static int next_property(const void *fdt, int offset)
{
	int next, tag = next_tag(fdt, offset, &next);

	if (tag < 0)
		return tag;
	if (tag != FDT_PROP)
		return -FDT_ERR_BADOFFSET;
	return scan_property(fdt, next);
}

int fdt_first_property_offset(const void *fdt, int nodeoffset)
{
	int err = fdt_check_header(fdt);

	return err ? err : first_property(fdt, nodeoffset);
}

int fdt_next_property_offset(const void *fdt, int offset)
{
	int err = fdt_check_header(fdt);

	return err ? err : next_property(fdt, offset);
}

static const void *property(const void *fdt, int offset, const char **namep,
			    int *lenp)
{
	const u8 *p;
	const char *name;
	int next, tag = next_tag(fdt, offset, &next);

	if (tag < 0)
		return fail(lenp, tag);
	if (tag != FDT_PROP)
		return fail(lenp, -FDT_ERR_BADOFFSET);

	/* next_tag() checked the tag, length, name offset and value fit. */
	p = struct_ptr(fdt, offset, 3 * 4);
	name = get_string(fdt, fdt32_ld(p + 8));
	if (!name)
		return fail(lenp, -FDT_ERR_BADSTRUCTURE);
	if (namep)
		*namep = name;
	if (lenp)
		*lenp = fdt32_ld(p + 4);
	return p + 3 * 4;
}

const void *fdt_getprop_by_offset(const void *fdt, int offset,
				  const char **namep, int *lenp)
{
	int err = fdt_check_header(fdt);

	return err ? fail(lenp, err) : property(fdt, offset, namep, lenp);
}

static const void *getprop(const void *fdt, int nodeoffset, const char *name,
			   int *lenp)
{
	const void *val;
	const char *pname;
	int prop, len;

	for (prop = first_property(fdt, nodeoffset); prop >= 0;
	     prop = next_property(fdt, prop)) {
		val = property(fdt, prop, &pname, &len);
		if (!val || !strcmp(pname, name)) {
			if (lenp)
				*lenp = len;
			return val;
		}
	}
	return fail(lenp, prop);
}

const void *fdt_getprop(const void *fdt, int nodeoffset, const char *name,
			int *lenp)
{
	int err = fdt_check_header(fdt);

	return err ? fail(lenp, err) : getprop(fdt, nodeoffset, name, lenp);
}

bool fdt_stringlist_contains(const char *strlist, int listlen, const char *str)
{
	size_t len = strlen(str);
	const char *end;

	while (listlen > 0) {
		end = memchr(strlist, '\0', listlen);
		if (!end)
			return false;	/* unterminated tail */
		if ((size_t)(end - strlist) == len && !memcmp(strlist, str, len))
			return true;
		listlen -= end + 1 - strlist;
		strlist = end + 1;
	}
	return false;
}

static int check_compatible(const void *fdt, int nodeoffset,
			    const char *compatible)
{
	const char *list;
	int len;

	list = getprop(fdt, nodeoffset, "compatible", &len);
	if (!list)
		return len;
	return fdt_stringlist_contains(list, len, compatible) ? 0 : 1;
}

int fdt_node_check_compatible(const void *fdt, int nodeoffset,
			      const char *compatible)
{
	int err = fdt_check_header(fdt);

	return err ? err : check_compatible(fdt, nodeoffset, compatible);
}

int fdt_node_offset_by_compatible(const void *fdt, int startoffset,
				  const char *compatible)
{
	int off, ret, err = fdt_check_header(fdt);

	if (err)
		return err;
	for (off = next_node(fdt, startoffset, NULL); off >= 0;
	     off = next_node(fdt, off, NULL)) {
		ret = check_compatible(fdt, off, compatible);
		if (ret == 0)
			return off;
		if (ret < 0 && ret != -FDT_ERR_NOTFOUND)
			return ret;
	}
	return off;
}

static int get_ncells(const void *fdt, int nodeoffset, const char *name,
		      int dflt)
{
	const void *prop;
	u32 val;
	int len, err = fdt_check_header(fdt);

	if (err)
		return err;
	prop = getprop(fdt, nodeoffset, name, &len);
	if (!prop)
		return len == -FDT_ERR_NOTFOUND ? dflt : len;
	if (len != 4)
		return -FDT_ERR_BADNCELLS;
	val = fdt32_ld(prop);
	return val > FDT_MAX_NCELLS ? -FDT_ERR_BADNCELLS : (int)val;
}

int fdt_address_cells(const void *fdt, int nodeoffset)
{
	return get_ncells(fdt, nodeoffset, "#address-cells", 2);
}

int fdt_size_cells(const void *fdt, int nodeoffset)
{
	return get_ncells(fdt, nodeoffset, "#size-cells", 1);
}

int fdt_get_reg(const void *fdt, int nodeoffset, int index, u64 *address,
		u64 *size)
{
	const u8 *reg;
	int parent, ac, sc, len, stride;

	parent = fdt_parent_offset(fdt, nodeoffset);	/* checks the header */
	if (parent < 0)
		return parent;
	ac = fdt_address_cells(fdt, parent);
	if (ac < 0)
		return ac;
	sc = fdt_size_cells(fdt, parent);
	if (sc < 0)
		return sc;
	if (!ac || ac > 2 || sc > 2)
		return -FDT_ERR_BADNCELLS;

	reg = getprop(fdt, nodeoffset, "reg", &len);
	if (!reg)
		return len;
	stride = (ac + sc) * 4;
	if (index < 0 || index >= len / stride)
		return -FDT_ERR_NOTFOUND;
	reg += index * stride;
	if (address)
		*address = fdt_read_number(reg, ac);
	if (size)
		*size = fdt_read_number(reg + ac * 4, sc);
	return 0;
}

int fdt_check_full(const void *fdt, size_t bufsize)
{
	int offset = 0, next, tag, depth = 0, err;
	bool seen_root = false;

	if (bufsize < FDT_V17_SIZE)
		return -FDT_ERR_TRUNCATED;
	err = fdt_check_header(fdt);
	if (err)
		return err;
	if (fdt_totalsize(fdt) > bufsize)
		return -FDT_ERR_TRUNCATED;
	err = num_mem_rsv(fdt);
	if (err < 0)
		return err;

	/* Exactly one root node, balanced nesting, named properties in nodes. */
	for (;; offset = next) {
		tag = next_tag(fdt, offset, &next);
		if (tag < 0)
			return tag;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (!depth && seen_root)
				return -FDT_ERR_BADSTRUCTURE;
			seen_root = true;
			depth++;
			break;
		case FDT_END_NODE:
			if (!depth)
				return -FDT_ERR_BADSTRUCTURE;
			depth--;
			break;
		case FDT_PROP:
			if (!depth || !property(fdt, offset, NULL, NULL))
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_END:
			return depth || !seen_root ? -FDT_ERR_BADSTRUCTURE : 0;
		}
	}
}
