// SPDX-License-Identifier: MIT
/*
 * printk formats a whole line into a local buffer, then writes it to the console under
 * one lock, so lines from CPUs printing at once never interleave.
 */
#include <kairos/printk.h>
#include <kairos/spinlock.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>
#include <kairos/time.h>

#define PRINTK_LINE_MAX	1024

int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
static struct console *console;
static DEFINE_SPINLOCK(console_lock);
static bool console_locks_busted;
/* Whether the last thing written ended a line: continuation text gets no timestamp. */
static bool console_at_line_start = true;

void register_console(struct console *con)
{
	console = con;
}

void console_bust_locks(void)
{
	WRITE_ONCE(console_locks_busted, true);
}

static void console_emit(const char *s, size_t n)
{
	unsigned long flags;
	bool locked;

	if (!console || !n)
		return;
	/* Raw lock calls: preempt_count may be unusable this early or this late. */
	local_irq_save(flags);
	locked = true;
	if (READ_ONCE(console_locks_busted))
		locked = do_raw_spin_trylock(&console_lock);
	else
		do_raw_spin_lock(&console_lock);
	console->write(s, n);
	console_at_line_start = s[n - 1] == '\n';
	if (locked)
		do_raw_spin_unlock(&console_lock);
	local_irq_restore(flags);
}

int vprintk(const char *fmt, va_list ap)
{
	char line[PRINTK_LINE_MAX];
	int level = 6, len = 0, n;
	bool cont = false;

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] == 'c')
			cont = true;
		else if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	if (level > console_loglevel)
		return 0;
	if (!cont || console_at_line_start) {
		u64 ns = ktime_get_ns();

		len = scnprintf(line, sizeof(line), "[%5lu.%06lu] ",
				(unsigned long)(ns / NSEC_PER_SEC),
				(unsigned long)(ns % NSEC_PER_SEC / 1000));
	}
	n = vscnprintf(line + len, sizeof(line) - len, fmt, ap);
	console_emit(line, len + n);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
