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

/* Terminals (drivers/tty/). */
#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403		/* after the output drained */
#define TCSETSF		0x5404		/* after the output drained, input flushed */
#define TCSBRK		0x5409		/* tcdrain (arg != 0), tcsendbreak (arg 0) */
#define TCXONC		0x540A
#define TCFLSH		0x540B
#define TIOCSCTTY	0x540E
#define TIOCGPGRP	0x540F
#define TIOCSPGRP	0x5410
#define TIOCOUTQ	0x5411
#define TIOCSTI		0x5412		/* fake input */
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define TIOCINQ		FIONREAD
#define TIOCNOTTY	0x5422
#define TCSBRKP		0x5425		/* tcsendbreak with a duration */
#define TIOCGSID	0x5429
/* _IOR('T', 0x2A, struct termios2) and _IOW('T', 0x2B..0x2D, struct termios2) */
#define TCGETS2		0x802C542A
#define TCSETS2		0x402C542B
#define TCSETSW2	0x402C542C
#define TCSETSF2	0x402C542D

#endif
