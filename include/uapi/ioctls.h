/* SPDX-License-Identifier: MIT */
/* ioctl(2) command numbers of asm-generic/ioctls.h, as arm64 uses them. */
#ifndef UAPI_IOCTLS_H
#define UAPI_IOCTLS_H

/* Any file (fs/ioctl.c), or the driver's. */
#define FIONREAD	0x541B
#define FIONBIO		0x5421
#define FIONCLEX	0x5450
#define FIOCLEX		0x5451
#define FIOASYNC	0x5452
#define FIOQSIZE	0x5460

#endif
