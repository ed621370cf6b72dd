// SPDX-License-Identifier: MIT
/*
 * printk formats a whole line into a local buffer, then, under one lock, appends it to
 * the log buffer and writes it to the console, so lines from CPUs printing at once never
 * interleave. The log buffer keeps every level; the console only those it is set to show.
 */
#include <kairos/printk.h>
#include <kairos/spinlock.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>
#include <kairos/time.h>

#define PRINTK_LINE_MAX	1024
#define LOG_BUF_LEN	(64 * 1024)	/* a power of two */

static char log_buf[LOG_BUF_LEN];
static u64 log_end;		/* bytes ever logged; log_buf[log_end % LOG_BUF_LEN] is next */

int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
static struct console *console;
static DEFINE_SPINLOCK(console_lock);
bool console_locks_busted;
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

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_end + i) % LOG_BUF_LEN] = s[i];
	log_end += n;
}

size_t log_buf_copy(char *dst, size_t len)
{
	unsigned long flags;
	u64 start;
	size_t n;

	local_irq_save(flags);
	do_raw_spin_lock(&console_lock);
	n = min((u64)len, min(log_end, (u64)LOG_BUF_LEN));
	start = log_end - n;
	for (size_t i = 0; i < n; i++)
		dst[i] = log_buf[(start + i) % LOG_BUF_LEN];
	do_raw_spin_unlock(&console_lock);
	local_irq_restore(flags);
	return n;
}

static void console_emit(const char *s, size_t n, bool to_console)
{
	unsigned long flags;
	bool locked;

	if (!n)
		return;
	/* Raw lock calls: preempt_count may be unusable this early or this late. */
	local_irq_save(flags);
	locked = true;
	if (READ_ONCE(console_locks_busted))
		locked = do_raw_spin_trylock(&console_lock);
	else
		do_raw_spin_lock(&console_lock);
	log_store(s, n);
	console_at_line_start = s[n - 1] == '\n';
	if (to_console && console)
		console->write(s, n);
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
	if (!cont || console_at_line_start) {
		u64 ns = ktime_get_ns();

		len = scnprintf(line, sizeof(line), "[%5lu.%06lu] ",
				(unsigned long)(ns / NSEC_PER_SEC),
				(unsigned long)(ns % NSEC_PER_SEC / 1000));
	}
	n = vscnprintf(line + len, sizeof(line) - len, fmt, ap);
	console_emit(line, len + n, level < console_loglevel);
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
