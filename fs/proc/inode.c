// SPDX-License-Identifier: MIT
/*
 * /proc's inodes and the operations its fixed entries share: directories whose entries
 * are a table (the root's files, sys/, a process's files), files whose text a show
 * function makes, symlinks whose target is worked out at each lookup.
 */
#include <kairos/slab.h>
#include <kairos/string.h>
#include "internal.h"

static struct inode *proc_alloc_inode(struct super_block *sb)
{
	struct proc_inode *ei = kzalloc(sizeof(*ei), GFP_KERNEL);

	return ei ? &ei->vfs_inode : NULL;
}

static void proc_destroy_inode(struct inode *inode)
{
	struct proc_inode *ei = PROC_I(inode);

	if (ei->task)
		put_task_struct(ei->task);
	kfree(ei);
}

const struct super_operations proc_sops = {
	.alloc_inode = proc_alloc_inode,
	.destroy_inode = proc_destroy_inode,
};

/* A process's files belong to its effective ids, as Linux shows them. */
struct inode *proc_make_inode(struct super_block *sb, struct task_struct *task, umode_t mode)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_mode = mode;
	if (task) {
		get_task_struct(task);
		PROC_I(inode)->task = task;
		inode->i_uid = task->cred.euid;
		inode->i_gid = task->cred.egid;
	}
	if (S_ISDIR(mode))
		inc_nlink(inode);	/* its "." */
	return inode;
}

struct task_struct *get_proc_task(struct inode *inode)
{
	struct task_struct *task = PROC_I(inode)->task, *found;
	struct pid_namespace *ns = proc_pid_ns(inode->i_sb);
	unsigned long flags;

	if (!task)
		return NULL;
	spin_lock_irqsave(&tasklist_lock, flags);
	found = find_task_by_pid_ns(task_pid_nr_ns(task, ns), ns);
	if (found == task)
		get_task_struct(task);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found == task ? task : NULL;
}

/* A process's files are what they were only while the process keeps its number. */
static int pid_revalidate(struct dentry *dentry)
{
	struct task_struct *task = get_proc_task(dentry->d_inode);

	if (!task)
		return 0;
	put_task_struct(task);
	return 1;
}

const struct dentry_operations pid_dentry_operations = {
	.d_revalidate = pid_revalidate,
};

int proc_instantiate_entry(struct dentry *dentry, struct task_struct *task,
			   const struct pid_entry *p)
{
	struct inode *inode = proc_make_inode(dentry->d_sb, task, p->mode);

	if (!inode)
		return -ENOMEM;
	PROC_I(inode)->entry = p;
	if (p->iop)
		inode->i_op = p->iop;
	if (p->fop)
		inode->i_fop = p->fop;
	for (unsigned int i = 0; i < p->nsubdir; i++)
		if (S_ISDIR(p->subdir[i].mode))
			inc_nlink(inode);
	if (task)
		dentry->d_op = &pid_dentry_operations;
	d_add(dentry, inode);
	return 0;
}

int proc_lookup_entries(struct dentry *dentry, struct task_struct *task,
			const struct pid_entry *ents, unsigned int nents)
{
	for (unsigned int i = 0; i < nents; i++)
		if (strlen(ents[i].name) == dentry->d_name.len &&
		    !memcmp(ents[i].name, dentry->d_name.name, dentry->d_name.len))
			return proc_instantiate_entry(dentry, task, &ents[i]);
	return -ENOENT;
}

bool proc_dir_emit_dots(struct file *file, struct dir_context *ctx)
{
	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 1, file->f_inode->i_ino, DT_DIR))
			return false;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!ctx->actor(ctx, "..", 2, 2, 1, DT_DIR))
			return false;
		ctx->pos = 2;
	}
	return true;
}

/* Readdir does not make inodes: entries get a made-up inode number (0 hides them). */
bool proc_fill_entries(struct file *file, struct dir_context *ctx,
		       const struct pid_entry *ents, unsigned int nents)
{
	for (; ctx->pos >= 2 && ctx->pos < 2 + nents; ctx->pos++) {
		const struct pid_entry *p = &ents[ctx->pos - 2];

		if (!ctx->actor(ctx, p->name, strlen(p->name), ctx->pos + 1, 2 + ctx->pos,
				(p->mode >> 12) & 15))
			return false;
	}
	return true;
}

/*
 * A directory of a table of entries, in a process's directory or not. Lookups of names
 * that do not exist fail (ENOENT), as Linux's do in /proc: nothing can be created here.
 */
static int proc_fixed_dir_lookup(struct inode *dir, struct dentry *dentry)
{
	const struct pid_entry *p = PROC_I(dir)->entry;
	struct task_struct *task = NULL;
	int err;

	if (PROC_I(dir)->task) {
		/* Linux's permission check on a process's directory says so first. */
		task = get_proc_task(dir);
		if (!task)
			return -ESRCH;
	}
	err = proc_lookup_entries(dentry, task, p->subdir, p->nsubdir);
	if (task)
		put_task_struct(task);
	return err;
}

static int proc_fixed_dir_readdir(struct file *file, struct dir_context *ctx)
{
	const struct pid_entry *p = PROC_I(file->f_inode)->entry;
	struct task_struct *task = NULL;

	if (PROC_I(file->f_inode)->task) {
		task = get_proc_task(file->f_inode);
		if (!task)
			return -ENOENT;
		put_task_struct(task);
	}
	if (proc_dir_emit_dots(file, ctx))
		proc_fill_entries(file, ctx, p->subdir, p->nsubdir);
	return 0;
}

const struct inode_operations proc_fixed_dir_inode_operations = {
	.lookup = proc_fixed_dir_lookup,
};

const struct file_operations proc_fixed_dir_operations = {
	.llseek = dcache_dir_lseek,
	.read_iter = generic_read_dir,
	.iterate = proc_fixed_dir_readdir,
};

/* A file's text, from its task as it is at the first read. */
static int proc_single_show(struct seq_file *m, void *v)
{
	struct inode *inode = v;
	const struct pid_entry *p = PROC_I(inode)->entry;
	struct task_struct *task = NULL;
	int err;

	if (PROC_I(inode)->task) {
		task = get_proc_task(inode);
		if (!task)
			return -ESRCH;
	}
	err = p->show(m, proc_pid_ns(inode->i_sb), task);
	if (task)
		put_task_struct(task);
	return err;
}

static int proc_single_open(struct inode *inode, struct file *file)
{
	if (PROC_I(inode)->entry->mem_open) {
		struct task_struct *task = get_proc_task(inode);
		bool allowed = task && proc_may_access(task);

		if (!task)
			return -ESRCH;
		put_task_struct(task);
		if (!allowed)
			return -EACCES;
	}
	return single_open(file, proc_single_show, inode);
}

/* Files that take writes (comm) take one page at most, as Linux's do. */
static ssize_t proc_single_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct inode *inode = file->f_inode;
	const struct pid_entry *p = PROC_I(inode)->entry;
	size_t count = min_t(size_t, iov_iter_count(from), PAGE_SIZE - 1);
	struct task_struct *task;
	ssize_t ret;
	char *buf;

	if (!p->write)
		return -EINVAL;
	buf = kmalloc(count + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_iter(buf, count, from) != count)
		goto out;
	buf[count] = '\0';
	ret = -ESRCH;
	task = get_proc_task(inode);
	if (task) {
		ret = p->write(task, buf, count);
		put_task_struct(task);
	}
	if (ret > 0)
		*pos += ret;
out:
	kfree(buf);
	return ret;
}

const struct file_operations proc_single_file_operations = {
	.llseek = generic_file_llseek,
	.open = proc_single_open,
	.read_iter = seq_read_iter,
	.write_iter = proc_single_write,
	.release = single_release,
};

static const char *proc_pid_get_link(struct dentry *dentry, struct inode *inode,
				     struct delayed_call *done)
{
	const struct pid_entry *p = PROC_I(inode)->entry;
	struct task_struct *task = NULL;
	const char *link;

	if (PROC_I(inode)->task) {
		task = get_proc_task(inode);
		if (!task)
			return ERR_PTR(-ENOENT);
	}
	link = p->get_link(inode, task, done);
	if (task)
		put_task_struct(task);
	return link;
}

const struct inode_operations proc_pid_link_inode_operations = {
	.get_link = proc_pid_get_link,
};
