/*
 * vdso: the vDSO glibc finds through AT_SYSINFO_EHDR. Its clocks (glibc's clock_gettime,
 * gettimeofday and clock_getres go through it) fall between two system calls on every
 * clock it serves and agree with the system call's resolutions; other clocks still work;
 * setting the wall clock moves its realtime clocks;
 * a handler without SA_RESTORER returns through its sigreturn code; a forked child keeps
 * all of it.
 */
#include "ktest_user.h"

#include <elf.h>
#include <sys/time.h>
#include <time.h>

static long long ts_ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static const struct {
	clockid_t id;
	const char *name;
} clocks[] = {
	{ CLOCK_REALTIME, "realtime" },
	{ CLOCK_MONOTONIC, "monotonic" },
	{ CLOCK_MONOTONIC_RAW, "monotonic_raw" },
	{ CLOCK_BOOTTIME, "boottime" },
	{ CLOCK_REALTIME_COARSE, "realtime_coarse" },
	{ CLOCK_MONOTONIC_COARSE, "monotonic_coarse" },
};

/* The vDSO's loadable segment: [*start, *end). */
static int vdso_range(unsigned long *start, unsigned long *end)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Phdr *ph;

	if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return -1;
	ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD) {
			*start = (unsigned long)eh;
			*end = (unsigned long)eh + ph[i].p_memsz;
			return 0;
		}
	}
	return -1;
}

static void test_image(void)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
	unsigned long start, end;

	CHECK("vdso_elf", eh && memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0);
	CHECK("vdso_shared_object", eh && eh->e_type == ET_DYN && eh->e_machine == EM_AARCH64);
	CHECK("vdso_page_aligned", eh && ((unsigned long)eh & 4095) == 0);
	CHECK("vdso_has_load_segment", vdso_range(&start, &end) == 0 && end > start);
}

/* Each read through glibc falls between the system call's before and after. */
static void test_clocks(void)
{
	for (unsigned c = 0; c < sizeof(clocks) / sizeof(clocks[0]); c++) {
		struct timespec a, v, b, res, sres;
		int bad = 0, errs = 0;

		for (int i = 0; i < 300; i++) {
			errs += syscall(SYS_clock_gettime, clocks[c].id, &a) != 0;
			errs += clock_gettime(clocks[c].id, &v) != 0;
			errs += syscall(SYS_clock_gettime, clocks[c].id, &b) != 0;
			if (ts_ns(&a) > ts_ns(&v) || ts_ns(&v) > ts_ns(&b) || v.tv_nsec < 0 ||
			    v.tv_nsec >= 1000000000)
				bad++;
		}
		CHECK_EQ(kt_name("gettime_%s_ok", clocks[c].name), errs, 0);
		CHECK_EQ(kt_name("gettime_%s_between_syscalls", clocks[c].name), bad, 0);
		CHECK_EQ(kt_name("getres_%s_ok", clocks[c].name), clock_getres(clocks[c].id, &res), 0);
		syscall(SYS_clock_getres, clocks[c].id, &sres);
		CHECK(kt_name("getres_%s_as_syscall", clocks[c].name),
		      res.tv_sec == sres.tv_sec && res.tv_nsec == sres.tv_nsec);
		CHECK_EQ(kt_name("getres_%s_null", clocks[c].name), clock_getres(clocks[c].id, NULL), 0);
	}
}

static void test_gettimeofday(void)
{
	struct timeval a, v, b;
	struct timezone tz = { 1, 1 };
	int bad = 0;

	for (int i = 0; i < 300; i++) {
		syscall(SYS_gettimeofday, &a, NULL);
		gettimeofday(&v, NULL);
		syscall(SYS_gettimeofday, &b, NULL);
		if (timercmp(&a, &v, >) || timercmp(&v, &b, >) || v.tv_usec < 0 ||
		    v.tv_usec >= 1000000)
			bad++;
	}
	CHECK_EQ("gettimeofday_between_syscalls", bad, 0);
	CHECK_EQ("gettimeofday_tz", gettimeofday(&v, &tz), 0);
	CHECK("gettimeofday_tz_utc", tz.tz_minuteswest == 0 && tz.tz_dsttime == 0);
}

/* What the vDSO passes to the kernel. */
static void test_other_clocks(void)
{
	struct timespec t;

	CHECK_EQ("process_cputime", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t), 0);
	CHECK_EQ("thread_cputime", clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t), 0);
	CHECK_EQ("tai", clock_gettime(CLOCK_TAI, &t), 0);
	CHECK_ERR("bad_clock", clock_gettime(100, &t), EINVAL);
	CHECK_ERR("bad_clock_getres", clock_getres(100, &t), EINVAL);
	CHECK_EQ("process_cputime_getres", clock_getres(CLOCK_PROCESS_CPUTIME_ID, &t), 0);
}

/* Setting the wall clock moves the vDSO's realtime clocks at once; put back after. */
static void test_settime(void)
{
	struct timespec r0, m0, m1, t, v, vc;
	struct timeval tv;

	clock_gettime(CLOCK_REALTIME, &r0);
	clock_gettime(CLOCK_MONOTONIC, &m0);
	t = r0;
	t.tv_sec += 100000;
	CHECK_EQ("settime_forward", clock_settime(CLOCK_REALTIME, &t), 0);
	clock_gettime(CLOCK_REALTIME, &v);
	clock_gettime(CLOCK_REALTIME_COARSE, &vc);
	gettimeofday(&tv, NULL);
	clock_gettime(CLOCK_MONOTONIC, &m1);
	t.tv_sec = r0.tv_sec + (m1.tv_sec - m0.tv_sec);
	t.tv_nsec = r0.tv_nsec + (m1.tv_nsec - m0.tv_nsec);
	if (t.tv_nsec < 0) {
		t.tv_nsec += 1000000000;
		t.tv_sec--;
	} else if (t.tv_nsec >= 1000000000) {
		t.tv_nsec -= 1000000000;
		t.tv_sec++;
	}
	CHECK_EQ("settime_back", clock_settime(CLOCK_REALTIME, &t), 0);
	CHECK("realtime_moved", v.tv_sec >= r0.tv_sec + 100000 && v.tv_sec < r0.tv_sec + 100010);
	CHECK("realtime_coarse_moved",
	      vc.tv_sec >= r0.tv_sec + 99999 && vc.tv_sec < r0.tv_sec + 100010);
	CHECK("gettimeofday_moved",
	      tv.tv_sec >= r0.tv_sec + 100000 && tv.tv_sec < r0.tv_sec + 100010);
	clock_gettime(CLOCK_REALTIME, &v);
	CHECK("realtime_back", v.tv_sec >= r0.tv_sec && v.tv_sec < r0.tv_sec + 10);
}

static volatile unsigned long handler_return;
static volatile int handled;

static void handler(int sig)
{
	handler_return = (unsigned long)__builtin_return_address(0);
	handled++;
}

/* No SA_RESTORER (glibc sets none on arm64): the handler returns into the vDSO. */
static void test_sigreturn(const char *who)
{
	struct sigaction sa = { .sa_handler = handler };
	unsigned long start = 0, end = 0;
	const unsigned int *insn;

	handled = 0;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	CHECK_EQ(kt_name("%s_handler_ran", who), handled, 1);
	vdso_range(&start, &end);
	CHECK(kt_name("%s_returns_into_vdso", who),
	      handler_return >= start && handler_return < end);
	insn = (const unsigned int *)handler_return;
	/* mov x8, #__NR_rt_sigreturn (139); svc #0 */
	CHECK(kt_name("%s_through_rt_sigreturn", who),
	      handler_return >= start && handler_return < end && insn[0] == 0xd2801168 &&
		      insn[1] == 0xd4000001);
}

/* A child keeps the mapping: its clocks and signal returns work the same. */
static void test_fork(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		kt_fails = 0;
		test_image();
		test_sigreturn("child");
		struct timespec a, v;
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_MONOTONIC, &v);
		CHECK("child_monotonic", ts_ns(&v) >= ts_ns(&a));
		_exit(kt_fails ? 1 : 0);
	}
	CHECK("child_status", waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
					      WEXITSTATUS(st) == 0);
}

int main(void)
{
	kt_begin("vdso", 20);
	test_image();
	test_clocks();
	test_gettimeofday();
	test_other_clocks();
	test_settime();
	test_sigreturn("parent");
	test_fork();
	return kt_end();
}
