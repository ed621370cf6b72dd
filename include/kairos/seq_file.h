/* SPDX-License-Identifier: MIT */
/*
 * Text built in a kernel buffer for a read(2) to copy out, as /proc's files are: the
 * file's show function writes all of it with seq_printf() and friends; when it does not
 * fit, seq_read() starts over with a buffer twice the size. A reader therefore sees one
 * consistent snapshot per open file, taken at its first read at position 0.
 */
#ifndef KAIROS_SEQ_FILE_H
#define KAIROS_SEQ_FILE_H

#include <kairos/fs.h>

struct seq_file {
	char *buf;
	size_t size;
	size_t count;		/* bytes written; size + 1 once something did not fit */
	size_t pad_until;	/* seq_pad's column */
	int (*show)(struct seq_file *m, void *v);
	void *private;		/* the show function's */
};

/* Writers: output past the buffer's end marks it as overflowed (seq_has_overflowed). */
void seq_printf(struct seq_file *m, const char *fmt, ...) __printf(2, 3);
void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap);
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
void seq_write(struct seq_file *m, const void *data, size_t len);
/* delimiter (if not 0) and then num, as Linux's /proc/[pid]/stat builds its fields. */
void seq_put_decimal_ull(struct seq_file *m, const char *delimiter, unsigned long long num);
void seq_put_decimal_ll(struct seq_file *m, const char *delimiter, long long num);

/* A column to pad to: seq_pad() fills with c up to width bytes after here, then adds
 * one more c (a separator even when the text went past the column). */
static inline void seq_setwidth(struct seq_file *m, size_t width)
{
	m->pad_until = m->count + width;
}
void seq_pad(struct seq_file *m, char c);

static inline bool seq_has_overflowed(const struct seq_file *m)
{
	return m->count > m->size;
}

/*
 * A file whose whole text one show() makes: single_open() sets it up as the file's
 * private_data, seq_read() fills it at position 0 and copies from it, single_release()
 * frees it. show returns 0 or -errno (which read(2) returns).
 */
int single_open(struct file *file, int (*show)(struct seq_file *m, void *v), void *data);
ssize_t seq_read_iter(struct file *file, struct iov_iter *to, loff_t *pos);
int single_release(struct inode *inode, struct file *file);

#endif
