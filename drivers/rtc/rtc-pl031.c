// SPDX-License-Identifier: MIT
/*
 * ARM PrimeCell PL031 RTC (QEMU virt's "arm,pl031"): a 32-bit count of seconds in the
 * data register, which QEMU starts at the host's time of day.
 */
#include <asm/io.h>
#include <kairos/of.h>
#include <kairos/rtc.h>
#include <kairos/setup.h>
#include <uapi/errno.h>

#define RTC_DR		0x00	/* data: the current count */

static void __iomem *pl031_base;	/* mapped at the first read */

int rtc_read_time(u64 *secs)
{
	const void *fdt = initial_boot_params;
	u64 addr, size;
	int node;

	if (!pl031_base) {
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl031");
		if (node < 0 || of_get_reg(fdt, node, 0, &addr, &size) || size < RTC_DR + 4)
			return -ENODEV;
		pl031_base = ioremap(addr, size);
		if (!pl031_base)
			return -ENODEV;
	}
	*secs = readl(pl031_base + RTC_DR);
	return 0;
}
