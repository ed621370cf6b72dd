// SPDX-License-Identifier: MIT
/* Each task's root, working directory and umask (struct fs_struct; CLONE_FS shares it). */
#include <kairos/fs.h>
#include <kairos/sched.h>
#include <kairos/slab.h>
#include <uapi/sched.h>

/* init_task's, shared by the kernel threads (CLONE_FS); mnt_init gives it the rootfs. */
struct fs_struct init_fs = {
	.users = ATOMIC_INIT(1),
	.lock = __SPIN_LOCK_UNLOCKED,
	.umask = 0022,
};

static struct fs_struct *copy_fs_struct(struct fs_struct *old)
{
	struct fs_struct *fs = kmalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	atomic_set(&fs->users, 1);
	spin_lock_init(&fs->lock);
	spin_lock(&old->lock);
	fs->umask = old->umask;
	fs->root = old->root;
	fs->pwd = old->pwd;
	if (fs->root.dentry)
		path_get(&fs->root);
	if (fs->pwd.dentry)
		path_get(&fs->pwd);
	spin_unlock(&old->lock);
	return fs;
}

int copy_fs(unsigned long clone_flags, struct task_struct *tsk)
{
	struct fs_struct *fs = current->fs;

	if (clone_flags & CLONE_FS) {
		atomic_inc(&fs->users);
		return 0;
	}
	tsk->fs = copy_fs_struct(fs);
	return tsk->fs ? 0 : -ENOMEM;
}

void exit_fs(struct task_struct *tsk)
{
	struct fs_struct *fs = tsk->fs;

	if (!fs)
		return;
	tsk->fs = NULL;
	if (!atomic_dec_and_test(&fs->users))
		return;
	if (fs->root.dentry)
		path_put(&fs->root);
	if (fs->pwd.dentry)
		path_put(&fs->pwd);
	if (fs != &init_fs)
		kfree(fs);
}

void current_vfs_ctx(struct vfs_ctx *ctx)
{
	const struct cred *cred = current_cred();
	struct fs_struct *fs = current->fs;

	spin_lock(&fs->lock);
	ctx->root = fs->root;
	ctx->pwd = fs->pwd;
	ctx->umask = fs->umask;
	spin_unlock(&fs->lock);
	ctx->fsuid = cred->fsuid;
	ctx->fsgid = cred->fsgid;
	ctx->ngroups = cred->ngroups;
	ctx->groups = cred->groups;
}
