// SPDX-License-Identifier: MIT
/*
 * Formatted output into bounded buffers. See <kairos/sprintf.h> for the
 * supported conversions and how they differ from C's printf family.
 */
#include <kairos/compiler.h>
#include <kairos/kallsyms.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>

/* Output cursor: counts every character, stores those that fit. */
struct printbuf {
	char *buf;
	size_t size;
	size_t len;
};

#define FMT_LEFT	0x01	/* '-': pad on the right */
#define FMT_ZEROPAD	0x02	/* '0': pad numbers with zeros */
#define FMT_PLUS	0x04	/* '+': always print a sign */
#define FMT_SPACE	0x08	/* ' ': space where a '+' would go */
#define FMT_SPECIAL	0x10	/* '#': 0x / leading 0 */
#define FMT_UPPER	0x20	/* %X */

/* Keeps absurd widths from overflowing while still honouring sane ones. */
#define FMT_MAX_WIDTH	(1 << 20)

struct fmt_spec {
	unsigned int flags;
	int width;		/* -1: none */
	int precision;		/* -1: none */
};

enum fmt_length {
	LEN_INT,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_Z,
	LEN_T,
};

static void put_char(struct printbuf *pb, char c)
{
	/* Keep the last byte for the terminator. */
	if (pb->len + 1 < pb->size)
		pb->buf[pb->len] = c;
	pb->len++;
}

static void put_repeat(struct printbuf *pb, char c, int n)
{
	while (n-- > 0)
		put_char(pb, c);
}

static void put_mem(struct printbuf *pb, const char *s, size_t n)
{
	while (n--)
		put_char(pb, *s++);
}

/* Strings, characters and pointers: only width and '-' apply. */
static void put_padded(struct printbuf *pb, const char *s, size_t n,
		       const struct fmt_spec *spec)
{
	int pad = spec->width > (int)n ? spec->width - (int)n : 0;

	if (!(spec->flags & FMT_LEFT))
		put_repeat(pb, ' ', pad);
	put_mem(pb, s, n);
	if (spec->flags & FMT_LEFT)
		put_repeat(pb, ' ', pad);
}

static void put_number(struct printbuf *pb, unsigned long long num,
		       bool negative, bool is_signed, unsigned int base,
		       const struct fmt_spec *spec)
{
	const char *digit_set = (spec->flags & FMT_UPPER) ?
				"0123456789ABCDEF" : "0123456789abcdef";
	char digits[24];	/* 64 bits in octal need 22 */
	const char *prefix = "";
	char sign = 0;
	int ndigits = 0, precision, zeros, len, pad;

	while (num) {
		digits[ndigits++] = digit_set[num % base];
		num /= base;
	}

	/* C: at least one digit by default, none for zero at precision 0. */
	precision = spec->precision < 0 ? 1 : spec->precision;

	if (is_signed) {
		if (negative)
			sign = '-';
		else if (spec->flags & FMT_PLUS)
			sign = '+';
		else if (spec->flags & FMT_SPACE)
			sign = ' ';
	}
	if (spec->flags & FMT_SPECIAL) {
		if (base == 16 && ndigits)
			prefix = (spec->flags & FMT_UPPER) ? "0X" : "0x";
		else if (base == 8 && precision <= ndigits)
			precision = ndigits + 1;	/* force a leading 0 */
	}

	zeros = precision > ndigits ? precision - ndigits : 0;
	len = !!sign + (int)strlen(prefix) + zeros + ndigits;
	pad = spec->width > len ? spec->width - len : 0;
	/* '0' is ignored with '-' or with an explicit precision. */
	if ((spec->flags & (FMT_ZEROPAD | FMT_LEFT)) == FMT_ZEROPAD &&
	    spec->precision < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(spec->flags & FMT_LEFT))
		put_repeat(pb, ' ', pad);
	if (sign)
		put_char(pb, sign);
	put_mem(pb, prefix, strlen(prefix));
	put_repeat(pb, '0', zeros);
	while (ndigits)
		put_char(pb, digits[--ndigits]);
	if (spec->flags & FMT_LEFT)
		put_repeat(pb, ' ', pad);
}

/* "0x" and at least @min_digits hex digits; returns the length. */
static size_t format_hex(char *out, unsigned long val, int min_digits)
{
	char tmp[2 * sizeof(long)];
	int n = 0;
	size_t len = 0;

	do {
		tmp[n++] = "0123456789abcdef"[val & 0xf];
		val >>= 4;
	} while (val);
	out[len++] = '0';
	out[len++] = 'x';
	while (min_digits-- > n)
		out[len++] = '0';
	while (n)
		out[len++] = tmp[--n];
	return len;
}

static void put_pointer(struct printbuf *pb, const void *ptr, char ext,
			const struct fmt_spec *spec)
{
	char sym[KSYM_SYMBOL_LEN];
	size_t n;
	int ret;

	if (ext == 'S' || ext == 's') {
		ret = sprint_symbol(sym, sizeof(sym), (unsigned long)ptr,
				    ext == 'S');
		if (ret > 0)
			n = min((size_t)ret, sizeof(sym) - 1);
		else
			n = format_hex(sym, (unsigned long)ptr, 1);
	} else {
		n = format_hex(sym, (unsigned long)ptr, 2 * sizeof(ptr));
	}
	put_padded(pb, sym, n, spec);
}

static int parse_decimal(const char **fmtp)
{
	const char *fmt = *fmtp;
	int val = 0;

	while (*fmt >= '0' && *fmt <= '9') {
		if (val < FMT_MAX_WIDTH)
			val = val * 10 + (*fmt - '0');
		fmt++;
	}
	*fmtp = fmt;
	return min(val, FMT_MAX_WIDTH);
}

static unsigned long long fetch_unsigned(va_list *ap, enum fmt_length len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:
		return (size_t)va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static long long fetch_signed(va_list *ap, enum fmt_length len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		return va_arg(*ap, ssize_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

static const char *parse_spec(const char *fmt, struct fmt_spec *spec,
			      enum fmt_length *len, va_list *ap)
{
	spec->flags = 0;
	for (;; fmt++) {
		if (*fmt == '-')
			spec->flags |= FMT_LEFT;
		else if (*fmt == '0')
			spec->flags |= FMT_ZEROPAD;
		else if (*fmt == '+')
			spec->flags |= FMT_PLUS;
		else if (*fmt == ' ')
			spec->flags |= FMT_SPACE;
		else if (*fmt == '#')
			spec->flags |= FMT_SPECIAL;
		else
			break;
	}

	spec->width = -1;
	if (*fmt == '*') {
		int w = va_arg(*ap, int);

		fmt++;
		/* A negative '*' width means '-' and its magnitude. */
		if (w < 0) {
			spec->flags |= FMT_LEFT;
			w = w < -FMT_MAX_WIDTH ? FMT_MAX_WIDTH : -w;
		}
		spec->width = min(w, FMT_MAX_WIDTH);
	} else if (*fmt >= '0' && *fmt <= '9') {
		spec->width = parse_decimal(&fmt);
	}

	spec->precision = -1;
	if (*fmt == '.') {
		fmt++;
		if (*fmt == '*') {
			int p = va_arg(*ap, int);

			fmt++;
			/* A negative '*' precision counts as none. */
			spec->precision = p < 0 ? -1 : min(p, FMT_MAX_WIDTH);
		} else {
			spec->precision = parse_decimal(&fmt);
		}
	}

	*len = LEN_INT;
	if (*fmt == 'h') {
		fmt++;
		*len = LEN_H;
		if (*fmt == 'h') {
			fmt++;
			*len = LEN_HH;
		}
	} else if (*fmt == 'l') {
		fmt++;
		*len = LEN_L;
		if (*fmt == 'l') {
			fmt++;
			*len = LEN_LL;
		}
	} else if (*fmt == 'z') {
		fmt++;
		*len = LEN_Z;
	} else if (*fmt == 't') {
		fmt++;
		*len = LEN_T;
	}
	return fmt;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct printbuf pb = { .buf = buf, .size = size, .len = 0 };
	struct fmt_spec spec;
	enum fmt_length len;
	va_list args;

	/* A copy, so helpers can consume arguments through a pointer. */
	va_copy(args, ap);
	while (*fmt) {
		const char *s;
		char c;

		if (*fmt != '%') {
			put_char(&pb, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &spec, &len, &args);

		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = fetch_signed(&args, len);
			/* Negate in unsigned arithmetic so LLONG_MIN works. */
			unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v :
							 (unsigned long long)v;

			put_number(&pb, mag, v < 0, true, 10, &spec);
			break;
		}
		case 'u':
			put_number(&pb, fetch_unsigned(&args, len), false, false,
				   10, &spec);
			break;
		case 'x':
		case 'X':
			if (*fmt == 'X')
				spec.flags |= FMT_UPPER;
			put_number(&pb, fetch_unsigned(&args, len), false, false,
				   16, &spec);
			break;
		case 'o':
			put_number(&pb, fetch_unsigned(&args, len), false, false,
				   8, &spec);
			break;
		case 'c':
			c = (char)va_arg(args, int);
			put_padded(&pb, &c, 1, &spec);
			break;
		case 's':
			s = va_arg(args, const char *);
			if (!s)
				s = "(null)";
			put_padded(&pb, s, spec.precision < 0 ? strlen(s) :
				   strnlen(s, spec.precision), &spec);
			break;
		case 'p':
			put_pointer(&pb, va_arg(args, void *), fmt[1], &spec);
			if (fmt[1] == 'S' || fmt[1] == 's')
				fmt++;
			break;
		case '%':
			put_char(&pb, '%');
			break;
		case '\0':
			/* A lone '%' at the end: show it, and stop on the NUL. */
			put_char(&pb, '%');
			continue;
		default:
			/* Unknown conversion: print it verbatim so the bug shows. */
			put_char(&pb, '%');
			put_char(&pb, *fmt);
			break;
		}
		fmt++;
	}
	va_end(args);

	if (size)
		buf[min(pb.len, size - 1)] = '\0';
	return (int)pb.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int ret = vsnprintf(buf, size, fmt, ap);

	if ((size_t)ret < size)
		return ret;
	return size ? (int)(size - 1) : 0;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
