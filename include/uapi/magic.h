/* SPDX-License-Identifier: MIT */
/* File system magic numbers, as statfs(2) reports them in f_type. */
#ifndef UAPI_MAGIC_H
#define UAPI_MAGIC_H

#define RAMFS_MAGIC		0x858458f6
#define TMPFS_MAGIC		0x01021994
#define PIPEFS_MAGIC		0x50495045
#define PROC_SUPER_MAGIC	0x9fa0
#define NSFS_MAGIC		0x6e736673

#endif
