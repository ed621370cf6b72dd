/* SPDX-License-Identifier: MIT */
/*
 * Namespaces as files: /proc/PID/ns/NAME links to an nsfs inode whose number is the
 * namespace's (how tools compare namespaces: st_dev and st_ino of the followed link);
 * an open one is what setns(2) takes. Only PID namespaces exist here.
 */
#ifndef KAIROS_PROC_NS_H
#define KAIROS_PROC_NS_H

#include <kairos/types.h>

struct task_struct;
struct path;
struct file;
struct inode;
struct ns_common;

struct proc_ns_operations {
	const char *name;		/* the file's name in /proc/PID/ns/ */
	const char *real_ns_name;	/* what kind it links to, if not name (pid_for_children) */
	int type;			/* CLONE_NEW* */
	/* The task's namespace of this kind with a reference, or NULL if there is none. */
	struct ns_common *(*get)(struct task_struct *task);
	void (*put)(struct ns_common *ns);
	/* setns(2): make it current's (for its children, for PID namespaces). */
	int (*install)(struct ns_common *ns);
};

/* What every namespace has (Linux's struct ns_common, embedded in it). */
struct ns_common {
	const struct proc_ns_operations *ops;
	unsigned int inum;		/* its nsfs inode number */
};

/* Linux's numbers for the initial namespaces; new ones count from PROC_DYNAMIC_FIRST. */
#define PROC_PID_INIT_INO	0xEFFFFFFCU
#define PROC_DYNAMIC_FIRST	0xF0000000U

extern const struct proc_ns_operations pidns_operations;
extern const struct proc_ns_operations pidns_for_children_operations;

/* fs/nsfs.c */
/* Gives ns its inode number: 0, or -ENOSPC once the numbers ran out. */
int ns_alloc_inum(struct ns_common *ns);
/* The nsfs path of the task's namespace of this kind: 0 (path referenced) or -ENOENT
 * (the task has none), -ENOMEM. */
int ns_get_path(struct path *path, struct task_struct *task,
		const struct proc_ns_operations *ns_ops);
/* "pid:[4026531836]" into buf: its length, or -ENOENT. */
int ns_get_name(char *buf, size_t size, struct task_struct *task,
		const struct proc_ns_operations *ns_ops);
/* The namespace an open nsfs file stands for, or NULL if file is not one. */
struct ns_common *proc_ns_file_ns(const struct file *file);
void init_nsfs(void);

#endif
