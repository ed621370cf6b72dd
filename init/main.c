// SPDX-License-Identifier: MIT
/*
 * start_kernel brings the boot CPU up in dependency order; rest_init then makes the first
 * tasks as the seed's "System Startup" draws: kernel_init (PID 1), which finishes booting
 * (the other CPUs, the per-CPU threads) and will become user-space init, and kthreadd
 * (PID 2), parent of every other kernel thread; the boot task becomes swapper/0.
 */
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/sysreg.h>
#include <kairos/binfmts.h>
#include <kairos/bug.h>
#include <kairos/err.h>
#include <kairos/completion.h>
#include <kairos/fs.h>
#include <kairos/futex.h>
#include <kairos/interrupt.h>
#include <kairos/irq.h>
#include <kairos/kbench.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>
#include <kairos/mm.h>
#include <kairos/pid.h>
#include <kairos/printk.h>
#include <kairos/psci.h>
#include <kairos/random.h>
#include <kairos/sched.h>
#include <kairos/setup.h>
#include <kairos/slab.h>
#include <kairos/smp.h>
#include <kairos/stop_machine.h>
#include <kairos/time.h>
#include <kairos/tty.h>
#include <uapi/sched.h>

void paging_init_late(void);
void fork_init(void);
extern u64 boot_cpu_el;

static DECLARE_COMPLETION(kthreadd_done);
static bool sched_debug;

/* "sched_debug": print the run queues and every task's scheduling state after boot. */
static int __init sched_debug_setup(const char *val)
{
	sched_debug = true;
	return 0;
}
early_param("sched_debug", sched_debug_setup);

static void __init print_cpu_banner(void)
{
	unsigned int cpu;
	u64 t0 = ktime_get_ns();

	/* Give every CPU a few ticks, so the banner shows each one ticking. */
	while (ktime_get_ns() - t0 < 3 * TICK_NSEC)
		cpu_relax();
	pr_notice("Kairos: %u of %u CPUs online, HZ=%u\n", num_online_cpus(), nr_cpu_ids, HZ);
	for_each_online_cpu(cpu)
		pr_notice("  CPU%-2u MPIDR 0x%04lx  ticks %lu  irqs %lu\n", cpu,
			  (unsigned long)cpu_logical_map(cpu), cpu_tick_count(cpu), irq_count(cpu));
}

/* What PID 1 executes: rdinit= from the initramfs (default /init), else init=, else the
 * usual places, as Linux tries them. */
static const char *ramdisk_execute_command = "/init";
static const char *execute_command;
static const char *argv_init[] = { "init", NULL };
static const char *const envp_init[] = { "HOME=/", "TERM=linux", NULL };

static int __init rdinit_setup(const char *val)
{
	ramdisk_execute_command = val;
	return 0;
}
early_param("rdinit", rdinit_setup);

static int __init init_setup(const char *val)
{
	execute_command = val;
	return 0;
}
early_param("init", init_setup);

/* fds 0, 1 and 2 of init: the console, if there is one (else init starts without). */
static void __init console_on_rootfs(void)
{
	struct vfs_ctx ctx;
	struct file *file;
	int fd;

	get_current_vfs_ctx(&ctx);
	file = filp_open(&ctx, "/dev/console", O_RDWR, 0);
	put_vfs_ctx(&ctx);
	if (IS_ERR(file)) {
		pr_err("Warning: unable to open an initial console.\n");
		return;
	}
	fd = alloc_fd(current->files, 0, 3, 0);
	BUG_ON(fd != 0);
	fd_install(current->files, fd, file);
	BUG_ON(ksys_dup(current->files, 0, 3) != 1);
	BUG_ON(ksys_dup(current->files, 0, 3) != 2);
}

static bool __init try_to_run_init_process(const char *filename)
{
	int err;

	argv_init[0] = filename;
	pr_info("Run %s as init process\n", filename);
	err = kernel_execve(filename, argv_init, envp_init);
	if (err && err != -ENOENT)
		pr_err("Starting init: %s exists but couldn't execute it (error %d)\n",
		       filename, err);
	return !err;
}

static int kernel_init(void *unused)
{
	wait_for_completion(&kthreadd_done);
	smp_init();
	/* Forked from the boot CPU's idle task, PID 1 may now run anywhere. */
	set_cpus_allowed_ptr(current, &cpu_possible_mask);
	spawn_ksoftirqd();
	cpu_stop_init();
	sched_init_smp();
	print_cpu_banner();
	if (sched_debug)
		sched_show_state();
	populate_rootfs();
	tty_init();
	ktest_run_from_cmdline();
	kbench_run_from_cmdline();
	console_on_rootfs();

	/* The seed's "transform": PID 1 becomes user space; ret_from_fork enters it. */
	if (ramdisk_execute_command && try_to_run_init_process(ramdisk_execute_command))
		return 0;
	if (execute_command) {
		if (try_to_run_init_process(execute_command))
			return 0;
		panic("Requested init %s failed.", execute_command);
	}
	if (try_to_run_init_process("/sbin/init") || try_to_run_init_process("/etc/init") ||
	    try_to_run_init_process("/bin/init") || try_to_run_init_process("/bin/sh"))
		return 0;
	panic("No working init found.  Try passing init= option to kernel.");
}

void __noreturn rest_init(void)
{
	unsigned long flags;
	int pid;

	/* Kernel threads share swapper's root and cwd: init's chroot and chdir are theirs. */
	pid = kernel_thread(kernel_init, NULL, CLONE_FS);
	BUG_ON(pid != 1);
	pid = kernel_thread(kthreadd, NULL, CLONE_FS | CLONE_FILES);
	BUG_ON(pid != 2);
	spin_lock_irqsave(&tasklist_lock, flags);
	kthreadd_task = find_task_by_vpid(pid);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	complete(&kthreadd_done);
	/* The boot task is swapper/0 from here on: idle, preemption off. */
	schedule_idle();
	cpu_startup_entry();
}

void __init start_kernel(void)
{
	setup_arch();
	pr_notice("Kairos (MIT) booting on CPU0, MIDR %#lx, entered at EL%lu\n",
		  (unsigned long)read_sysreg(midr_el1), (unsigned long)boot_cpu_el);
	pr_notice("Command line: %s\n", boot_command_line);
	smp_init_cpus();
	setup_per_cpu_areas();
	page_alloc_init();
	paging_init_late();
	kmalloc_init();
	futex_init();
	fork_init();
	call_function_init();
	sched_init();
	init_IRQ();
	psci_init();
	hrtimers_init();
	time_init();
	timekeeping_init();
	random_init();
	local_irq_enable();
	rest_init();
}
