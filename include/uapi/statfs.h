/* SPDX-License-Identifier: MIT */
/* What statfs(2) and fstatfs(2) fill: asm-generic/statfs.h on a 64-bit kernel. */
#ifndef UAPI_STATFS_H
#define UAPI_STATFS_H

struct statfs {
	long f_type;
	long f_bsize;
	long f_blocks;
	long f_bfree;
	long f_bavail;
	long f_files;
	long f_ffree;
	struct {
		int val[2];
	} f_fsid;
	long f_namelen;
	long f_frsize;
	long f_flags;			/* ST_* */
	long f_spare[4];
};

#define ST_RDONLY	0x0001
#define ST_NOSUID	0x0002
#define ST_NODEV	0x0004
#define ST_NOEXEC	0x0008
#define ST_SYNCHRONOUS	0x0010
#define ST_VALID	0x0020		/* f_flags is filled in */
#define ST_NOATIME	0x0400
#define ST_NODIRATIME	0x0800
#define ST_RELATIME	0x1000

#endif
