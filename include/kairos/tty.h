/* SPDX-License-Identifier: MIT */
/* Terminals (drivers/tty/): what process management calls. */
#ifndef KAIROS_TTY_H
#define KAIROS_TTY_H

struct tty_struct;

/* A session leader exits (on_exit) or calls TIOCNOTTY: its session loses the terminal;
 * the foreground process group gets SIGHUP and SIGCONT. */
void disassociate_ctty(int on_exit);

#endif
