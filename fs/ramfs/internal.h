/* SPDX-License-Identifier: MIT */
#ifndef FS_RAMFS_INTERNAL_H
#define FS_RAMFS_INTERNAL_H

#include "../internal.h"

/*
 * A regular file's data is a tree of pages, like a page table: height levels of node
 * pages (512 pointers each) above the data pages, grown as the file does. A missing
 * page is a hole and reads as zeros.
 */
struct ramfs_inode {
	struct inode vfs_inode;
	void *root;
	unsigned int height;
	unsigned long nrpages;		/* data pages */
};

static inline struct ramfs_inode *RAMFS_I(struct inode *inode)
{
	return container_of(inode, struct ramfs_inode, vfs_inode);
}

/* What one instance holds, for statfs. */
struct ramfs_sb_info {
	atomic64_t pages;		/* data pages */
	atomic64_t inodes;
};

static inline struct ramfs_sb_info *RAMFS_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

extern const struct inode_operations ramfs_file_inode_operations;
extern const struct file_operations ramfs_file_operations;
void ramfs_free_data(struct inode *inode);

#endif
