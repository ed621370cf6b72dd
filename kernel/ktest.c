// SPDX-License-Identifier: MIT
#include <kairos/ktest.h>
#include <kairos/printk.h>
#include <kairos/psci.h>
#include <kairos/setup.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>

extern const struct ktest __ktest_start[], __ktest_end[];

static const char *ktest_param;

static int __init ktest_setup(const char *val)
{
	ktest_param = val;
	return 0;
}
early_param("ktest", ktest_setup);

void ktest_fail(struct ktest_ctx *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->failed)		/* keep the first reason: later ones tend to be its echoes */
		return;
	t->failed = true;
	n = scnprintf(t->reason, sizeof(t->reason), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vscnprintf(t->reason + n, sizeof(t->reason) - n, fmt, ap);
	va_end(ap);
}

void ktest_skip(struct ktest_ctx *t, const char *why)
{
	t->skipped = true;
	strscpy(t->reason, why, sizeof(t->reason));
}

/* Is name in the comma-separated list? "all" selects every non-explicit test. */
static bool selected(const struct ktest *k, const char *list)
{
	size_t len = strlen(k->name);

	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if ((n == len && !strncmp(p, k->name, n)) ||
		    (n == 3 && !strncmp(p, "all", 3) && !k->explicit_only))
			return true;
		p += n + (end ? 1 : 0);
	}
	return false;
}

void ktest_run_from_cmdline(void)
{
	const struct ktest *k;
	int planned = 0, n = 0, failed = 0;

	if (!ktest_param)
		return;
	for (k = __ktest_start; k < __ktest_end; k++)
		planned += selected(k, ktest_param);
	printk("ktest: start\n");
	printk("TAP version 13\n");
	printk("1..%d\n", planned);
	for (k = __ktest_start; k < __ktest_end; k++) {
		struct ktest_ctx t = { .failed = false };

		if (!selected(k, ktest_param))
			continue;
		k->fn(&t);
		n++;
		if (t.failed) {
			failed++;
			printk("not ok %d - %s # %s\n", n, k->name, t.reason);
		} else if (t.skipped) {
			printk("ok %d - %s # SKIP %s\n", n, k->name, t.reason);
		} else {
			printk("ok %d - %s\n", n, k->name);
		}
	}
	printk("ktest: %d passed, %d failed\n", n - failed, failed);
	printk("ktest: done\n");
	psci_system_off();
}
