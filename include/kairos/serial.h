/* SPDX-License-Identifier: MIT */
#ifndef KAIROS_SERIAL_H
#define KAIROS_SERIAL_H

#include <asm/io.h>

void pl011_console_init(void __iomem *base);
void __iomem *early_ioremap_uart(phys_addr_t phys);

#endif
