// SPDX-License-Identifier: MIT
/* The PL011 UART as the kernel console: polled output, started before any allocator. */
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/sysreg.h>
#include <kairos/compiler.h>
#include <kairos/printk.h>
#include <kairos/serial.h>

#define UART01x_DR	0x00
#define UART01x_FR	0x18
#define UART01x_FR_TXFF	(1 << 5)

static void __iomem *pl011_base;

static void pl011_putc(char c)
{
	while (readl_relaxed(pl011_base + UART01x_FR) & UART01x_FR_TXFF)
		cpu_relax();
	writel_relaxed((u8)c, pl011_base + UART01x_DR);
}

static void pl011_console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			pl011_putc('\r');
		pl011_putc(s[i]);
	}
}

static struct console pl011_console = {
	.name = "ttyAMA0",
	.write = pl011_console_write,
};

void pl011_console_init(void __iomem *base)
{
	pl011_base = base;
	register_console(&pl011_console);
}
