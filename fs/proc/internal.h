/* SPDX-License-Identifier: MIT */
/*
 * What the files of fs/proc share. A /proc inode is a struct proc_inode: per-process
 * files keep a reference to their task and the entry (struct pid_entry) that made them;
 * a file's text comes from its show function through seq_file.
 */
#ifndef FS_PROC_INTERNAL_H
#define FS_PROC_INTERNAL_H

#include <kairos/pid.h>
#include <kairos/seq_file.h>
#include "../internal.h"

struct pid_entry;

struct proc_inode {
	struct inode vfs_inode;
	struct task_struct *task;	/* the process or thread (a reference), or NULL */
	int fd;				/* fd/N: N */
	const struct pid_entry *entry;	/* what this file is */
};

static inline struct proc_inode *PROC_I(struct inode *inode)
{
	return container_of(inode, struct proc_inode, vfs_inode);
}

/* The namespace whose numbers this mount shows: the mounter's (s_fs_info). */
static inline struct pid_namespace *proc_pid_ns(struct super_block *sb)
{
	return sb->s_fs_info;
}

/*
 * An entry of a directory whose contents are fixed: the root's files, a process's
 * files. show writes a file's text (task is NULL outside the per-process directories);
 * get_link gives a symlink's target (kmalloc'd, or a string that lives forever), or
 * get_path the file a link leads to (PATH_LNK);
 * write, if there is one, takes what was written to a file.
 */
struct pid_entry {
	const char *name;
	umode_t mode;
	const struct inode_operations *iop;
	const struct file_operations *fop;
	int (*show)(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task);
	const char *(*get_link)(struct inode *inode, struct task_struct *task,
				struct delayed_call *done);
	/* exe, cwd, root, fd/N: what the link leads to (referenced), or -errno. */
	int (*get_path)(struct inode *inode, struct task_struct *task, struct path *path);
	ssize_t (*write)(struct task_struct *task, const char *buf, size_t count);
	const struct proc_ns_operations *ns_ops;	/* ns/ links: which namespace */
	bool mem_open;		/* opening needs ptrace read access (EACCES), as Linux's
				 * files of a process's memory check at open */
	const struct pid_entry *subdir;	/* directories: their entries */
	unsigned int nsubdir;
};

#define NOD(NAME, MODE, IOP, FOP, ...) \
	{ .name = (NAME), .mode = (MODE), .iop = (IOP), .fop = (FOP), __VA_ARGS__ }
#define ONE(NAME, MODE, SHOW) \
	NOD(NAME, S_IFREG | (MODE), NULL, &proc_single_file_operations, .show = (SHOW))
#define MEM(NAME, MODE, SHOW) \
	NOD(NAME, S_IFREG | (MODE), NULL, &proc_single_file_operations, .show = (SHOW), \
	    .mem_open = true)
#define LNK(NAME, GET_LINK) \
	NOD(NAME, S_IFLNK | 0777, &proc_pid_link_inode_operations, NULL, .get_link = (GET_LINK))
#define PATH_LNK(NAME, GET_PATH) \
	NOD(NAME, S_IFLNK | 0777, &proc_pid_path_link_inode_operations, NULL, \
	    .get_path = (GET_PATH))
#define DIR(NAME, MODE, IOP, FOP) \
	NOD(NAME, S_IFDIR | (MODE), IOP, FOP)
#define FIXED_DIR_MODE(NAME, MODE, ENTRIES) \
	NOD(NAME, S_IFDIR | (MODE), &proc_fixed_dir_inode_operations, \
	    &proc_fixed_dir_operations, .subdir = (ENTRIES), .nsubdir = ARRAY_SIZE(ENTRIES))
#define FIXED_DIR(NAME, ENTRIES) FIXED_DIR_MODE(NAME, 0555, ENTRIES)

/* inode.c */
extern const struct super_operations proc_sops;
struct inode *proc_make_inode(struct super_block *sb, struct task_struct *task, umode_t mode);
/* The entry's inode under dentry (a process's if task), added to the tree; 0 or -errno. */
int proc_instantiate_entry(struct dentry *dentry, struct task_struct *task,
			   const struct pid_entry *p);
/* A directory listing of fixed entries, after "." and "..": position 2 is the first. */
bool proc_fill_entries(struct file *file, struct dir_context *ctx,
		       const struct pid_entry *ents, unsigned int nents);
bool proc_dir_emit_dots(struct file *file, struct dir_context *ctx);
int proc_lookup_entries(struct dentry *dentry, struct task_struct *task,
			const struct pid_entry *ents, unsigned int nents);
/* Dentries of a process's files: dropped once the process is reaped. */
extern const struct dentry_operations pid_dentry_operations;
/* The file's task if it still has its PID (not reaped), with a reference; or NULL. */
struct task_struct *get_proc_task(struct inode *inode);
extern const struct file_operations proc_single_file_operations;
extern const struct inode_operations proc_pid_link_inode_operations;
extern const struct inode_operations proc_pid_path_link_inode_operations;	/* base.c */
extern const struct inode_operations proc_fixed_dir_inode_operations;
extern const struct file_operations proc_fixed_dir_operations;

/* base.c: the per-process directories. */
int proc_pid_lookup(struct dentry *dentry);
int proc_pid_readdir(struct file *file, struct dir_context *ctx);
/* Whether current may look into task's memory, files and environment (ptrace's read
 * mode: the same real ids, or privileged). */
bool proc_may_access(struct task_struct *task);

/* array.c: stat, status, statm. */
int proc_tgid_stat(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task);
int proc_tid_stat(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task);
int proc_pid_status(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task);
int proc_pid_statm(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task);

/* task_mmu.c. Sizes in pages. */
struct proc_mem_counts {
	unsigned long total_vm, locked_vm, stack_vm, exec_vm, exe_vm, data_vm;
	unsigned long rss, rss_anon, rss_file, hiwater_rss;
};
struct mm_struct;
void proc_count_mem(struct mm_struct *mm, struct proc_mem_counts *mc);
int proc_pid_maps(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task);

/* namespaces.c: the links of ns/. */
#define PROC_NS_NENTRIES	2
extern const struct pid_entry proc_ns_entries[PROC_NS_NENTRIES];

/* base.c: /proc/self and /proc/thread-self. */
extern const struct pid_entry proc_self_entries[2];

#define PROC_ROOT_INO	1

/* The root's files, each from its own source file. */
#define PROC_SYS_NENTRIES	1
extern const struct pid_entry proc_sys_entries[PROC_SYS_NENTRIES];	/* proc_sysctl.c */
int show_stat(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task);
int uptime_proc_show(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task);
int loadavg_proc_show(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task);
int meminfo_proc_show(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task);
int version_proc_show(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task);
int cmdline_proc_show(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task);
int softirqs_proc_show(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task);

#endif
