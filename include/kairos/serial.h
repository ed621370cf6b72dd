/* SPDX-License-Identifier: MIT */
#ifndef KAIROS_SERIAL_H
#define KAIROS_SERIAL_H

#include <asm/io.h>

/* The console UART at base, device-tree node node (for its interrupt, later). */
void pl011_console_init(void __iomem *base, int node);
/* Its terminal, ttyAMA0, with input: from tty_init(). */
void pl011_tty_init(void);
void __iomem *early_ioremap_uart(phys_addr_t phys);

#endif
