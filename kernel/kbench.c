// SPDX-License-Identifier: MIT
#include <kairos/kbench.h>
#include <kairos/printk.h>
#include <kairos/psci.h>
#include <kairos/setup.h>
#include <kairos/string.h>

extern const struct kbench __kbench_start[], __kbench_end[];

static const char *bench_param;
static const struct kbench *running;

static int __init bench_setup(const char *val)
{
	bench_param = val;
	return 0;
}
early_param("bench", bench_setup);

void kbench_report(const char *metric, u64 value, const char *unit)
{
	printk("kbench: %s %s %lu %s\n", running->name, metric, (unsigned long)value, unit);
}

static bool selected(const struct kbench *b)
{
	return !strcmp(bench_param, "all") || !strcmp(bench_param, b->name);
}

/* Framed as ktest output (each benchmark one TAP result), so tools/ktest-run runs it. */
void kbench_run_from_cmdline(void)
{
	int planned = 0, n = 0;

	if (!bench_param)
		return;
	for (running = __kbench_start; running < __kbench_end; running++)
		planned += selected(running);
	printk("ktest: start\n");
	printk("1..%d\n", planned);
	for (running = __kbench_start; running < __kbench_end; running++) {
		if (!selected(running))
			continue;
		running->fn();
		printk("ok %d - bench_%s\n", ++n, running->name);
	}
	printk("ktest: done\n");
	psci_system_off();
}
