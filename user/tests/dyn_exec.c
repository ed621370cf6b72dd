/*
 * dyn_exec: a dynamically linked program (user.mk links dyn_*.c against glibc's shared
 * libraries), run by the kernel through its PT_INTERP, glibc's ld.so: the objects ld.so
 * loaded, the auxiliary vector it was given (AT_BASE = where ld.so went, AT_ENTRY = this
 * program's _start, AT_PHDR/AT_PHENT/AT_PHNUM = this program's headers), argv and envp,
 * ld.so run as a program, dlopen, threads with TLS and errno of their own; then copies of
 * this program whose PT_INTERP is changed: a missing interpreter (ENOENT), a directory
 * or a file without x bit (EACCES), a short file (EIO), text or a foreign ELF (ELIBBAD),
 * a name without its NUL or of a bad size (ENOEXEC), a relative name, an ELF that is
 * neither ET_EXEC nor ET_DYN (the exec fails past the point of no return: SIGSEGV).
 *
 * The program re-executes itself: the environment variable KT_DYN_MODE says what for.
 */
#include "ktest_user.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>

extern char _start[];

static const char *dir;
static char path_buf[4][512];

static const char *tpath(int slot, const char *name)
{
	snprintf(path_buf[slot], sizeof(path_buf[slot]), "%s/%s", dir, name);
	return path_buf[slot];
}

/* ---- the program as loaded ------------------------------------------------------------ */

struct object {
	char name[128];
	unsigned long addr;
	const Elf64_Phdr *phdr;
	int phnum;
};
static struct object objects[8];
static int nobjects;

static int collect(struct dl_phdr_info *info, size_t size, void *data)
{
	if (nobjects < 8) {
		struct object *o = &objects[nobjects++];

		snprintf(o->name, sizeof(o->name), "%s", info->dlpi_name);
		o->addr = info->dlpi_addr;
		o->phdr = info->dlpi_phdr;
		o->phnum = info->dlpi_phnum;
	}
	return 0;
}

/* ---- what the exec'd program does ---------------------------------------------------- */

static int mode_args(int argc, char **argv)
{
	kt_printf("child: argc %d\n", argc);
	for (int i = 0; i < argc; i++)
		kt_printf("child: argv[%d] \"%s\"\n", i, argv[i]);
	kt_printf("child: argv[argc] %s\n", argv[argc] ? "set" : "NULL");
	kt_printf("child: KT_X \"%s\"\n", getenv("KT_X") ? getenv("KT_X") : "(unset)");
	/* ld.so run as a program rewrites these to the program it loaded. */
	kt_printf("child: AT_ENTRY is _start: %s\n",
		  getauxval(AT_ENTRY) == (unsigned long)_start ? "yes" : "no");
	dl_iterate_phdr(collect, NULL);
	kt_printf("child: AT_PHDR is the program's: %s\n",
		  getauxval(AT_PHDR) == (unsigned long)objects[0].phdr ? "yes" : "no");
	return 0;
}

static const struct object *find_object(const char *name)
{
	for (int i = 0; i < nobjects; i++)
		if (strcmp(objects[i].name, name) == 0)
			return &objects[i];
	return NULL;
}

static void test_loaded(void)
{
	unsigned long base = getauxval(AT_BASE), phdr = getauxval(AT_PHDR);
	const struct object *ld, *me;

	kt_printf("hello from a dynamically linked program\n");
	dl_iterate_phdr(collect, NULL);
	for (int i = 0; i < nobjects; i++)
		kt_printf("object %d: \"%s\"\n", i, objects[i].name);
	me = &objects[0];
	ld = find_object("/lib/ld-linux-aarch64.so.1");
	CHECK("ld_so_loaded", ld != NULL);
	CHECK("at_base_set", base != 0);
	CHECK("at_base_page_aligned", (base & 4095) == 0);
	CHECK("at_base_is_ld_so", ld && ld->addr == base);
	CHECK("at_base_elf_header", base && memcmp((void *)base, ELFMAG, SELFMAG) == 0);
	CHECK("program_is_pie", me->addr != 0 && (me->addr & 4095) == 0);
	CHECK("at_entry_is_start", getauxval(AT_ENTRY) == (unsigned long)_start);
	CHECK("at_phdr_is_program", phdr == (unsigned long)me->phdr);
	CHECK("at_phdr_after_ehdr", phdr == me->addr + ((Elf64_Ehdr *)me->addr)->e_phoff);
	CHECK_EQ("at_phent", getauxval(AT_PHENT), sizeof(Elf64_Phdr));
	CHECK_EQ("at_phnum", getauxval(AT_PHNUM), me->phnum);
	CHECK_EQ("at_phnum_ehdr", getauxval(AT_PHNUM), ((Elf64_Ehdr *)me->addr)->e_phnum);
	CHECK("ld_so_apart", base >= me->addr + 4096 || base + 4096 <= me->addr);
	CHECK_STR("at_execfn", (const char *)getauxval(AT_EXECFN), kt_self_path);
	/* The heap follows the program, not ld.so. */
	void *brk0 = sbrk(0);
	CHECK("brk_after_program", (unsigned long)brk0 > me->addr &&
	      ((unsigned long)brk0 < base || base < me->addr));
}

static void test_args(void)
{
	char *argv[] = { "first", "two words", "", "last", NULL };
	char *envp[] = { "KT_DYN_MODE=args", "KT_X=x-value", NULL };
	char *ld_argv[] = { "ld.so", kt_self_path, "via", "ld.so", NULL };

	pid_t p = kt_fork();
	if (p == 0) {
		execve(kt_self_path, argv, envp);
		_exit(127);
	}
	CHECK_WSTATUS("args_status", kt_wait(p), "exit 0");
	/* ld.so as the program (ET_DYN without PT_INTERP): it loads this one itself. */
	p = kt_fork();
	if (p == 0) {
		execve("/lib/ld-linux-aarch64.so.1", ld_argv, envp);
		_exit(127);
	}
	CHECK_WSTATUS("ld_so_as_program_status", kt_wait(p), "exit 0");
}

static void test_dlopen(void)
{
	void *h = dlopen("libc.so.6", RTLD_NOW);

	CHECK("dlopen_libc", h != NULL);
	CHECK("dlsym_getpid", h && dlsym(h, "getpid") == (void *)getpid);
	CHECK("dlsym_missing", h && dlsym(h, "no_such_symbol_here") == NULL);
	CHECK_EQ("dlclose_libc", h ? dlclose(h) : -1, 0);
	h = dlopen("libkt-missing.so.1", RTLD_NOW);
	const char *err = dlerror();
	CHECK("dlopen_missing", h == NULL);
	CHECK("dlerror_missing", err && strstr(err, "cannot open shared object file"));
}

static __thread int tls_var = 7;
static int *thread_errno_addr, *thread_tls_addr;

static void *thread_fn(void *arg)
{
	int ok = tls_var == 7;

	tls_var = 9;
	thread_tls_addr = &tls_var;
	errno = EDOM;
	thread_errno_addr = &errno;
	ok = ok && errno == EDOM;
	return ok ? arg : NULL;
}

static void test_threads(void)
{
	pthread_t t;
	void *ret = NULL;

	errno = ERANGE;
	int err = pthread_create(&t, NULL, thread_fn, (void *)"done");
	CHECK_EQ("pthread_create", err, 0);
	errno = ERANGE;
	if (!err)
		pthread_join(t, &ret);
	int e = errno;
	CHECK("thread_ran_with_its_tls", ret && strcmp(ret, "done") == 0);
	CHECK_EQ("main_errno_kept", e, ERANGE);
	CHECK_EQ("main_tls_kept", tls_var, 7);
	CHECK("errno_per_thread", thread_errno_addr && thread_errno_addr != &errno);
	CHECK("tls_per_thread", thread_tls_addr && thread_tls_addr != &tls_var);
}

/* ---- PT_INTERP errors ------------------------------------------------------------------ */

static char *self_image;
static size_t self_size;
static Elf64_Phdr *interp_ph;

static void read_file(const char *path, char **data, size_t *size)
{
	int fd = open(path, O_RDONLY);
	struct stat st;

	*data = NULL;
	*size = 0;
	if (fd < 0 || fstat(fd, &st) < 0)
		return;
	*data = malloc(st.st_size);
	*size = kt_read_full(fd, *data, st.st_size);
	close(fd);
}

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	kt_write_all(fd, data, len);
	close(fd);
	chmod(path, mode);
}

/* A copy of this program at path whose PT_INTERP holds interp (len bytes, as given). */
static void write_variant(const char *path, const char *interp, size_t len, uint64_t filesz,
			  uint64_t offset)
{
	char *copy = malloc(self_size);
	Elf64_Phdr *ph = (Elf64_Phdr *)(copy + ((char *)interp_ph - self_image));

	memcpy(copy, self_image, self_size);
	memset(copy + interp_ph->p_offset, 0, interp_ph->p_filesz);
	memcpy(copy + interp_ph->p_offset, interp, len);
	ph->p_filesz = filesz;
	if (offset)
		ph->p_offset = offset;
	write_file(path, copy, self_size, 0755);
	free(copy);
}

/* execve of path in a child: its errno, or "ran" if the program ran and exited 0. */
static const char *exec_result(const char *path, const char *cwd)
{
	static char out[64];
	int fds[2];
	pipe(fds);
	pid_t p = kt_fork();
	if (p == 0) {
		char *argv[] = { (char *)path, NULL };
		char *envp[] = { "KT_DYN_MODE=ran", NULL };
		close(fds[0]);
		if (cwd)
			chdir(cwd);
		execve(path, argv, envp);
		int e = errno;
		write(fds[1], &e, sizeof(e));
		_exit(0);
	}
	close(fds[1]);
	int e = 0;
	size_t n = kt_read_full(fds[0], &e, sizeof(e));
	close(fds[0]);
	int st = kt_wait(p);
	if (n == sizeof(e))
		snprintf(out, sizeof(out), "%s", kt_errname(e));
	else
		snprintf(out, sizeof(out), "%s", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "ran" :
			 kt_wstatus(st));
	return out;
}

static void test_interp_errors(void)
{
	char *ld;
	size_t ld_size;

	read_file(kt_self_path, &self_image, &self_size);
	read_file("/lib/ld-linux-aarch64.so.1", &ld, &ld_size);
	CHECK("read_self", self_image && self_size > sizeof(Elf64_Ehdr));
	CHECK("read_ld_so", ld && ld_size > sizeof(Elf64_Ehdr));
	if (!self_image || !ld)
		return;
	Elf64_Ehdr *eh = (Elf64_Ehdr *)self_image;
	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *ph = (Elf64_Phdr *)(self_image + eh->e_phoff) + i;
		if (ph->p_type == PT_INTERP)
			interp_ph = ph;
	}
	CHECK("has_pt_interp", interp_ph != NULL);
	if (!interp_ph)
		return;
	/* Room for the names below within the original PT_INTERP. */
	CHECK("pt_interp_room", interp_ph->p_filesz >= 27);

	const char *prog = tpath(0, "prog");

#define VARIANT(check, interp_name, want)                                                 \
	do {                                                                               \
		const char *n_ = (interp_name);                                            \
		write_variant(prog, n_, strlen(n_) + 1, strlen(n_) + 1, 0);                \
		CHECK_STR(check, exec_result(prog, NULL), want);                           \
	} while (0)

	/* The good case first: a copy of ld.so elsewhere works as well. */
	write_file(tpath(1, "ld.so"), ld, ld_size, 0755);
	VARIANT("interp_copy_of_ld_so", tpath(1, "ld.so"), "ran");
	/* A relative name is looked up from the exec'ing process's cwd. */
	write_variant(prog, "ld.so", 6, 6, 0);
	CHECK_STR("interp_relative_name", exec_result(prog, dir), "ran");
	CHECK_STR("interp_relative_elsewhere", exec_result(prog, "/"), "ENOENT");

	VARIANT("interp_missing", tpath(1, "none"), "ENOENT");
	VARIANT("interp_directory", dir, "EACCES");
	write_file(tpath(1, "ld-nox"), ld, ld_size, 0644);
	VARIANT("interp_not_executable", tpath(1, "ld-nox"), "EACCES");
	write_file(tpath(1, "short"), "#!/bin/sh\n", 10, 0755);
	VARIANT("interp_shorter_than_ehdr", tpath(1, "short"), "EIO");
	char text[200];
	memset(text, 'x', sizeof(text));
	write_file(tpath(1, "text"), text, sizeof(text), 0755);
	VARIANT("interp_not_elf", tpath(1, "text"), "ELIBBAD");

	Elf64_Ehdr *lh = (Elf64_Ehdr *)ld;
	lh->e_machine = EM_X86_64;
	write_file(tpath(1, "ld-x86"), ld, ld_size, 0755);
	VARIANT("interp_foreign_machine", tpath(1, "ld-x86"), "ELIBBAD");
	lh->e_machine = EM_AARCH64;
	lh->e_phentsize = 0;
	write_file(tpath(1, "ld-ph"), ld, ld_size, 0755);
	VARIANT("interp_bad_phentsize", tpath(1, "ld-ph"), "ELIBBAD");
	lh->e_phentsize = sizeof(Elf64_Phdr);
	/* Its headers pass, but ld.so cannot be mapped: past the point of no return. */
	lh->e_type = ET_REL;
	write_file(tpath(1, "ld-rel"), ld, ld_size, 0755);
	VARIANT("interp_et_rel", tpath(1, "ld-rel"), "signal SIGSEGV");
	lh->e_type = ET_DYN;

	/* The name must end in its NUL, and be 2 to PATH_MAX bytes. */
	write_variant(prog, "/lib/ld-linux-aarch64.so.1x", 27, 27, 0);
	CHECK_STR("interp_no_nul", exec_result(prog, NULL), "ENOEXEC");
	write_variant(prog, "", 1, 1, 0);
	CHECK_STR("interp_size_1", exec_result(prog, NULL), "ENOEXEC");
	write_variant(prog, "/lib/ld-linux-aarch64.so.1", 27, 4097, 0);
	CHECK_STR("interp_size_over_path_max", exec_result(prog, NULL), "ENOEXEC");
	/* A name the file cannot hold: its end is past the file's. */
	write_variant(prog, "/lib/ld-linux-aarch64.so.1", 27, 27, self_size - 10);
	CHECK_STR("interp_past_eof", exec_result(prog, NULL), "EIO");
#undef VARIANT
	free(ld);
}

int main(int argc, char **argv)
{
	const char *mode = getenv("KT_DYN_MODE");

	if (mode && strcmp(mode, "args") == 0)
		return mode_args(argc, argv);
	if (mode && strcmp(mode, "ran") == 0)
		return getauxval(AT_BASE) ? 0 : 3;
	kt_begin("dyn_exec", 30);
	dir = kt_tmpdir("dyn_exec");
	test_loaded();
	test_args();
	test_dlopen();
	test_threads();
	test_interp_errors();
	kt_rmtree(dir);
	return kt_end();
}
