// SPDX-License-Identifier: MIT
/*
 * lib/string.c against naive byte loops and the C library. Buffers are
 * malloc'ed at their exact size so ASan flags any access past either end.
 * Ours are called by their kairos_ names (see host_prefix.h).
 */
#include <kairos/string.h>

#include "rand.h"
#include "tap.h"

/* The C library's versions, as reference (ours are kairos_*). */
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strstr

static void fill_random(unsigned char *p, size_t n)
{
	while (n--)
		*p++ = rnd();
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

#define MAX_LEN	200
#define MAX_OFF	17

static void test_memcpy(void)
{
	size_t doff, soff, len, i;

	tap_bulk_begin();
	for (doff = 0; doff < MAX_OFF; doff++) {
		for (soff = 0; soff < MAX_OFF; soff++) {
			for (len = 0; len < MAX_LEN; len += 1 + len / 16) {
				unsigned char *src = malloc(soff + len);
				unsigned char *dst = malloc(doff + len);
				unsigned char *ref = malloc(doff + len);

				fill_random(src, soff + len);
				fill_random(dst, doff + len);
				for (i = 0; i < doff; i++)
					ref[i] = dst[i];
				for (i = 0; i < len; i++)
					ref[doff + i] = src[soff + i];
				CHECK(kairos_memcpy(dst + doff, src + soff, len) ==
				      dst + doff, "memcpy return");
				for (i = 0; i < doff + len && dst[i] == ref[i]; i++)
					;
				CHECK(i == doff + len,
				      "memcpy doff %zu soff %zu len %zu: byte %zu",
				      doff, soff, len, i);
				free(src);
				free(dst);
				free(ref);
			}
		}
	}
	tap_bulk_end("memcpy, all alignments and lengths");
}

static void test_memmove(void)
{
	size_t doff, soff, len, i, size = MAX_OFF + MAX_LEN;
	unsigned char *buf = malloc(size), *ref = malloc(size);

	tap_bulk_begin();
	for (doff = 0; doff < MAX_OFF; doff++) {
		for (soff = 0; soff < MAX_OFF; soff++) {
			for (len = 0; len + (doff > soff ? doff : soff) <= size;
			     len += 1 + len / 8) {
				fill_random(buf, size);
				for (i = 0; i < size; i++)
					ref[i] = buf[i];
				/* reference: via a temporary, as memmove is defined */
				{
					unsigned char tmp[MAX_OFF + MAX_LEN];

					for (i = 0; i < len; i++)
						tmp[i] = ref[soff + i];
					for (i = 0; i < len; i++)
						ref[doff + i] = tmp[i];
				}
				CHECK(kairos_memmove(buf + doff, buf + soff, len) ==
				      buf + doff, "memmove return");
				for (i = 0; i < size && buf[i] == ref[i]; i++)
					;
				CHECK(i == size, "memmove doff %zu soff %zu len %zu",
				      doff, soff, len);
			}
		}
	}
	free(buf);
	free(ref);
	tap_bulk_end("memmove, overlapping both ways");
}

static void test_memset(void)
{
	size_t off, len, i;
	int c;

	tap_bulk_begin();
	for (off = 0; off < MAX_OFF; off++) {
		for (len = 0; len < MAX_LEN; len++) {
			unsigned char *buf = malloc(off + len);

			for (i = 0; i < off; i++)
				buf[i] = 0x5a;
			c = (int)(rnd() & 0x3ff) - 0x200;	/* only low byte counts */
			CHECK(kairos_memset(buf + off, c, len) == buf + off,
			      "memset return");
			for (i = 0; i < off && buf[i] == 0x5a; i++)
				;
			for (; i < off + len && buf[i] == (unsigned char)c; i++)
				;
			CHECK(i == off + len, "memset off %zu len %zu c %d",
			      off, len, c);
			free(buf);
		}
	}
	tap_bulk_end("memset, all alignments and lengths");
}

static void test_memcmp_memchr(void)
{
	int iter;

	tap_bulk_begin();
	for (iter = 0; iter < 20000; iter++) {
		size_t len = rnd() % 64, pos, i;
		unsigned char *a = malloc(len + 1), *b = malloc(len + 1);
		int expect = 0, c;
		void *ref;

		fill_random(a, len + 1);
		for (i = 0; i <= len; i++)
			b[i] = a[i];
		if (len && rnd() % 4) {
			pos = rnd() % len;
			b[pos] = rnd();
			/* bytes compare as unsigned char */
			expect = sign((int)a[pos] - (int)b[pos]);
		}
		CHECK(sign(kairos_memcmp(a, b, len)) == expect,
		      "memcmp len %zu", len);

		c = rnd() % 4 ? a[rnd() % (len + 1)] : (int)(rnd() & 0xfff);
		ref = memchr(a, c, len);
		CHECK(kairos_memchr(a, c, len) == ref, "memchr len %zu c %d",
		      len, c);
		free(a);
		free(b);
	}
	tap_bulk_end("memcmp and memchr against references");
}

/* Random strings over a small alphabet, so searches actually hit. */
static char *random_string(size_t maxlen)
{
	size_t len = rnd() % (maxlen + 1), i;
	char *s = malloc(len + 1);

	for (i = 0; i < len; i++)
		s[i] = "ab\x80\xff-_"[rnd() % 6];
	s[len] = '\0';
	return s;
}

static void test_str_against_libc(void)
{
	int iter;

	tap_bulk_begin();
	for (iter = 0; iter < 20000; iter++) {
		char *a = random_string(12), *b = random_string(12);
		size_t n = rnd() % 16;
		int c = "ab\x80-z"[rnd() % 5];

		if (rnd() % 3 == 0) {
			free(b);
			b = strdup(a);
		}
		CHECK(kairos_strlen(a) == strlen(a), "strlen \"%s\"", a);
		CHECK(kairos_strnlen(a, n) == strnlen(a, n), "strnlen %zu", n);
		CHECK(sign(kairos_strcmp(a, b)) == sign(strcmp(a, b)),
		      "strcmp \"%s\" \"%s\"", a, b);
		CHECK(sign(kairos_strncmp(a, b, n)) == sign(strncmp(a, b, n)),
		      "strncmp \"%s\" \"%s\" %zu", a, b, n);
		CHECK(kairos_strchr(a, c) == strchr(a, c), "strchr %d", c);
		CHECK(kairos_strchr(a, 0) == strchr(a, 0), "strchr NUL");
		CHECK(kairos_strrchr(a, c) == strrchr(a, c), "strrchr %d", c);
		CHECK(kairos_strrchr(a, 0) == strrchr(a, 0), "strrchr NUL");
		CHECK(kairos_strstr(a, b) == strstr(a, b),
		      "strstr \"%s\" \"%s\"", a, b);
		free(a);
		free(b);
	}
	tap_bulk_end("str* against the C library");
}

static void test_strnlen_bounded(void)
{
	/* No terminator at all: strnlen must stop at maxlen. */
	char *s = malloc(8);

	kairos_memset(s, 'x', 8);
	TAP_OK(kairos_strnlen(s, 8) == 8 && kairos_strnlen(s, 3) == 3,
	       "strnlen never reads past maxlen");
	free(s);
}

static void test_strscpy(void)
{
	char *src = malloc(6), dst[8];
	ssize_t ret;
	bool ok = true;

	kairos_memcpy(src, "hello", 6);

	ret = kairos_strscpy(dst, src, sizeof(dst));
	ok &= ret == 5 && !strcmp(dst, "hello");
	ret = kairos_strscpy(dst, src, 6);		/* exact fit */
	ok &= ret == 5 && !strcmp(dst, "hello");
	ret = kairos_strscpy(dst, src, 5);		/* one short */
	ok &= ret == -E2BIG && !strcmp(dst, "hell");
	ret = kairos_strscpy(dst, src, 1);
	ok &= ret == -E2BIG && dst[0] == '\0';
	dst[0] = 'q';
	ret = kairos_strscpy(dst, src, 0);		/* nothing written */
	ok &= ret == -E2BIG && dst[0] == 'q';
	ret = kairos_strscpy(dst, "", sizeof(dst));
	ok &= ret == 0 && dst[0] == '\0';
	TAP_OK(ok, "strscpy lengths, truncation and -E2BIG");

	/* An unterminated source must not be read beyond @size bytes. */
	kairos_memset(src, 'y', 6);
	ret = kairos_strscpy(dst, src, 6);
	TAP_OK(ret == -E2BIG && !strcmp(dst, "yyyyy"),
	       "strscpy reads at most size bytes of the source");
	free(src);
}

static void test_strsep(void)
{
	char buf[] = "a,b;;c", *p = buf, *tok[5];
	int n = 0;

	while (n < 5 && (tok[n] = kairos_strsep(&p, ",;")))
		n++;
	TAP_OK(n == 4 && !strcmp(tok[0], "a") && !strcmp(tok[1], "b") &&
	       !strcmp(tok[2], "") && !strcmp(tok[3], "c") && !p,
	       "strsep splits, keeps empty fields, ends with NULL");
}

static void test_edge_cases(void)
{
	TAP_OK(kairos_strstr("abc", "") != NULL && kairos_strstr("", "a") == NULL &&
	       kairos_strcmp("", "") == 0 && kairos_strcmp("a", "ab") < 0 &&
	       kairos_strcmp("\xff", "a") > 0 && kairos_strncmp("abc", "abd", 2) == 0 &&
	       kairos_memcmp("a", "b", 0) == 0 && kairos_memchr("a", 'a', 0) == NULL,
	       "empty strings, prefixes, zero lengths, unsigned chars");
}

int main(void)
{
	test_memcpy();
	test_memmove();
	test_memset();
	test_memcmp_memchr();
	test_str_against_libc();
	test_strnlen_bounded();
	test_strscpy();
	test_strsep();
	test_edge_cases();
	return tap_done();
}
