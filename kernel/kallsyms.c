// SPDX-License-Identifier: MIT
/* Names for code addresses, from the table tools/kallsyms.py links into the image. */
#include <kairos/kallsyms.h>
#include <kairos/sprintf.h>

extern const u64 kallsyms_num;
extern const u64 kallsyms_addresses[];
extern const u32 kallsyms_sizes[];
extern const u32 kallsyms_name_offsets[];
extern const char kallsyms_names[];
extern char _stext[], _etext[];

/* The function containing addr: its name, and addr's offset and the function's size. */
const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset)
{
	u64 lo = 0, hi = kallsyms_num;
	u64 i, end;

	if (addr < (unsigned long)_stext || addr >= (unsigned long)_etext || !hi)
		return NULL;
	/* The last symbol starting at or below addr. */
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;

		if (kallsyms_addresses[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	i = lo;
	if (kallsyms_addresses[i] > addr)
		return NULL;
	end = kallsyms_sizes[i] ? kallsyms_addresses[i] + kallsyms_sizes[i] :
	      i + 1 < kallsyms_num ? kallsyms_addresses[i + 1] : (u64)_etext;
	if (addr >= end)
		return NULL;
	*size = end - kallsyms_addresses[i];
	*offset = addr - kallsyms_addresses[i];
	return kallsyms_names + kallsyms_name_offsets[i];
}

int sprint_symbol(char *buf, size_t size, unsigned long addr, bool with_offset)
{
	unsigned long symsize, offset;
	const char *name = kallsyms_lookup(addr, &symsize, &offset);

	if (!name)
		return 0;
	if (with_offset)
		return scnprintf(buf, size, "%s+0x%lx/0x%lx", name, offset, symsize);
	return scnprintf(buf, size, "%s", name);
}
