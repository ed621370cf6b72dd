// SPDX-License-Identifier: MIT
#include <asm/irqflags.h>
#include <asm/stacktrace.h>
#include <asm/sysreg.h>
#include <kairos/atomic.h>
#include <kairos/bug.h>
#include <kairos/printk.h>
#include <kairos/smp.h>
#include <kairos/sprintf.h>

static int panic_cpu = -1;
bool oops_in_progress;

void __noreturn panic(const char *fmt, ...)
{
	static char buf[256];
	int this_cpu = (int)smp_processor_id(), old = -1;
	va_list ap;

	local_irq_disable();
	/* One CPU reports; any other that panics meanwhile just stops. */
	if (!__atomic_compare_exchange_n(&panic_cpu, &old, this_cpu, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_RELAXED) && old != this_cpu)
		for (;;)
			wfi();
	va_start(ap, fmt);
	vscnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", buf);
	if (!oops_in_progress)		/* die() has shown the trace that matters */
		dump_stack();
	smp_send_stop();
	/* A stopped CPU may have held the console lock. */
	console_bust_locks();
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", buf);
	for (;;)
		wfi();
}

const struct bug_entry *find_bug(unsigned long addr)
{
	extern const struct bug_entry __bug_table_start[], __bug_table_end[];

	for (const struct bug_entry *b = __bug_table_start; b < __bug_table_end; b++)
		if (b->addr == addr)
			return b;
	return NULL;
}

void __warn(const char *file, int line, const char *cond)
{
	printk(KERN_WARNING "WARNING: CPU: %u at %s:%d: %s\n", smp_processor_id(), file, line,
	       cond);
	dump_stack();
}
