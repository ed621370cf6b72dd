// SPDX-License-Identifier: MIT
#include <kairos/of.h>
#include <kairos/string.h>

const char *of_get_string(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	if (!s || len < 1 || s[len - 1] != '\0')
		return NULL;
	return s;
}

u32 of_get_u32(const void *fdt, int node, const char *name, u32 def)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	return p && len == 4 ? fdt32_ld(p) : def;
}

int of_get_reg(const void *fdt, int node, int index, u64 *addr, u64 *size)
{
	return fdt_get_reg(fdt, node, index, addr, size);
}

/* GIC interrupt specifiers are three cells: type (0 SPI, 1 PPI), number, flags. */
unsigned int of_get_interrupt(const void *fdt, int node, int index)
{
	int len;
	const u8 *p = fdt_getprop(fdt, node, "interrupts", &len);
	u32 type, nr;

	if (!p || index < 0 || len < 12 * (index + 1))
		return 0;
	p += 12 * index;
	type = fdt32_ld(p);
	nr = fdt32_ld(p + 4);
	if (type == 0 && nr < 988)
		return 32 + nr;
	if (type == 1 && nr < 16)
		return 16 + nr;
	return 0;
}
