/* SPDX-License-Identifier: MIT */
/* The records getdents64(2) returns. */
#ifndef UAPI_DIRENT_H
#define UAPI_DIRENT_H

#include <kairos/types.h>

struct linux_dirent64 {
	u64 d_ino;
	s64 d_off;		/* seek here to read on after this entry */
	u16 d_reclen;		/* the record, padded to 8 bytes */
	u8 d_type;		/* DT_* */
	char d_name[];		/* NUL-terminated */
};

/* d_type is the file type bits of st_mode shifted down: S_IFMT >> 12. */
#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

#endif
