// SPDX-License-Identifier: MIT
/*
 * The per-process directories: /proc/PID for every thread-group leader the mount's PID
 * namespace sees (and, found by lookup only, any thread by its TID, as Linux has it),
 * /proc/PID/task/TID for each thread, and the files in both, from tables of entries in
 * Linux's order. Every number goes through the namespace accessors of kairos/pid.h.
 */
#include <kairos/cputime.h>
#include <kairos/mm_types.h>
#include <kairos/proc_fs.h>
#include <kairos/resource.h>
#include <kairos/slab.h>
#include <kairos/sprintf.h>
#include <kairos/string.h>
#include "internal.h"

/* Readdir positions in the root: its fixed files first, then these. */
#define FIRST_PROCESS_ENTRY	256
#define TGID_OFFSET		(FIRST_PROCESS_ENTRY + 2)	/* after self, thread-self */

bool proc_may_access(struct task_struct *task)
{
	return task == current || same_thread_group(task, current) ||
	       cred_ids_match(current_cred(), &task->cred) || capable(CAP_SYS_PTRACE);
}

/* A decimal number as a /proc name: no sign, no leading zeros; -1 if not one. */
static int name_to_int(const struct qstr *qstr)
{
	const char *name = qstr->name;
	unsigned int len = qstr->len;
	int n = 0;

	if (len == 0 || len > 10 || (len > 1 && name[0] == '0'))
		return -1;
	for (unsigned int i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		if (n > (0x7fffffff - (name[i] - '0')) / 10)
			return -1;
		n = n * 10 + name[i] - '0';
	}
	return n;
}

static struct task_struct *get_task_by_nr(int nr, struct pid_namespace *ns)
{
	struct task_struct *task;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	task = find_task_by_pid_ns(nr, ns);
	if (task)
		get_task_struct(task);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return task;
}

/* cmdline and environ: bytes of the process's memory, NULs and all. */
static int show_mm_range(struct seq_file *m, struct task_struct *task, bool env)
{
	struct mm_struct *mm = get_task_mm(task);
	unsigned long start, end;
	char *buf;
	int len;

	if (!mm)
		return 0;
	start = env ? mm->env_start : mm->arg_start;
	end = env ? mm->env_end : mm->arg_end;
	buf = end > start ? kmalloc(end - start, GFP_KERNEL) : NULL;
	if (buf) {
		len = access_remote_vm(mm, start, buf, end - start);
		/*
		 * A process that wrote over its arguments (setproctitle) without a final
		 * NUL shows what it wrote, up to the first NUL: Linux's rule.
		 */
		if (!env && len > 0 && buf[len - 1])
			len = strnlen(buf, len);
		seq_write(m, buf, len);
		kfree(buf);
	}
	mmput(mm);
	return buf || end <= start ? 0 : -ENOMEM;
}

static int proc_pid_cmdline(struct seq_file *m, struct pid_namespace *ns,
			    struct task_struct *task)
{
	return show_mm_range(m, task, false);
}

static int proc_pid_environ(struct seq_file *m, struct pid_namespace *ns,
			    struct task_struct *task)
{
	return show_mm_range(m, task, true);
}

/* The auxiliary vector exec gave it, to AT_NULL, as the binary words (nothing for a
 * kernel thread). */
static int proc_pid_auxv(struct seq_file *m, struct pid_namespace *ns,
			 struct task_struct *task)
{
	struct mm_struct *mm = get_task_mm(task);
	unsigned int nwords = 0;

	if (!mm)
		return 0;
	do
		nwords += 2;
	while (mm->saved_auxv[nwords - 2] && nwords < AT_VECTOR_SIZE);
	seq_write(m, mm->saved_auxv, nwords * sizeof(mm->saved_auxv[0]));
	mmput(mm);
	return 0;
}

static int proc_pid_comm(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task)
{
	char comm[TASK_COMM_LEN];

	get_task_comm(comm, task);
	seq_printf(m, "%s\n", comm);
	return 0;
}

/* Only the task's own threads may rename it; the name is what fits, bytes as written. */
static ssize_t proc_comm_write(struct task_struct *task, const char *buf, size_t count)
{
	char comm[TASK_COMM_LEN] = {};

	if (!same_thread_group(current, task))
		return -EINVAL;
	memcpy(comm, buf, min_t(size_t, count, TASK_COMM_LEN - 1));
	set_task_comm(task, comm);
	return count;
}

static const struct limit_names {
	const char *name;
	const char *unit;
} lnames[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { "Max cpu time", "seconds" },
	[RLIMIT_FSIZE] = { "Max file size", "bytes" },
	[RLIMIT_DATA] = { "Max data size", "bytes" },
	[RLIMIT_STACK] = { "Max stack size", "bytes" },
	[RLIMIT_CORE] = { "Max core file size", "bytes" },
	[RLIMIT_RSS] = { "Max resident set", "bytes" },
	[RLIMIT_NPROC] = { "Max processes", "processes" },
	[RLIMIT_NOFILE] = { "Max open files", "files" },
	[RLIMIT_MEMLOCK] = { "Max locked memory", "bytes" },
	[RLIMIT_AS] = { "Max address space", "bytes" },
	[RLIMIT_LOCKS] = { "Max file locks", "locks" },
	[RLIMIT_SIGPENDING] = { "Max pending signals", "signals" },
	[RLIMIT_MSGQUEUE] = { "Max msgqueue size", "bytes" },
	[RLIMIT_NICE] = { "Max nice priority", NULL },
	[RLIMIT_RTPRIO] = { "Max realtime priority", NULL },
	[RLIMIT_RTTIME] = { "Max realtime timeout", "us" },
};

static int proc_pid_limits(struct seq_file *m, struct pid_namespace *ns,
			   struct task_struct *task)
{
	struct rlimit rlim[RLIM_NLIMITS];
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	if (!task->sighand) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return 0;
	}
	spin_lock(&task->sighand->siglock);
	memcpy(rlim, task->signal->rlim, sizeof(rlim));
	spin_unlock(&task->sighand->siglock);
	spin_unlock_irqrestore(&tasklist_lock, flags);

	seq_printf(m, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		if (rlim[i].rlim_cur == RLIM_INFINITY)
			seq_printf(m, "%-25s %-20s ", lnames[i].name, "unlimited");
		else
			seq_printf(m, "%-25s %-20lu ", lnames[i].name, rlim[i].rlim_cur);
		if (rlim[i].rlim_max == RLIM_INFINITY)
			seq_printf(m, "%-20s ", "unlimited");
		else
			seq_printf(m, "%-20lu ", rlim[i].rlim_max);
		if (lnames[i].unit)
			seq_printf(m, "%-10s\n", lnames[i].unit);
		else
			seq_putc(m, '\n');
	}
	return 0;
}

/*
 * exe, cwd, root and fd/N lead to what the task has: followed, to that file itself
 * (nd_jump_link), so that a deleted file or a pipe can be opened through them; read,
 * they give its name as d_path writes it. Both need ptrace read access (EACCES).
 */
static int proc_pid_link_path(struct inode *inode, struct path *path)
{
	struct task_struct *task = get_proc_task(inode);
	int err = -EACCES;

	if (!task)
		return -ENOENT;
	if (proc_may_access(task))
		err = PROC_I(inode)->entry->get_path(inode, task, path);
	put_task_struct(task);
	return err;
}

static const char *proc_pid_get_link(struct dentry *dentry, struct inode *inode,
				     struct delayed_call *done)
{
	struct path path;
	int err = proc_pid_link_path(inode, &path);

	if (err)
		return ERR_PTR(err);
	nd_jump_link(&path);
	return NULL;
}

static int proc_pid_readlink(struct dentry *dentry, char *buf, int size)
{
	char *tmp = kmalloc(PATH_MAX, GFP_KERNEL), *name;
	struct path path;
	int len;

	if (!tmp)
		return -ENOMEM;
	len = proc_pid_link_path(dentry->d_inode, &path);
	if (!len) {
		name = d_path(&path, tmp, PATH_MAX);
		path_put(&path);
		if (IS_ERR(name)) {
			len = PTR_ERR(name);
		} else {
			len = min((int)strlen(name), size);
			memcpy(buf, name, len);
		}
	}
	kfree(tmp);
	return len;
}

const struct inode_operations proc_pid_path_link_inode_operations = {
	.get_link = proc_pid_get_link,
	.readlink = proc_pid_readlink,
};

static int proc_exe_link(struct inode *inode, struct task_struct *task, struct path *path)
{
	struct mm_struct *mm = get_task_mm(task);
	int err = -ENOENT;

	if (!mm)
		return err;
	if (mm->exe_file) {
		*path = mm->exe_file->f_path;
		path_get(path);
		err = 0;
	}
	mmput(mm);
	return err;
}

static int fs_link(struct task_struct *task, bool root, struct path *path)
{
	int err = -ENOENT;

	task_lock(task);
	if (task->fs) {
		spin_lock(&task->fs->lock);
		*path = root ? task->fs->root : task->fs->pwd;
		path_get(path);
		spin_unlock(&task->fs->lock);
		err = 0;
	}
	task_unlock(task);
	return err;
}

static int proc_cwd_link(struct inode *inode, struct task_struct *task, struct path *path)
{
	return fs_link(task, false, path);
}

static int proc_root_link(struct inode *inode, struct task_struct *task, struct path *path)
{
	return fs_link(task, true, path);
}

/* The task's fd table with a reference, or NULL. */
static struct files_struct *get_files_struct(struct task_struct *task)
{
	struct files_struct *files;

	task_lock(task);
	files = task->files;
	if (files)
		atomic_inc(&files->count);
	task_unlock(task);
	return files;
}

static struct file *get_task_file(struct task_struct *task, int fd)
{
	struct files_struct *files = get_files_struct(task);
	struct file *file;

	if (!files)
		return NULL;
	file = fget(files, fd);
	put_files_struct(files);
	return file;
}

static int proc_fd_link(struct inode *inode, struct task_struct *task, struct path *path)
{
	struct file *file = get_task_file(task, PROC_I(inode)->fd);

	if (!file)
		return -ENOENT;
	*path = file->f_path;
	path_get(path);
	fput(file);
	return 0;
}

static const struct pid_entry proc_fd_entry = PATH_LNK("fd", proc_fd_link);

/* fd/N's mode: how N is open. */
static umode_t fd_link_mode(const struct file *file)
{
	return S_IFLNK | (file->f_mode & FMODE_READ ? 0500 : 0100) |
	       (file->f_mode & FMODE_WRITE ? 0200 : 0);
}

/* fd/N stands for N while N is open the same way; closed or reopened, it is looked up
 * again. */
static int fd_revalidate(struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;
	struct task_struct *task = get_proc_task(inode);
	struct file *file = task ? get_task_file(task, PROC_I(inode)->fd) : NULL;
	int valid = file && fd_link_mode(file) == inode->i_mode;

	if (file)
		fput(file);
	if (task)
		put_task_struct(task);
	return valid;
}

static const struct dentry_operations fd_dentry_operations = {
	.d_revalidate = fd_revalidate,
};

/* fd/N: a link to what N is open on, its mode telling how it is open. */
static int proc_fd_lookup(struct inode *dir, struct dentry *dentry)
{
	struct task_struct *task = get_proc_task(dir);
	int fd = name_to_int(&dentry->d_name);
	struct file *file;
	struct inode *inode;

	if (!task)
		return -ENOENT;
	file = fd >= 0 ? get_task_file(task, fd) : NULL;
	if (!file) {
		put_task_struct(task);
		return -ENOENT;
	}
	inode = proc_make_inode(dir->i_sb, task, fd_link_mode(file));
	fput(file);
	put_task_struct(task);
	if (!inode)
		return -ENOMEM;
	PROC_I(inode)->fd = fd;
	PROC_I(inode)->entry = &proc_fd_entry;
	inode->i_op = &proc_pid_path_link_inode_operations;
	dentry->d_op = &fd_dentry_operations;
	d_add(dentry, inode);
	return 0;
}

/* Positions: 2 + fd. */
static int proc_fd_readdir(struct file *file, struct dir_context *ctx)
{
	struct task_struct *task = get_proc_task(file->f_inode);
	struct files_struct *files;

	if (!task)
		return -ENOENT;
	if (!proc_may_access(task)) {
		put_task_struct(task);
		return -EACCES;
	}
	files = get_files_struct(task);
	put_task_struct(task);
	if (!proc_dir_emit_dots(file, ctx) || !files)
		goto out;
	for (;;) {
		unsigned int fd = ctx->pos - 2;
		char name[12];
		int len;

		spin_lock(&files->file_lock);
		while (fd < files->fdt.max_fds && !files->fdt.fd[fd])
			fd++;
		spin_unlock(&files->file_lock);
		if (fd >= files->fdt.max_fds)
			break;
		len = snprintf(name, sizeof(name), "%u", fd);
		if (!ctx->actor(ctx, name, len, fd + 3, fd + 3, DT_LNK))
			break;
		ctx->pos = fd + 3;
	}
out:
	if (files)
		put_files_struct(files);
	return 0;
}

static const struct inode_operations proc_fd_inode_operations = {
	.lookup = proc_fd_lookup,
};

static const struct file_operations proc_fd_operations = {
	.llseek = dcache_dir_lseek,
	.read_iter = generic_read_dir,
	.iterate = proc_fd_readdir,
};

static int proc_pid_sched(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task)
{
	proc_sched_show_task(task, ns, m);
	return 0;
}

/* Time on the CPU, time waiting for it (ns), and how many times it got it. */
static int proc_pid_schedstat(struct seq_file *m, struct pid_namespace *ns,
			      struct task_struct *task)
{
	seq_printf(m, "%llu %llu %lu\n", (unsigned long long)task_sched_runtime(task),
		   (unsigned long long)READ_ONCE(task->wait_sum),
		   READ_ONCE(task->nvcsw) + READ_ONCE(task->nivcsw) + task_is_running(task));
	return 0;
}

/* The mounts seen from the reader: there is one mount tree. */
static int proc_pid_mounts(struct seq_file *m, struct pid_namespace *ns,
			   struct task_struct *task)
{
	return show_mounts(m, false);
}

static int proc_pid_mountinfo(struct seq_file *m, struct pid_namespace *ns,
			      struct task_struct *task)
{
	return show_mounts(m, true);
}

/*
 * Bytes and calls of the read and write families (fs/read_write.c): the thread's own,
 * or for the process its threads' with those of its released threads and reaped
 * children. read_bytes, write_bytes and cancelled_write_bytes count block-device I/O,
 * which Kairos has none of: 0.
 */
static int do_io_accounting(struct seq_file *m, struct task_struct *task, bool whole)
{
	struct task_io_accounting acct = task->ioac;
	unsigned long flags;
	struct task_struct *t;

	if (!proc_may_access(task))
		return -EACCES;
	if (whole) {
		spin_lock_irqsave(&tasklist_lock, flags);
		if (task->sighand) {
			spin_lock(&task->sighand->siglock);
			acct = task->signal->ioac;
			for_each_thread(task, t)
				task_io_accounting_add(&acct, &t->ioac);
			spin_unlock(&task->sighand->siglock);
		}
		spin_unlock_irqrestore(&tasklist_lock, flags);
	}
	seq_printf(m, "rchar: %llu\nwchar: %llu\nsyscr: %llu\nsyscw: %llu\n"
		   "read_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0\n",
		   (unsigned long long)acct.rchar, (unsigned long long)acct.wchar,
		   (unsigned long long)acct.syscr, (unsigned long long)acct.syscw);
	return 0;
}

static int proc_tid_io_accounting(struct seq_file *m, struct pid_namespace *ns,
				  struct task_struct *task)
{
	return do_io_accounting(m, task, false);
}

static int proc_tgid_io_accounting(struct seq_file *m, struct pid_namespace *ns,
				   struct task_struct *task)
{
	return do_io_accounting(m, task, true);
}

/* The files of a thread: task/TID/. */
static const struct pid_entry tid_base_stuff[] = {
	DIR("fd", 0500, &proc_fd_inode_operations, &proc_fd_operations),
	FIXED_DIR_MODE("ns", 0511, proc_ns_entries),
	MEM("environ", 0400, proc_pid_environ),
	MEM("auxv", 0400, proc_pid_auxv),
	ONE("status", 0444, proc_pid_status),
	ONE("limits", 0444, proc_pid_limits),
	ONE("sched", 0444, proc_pid_sched),
	NOD("comm", S_IFREG | 0644, NULL, &proc_single_file_operations,
	    .show = proc_pid_comm, .write = proc_comm_write),
	ONE("cmdline", 0444, proc_pid_cmdline),
	ONE("stat", 0444, proc_tid_stat),
	ONE("statm", 0444, proc_pid_statm),
	ONE("maps", 0444, proc_pid_maps),
	PATH_LNK("cwd", proc_cwd_link),
	PATH_LNK("root", proc_root_link),
	PATH_LNK("exe", proc_exe_link),
	ONE("mounts", 0444, proc_pid_mounts),
	ONE("mountinfo", 0444, proc_pid_mountinfo),
	ONE("schedstat", 0444, proc_pid_schedstat),
	ONE("io", 0400, proc_tid_io_accounting),
};

static const struct pid_entry proc_tid_entry = FIXED_DIR("", tid_base_stuff);

/* task/: the group's threads, by TID. */
static int proc_task_lookup(struct inode *dir, struct dentry *dentry)
{
	struct task_struct *leader = get_proc_task(dir), *task;
	struct pid_namespace *ns = proc_pid_ns(dir->i_sb);
	int tid = name_to_int(&dentry->d_name), err = -ENOENT;

	if (!leader)
		return -ENOENT;
	task = tid >= 0 ? get_task_by_nr(tid, ns) : NULL;
	if (task && same_thread_group(task, leader))
		err = proc_instantiate_entry(dentry, task, &proc_tid_entry);
	if (task)
		put_task_struct(task);
	put_task_struct(leader);
	return err;
}

/* Positions: 2 + the thread's index in its group's list. */
static int proc_task_readdir(struct file *file, struct dir_context *ctx)
{
	struct task_struct *leader = get_proc_task(file->f_inode);
	struct pid_namespace *ns = proc_pid_ns(file->f_inode->i_sb);

	if (!leader)
		return -ENOENT;
	if (!proc_dir_emit_dots(file, ctx))
		goto out;
	for (;;) {
		struct task_struct *t;
		unsigned long flags;
		loff_t index = 2;
		int tid = 0;
		char name[12];
		int len;

		spin_lock_irqsave(&tasklist_lock, flags);
		if (leader->sighand) {
			for_each_thread(leader, t) {
				if (index++ == ctx->pos) {
					tid = task_pid_nr_ns(t, ns);
					break;
				}
			}
		}
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (!tid)
			break;
		len = snprintf(name, sizeof(name), "%d", tid);
		if (!ctx->actor(ctx, name, len, ctx->pos + 1, tid, DT_DIR))
			break;
		ctx->pos++;
	}
out:
	put_task_struct(leader);
	return 0;
}

static const struct inode_operations proc_task_inode_operations = {
	.lookup = proc_task_lookup,
};

static const struct file_operations proc_task_operations = {
	.llseek = dcache_dir_lseek,
	.read_iter = generic_read_dir,
	.iterate = proc_task_readdir,
};

/* The files of a process: PID/, in Linux's order. */
static const struct pid_entry tgid_base_stuff[] = {
	DIR("task", 0555, &proc_task_inode_operations, &proc_task_operations),
	DIR("fd", 0500, &proc_fd_inode_operations, &proc_fd_operations),
	FIXED_DIR_MODE("ns", 0511, proc_ns_entries),
	MEM("environ", 0400, proc_pid_environ),
	MEM("auxv", 0400, proc_pid_auxv),
	ONE("status", 0444, proc_pid_status),
	ONE("limits", 0444, proc_pid_limits),
	ONE("sched", 0444, proc_pid_sched),
	NOD("comm", S_IFREG | 0644, NULL, &proc_single_file_operations,
	    .show = proc_pid_comm, .write = proc_comm_write),
	ONE("cmdline", 0444, proc_pid_cmdline),
	ONE("stat", 0444, proc_tgid_stat),
	ONE("statm", 0444, proc_pid_statm),
	ONE("maps", 0444, proc_pid_maps),
	PATH_LNK("cwd", proc_cwd_link),
	PATH_LNK("root", proc_root_link),
	PATH_LNK("exe", proc_exe_link),
	ONE("mounts", 0444, proc_pid_mounts),
	ONE("mountinfo", 0444, proc_pid_mountinfo),
	ONE("schedstat", 0444, proc_pid_schedstat),
	ONE("io", 0400, proc_tgid_io_accounting),
};

static const struct pid_entry proc_tgid_entry = FIXED_DIR("", tgid_base_stuff);

int proc_pid_lookup(struct dentry *dentry)
{
	struct pid_namespace *ns = proc_pid_ns(dentry->d_sb);
	int tgid = name_to_int(&dentry->d_name), err = 0;
	struct task_struct *task;

	if (tgid < 0)
		return -ENOENT;
	task = get_task_by_nr(tgid, ns);
	if (!task)
		return -ENOENT;
	err = proc_instantiate_entry(dentry, task, &proc_tgid_entry);
	put_task_struct(task);
	return err;
}

/* self, thread-self, then each process by its number in the mount's namespace. */
int proc_pid_readdir(struct file *file, struct dir_context *ctx)
{
	struct pid_namespace *ns = proc_pid_ns(file->f_inode->i_sb);

	if (ctx->pos < FIRST_PROCESS_ENTRY)
		ctx->pos = FIRST_PROCESS_ENTRY;
	if (ctx->pos == FIRST_PROCESS_ENTRY) {
		if (!ctx->actor(ctx, "self", 4, ctx->pos + 1, 2, DT_LNK))
			return 0;
		ctx->pos++;
	}
	if (ctx->pos == FIRST_PROCESS_ENTRY + 1) {
		if (!ctx->actor(ctx, "thread-self", 11, ctx->pos + 1, 3, DT_LNK))
			return 0;
		ctx->pos++;
	}
	for (;;) {
		int nr = ctx->pos - TGID_OFFSET;
		unsigned long flags;
		struct task_struct *task;
		char name[12];
		int len;

		spin_lock_irqsave(&tasklist_lock, flags);
		task = next_tgid_task(&nr, ns);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (!task)
			break;
		len = snprintf(name, sizeof(name), "%d", nr);
		if (!ctx->actor(ctx, name, len, nr + TGID_OFFSET + 1, nr, DT_DIR))
			break;
		ctx->pos = nr + TGID_OFFSET + 1;
	}
	return 0;
}

/* /proc/self: the reader's process, as the mount's namespace numbers it. */
static const char *proc_self_get_link(struct inode *inode, struct task_struct *task,
				      struct delayed_call *done)
{
	struct pid_namespace *ns = proc_pid_ns(inode->i_sb);
	int tgid = task_tgid_nr_ns(current, ns), tid = task_pid_nr_ns(current, ns);
	bool thread = PROC_I(inode)->entry->name[0] == 't';
	char *name;

	if (!tgid)
		return ERR_PTR(-ENOENT);	/* not seen from this mount's namespace */
	name = kmalloc(32, GFP_KERNEL);
	if (!name)
		return ERR_PTR(-ENOMEM);
	if (thread)
		snprintf(name, 32, "%d/task/%d", tgid, tid);
	else
		snprintf(name, 32, "%d", tgid);
	set_delayed_call(done, kfree_link, name);
	return name;
}

const struct pid_entry proc_self_entries[2] = {
	LNK("self", proc_self_get_link),
	LNK("thread-self", proc_self_get_link),
};
