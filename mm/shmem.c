// SPDX-License-Identifier: MIT
/*
 * Shared anonymous memory, made as Linux makes it: each MAP_SHARED|MAP_ANONYMOUS mapping
 * (or MAP_SHARED of /dev/zero) is backed by an unlinked file of its own on an internal
 * tmpfs instance. The file's pages are what every mapping of it sees, in the mm and in
 * its forks; munmap and mprotect split it like any file mapping; the last VMA's
 * reference to the file frees it and its pages.
 */
#include <kairos/err.h>
#include <kairos/fs.h>
#include <kairos/mman.h>
#include <kairos/mutex.h>
#include <kairos/sprintf.h>

#include "internal.h"

static DEFINE_MUTEX(shm_mnt_lock);
static struct vfsmount *shm_mnt;	/* made on first use, kept for good */
static atomic_t shm_files;

/* The internal tmpfs, seen by root (no permission stands in the way). */
static int shm_ctx(struct vfs_ctx *ctx)
{
	int err = 0;

	mutex_lock(&shm_mnt_lock);
	if (!shm_mnt) {
		struct vfsmount *mnt = vfs_kern_mount(get_fs_type("tmpfs"), "shm", NULL);

		if (IS_ERR(mnt))
			err = PTR_ERR(mnt);
		else
			shm_mnt = mnt;
	}
	mutex_unlock(&shm_mnt_lock);
	if (!err)
		*ctx = (struct vfs_ctx){
			.root = { shm_mnt, shm_mnt->mnt_root },
			.pwd = { shm_mnt, shm_mnt->mnt_root },
		};
	return err;
}

/*
 * Created and unlinked at once under a name nobody else uses: the open file is all that
 * is left of it. Called under mmap_lock; the internal directory's i_mutex is never held
 * around a user access, so taking it here cannot invert the lock order.
 */
struct file *shmem_file_setup(const char *name, loff_t size)
{
	struct vfs_ctx ctx;
	struct file *file;
	char buf[NAME_MAX + 1];
	int err;

	err = shm_ctx(&ctx);
	if (err)
		return ERR_PTR(err);
	snprintf(buf, sizeof(buf), "%s.%d", name, atomic_inc_return(&shm_files));
	file = filp_open(&ctx, buf, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (IS_ERR(file))
		return file;
	err = do_unlinkat(&ctx, buf);
	if (err) {
		fput(file);
		return ERR_PTR(err);
	}
	inode_lock(file->f_inode);
	file->f_inode->i_size = size;
	inode_unlock(file->f_inode);
	return file;
}

/*
 * vm_pgoff stays: as in Linux, a /dev/zero mapping at an offset reaches past the end.
 * The object is charged for its size whole, unless MAP_NORESERVE.
 */
int shmem_zero_setup(struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	struct file *file;

	if (!(vma->vm_flags & VM_NORESERVE) && vm_enough_memory(len >> PAGE_SHIFT))
		return -ENOMEM;
	file = shmem_file_setup("dev-zero", len);
	if (IS_ERR(file))
		return PTR_ERR(file);
	if (vma->vm_file)
		fput(vma->vm_file);
	vma->vm_file = file;
	return file->f_op->mmap(file, vma);
}
