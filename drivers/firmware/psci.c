// SPDX-License-Identifier: MIT
#include <asm/sysreg.h>
#include <kairos/bug.h>
#include <kairos/of.h>
#include <kairos/printk.h>
#include <kairos/psci.h>
#include <kairos/setup.h>
#include <kairos/string.h>

#define PSCI_0_2_FN_PSCI_VERSION	0x84000000
#define PSCI_0_2_FN_SYSTEM_OFF		0x84000008
#define PSCI_0_2_FN_SYSTEM_RESET	0x84000009
#define PSCI_0_2_FN64_CPU_ON		0xc4000003

static bool psci_use_smc;

/* The conduit is HVC when firmware sits at EL2, SMC when it sits at EL3. */
static unsigned long psci_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fn;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	if (psci_use_smc)
		__asm__ __volatile__("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
	else
		__asm__ __volatile__("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
	return x0;
}

void __init psci_init(void)
{
	const void *fdt = initial_boot_params;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	const char *method;
	unsigned long ver;

	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	if (node < 0)
		panic("device tree: no PSCI 0.2+ node (compatible \"arm,psci-0.2\")");
	method = of_get_string(fdt, node, "method");
	if (!method || (strcmp(method, "hvc") && strcmp(method, "smc")))
		panic("device tree: PSCI node has no valid \"method\" (hvc or smc)");
	psci_use_smc = !strcmp(method, "smc");
	ver = psci_call(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
	pr_info("psci: PSCIv%lu.%lu via %s\n", ver >> 16, ver & 0xffff, method);
}

int psci_cpu_on(u64 mpidr, phys_addr_t entry, u64 context)
{
	return (int)psci_call(PSCI_0_2_FN64_CPU_ON, mpidr, entry, context);
}

void __noreturn psci_system_off(void)
{
	psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	panic("psci: SYSTEM_OFF returned");
}

void __noreturn psci_system_reset(void)
{
	psci_call(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
	panic("psci: SYSTEM_RESET returned");
}
