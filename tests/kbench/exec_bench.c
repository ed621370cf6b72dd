// SPDX-License-Identifier: MIT
/*
 * exec of a static binary (/bin/busybox from the initrd; nothing to measure without
 * one): the time execve takes to build the new image, and that time plus touching every
 * page of it once, the most the program could fault in afterwards. The exec'ing thread
 * never enters user space: it execs again, then exits.
 */
#include <kairos/binfmts.h>
#include <kairos/completion.h>
#include <kairos/fs.h>
#include <kairos/kbench.h>
#include <kairos/mm_types.h>
#include <kairos/sched.h>
#include <kairos/time.h>
#include <kairos/uaccess.h>

#define EXEC_ROUNDS	50
#define EXEC_PATH	"/bin/busybox"

struct exec_bench {
	bool touch;
	int err;
	u64 ns;
	struct completion done;
};

/* Read a byte of every page mapped below the stack (the ELF segments and their bss). */
static void touch_image(void)
{
	struct mm_struct *mm = current->mm;
	unsigned long addr = 0;

	for (;;) {
		struct vm_area_struct *vma;
		unsigned long start, end;
		u8 v __maybe_unused;

		mmap_read_lock(mm);
		vma = find_vma(mm, addr);
		if (vma && (vma->vm_flags & VM_GROWSDOWN))
			vma = NULL;
		start = vma ? max(addr, vma->vm_start) : 0;
		end = vma ? vma->vm_end : 0;
		mmap_read_unlock(mm);
		if (!vma)
			return;
		for (addr = start; addr < end; addr += PAGE_SIZE)
			get_user(v, (u8 __user *)addr);
	}
}

static int exec_bench_fn(void *arg)
{
	static const char *const argv[] = { "true", NULL }, *const envp[] = { NULL };
	struct exec_bench *b = arg;
	u64 t0;

	/* What console_on_rootfs gives PID 1: exec needs a root and an fd table. */
	if (!current->files)
		current->files = alloc_files();
	if (!current->fs) {
		current->fs = &init_fs;
		atomic_inc(&init_fs.users);
	}
	t0 = ktime_get_ns();

	for (int i = 0; i < EXEC_ROUNDS && !b->err; i++) {
		b->err = kernel_execve(EXEC_PATH, argv, envp);
		if (b->touch)
			touch_image();
	}
	b->ns = (ktime_get_ns() - t0) / EXEC_ROUNDS;
	complete(&b->done);
	do_exit(0);
}

static void run_exec_bench(bool touch, const char *metric)
{
	static struct exec_bench b;

	b = (struct exec_bench){ .touch = touch };
	init_completion(&b.done);
	if (kernel_thread(exec_bench_fn, &b, 0) < 0)
		return;
	wait_for_completion(&b.done);
	if (!b.err)
		kbench_report(metric, b.ns / 1000, "us");
}

KBENCH(exec_busybox)
{
	struct vfs_ctx ctx;
	struct file *f;

	get_init_vfs_ctx(&ctx);
	f = filp_open(&ctx, EXEC_PATH, O_RDONLY, 0);
	put_vfs_ctx(&ctx);
	if (IS_ERR(f))
		return;
	fput(f);
	run_exec_bench(false, "execve");
	run_exec_bench(true, "execve_touch_all");
}
