/* SPDX-License-Identifier: MIT */
/* Reading the boot device tree: small helpers over lib/fdt.c for drivers and boot code. */
#ifndef KAIROS_OF_H
#define KAIROS_OF_H

#include <kairos/fdt.h>
#include <kairos/types.h>

/* The property as a NUL-terminated string, or NULL if absent or not a string. */
const char *of_get_string(const void *fdt, int node, const char *name);
/* A one-cell property, or def if absent or malformed. */
u32 of_get_u32(const void *fdt, int node, const char *name, u32 def);
/* Entry index of "reg" as an address and size; 0 on success. */
int of_get_reg(const void *fdt, int node, int index, u64 *addr, u64 *size);
/* Entry index of "interrupts" as a GIC interrupt ID, or 0 if absent or malformed. */
unsigned int of_get_interrupt(const void *fdt, int node, int index);

#endif
