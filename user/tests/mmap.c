/*
 * mmap: mmap/munmap/mprotect/mremap/brk edge cases. EINVAL (length 0, unaligned address or
 * offset, bad flags), ENOMEM, EBADF, EACCES, ENODEV, EEXIST (MAP_FIXED_NOREPLACE), address
 * hints, MAP_FIXED replacing a mapping, partial munmap splitting a mapping, mprotect of a
 * middle page, faults caught by a SIGSEGV handler with si_code SEGV_ACCERR or SEGV_MAPERR
 * and si_addr (compared, never printed), SIGBUS past the end of a file, executing written
 * code and non-executable pages, brk growing and shrinking, deep stack recursion.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <setjmp.h>

#define PAGE 4096L

static sigjmp_buf jb;
static volatile int fault_sig, fault_code;
static void *volatile fault_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault_sig = sig;
	fault_code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(jb, 1);
}

static void catch_faults(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

/* Touch one byte: 0 if it worked, else the signal. Reports code and address. */
static int probe(volatile char *p, int write)
{
	fault_sig = 0;
	fault_code = 0;
	fault_addr = NULL;
	if (sigsetjmp(jb, 1) == 0) {
		if (write)
			*p = 1;
		else
			(void)*p;
		return 0;
	}
	return fault_sig;
}

/* A check that p faults with SIGSEGV/code at exactly p. */
static void check_fault(const char *name, volatile char *p, int write, int sig, int code)
{
	int r = probe(p, write);
	CHECK_STR(kt_name("%s_signal", name), kt_signame(r), kt_signame(sig));
	CHECK_EQ(kt_name("%s_si_code", name), fault_code, code);
	CHECK(kt_name("%s_si_addr", name), fault_addr == (void *)p);
}

static char *map_anon(long len, int prot)
{
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void test_mmap_errors(const char *dir)
{
	char path[300];
	snprintf(path, sizeof(path), "%s/file", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	static char page[PAGE];
	memset(page, 'f', sizeof(page));
	write(fd, page, PAGE);
	int rfd = open(path, O_RDONLY);

	CHECK_ERR("len_0", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR("no_private_or_shared", mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0),
		  EINVAL);
	CHECK_ERR("fixed_unaligned", mmap((void *)0x10000001, PAGE, PROT_READ,
					  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		  EINVAL);
	CHECK_ERR("offset_unaligned", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);
	CHECK_ERR("huge_len_enomem",
		  mmap(NULL, (size_t)-PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
	CHECK_ERR("bad_fd_ebadf", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 0x3ff, 0), EBADF);
	CHECK_ERR("negative_fd_ebadf", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0), EBADF);
	CHECK_ERR("shared_write_on_rdonly_eacces",
		  mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0), EACCES);
	char *pm = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, rfd, 0);
	CHECK("private_write_on_rdonly_ok", pm != MAP_FAILED);
	if (pm != MAP_FAILED) {
		CHECK_EQ("private_file_contents", pm[100], 'f');
		munmap(pm, PAGE);
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK_ERR("directory_enodev", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dfd, 0), ENODEV);
	close(dfd);
	int p[2];
	pipe(p);
	CHECK_ERR("pipe_enodev", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, p[0], 0), ENODEV);
	close(p[0]);
	close(p[1]);
	CHECK_ERR("shared_validate_unknown_flag",
		  mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | 0x200000, fd, 0), EOPNOTSUPP);
	CHECK_ERR("shared_validate_map_sync_unsupported",
		  mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0), EOPNOTSUPP);
	char *legacy = mmap(NULL, PAGE, PROT_READ, MAP_SHARED | 0x200000, fd, 0);
	CHECK("shared_legacy_ignores_unknown_flag", legacy != MAP_FAILED);
	if (legacy != MAP_FAILED)
		munmap(legacy, PAGE);
	char *sv = mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE, fd, 0);
	CHECK("shared_validate_ok", sv != MAP_FAILED);
	if (sv != MAP_FAILED)
		munmap(sv, PAGE);
	/* Anonymous mappings ignore fd and are zero-filled. */
	char *a = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0x3ff,
		       0);
	CHECK("anon_ignores_fd", a != MAP_FAILED);
	CHECK("anon_page_aligned", ((uintptr_t)a & (PAGE - 1)) == 0);
	CHECK("anon_zero_filled", a[0] == 0 && a[PAGE + 123] == 0);
	munmap(a, 2 * PAGE);
	/* A non-fixed unaligned hint is fine. */
	a = mmap((void *)0x10000123, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("unaligned_hint_ok", a != MAP_FAILED && ((uintptr_t)a & (PAGE - 1)) == 0);
	munmap(a, PAGE);

	CHECK_ERR("munmap_len_0", munmap(a, 0), EINVAL);
	CHECK_ERR("munmap_unaligned", munmap(a + 1, PAGE), EINVAL);
	CHECK_EQ("munmap_unmapped_ok", munmap(a, PAGE), 0);
	CHECK_ERR("mprotect_unaligned", mprotect(a + 1, PAGE, PROT_READ), EINVAL);
	CHECK_ERR("mprotect_unmapped_enomem", mprotect(a, PAGE, PROT_READ), ENOMEM);
	char *b = map_anon(PAGE, PROT_READ);
	CHECK_ERR("mprotect_bad_prot", mprotect(b, PAGE, 0x100), EINVAL);
	CHECK_ERR("madvise_bad_advice", madvise(b, PAGE, 12345), EINVAL);
	CHECK_ERR("msync_unaligned", msync(b + 1, PAGE, MS_SYNC), EINVAL);
	CHECK_ERR("msync_bad_flags", msync(b, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
	munmap(b, PAGE);
	CHECK_ERR("msync_unmapped_enomem", msync(b, PAGE, MS_SYNC), ENOMEM);
	close(rfd);

	/* SIGBUS touching a page wholly past the end of the file. */
	char *f2 = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK_EQ("file_map_first_page", probe(f2 + 10, 0), 0);
	check_fault("past_eof_sigbus", f2 + PAGE + 10, 0, SIGBUS, BUS_ADRERR);
	munmap(f2, 2 * PAGE);
	close(fd);
}

static void test_fixed(void)
{
	char *a = map_anon(3 * PAGE, PROT_READ | PROT_WRITE);
	memset(a, 'a', 3 * PAGE);
	/* MAP_FIXED replaces the middle page with fresh zeroes. */
	char *m = mmap(a + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0);
	CHECK("fixed_at_address", m == a + PAGE);
	CHECK_EQ("fixed_replaced_zero", a[PAGE + 5], 0);
	CHECK_EQ("fixed_neighbours_kept", a[5] + a[2 * PAGE + 5], 'a' + 'a');
	CHECK_ERR("fixed_noreplace_eexist",
		  mmap(a + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		       -1, 0),
		  EEXIST);
	CHECK_ERR("fixed_noreplace_partial_overlap_eexist",
		  mmap(a + 2 * PAGE, 2 * PAGE, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
		  EEXIST);
	munmap(a + PAGE, PAGE);
	m = mmap(a + PAGE, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK("fixed_noreplace_free_hole", m == a + PAGE);
	munmap(a + PAGE, PAGE);
	/* A free hint is honoured. */
	m = mmap(a + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("free_hint_honoured", m == a + PAGE);
	/* An occupied hint is not an error: some other address. */
	char *o = mmap(a, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("busy_hint_elsewhere", o != MAP_FAILED && o != a);
	CHECK_EQ("busy_hint_original_intact", a[5], 'a');
	munmap(o, PAGE);
	munmap(a, 3 * PAGE);
}

static void test_split_and_faults(void)
{
	/* Partial munmap in the middle splits the mapping. */
	char *a = map_anon(5 * PAGE, PROT_READ | PROT_WRITE);
	for (int i = 0; i < 5; i++)
		a[i * PAGE] = (char)('0' + i);
	CHECK_EQ("munmap_middle", munmap(a + 2 * PAGE, PAGE), 0);
	CHECK_EQ("split_low_intact", probe(a + PAGE, 1), 0);
	CHECK_EQ("split_high_intact", probe(a + 3 * PAGE, 1), 0);
	check_fault("split_hole_maperr", a + 2 * PAGE + 100, 0, SIGSEGV, SEGV_MAPERR);
	CHECK("split_values_kept", a[0] == '0' && a[4 * PAGE] == '4');
	/* munmap spanning a hole and both pieces. */
	CHECK_EQ("munmap_across_hole", munmap(a + PAGE, 3 * PAGE), 0);
	check_fault("across_hole_low_gone", a + PAGE, 0, SIGSEGV, SEGV_MAPERR);
	check_fault("across_hole_high_gone", a + 3 * PAGE + 8, 1, SIGSEGV, SEGV_MAPERR);
	CHECK_EQ("outer_pages_kept", a[0] + a[4 * PAGE], '0' + '4');
	munmap(a, 5 * PAGE);
	check_fault("all_gone_maperr", a, 0, SIGSEGV, SEGV_MAPERR);

	/* mprotect of the middle page only. */
	a = map_anon(3 * PAGE, PROT_READ | PROT_WRITE);
	CHECK_EQ("mprotect_middle_ro", mprotect(a + PAGE, PAGE, PROT_READ), 0);
	CHECK_EQ("ro_page_readable", probe(a + PAGE + 1, 0), 0);
	check_fault("ro_page_write_accerr", a + PAGE + 64, 1, SIGSEGV, SEGV_ACCERR);
	CHECK_EQ("rw_neighbour_low", probe(a + PAGE - 1, 1), 0);
	CHECK_EQ("rw_neighbour_high", probe(a + 2 * PAGE, 1), 0);
	CHECK_EQ("mprotect_none", mprotect(a, 3 * PAGE, PROT_NONE), 0);
	check_fault("prot_none_read_accerr", a + 2 * PAGE + 7, 0, SIGSEGV, SEGV_ACCERR);
	CHECK_EQ("mprotect_back_rw", mprotect(a, 3 * PAGE, PROT_READ | PROT_WRITE), 0);
	CHECK_EQ("rw_again", probe(a + PAGE + 64, 1), 0);
	CHECK_EQ("rw_again_value_kept", a[PAGE + 64], 1);
	munmap(a, 3 * PAGE);

	/* A read-only anonymous mapping from the start. */
	a = map_anon(PAGE, PROT_READ);
	CHECK_EQ("ro_anon_reads_zero", probe(a, 0), 0);
	check_fault("ro_anon_write_accerr", a + 9, 1, SIGSEGV, SEGV_ACCERR);
	munmap(a, PAGE);

	/* Low and kernel addresses. */
	check_fault("null_read_maperr", (char *)0, 0, SIGSEGV, SEGV_MAPERR);
	check_fault("low_write_maperr", (char *)16, 1, SIGSEGV, SEGV_MAPERR);
	int r = probe((char *)0xffff000000001000ul, 0);
	CHECK_STR("kernel_addr_read_signal", kt_signame(r), "SIGSEGV");
	/* .rodata */
	static const char ro[PAGE * 2] = "rodata";
	const char *rp = ro + PAGE;
	r = probe((char *)rp, 1);
	CHECK_STR("rodata_write_signal", kt_signame(r), "SIGSEGV");
	CHECK_EQ("rodata_write_accerr", fault_code, SEGV_ACCERR);
}

static void test_exec_pages(void)
{
	/* mov w0, #42 ; ret */
	static const uint32_t code[] = { 0x52800540, 0xd65f03c0 };
	char *a = map_anon(PAGE, PROT_READ | PROT_WRITE);
	memcpy(a, code, sizeof(code));
	__builtin___clear_cache(a, a + sizeof(code));
	CHECK_EQ("mprotect_rx", mprotect(a, PAGE, PROT_READ | PROT_EXEC), 0);
	int (*fn)(void) = (int (*)(void))(uintptr_t)a;
	CHECK_EQ("exec_written_code", fn(), 42);
	check_fault("rx_write_accerr", a + 8, 1, SIGSEGV, SEGV_ACCERR);
	CHECK_EQ("mprotect_rw_only", mprotect(a, PAGE, PROT_READ | PROT_WRITE), 0);
	fault_sig = 0;
	fault_addr = NULL;
	if (sigsetjmp(jb, 1) == 0)
		fn();
	CHECK_STR("exec_nx_page_signal", kt_signame(fault_sig), "SIGSEGV");
	CHECK_EQ("exec_nx_page_accerr", fault_code, SEGV_ACCERR);
	CHECK("exec_nx_page_addr", fault_addr == (void *)a);
	munmap(a, PAGE);
}

static void test_mremap(void)
{
	char *a = map_anon(4 * PAGE, PROT_READ | PROT_WRITE);
	for (int i = 0; i < 4; i++)
		a[i * PAGE] = (char)('A' + i);
	char *s = mremap(a, 4 * PAGE, 2 * PAGE, 0);
	CHECK("mremap_shrink_in_place", s == a);
	check_fault("mremap_shrunk_tail_gone", a + 3 * PAGE, 0, SIGSEGV, SEGV_MAPERR);
	/* Block growth in place, so it has to move. */
	char *blocker = mmap(a + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			     -1, 0);
	CHECK_ERR("mremap_grow_no_maymove_enomem", mremap(a, 2 * PAGE, 8 * PAGE, 0), ENOMEM);
	char *g = mremap(a, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
	CHECK("mremap_grow_moved", g != MAP_FAILED && g != a);
	if (g != MAP_FAILED) {
		CHECK("mremap_contents_moved", g[0] == 'A' && g[PAGE] == 'B');
		CHECK_EQ("mremap_new_part_zero", g[7 * PAGE], 0);
		check_fault("mremap_old_gone", a, 0, SIGSEGV, SEGV_MAPERR);
		munmap(g, 8 * PAGE);
	}
	munmap(blocker, PAGE);
	CHECK_ERR("mremap_bad_flags", mremap(blocker, PAGE, PAGE, 0x100), EINVAL);
	CHECK_ERR("mremap_unaligned", mremap(blocker + 1, PAGE, PAGE, 0), EINVAL);
}

static void test_brk(void)
{
	char *cur = (char *)syscall(SYS_brk, 0);
	CHECK("brk_query_nonzero", cur != NULL);
	char *grown = (char *)syscall(SYS_brk, cur + 64 * 1024);
	CHECK("brk_grow", grown == cur + 64 * 1024);
	CHECK_EQ("brk_grown_zero", probe(cur + 64 * 1024 - 1, 0), 0);
	CHECK_EQ("brk_grown_writable", probe(cur + 100, 1), 0);
	CHECK_EQ("brk_grown_value", cur[100], 1);
	/* Shrink: the tail is gone. */
	char *shrunk = (char *)syscall(SYS_brk, cur + PAGE);
	CHECK("brk_shrink", shrunk == cur + PAGE);
	check_fault("brk_shrunk_tail_maperr", cur + 32 * 1024, 1, SIGSEGV, SEGV_MAPERR);
	/* Grow again: fresh zeroes. */
	syscall(SYS_brk, cur + 64 * 1024);
	CHECK_EQ("brk_regrown_zero", cur[32 * 1024], 0);
	/* Impossible requests leave the break where it was. */
	char *here = (char *)syscall(SYS_brk, 0);
	CHECK("brk_huge_fails", (char *)syscall(SYS_brk, here + (1ul << 46)) == here);
	CHECK("brk_below_start_fails", (char *)syscall(SYS_brk, (char *)PAGE) == here);
	/* Unaligned break values are kept as given. */
	char *odd = (char *)syscall(SYS_brk, here + 100);
	CHECK("brk_unaligned_kept", odd == here + 100);
	CHECK_EQ("brk_unaligned_page_usable", probe(here + 200, 1), 0);
	syscall(SYS_brk, cur);
	CHECK("brk_back_to_start", (char *)syscall(SYS_brk, 0) == cur);
	/* sbrk goes through the same. */
	void *s0 = sbrk(0);
	CHECK("sbrk_matches_brk", s0 == (void *)cur);
}

static int deep(int n)
{
	volatile char frame[1024];
	frame[0] = (char)n;
	frame[1023] = (char)n;
	if (n == 0)
		return frame[0];
	return deep(n - 1) + frame[1023] - (char)n;
}

static volatile int endless_stop; /* never set */

static int endless(int n)
{
	volatile char frame[1024];
	frame[0] = (char)n;
	if (endless_stop)
		return 0;
	return endless(n + 1) + frame[0];
}

static void test_stack_growth(void)
{
	/* About 4 MiB of stack (the limit is 8 MiB). */
	CHECK_EQ("deep_recursion_4mib", deep(4000), 0);
	/* In a child, going past RLIMIT_STACK is a SIGSEGV (killed, no handler). */
	pid_t c = kt_fork();
	if (c == 0) {
		struct rlimit rl = { 1 << 20, 1 << 20 };
		setrlimit(RLIMIT_STACK, &rl);
		signal(SIGSEGV, SIG_DFL);
		endless(0);
		_exit(0);
	}
	CHECK_WSTATUS("stack_past_rlimit_sigsegv", kt_wait(c), "signal SIGSEGV");
}

int main(void)
{
	kt_begin("mmap", 20);
	catch_faults();
	const char *dir = kt_tmpdir("mmap");
	test_mmap_errors(dir);
	test_fixed();
	test_split_and_faults();
	test_exec_pages();
	test_mremap();
	test_brk();
	test_stack_growth();
	kt_rmtree(dir);
	return kt_end();
}
