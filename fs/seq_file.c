// SPDX-License-Identifier: MIT
/* Text files made whole by a show function: kairos/seq_file.h. */
#include <kairos/seq_file.h>
#include <kairos/slab.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>

static void seq_set_overflow(struct seq_file *m)
{
	m->count = m->size + 1;
}

void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap)
{
	if (m->count < m->size) {
		int len = vsnprintf(m->buf + m->count, m->size - m->count, fmt, ap);

		if (m->count + len < m->size) {
			m->count += len;
			return;
		}
	}
	seq_set_overflow(m);
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
}

void seq_write(struct seq_file *m, const void *data, size_t len)
{
	if (m->count + len < m->size) {
		memcpy(m->buf + m->count, data, len);
		m->count += len;
	} else {
		seq_set_overflow(m);
	}
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}

void seq_pad(struct seq_file *m, char c)
{
	while (m->count < m->pad_until && !seq_has_overflowed(m))
		seq_putc(m, c);
	seq_putc(m, c);
}

void seq_put_decimal_ull(struct seq_file *m, const char *delimiter, unsigned long long num)
{
	seq_printf(m, "%s%llu", delimiter ? delimiter : "", num);
}

void seq_put_decimal_ll(struct seq_file *m, const char *delimiter, long long num)
{
	seq_printf(m, "%s%lld", delimiter ? delimiter : "", num);
}

int single_open(struct file *file, int (*show)(struct seq_file *m, void *v), void *data)
{
	struct seq_file *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	m->show = show;
	m->private = data;
	file->private_data = m;
	return 0;
}

/* Runs show into a buffer large enough for all of it. */
static int seq_fill(struct seq_file *m)
{
	size_t size = PAGE_SIZE;

	for (;;) {
		int err;

		kfree(m->buf);
		m->buf = kmalloc(size, GFP_KERNEL);
		if (!m->buf)
			return -ENOMEM;
		m->size = size;
		m->count = 0;
		err = m->show(m, m->private);
		if (err)
			return err;
		if (!seq_has_overflowed(m))
			return 0;
		if (size >= (1UL << 22))	/* 4 MiB: no /proc file is that large */
			return -ENOMEM;
		size *= 2;
	}
}

ssize_t seq_read_iter(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct seq_file *m = file->private_data;
	size_t n;
	int err;

	if (*pos == 0 || !m->buf) {
		err = seq_fill(m);
		if (err) {
			kfree(m->buf);
			m->buf = NULL;
			return err;
		}
	}
	if (*pos >= (loff_t)m->count)
		return 0;
	n = copy_to_iter(m->buf + *pos, m->count - *pos, to);
	if (!n && iov_iter_count(to))
		return -EFAULT;
	*pos += n;
	return n;
}

int single_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	kfree(m->buf);
	kfree(m);
	return 0;
}
