/* SPDX-License-Identifier: MIT */
/*
 * The virtual file system: inodes (files), dentries (names), files (opened inodes),
 * super blocks (mounted file system instances), mounts and fd tables, as Linux has them.
 *
 * Dentries: every file system keeps a tree of dentries, one per name in use; a dentry
 * holds a reference to its inode and to its parent. Lookups search a directory's child
 * dentries first and ask the file system (->lookup) only on a miss. ramfs keeps every
 * name it has as a dentry, pinned by an extra reference from creation until unlink, so
 * its tree is the file system itself; a file system that can recreate names (proc)
 * lets unused dentries go, and may tell lookups that a cached one is stale
 * (d_op->d_revalidate). An unlinked dentry leaves the tree but lives as long
 * as a path or open file refers to it, and so does its inode's data.
 *
 * Mounts: a vfsmount puts a super block's root dentry over a directory dentry (the
 * mountpoint) of its parent mount. A path is a (mount, dentry) pair; a walk that steps
 * onto a mountpoint moves to the root of the mount on top, and ".." at a mount's root
 * moves to the mountpoint first.
 *
 * Locks, outer first:
 *   namespace_sem (mutex)              mount and umount
 *   sb->s_vfs_rename_mutex (mutex)     every rename in that super block
 *   file->f_pos_lock (mutex)           a regular file's or directory's position
 *   inode->i_mutex (mutex)             a directory's entries, a file's data, size and
 *                                      attributes, an inode's link count. Parent before
 *                                      child; rename takes the two directories ancestor
 *                                      first (else lower address first), then the
 *                                      inodes renamed or replaced, lower address first
 *   dcache_lock, mount_lock, files->file_lock, fs->lock, file->f_lock (spinlocks,
 *   leaves, never nested)              the dentry tree; the mount tree; an fd table;
 *                                      root, cwd and umask; f_flags
 * User memory is copied under i_mutex (read, write): a page fault must not take it.
 */
#ifndef KAIROS_FS_H
#define KAIROS_FS_H

#include <kairos/atomic.h>
#include <kairos/delayed_call.h>
#include <kairos/err.h>
#include <kairos/list.h>
#include <kairos/mutex.h>
#include <kairos/spinlock.h>
#include <kairos/time.h>
#include <kairos/types.h>
#include <uapi/dirent.h>
#include <kairos/poll.h>
#include <kairos/uio.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

typedef unsigned short umode_t;
typedef s64 loff_t;
typedef u32 dev_t;			/* kernel encoding: MKDEV(major, minor) */

#define MINORBITS	20
#define MINORMASK	((1U << MINORBITS) - 1)
#define MAJOR(dev)	((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev)	((unsigned int)((dev) & MINORMASK))
#define MKDEV(ma, mi)	(((ma) << MINORBITS) | (mi))

/* The 32-bit encoding stat(2) and mknod(2) use: minor bits 0-7 and 20-31, major 8-19. */
static inline u32 new_encode_dev(dev_t dev)
{
	unsigned int major = MAJOR(dev), minor = MINOR(dev);

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

static inline dev_t new_decode_dev(u32 dev)
{
	unsigned int major = (dev & 0xfff00) >> 8;
	unsigned int minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);

	return MKDEV(major, minor);
}

#define PATH_MAX	4096		/* including the NUL */
#define NAME_MAX	255
#define MAXSYMLINKS	40		/* per lookup, nested or not */
#define NR_OPEN		(1024 * 1024)	/* the largest fd table: RLIMIT_NOFILE's ceiling */
#define MAX_LFS_FILESIZE ((loff_t)0x7fffffffffffffffLL)
/* One read or write moves at most this much, as in Linux. */
#define MAX_RW_COUNT	(0x7fffffffUL & ~4095UL)

struct dentry;
struct file;
struct pipe_inode_info;
struct vm_area_struct;
struct inode;
struct kstat;
struct super_block;
struct vfsmount;

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

/*
 * Who asks, and from where: every call that resolves names or checks permissions gets
 * one. A task's comes from current->fs and current_cred() (get_current_vfs_ctx); an
 * *at() call's pwd is its directory fd's path. Root (fsuid 0) passes every permission
 * check but execute on a file without any x bit, as with all capabilities.
 */
struct vfs_ctx {
	struct path root;	/* where "/" leads and ".." stops */
	struct path pwd;	/* where relative names start */
	uid_t fsuid;
	gid_t fsgid;
	unsigned int ngroups;	/* supplementary groups */
	const gid_t *groups;
	umode_t umask;
};

/* Masks for inode_permission(). */
#define MAY_EXEC	0x1
#define MAY_WRITE	0x2
#define MAY_READ	0x4

/*
 * Who maps an inode's pages (mm/mmap.c links every VMA of the file here), and the lock
 * of the file system's own index of them (ramfs's page tree). Both locks are leaves
 * taken under mmap_lock; neither is held across anything that sleeps.
 */
struct address_space {
	spinlock_t i_mmap_lock;
	struct list_head i_mmap;	/* vm_area_struct.shared */
	unsigned int unmap_seq;		/* unmap_mapping_pages passes, under i_mutex */
	spinlock_t i_pages_lock;
};

static inline void address_space_init(struct address_space *mapping)
{
	spin_lock_init(&mapping->i_mmap_lock);
	INIT_LIST_HEAD(&mapping->i_mmap);
	mapping->unmap_seq = 0;
	spin_lock_init(&mapping->i_pages_lock);
}

/* i_flags */
#define S_DEAD		0x1	/* a removed directory: nothing can be created in it */

struct inode {
	umode_t i_mode;
	unsigned int i_flags;
	uid_t i_uid;
	gid_t i_gid;
	unsigned int i_nlink;
	dev_t i_rdev;			/* character and block devices */
	struct pipe_inode_info *i_pipe;	/* FIFOs, while open; under i_mutex */
	unsigned long i_ino;
	loff_t i_size;
	u64 i_blocks;			/* 512-byte units in use */
	struct timespec64 i_atime, i_mtime, i_ctime;
	atomic_t i_count;
	atomic_t i_writecount;		/* > 0: open for writing; < 0: denied (running) */
	struct mutex i_mutex;		/* Linux's i_rwsem, always taken exclusively */
	const char *i_link;		/* a symlink's target, for simple_get_link() */
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	struct super_block *i_sb;
	void *i_private;
	struct address_space i_data;	/* mappings of the file's pages */
};

struct qstr {
	const char *name;		/* NUL-terminated, kmalloc'd with the dentry */
	unsigned int len;
};

/* What a file system that can recreate names may say about a cached one. */
struct dentry_operations {
	/* Whether dentry still stands for what its name means now (/proc/PID: the same
	 * process); 0 makes lookups drop it from the tree and ask ->lookup again. */
	int (*d_revalidate)(struct dentry *dentry);
};

/* d_flags, under dcache_lock */
#define DCACHE_HASHED	0x1		/* in its parent's d_subdirs: found by lookups */

struct dentry {
	unsigned int d_flags;
	unsigned int d_mounted;		/* mounts on this dentry, under mount_lock */
	atomic_t d_count;
	struct qstr d_name;
	struct inode *d_inode;		/* NULL for a name that does not exist (yet) */
	const struct dentry_operations *d_op;	/* the file system's, or NULL */
	struct dentry *d_parent;	/* itself at a file system's root */
	struct super_block *d_sb;
	struct list_head d_child;	/* in the parent's d_subdirs */
	struct list_head d_subdirs;
	/* Where readdir finds this entry: positions stay valid across creates and unlinks. */
	loff_t d_index;
	loff_t d_next_index;		/* directories: the next child's d_index */
};

struct iattr {
	unsigned int ia_valid;		/* ATTR_* */
	umode_t ia_mode;
	uid_t ia_uid;
	gid_t ia_gid;
	loff_t ia_size;
	struct timespec64 ia_atime, ia_mtime, ia_ctime;
};

#define ATTR_MODE	(1 << 0)
#define ATTR_UID	(1 << 1)
#define ATTR_GID	(1 << 2)
#define ATTR_SIZE	(1 << 3)
#define ATTR_ATIME	(1 << 4)
#define ATTR_MTIME	(1 << 5)
#define ATTR_CTIME	(1 << 6)
#define ATTR_ATIME_SET	(1 << 7)	/* ia_atime holds the time; otherwise now */
#define ATTR_MTIME_SET	(1 << 8)
#define ATTR_KILL_SUID	(1 << 11)
#define ATTR_KILL_SGID	(1 << 12)
#define ATTR_TIMES_SET	(1 << 16)	/* times given by the caller: owner only */
#define ATTR_TOUCH	(1 << 17)	/* times set to now: owner or write permission */

struct kstat {
	u32 result_mask;		/* STATX_* */
	umode_t mode;
	unsigned int nlink;
	u32 blksize;
	u64 ino;
	dev_t dev;
	dev_t rdev;
	uid_t uid;
	gid_t gid;
	loff_t size;
	struct timespec64 atime, mtime, ctime;
	u64 blocks;
	u64 mnt_id;
};

struct inode_operations {
	/* Instantiate @dentry with d_add() if @dir has that name; a miss is not an error. */
	int (*lookup)(struct inode *dir, struct dentry *dentry);
	int (*create)(const struct vfs_ctx *ctx, struct inode *dir, struct dentry *dentry,
		      umode_t mode);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *dentry);
	int (*unlink)(struct inode *dir, struct dentry *dentry);
	int (*symlink)(const struct vfs_ctx *ctx, struct inode *dir, struct dentry *dentry,
		       const char *target);
	int (*mkdir)(const struct vfs_ctx *ctx, struct inode *dir, struct dentry *dentry,
		     umode_t mode);
	int (*rmdir)(struct inode *dir, struct dentry *dentry);
	int (*mknod)(const struct vfs_ctx *ctx, struct inode *dir, struct dentry *dentry,
		     umode_t mode, dev_t dev);
	/* @new_dentry is negative or the victim, which the file system drops. */
	int (*rename)(struct inode *old_dir, struct dentry *old_dentry, struct inode *new_dir,
		      struct dentry *new_dentry, unsigned int flags);
	/* The target, valid while the dentry is held and until done is called (a target
	 * made for this caller sets done to free it); readlink uses it too, unless there is
	 * ->readlink. Called by a walk, it may instead move the walk (nd_jump_link) and
	 * return NULL. */
	const char *(*get_link)(struct dentry *dentry, struct inode *inode,
				struct delayed_call *done);
	/* readlink's text, if not the target get_link gives (links that jump): at most
	 * size bytes into buf; the length or -errno. */
	int (*readlink)(struct dentry *dentry, char *buf, int size);
	/* Called with i_mutex held, after the VFS checked permissions. */
	int (*setattr)(struct dentry *dentry, struct iattr *attr);
	int (*getattr)(const struct path *path, struct kstat *stat);
};

/*
 * getdents: the iterator calls actor for each entry from ctx->pos on; the actor returns
 * false when the buffer is full. next_pos is where reading resumes after that entry.
 */
struct dir_context;
typedef bool (*filldir_t)(struct dir_context *ctx, const char *name, int namelen,
			  loff_t next_pos, u64 ino, unsigned int d_type);
struct dir_context {
	filldir_t actor;
	loff_t pos;
};

struct file_operations {
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	/*
	 * User or kernel memory (kairos/uio.h); at *pos, which they advance (files that
	 * cannot seek get a position of their own, unused). A fault in user memory ends
	 * the transfer: the bytes done so far, or -EFAULT if none.
	 */
	ssize_t (*read_iter)(struct file *file, struct iov_iter *to, loff_t *pos);
	ssize_t (*write_iter)(struct file *file, struct iov_iter *from, loff_t *pos);
	/* The events ready now (POLL*), and the wait queues to sleep on (poll_wait). */
	__poll_t (*poll)(struct file *file, struct poll_table_struct *pt);
	int (*iterate)(struct file *file, struct dir_context *ctx);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	/* Data on stable storage; files without it cannot be synced (EINVAL). */
	int (*fsync)(struct file *file, int datasync);
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
	/* mmap of the file: set up vma (vm_ops; vm_file is set already). Called with
	 * mmap_lock held. 0 or -errno; without it mmap fails with ENODEV. */
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
};

/* f_mode */
#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
#define FMODE_LSEEK	0x4		/* llseek, pread and pwrite work: not a pipe */
#define FMODE_CAN_READ	0x8		/* f_op->read_iter exists */
#define FMODE_CAN_WRITE	0x10
#define FMODE_OPENED	0x20		/* ->release is due */
#define FMODE_ATOMIC_POS 0x40		/* f_pos_lock serializes position updates */
#define FMODE_PATH	0x80		/* O_PATH: a place in the tree, no I/O */
#define FMODE_WRITER	0x100		/* holds write access to the inode: fput gives it back */

/*
 * An open file. f_flags changes (fcntl F_SETFL) under f_lock. Regular files and
 * directories move f_pos under f_pos_lock, so that threads sharing the file each see
 * a whole read, write or seek (the mutex comes before i_mutex).
 */
struct file {
	atomic_t f_count;
	spinlock_t f_lock;
	/* O_* as opened, but O_CREAT O_EXCL O_NOCTTY O_TRUNC O_CLOEXEC (->open sees
	 * O_NOCTTY: terminals decide on it). */
	unsigned int f_flags;
	unsigned int f_mode;		/* FMODE_* */
	struct mutex f_pos_lock;
	loff_t f_pos;
	unsigned int f_pipe;		/* FIFOs: the writers pipe_open saw, for poll */
	struct path f_path;
	struct inode *f_inode;
	const struct file_operations *f_op;
	void *private_data;
};

/* What statfs(2) reports, before the mount's flags are added. */
struct kstatfs {
	long f_type;
	long f_bsize;
	u64 f_blocks, f_bfree, f_bavail;
	u64 f_files, f_ffree;
	long f_namelen;
	long f_frsize;
};

/* Both inode methods may be left out: the inode is then kmalloc'd and kfree'd. */
struct super_operations {
	struct inode *(*alloc_inode)(struct super_block *sb);
	/* The last reference is gone: free the inode and everything it holds. */
	void (*destroy_inode)(struct inode *inode);
	/* Fill in what the VFS did not (type, block size and name length are set). */
	int (*statfs)(struct dentry *dentry, struct kstatfs *buf);
};

struct file_system_type {
	const char *name;
	/* A new instance: returns its root dentry, or an ERR_PTR. */
	struct dentry *(*mount)(struct file_system_type *type, const char *dev_name,
				const char *data);
	/* The last mount went away (every dentry is unused). */
	void (*kill_sb)(struct super_block *sb);
	struct file_system_type *next;
};

struct super_block {
	dev_t s_dev;
	unsigned long s_magic;
	loff_t s_maxbytes;
	struct file_system_type *s_type;
	const struct super_operations *s_op;
	struct dentry *s_root;
	struct mutex s_vfs_rename_mutex;
	void *s_fs_info;
};

struct vfsmount {
	struct dentry *mnt_root;
	struct super_block *mnt_sb;
	atomic_t mnt_count;		/* paths, files, child mounts, and being mounted */
	int mnt_id;
	/* Under mount_lock; mnt_parent is NULL for a mount that is not attached. */
	struct vfsmount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct list_head mnt_list;	/* every attached mount */
	bool mnt_expiry_mark;		/* umount2(MNT_EXPIRE) was asked once */
	char *mnt_devname;		/* what mount(2) was given as the source */
};

/* Live objects, as /proc/sys/fs reports them later; tests use them to find leaks. */
extern atomic_t nr_inodes, nr_dentries, nr_files;

/* fs/inode.c */
struct inode *new_inode(struct super_block *sb);
void ihold(struct inode *inode);
void iput(struct inode *inode);
struct timespec64 current_time(struct inode *inode);
void inode_init_owner(const struct vfs_ctx *ctx, struct inode *inode,
		      const struct inode *dir, umode_t mode);
void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev);
void inc_nlink(struct inode *inode);
void drop_nlink(struct inode *inode);
bool in_group_p(const struct vfs_ctx *ctx, gid_t gid);
bool inode_owner_or_capable(const struct vfs_ctx *ctx, const struct inode *inode);
int inode_permission(const struct vfs_ctx *ctx, struct inode *inode, int mask);

static inline void inode_lock(struct inode *inode)
{
	mutex_lock(&inode->i_mutex);
}

static inline void inode_unlock(struct inode *inode)
{
	mutex_unlock(&inode->i_mutex);
}

static inline bool IS_DEADDIR(const struct inode *inode)
{
	return inode->i_flags & S_DEAD;
}

/* fs/dcache.c */
extern spinlock_t dcache_lock;
struct dentry *d_alloc(struct dentry *parent, const struct qstr *name);
/* A file system's root: its own parent, never in a directory. Consumes inode. */
struct dentry *d_make_root(struct inode *inode);
/* The same for files in no directory (pipes), named for display only. */
struct dentry *d_make_pseudo(struct inode *inode, const char *name);
void d_add(struct dentry *dentry, struct inode *inode);
void d_drop(struct dentry *dentry);
struct dentry *d_lookup(struct dentry *parent, const struct qstr *name);
void d_move(struct dentry *dentry, struct dentry *target);
struct dentry *dget_parent(struct dentry *dentry);
bool is_subdir(struct dentry *dentry, struct dentry *ancestor);
void dput(struct dentry *dentry);

static inline struct dentry *dget(struct dentry *dentry)
{
	atomic_inc(&dentry->d_count);	/* the caller holds a reference or dcache_lock */
	return dentry;
}

static inline bool d_mountpoint(const struct dentry *dentry)
{
	return READ_ONCE(dentry->d_mounted);
}

static inline bool d_is_dir(const struct dentry *dentry)
{
	return dentry->d_inode && S_ISDIR(dentry->d_inode->i_mode);
}

/* fs/namei.c: path operations, as the *at() system calls do them. */
#define LOOKUP_FOLLOW		0x1	/* follow a final symlink */
#define LOOKUP_DIRECTORY	0x2	/* the result must be a directory */
#define LOOKUP_EMPTY		0x4	/* user_path_at: "" is the directory fd's file */

/* The lookup an *at call's AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH flags ask for. */
static inline unsigned int at_lookup_flags(int at_flags)
{
	return ((at_flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
	       ((at_flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
}

/* In a ->get_link: the walk goes on from path (taking its reference); see namei.c. */
void nd_jump_link(const struct path *path);
int kern_path(const struct vfs_ctx *ctx, const char *name, unsigned int flags,
	      struct path *path);
int do_mkdirat(const struct vfs_ctx *ctx, const char *name, umode_t mode);
int do_mknodat(const struct vfs_ctx *ctx, const char *name, umode_t mode, dev_t dev);
int do_symlinkat(const struct vfs_ctx *ctx, const char *target, const char *name);
/* Two ctxs: the names may be relative to different directories. flags: AT_SYMLINK_FOLLOW */
int do_linkat(const struct vfs_ctx *octx, const char *oldname, const struct vfs_ctx *nctx,
	      const char *newname, int flags);
int do_unlinkat(const struct vfs_ctx *ctx, const char *name);
int do_rmdir(const struct vfs_ctx *ctx, const char *name);
/* flags: RENAME_NOREPLACE */
int do_renameat2(const struct vfs_ctx *octx, const char *oldname, const struct vfs_ctx *nctx,
		 const char *newname, unsigned int flags);
/* The target's length (not NUL-terminated, cut to size), or -errno. */
int do_readlinkat(const struct vfs_ctx *ctx, const char *name, char *buf, int size);
int vfs_readlink(struct dentry *dentry, char *buf, int size);

/* fs/open.c */
struct file *filp_open(const struct vfs_ctx *ctx, const char *name, int flags, umode_t mode);
int vfs_truncate(const struct vfs_ctx *ctx, const struct path *path, loff_t length);
int do_ftruncate(const struct vfs_ctx *ctx, struct file *file, loff_t length);
/* flags: AT_SYMLINK_NOFOLLOW where it applies */
int do_fchmodat(const struct vfs_ctx *ctx, const char *name, umode_t mode);
int do_fchownat(const struct vfs_ctx *ctx, const char *name, uid_t uid, gid_t gid, int flags);
/* times NULL: now. Otherwise [atime, mtime], tv_nsec may be UTIME_NOW or UTIME_OMIT. */
int do_utimes(const struct vfs_ctx *ctx, const char *name, const struct timespec64 *times,
	      int flags);

/* fs/d_path.c: path's name as current sees it, at the end of buf (or an ERR_PTR). */
char *d_path(const struct path *path, char *buf, int buflen);

/* fs/attr.c */
int notify_change(const struct vfs_ctx *ctx, struct dentry *dentry, struct iattr *attr);

/*
 * fs/read_write.c. pos is where the transfer starts, advanced by it; NULL for files
 * that cannot seek (FMODE_LSEEK clear). Errors as read(2) and write(2) have them:
 * EBADF for the wrong access mode, EINVAL for a file without the operation or a
 * position out of range, EFAULT for a buffer outside user memory.
 */
ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos);
ssize_t vfs_write(struct file *file, const char __user *buf, size_t count, loff_t *pos);
ssize_t vfs_iter_read(struct file *file, struct iov_iter *iter, loff_t *pos);
ssize_t vfs_iter_write(struct file *file, struct iov_iter *iter, loff_t *pos);
/* The same with a kernel buffer. */
ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos);
ssize_t kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos);
loff_t vfs_llseek(struct file *file, loff_t offset, int whence);
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence);
/* A file system's size checks: RLIMIT_FSIZE (SIGXFSZ and -EFBIG) and s_maxbytes, for a
 * write of *count bytes at pos (cut to fit) and for a new size (fs/attr.c). */
int generic_write_checks(struct file *file, loff_t pos, size_t *count);
int inode_newsize_ok(const struct inode *inode, loff_t offset);

/* fs/ioctl.c: the file's own ioctl, or -ENOTTY. */
long vfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* fs/readdir.c */
int iterate_dir(struct file *file, struct dir_context *ctx);
/* linux_dirent64 records into buf: bytes filled, 0 at the end, or -errno. */
int vfs_getdents64(struct file *file, void *buf, size_t count);

/* fs/stat.c */
void generic_fillattr(struct inode *inode, struct kstat *stat);
int vfs_getattr(const struct path *path, struct kstat *stat);
/* flags: AT_SYMLINK_NOFOLLOW */
int vfs_statx(const struct vfs_ctx *ctx, const char *name, int flags, struct kstat *stat);
void cp_new_stat(const struct kstat *stat, struct stat *st);
void cp_statx(const struct kstat *stat, struct statx *stx);

/* fs/file_table.c */
struct file *alloc_file(const struct path *path, int flags, const struct file_operations *fop);
void fput(struct file *file);

static inline struct file *get_file(struct file *file)
{
	atomic_inc(&file->f_count);
	return file;
}

/*
 * i_writecount: writers count up, the running images of a file (exec) count down, and
 * neither side may start while the other holds it: ETXTBSY.
 */
static inline int get_write_access(struct inode *inode)
{
	return atomic_inc_unless_negative(&inode->i_writecount) ? 0 : -ETXTBSY;
}

static inline void put_write_access(struct inode *inode)
{
	atomic_dec(&inode->i_writecount);
}

static inline int deny_write_access(struct file *file)
{
	return atomic_dec_unless_positive(&file->f_inode->i_writecount) ? 0 : -ETXTBSY;
}

static inline void allow_write_access(struct file *file)
{
	if (file)
		atomic_inc(&file->f_inode->i_writecount);
}

/* Devices, FIFOs and sockets: writing them does not change what a file holds. */
static inline bool special_file(umode_t mode)
{
	return S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) || S_ISSOCK(mode);
}

/* fs/file.c: fd tables. nofile is the caller's RLIMIT_NOFILE. */
struct fdtable {
	unsigned int max_fds;
	struct file **fd;
	unsigned long *open_fds;
	unsigned long *close_on_exec;
};

struct files_struct {
	atomic_t count;
	spinlock_t file_lock;
	unsigned int next_fd;		/* no free fd below it */
	struct fdtable fdt;
};

/* What CLONE_FS shares: where names start, and the umask. */
struct fs_struct {
	atomic_t users;
	spinlock_t lock;
	umode_t umask;
	struct path root, pwd;
};

struct task_struct;
extern struct fs_struct init_fs;		/* init_task's: rootfs, umask 022 */

/* fork: share (CLONE_FS / CLONE_FILES) or copy current's; exit: drop tsk's. 0 / -ENOMEM. */
int copy_fs(unsigned long clone_flags, struct task_struct *tsk);
int copy_files(unsigned long clone_flags, struct task_struct *tsk);
void exit_fs(struct task_struct *tsk);
/* exec: a private copy of current's fd table if it is shared. 0 / -ENOMEM. */
int unshare_files(void);
void exit_files(struct task_struct *tsk);
/*
 * Fill ctx from current (fs root, cwd, umask; cred fsuid, fsgid, groups), with
 * references to the paths, so that a chdir or chroot by a task sharing the fs_struct
 * cannot free them under the caller; put_vfs_ctx() drops them. get_init_vfs_ctx() is
 * the kernel's own: init_fs, as root.
 */
void get_current_vfs_ctx(struct vfs_ctx *ctx);
void get_init_vfs_ctx(struct vfs_ctx *ctx);
void put_vfs_ctx(struct vfs_ctx *ctx);

/* A character-device driver: open of an S_IFCHR inode with this major gets fops (its
 * ->open then sees the minor in inode->i_rdev). 0 or -EBUSY. */
int register_chrdev(unsigned int major, const char *name,
		    const struct file_operations *fops);
/* drivers/char/mem.c: /dev/null, zero, full, random, urandom (mnt_init registers them). */
void chr_dev_init(void);

struct files_struct *alloc_files(void);
/* fork: a copy sharing the open files; NULL without memory. */
struct files_struct *dup_fd(struct files_struct *oldf);
void put_files_struct(struct files_struct *files);
/* The lowest free fd >= start, reserved; -EMFILE at nofile, flags: O_CLOEXEC. */
int alloc_fd(struct files_struct *files, unsigned int start, unsigned long nofile,
	     unsigned int flags);
void put_unused_fd(struct files_struct *files, unsigned int fd);
/* Fills a reserved fd, taking over the caller's reference. */
void fd_install(struct files_struct *files, unsigned int fd, struct file *file);
/* A new reference to the file at fd, or NULL. */
struct file *fget(struct files_struct *files, unsigned int fd);
int close_fd(struct files_struct *files, unsigned int fd);
int ksys_dup(struct files_struct *files, unsigned int fd, unsigned long nofile);
int ksys_dup2(struct files_struct *files, unsigned int oldfd, unsigned int newfd,
	      unsigned long nofile);
int ksys_dup3(struct files_struct *files, unsigned int oldfd, unsigned int newfd,
	      int flags, unsigned long nofile);
/* F_DUPFD and F_DUPFD_CLOEXEC: the lowest free fd >= from. */
int f_dupfd(struct files_struct *files, unsigned int from, struct file *file,
	    unsigned int flags, unsigned long nofile);
/* close_range(2) on current's table: flags CLOSE_RANGE_UNSHARE, CLOSE_RANGE_CLOEXEC. */
int __close_range(unsigned int fd, unsigned int max_fd, unsigned int flags);
int get_close_on_exec(struct files_struct *files, unsigned int fd);
int set_close_on_exec(struct files_struct *files, unsigned int fd, bool on);
void do_close_on_exec(struct files_struct *files);

/* fs/super.c */
int register_filesystem(struct file_system_type *type);
struct file_system_type *get_fs_type(const char *name);
struct super_block *sget_anon(struct file_system_type *type);
void kill_anon_super(struct super_block *sb);

/* fs/mount.c */
struct vfsmount *vfs_kern_mount(struct file_system_type *type, const char *dev_name,
				const char *data);
/* Drops the reference vfs_kern_mount() returned. */
void kern_unmount(struct vfsmount *mnt);
struct vfsmount *mntget(struct vfsmount *mnt);
void mntput(struct vfsmount *mnt);
int do_mount(const struct vfs_ctx *ctx, const char *dev_name, const char *dir_name,
	     const char *type, const char *data);
int do_umount(const struct vfs_ctx *ctx, const char *name);
/* /proc/mounts (each mount, oldest first, as "source path type options 0 0") or, with
 * mountinfo, /proc/PID/mountinfo. */
struct seq_file;
int show_mounts(struct seq_file *m, bool mountinfo);
/* /proc/filesystems (fs/super.c). */
int filesystems_proc_show(struct seq_file *m);
/* Sets up the root file system: called once, before anything else here. */
void mnt_init(void);

static inline void path_get(const struct path *path)
{
	mntget(path->mnt);
	dget(path->dentry);
}

static inline void path_put(const struct path *path)
{
	dput(path->dentry);
	mntput(path->mnt);
}

static inline bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

/* fs/libfs.c: helpers for file systems that live in the dentry tree */
int simple_lookup(struct inode *dir, struct dentry *dentry);
int simple_link(struct dentry *old, struct inode *dir, struct dentry *dentry);
int simple_unlink(struct inode *dir, struct dentry *dentry);
int simple_rmdir(struct inode *dir, struct dentry *dentry);
int simple_rename(struct inode *old_dir, struct dentry *old_dentry, struct inode *new_dir,
		  struct dentry *new_dentry, unsigned int flags);
bool simple_empty(struct dentry *dentry);
const char *simple_get_link(struct dentry *dentry, struct inode *inode,
			    struct delayed_call *done);
/* A delayed_call that frees a kmalloc'd target. */
void kfree_link(void *p);
void setattr_copy(struct inode *inode, const struct iattr *attr);
int dcache_readdir(struct file *file, struct dir_context *ctx);
loff_t dcache_dir_lseek(struct file *file, loff_t offset, int whence);
ssize_t generic_read_dir(struct file *file, struct iov_iter *to, loff_t *pos);
int noop_fsync(struct file *file, int datasync);
void kill_litter_super(struct super_block *sb);
struct dentry *mount_pseudo(struct file_system_type *type, unsigned long magic,
			    const struct super_operations *ops);
extern const struct file_operations simple_dir_operations;
extern const struct inode_operations simple_dir_inode_operations;

/* init/initramfs.c */
/* Unpacks cpio archives, gzip-compressed or not, at the ctx's root; NULL or what failed. */
const char *unpack_to_rootfs(const struct vfs_ctx *ctx, const void *buf, size_t len);
/* Mounts the root file system and unpacks the initrd the boot loader passed into it. */
void populate_rootfs(void);

#endif
