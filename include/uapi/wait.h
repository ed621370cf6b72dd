/* SPDX-License-Identifier: MIT */
/* wait4(2) and waitid(2) as the Linux ABI defines them. */
#ifndef UAPI_WAIT_H
#define UAPI_WAIT_H

#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WSTOPPED	WUNTRACED
#define WEXITED		0x00000004
#define WCONTINUED	0x00000008
#define WNOWAIT		0x01000000	/* leave the child waitable */

#define __WNOTHREAD	0x20000000	/* only children of this thread */
#define __WALL		0x40000000	/* children whatever their exit signal */
#define __WCLONE	0x80000000	/* only children whose exit signal is not SIGCHLD */

/* waitid's idtype */
#define P_ALL		0
#define P_PID		1
#define P_PGID		2
#define P_PIDFD		3

#endif
