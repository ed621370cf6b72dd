// SPDX-License-Identifier: MIT
/*
 * File mappings and shared memory, from kernel threads that adopt user address spaces:
 * shared anonymous memory across fork, private file mappings' copy-on-write, shared
 * file mappings writing through to the file, truncation of a mapped file, mmap's errors
 * for files, and exec mapping an ELF file's pages.
 */
#include <kairos/binfmts.h>
#include <kairos/completion.h>
#include <kairos/fs.h>
#include <kairos/ktest.h>
#include <kairos/sched.h>
#include <kairos/string.h>
#include <uapi/elf.h>

#include "fs_fixture.h"
#include "user_mm.h"

#define RW		(PROT_READ | PROT_WRITE)
#define P		PAGE_SIZE
#define BASE		0x40000000UL

/* Every byte of page p of a test file, never 0. */
static u8 fill(unsigned int p)
{
	return p * 16 + 1;
}

static u64 fill_word(unsigned int p)
{
	return 0x0101010101010101UL * fill(p);
}

/* A file of pages pages of fill(), opened read-write; NULL (and a failure) if not. */
static struct file *make_file(struct ktest_ctx *t, struct fs_fixture *f, const char *name,
			      unsigned int pages)
{
	struct file *file = filp_open(&f->ctx, name, O_RDWR | O_CREAT, 0644);
	u8 buf[P];
	loff_t pos = 0;

	KTEST_EXPECT(t, !IS_ERR(file));
	if (IS_ERR(file))
		return NULL;
	for (unsigned int p = 0; p < pages; p++) {
		memset(buf, fill(p), P);
		KTEST_EXPECT_EQ(t, kernel_write(file, buf, P, &pos), (ssize_t)P);
	}
	return file;
}

static u64 file_word(struct file *file, loff_t pos)
{
	u64 v = ~0UL;

	return kernel_read(file, &v, sizeof(v), &pos) == sizeof(v) ? v : ~0UL;
}

static void set_file_word(struct file *file, loff_t pos, u64 v)
{
	kernel_write(file, &v, sizeof(v), &pos);
}

/* Switch the calling kernel thread from one adopted mm to another. */
static void switch_to_mm(struct mm_struct *from, struct mm_struct *to)
{
	kthread_unuse_mm(from);
	kthread_use_mm(to);
}

/* What a fault at addr in the current mm would answer, without the signal. */
static vm_fault_t fault_at(unsigned long addr, unsigned int flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	vm_fault_t fault = VM_FAULT_SIGSEGV;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr)
		fault = handle_mm_fault(vma, addr, flags);
	mmap_read_unlock(mm);
	return fault;
}

static unsigned long map_shared_anon(unsigned long addr, unsigned long len)
{
	return ksys_mmap_pgoff(addr, len, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
}

/*
 * MAP_SHARED|MAP_ANONYMOUS: both sides of a fork see one set of pages (never copied),
 * mprotect and munmap split the mapping without unsharing it, and the memory goes with
 * the last mapping.
 */
KTEST(mm_shared_anon_fork)
{
	struct mm_struct *a = enter_new_mm(), *b;
	unsigned long start;
	int files, inodes;
	struct page *pg;

	KTEST_EXPECT(t, a != NULL);
	if (!a)
		return;
	/* The first one also makes the internal tmpfs, which stays: count after it. */
	KTEST_EXPECT_EQ(t, map_shared_anon(BASE, P), BASE);
	leave_mm(a);
	files = atomic_read(&nr_files);
	inodes = atomic_read(&nr_inodes);
	start = settled_pages();
	a = enter_new_mm();
	KTEST_EXPECT(t, a != NULL);
	if (!a)
		return;

	KTEST_EXPECT_EQ(t, map_shared_anon(BASE, 4 * P), BASE);
	KTEST_EXPECT_EQ(t, atomic_read(&nr_files), files + 1);
	KTEST_EXPECT_EQ(t, word_at(BASE + 8), 0);
	KTEST_EXPECT(t, put_word(BASE, 1) && put_word(BASE + 3 * P, 4));
	pg = page_at(a, BASE);
	KTEST_EXPECT(t, pg && !PageAnon(pg));
	b = dup_mm(a);
	KTEST_EXPECT(t, b != NULL);
	if (!b) {
		leave_mm(a);
		return;
	}

	switch_to_mm(a, b);
	KTEST_EXPECT_EQ(t, word_at(BASE), 1);
	/* The same physical page: what a shared futex is keyed by. */
	KTEST_EXPECT(t, page_at(b, BASE) == pg);
	KTEST_EXPECT(t, put_word(BASE, 11) && put_word(BASE + P, 22));
	KTEST_EXPECT(t, page_at(b, BASE) == pg);
	switch_to_mm(b, a);
	KTEST_EXPECT_EQ(t, word_at(BASE), 11);
	KTEST_EXPECT_EQ(t, word_at(BASE + P), 22);
	KTEST_EXPECT(t, page_at(a, BASE + P) == page_at(b, BASE + P));

	/* mprotect splits it; every piece still shares. */
	KTEST_EXPECT_EQ(t, ksys_mprotect(BASE + P, P, PROT_READ), 0);
	KTEST_EXPECT_EQ(t, a->map_count, 3);
	KTEST_EXPECT(t, !writable(BASE + P) && put_word(BASE + 2 * P, 33));
	KTEST_EXPECT_EQ(t, ksys_mprotect(BASE + P, P, RW), 0);
	KTEST_EXPECT_EQ(t, a->map_count, 1);
	KTEST_EXPECT(t, put_word(BASE + P, 23));
	/* A's partial munmap and exit leave B's mapping whole. */
	KTEST_EXPECT_EQ(t, ksys_munmap(BASE, 2 * P), 0);
	leave_mm(a);
	kthread_use_mm(b);
	KTEST_EXPECT_EQ(t, word_at(BASE), 11);
	KTEST_EXPECT_EQ(t, word_at(BASE + P), 23);
	KTEST_EXPECT_EQ(t, word_at(BASE + 2 * P), 33);
	KTEST_EXPECT_EQ(t, word_at(BASE + 3 * P), 4);
	leave_mm(b);
	KTEST_EXPECT_EQ(t, atomic_read(&nr_files), files);
	KTEST_EXPECT_EQ(t, atomic_read(&nr_inodes), inodes);
	KTEST_EXPECT_EQ(t, settled_pages(), start);
}

/*
 * MAP_PRIVATE of a file: the file's own pages, read-only, until a write copies one;
 * write() to the file shows where nothing was copied; fork takes the copies along.
 */
KTEST(mm_file_private_cow)
{
	struct mm_struct *a, *b;
	struct fs_fixture f;
	struct page *fpage, *copy;
	struct file *file;

	if (!fs_setup(t, &f))
		return;
	file = make_file(t, &f, "data", 3);
	a = enter_new_mm();
	KTEST_EXPECT(t, file && a);
	if (!file || !a)
		goto out;
	KTEST_EXPECT_EQ(t, vm_mmap(file, BASE, 3 * P, RW, MAP_PRIVATE | MAP_FIXED, 0), BASE);
	KTEST_EXPECT_EQ(t, vm_mmap(file, BASE + 16 * P, 2 * P, PROT_READ,
				   MAP_PRIVATE | MAP_FIXED, P), BASE + 16 * P);
	KTEST_EXPECT_EQ(t, word_at(BASE + P), fill_word(1));
	KTEST_EXPECT_EQ(t, word_at(BASE + 16 * P), fill_word(1));
	KTEST_EXPECT_EQ(t, word_at(BASE + 17 * P + 8), fill_word(2));
	/* Both map the file's page: nothing was copied. */
	fpage = page_at(a, BASE + P);
	KTEST_EXPECT(t, fpage && fpage == page_at(a, BASE + 16 * P) && !PageAnon(fpage));

	/* A write copies: the file and the other mapping keep the old bytes. */
	KTEST_EXPECT(t, put_word(BASE + P, 7));
	copy = page_at(a, BASE + P);
	KTEST_EXPECT(t, copy && copy != fpage && PageAnon(copy));
	KTEST_EXPECT_EQ(t, word_at(BASE + P + 8), fill_word(1));
	KTEST_EXPECT_EQ(t, word_at(BASE + 16 * P), fill_word(1));
	KTEST_EXPECT_EQ(t, file_word(file, P), fill_word(1));
	/* A first touch that writes copies at once. */
	KTEST_EXPECT(t, put_word(BASE + 2 * P + 8, 9));
	KTEST_EXPECT(t, PageAnon(page_at(a, BASE + 2 * P)));
	KTEST_EXPECT_EQ(t, word_at(BASE + 2 * P), fill_word(2));
	KTEST_EXPECT_EQ(t, file_word(file, 2 * P + 8), fill_word(2));
	/* The read-only mapping cannot be written. */
	KTEST_EXPECT(t, !writable(BASE + 17 * P));

	/* write() to the file: seen through the file's pages, not through copies. */
	KTEST_EXPECT_EQ(t, word_at(BASE), fill_word(0));
	set_file_word(file, 0, 0x1234);
	set_file_word(file, P, 0x5678);
	KTEST_EXPECT_EQ(t, word_at(BASE), 0x1234);
	KTEST_EXPECT_EQ(t, word_at(BASE + P), 7);
	KTEST_EXPECT_EQ(t, word_at(BASE + 16 * P), 0x5678);

	/* fork: the copies go along, copy-on-write again; file pages are found again. */
	b = dup_mm(a);
	KTEST_EXPECT(t, b != NULL);
	if (b) {
		switch_to_mm(a, b);
		KTEST_EXPECT_EQ(t, word_at(BASE + P), 7);
		KTEST_EXPECT_EQ(t, word_at(BASE), 0x1234);
		KTEST_EXPECT(t, page_at(b, BASE) == page_at(a, BASE));
		KTEST_EXPECT(t, page_at(b, BASE + P) == copy);
		KTEST_EXPECT(t, put_word(BASE + P, 8) && page_at(b, BASE + P) != copy);
		leave_mm(b);
		kthread_use_mm(a);
		KTEST_EXPECT_EQ(t, word_at(BASE + P), 7);
	}
	/* The mappings hold the file: closing it changes nothing. */
	fput(file);
	file = NULL;
	KTEST_EXPECT_EQ(t, word_at(BASE + 16 * P), 0x5678);
out:
	if (a)
		leave_mm(a);
	if (file)
		fput(file);
	fs_teardown(t, &f);
}

/* MAP_SHARED of a file: writes land in the file, write() shows in every mapping. */
KTEST(mm_file_shared)
{
	struct mm_struct *a, *b;
	struct fs_fixture f;
	struct file *file;

	if (!fs_setup(t, &f))
		return;
	file = make_file(t, &f, "data", 2);
	a = enter_new_mm();
	KTEST_EXPECT(t, file && a);
	if (!file || !a)
		goto out;
	KTEST_EXPECT_EQ(t, vm_mmap(file, BASE, 2 * P, RW, MAP_SHARED | MAP_FIXED, 0), BASE);
	KTEST_EXPECT_EQ(t, vm_mmap(file, BASE + 8 * P, 2 * P, RW, MAP_SHARED | MAP_FIXED, 0),
			BASE + 8 * P);
	KTEST_EXPECT(t, put_word(BASE + P + 8, 0xabc));
	KTEST_EXPECT_EQ(t, word_at(BASE + 9 * P + 8), 0xabc);
	KTEST_EXPECT_EQ(t, file_word(file, P + 8), 0xabc);
	KTEST_EXPECT(t, page_at(a, BASE + P) == page_at(a, BASE + 9 * P));
	KTEST_EXPECT(t, !PageAnon(page_at(a, BASE + P)));
	set_file_word(file, 16, 0xdef);
	KTEST_EXPECT_EQ(t, word_at(BASE + 16), 0xdef);

	/* Read-only for a while: the pages stay the file's, writable again afterwards. */
	KTEST_EXPECT_EQ(t, ksys_mprotect(BASE, 2 * P, PROT_READ), 0);
	KTEST_EXPECT(t, !writable(BASE + P));
	KTEST_EXPECT_EQ(t, ksys_mprotect(BASE, 2 * P, RW), 0);
	KTEST_EXPECT(t, put_word(BASE + P, 0x77));
	KTEST_EXPECT_EQ(t, file_word(file, P), 0x77);
	KTEST_EXPECT(t, page_at(a, BASE + P) == page_at(a, BASE + 9 * P));

	/* A fork writes to the same pages. */
	b = dup_mm(a);
	KTEST_EXPECT(t, b != NULL);
	if (b) {
		switch_to_mm(a, b);
		KTEST_EXPECT(t, put_word(BASE + 24, 0x99));
		leave_mm(b);
		kthread_use_mm(a);
		KTEST_EXPECT_EQ(t, word_at(BASE + 8 * P + 24), 0x99);
		KTEST_EXPECT_EQ(t, file_word(file, 24), 0x99);
	}
out:
	if (a)
		leave_mm(a);
	if (file)
		fput(file);
	fs_teardown(t, &f);
}

/*
 * Truncating a mapped file takes the pages past the new end out of every mapping, the
 * private copies of them too: touching them is SIGBUS, as beyond the end from the start.
 */
KTEST(mm_file_truncate)
{
	struct mm_struct *a, *b = NULL;
	struct fs_fixture f;
	struct file *file;

	if (!fs_setup(t, &f))
		return;
	file = make_file(t, &f, "data", 4);
	a = enter_new_mm();
	KTEST_EXPECT(t, file && a);
	if (!file || !a)
		goto out;
	KTEST_EXPECT_EQ(t, vm_mmap(file, BASE, 6 * P, RW, MAP_SHARED | MAP_FIXED, 0), BASE);
	KTEST_EXPECT_EQ(t, vm_mmap(file, BASE + 16 * P, 4 * P, RW, MAP_PRIVATE | MAP_FIXED, 0),
			BASE + 16 * P);
	/* Mapping past the end is allowed; touching it is not. */
	KTEST_EXPECT(t, readable(BASE + 3 * P) && !readable(BASE + 4 * P));
	KTEST_EXPECT(t, !writable(BASE + 5 * P));
	KTEST_EXPECT_EQ(t, fault_at(BASE + 4 * P, 0), VM_FAULT_SIGBUS);
	KTEST_EXPECT_EQ(t, fault_at(BASE + 5 * P, FAULT_FLAG_WRITE), VM_FAULT_SIGBUS);

	KTEST_EXPECT_EQ(t, word_at(BASE + 2 * P), fill_word(2));
	KTEST_EXPECT(t, put_word(BASE + 18 * P, 5));
	KTEST_EXPECT_EQ(t, word_at(BASE + 19 * P), fill_word(3));
	b = dup_mm(a);
	KTEST_EXPECT(t, b != NULL);
	if (!b)
		goto out;
	switch_to_mm(a, b);
	KTEST_EXPECT_EQ(t, word_at(BASE + 2 * P), fill_word(2));
	KTEST_EXPECT_EQ(t, word_at(BASE + 18 * P), 5);
	switch_to_mm(b, a);

	/* To a page and a bit: the partial page stays, its tail now zeros. */
	KTEST_EXPECT_EQ(t, do_ftruncate(&f.ctx, file, P + 100), 0);
	KTEST_EXPECT_EQ(t, word_at(BASE + P), fill_word(1));
	KTEST_EXPECT_EQ(t, word_at(BASE + P + 200), 0);
	KTEST_EXPECT_EQ(t, word_at(BASE + 17 * P + 200), 0);
	KTEST_EXPECT(t, page_at(a, BASE + 2 * P) == NULL && page_at(a, BASE + 18 * P) == NULL);
	KTEST_EXPECT(t, !readable(BASE + 2 * P) && !readable(BASE + 3 * P));
	KTEST_EXPECT(t, !readable(BASE + 18 * P) && !writable(BASE + 19 * P));
	KTEST_EXPECT_EQ(t, fault_at(BASE + 2 * P, 0), VM_FAULT_SIGBUS);
	switch_to_mm(a, b);
	KTEST_EXPECT(t, page_at(b, BASE + 2 * P) == NULL && page_at(b, BASE + 18 * P) == NULL);
	KTEST_EXPECT(t, !readable(BASE + 2 * P) && !readable(BASE + 18 * P));
	switch_to_mm(b, a);

	/* Growing again brings zeros, in the shared and the private mapping alike. */
	KTEST_EXPECT_EQ(t, do_ftruncate(&f.ctx, file, 3 * P), 0);
	KTEST_EXPECT_EQ(t, word_at(BASE + 2 * P), 0);
	KTEST_EXPECT_EQ(t, word_at(BASE + 18 * P), 0);
	KTEST_EXPECT(t, !readable(BASE + 3 * P));
out:
	if (b)
		mmput(b);
	if (a)
		leave_mm(a);
	if (file)
		fput(file);
	fs_teardown(t, &f);
}

/* mmap's answers for files that cannot be mapped so, in Linux's order of checks. */
KTEST(mm_mmap_file_errors)
{
	struct file *rw, *ro = NULL, *wo = NULL, *dir = NULL;
	struct mm_struct *mm;
	struct fs_fixture f;
	unsigned long a;
	int files;

	if (!fs_setup(t, &f))
		return;
	rw = make_file(t, &f, "data", 1);
	mm = enter_new_mm();
	KTEST_EXPECT(t, rw && mm);
	if (!rw || !mm)
		goto out;
	ro = filp_open(&f.ctx, "data", O_RDONLY, 0);
	wo = filp_open(&f.ctx, "data", O_WRONLY, 0);
	dir = filp_open(&f.ctx, "/", O_RDONLY | O_DIRECTORY, 0);
	KTEST_EXPECT(t, !IS_ERR(ro) && !IS_ERR(wo) && !IS_ERR(dir));
	if (IS_ERR(ro) || IS_ERR(wo) || IS_ERR(dir)) {
		ro = wo = dir = NULL;
		goto out;
	}

	/* A read-only fd maps shared only for reading, for good; privately as it likes. */
	KTEST_EXPECT_EQ(t, vm_mmap(ro, 0, P, RW, MAP_SHARED, 0), -EACCES);
	a = vm_mmap(ro, 0, P, PROT_READ, MAP_SHARED, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a) && word_at(a) == fill_word(0));
	KTEST_EXPECT_EQ(t, ksys_mprotect(a, P, RW), -EACCES);
	a = vm_mmap(ro, 0, P, RW, MAP_PRIVATE, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a) && put_word(a, 3) && file_word(rw, 0) == fill_word(0));
	/* Nothing maps a file that cannot be read, nor one without ->mmap. */
	KTEST_EXPECT_EQ(t, vm_mmap(wo, 0, P, PROT_READ, MAP_SHARED, 0), -EACCES);
	KTEST_EXPECT_EQ(t, vm_mmap(wo, 0, P, PROT_READ, MAP_PRIVATE, 0), -EACCES);
	KTEST_EXPECT_EQ(t, vm_mmap(dir, 0, P, PROT_READ, MAP_PRIVATE, 0), -ENODEV);

	/* Flags and sizes. */
	KTEST_EXPECT_EQ(t, vm_mmap(rw, 0, P, RW, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, vm_mmap(rw, 0, P, RW, 0xf, 0), -EINVAL);
	KTEST_EXPECT(t, !IS_ERR_VALUE(vm_mmap(rw, 0, P, RW, MAP_SHARED_VALIDATE, 0)));
	KTEST_EXPECT_EQ(t, vm_mmap(rw, 0, P, RW, MAP_SHARED_VALIDATE | MAP_SYNC, 0),
			-EOPNOTSUPP);
	KTEST_EXPECT(t, !IS_ERR_VALUE(vm_mmap(rw, 0, P, RW, MAP_SHARED | MAP_SYNC, 0)));
	KTEST_EXPECT_EQ(t, vm_mmap(rw, 0, P, RW, MAP_PRIVATE | MAP_GROWSDOWN, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, vm_mmap(rw, 0, P, RW, MAP_SHARED, 123), -EINVAL);
	KTEST_EXPECT_EQ(t, vm_mmap(rw, 0, 0, RW, MAP_SHARED, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, vm_mmap(rw, 0, 2 * P, RW, MAP_SHARED,
				   (unsigned long)MAX_LFS_FILESIZE & PAGE_MASK), -EOVERFLOW);
	KTEST_EXPECT_EQ(t, vm_mmap(rw, BASE, P, RW, MAP_SHARED | MAP_FIXED, 0), BASE);
	KTEST_EXPECT_EQ(t, vm_mmap(rw, BASE, P, RW, MAP_SHARED | MAP_FIXED_NOREPLACE, 0),
			-EEXIST);

	/* The mappings hold the file open after every fd is gone. */
	files = atomic_read(&nr_files);
	fput(rw);
	fput(ro);
	fput(wo);
	rw = ro = wo = NULL;
	KTEST_EXPECT_EQ(t, atomic_read(&nr_files), files - 1);
	KTEST_EXPECT(t, put_word(BASE, 0x42) && word_at(BASE) == 0x42);
out:
	if (mm)
		leave_mm(mm);
	if (rw)
		fput(rw);
	if (ro)
		fput(ro);
	if (wo)
		fput(wo);
	if (dir)
		fput(dir);
	fs_teardown(t, &f);
}

/*
 * exec maps an ELF file's segments: text is the file's own page (two images share it),
 * data is a private copy whose bytes past p_filesz read zero though the file has more
 * there, and bss is anonymous memory up to the break.
 */
#define ELF_PATH	"/ktest-mm-elf"
#define TEXT_VADDR	0x400000UL
#define DATA_VADDR	0x411000UL
#define DATA_FILESZ	0x100
#define DATA_MEMSZ	0x2800
#define ELF_SIZE	(2 * P)

struct exec_check {
	struct completion done;
	int err;
	struct page *text[2];
	bool text_file_page, text_readonly, data_bytes, tail_zero, bss_zero, bss_end;
	unsigned long brk;
};

static void build_elf(u8 *buf)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh));

	memset(buf, 0, ELF_SIZE);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[6] = 1;				/* EI_VERSION */
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_AARCH64;
	eh->e_version = 1;
	eh->e_entry = TEXT_VADDR + 0x200;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
			      .p_vaddr = TEXT_VADDR, .p_filesz = 0x300, .p_memsz = 0x300,
			      .p_align = P };
	ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = P,
			      .p_vaddr = DATA_VADDR, .p_filesz = DATA_FILESZ,
			      .p_memsz = DATA_MEMSZ, .p_align = P };
	memset(buf + 0x200, 0xd5, 0x100);		/* "code" */
	memset(buf + P, 0xaa, P);			/* data, and more after p_filesz */
}

static int exec_check_fn(void *arg)
{
	static const char *const argv[] = { "elf", NULL }, *const envp[] = { NULL };
	struct exec_check *c = arg;
	struct mm_struct *mm;

	if (!current->files)
		current->files = alloc_files();
	if (!current->fs) {
		current->fs = &init_fs;
		atomic_inc(&init_fs.users);
	}
	for (int i = 0; i < 2 && !c->err; i++) {
		c->err = kernel_execve(ELF_PATH, argv, envp);
		if (!c->err && word_at(TEXT_VADDR) != ~0UL)
			c->text[i] = page_at(current->mm, TEXT_VADDR);
	}
	if (c->err)
		goto out;
	mm = current->mm;
	c->text_file_page = c->text[0] && c->text[0] == c->text[1] && !PageAnon(c->text[0]) &&
			    word_at(TEXT_VADDR + 0x200) == 0xd5d5d5d5d5d5d5d5UL;
	c->text_readonly = !writable(TEXT_VADDR + 0x200);
	c->data_bytes = word_at(DATA_VADDR) == 0xaaaaaaaaaaaaaaaaUL &&
			word_at(DATA_VADDR + DATA_FILESZ - 8) == 0xaaaaaaaaaaaaaaaaUL;
	c->tail_zero = word_at(DATA_VADDR + DATA_FILESZ) == 0 && word_at(DATA_VADDR + P - 8) == 0;
	c->bss_zero = word_at(DATA_VADDR + P) == 0 && put_word(DATA_VADDR + DATA_MEMSZ - 8, 1) &&
		      PageAnon(page_at(mm, DATA_VADDR));
	c->bss_end = readable(ALIGN(DATA_VADDR + DATA_MEMSZ, P) - 8) &&
		     !readable(ALIGN(DATA_VADDR + DATA_MEMSZ, P));
	c->brk = mm->brk;
	/* Let go of the file now, not at exit: the next test counts open files. */
	ksys_munmap(mmap_min_addr, TASK_SIZE - mmap_min_addr);
	set_mm_exe_file(mm, NULL);
out:
	complete(&c->done);
	do_exit(0);
}

KTEST(mm_exec_maps_segments)
{
	static struct exec_check c;
	struct vfs_ctx ctx;
	struct file *file;
	loff_t pos = 0;
	u8 *buf;

	buf = kmalloc(ELF_SIZE, GFP_KERNEL);
	KTEST_EXPECT(t, buf != NULL);
	if (!buf)
		return;
	build_elf(buf);
	get_init_vfs_ctx(&ctx);
	file = filp_open(&ctx, ELF_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	KTEST_EXPECT(t, !IS_ERR(file));
	if (IS_ERR(file)) {
		put_vfs_ctx(&ctx);
		kfree(buf);
		return;
	}
	KTEST_EXPECT_EQ(t, kernel_write(file, buf, ELF_SIZE, &pos), (ssize_t)ELF_SIZE);
	fput(file);
	kfree(buf);

	c = (struct exec_check){};
	init_completion(&c.done);
	KTEST_EXPECT(t, kernel_thread(exec_check_fn, &c, 0) > 0);
	wait_for_completion(&c.done);
	KTEST_EXPECT_EQ(t, c.err, 0);
	KTEST_EXPECT(t, c.text_file_page);
	KTEST_EXPECT(t, c.text_readonly);
	KTEST_EXPECT(t, c.data_bytes);
	KTEST_EXPECT(t, c.tail_zero);
	KTEST_EXPECT(t, c.bss_zero);
	KTEST_EXPECT(t, c.bss_end);
	KTEST_EXPECT_EQ(t, c.brk, ALIGN(DATA_VADDR + DATA_MEMSZ, P));
	KTEST_EXPECT_EQ(t, do_unlinkat(&ctx, ELF_PATH), 0);
	put_vfs_ctx(&ctx);
}
