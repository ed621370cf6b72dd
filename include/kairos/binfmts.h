/* SPDX-License-Identifier: MIT */
/*
 * execve's state on its way from do_execveat_common through search_binary_handler to a
 * binary format's loader (fs/exec.c, fs/binfmt_elf.c, fs/binfmt_script.c).
 */
#ifndef KAIROS_BINFMTS_H
#define KAIROS_BINFMTS_H

#include <kairos/types.h>

#define BINPRM_BUF_SIZE		256		/* the file's first bytes, for the loaders */
#define MAX_ARG_STRLEN		(32 * 4096)	/* one argument or environment string */
#define MAX_ARG_STRINGS		0x7fffffff
#define ARG_MAX			131072		/* the least room the strings always have */

struct file;
struct mm_struct;

struct linux_binprm {
	struct file *file;		/* what is executed now (a script's interpreter) */
	struct file *interpreter;	/* set by a #! script: what to execute next */
	struct mm_struct *mm;		/* the new address space, until exec_mmap takes it */
	const char *filename;		/* the name execve was given: AT_EXECFN, comm */
	const char *interp;		/* the name of file: filename, or the interpreter a
					 * #! line named (kmalloc'd then) */
	char buf[BINPRM_BUF_SIZE];	/* the first bytes of file */
	/* argv then envp, each string with its NUL, back to back in kernel memory. */
	char *strings;
	size_t strings_len;
	size_t strings_limit;		/* E2BIG beyond: a quarter of the stack limit */
	int argc, envc;
	bool point_of_no_return;	/* the old image is gone: failures are fatal */
};

/* A loader answers -ENOEXEC when the file is not its format. */
struct linux_binfmt {
	const char *name;
	int (*load_binary)(struct linux_binprm *bprm);
};

extern const struct linux_binfmt elf_format, script_format;

/* Read the first bytes of bprm->file into bprm->buf (a new interpreter). */
int prepare_binprm(struct linux_binprm *bprm);
/* Open name for execution: a regular file with execute permission, or -errno. */
struct file *open_exec(const char *name);
/* Name the file a #! line leads to (bprm->interp). 0 or -ENOMEM. */
int bprm_set_interp(struct linux_binprm *bprm, const char *interp);
/* Replace argv[0] with the n strings of args (a script's interpreter line). */
int bprm_replace_argv0(struct linux_binprm *bprm, const char *const *args, int n);
/* The point of no return: the old image goes, the caller's mm becomes bprm->mm. */
int begin_new_exec(struct linux_binprm *bprm);

/* exec from the kernel (kernel_init): argv and envp are kernel arrays. */
int kernel_execve(const char *filename, const char *const *argv, const char *const *envp);

#endif
