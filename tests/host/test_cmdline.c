// SPDX-License-Identifier: MIT
/* lib/cmdline.c and lib/kstrtox.c: splitting, quoting, strict integers. */
#include <kairos/cmdline.h>

#include <limits.h>

#include "rand.h"
#include "tap.h"

/* The C library's versions for the test's own use (ours are kairos_*). */
#undef strcmp
#undef snprintf

#define MAX_ARGS	8

struct collected {
	int n;
	const char *param[MAX_ARGS];
	const char *val[MAX_ARGS];
	int stop_after;		/* return 1 from this call on, if non-zero */
};

static int collect(char *param, char *val, void *arg)
{
	struct collected *c = arg;

	if (c->n == MAX_ARGS)
		return -1;
	c->param[c->n] = param;
	c->val[c->n] = val;
	c->n++;
	return c->stop_after && c->n >= c->stop_after ? 100 : 0;
}

/* Expected words: "param" or "param=val"; "=" alone marks val == NULL. */
static void expect_args(const char *cmdline, const char *const *want,
			int nwant)
{
	struct collected c = { 0 };
	char *buf = strdup(cmdline);
	int ret = parse_args(buf, collect, &c), i;
	bool ok = ret == 0 && c.n == nwant;

	for (i = 0; ok && i < nwant; i++) {
		const char *w = want[2 * i], *v = want[2 * i + 1];

		ok = !strcmp(c.param[i], w) &&
		     (v ? c.val[i] && !strcmp(c.val[i], v) : !c.val[i]);
	}
	CHECK(ok, "parse_args(\"%s\"): ret %d, %d words", cmdline, ret, c.n);
	free(buf);
}

#define EXPECT_ARGS(cmdline, ...)					\
	do {								\
		static const char *const _w[] = { __VA_ARGS__ };	\
		expect_args(cmdline, _w, sizeof(_w) / sizeof(_w[0]) / 2); \
	} while (0)

static void test_parse_args(void)
{
	struct collected c = { .stop_after = 2 };
	char buf[] = "a b c d";
	int ret;

	tap_bulk_begin();
	expect_args("", NULL, 0);
	expect_args(" \t\n ", NULL, 0);
	EXPECT_ARGS("quiet", "quiet", NULL);
	EXPECT_ARGS("console=ttyAMA0 ktest=all\n",
		    "console", "ttyAMA0", "ktest", "all");
	EXPECT_ARGS("  a=1   b  ", "a", "1", "b", NULL);
	EXPECT_ARGS("a= b==c", "a", "", "b", "=c");
	EXPECT_ARGS("x=\"\"", "x", "");
	EXPECT_ARGS("init=\"/bin/sh -c x\" quiet",
		    "init", "/bin/sh -c x", "quiet", NULL);
	EXPECT_ARGS("\"init=/bin/sh -c x\" quiet",
		    "init", "/bin/sh -c x", "quiet", NULL);
	EXPECT_ARGS("init=/bin/sh -c \"x y\"",
		    "init", "/bin/sh", "-c", NULL, "x y", NULL);
	EXPECT_ARGS("a=b\"c d\"e f", "a", "bc de", "f", NULL);
	EXPECT_ARGS("msg=\"unterminated quote", "msg", "unterminated quote");
	EXPECT_ARGS("\"\"", "", NULL);
	EXPECT_ARGS("tab\tsep\rcr", "tab", NULL, "sep", NULL, "cr", NULL);
	EXPECT_ARGS("\"a b\"=c", "a b", "c");

	ret = parse_args(buf, collect, &c);
	CHECK(ret == 100 && c.n == 2, "handler return stops parsing: %d %d",
	      ret, c.n);
	tap_bulk_end("parse_args splitting, quoting and handler return");
}

static void test_parameq(void)
{
	TAP_OK(parameq("foo-bar", "foo_bar") && parameq("a_b-c", "a-b_c") &&
	       parameq("", "") && !parameq("foo", "foobar") &&
	       !parameq("foobar", "foo") && !parameq("a", "b") &&
	       !parameq("-", "") && parameq("nohz", "nohz"),
	       "parameq treats - and _ alike, needs equal length");
}

struct ull_case {
	const char *s;
	unsigned int base;
	int ret;
	unsigned long long val;
};

static const struct ull_case ull_cases[] = {
	{ "0", 0, 0, 0 },
	{ "0x1f", 0, 0, 31 },
	{ "0X1F", 0, 0, 31 },
	{ "017", 0, 0, 15 },
	{ "08", 0, -EINVAL, 0 },
	{ "0x", 0, -EINVAL, 0 },
	{ "0x", 16, -EINVAL, 0 },
	{ "0xg", 0, -EINVAL, 0 },
	{ "1f", 16, 0, 31 },
	{ "0x1f", 16, 0, 31 },
	{ "0x1f", 10, -EINVAL, 0 },
	{ "1011", 2, 0, 11 },
	{ "2", 2, -EINVAL, 0 },
	{ "z", 16, -EINVAL, 0 },
	{ "10", 1, -EINVAL, 0 },
	{ "10", 17, -EINVAL, 0 },
	{ "", 0, -EINVAL, 0 },
	{ "\n", 0, -EINVAL, 0 },
	{ "12\n", 0, 0, 12 },
	{ "12\n\n", 0, -EINVAL, 0 },
	{ " 12", 0, -EINVAL, 0 },
	{ "12 ", 0, -EINVAL, 0 },
	{ "+12", 0, 0, 12 },
	{ "+", 0, -EINVAL, 0 },
	{ "-1", 0, -EINVAL, 0 },
	{ "18446744073709551615", 0, 0, ULLONG_MAX },
	{ "0xffffffffffffffff", 0, 0, ULLONG_MAX },
	{ "18446744073709551616", 0, -ERANGE, 0 },
	{ "0x10000000000000000", 0, -ERANGE, 0 },
	{ "99999999999999999999999", 10, -ERANGE, 0 },
};

static void test_kstrtoull(void)
{
	unsigned long long v;
	unsigned int i;
	int ret;

	tap_bulk_begin();
	for (i = 0; i < sizeof(ull_cases) / sizeof(ull_cases[0]); i++) {
		const struct ull_case *c = &ull_cases[i];

		v = 12345;
		ret = kstrtoull(c->s, c->base, &v);
		CHECK(ret == c->ret && v == (ret ? 12345 : c->val),
		      "kstrtoull(\"%s\", %u): %d %llu", c->s, c->base, ret, v);
	}
	/* Against the C library on valid input in each base. */
	rnd_seed(3);
	for (i = 0; i < 20000; i++) {
		unsigned long long want = rnd() >> rnd_below(64);
		static const char *const fmts[] = { "%llu", "%llx", "%llo", "0x%llX", "0%llo" };
		static const unsigned int bases[] = { 10, 16, 8, 0, 0 };
		unsigned int k = rnd_below(5);
		char s[32];

		snprintf(s, sizeof(s), fmts[k], want);
		ret = kstrtoull(s, bases[k], &v);
		CHECK(ret == 0 && v == want, "kstrtoull(\"%s\", %u)", s, bases[k]);
	}
	tap_bulk_end("kstrtoull");
}

static void test_signed_and_narrow(void)
{
	long long ll;
	long l;
	unsigned long ul;
	unsigned int u;
	int n;

	tap_bulk_begin();
	CHECK(kstrtoll("-12", 0, &ll) == 0 && ll == -12, "-12");
	CHECK(kstrtoll("-0", 0, &ll) == 0 && ll == 0, "-0");
	CHECK(kstrtoll("-0x10", 0, &ll) == 0 && ll == -16, "-0x10");
	CHECK(kstrtoll("+7", 0, &ll) == 0 && ll == 7, "+7");
	CHECK(kstrtoll("-+5", 0, &ll) == -EINVAL, "-+5");
	CHECK(kstrtoll("--5", 0, &ll) == -EINVAL, "--5");
	CHECK(kstrtoll("-", 0, &ll) == -EINVAL, "-");
	CHECK(kstrtoll("9223372036854775807", 0, &ll) == 0 && ll == LLONG_MAX, "LLONG_MAX");
	CHECK(kstrtoll("9223372036854775808", 0, &ll) == -ERANGE, "LLONG_MAX + 1");
	CHECK(kstrtoll("-9223372036854775808", 0, &ll) == 0 && ll == LLONG_MIN, "LLONG_MIN");
	CHECK(kstrtoll("-9223372036854775809", 0, &ll) == -ERANGE, "LLONG_MIN - 1");
	CHECK(kstrtol("-2147483649", 10, &l) == 0 && l == -2147483649L, "long");
	CHECK(kstrtoul("4294967296", 10, &ul) == 0 && ul == 4294967296UL, "ulong");
	CHECK(kstrtoul("-1", 10, &ul) == -EINVAL, "ulong -1");
	CHECK(kstrtouint("4294967295", 10, &u) == 0 && u == UINT_MAX, "UINT_MAX");
	u = 7;
	CHECK(kstrtouint("4294967296", 10, &u) == -ERANGE && u == 7, "UINT_MAX + 1");
	CHECK(kstrtoint("2147483647", 10, &n) == 0 && n == INT_MAX, "INT_MAX");
	CHECK(kstrtoint("2147483648", 10, &n) == -ERANGE, "INT_MAX + 1");
	CHECK(kstrtoint("-2147483648", 10, &n) == 0 && n == INT_MIN, "INT_MIN");
	CHECK(kstrtoint("-2147483649", 10, &n) == -ERANGE, "INT_MIN - 1");
	CHECK(kstrtoint("0x7fffffff\n", 0, &n) == 0 && n == INT_MAX, "hex with newline");
	tap_bulk_end("kstrtoll/kstrtol/kstrtoul/kstrtouint/kstrtoint ranges and signs");
}

static void test_memparse(void)
{
	static const struct {
		const char *s;
		unsigned long long val;
		size_t used;
	} cases[] = {
		{ "64M", 64ULL << 20, 3 },
		{ "1G", 1ULL << 30, 2 },
		{ "4k", 4096, 2 },
		{ "2T", 2ULL << 40, 2 },
		{ "1P", 1ULL << 50, 2 },
		{ "1e", 1ULL << 60, 2 },
		{ "16E", ULLONG_MAX, 3 },	/* saturates */
		{ "0x1000", 0x1000, 6 },
		{ "0x10K", 16 << 10, 5 },
		{ "010", 8, 3 },
		{ "12", 12, 2 },
		{ "5T rest", 5ULL << 40, 2 },
		{ "7X", 7, 1 },
		{ "0xg", 0, 1 },
		{ "abc", 0, 0 },
		{ "K", 0, 0 },
		{ "", 0, 0 },
		{ "99999999999999999999K", ULLONG_MAX, 21 },
	};
	unsigned int i;
	char *end;

	tap_bulk_begin();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long long v = memparse(cases[i].s, &end);

		CHECK(v == cases[i].val && end == cases[i].s + cases[i].used,
		      "memparse(\"%s\") = %llu, used %td", cases[i].s, v,
		      end - cases[i].s);
	}
	CHECK(memparse("3M", NULL) == 3 << 20, "NULL retptr");
	tap_bulk_end("memparse suffixes, prefixes, saturation and end pointer");
}

int main(void)
{
	test_parse_args();
	test_parameq();
	test_kstrtoull();
	test_signed_and_narrow();
	test_memparse();
	return tap_done();
}
