/* SPDX-License-Identifier: MIT */
/*
 * In-kernel tests. KTEST(name) { ... } defines a test that `ktest=all` (or a
 * comma-separated list of names) runs at boot, printing TAP on the console; the kernel
 * then powers off. KTEST_EXPLICIT tests (ones that are meant to crash the kernel) run
 * only when named.
 */
#ifndef KAIROS_KTEST_H
#define KAIROS_KTEST_H

#include <kairos/compiler.h>
#include <kairos/types.h>

struct ktest_ctx {
	bool failed;
	bool skipped;
	char reason[160];
};

struct ktest {
	const char *name;
	void (*fn)(struct ktest_ctx *t);
	bool explicit_only;
};

#define __KTEST(tname, explicit)					\
	static void ktest_##tname(struct ktest_ctx *t);			\
	static const struct ktest __ktest_##tname __used		\
	__section(".ktest") __aligned(8) = { #tname, ktest_##tname, explicit }; \
	static void ktest_##tname(struct ktest_ctx *t)
#define KTEST(tname)		__KTEST(tname, false)
#define KTEST_EXPLICIT(tname)	__KTEST(tname, true)

void ktest_fail(struct ktest_ctx *t, const char *file, int line, const char *fmt, ...)
	__printf(4, 5);
/* The test does not apply here (say why); it is reported as a TAP SKIP. */
void ktest_skip(struct ktest_ctx *t, const char *why);

#define KTEST_EXPECT(t, cond) do {					\
	if (!(cond))							\
		ktest_fail(t, __FILE__, __LINE__, "%s", #cond);		\
} while (0)

#define KTEST_EXPECT_EQ(t, a, b) do {					\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b)							\
		ktest_fail(t, __FILE__, __LINE__, "%s == %s (%lld vs %lld)", \
			   #a, #b, __a, __b);				\
} while (0)

/*
 * Poll cond, sleeping a millisecond between looks, until it holds or ten seconds have
 * passed; its last value. The bound only ends a hung test: an emulated CPU on a busy host
 * can stall for seconds, so it is far above how long anything should take.
 */
#define WAIT_FOR(cond) ({						\
	u64 __end = ktime_get_ns() + 10 * NSEC_PER_SEC;			\
	bool __ok;							\
	while (!(__ok = (cond)) && ktime_get_ns() < __end)		\
		msleep(1);						\
	__ok;								\
})

/* Run the tests the command line asked for, if any, then power off. */
void ktest_run_from_cmdline(void);

#endif
