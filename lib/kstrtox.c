// SPDX-License-Identifier: MIT
/* String to integer conversion: strict kstrto*() and lenient memparse(). */
#include <kairos/cmdline.h>

/* <limits.h> is not available freestanding; GCC predefines the signed max. */
#ifndef ULLONG_MAX
#define ULLONG_MAX	(__LONG_LONG_MAX__ * 2ULL + 1)
#endif

static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;	/* ASCII lower case */
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	return ~0U;
}

/* Resolve base 0 and skip a "0x" prefix where the base allows one. */
static const char *fixup_base(const char *s, unsigned int *base)
{
	bool hex_prefix = s[0] == '0' && (s[1] | 0x20) == 'x';

	if (*base == 0) {
		if (hex_prefix && digit_value(s[2]) < 16)
			*base = 16;
		else
			*base = s[0] == '0' ? 8 : 10;
	}
	if (*base == 16 && hex_prefix)
		s += 2;
	return s;
}

/*
 * Consume digits of @base at @s into *@res, saturating on overflow.
 * Returns the first unconsumed character; *@ndigits says how many were read.
 */
static const char *parse_digits(const char *s, unsigned int base,
				unsigned long long *res, bool *overflow,
				unsigned int *ndigits)
{
	unsigned long long val = 0;
	unsigned int d;

	*overflow = false;
	*ndigits = 0;
	for (; (d = digit_value(*s)) < base; s++, (*ndigits)++) {
		/* Once saturated, this stays true for every further digit. */
		if (val > (ULLONG_MAX - d) / base) {
			*overflow = true;
			val = ULLONG_MAX;
		} else {
			val = val * base + d;
		}
	}
	*res = val;
	return s;
}

/* Strict unsigned parse of a string without any sign. */
static int parse_strict(const char *s, unsigned int base,
			unsigned long long *res)
{
	unsigned long long val;
	unsigned int ndigits;
	bool overflow;

	if (base == 1 || base > 16)
		return -EINVAL;
	s = fixup_base(s, &base);
	s = parse_digits(s, base, &val, &overflow, &ndigits);
	if (!ndigits)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = val;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (s[0] == '+')
		s++;
	return parse_strict(s, base, res);
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long val;
	int ret;

	if (s[0] == '-') {
		ret = parse_strict(s + 1, base, &val);
		if (ret)
			return ret;
		/* The magnitude of LLONG_MIN is one more than LLONG_MAX. */
		if (val > (unsigned long long)__LONG_LONG_MAX__ + 1)
			return -ERANGE;
		*res = (long long)(0ULL - val);
		return 0;
	}
	ret = kstrtoull(s, base, &val);
	if (ret)
		return ret;
	if (val > __LONG_LONG_MAX__)
		return -ERANGE;
	*res = val;
	return 0;
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long val;
	int ret = kstrtoull(s, base, &val);

	if (ret)
		return ret;
	if (val != (unsigned long)val)
		return -ERANGE;
	*res = val;
	return 0;
}

int kstrtol(const char *s, unsigned int base, long *res)
{
	long long val;
	int ret = kstrtoll(s, base, &val);

	if (ret)
		return ret;
	if (val != (long)val)
		return -ERANGE;
	*res = val;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long val;
	int ret = kstrtoull(s, base, &val);

	if (ret)
		return ret;
	if (val != (unsigned int)val)
		return -ERANGE;
	*res = val;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long val;
	int ret = kstrtoll(s, base, &val);

	if (ret)
		return ret;
	if (val != (int)val)
		return -ERANGE;
	*res = val;
	return 0;
}

unsigned long long memparse(const char *ptr, char **retptr)
{
	static const char units[] = "KMGTPE";
	unsigned long long val;
	unsigned int base = 0, ndigits, shift, i;
	const char *end;
	bool overflow;

	end = fixup_base(ptr, &base);
	end = parse_digits(end, base, &val, &overflow, &ndigits);
	if (ndigits) {
		for (i = 0; units[i]; i++) {
			if ((*end & ~0x20) != units[i])
				continue;
			shift = 10 * (i + 1);
			val = val > ULLONG_MAX >> shift ? ULLONG_MAX : val << shift;
			end++;
			break;
		}
	} else {
		end = ptr;
	}
	if (retptr)
		*retptr = (char *)end;
	return val;
}
