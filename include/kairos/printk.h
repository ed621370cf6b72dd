/* SPDX-License-Identifier: MIT */
/*
 * printk: "[ seconds.micros] message" on the console, one whole line at a time even
 * when several CPUs print at once. A message may start with a KERN_<LEVEL> prefix;
 * lines above the console log level (loglevel= on the command line) are not shown.
 */
#ifndef KAIROS_PRINTK_H
#define KAIROS_PRINTK_H

#include <kairos/compiler.h>
#include <kairos/types.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"	/* continues the previous line: no timestamp */

#define CONSOLE_LOGLEVEL_DEFAULT 7	/* levels below it are shown: all but debug */

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#define pr_emerg(fmt, ...)	printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG fmt, ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

/* The console: a single output device chosen at boot (the PL011 on QEMU virt). */
struct console {
	const char *name;
	void (*write)(const char *s, size_t n);
};
void register_console(struct console *con);
/* The last len bytes logged (fewer if less was logged), oldest first; returns the count. */
size_t log_buf_copy(char *dst, size_t len);
extern int console_loglevel;
/* After a panic: other CPUs may hold the console lock forever, so stop waiting for it. */
void console_bust_locks(void);
extern bool console_locks_busted;	/* consoles only try their own locks, too */

#endif
