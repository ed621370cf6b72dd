/*
 * cow: copy-on-write isolation after fork. Parent and child write the same pages of
 * data, bss, heap (small and large malloc), stack, private anonymous mmap and private
 * file mmap, in turn, and each sees only its own writes; many pages split between them;
 * a three-generation chain; a large region checksummed; MAP_SHARED anonymous memory
 * stays shared; MADV_DONTNEED affects only the caller.
 */
#include "ktest_user.h"

#include <fcntl.h>

#define PAGE 4096

static int data_var = 11;
static int bss_var;
static char bss_pages[8 * PAGE];

struct areas {
	int *data, *bss, *heap_small, *heap_big, *stack, *anon, *file;
};

static void write_all_areas(struct areas *a, int v)
{
	*a->data = v;
	*a->bss = v;
	*a->heap_small = v;
	*a->heap_big = v;
	*a->stack = v;
	*a->anon = v;
	*a->file = v;
}

/* Bit i set if area i holds v. */
static int areas_hold(struct areas *a, int v)
{
	int *p[] = { a->data, a->bss, a->heap_small, a->heap_big, a->stack, a->anon, a->file };
	int m = 0;
	for (int i = 0; i < 7; i++)
		if (*p[i] == v)
			m |= 1 << i;
	return m;
}

static const char *const area_names[] = { "data", "bss", "heap_small", "heap_big",
					  "stack", "anon", "file" };

static void check_areas(const char *what, struct areas *a, int v)
{
	int m = areas_hold(a, v);
	for (int i = 0; i < 7; i++)
		CHECK_EQ(kt_name("%s_%s", what, area_names[i]), (m >> i) & 1, 1);
}

static void test_areas(void)
{
	const char *dir = kt_tmpdir("cow");
	char path[300];
	snprintf(path, sizeof(path), "%s/file", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	static char zeros[PAGE];
	write(fd, zeros, PAGE);

	volatile int stack_var = 0;
	struct areas a = {
		.data = &data_var,
		.bss = &bss_var,
		.heap_small = malloc(sizeof(int)),
		.heap_big = malloc(1 << 20), /* mmap'd by malloc */
		.stack = (int *)&stack_var,
		.anon = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		.file = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0),
	};
	write_all_areas(&a, 1);

	int to_child[2], to_parent[2];
	pipe(to_child);
	pipe(to_parent);
	pid_t c = kt_fork();
	if (c == 0) {
		/* Inherited values, then our own writes, then the parent's writes must not
		 * show. Result bits: 7 per phase. */
		int r = 0;
		r |= areas_hold(&a, 1) == 0x7f;
		write_all_areas(&a, 2);
		kt_signal_fd(to_parent[1]);
		kt_wait_fd(to_child[0]);
		r |= (areas_hold(&a, 2) == 0x7f) << 1;
		_exit(r == 3 ? 0 : 10 + r);
	}
	kt_wait_fd(to_parent[0]);
	/* The child has written 2 everywhere: we still see 1. */
	check_areas("parent_unaffected_by_child", &a, 1);
	write_all_areas(&a, 3);
	kt_signal_fd(to_child[1]);
	CHECK_WSTATUS("child_saw_inherited_then_own_values", kt_wait(c), "exit 0");
	check_areas("parent_keeps_own_after_child_exit", &a, 3);
	/* The private file mapping never wrote through to the file. */
	int fv = -1;
	pread(fd, &fv, sizeof(fv), 0);
	CHECK_EQ("private_file_map_not_written_back", fv, 0);

	munmap(a.anon, PAGE);
	munmap(a.file, PAGE);
	free(a.heap_small);
	free(a.heap_big);
	close(fd);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
	kt_rmtree(dir);
}

static void test_many_pages(void)
{
	const int npages = 64;
	unsigned char *m = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < npages; i++)
		memset(m + i * PAGE, i, PAGE);
	for (int i = 0; i < 8; i++)
		bss_pages[i * PAGE + 17] = (char)(i + 1);
	int go[2], done[2];
	pipe(go);
	pipe(done);
	pid_t c = kt_fork();
	if (c == 0) {
		/* Child writes the odd pages, waits for the parent to write the even ones. */
		for (int i = 1; i < npages; i += 2)
			memset(m + i * PAGE, 0xc0 | (i & 0x3f), PAGE);
		for (int i = 1; i < 8; i += 2)
			bss_pages[i * PAGE + 17] = 'c';
		kt_signal_fd(done[1]);
		kt_wait_fd(go[0]);
		int bad = 0;
		for (int i = 0; i < npages; i++) {
			unsigned char want = (i & 1) ? (unsigned char)(0xc0 | (i & 0x3f))
						     : (unsigned char)i;
			for (int j = 0; j < PAGE; j += 511)
				if (m[i * PAGE + j] != want)
					bad++;
		}
		for (int i = 0; i < 8; i++)
			if (bss_pages[i * PAGE + 17] != ((i & 1) ? 'c' : (char)(i + 1)))
				bad++;
		_exit(bad ? 1 : 0);
	}
	kt_wait_fd(done[0]);
	for (int i = 0; i < npages; i += 2)
		memset(m + i * PAGE, 0xa0, PAGE);
	for (int i = 0; i < 8; i += 2)
		bss_pages[i * PAGE + 17] = 'p';
	kt_signal_fd(go[1]);
	CHECK_WSTATUS("child_pages_isolated", kt_wait(c), "exit 0");
	int bad = 0;
	for (int i = 0; i < npages; i++) {
		unsigned char want = (i & 1) ? (unsigned char)i : 0xa0;
		for (int j = 0; j < PAGE; j += 511)
			if (m[i * PAGE + j] != want)
				bad++;
	}
	CHECK_EQ("parent_pages_isolated", bad, 0);
	bad = 0;
	for (int i = 0; i < 8; i++)
		if (bss_pages[i * PAGE + 17] != ((i & 1) ? (char)(i + 1) : 'p'))
			bad++;
	CHECK_EQ("parent_bss_pages_isolated", bad, 0);
	munmap(m, npages * PAGE);
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
}

/* Three generations, each writing its own value after the fork. */
static int generation(int *shared_page, int depth)
{
	*shared_page = 100 + depth;
	if (depth == 3)
		return *shared_page == 103 ? 0 : 1;
	pid_t c = fork();
	if (c == 0)
		_exit(generation(shared_page, depth + 1));
	int st;
	waitpid(c, &st, 0);
	/* Our value survived our child's writes. */
	if (*shared_page != 100 + depth)
		return 2;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
}

static void test_chain_and_big(void)
{
	int *pg = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*pg = 1;
	pid_t c = kt_fork();
	if (c == 0)
		_exit(generation(pg, 1));
	CHECK_WSTATUS("three_generations_isolated", kt_wait(c), "exit 0");
	CHECK_EQ("chain_root_value", *pg, 1);
	munmap(pg, PAGE);

	/* 8 MiB touched before fork; the child checksums it, rewrites it, checksums
	 * again; the parent's copy is unchanged. */
	size_t big = 8u << 20;
	unsigned *b = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long sum = 0;
	for (size_t i = 0; i < big / sizeof(unsigned); i++) {
		b[i] = (unsigned)(i * 2654435761u);
		sum += b[i];
	}
	c = kt_fork();
	if (c == 0) {
		unsigned long s = 0;
		for (size_t i = 0; i < big / sizeof(unsigned); i++)
			s += b[i];
		if (s != sum)
			_exit(1);
		for (size_t i = 0; i < big / sizeof(unsigned); i++)
			b[i] = ~b[i];
		_exit(0);
	}
	CHECK_WSTATUS("big_region_child", kt_wait(c), "exit 0");
	unsigned long s = 0;
	for (size_t i = 0; i < big / sizeof(unsigned); i++)
		s += b[i];
	CHECK("big_region_parent_unchanged", s == sum);
	munmap(b, big);
}

static void test_shared_and_dontneed(void)
{
	/* MAP_SHARED anonymous memory is shared after fork, both ways. */
	volatile int *sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				-1, 0);
	CHECK("shared_anon_mapped", sh != MAP_FAILED);
	if (sh == MAP_FAILED)
		return;
	sh[0] = 1;
	int go[2];
	pipe(go);
	pid_t c = kt_fork();
	if (c == 0) {
		int saw = sh[0];
		sh[1] = 22;
		kt_wait_fd(go[0]);
		_exit(saw == 1 && sh[2] == 33 ? 0 : 1);
	}
	sh[2] = 33;
	kt_signal_fd(go[1]);
	CHECK_WSTATUS("shared_anon_child_saw_parent_writes", kt_wait(c), "exit 0");
	CHECK_EQ("shared_anon_parent_sees_child_write", sh[1], 22);
	munmap((void *)sh, PAGE);

	/* MADV_DONTNEED on private anonymous memory: zero pages for the caller only. */
	int *pv = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*pv = 5;
	c = kt_fork();
	if (c == 0) {
		madvise(pv, PAGE, MADV_DONTNEED);
		_exit(*pv == 0 ? 0 : 1);
	}
	CHECK_WSTATUS("dontneed_child_sees_zero", kt_wait(c), "exit 0");
	CHECK_EQ("dontneed_parent_keeps_value", *pv, 5);
	munmap(pv, PAGE);
	close(go[0]);
	close(go[1]);
}

int main(void)
{
	kt_begin("cow", 20);
	test_areas();
	test_many_pages();
	test_chain_and_big();
	test_shared_and_dontneed();
	return kt_end();
}
