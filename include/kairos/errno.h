/* SPDX-License-Identifier: MIT */
/*
 * Error numbers that never reach user space: a system call interrupted by a signal
 * returns one of these and the signal code (arch/arm64/kernel/signal.c) turns it into
 * -EINTR or a restart of the call, as Linux does.
 */
#ifndef KAIROS_ERRNO_H
#define KAIROS_ERRNO_H

#include <uapi/errno.h>

#define ERESTARTSYS		512	/* restart if SA_RESTART, else -EINTR */
#define ERESTARTNOINTR		513	/* always restart */
#define ERESTARTNOHAND		514	/* restart if no handler ran, else -EINTR */
#define ENOIOCTLCMD		515	/* a driver's "not my ioctl": the VFS says ENOTTY */
#define ERESTART_RESTARTBLOCK	516	/* restart through current->restart_block.fn */

#endif
