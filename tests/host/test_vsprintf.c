// SPDX-License-Identifier: MIT
/*
 * lib/vsprintf.c against the C library's snprintf on generated formats,
 * wherever C defines the result, plus explicit cases for the kernel's own
 * behaviour (%p, %pS/%ps, NULL strings, unknown conversions).
 */
#include <kairos/kallsyms.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>

#include <limits.h>
#include <stddef.h>

#include "rand.h"
#include "tap.h"

/* The C library's versions, as reference (ours are kairos_*). */
#undef snprintf
#undef strcmp
#undef strlen
#undef memcmp

/* Fake symbol table standing in for the kernel's kallsyms. */
static const struct {
	const char *name;
	unsigned long start, size;
} fake_syms[] = {
	{ "start_kernel", 0xffff800010001000UL, 0x80 },
	{ "schedule", 0xffff800010002000UL, 0x200 },
};

int sprint_symbol(char *buf, size_t size, unsigned long addr, bool with_offset)
{
	size_t i;
	int n;

	for (i = 0; i < sizeof(fake_syms) / sizeof(fake_syms[0]); i++) {
		if (addr - fake_syms[i].start >= fake_syms[i].size)
			continue;
		if (with_offset)
			n = snprintf(buf, size, "%s+0x%lx/0x%lx", fake_syms[i].name,
				     addr - fake_syms[i].start, fake_syms[i].size);
		else
			n = snprintf(buf, size, "%s", fake_syms[i].name);
		return (size_t)n < size ? n : (int)size - 1;
	}
	return 0;
}

enum conv_kind { K_SIGNED, K_UNSIGNED, K_CHAR, K_STRING, K_PERCENT };

struct conv {
	char c;
	enum conv_kind kind;
};

static const struct conv convs[] = {
	{ 'd', K_SIGNED }, { 'i', K_SIGNED }, { 'u', K_UNSIGNED },
	{ 'x', K_UNSIGNED }, { 'X', K_UNSIGNED }, { 'o', K_UNSIGNED },
	{ 'c', K_CHAR }, { 's', K_STRING }, { '%', K_PERCENT },
};

static const char *const lengths[] = { "", "hh", "h", "l", "ll", "z", "t" };

static const char *const strings[] = {
	"", "a", "hello", "hello world", "tab\there", "caf\xc3\xa9",
	"a rather long string that goes past most field widths used here",
};

static const char *const literals[] = { "", "x=", "[", " ", "abc ", "%%" };

/* A format with one conversion, and the arguments it consumes. */
struct gen_case {
	char fmt[64];
	int nstars, stars[2];
	const struct conv *conv;
	const char *len;
	unsigned long long bits;	/* integer argument, cast per length */
	const char *str;
};

static unsigned long long random_bits(void)
{
	static const unsigned long long edges[] = {
		0, 1, 7, 8, 9, 10, 15, 16, 127, 128, 255, 256, 32767, 32768,
		65535, 65536, INT_MAX, (unsigned long long)INT_MIN, UINT_MAX,
		LLONG_MAX, (unsigned long long)LLONG_MIN, ULLONG_MAX,
		-1ULL, -2ULL, -128ULL, -129ULL,
	};

	switch (rnd_below(3)) {
	case 0:
		return edges[rnd_below(sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return rnd() >> rnd_below(64);		/* any magnitude */
	default:
		return -(rnd() >> rnd_below(64));	/* negatives too */
	}
}

static void generate(struct gen_case *g)
{
	const struct conv *cv = &convs[rnd_below(sizeof(convs) / sizeof(convs[0]))];
	char *p = g->fmt;
	bool numeric = cv->kind == K_SIGNED || cv->kind == K_UNSIGNED;
	int i;

	g->conv = cv;
	g->nstars = 0;
	g->len = "";
	g->bits = random_bits();
	g->str = strings[rnd_below(sizeof(strings) / sizeof(strings[0]))];

	p += sprintf(p, "%s%%", literals[rnd_below(sizeof(literals) / sizeof(literals[0]))]);
	if (cv->kind == K_PERCENT) {
		sprintf(p, "%%");
		return;
	}

	/* Flags, skipping the combinations C leaves undefined. */
	for (i = 0; i < 3; i++) {
		char f = "-0+ #"[rnd_below(5)];

		if (f == '#' && !(cv->c == 'x' || cv->c == 'X' || cv->c == 'o'))
			continue;
		if (f == '0' && !numeric)
			continue;
		if (rnd_below(2))
			*p++ = f;
	}

	switch (rnd_below(4)) {
	case 1:
		p += sprintf(p, "%d", (int)rnd_below(40));
		break;
	case 2:
		*p++ = '*';
		g->stars[g->nstars++] = (int)rnd_below(81) - 40;
		break;
	}

	if (cv->kind != K_CHAR) {
		switch (rnd_below(5)) {
		case 1:
			*p++ = '.';
			break;
		case 2:
			p += sprintf(p, ".%d", (int)rnd_below(30));
			break;
		case 3:
			p += sprintf(p, ".*");
			g->stars[g->nstars++] = (int)rnd_below(36) - 5;
			break;
		}
	}

	if (numeric)
		g->len = lengths[rnd_below(sizeof(lengths) / sizeof(lengths[0]))];
	sprintf(p, "%s%c%s", g->len, cv->c,
		literals[rnd_below(sizeof(literals) / sizeof(literals[0]))]);
}

/* Call @fn with the case's '*' arguments followed by @v. */
#define CALL_WITH(fn, buf, size, g, v)					\
	((g)->nstars == 0 ? fn(buf, size, (g)->fmt, v) :		\
	 (g)->nstars == 1 ? fn(buf, size, (g)->fmt, (g)->stars[0], v) :	\
	 fn(buf, size, (g)->fmt, (g)->stars[0], (g)->stars[1], v))

/* Format with both implementations, passing the argument at its C type. */
#define RUN_TYPED(T, v)							\
	do {								\
		T _v = (T)(v);						\
		*kr = CALL_WITH(kairos_snprintf, kb, ks, g, _v);	\
		*lr = CALL_WITH(snprintf, lb, ls, g, _v);		\
	} while (0)

static void run_both(const struct gen_case *g, char *kb, size_t ks, int *kr,
		     char *lb, size_t ls, int *lr)
{
	bool sgn = g->conv->kind == K_SIGNED;
	const char *len = g->len;

	if (g->conv->kind == K_STRING)
		RUN_TYPED(const char *, g->str);
	else if (g->conv->kind == K_CHAR)
		RUN_TYPED(int, (char)(g->bits | 1));	/* not NUL */
	else if (g->conv->kind == K_PERCENT)
		RUN_TYPED(int, 0);			/* unused argument */
	else if (!strcmp(len, "l") && sgn)
		RUN_TYPED(long, g->bits);
	else if (!strcmp(len, "l"))
		RUN_TYPED(unsigned long, g->bits);
	else if (!strcmp(len, "ll") && sgn)
		RUN_TYPED(long long, g->bits);
	else if (!strcmp(len, "ll"))
		RUN_TYPED(unsigned long long, g->bits);
	else if (!strcmp(len, "z") && sgn)
		RUN_TYPED(ssize_t, g->bits);
	else if (!strcmp(len, "z"))
		RUN_TYPED(size_t, g->bits);
	else if (!strcmp(len, "t"))
		RUN_TYPED(ptrdiff_t, g->bits);
	else if (sgn)
		RUN_TYPED(int, g->bits);
	else
		RUN_TYPED(unsigned int, g->bits);
}

static void test_generated(void)
{
	struct gen_case g;
	char kbuf[512], lbuf[512];
	int iter, kr, lr;

	tap_bulk_begin();
	rnd_seed(1);
	for (iter = 0; iter < 50000; iter++) {
		size_t size;
		char *kt, *lt;

		generate(&g);
		run_both(&g, kbuf, sizeof(kbuf), &kr, lbuf, sizeof(lbuf), &lr);
		CHECK(kr == lr && !strcmp(kbuf, lbuf),
		      "fmt \"%s\" stars %d: got %d \"%s\", libc %d \"%s\"",
		      g.fmt, g.nstars, kr, kbuf, lr, lbuf);

		/* Again into an exactly sized, usually too small buffer. */
		size = rnd_below(lr + 3);
		kt = malloc(size);
		lt = malloc(size);
		run_both(&g, kt, size, &kr, lt, size, &lr);
		CHECK(kr == lr && (!size || !memcmp(kt, lt, strlen(lt) + 1)),
		      "fmt \"%s\" size %zu: truncation differs", g.fmt, size);
		free(kt);
		free(lt);
	}
	tap_bulk_end("50000 generated single conversions match libc snprintf");
}

/*
 * Hide a value from the optimiser, so GCC's format checks leave the
 * deliberately odd formats and NULL arguments below alone.
 */
static const char *opaque(const char *p)
{
	__asm__("" : "+r"(p));
	return p;
}

/* Compare one call against libc. */
#define SAME_AS_LIBC(format, ...)					\
	do {								\
		const char *fmt = opaque(format);			\
		char _k[256], _l[256];					\
		int _kr = kairos_snprintf(_k, sizeof(_k), fmt, __VA_ARGS__); \
		int _lr = snprintf(_l, sizeof(_l), fmt, __VA_ARGS__);	\
		CHECK(_kr == _lr && !strcmp(_k, _l),			\
		      "\"%s\": got \"%s\", libc \"%s\"", fmt, _k, _l);	\
	} while (0)

static void test_fixed(void)
{
	tap_bulk_begin();
	SAME_AS_LIBC("%d %i %u %x %X %o %c %s %%", -5, 6, 7u, 255u, 255u, 8u,
		     'z', "str");
	SAME_AS_LIBC("%lld %llu %llx", LLONG_MIN, ULLONG_MAX, ULLONG_MAX);
	SAME_AS_LIBC("%ld|%lu|%lx", LONG_MIN, ULONG_MAX, 0xdeadbeefUL);
	SAME_AS_LIBC("%hhd %hhu %hhx %hd %hu", 0x1ff, 0x1ff, -1, 0x18000, -1);
	SAME_AS_LIBC("%zu %zd %zx %td %tx", (size_t)-1, (ssize_t)-1, (size_t)4096,
		     (ptrdiff_t)-12, (ptrdiff_t)255);
	SAME_AS_LIBC("%#o %#x %#X %#.0o %#.0x|", 0u, 0u, 0u, 0u, 0u);
	SAME_AS_LIBC("%#o %#x %#X %#5o %#08x", 8u, 255u, 255u, 8u, 255u);
	SAME_AS_LIBC("%.0d|%.0u|%5.0d|%-5.0x|", 0, 0u, 0, 0u);
	SAME_AS_LIBC("%+d %+d % d % d %+ d", 0, -3, 4, -4, 5);
	SAME_AS_LIBC("%05d|%-05d|%05.3d|%0*d|%-*d|", -42, -42, -42, 6, 7, -6, 8);
	SAME_AS_LIBC("%*.*d|%.*s|%.*s|", -8, 4, 12, 3, "abcdef", -1, "abc");
	SAME_AS_LIBC("%10s|%-10s|%.2s|%10.2s|%c%c%c", "ab", "ab", "abc", "abc",
		     'a', 'b', 'c');
	SAME_AS_LIBC("%5c|%-5c|", 'x', 'y');
	SAME_AS_LIBC("%s", "no conversions left %%");
	tap_bulk_end("multi-conversion formats match libc snprintf");
}

/*
 * Formats whose kernel meaning differs from C's (or C has none). The
 * trailing 0 is an unused argument, so formats without any are legal.
 */
#define EXPECT(expect, format, ...)					\
	do {								\
		const char *_f = opaque(format);			\
		char _k[256];						\
		int _kr = kairos_snprintf(_k, sizeof(_k), _f, ##__VA_ARGS__, 0); \
		CHECK(_kr == (int)strlen(expect) && !strcmp(_k, expect), \
		      "\"%s\": got %d \"%s\", want \"%s\"", _f, _kr, _k, expect); \
	} while (0)

static void test_kernel_extensions(void)
{
	void *sched = (void *)0xffff80001000201cUL;

	tap_bulk_begin();
	EXPECT("0x0000000000000000", "%p", NULL);
	EXPECT("0xffff000012345678", "%p", (void *)0xffff000012345678UL);
	EXPECT("  0x00000000deadbeef|", "%20p|", (void *)0xdeadbeefUL);
	EXPECT("0x00000000deadbeef  |", "%-20p|", (void *)0xdeadbeefUL);
	EXPECT("0x0000000000001000K", "%pK", (void *)0x1000UL);
	EXPECT("schedule+0x1c/0x200", "%pS", sched);
	EXPECT("schedule", "%ps", sched);
	EXPECT("start_kernel+0x0/0x80", "%pS", (void *)0xffff800010001000UL);
	EXPECT("[schedule    ]", "[%-12ps]", sched);
	EXPECT("[    schedule]", "[%12ps]", sched);
	EXPECT("schedule+0x1c/0x200x", "%pSx", sched);
	EXPECT("0x1234", "%pS", (void *)0x1234UL);
	EXPECT("0x0", "%ps", NULL);
	EXPECT("0xffff800010002200", "%pS", (void *)0xffff800010002200UL);
	EXPECT("(null)", "%s", opaque(NULL));
	EXPECT("(nu", "%.3s", opaque(NULL));
	EXPECT("  (null)", "%8s", opaque(NULL));
	EXPECT("%y|", "%y|");
	EXPECT("abc%", "abc%");
	EXPECT("a%nb", "a%nb");
	tap_bulk_end("%p, %pS, %ps, NULL %s and unknown conversions");
}

static void test_bounds(void)
{
	char buf[32], *small = malloc(8);
	int ret;
	bool ok = true;

	ret = kairos_snprintf(NULL, 0, "%d", 12345);
	ok &= ret == 5;
	ret = kairos_snprintf(small, 8, "%pS", (void *)0xffff80001000201cUL);
	ok &= ret == 19 && !strcmp(small, "schedul");
	ret = kairos_snprintf(small, 1, "abc");
	ok &= ret == 3 && small[0] == '\0';
	TAP_OK(ok, "snprintf returns the untruncated length, always terminates");

	ok = true;
	ret = kairos_scnprintf(small, 8, "%s", "hello world");
	ok &= ret == 7 && !strcmp(small, "hello w");
	ret = kairos_scnprintf(small, 8, "%s", "hi");
	ok &= ret == 2 && !strcmp(small, "hi");
	ret = kairos_scnprintf(small, 0, "%s", "hi");
	ok &= ret == 0;
	ret = kairos_scnprintf(small, 1, "%s", "hi");
	ok &= ret == 0 && small[0] == '\0';
	TAP_OK(ok, "scnprintf returns what was stored");

	/* Absurd widths are capped rather than overflowing an int. */
	ret = kairos_snprintf(buf, sizeof(buf), opaque("%99999999999999999999d|"), 1);
	TAP_OK(ret > 0 && kairos_strlen(buf) == sizeof(buf) - 1,
	       "huge widths are capped without overflow");
	free(small);
}

int main(void)
{
	test_generated();
	test_fixed();
	test_kernel_extensions();
	test_bounds();
	return tap_done();
}
