// SPDX-License-Identifier: MIT
/*
 * Opening and closing files, and the calls that change an inode's attributes, the
 * working directory or the root: openat, close, close_range, truncate, ftruncate,
 * faccessat(2), chdir, fchdir, chroot, fchmod(at), fchown(at).
 */
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include "internal.h"

/* The permissions the access mode needs: O_ACCMODE 3 asks for both. */
#define ACC_MODE(x)	("\004\002\006\006"[(x) & O_ACCMODE])

/* What open(2) looks at; other bits are ignored, as Linux ignores them. */
#define VALID_OPEN_FLAGS \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | \
	 __O_SYNC | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | \
	 O_NOATIME | O_CLOEXEC | O_PATH | __O_TMPFILE)
/* O_PATH keeps only these. */
#define O_PATH_FLAGS	(O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)
#define O_TMPFILE_MASK	(__O_TMPFILE | O_DIRECTORY | O_CREAT)

/* O_PATH files: no operations at all. */
static const struct file_operations empty_fops;

/*
 * ->open may replace the operations (character devices do): what the file can do is
 * decided after it. O_PATH files are opened without the file system.
 */
struct file *dentry_open(const struct path *path, int flags)
{
	struct inode *inode = path->dentry->d_inode;
	struct file *file;
	int err;

	if (flags & O_PATH) {
		file = alloc_file(path, flags, &empty_fops);
		if (!IS_ERR(file))
			file->f_mode = FMODE_PATH | FMODE_OPENED;
		return file;
	}
	if (!inode->i_fop)
		return ERR_PTR(-ENXIO);
	file = alloc_file(path, flags, inode->i_fop);
	if (IS_ERR(file))
		return file;
	if ((file->f_mode & FMODE_WRITE) && !special_file(inode->i_mode)) {
		err = get_write_access(inode);
		if (err) {
			file->f_mode &= ~FMODE_OPENED;
			fput(file);
			return ERR_PTR(err);
		}
		file->f_mode |= FMODE_WRITER;
	}
	if (file->f_op->open) {
		err = file->f_op->open(inode, file);
		if (err) {
			file->f_mode &= ~FMODE_OPENED;	/* no ->release for a failed ->open */
			fput(file);
			return ERR_PTR(err);
		}
		file_set_op_modes(file);
	}
	file->f_flags &= ~O_NOCTTY;
	return file;
}

/*
 * O_CREAT's mode takes the umask; O_TRUNC needs write permission even with O_RDONLY;
 * O_CREAT | O_EXCL never follows a final symlink. O_PATH asks for no access at all.
 */
struct file *filp_open(const struct vfs_ctx *ctx, const char *name, int flags, umode_t mode)
{
	struct open_flags op;

	if (flags & __O_TMPFILE)
		return ERR_PTR(-EOPNOTSUPP);
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return ERR_PTR(-EINVAL);
	op.mode = (flags & O_CREAT) ? S_IFREG | (mode & S_IALLUGO & ~ctx->umask) : 0;
	op.acc_mode = (flags & O_PATH) ? 0 : ACC_MODE(flags);
	if (flags & O_TRUNC)
		op.acc_mode |= MAY_WRITE;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		flags |= O_NOFOLLOW;
	op.lookup_flags = 0;
	if (flags & O_DIRECTORY)
		op.lookup_flags |= LOOKUP_DIRECTORY;
	if (!(flags & O_NOFOLLOW))
		op.lookup_flags |= LOOKUP_FOLLOW;
	op.open_flag = flags;
	return do_filp_open(ctx, name, &op);
}

/*
 * open(2) as Linux builds its flags: unknown bits dropped, O_LARGEFILE always on a
 * 64-bit kernel, O_PATH masking the rest; O_TMPFILE must come whole and writable.
 * Then the name, then the fd (EMFILE), then dfd and the walk.
 */
static long do_sys_open(int dfd, const char __user *filename, int flags, umode_t mode)
{
	struct vfs_ctx ctx;
	struct file *file;
	char *name;
	int fd, err;

	flags = (flags & VALID_OPEN_FLAGS) | O_LARGEFILE;
	if (flags & O_PATH)
		flags &= O_PATH_FLAGS;
	if ((flags & __O_TMPFILE) &&
	    ((flags & O_TMPFILE_MASK) != (__O_TMPFILE | O_DIRECTORY) ||
	     !(ACC_MODE(flags) & MAY_WRITE)))
		return -EINVAL;
	name = getname(filename);
	if (IS_ERR(name))
		return PTR_ERR(name);
	fd = alloc_fd(current->files, 0, nofile_limit(), flags);
	if (fd < 0)
		goto out;
	err = get_vfs_ctx_at(dfd, name, &ctx);
	if (!err) {
		file = filp_open(&ctx, name, flags, mode);
		put_vfs_ctx(&ctx);
		err = IS_ERR(file) ? PTR_ERR(file) : 0;
	}
	if (err) {
		put_unused_fd(current->files, fd);
		fd = err;
	} else {
		fd_install(current->files, fd, file);
	}
out:
	putname(name);
	return fd;
}

SYSCALL_DEFINE4(openat, int, dfd, const char __user *, filename, int, flags, umode_t, mode)
{
	return do_sys_open(dfd, filename, flags, mode);
}

SYSCALL_DEFINE1(close, unsigned int, fd)
{
	return close_fd(current->files, fd);
}

SYSCALL_DEFINE3(close_range, unsigned int, fd, unsigned int, max_fd, unsigned int, flags)
{
	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (fd > max_fd)
		return -EINVAL;
	return __close_range(fd, max_fd, flags);
}

/* Size changes update mtime and ctime, as POSIX wants of truncate() too. */
int do_truncate(const struct vfs_ctx *ctx, struct dentry *dentry, loff_t length,
		unsigned int time_attrs)
{
	struct iattr attr = { .ia_valid = ATTR_SIZE | time_attrs, .ia_size = length };
	struct inode *inode = dentry->d_inode;
	int err;

	if (length < 0)
		return -EINVAL;
	inode_lock(inode);
	err = notify_change(ctx, dentry, &attr);
	inode_unlock(inode);
	return err;
}

int vfs_truncate(const struct vfs_ctx *ctx, const struct path *path, loff_t length)
{
	struct inode *inode = path->dentry->d_inode;
	int err;

	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	err = inode_permission(ctx, inode, MAY_WRITE);
	if (err)
		return err;
	/* Not a running binary's. */
	err = get_write_access(inode);
	if (err)
		return err;
	err = do_truncate(ctx, path->dentry, length, ATTR_MTIME | ATTR_CTIME);
	put_write_access(inode);
	return err;
}

int do_ftruncate(const struct vfs_ctx *ctx, struct file *file, loff_t length)
{
	if (!S_ISREG(file->f_inode->i_mode) || !(file->f_mode & FMODE_WRITE))
		return -EINVAL;
	return do_truncate(ctx, file->f_path.dentry, length, ATTR_MTIME | ATTR_CTIME);
}

SYSCALL_DEFINE2(truncate, const char __user *, pathname, long, length)
{
	struct vfs_ctx ctx;
	struct path path;
	int err;

	if (length < 0)
		return -EINVAL;
	err = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &ctx, &path);
	if (err)
		return err;
	err = vfs_truncate(&ctx, &path, length);
	path_put(&path);
	put_vfs_ctx(&ctx);
	return err;
}

SYSCALL_DEFINE2(ftruncate, unsigned int, fd, long, length)
{
	struct vfs_ctx ctx;
	struct file *file;
	int err;

	if (length < 0)
		return -EINVAL;
	file = fdget(fd);
	if (!file)
		return -EBADF;
	get_current_vfs_ctx(&ctx);
	err = do_ftruncate(&ctx, file, length);
	put_vfs_ctx(&ctx);
	fput(file);
	return err;
}

/*
 * access(2) asks as the real user and group unless AT_EACCESS says otherwise; root
 * keeps its powers either way. F_OK only looks the name up.
 */
static long do_faccessat(int dfd, const char __user *filename, int mode, int flags)
{
	struct vfs_ctx ctx;
	struct path path;
	int err;

	if (mode & ~S_IRWXO)
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_path_at(dfd, filename, at_lookup_flags(flags), &ctx, &path);
	if (err)
		return err;
	if (!(flags & AT_EACCESS)) {
		ctx.fsuid = current_cred()->uid;
		ctx.fsgid = current_cred()->gid;
	}
	err = inode_permission(&ctx, path.dentry->d_inode, mode);
	path_put(&path);
	put_vfs_ctx(&ctx);
	return err;
}

SYSCALL_DEFINE3(faccessat, int, dfd, const char __user *, filename, int, mode)
{
	return do_faccessat(dfd, filename, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, int, dfd, const char __user *, filename, int, mode, int, flags)
{
	return do_faccessat(dfd, filename, mode, flags);
}

SYSCALL_DEFINE1(chdir, const char __user *, filename)
{
	struct vfs_ctx ctx;
	struct path path;
	int err = user_path_at(AT_FDCWD, filename, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &ctx,
			       &path);

	if (err)
		return err;
	err = inode_permission(&ctx, path.dentry->d_inode, MAY_EXEC);
	if (err)
		path_put(&path);
	else
		set_fs_pwd(current->fs, &path);
	put_vfs_ctx(&ctx);
	return err;
}

SYSCALL_DEFINE1(fchdir, unsigned int, fd)
{
	struct file *file = fdget_raw(fd);
	struct vfs_ctx ctx;
	int err = -ENOTDIR;

	if (!file)
		return -EBADF;
	get_current_vfs_ctx(&ctx);
	if (d_can_lookup(file->f_path.dentry))
		err = inode_permission(&ctx, file->f_inode, MAY_EXEC);
	if (!err) {
		path_get(&file->f_path);
		set_fs_pwd(current->fs, &file->f_path);
	}
	put_vfs_ctx(&ctx);
	fput(file);
	return err;
}

/* The cwd stays where it was, even outside the new root, as on Linux. */
SYSCALL_DEFINE1(chroot, const char __user *, filename)
{
	struct vfs_ctx ctx;
	struct path path;
	int err = user_path_at(AT_FDCWD, filename, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &ctx,
			       &path);

	if (err)
		return err;
	err = inode_permission(&ctx, path.dentry->d_inode, MAY_EXEC);
	if (!err && !capable(CAP_SYS_CHROOT))
		err = -EPERM;
	if (err)
		path_put(&path);
	else
		set_fs_root(current->fs, &path);
	put_vfs_ctx(&ctx);
	return err;
}

static int setattr_dentry(const struct vfs_ctx *ctx, struct dentry *dentry,
			  struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;
	int err;

	inode_lock(inode);
	if (attr->ia_valid & ATTR_MODE)
		attr->ia_mode = (attr->ia_mode & S_IALLUGO) | (inode->i_mode & S_IFMT);
	/* A new owner must not inherit set-ID powers (directories keep them: inheritance). */
	if ((attr->ia_valid & (ATTR_UID | ATTR_GID)) && !S_ISDIR(inode->i_mode))
		attr->ia_valid |= ATTR_KILL_SUID | ATTR_KILL_SGID;
	err = notify_change(ctx, dentry, attr);
	inode_unlock(inode);
	return err;
}

static int chmod_common(const struct vfs_ctx *ctx, const struct path *path, umode_t mode)
{
	struct iattr attr = { .ia_valid = ATTR_MODE, .ia_mode = mode };

	return setattr_dentry(ctx, path->dentry, &attr);
}

/* (uid_t)-1 and (gid_t)-1 leave that one alone. */
static int chown_common(const struct vfs_ctx *ctx, const struct path *path, uid_t uid,
			gid_t gid)
{
	struct iattr attr = { .ia_uid = uid, .ia_gid = gid };

	if (uid != (uid_t)-1)
		attr.ia_valid |= ATTR_UID;
	if (gid != (gid_t)-1)
		attr.ia_valid |= ATTR_GID;
	return setattr_dentry(ctx, path->dentry, &attr);
}

int do_fchmodat(const struct vfs_ctx *ctx, const char *name, umode_t mode)
{
	struct path path;
	int err = kern_path(ctx, name, LOOKUP_FOLLOW, &path);

	if (err)
		return err;
	err = chmod_common(ctx, &path, mode);
	path_put(&path);
	return err;
}

int do_fchownat(const struct vfs_ctx *ctx, const char *name, uid_t uid, gid_t gid, int flags)
{
	struct path path;
	int err;

	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	err = kern_path(ctx, name, at_lookup_flags(flags), &path);
	if (err)
		return err;
	err = chown_common(ctx, &path, uid, gid);
	path_put(&path);
	return err;
}

SYSCALL_DEFINE2(fchmod, unsigned int, fd, umode_t, mode)
{
	struct file *file = fdget(fd);
	struct vfs_ctx ctx;
	int err;

	if (!file)
		return -EBADF;
	get_current_vfs_ctx(&ctx);
	err = chmod_common(&ctx, &file->f_path, mode);
	put_vfs_ctx(&ctx);
	fput(file);
	return err;
}

SYSCALL_DEFINE3(fchmodat, int, dfd, const char __user *, filename, umode_t, mode)
{
	struct vfs_ctx ctx;
	struct path path;
	int err = user_path_at(dfd, filename, LOOKUP_FOLLOW, &ctx, &path);

	if (err)
		return err;
	err = chmod_common(&ctx, &path, mode);
	path_put(&path);
	put_vfs_ctx(&ctx);
	return err;
}

SYSCALL_DEFINE5(fchownat, int, dfd, const char __user *, filename, uid_t, user,
		gid_t, group, int, flag)
{
	struct vfs_ctx ctx;
	struct path path;
	int err;

	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_path_at(dfd, filename, at_lookup_flags(flag), &ctx, &path);
	if (err)
		return err;
	err = chown_common(&ctx, &path, user, group);
	path_put(&path);
	put_vfs_ctx(&ctx);
	return err;
}

SYSCALL_DEFINE3(fchown, unsigned int, fd, uid_t, user, gid_t, group)
{
	struct file *file = fdget(fd);
	struct vfs_ctx ctx;
	int err;

	if (!file)
		return -EBADF;
	get_current_vfs_ctx(&ctx);
	err = chown_common(&ctx, &file->f_path, user, group);
	put_vfs_ctx(&ctx);
	fput(file);
	return err;
}
