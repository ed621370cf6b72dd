// SPDX-License-Identifier: MIT
/*
 * Each task's root, working directory and umask (struct fs_struct; CLONE_FS shares it).
 * fs->lock covers the three: a chdir by one sharer replaces pwd under it, and whoever
 * uses the paths takes references under it first (get_current_vfs_ctx), so a path in
 * use never goes away under a walk.
 */
#include <kairos/fs.h>
#include <kairos/sched.h>
#include <kairos/slab.h>
#include <kairos/syscalls.h>
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
	task_lock(tsk);
	tsk->fs = NULL;
	task_unlock(tsk);
	if (!atomic_dec_and_test(&fs->users))
		return;
	if (fs->root.dentry)
		path_put(&fs->root);
	if (fs->pwd.dentry)
		path_put(&fs->pwd);
	if (fs != &init_fs)
		kfree(fs);
}

static void get_fs_vfs_ctx(struct fs_struct *fs, const struct cred *cred, struct vfs_ctx *ctx)
{
	spin_lock(&fs->lock);
	ctx->root = fs->root;
	ctx->pwd = fs->pwd;
	path_get(&ctx->root);
	path_get(&ctx->pwd);
	ctx->umask = fs->umask;
	spin_unlock(&fs->lock);
	ctx->fsuid = cred->fsuid;
	ctx->fsgid = cred->fsgid;
	ctx->ngroups = cred->ngroups;
	ctx->groups = cred->groups;
}

void get_current_vfs_ctx(struct vfs_ctx *ctx)
{
	get_fs_vfs_ctx(current->fs, current_cred(), ctx);
}

void get_init_vfs_ctx(struct vfs_ctx *ctx)
{
	static const struct cred root_cred;

	get_fs_vfs_ctx(&init_fs, &root_cred, ctx);
}

void put_vfs_ctx(struct vfs_ctx *ctx)
{
	path_put(&ctx->root);
	path_put(&ctx->pwd);
}

/* Takes over the caller's reference to path. */
void set_fs_pwd(struct fs_struct *fs, const struct path *path)
{
	struct path old;

	spin_lock(&fs->lock);
	old = fs->pwd;
	fs->pwd = *path;
	spin_unlock(&fs->lock);
	path_put(&old);
}

void set_fs_root(struct fs_struct *fs, const struct path *path)
{
	struct path old;

	spin_lock(&fs->lock);
	old = fs->root;
	fs->root = *path;
	spin_unlock(&fs->lock);
	path_put(&old);
}

/* Linux keeps umask(2) in kernel/sys.c; it is fs_struct's, so it lives here. */
SYSCALL_DEFINE1(umask, int, mask)
{
	struct fs_struct *fs = current->fs;
	umode_t old;

	spin_lock(&fs->lock);
	old = fs->umask;
	fs->umask = mask & S_IRWXUGO;
	spin_unlock(&fs->lock);
	return old;
}
