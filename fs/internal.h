/* SPDX-License-Identifier: MIT */
/* What the files of fs/ share and nobody else needs. */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H

#include <kairos/fs.h>
#include <kairos/sched.h>
#include <kairos/signal.h>

/* fs/file.c: current's fds. A reference to the file, or NULL if fd is not open. O_PATH
 * files are only places in the tree: fdget() does not see them, fdget_raw() does. */
struct file *fdget(unsigned int fd);
struct file *fdget_raw(unsigned int fd);

/* The caller's RLIMIT_NOFILE: the most fds it may have. Until fork gives every task a
 * signal_struct with limits, tasks without one get Linux's default. */
static inline unsigned long nofile_limit(void)
{
	struct signal_struct *sig = current->signal;

	return sig ? READ_ONCE(sig->rlim[RLIMIT_NOFILE].rlim_cur) : 1024;
}

/* fs/file_table.c */
void file_set_op_modes(struct file *file);

/* fs/char_dev.c: what a character-device inode opens with. */
extern const struct file_operations def_chr_fops;

/* Regular files and directories serialize position changes through f_pos_lock. */
static inline void file_pos_lock(struct file *file)
{
	if (file->f_mode & FMODE_ATOMIC_POS)
		mutex_lock(&file->f_pos_lock);
}

static inline void file_pos_unlock(struct file *file)
{
	if (file->f_mode & FMODE_ATOMIC_POS)
		mutex_unlock(&file->f_pos_lock);
}

/* fs/fs_struct.c: take over the caller's reference to path. */
void set_fs_pwd(struct fs_struct *fs, const struct path *path);
void set_fs_root(struct fs_struct *fs, const struct path *path);

/* fs/mount.c */
void follow_mount(struct path *path);
bool follow_up(struct path *path);

/* fs/namei.c */
struct open_flags {
	int open_flag;
	umode_t mode;			/* for O_CREAT: with S_IFREG, umask applied */
	int acc_mode;			/* MAY_* the open needs */
	unsigned int lookup_flags;
};
struct file *do_filp_open(const struct vfs_ctx *ctx, const char *name,
			  const struct open_flags *op);
/*
 * A path name from user space in a kmalloc'd PATH_MAX buffer (putname() frees it), or
 * EFAULT, ENAMETOOLONG, or ENOENT for "" unless empty_ok.
 */
char *getname_flags(const char __user *uname, bool empty_ok);
static inline char *getname(const char __user *uname)
{
	return getname_flags(uname, false);
}
void putname(char *name);
/*
 * current's ctx (get_current_vfs_ctx) for name relative to dfd: its pwd is then dfd's
 * directory, unless name is absolute or dfd is AT_FDCWD. EBADF, or ENOTDIR if dfd is
 * not a directory and name is not empty.
 */
int get_vfs_ctx_at(int dfd, const char *name, struct vfs_ctx *ctx);
/*
 * The path of a user name relative to dfd (LOOKUP_* flags), with the ctx it was
 * resolved in for the permission checks that follow: the caller puts both. With
 * LOOKUP_EMPTY, "" is dfd's own file, of any kind.
 */
int user_path_at(int dfd, const char __user *uname, unsigned int flags,
		 struct vfs_ctx *ctx, struct path *path);

/* fs/open.c */
struct file *dentry_open(const struct path *path, int flags);
int do_truncate(const struct vfs_ctx *ctx, struct dentry *dentry, loff_t length,
		unsigned int time_attrs);

/* Registered or mounted by mnt_init(), in the absence of initcalls. */
void init_ramfs_fs(void);	/* fs/ramfs/inode.c */
void init_pipe_fs(void);	/* fs/pipe.c */
void init_proc_fs(void);	/* fs/proc/root.c */

/* The capabilities file access needs (CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_CHOWN, ...):
 * fsuid 0 has them all until credentials exist. */
static inline bool fs_capable(const struct vfs_ctx *ctx)
{
	return ctx->fsuid == 0;
}

static inline bool d_can_lookup(const struct dentry *dentry)
{
	return d_is_dir(dentry);
}

#endif
