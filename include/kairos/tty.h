/* SPDX-License-Identifier: MIT */
/*
 * Terminals (drivers/tty/), as Linux has them: a driver moves bytes to and from the
 * device, the tty core (tty_io.c, tty_ioctl.c, tty_jobctrl.c) gives them a file
 * interface and job control, and the line discipline n_tty (n_tty.c) sits between:
 * line editing, echo, signal characters, output post-processing.
 *
 * Input: the driver's interrupt handler stores bytes in the tty's flip buffer
 * (tty_insert_flip_char) and pushes them (tty_flip_buffer_push); the tty worker thread
 * feeds them to n_tty, which edits them into its read buffer, echoes them and raises
 * signals. Readers copy out of the read buffer. When the read buffer is full the flip
 * buffer fills up, and then the driver stops reading the device until ->unthrottle.
 *
 * Output: writers and echoes go through n_tty's output processing (ONLCR & co.) into
 * the tty's transmit buffer, which is handed to the driver's ->write at once unless
 * output is stopped (^S, TCOOFF).
 *
 * Locks, outer first:
 *   lock (mutex)              open, close, hangup, the controlling-tty ioctls
 *   atomic_read_lock, atomic_write_lock (mutexes)  one reader, one writer at a time
 *   winsize_mutex             the window size
 *   ldisc_lock (mutex)        n_tty's input state; with output_lock, termios
 *   output_lock (mutex)       the transmit buffer, the output column, stopped flags
 *   tasklist_lock, siglock    (kill_pgrp, and the controlling-tty links)
 *   ctrl_lock (spinlock)      session and foreground process group
 *   buf.lock, driver locks (spinlocks, IRQ-safe)
 * termios is changed with both ldisc_lock and output_lock held, so holding either one
 * keeps it stable.
 */
#ifndef KAIROS_TTY_H
#define KAIROS_TTY_H

#include <kairos/fs.h>
#include <kairos/kthread.h>
#include <kairos/list.h>
#include <kairos/mutex.h>
#include <kairos/spinlock.h>
#include <kairos/types.h>
#include <kairos/wait.h>
#include <uapi/termios.h>

#define TTYAUX_MAJOR		5	/* /dev/tty (minor 0), /dev/console (minor 1) */

/* The kernel's termios: termios2's layout, speeds always filled in. */
struct ktermios {
	tcflag_t c_iflag;
	tcflag_t c_oflag;
	tcflag_t c_cflag;
	tcflag_t c_lflag;
	cc_t c_line;
	cc_t c_cc[NCCS];
	speed_t c_ispeed;
	speed_t c_ospeed;
};

/* What a serial console starts with: Linux's tty_std_termios with the serial core's
 * CLOCAL, as `stty -a` shows ttyAMA0 on Linux in QEMU. */
extern const struct ktermios tty_std_termios;

/* Flags of received bytes: what the hardware said about each. */
#define TTY_NORMAL	0
#define TTY_BREAK	1
#define TTY_FRAME	2
#define TTY_PARITY	3

#define TTY_FLIPBUF_SIZE	1024	/* power of two */
#define TTY_XMIT_SIZE		4096	/* power of two */

/* Bytes from the driver's interrupt handler on their way to the line discipline. */
struct tty_bufhead {
	spinlock_t lock;		/* IRQ-safe */
	unsigned int head, tail;	/* free-running indices */
	bool throttled;			/* found full: the driver stopped reading */
	struct kthread_work work;	/* flush_to_ldisc, on the tty worker */
	u8 chars[TTY_FLIPBUF_SIZE];
	u8 flags[TTY_FLIPBUF_SIZE];	/* TTY_NORMAL etc., one per char */
};

struct tty_struct;

struct tty_operations {
	/* Send up to count bytes to the device; returns how many it took. May busy-wait
	 * for the hardware but not sleep. Called with output_lock held. */
	int (*write)(struct tty_struct *tty, const u8 *buf, int count);
	/* The flip buffer has room again after the driver found it full. */
	void (*unthrottle)(struct tty_struct *tty);
};

struct n_tty_data;

struct tty_struct {
	const char *name;
	const struct tty_operations *ops;
	void *driver_data;
	dev_t device;			/* its own character device, or 0 */
	struct list_head node;		/* in the registered terminals */

	/* Opening, closing, hangup and the controlling-tty ioctls. */
	struct mutex lock;
	int count;			/* open files */
	struct list_head tty_files;	/* struct tty_file_private of every open file */

	struct ktermios termios;
	struct mutex winsize_mutex;
	struct winsize winsize;

	/* Job control: the session this is the controlling terminal of, and its
	 * foreground process group, with references; NULL when none. */
	spinlock_t ctrl_lock;
	struct pid *session;
	struct pid *pgrp;

	struct tty_bufhead buf;
	struct mutex ldisc_lock;
	struct n_tty_data *disc_data;
	struct mutex atomic_read_lock;
	wait_queue_head_t read_wait;

	struct mutex atomic_write_lock;
	struct mutex output_lock;
	bool stopped;			/* output stopped: by ^S (flow) or TCOOFF (tco) */
	bool tco_stopped;
	unsigned int xmit_head, xmit_tail;	/* free-running */
	wait_queue_head_t write_wait;	/* writers and drainers: output moved or restarted */
	u8 xmit_buf[TTY_XMIT_SIZE];
};

/* What an open file of a terminal points to (file->private_data). */
struct tty_file_private {
	struct tty_struct *tty;
	struct file *file;
	bool console;			/* opened as /dev/console */
	struct list_head list;		/* in tty->tty_files */
};

/* Set up tty for the driver's ops: standard termios, empty buffers. 0 or -ENOMEM. */
int tty_init_dev(struct tty_struct *tty, const char *name, const struct tty_operations *ops);
/* Undo tty_init_dev for a terminal that is not registered and has no open files. */
void tty_free_dev(struct tty_struct *tty);
/* Make tty reachable as its device number (and as /dev/console if console). */
int tty_register(struct tty_struct *tty, dev_t device, bool console);
/* Register the terminal devices and the console's driver; once, at boot. */
void tty_init(void);

/*
 * Driver side (drivers/tty/tty_buffer.c), from the receive interrupt; one producer per
 * terminal. The room granted for up to n bytes stays granted; none means the driver
 * must stop taking bytes from the device until ->unthrottle.
 */
unsigned int tty_buffer_request_room(struct tty_struct *tty, unsigned int n);
void tty_insert_flip_char(struct tty_struct *tty, u8 ch, u8 flag);
/* Hand what was inserted to the line discipline, in the tty worker. */
void tty_flip_buffer_push(struct tty_struct *tty);
/* Wait until what was pushed so far has reached the line discipline. */
void tty_buffer_flush_work(struct tty_struct *tty);

/* The file interface (drivers/tty/tty_io.c): ->open finds the terminal by the inode's
 * device number, then tty_open_file attaches it to the file (whose f_op is tty_fops),
 * as /dev/console if console. */
extern const struct file_operations tty_fops;
int tty_open_file(struct tty_struct *tty, struct file *file, bool console);

/* Job control (drivers/tty/tty_jobctrl.c). */
/* current's controlling terminal, or NULL. */
struct tty_struct *get_current_tty(void);
/* A session leader exits (on_exit) or calls TIOCNOTTY: its session loses the terminal;
 * the foreground process group gets SIGHUP (and SIGCONT unless on_exit). */
void disassociate_ctty(int on_exit);

#endif
