/* SPDX-License-Identifier: MIT */
/* What the files of the tty layer share among themselves (kairos/tty.h has the rest). */
#ifndef DRIVERS_TTY_TTY_H
#define DRIVERS_TTY_TTY_H

#include <kairos/poll.h>
#include <kairos/tty.h>

#define I_FLAG(tty, f)	((tty)->termios.c_iflag & (f))
#define O_FLAG(tty, f)	((tty)->termios.c_oflag & (f))
#define C_FLAG(tty, f)	((tty)->termios.c_cflag & (f))
#define L_FLAG(tty, f)	((tty)->termios.c_lflag & (f))
#define CC(tty, v)	((tty)->termios.c_cc[v])

/* n_tty.c: the line discipline. */
int n_tty_open(struct tty_struct *tty);
void n_tty_close(struct tty_struct *tty);
/* Process input; returns how many of the count bytes it took (fewer when full). */
int n_tty_receive_buf(struct tty_struct *tty, const u8 *cp, const u8 *fp, int count);
ssize_t n_tty_read(struct tty_struct *tty, struct file *file, struct iov_iter *to);
ssize_t n_tty_write(struct tty_struct *tty, struct file *file, const u8 *buf, size_t nr);
__poll_t n_tty_poll(struct tty_struct *tty, struct file *file, poll_table *wait);
/* termios changed (old: what it was); ldisc_lock and output_lock held. */
void n_tty_set_termios(struct tty_struct *tty, const struct ktermios *old);
/* Discard the input (TCIFLUSH, hangup). */
void n_tty_flush_buffer(struct tty_struct *tty);
/* FIONREAD: what a read could return now. */
unsigned int n_tty_inq(struct tty_struct *tty);

/* tty_io.c: the transmit buffer (output_lock held) and flow control. */
unsigned int tty_write_room(struct tty_struct *tty);
unsigned int tty_chars_in_buffer(struct tty_struct *tty);
void tty_put_chars(struct tty_struct *tty, const u8 *buf, unsigned int n);
/* Hand the transmit buffer to the driver, unless output is stopped. */
void tty_xmit_push(struct tty_struct *tty);
void tty_driver_flush_buffer(struct tty_struct *tty);
void stop_tty(struct tty_struct *tty);
void start_tty(struct tty_struct *tty);
/* Sleep until the transmit buffer is empty: 0, or -ERESTARTSYS. No locks held. */
int tty_wait_until_sent(struct tty_struct *tty);
bool tty_hung_up_p(struct file *file);
/* The session leader exits: files opened other than as /dev/console stop working, the
 * session loses the terminal, and its foreground process group gets SIGHUP. */
void tty_vhangup_session(struct tty_struct *tty);
/* A character the driver sends ahead of the queued output (TCIOFF, TCION). */
void tty_send_xchar(struct tty_struct *tty, u8 ch);

/* tty_buffer.c */
void tty_buffer_init(struct tty_struct *tty);
/* Discard input not yet handed to the line discipline. */
void tty_buffer_flush(struct tty_struct *tty);
void tty_buffer_worker_init(void);

/* tty_ioctl.c: termios and the other mode ioctls. */
long tty_mode_ioctl(struct tty_struct *tty, unsigned int cmd, unsigned long arg);
speed_t tty_termios_baud_rate(const struct ktermios *termios);
speed_t tty_termios_input_baud_rate(const struct ktermios *termios);

/* tty_jobctrl.c */
/* Whether current may act on tty as its foreground: 0, or -EIO / -ERESTARTSYS after
 * sending sig (SIGTTOU for changes and writes, SIGTTIN for reads) to its group. */
int __tty_check_change(struct tty_struct *tty, int sig);
int tty_check_change(struct tty_struct *tty);
/* The foreground process group with a reference (put_pid), NULL if none. */
struct pid *tty_get_pgrp(struct tty_struct *tty);
/* Open without O_NOCTTY: a session leader without a terminal acquires tty. */
void tty_open_proc_set_tty(struct file *file, struct tty_struct *tty);
/* The job-control ioctls. */
long tty_jobctrl_ioctl(struct tty_struct *tty, struct file *file, unsigned int cmd,
		       unsigned long arg);
/* tty stops being a controlling terminal: its session forgets it. Returns the
 * foreground process group it had (NULL if none), with a reference. */
struct pid *tty_detach_session(struct tty_struct *tty);

#endif
