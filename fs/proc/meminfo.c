// SPDX-License-Identifier: MIT
/*
 * /proc/meminfo, every line of Linux 6.1's (arm64, Debian's configuration) in its order
 * and layout. Kairos knows its RAM and the page allocator's free pages; there is no
 * swap and no reclaimable cache (ramfs and tmpfs pages go only with their files), so
 * what is free is what is available, and the lines for what Kairos does not have or
 * count read 0.
 */
#include <kairos/mm.h>
#include <kairos/string.h>
#include "internal.h"

static void show_val_kb(struct seq_file *m, const char *name, unsigned long pages)
{
	seq_printf(m, "%-16s%8lu kB\n", name, pages << (PAGE_SHIFT - 10));
}

int meminfo_proc_show(struct seq_file *m, struct pid_namespace *ns,
			     struct task_struct *task)
{
	static const char *const uncounted[] = {
		"Buffers:", "Cached:", "SwapCached:", "Active:", "Inactive:", "Active(anon):",
		"Inactive(anon):", "Active(file):", "Inactive(file):", "Unevictable:",
		"Mlocked:", "SwapTotal:", "SwapFree:", "Zswap:", "Zswapped:", "Dirty:",
		"Writeback:", "AnonPages:", "Mapped:", "Shmem:", "KReclaimable:", "Slab:",
		"SReclaimable:", "SUnreclaim:", "KernelStack:", "PageTables:", "SecPageTables:",
		"NFS_Unstable:", "Bounce:", "WritebackTmp:",
	};
	static const char *const uncounted2[] = {
		"Committed_AS:", "VmallocTotal:", "VmallocUsed:", "VmallocChunk:", "Percpu:",
		"AnonHugePages:", "ShmemHugePages:", "ShmemPmdMapped:",
		"FileHugePages:", "FilePmdMapped:", "CmaTotal:", "CmaFree:",
	};
	unsigned long total = totalram_pages(), free = nr_free_pages();

	show_val_kb(m, "MemTotal:", total);
	show_val_kb(m, "MemFree:", free);
	show_val_kb(m, "MemAvailable:", free);
	for (unsigned int i = 0; i < ARRAY_SIZE(uncounted); i++)
		show_val_kb(m, uncounted[i], 0);
	/* No swap, Linux's default overcommit ratio of 50%. */
	show_val_kb(m, "CommitLimit:", total / 2);
	for (unsigned int i = 0; i < ARRAY_SIZE(uncounted2); i++) {
		show_val_kb(m, uncounted2[i], 0);
		if (!strcmp(uncounted2[i], "Percpu:"))
			seq_printf(m, "HardwareCorrupted: %5lu kB\n", 0UL);
	}
	seq_printf(m, "HugePages_Total:   %5lu\nHugePages_Free:    %5lu\n"
		   "HugePages_Rsvd:    %5lu\nHugePages_Surp:    %5lu\n", 0UL, 0UL, 0UL, 0UL);
	seq_printf(m, "Hugepagesize:   %8lu kB\nHugetlb:        %8lu kB\n", 0UL, 0UL);
	return 0;
}
