// SPDX-License-Identifier: MIT
/*
 * setup_arch: everything the boot CPU learns from the device tree before the memory
 * allocators exist — the console, the command line, RAM and what must not be reused.
 */
#include <asm/memory.h>
#include <asm/pgtable.h>
#include <asm/sysreg.h>
#include <kairos/bug.h>
#include <kairos/cmdline.h>
#include <kairos/memblock.h>
#include <kairos/of.h>
#include <kairos/printk.h>
#include <kairos/serial.h>
#include <kairos/setup.h>
#include <kairos/string.h>

extern char _text[], _end[];
extern phys_addr_t boot_fdt_phys;
void paging_init(void);

const void *initial_boot_params;
char boot_command_line[COMMAND_LINE_SIZE];
phys_addr_t initrd_start, initrd_end;

/* The console named by /chosen/stdout-path, else the first PL011. */
static void __init setup_early_console(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), node = -1;
	const char *path = chosen >= 0 ? of_get_string(fdt, chosen, "stdout-path") : NULL;
	u64 base, size;
	void __iomem *regs;

	if (path) {
		char buf[128];

		/* "path:options": only the path names the node. */
		strscpy(buf, path, sizeof(buf));
		if (strchr(buf, ':'))
			*strchr(buf, ':') = '\0';
		node = fdt_path_offset(fdt, buf);
	}
	if (node < 0 || fdt_node_check_compatible(fdt, node, "arm,pl011"))
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	if (node < 0 || of_get_reg(fdt, node, 0, &base, &size))
		return;		/* nowhere to print; later panics will be silent */
	regs = early_ioremap_uart(base);
	if (regs)
		pl011_console_init(regs, node);
}

/* A 32- or 64-bit /chosen property holding a physical address. */
static bool __init chosen_addr(const void *fdt, int chosen, const char *name, u64 *out)
{
	int len;
	const void *p = fdt_getprop(fdt, chosen, name, &len);

	if (!p || (len != 4 && len != 8))
		return false;
	*out = fdt_read_number(p, len / 4);
	return true;
}

static void __init setup_memory(const void *fdt)
{
	int node, n = 0;
	u64 start, end;

	/* RAM: every node whose device_type is "memory". */
	for (node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		const char *type = of_get_string(fdt, node, "device_type");
		u64 base, size;

		if (!type || strcmp(type, "memory"))
			continue;
		for (int i = 0; !of_get_reg(fdt, node, i, &base, &size); i++) {
			if (!size)
				continue;
			memblock_add(base, size);
			n++;
		}
	}
	if (!n)
		panic("device tree: no memory node with a usable reg");

	memblock_reserve(__pa_symbol(_text), (u64)(_end - _text));
	memblock_reserve(boot_fdt_phys, fdt_totalsize(fdt));
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		u64 base, size;

		if (!fdt_get_mem_rsv(fdt, i, &base, &size) && size)
			memblock_reserve(base, size);
	}
	node = fdt_path_offset(fdt, "/reserved-memory");
	if (node >= 0) {
		int child;

		fdt_for_each_subnode(child, fdt, node) {
			u64 base, size;

			for (int i = 0; !of_get_reg(fdt, child, i, &base, &size); i++)
				memblock_reserve(base, size);
		}
	}
	node = fdt_path_offset(fdt, "/chosen");
	if (node >= 0 && chosen_addr(fdt, node, "linux,initrd-start", &start) &&
	    chosen_addr(fdt, node, "linux,initrd-end", &end) && end > start) {
		initrd_start = start;
		initrd_end = end;
		memblock_reserve(start, end - start);
	}
}

static int __init do_early_param(char *param, char *val, void *arg)
{
	extern const struct kernel_param __param_start[], __param_end[];

	for (const struct kernel_param *p = __param_start; p < __param_end; p++)
		if (parameq(param, p->name))
			p->setup(val);
	return 0;
}

void __init parse_early_param(void)
{
	static char tmp[COMMAND_LINE_SIZE] __initdata;

	strscpy(tmp, boot_command_line, sizeof(tmp));
	parse_args(tmp, do_early_param, NULL);
}

static int __init loglevel_setup(const char *val)
{
	if (val && val[0] >= '0' && val[0] <= '9')
		console_loglevel = val[0] - '0';
	return 0;
}
early_param("loglevel", loglevel_setup);

static int __init quiet_setup(const char *val)
{
	console_loglevel = 4;	/* errors and worse, as Linux's quiet */
	return 0;
}
early_param("quiet", quiet_setup);

void __init setup_arch(void)
{
	const void *fdt = (const void *)(FIXMAP_FDT_VADDR + (boot_fdt_phys & ((2UL << 20) - 1)));
	int chosen, err;
	const char *bootargs;

	if (!boot_fdt_phys || fdt_check_header(fdt) || fdt_totalsize(fdt) > (2UL << 20))
		for (;;)	/* no device tree: no console to say so on */
			__asm__ __volatile__("wfi");
	setup_early_console(fdt);
	err = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (err)
		panic("device tree at %#lx is malformed: %s", (unsigned long)boot_fdt_phys,
		      fdt_strerror(err));
	initial_boot_params = fdt;

	chosen = fdt_path_offset(fdt, "/chosen");
	bootargs = chosen >= 0 ? of_get_string(fdt, chosen, "bootargs") : NULL;
	if (bootargs)
		strscpy(boot_command_line, bootargs, sizeof(boot_command_line));
	parse_early_param();

	setup_memory(fdt);
	paging_init();
}
