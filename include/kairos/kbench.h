/* SPDX-License-Identifier: MIT */
/*
 * In-kernel micro-benchmarks. KBENCH(name) { ... } runs when the command line says
 * bench=all (or names it) and reports with kbench_report(); the kernel then powers off.
 * Output lines "kbench: <name> <metric> <value> <unit>" are what `make bench` collects;
 * they come framed as ktest output, so tools/ktest-run boots and judges a benchmark run.
 */
#ifndef KAIROS_KBENCH_H
#define KAIROS_KBENCH_H

#include <kairos/compiler.h>
#include <kairos/types.h>

struct kbench {
	const char *name;
	void (*fn)(void);
};

#define KBENCH(bname)							\
	static void kbench_##bname(void);				\
	static const struct kbench __kbench_##bname __used		\
	__section(".kbench") __aligned(8) = { #bname, kbench_##bname };	\
	static void kbench_##bname(void)

void kbench_report(const char *metric, u64 value, const char *unit);
/* Run the benchmarks the command line asked for, if any, then power off. */
void kbench_run_from_cmdline(void);

#endif
