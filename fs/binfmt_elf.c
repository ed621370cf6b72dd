// SPDX-License-Identifier: MIT
/*
 * ELF executables for AArch64: fixed (ET_EXEC) or position-independent (ET_DYN), static
 * or dynamically linked. Each PT_LOAD maps the file's pages privately (nothing is copied
 * until written) with anonymous memory for its bss. A PT_INTERP names the program's
 * interpreter (glibc's ld.so), which is mapped too and entered first; it finds the
 * program through the auxiliary vector (AT_PHDR, AT_ENTRY, AT_BASE) on the new stack.
 */
#include <asm/hwcap.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>
#include <kairos/binfmts.h>
#include <kairos/err.h>
#include <kairos/fs.h>
#include <kairos/mm.h>
#include <kairos/mman.h>
#include <kairos/random.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/slab.h>
#include <kairos/string.h>
#include <kairos/uaccess.h>
#include <uapi/elf.h>

/* Where position-independent executables go: two thirds up the user half, as Linux. The
 * interpreter goes where mmap would put it, below the stack. */
#define ELF_ET_DYN_BASE		ALIGN_DOWN(TASK_SIZE / 3 * 2, PAGE_SIZE)
/* Stack mapped at exec beyond what the strings and tables need; faults grow it. */
#define STACK_INITIAL		(128UL << 10)
#define ELF_PLATFORM		"aarch64"

static unsigned long vm_prot(u32 p_flags)
{
	return (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) |
	       (p_flags & PF_X ? PROT_EXEC : 0);
}

/* Exactly len bytes of file at pos: 0, or -EIO for a short file (Linux's elf_read). */
static int elf_read(struct file *file, void *buf, size_t len, loff_t pos)
{
	ssize_t n = kernel_read(file, buf, len, &pos);

	if (n == (ssize_t)len)
		return 0;
	return n < 0 ? (int)n : -EIO;
}

/* The program headers, read and checked, or NULL: the file is no executable we know
 * (Linux answers ENOEXEC for every failure here, a short file included). */
static Elf64_Phdr *load_elf_phdrs(const Elf64_Ehdr *eh, struct file *file)
{
	size_t size = eh->e_phnum * sizeof(Elf64_Phdr);
	loff_t pos = eh->e_phoff;
	Elf64_Phdr *phdrs;

	if (eh->e_phentsize != sizeof(Elf64_Phdr) || !eh->e_phnum || size > 65536)
		return NULL;
	phdrs = kmalloc(size, GFP_KERNEL);
	if (phdrs && kernel_read(file, phdrs, size, &pos) != (ssize_t)size) {
		kfree(phdrs);
		phdrs = NULL;
	}
	return phdrs;
}

/* Every PT_LOAD must fit the user half and keep file and memory offsets congruent. */
static int check_segments(const Elf64_Phdr *phdrs, unsigned int phnum, unsigned long bias)
{
	for (unsigned int i = 0; i < phnum; i++) {
		const Elf64_Phdr *ph = &phdrs[i];
		unsigned long end;

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_filesz > ph->p_memsz ||
		    (ph->p_vaddr - ph->p_offset) % PAGE_SIZE ||
		    __builtin_add_overflow(ph->p_vaddr + bias, ph->p_memsz, &end) ||
		    end > TASK_SIZE || ph->p_vaddr + bias < mmap_min_addr)
			return -EINVAL;
	}
	return 0;
}

/*
 * The page-aligned span of the PT_LOADs: *lowest its start, the return value its size
 * (0: no PT_LOAD), *align the largest power-of-two p_align (PIEs keep it, as in Linux).
 */
static unsigned long elf_extent(const Elf64_Phdr *phdrs, unsigned int phnum,
				unsigned long *lowest, unsigned long *align)
{
	unsigned long lo = ~0UL, hi = 0;

	*align = PAGE_SIZE;
	for (unsigned int i = 0; i < phnum; i++) {
		const Elf64_Phdr *ph = &phdrs[i];

		if (ph->p_type != PT_LOAD)
			continue;
		lo = min(lo, ALIGN_DOWN(ph->p_vaddr, PAGE_SIZE));
		hi = max(hi, ALIGN(ph->p_vaddr + ph->p_memsz, PAGE_SIZE));
		if (ph->p_align > *align && !(ph->p_align & (ph->p_align - 1)))
			*align = ph->p_align;
	}
	*lowest = lo;
	return hi > lo ? hi - lo : 0;
}

/*
 * Map one PT_LOAD at its address (plus bias), as Linux's elf_load: the file's pages
 * privately, the tail of the last file page zeroed (in the private copy that write
 * makes) when bss starts there, and anonymous memory for the rest of the bss. A later
 * segment sharing a page with this one replaces it there (MAP_FIXED), as in Linux.
 */
static int map_segment(struct file *file, const Elf64_Phdr *ph, unsigned long bias)
{
	unsigned long addr = ph->p_vaddr + bias, start = ALIGN_DOWN(addr, PAGE_SIZE);
	unsigned long zero_start = start, end = ALIGN(addr + ph->p_memsz, PAGE_SIZE);
	unsigned long prot = vm_prot(ph->p_flags), r;

	if (ph->p_filesz) {
		unsigned long file_end = addr + ph->p_filesz;

		r = vm_mmap(file, start, file_end - start, prot, MAP_FIXED | MAP_PRIVATE,
			    ph->p_offset - (addr - start));
		if (IS_ERR_VALUE(r))
			return (int)r;
		/* A read-only segment cannot be written: then the file's bytes stay. */
		if (ph->p_memsz > ph->p_filesz && (file_end & ~PAGE_MASK) &&
		    clear_user((void __user *)file_end, PAGE_SIZE - (file_end & ~PAGE_MASK)) &&
		    (prot & PROT_WRITE))
			return -EFAULT;
		zero_start = ALIGN(file_end, PAGE_SIZE);
	}
	if (zero_start < end) {
		r = vm_mmap(NULL, zero_start, end - zero_start, prot,
			    MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, 0);
		if (IS_ERR_VALUE(r))
			return (int)r;
	}
	return 0;
}

/* Push bytes below *sp on the new stack; the address they landed at, or 0 on a fault. */
static unsigned long push_bytes(unsigned long *sp, const void *data, size_t len)
{
	*sp -= len;
	return copy_to_user((void __user *)*sp, data, len) ? 0 : *sp;
}

/*
 * The initial stack, from the top: the name executed (AT_EXECFN), the argument and
 * environment strings, the platform string, 16 random bytes; then, 16-byte aligned at
 * the final sp: argc, argv[], NULL, envp[], NULL, the auxiliary vector.
 */
static int create_elf_tables(struct linux_binprm *bprm, const Elf64_Ehdr *eh,
			     unsigned long bias, unsigned long phdr_addr, unsigned long interp_bias,
			     unsigned long *spp)
{
	unsigned long sp = STACK_TOP, execfn, strings, platform, random, *table, *t;
	const struct cred *cred = current_cred();
	int nptrs = 1 + bprm->argc + 1 + bprm->envc + 1, nauxv = 0, err = 0;
	unsigned long *auxv = current->mm->saved_auxv;	/* kept for /proc/PID/auxv */
	u8 rnd[16];
	char *s;

#define NEW_AUX_ENT(id, val) do { auxv[nauxv++] = (id); auxv[nauxv++] = (val); } while (0)

	execfn = push_bytes(&sp, bprm->filename, strlen(bprm->filename) + 1);
	strings = push_bytes(&sp, bprm->strings, bprm->strings_len);
	platform = push_bytes(&sp, ELF_PLATFORM, sizeof(ELF_PLATFORM));
	get_random_bytes(rnd, sizeof(rnd));
	random = push_bytes(&sp, rnd, sizeof(rnd));
	if (!execfn || !strings || !platform || !random)
		return -EFAULT;

	/* First, as Linux's ARCH_DLINFO puts it. */
	NEW_AUX_ENT(AT_SYSINFO_EHDR, current->mm->context.vdso);
	NEW_AUX_ENT(AT_HWCAP, cpu_get_elf_hwcap());
	NEW_AUX_ENT(AT_PAGESZ, PAGE_SIZE);
	NEW_AUX_ENT(AT_CLKTCK, 100);
	NEW_AUX_ENT(AT_PHDR, phdr_addr);
	NEW_AUX_ENT(AT_PHENT, sizeof(Elf64_Phdr));
	NEW_AUX_ENT(AT_PHNUM, eh->e_phnum);
	NEW_AUX_ENT(AT_BASE, interp_bias);
	NEW_AUX_ENT(AT_FLAGS, 0);
	NEW_AUX_ENT(AT_ENTRY, eh->e_entry + bias);
	NEW_AUX_ENT(AT_UID, cred->uid);
	NEW_AUX_ENT(AT_EUID, cred->euid);
	NEW_AUX_ENT(AT_GID, cred->gid);
	NEW_AUX_ENT(AT_EGID, cred->egid);
	NEW_AUX_ENT(AT_SECURE, 0);
	NEW_AUX_ENT(AT_RANDOM, random);
	NEW_AUX_ENT(AT_HWCAP2, 0);
	NEW_AUX_ENT(AT_EXECFN, execfn);
	NEW_AUX_ENT(AT_PLATFORM, platform);
	NEW_AUX_ENT(AT_NULL, 0);
#undef NEW_AUX_ENT
	BUILD_BUG_ON(AT_VECTOR_SIZE < 2 * 20);	/* the 20 entries above */

	table = kmalloc((nptrs + nauxv) * sizeof(*table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	t = table;
	*t++ = bprm->argc;
	s = bprm->strings;
	for (int i = 0; i < bprm->argc + bprm->envc; i++) {
		size_t len = strlen(s) + 1;

		*t++ = strings + (s - bprm->strings);
		s += len;
		if (i == bprm->argc - 1) {
			*t++ = 0;		/* argv's end */
			current->mm->arg_end = current->mm->env_start =
				strings + (s - bprm->strings);
		}
	}
	*t++ = 0;				/* envp's end */
	memcpy(t, auxv, nauxv * sizeof(*auxv));
	sp = ALIGN_DOWN(sp - (nptrs + nauxv) * sizeof(*table), 16);
	if (copy_to_user((void __user *)sp, table, (nptrs + nauxv) * sizeof(*table)))
		err = -EFAULT;
	kfree(table);
	current->mm->start_stack = sp;
	current->mm->arg_start = strings;
	current->mm->env_end = strings + bprm->strings_len;
	*spp = sp;
	return err;
}

/* A program's interpreter (PT_INTERP): the file, its ELF header and program headers. */
struct elf_interp {
	struct file *file;
	Elf64_Ehdr eh;
	Elf64_Phdr *phdrs;
};

/*
 * Open the interpreter ph names and read its headers, with Linux's answers: a name that
 * is not 2 to PATH_MAX bytes ending in a NUL is ENOEXEC, then open_exec's errno (ENOENT,
 * EACCES), a file shorter than an ELF header EIO, one that is no AArch64 ELF ELIBBAD.
 */
static int open_elf_interp(struct file *file, const Elf64_Phdr *ph, struct elf_interp *interp)
{
	struct file *f;
	char *name;
	int err;

	if (ph->p_filesz > PATH_MAX || ph->p_filesz < 2)
		return -ENOEXEC;
	name = kmalloc(ph->p_filesz, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	err = elf_read(file, name, ph->p_filesz, ph->p_offset);
	if (!err && name[ph->p_filesz - 1])
		err = -ENOEXEC;
	if (!err) {
		f = open_exec(name);
		if (IS_ERR(f))
			err = (int)PTR_ERR(f);
		else
			interp->file = f;
	}
	kfree(name);
	if (err)
		return err;
	err = elf_read(interp->file, &interp->eh, sizeof(interp->eh), 0);
	if (err)
		return err;
	if (memcmp(interp->eh.e_ident, ELFMAG, SELFMAG) || interp->eh.e_machine != EM_AARCH64)
		return -ELIBBAD;
	interp->phdrs = load_elf_phdrs(&interp->eh, interp->file);
	return interp->phdrs ? 0 : -ELIBBAD;
}

static void put_elf_interp(struct elf_interp *interp)
{
	if (interp->file) {
		allow_write_access(interp->file);
		fput(interp->file);
	}
	kfree(interp->phdrs);
}

/*
 * Map the interpreter, as Linux's load_elf_interp: an ET_DYN one (ld.so) where mmap would
 * put its whole span, so that the holes between its segments stay free and nothing else
 * lands there; an ET_EXEC one at its own addresses. Its entry point, and in *bias where
 * it went (AT_BASE), or -errno; past the point of no return, so any failure is fatal.
 */
static unsigned long load_elf_interp(struct elf_interp *interp, unsigned long *bias)
{
	const Elf64_Ehdr *eh = &interp->eh;
	struct mm_struct *mm = current->mm;
	unsigned long lowest, align, size, base;
	int err;

	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return -EINVAL;
	size = elf_extent(interp->phdrs, eh->e_phnum, &lowest, &align);
	if (!size)
		return -EINVAL;
	*bias = 0;
	if (eh->e_type == ET_DYN) {
		mmap_write_lock(mm);
		base = get_unmapped_area(mm, 0, size, 0);
		mmap_write_unlock(mm);
		if (IS_ERR_VALUE(base))
			return base;
		*bias = base - lowest;
	}
	err = check_segments(interp->phdrs, eh->e_phnum, *bias);
	for (unsigned int i = 0; !err && i < eh->e_phnum; i++) {
		if (interp->phdrs[i].p_type == PT_LOAD)
			err = map_segment(interp->file, &interp->phdrs[i], *bias);
	}
	return err ? (unsigned long)err : eh->e_entry + *bias;
}

static int load_elf_binary(struct linux_binprm *bprm)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)bprm->buf;
	unsigned long bias = 0, lowest, align, brk = 0, phdr_addr = 0, interp_bias = 0;
	unsigned long entry, stack_flags = 0, sp;
	struct elf_interp interp = {};
	struct mm_struct *mm;
	Elf64_Phdr *phdrs;
	unsigned int i;
	int err;

	/* Linux looks at the magic, the type and the machine only: not at EI_CLASS or
	 * EI_DATA (an AArch64 ELF64 marked 32-bit runs). */
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_machine != EM_AARCH64 ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN))
		return -ENOEXEC;
	phdrs = load_elf_phdrs(eh, bprm->file);
	if (!phdrs)
		return -ENOEXEC;

	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &phdrs[i];

		/* The first PT_INTERP counts, as in Linux. */
		if (ph->p_type == PT_INTERP && !interp.file) {
			err = open_elf_interp(bprm->file, ph, &interp);
			if (err)
				goto out;
		}
		/* The stack is executable only if the program asks (arm64's default). */
		if (ph->p_type == PT_GNU_STACK && (ph->p_flags & PF_X))
			stack_flags = VM_EXEC;
	}
	err = -ENOEXEC;
	if (!elf_extent(phdrs, eh->e_phnum, &lowest, &align))
		goto out;
	if (eh->e_type == ET_DYN)
		bias = ALIGN_DOWN(ELF_ET_DYN_BASE, align) - lowest;
	err = check_segments(phdrs, eh->e_phnum, bias);
	if (err)
		goto out;

	err = begin_new_exec(bprm);
	if (err)
		goto out;
	mm = current->mm;

	err = setup_stack_vma(mm, ALIGN(bprm->strings_len + strlen(bprm->filename) + 1,
					PAGE_SIZE) + STACK_INITIAL, stack_flags);
	if (err)
		goto out;
	/* In address order, so that a page two segments share comes from the later one. */
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &phdrs[i];

		if (ph->p_type == PT_PHDR)
			phdr_addr = ph->p_vaddr + bias;
		if (ph->p_type != PT_LOAD)
			continue;
		err = map_segment(bprm->file, ph, bias);
		if (err)
			goto out;
		brk = max(brk, ALIGN(ph->p_vaddr + bias + ph->p_memsz, PAGE_SIZE));
		if (!phdr_addr && ph->p_offset <= eh->e_phoff &&
		    eh->e_phoff < ph->p_offset + ph->p_filesz)
			phdr_addr = ph->p_vaddr + bias + (eh->e_phoff - ph->p_offset);
	}
	/* The heap follows the program, not the interpreter. */
	mmap_write_lock(mm);
	mm->start_brk = mm->brk = brk;
	mmap_write_unlock(mm);

	entry = eh->e_entry + bias;
	if (interp.file) {
		entry = load_elf_interp(&interp, &interp_bias);
		err = IS_ERR_VALUE(entry) ? (int)entry : 0;
		if (err)
			goto out;
	}
	/* The vDSO: the clocks, and the sigreturn trampoline signal frames return through. */
	err = arch_setup_additional_pages(mm);
	if (err)
		goto out;
	err = create_elf_tables(bprm, eh, bias, phdr_addr, interp_bias, &sp);
	if (err)
		goto out;
	start_thread(current_pt_regs(), entry, sp);
out:
	put_elf_interp(&interp);
	kfree(phdrs);
	return err;
}

const struct linux_binfmt elf_format = {
	.name = "elf",
	.load_binary = load_elf_binary,
};
