/* SPDX-License-Identifier: MIT */
/* Boot: the device tree, the command line, and parameters parsed from it. */
#ifndef KAIROS_SETUP_H
#define KAIROS_SETUP_H

#include <kairos/compiler.h>
#include <kairos/types.h>

#define COMMAND_LINE_SIZE	2048

extern const void *initial_boot_params;	/* the device tree blob, mapped */
extern char boot_command_line[COMMAND_LINE_SIZE];
extern phys_addr_t initrd_start, initrd_end;	/* 0, 0 without an initrd */

/*
 * A command-line parameter: early_param(name, fn) calls fn(value) during setup_arch for
 * every "name=value" (value NULL for a bare "name"). Parameters nobody claims are left
 * for init, as Linux does.
 */
struct kernel_param {
	const char *name;
	int (*setup)(const char *val);
};
#define early_param(str, fn)						\
	static const struct kernel_param __param_##fn __used		\
	__section(".init.param") __aligned(8) = { str, fn }

void setup_arch(void);
void parse_early_param(void);

#endif
