/* SPDX-License-Identifier: MIT */
/* What the files of fs/ share and nobody else needs. */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H

#include <kairos/fs.h>

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

/* fs/open.c */
struct file *dentry_open(const struct path *path, int flags);
int do_truncate(const struct vfs_ctx *ctx, struct dentry *dentry, loff_t length,
		unsigned int time_attrs);

/* fs/ramfs/inode.c */
void init_ramfs_fs(void);

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
