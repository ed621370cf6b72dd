// SPDX-License-Identifier: MIT
/*
 * execve along the seed's graph: do_execveat_common (open the file, copy argv and envp)
 * -> bprm_execve -> search_binary_handler, which asks each binary format in turn; the
 * one that recognises the file calls begin_new_exec (the point of no return: the old
 * address space, handlers and close-on-exec files go) and builds the new image.
 *
 * The argument and environment strings are copied into kernel memory first, since the
 * new address space does not exist until the point of no return; create_elf_tables
 * writes them onto the new stack.
 */
#include <asm/mmu_context.h>
#include <asm/processor.h>
#include <asm/sysreg.h>
#include <kairos/binfmts.h>
#include <kairos/err.h>
#include <kairos/errno.h>
#include <kairos/fs.h>
#include <kairos/mm_types.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/slab.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include <uapi/fcntl.h>

/* Asked in this order, as Linux registers them. */
static const struct linux_binfmt *const formats[] = { &elf_format, &script_format };

/* How deep #! may nest before ELOOP (Linux: 5 levels of interpreters). */
#define MAX_INTERP_DEPTH	5

/* An argv or envp array: in user memory (execve) or in the kernel (kernel_execve). */
struct user_arg_ptr {
	bool is_kernel;
	union {
		const char __user *const __user *user;
		const char *const *kernel;
	};
};

/* Element nr, or an ERR_PTR on a bad array pointer. */
static const char __user *get_arg_ptr(struct user_arg_ptr argv, int nr)
{
	const char __user *p;

	if (argv.is_kernel)
		return (const char __user *)argv.kernel[nr];
	if (get_user(p, argv.user + nr))
		return ERR_PTR(-EFAULT);
	return p;
}

/* How many strings the NULL-terminated array holds; -E2BIG past max. */
static int count_strings(struct user_arg_ptr argv, int max)
{
	int i = 0;

	if (!argv.user)
		return 0;
	for (;;) {
		const char __user *p = get_arg_ptr(argv, i);

		if (IS_ERR(p))
			return -EFAULT;
		if (!p)
			return i;
		if (i >= max)
			return -E2BIG;
		i++;
		if (fatal_signal_pending(current))
			return -ERESTARTNOHAND;
		cond_resched();
	}
}

/* Room for len more bytes of strings, growing the buffer by doubling. */
static int reserve_strings(struct linux_binprm *bprm, size_t len)
{
	size_t need = bprm->strings_len + len, cap = bprm->strings ? ksize(bprm->strings) : 0;
	char *bigger;

	if (need > bprm->strings_limit)
		return -E2BIG;
	if (need <= cap)
		return 0;
	cap = max_t(size_t, cap * 2, PAGE_SIZE);
	while (cap < need)
		cap *= 2;
	bigger = kmalloc(cap, GFP_KERNEL);
	if (!bigger)
		return -ENOMEM;
	if (bprm->strings)
		memcpy(bigger, bprm->strings, bprm->strings_len);
	kfree(bprm->strings);
	bprm->strings = bigger;
	return 0;
}

static int copy_string_kernel(const char *s, struct linux_binprm *bprm)
{
	size_t len = strlen(s) + 1;
	int err;

	if (len > MAX_ARG_STRLEN)
		return -E2BIG;
	err = reserve_strings(bprm, len);
	if (err)
		return err;
	memcpy(bprm->strings + bprm->strings_len, s, len);
	bprm->strings_len += len;
	return 0;
}

static int copy_strings(int count, struct user_arg_ptr argv, struct linux_binprm *bprm)
{
	for (int i = 0; i < count; i++) {
		const char __user *str = get_arg_ptr(argv, i);
		long len;
		int err;

		if (IS_ERR(str))
			return -EFAULT;
		if (argv.is_kernel) {
			err = copy_string_kernel((const char *)str, bprm);
			if (err)
				return err;
			continue;
		}
		len = strnlen_user(str, MAX_ARG_STRLEN);
		if (!len)
			return -EFAULT;
		if (len > MAX_ARG_STRLEN)
			return -E2BIG;
		err = reserve_strings(bprm, len);
		if (err)
			return err;
		if (copy_from_user(bprm->strings + bprm->strings_len, str, len))
			return -EFAULT;
		/* The string may have changed since it was measured: end it where measured. */
		bprm->strings[bprm->strings_len + len - 1] = '\0';
		bprm->strings_len += len;
		if (fatal_signal_pending(current))
			return -ERESTARTNOHAND;
		cond_resched();
	}
	return 0;
}

/*
 * Linux's limit on the strings: a quarter of the stack limit (at most three quarters of
 * _STK_LIM, at least ARG_MAX), less the pointers to them. Linux copies them onto the new
 * stack, below a word at its top, and that stack may not grow past RLIMIT_STACK (its
 * first page is there already): a bound of its own when the limit is small.
 */
static int bprm_stack_limits(struct linux_binprm *bprm)
{
	unsigned long limit = _STK_LIM / 4 * 3, ptr_size, rlim_stack = _STK_LIM;

	if (current->signal)
		rlim_stack = current->signal->rlim[RLIMIT_STACK].rlim_cur;
	limit = min(limit, rlim_stack / 4);
	limit = max_t(unsigned long, limit, ARG_MAX);
	ptr_size = (max(bprm->argc, 1) + bprm->envc) * sizeof(void *);
	if (limit <= ptr_size)
		return -E2BIG;
	rlim_stack = max(rlim_stack & PAGE_MASK, PAGE_SIZE) - sizeof(void *);
	bprm->strings_limit = min(limit - ptr_size, rlim_stack);
	return 0;
}

struct file *open_exec(const char *name)
{
	struct vfs_ctx ctx;
	struct file *file;
	struct inode *inode;
	int err;

	get_current_vfs_ctx(&ctx);
	file = filp_open(&ctx, name, O_RDONLY, 0);
	if (IS_ERR(file))
		goto out;
	inode = file->f_inode;
	err = -EACCES;
	if (!S_ISREG(inode->i_mode))
		goto fail;
	err = inode_permission(&ctx, inode, MAY_EXEC);
	if (err)
		goto fail;
	/* Not while someone writes it; nobody may write it until exec is done with it. */
	err = deny_write_access(file);
	if (err)
		goto fail;
out:
	put_vfs_ctx(&ctx);
	return file;
fail:
	fput(file);
	file = ERR_PTR(err);
	goto out;
}

int prepare_binprm(struct linux_binprm *bprm)
{
	loff_t pos = 0;
	ssize_t n;

	memset(bprm->buf, 0, BINPRM_BUF_SIZE);
	n = kernel_read(bprm->file, bprm->buf, BINPRM_BUF_SIZE, &pos);
	return n < 0 ? (int)n : 0;
}

int bprm_set_interp(struct linux_binprm *bprm, const char *interp)
{
	size_t len = strlen(interp) + 1;
	char *copy = kmalloc(len, GFP_KERNEL);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, interp, len);
	if (bprm->interp != bprm->filename)
		kfree(bprm->interp);
	bprm->interp = copy;
	return 0;
}

int bprm_replace_argv0(struct linux_binprm *bprm, const char *const *args, int n)
{
	size_t old0 = strlen(bprm->strings) + 1, add = 0, rest;
	char *dst;
	int err;

	for (int i = 0; i < n; i++)
		add += strlen(args[i]) + 1;
	if (add > old0) {
		err = reserve_strings(bprm, add - old0);
		if (err)
			return err;
	}
	rest = bprm->strings_len - old0;
	memmove(bprm->strings + add, bprm->strings + old0, rest);
	dst = bprm->strings;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(args[i]) + 1;

		memcpy(dst, args[i], len);
		dst += len;
	}
	bprm->strings_len = add + rest;
	bprm->argc += n - 1;
	return 0;
}

/*
 * Make mm current's address space. The old one's users learn of it (CLONE_CHILD_CLEARTID,
 * a vfork parent) through mm_release before it goes.
 */
static void exec_mmap(struct mm_struct *mm)
{
	struct task_struct *tsk = current;
	struct mm_struct *old_mm = tsk->mm, *active_mm;
	unsigned long flags;

	if (old_mm) {
		mm_release(tsk, old_mm);
		/* The process's peak so far is kept across the exec (ru_maxrss). */
		spin_lock_irqsave(&tsk->sighand->siglock, flags);
		setmax_mm_hiwater_rss(&tsk->signal->maxrss, old_mm);
		spin_unlock_irqrestore(&tsk->sighand->siglock, flags);
	}
	task_lock(tsk);
	local_irq_save(flags);
	active_mm = tsk->active_mm;
	tsk->mm = mm;
	tsk->active_mm = mm;
	switch_mm(active_mm, mm, tsk);
	local_irq_restore(flags);
	task_unlock(tsk);
	if (old_mm)
		mmput(old_mm);
}

int begin_new_exec(struct linux_binprm *bprm)
{
	struct task_struct *me = current;
	const char *base = strrchr(bprm->filename, '/');
	int err;

	bprm->point_of_no_return = true;
	err = de_thread(me);
	if (err)
		return err;
	/* Handlers shared with another process (CLONE_SIGHAND) are about to be reset. */
	err = unshare_sighand(me);
	if (err)
		return err;
	/* The new image keeps its file from writers for as long as it runs. */
	err = set_mm_exe_file(bprm->mm, bprm->file);
	if (err)
		return err;
	exec_mmap(bprm->mm);
	bprm->mm = NULL;

	/* A kernel thread exec'ing (kernel_init) becomes a user process here. */
	me->flags &= ~(PF_KTHREAD | PF_FORKNOEXEC);
	set_task_comm(me, base ? base + 1 : bprm->filename);
	me->sas_ss_sp = 0;
	me->sas_ss_size = 0;
	me->sas_ss_flags = SS_DISABLE;
	flush_signal_handlers(me, 0);
	do_close_on_exec(me->files);
	fpsimd_flush_thread();
	return 0;
}

/* Ask each format in turn whether it knows the file. */
static int search_binary_handler(struct linux_binprm *bprm)
{
	int err = prepare_binprm(bprm);

	if (err)
		return err;
	for (unsigned int i = 0; i < ARRAY_SIZE(formats); i++) {
		err = formats[i]->load_binary(bprm);
		if (err != -ENOEXEC || bprm->point_of_no_return)
			return err;
	}
	return -ENOEXEC;
}

/* A #! script names an interpreter, which may be a script in turn, a few levels deep. */
static int exec_binprm(struct linux_binprm *bprm)
{
	for (int depth = 0;; depth++) {
		int err;

		if (depth > MAX_INTERP_DEPTH)
			return -ELOOP;
		err = search_binary_handler(bprm);
		if (err < 0 || !bprm->interpreter)
			return err;
		allow_write_access(bprm->file);
		fput(bprm->file);
		bprm->file = bprm->interpreter;
		bprm->interpreter = NULL;
	}
}

static int bprm_execve(struct linux_binprm *bprm)
{
	/* close-on-exec must not close another process's descriptors (CLONE_FILES). */
	int err = unshare_files();

	if (!err)
		err = exec_binprm(bprm);

	/* Past the point of no return there is no old image to go back to. */
	if (err < 0 && bprm->point_of_no_return)
		force_fatal_sig(SIGSEGV);
	return err;
}

static void free_bprm(struct linux_binprm *bprm)
{
	if (bprm->mm)
		mmput(bprm->mm);
	if (bprm->file) {
		allow_write_access(bprm->file);
		fput(bprm->file);
	}
	if (bprm->interpreter) {
		allow_write_access(bprm->interpreter);
		fput(bprm->interpreter);
	}
	if (bprm->interp != bprm->filename)
		kfree(bprm->interp);
	kfree(bprm->strings);
}

static int do_execveat_common(const char *filename, struct user_arg_ptr argv,
			      struct user_arg_ptr envp)
{
	struct linux_binprm bprm = { .filename = filename, .interp = filename };
	int err;

	err = check_nproc_exceeded();
	if (err)
		return err;
	bprm.file = open_exec(filename);
	if (IS_ERR(bprm.file)) {
		err = PTR_ERR(bprm.file);
		bprm.file = NULL;
		goto out;
	}
	err = -ENOMEM;
	bprm.mm = mm_alloc();
	if (!bprm.mm)
		goto out;
	err = count_strings(argv, MAX_ARG_STRINGS);
	if (err < 0)
		goto out;
	bprm.argc = err;
	err = count_strings(envp, MAX_ARG_STRINGS);
	if (err < 0)
		goto out;
	bprm.envc = err;
	err = bprm_stack_limits(&bprm);
	if (err)
		goto out;
	/* The name for AT_EXECFN counts against the limit too, as on Linux. */
	bprm.strings_limit -= min(bprm.strings_limit, strlen(filename) + 1);
	err = copy_strings(bprm.argc, argv, &bprm);
	if (err)
		goto out;
	err = copy_strings(bprm.envc, envp, &bprm);
	if (err)
		goto out;
	/* Linux gives a program started with an empty argv an empty argv[0]. */
	if (bprm.argc == 0) {
		err = reserve_strings(&bprm, 1);
		if (err)
			goto out;
		memmove(bprm.strings + 1, bprm.strings, bprm.strings_len);
		bprm.strings[0] = '\0';
		bprm.strings_len++;
		bprm.argc = 1;
	}
	err = bprm_execve(&bprm);
out:
	free_bprm(&bprm);
	return err;
}

int kernel_execve(const char *filename, const char *const *argv, const char *const *envp)
{
	struct user_arg_ptr a = { .is_kernel = true, .kernel = argv };
	struct user_arg_ptr e = { .is_kernel = true, .kernel = envp };

	return do_execveat_common(filename, a, e);
}

SYSCALL_DEFINE3(execve, const char __user *, filename,
		const char __user *const __user *, argv,
		const char __user *const __user *, envp)
{
	struct user_arg_ptr a = { .user = argv }, e = { .user = envp };
	char *name = kmalloc(PATH_MAX, GFP_KERNEL);
	long len, err;

	if (!name)
		return -ENOMEM;
	len = strncpy_from_user(name, filename, PATH_MAX);
	if (len < 0)
		err = len;
	else if (len == PATH_MAX)
		err = -ENAMETOOLONG;
	else if (!len)
		err = -ENOENT;
	else
		err = do_execveat_common(name, a, e);
	kfree(name);
	return err;
}
