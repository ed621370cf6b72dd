// SPDX-License-Identifier: MIT
/*
 * fd tables. An fd is open once alloc_fd() reserves it and holds a file once
 * fd_install() fills it. The arrays grow (doubling, from 64) and never shrink; they are
 * allocated outside file_lock and swapped in under it, and every reader takes the lock.
 */
#include <kairos/bitmap.h>
#include <kairos/bug.h>
#include <kairos/sched.h>
#include <kairos/slab.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <uapi/sched.h>
#include "internal.h"

#define NR_OPEN_DEFAULT	BITS_PER_LONG

static int alloc_fdtable(struct fdtable *fdt, unsigned int nr)
{
	fdt->fd = kcalloc(nr, sizeof(*fdt->fd), GFP_KERNEL);
	fdt->open_fds = kcalloc(BITS_TO_LONGS(nr), sizeof(long), GFP_KERNEL);
	fdt->close_on_exec = kcalloc(BITS_TO_LONGS(nr), sizeof(long), GFP_KERNEL);
	fdt->max_fds = nr;
	if (fdt->fd && fdt->open_fds && fdt->close_on_exec)
		return 0;
	kfree(fdt->fd);
	kfree(fdt->open_fds);
	kfree(fdt->close_on_exec);
	return -ENOMEM;
}

static void free_fdtable(struct fdtable *fdt)
{
	kfree(fdt->fd);
	kfree(fdt->open_fds);
	kfree(fdt->close_on_exec);
}

static void copy_fdtable(struct fdtable *dst, const struct fdtable *src)
{
	memcpy(dst->fd, src->fd, src->max_fds * sizeof(*src->fd));
	memcpy(dst->open_fds, src->open_fds, BITS_TO_LONGS(src->max_fds) * sizeof(long));
	memcpy(dst->close_on_exec, src->close_on_exec,
	       BITS_TO_LONGS(src->max_fds) * sizeof(long));
}

struct files_struct *alloc_files(void)
{
	struct files_struct *files = kzalloc(sizeof(*files), GFP_KERNEL);

	if (!files)
		return NULL;
	if (alloc_fdtable(&files->fdt, NR_OPEN_DEFAULT)) {
		kfree(files);
		return NULL;
	}
	atomic_set(&files->count, 1);
	spin_lock_init(&files->file_lock);
	return files;
}

/* Makes room for fds below nr. */
static int expand_files(struct files_struct *files, unsigned int nr)
{
	struct fdtable new, old;
	unsigned int size = NR_OPEN_DEFAULT;

	while (size < nr)
		size *= 2;
	if (alloc_fdtable(&new, size))
		return -ENOMEM;
	spin_lock(&files->file_lock);
	if (files->fdt.max_fds >= size) {
		old = new;		/* someone else grew it meanwhile */
	} else {
		old = files->fdt;
		copy_fdtable(&new, &old);
		files->fdt = new;
	}
	spin_unlock(&files->file_lock);
	free_fdtable(&old);
	return 0;
}

int alloc_fd(struct files_struct *files, unsigned int start, unsigned long nofile,
	     unsigned int flags)
{
	struct fdtable *fdt = &files->fdt;
	unsigned int fd;
	int err;

	nofile = min(nofile, (unsigned long)NR_OPEN);
	for (;;) {
		spin_lock(&files->file_lock);
		fd = max(start, files->next_fd);
		if (fd < fdt->max_fds)
			fd = find_next_zero_bit(fdt->open_fds, fdt->max_fds, fd);
		if (fd >= nofile) {
			spin_unlock(&files->file_lock);
			return -EMFILE;
		}
		if (fd < fdt->max_fds)
			break;
		spin_unlock(&files->file_lock);
		err = expand_files(files, fd + 1);
		if (err)
			return err;
	}
	__set_bit(fd, fdt->open_fds);
	if (flags & O_CLOEXEC)
		__set_bit(fd, fdt->close_on_exec);
	else
		__clear_bit(fd, fdt->close_on_exec);
	if (start <= files->next_fd)
		files->next_fd = fd + 1;
	spin_unlock(&files->file_lock);
	return fd;
}

static void __put_unused_fd(struct files_struct *files, unsigned int fd)
{
	__clear_bit(fd, files->fdt.open_fds);
	__clear_bit(fd, files->fdt.close_on_exec);
	if (fd < files->next_fd)
		files->next_fd = fd;
}

void put_unused_fd(struct files_struct *files, unsigned int fd)
{
	spin_lock(&files->file_lock);
	__put_unused_fd(files, fd);
	spin_unlock(&files->file_lock);
}

void fd_install(struct files_struct *files, unsigned int fd, struct file *file)
{
	spin_lock(&files->file_lock);
	BUG_ON(files->fdt.fd[fd]);
	files->fdt.fd[fd] = file;
	spin_unlock(&files->file_lock);
}

static struct file *files_lookup_fd_locked(struct files_struct *files, unsigned int fd)
{
	return fd < files->fdt.max_fds ? files->fdt.fd[fd] : NULL;
}

struct file *fget(struct files_struct *files, unsigned int fd)
{
	struct file *file;

	spin_lock(&files->file_lock);
	file = files_lookup_fd_locked(files, fd);
	if (file)
		get_file(file);
	spin_unlock(&files->file_lock);
	return file;
}

/* current's; files with any of the mask bits in f_mode count as not there. */
static struct file *fget_masked(unsigned int fd, unsigned int mask)
{
	struct files_struct *files = current->files;
	struct file *file;

	spin_lock(&files->file_lock);
	file = files_lookup_fd_locked(files, fd);
	if (file && !(file->f_mode & mask))
		get_file(file);
	else
		file = NULL;
	spin_unlock(&files->file_lock);
	return file;
}

struct file *fdget(unsigned int fd)
{
	return fget_masked(fd, FMODE_PATH);
}

struct file *fdget_raw(unsigned int fd)
{
	return fget_masked(fd, 0);
}

int close_fd(struct files_struct *files, unsigned int fd)
{
	struct file *file;

	spin_lock(&files->file_lock);
	file = files_lookup_fd_locked(files, fd);
	if (!file) {
		spin_unlock(&files->file_lock);
		return -EBADF;
	}
	files->fdt.fd[fd] = NULL;
	__put_unused_fd(files, fd);
	spin_unlock(&files->file_lock);
	fput(file);
	return 0;
}

int ksys_dup(struct files_struct *files, unsigned int fd, unsigned long nofile)
{
	struct file *file = fget(files, fd);
	int ret;

	if (!file)
		return -EBADF;
	ret = alloc_fd(files, 0, nofile, 0);
	if (ret < 0)
		fput(file);
	else
		fd_install(files, ret, file);
	return ret;
}

/*
 * dup3: newfd closes whatever it had first, atomically. An fd reserved by an open
 * that has not installed its file yet cannot be taken: EBUSY, as Linux says.
 */
int ksys_dup3(struct files_struct *files, unsigned int oldfd, unsigned int newfd,
	      int flags, unsigned long nofile)
{
	struct file *file, *tofree;
	int err;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd >= min(nofile, (unsigned long)NR_OPEN))
		return -EBADF;
	if (newfd >= READ_ONCE(files->fdt.max_fds)) {
		err = expand_files(files, newfd + 1);
		if (err)
			return err;
	}
	spin_lock(&files->file_lock);
	file = files_lookup_fd_locked(files, oldfd);
	if (!file) {
		spin_unlock(&files->file_lock);
		return -EBADF;
	}
	tofree = files->fdt.fd[newfd];
	if (!tofree && test_bit(newfd, files->fdt.open_fds)) {
		spin_unlock(&files->file_lock);
		return -EBUSY;
	}
	files->fdt.fd[newfd] = get_file(file);
	__set_bit(newfd, files->fdt.open_fds);
	if (flags & O_CLOEXEC)
		__set_bit(newfd, files->fdt.close_on_exec);
	else
		__clear_bit(newfd, files->fdt.close_on_exec);
	spin_unlock(&files->file_lock);
	if (tofree)
		fput(tofree);
	return newfd;
}

/* dup2 onto itself does nothing but check oldfd. */
int ksys_dup2(struct files_struct *files, unsigned int oldfd, unsigned int newfd,
	      unsigned long nofile)
{
	if (oldfd == newfd) {
		struct file *file = fget(files, oldfd);

		if (!file)
			return -EBADF;
		fput(file);
		return newfd;
	}
	return ksys_dup3(files, oldfd, newfd, 0, nofile);
}

int f_dupfd(struct files_struct *files, unsigned int from, struct file *file,
	    unsigned int flags, unsigned long nofile)
{
	int fd;

	if (from >= nofile)
		return -EINVAL;
	fd = alloc_fd(files, from, nofile, flags);
	if (fd >= 0)
		fd_install(files, fd, get_file(file));
	return fd;
}

int get_close_on_exec(struct files_struct *files, unsigned int fd)
{
	int ret = -EBADF;

	spin_lock(&files->file_lock);
	if (files_lookup_fd_locked(files, fd))
		ret = test_bit(fd, files->fdt.close_on_exec);
	spin_unlock(&files->file_lock);
	return ret;
}

int set_close_on_exec(struct files_struct *files, unsigned int fd, bool on)
{
	int ret = -EBADF;

	spin_lock(&files->file_lock);
	if (files_lookup_fd_locked(files, fd)) {
		if (on)
			__set_bit(fd, files->fdt.close_on_exec);
		else
			__clear_bit(fd, files->fdt.close_on_exec);
		ret = 0;
	}
	spin_unlock(&files->file_lock);
	return ret;
}

/*
 * close_range: every open fd from fd to max_fd closed, or marked close-on-exec. A table
 * shared with other tasks is first copied for this one (CLOSE_RANGE_UNSHARE).
 */
int __close_range(unsigned int fd, unsigned int max_fd, unsigned int flags)
{
	struct files_struct *files = current->files;

	if ((flags & CLOSE_RANGE_UNSHARE) && atomic_read(&files->count) > 1) {
		struct files_struct *newf = dup_fd(files);

		if (!newf)
			return -ENOMEM;
		task_lock(current);
		current->files = newf;
		task_unlock(current);
		put_files_struct(files);
		files = newf;
	}
	spin_lock(&files->file_lock);
	for (; fd <= max_fd && fd < files->fdt.max_fds; fd++) {
		struct file *file = files->fdt.fd[fd];

		if (!file)
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC) {
			__set_bit(fd, files->fdt.close_on_exec);
			continue;
		}
		files->fdt.fd[fd] = NULL;
		__put_unused_fd(files, fd);
		spin_unlock(&files->file_lock);
		fput(file);
		spin_lock(&files->file_lock);
	}
	spin_unlock(&files->file_lock);
	return 0;
}

void do_close_on_exec(struct files_struct *files)
{
	unsigned int fd = 0;

	spin_lock(&files->file_lock);
	while ((fd = find_next_bit(files->fdt.close_on_exec, files->fdt.max_fds, fd)) <
	       files->fdt.max_fds) {
		struct file *file = files->fdt.fd[fd];

		files->fdt.fd[fd] = NULL;
		__put_unused_fd(files, fd);
		if (file) {
			spin_unlock(&files->file_lock);
			fput(file);
			spin_lock(&files->file_lock);
		}
	}
	spin_unlock(&files->file_lock);
}

/*
 * fork: the child shares every open file. An fd reserved but not yet filled stays the
 * parent's: the child gets it free.
 */
struct files_struct *dup_fd(struct files_struct *oldf)
{
	struct files_struct *newf = alloc_files();
	unsigned int size;

	if (!newf)
		return NULL;
	for (;;) {
		spin_lock(&oldf->file_lock);
		size = oldf->fdt.max_fds;
		if (size <= newf->fdt.max_fds)
			break;
		spin_unlock(&oldf->file_lock);
		if (expand_files(newf, size)) {
			put_files_struct(newf);
			return NULL;
		}
	}
	copy_fdtable(&newf->fdt, &oldf->fdt);
	newf->next_fd = oldf->next_fd;
	for (unsigned int fd = 0; fd < size; fd++) {
		if (newf->fdt.fd[fd])
			get_file(newf->fdt.fd[fd]);
		else if (test_bit(fd, newf->fdt.open_fds))
			__put_unused_fd(newf, fd);
	}
	spin_unlock(&oldf->file_lock);
	return newf;
}

void put_files_struct(struct files_struct *files)
{
	if (!atomic_dec_and_test(&files->count))
		return;
	for (unsigned int fd = 0; fd < files->fdt.max_fds; fd++)
		if (files->fdt.fd[fd])
			fput(files->fdt.fd[fd]);
	free_fdtable(&files->fdt);
	kfree(files);
}

int copy_files(unsigned long clone_flags, struct task_struct *tsk)
{
	struct files_struct *oldf = current->files;

	if (clone_flags & CLONE_FILES) {
		atomic_inc(&oldf->count);
		return 0;
	}
	tsk->files = dup_fd(oldf);
	return tsk->files ? 0 : -ENOMEM;
}

int unshare_files(void)
{
	struct files_struct *old = current->files, *copy;

	if (atomic_read(&old->count) == 1)
		return 0;
	copy = dup_fd(old);
	if (!copy)
		return -ENOMEM;
	task_lock(current);
	current->files = copy;
	task_unlock(current);
	put_files_struct(old);
	return 0;
}

void exit_files(struct task_struct *tsk)
{
	struct files_struct *files = tsk->files;

	if (files) {
		task_lock(tsk);
		tsk->files = NULL;
		task_unlock(tsk);
		put_files_struct(files);
	}
}

SYSCALL_DEFINE1(dup, unsigned int, fildes)
{
	return ksys_dup(current->files, fildes, nofile_limit());
}

SYSCALL_DEFINE3(dup3, unsigned int, oldfd, unsigned int, newfd, int, flags)
{
	return ksys_dup3(current->files, oldfd, newfd, flags, nofile_limit());
}
