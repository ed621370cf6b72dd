// SPDX-License-Identifier: MIT
/*
 * What the CPUs are: the hardware capabilities user space is told of (AT_HWCAP) and
 * /proc/cpuinfo in Linux arm64's format. Every CPU of a QEMU virt machine is the same
 * model, so the ID registers of the CPU that reads stand for all of them.
 */
#include <asm/hwcap.h>
#include <asm/sysreg.h>
#include <kairos/proc_fs.h>
#include <kairos/seq_file.h>
#include <kairos/smp.h>
#include <kairos/time.h>

/* HWCAP_CPUID is not claimed: it promises that EL0 reads of ID registers are emulated,
 * which they are not. Nor is HWCAP_EVTSTRM: no event stream is configured. */
unsigned long cpu_get_elf_hwcap(void)
{
	u64 isar0 = read_sysreg(id_aa64isar0_el1), pfr0 = read_sysreg(id_aa64pfr0_el1);
	unsigned long hwcap = 0;
	unsigned int aes = (isar0 >> 4) & 0xf;

	if (((pfr0 >> 16) & 0xf) != 0xf)
		hwcap |= HWCAP_FP;
	if (((pfr0 >> 20) & 0xf) != 0xf)
		hwcap |= HWCAP_ASIMD;
	if (aes >= 1)
		hwcap |= HWCAP_AES;
	if (aes >= 2)
		hwcap |= HWCAP_PMULL;
	if ((isar0 >> 8) & 0xf)
		hwcap |= HWCAP_SHA1;
	if ((isar0 >> 12) & 0xf)
		hwcap |= HWCAP_SHA2;
	if ((isar0 >> 16) & 0xf)
		hwcap |= HWCAP_CRC32;
	if (((isar0 >> 20) & 0xf) >= 2)
		hwcap |= HWCAP_ATOMICS;
	return hwcap;
}

/* Linux's names, by bit. */
static const char *const hwcap_str[] = {
	"fp", "asimd", "evtstrm", "aes", "pmull", "sha1", "sha2", "crc32", "atomics",
	"fphp", "asimdhp", "cpuid",
};

int show_cpuinfo(struct seq_file *m)
{
	unsigned long hwcap = cpu_get_elf_hwcap();
	u64 midr = read_sysreg(midr_el1);
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		seq_printf(m, "processor\t: %u\n", cpu);
		/* Linux's loops_per_jiffy on arm64 counts timer ticks: rate / HZ. */
		seq_printf(m, "BogoMIPS\t: %u.%02u\n", arch_timer_rate / 500000,
			   arch_timer_rate / 5000 % 100);
		seq_puts(m, "Features\t:");
		for (unsigned int i = 0; i < ARRAY_SIZE(hwcap_str); i++)
			if (hwcap & (1UL << i))
				seq_printf(m, " %s", hwcap_str[i]);
		seq_puts(m, "\n");
		seq_printf(m, "CPU implementer\t: 0x%02x\n", (unsigned int)(midr >> 24) & 0xff);
		seq_puts(m, "CPU architecture: 8\n");
		seq_printf(m, "CPU variant\t: 0x%x\n", (unsigned int)(midr >> 20) & 0xf);
		seq_printf(m, "CPU part\t: 0x%03x\n", (unsigned int)(midr >> 4) & 0xfff);
		seq_printf(m, "CPU revision\t: %u\n\n", (unsigned int)midr & 0xf);
	}
	return 0;
}
