// SPDX-License-Identifier: MIT
/*
 * The tty core: terminals as character devices. /dev/tty (5,0) is the opener's
 * controlling terminal, /dev/console (5,1) the console's terminal; a driver registers
 * its terminals under their own numbers too (ttyAMA0 is 204,64). As in Linux, opening
 * /dev/console or /dev/tty never makes a terminal the controlling one, and reads and
 * writes through /dev/console are not stopped by job control; a session leader gets
 * its terminal by opening the device itself or with TIOCSCTTY.
 *
 * Here too: the transmit buffer between output processing and the driver, output
 * flow control, and hangup (the session leader exits: files opened other than as
 * /dev/console stop working, reads give 0 and writes -EIO).
 */
#include <kairos/errno.h>
#include <kairos/printk.h>
#include <kairos/sched.h>
#include <kairos/serial.h>
#include <kairos/signal.h>
#include <kairos/slab.h>
#include <kairos/string.h>
#include <kairos/uaccess.h>
#include <uapi/ioctls.h>
#include "tty.h"

const struct ktermios tty_std_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL | CLOCAL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = {
		[VINTR] = 'C' - '@', [VQUIT] = '\\' - '@', [VERASE] = 0177,
		[VKILL] = 'U' - '@', [VEOF] = 'D' - '@', [VTIME] = 0, [VMIN] = 1,
		[VSTART] = 'Q' - '@', [VSTOP] = 'S' - '@', [VSUSP] = 'Z' - '@',
		[VREPRINT] = 'R' - '@', [VDISCARD] = 'O' - '@', [VWERASE] = 'W' - '@',
		[VLNEXT] = 'V' - '@',
	},
	.c_ispeed = 38400,
	.c_ospeed = 38400,
};

/* The registered terminals and /dev/console's, under tty_mutex. */
static DEFINE_MUTEX(tty_mutex);
static LIST_HEAD(tty_devices);
static struct tty_struct *console_tty;

/* ---- the transmit buffer and flow control (output_lock held) ---- */

/* Also read without the lock, as a snapshot (poll). */
unsigned int tty_chars_in_buffer(struct tty_struct *tty)
{
	return READ_ONCE(tty->xmit_head) - READ_ONCE(tty->xmit_tail);
}

unsigned int tty_write_room(struct tty_struct *tty)
{
	return TTY_XMIT_SIZE - tty_chars_in_buffer(tty);
}

/* The caller made sure of the room. */
void tty_put_chars(struct tty_struct *tty, const u8 *buf, unsigned int n)
{
	unsigned int head = tty->xmit_head;

	for (unsigned int i = 0; i < n; i++)
		tty->xmit_buf[(head + i) % TTY_XMIT_SIZE] = buf[i];
	WRITE_ONCE(tty->xmit_head, head + n);
}

void tty_xmit_push(struct tty_struct *tty)
{
	bool moved = false;

	while (!tty->stopped && tty->xmit_tail != tty->xmit_head) {
		unsigned int tail = tty->xmit_tail % TTY_XMIT_SIZE;
		unsigned int n = min(tty->xmit_head - tty->xmit_tail, TTY_XMIT_SIZE - tail);
		int done = tty->ops->write(tty, &tty->xmit_buf[tail], n);

		if (done <= 0)
			break;
		WRITE_ONCE(tty->xmit_tail, tty->xmit_tail + done);
		moved = true;
	}
	if (moved)
		wake_up_interruptible(&tty->write_wait);
}

void tty_driver_flush_buffer(struct tty_struct *tty)
{
	WRITE_ONCE(tty->xmit_tail, tty->xmit_head);
	wake_up_interruptible(&tty->write_wait);
}

void stop_tty(struct tty_struct *tty)
{
	tty->stopped = true;
}

/* Output stopped by TCOOFF restarts only with TCOON (which clears tco_stopped first). */
void start_tty(struct tty_struct *tty)
{
	if (!tty->stopped || tty->tco_stopped)
		return;
	tty->stopped = false;
	tty_xmit_push(tty);
	wake_up_interruptible(&tty->write_wait);
}

void tty_send_xchar(struct tty_struct *tty, u8 ch)
{
	mutex_lock(&tty->output_lock);
	tty->ops->write(tty, &ch, 1);
	mutex_unlock(&tty->output_lock);
}

int tty_wait_until_sent(struct tty_struct *tty)
{
	return wait_event_interruptible(tty->write_wait, !tty_chars_in_buffer(tty));
}

/* ---- files ---- */

static ssize_t hung_up_tty_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	return 0;
}

static ssize_t hung_up_tty_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	return -EIO;
}

static __poll_t hung_up_tty_poll(struct file *file, poll_table *wait)
{
	return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
}

static long hung_up_tty_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
}

static int tty_release(struct inode *inode, struct file *file);

/* A hangup gives the files of the terminal these operations. */
static const struct file_operations hung_up_tty_fops = {
	.read_iter = hung_up_tty_read,
	.write_iter = hung_up_tty_write,
	.poll = hung_up_tty_poll,
	.unlocked_ioctl = hung_up_tty_ioctl,
	.release = tty_release,
};

bool tty_hung_up_p(struct file *file)
{
	return READ_ONCE(file->f_op) == &hung_up_tty_fops;
}

static struct tty_struct *file_tty(struct file *file)
{
	return ((struct tty_file_private *)file->private_data)->tty;
}

static ssize_t tty_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct tty_file_private *priv = file->private_data;
	struct tty_struct *tty = priv->tty;

	if (!priv->console) {
		int ret = __tty_check_change(tty, SIGTTIN);

		if (ret)
			return ret;
	}
	return n_tty_read(tty, file, to);
}

#define TTY_WRITE_CHUNK	2048	/* a signal may end a write between chunks */

static ssize_t tty_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct tty_file_private *priv = file->private_data;
	struct tty_struct *tty = priv->tty;
	ssize_t written = 0, ret = 0;
	u8 *buf;

	if (!priv->console && L_FLAG(tty, TOSTOP)) {
		ret = tty_check_change(tty);
		if (ret)
			return ret;
	}
	if (!iov_iter_count(from))
		return 0;
	buf = kmalloc(min(iov_iter_count(from), (size_t)TTY_WRITE_CHUNK), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (!mutex_trylock(&tty->atomic_write_lock)) {
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		if (mutex_lock_interruptible(&tty->atomic_write_lock)) {
			ret = -ERESTARTSYS;
			goto out;
		}
	}
	while (iov_iter_count(from)) {
		size_t n = copy_from_iter(buf, min(iov_iter_count(from),
						   (size_t)TTY_WRITE_CHUNK), from);

		if (!n) {
			ret = -EFAULT;
			break;
		}
		ret = n_tty_write(tty, file, buf, n);
		if (ret < 0) {
			iov_iter_revert(from, n);
			break;
		}
		written += ret;
		if ((size_t)ret < n) {
			iov_iter_revert(from, n - ret);
			break;
		}
		if (signal_pending(current))
			break;
		cond_resched();
	}
	mutex_unlock(&tty->atomic_write_lock);
out:
	kfree(buf);
	return written ? written : ret;
}

static __poll_t tty_poll(struct file *file, poll_table *wait)
{
	return n_tty_poll(file_tty(file), file, wait);
}

static int tiocgwinsz(struct tty_struct *tty, struct winsize __user *arg)
{
	struct winsize ws;

	mutex_lock(&tty->winsize_mutex);
	ws = tty->winsize;
	mutex_unlock(&tty->winsize_mutex);
	return copy_to_user(arg, &ws, sizeof(ws)) ? -EFAULT : 0;
}

/* A new size: the foreground process group learns of it by SIGWINCH. */
static int tiocswinsz(struct tty_struct *tty, struct winsize __user *arg)
{
	struct winsize ws;

	if (copy_from_user(&ws, arg, sizeof(ws)))
		return -EFAULT;
	mutex_lock(&tty->winsize_mutex);
	if (memcmp(&ws, &tty->winsize, sizeof(ws))) {
		struct pid *pgrp = tty_get_pgrp(tty);

		if (pgrp)
			kill_pgrp(pgrp, SIGWINCH, 1);
		put_pid(pgrp);
		tty->winsize = ws;
	}
	mutex_unlock(&tty->winsize_mutex);
	return 0;
}

/* A byte as if typed: for one's own terminal, or for root. */
static int tiocsti(struct tty_struct *tty, u8 __user *p)
{
	u8 ch, flag = TTY_NORMAL;

	if (get_current_tty() != tty && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (get_user(ch, p))
		return -EFAULT;
	n_tty_receive_buf(tty, &ch, &flag, 1);
	return 0;
}

static long tty_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct tty_struct *tty = file_tty(file);
	void __user *p = (void __user *)arg;

	switch (cmd) {
	case TIOCGWINSZ:
		return tiocgwinsz(tty, p);
	case TIOCSWINSZ:
		return tiocswinsz(tty, p);
	case TIOCOUTQ:
		return put_user((int)tty_chars_in_buffer(tty), (int __user *)p);
	case TIOCSTI:
		return tiocsti(tty, p);
	case FIONREAD:
		return put_user(n_tty_inq(tty), (unsigned int __user *)p);
	case TCGETS:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TCGETS2:
	case TCSETS2:
	case TCSETSW2:
	case TCSETSF2:
	case TCSBRK:
	case TCSBRKP:
	case TCXONC:
	case TCFLSH:
		return tty_mode_ioctl(tty, cmd, arg);
	case TIOCSCTTY:
	case TIOCNOTTY:
	case TIOCGPGRP:
	case TIOCSPGRP:
	case TIOCGSID:
		return tty_jobctrl_ioctl(tty, file, cmd, arg);
	default:
		return -ENOTTY;
	}
}

int tty_open_file(struct tty_struct *tty, struct file *file, bool console)
{
	struct tty_file_private *priv = kmalloc(sizeof(*priv), GFP_KERNEL);

	if (!priv)
		return -ENOMEM;
	priv->tty = tty;
	priv->file = file;
	priv->console = console;
	mutex_lock(&tty->lock);
	list_add(&priv->list, &tty->tty_files);
	tty->count++;
	file->private_data = priv;
	if (!console && !(file->f_flags & O_NOCTTY))
		tty_open_proc_set_tty(file, tty);
	mutex_unlock(&tty->lock);
	return 0;
}

static int tty_open(struct inode *inode, struct file *file)
{
	dev_t device = inode->i_rdev;
	struct tty_struct *tty = NULL, *t;

	if (device == MKDEV(TTYAUX_MAJOR, 0)) {
		tty = get_current_tty();
		return tty ? tty_open_file(tty, file, false) : -ENXIO;
	}
	mutex_lock(&tty_mutex);
	if (device == MKDEV(TTYAUX_MAJOR, 1)) {
		tty = console_tty;
	} else {
		list_for_each_entry(t, &tty_devices, node)
			if (t->device == device)
				tty = t;
	}
	mutex_unlock(&tty_mutex);
	return tty ? tty_open_file(tty, file, device == MKDEV(TTYAUX_MAJOR, 1)) : -ENODEV;
}

/* Flush everything and let output run, as a new open would find it. */
static void tty_reset(struct tty_struct *tty)
{
	tty_detach_session(tty);
	tty_buffer_flush(tty);
	n_tty_flush_buffer(tty);
	mutex_lock(&tty->output_lock);
	tty->stopped = tty->tco_stopped = false;
	tty_xmit_push(tty);
	mutex_unlock(&tty->output_lock);
	mutex_lock(&tty->winsize_mutex);
	memset(&tty->winsize, 0, sizeof(tty->winsize));
	mutex_unlock(&tty->winsize_mutex);
}

static int tty_release(struct inode *inode, struct file *file)
{
	struct tty_file_private *priv = file->private_data;
	struct tty_struct *tty = priv->tty;

	mutex_lock(&tty->lock);
	list_del(&priv->list);
	if (!--tty->count)
		tty_reset(tty);
	mutex_unlock(&tty->lock);
	kfree(priv);
	return 0;
}

const struct file_operations tty_fops = {
	.read_iter = tty_read,
	.write_iter = tty_write,
	.poll = tty_poll,
	.unlocked_ioctl = tty_ioctl,
	.open = tty_open,
	.release = tty_release,
};

void tty_vhangup_session(struct tty_struct *tty)
{
	struct tty_file_private *priv;
	struct pid *pgrp;

	mutex_lock(&tty->lock);
	list_for_each_entry(priv, &tty->tty_files, list)
		if (!priv->console)
			WRITE_ONCE(priv->file->f_op, &hung_up_tty_fops);
	pgrp = tty_detach_session(tty);
	if (pgrp)
		kill_pgrp(pgrp, SIGHUP, 1);
	put_pid(pgrp);
	n_tty_flush_buffer(tty);
	mutex_lock(&tty->output_lock);
	tty_driver_flush_buffer(tty);
	mutex_unlock(&tty->output_lock);
	wake_up_interruptible_all(&tty->read_wait);
	wake_up_interruptible_all(&tty->write_wait);
	mutex_unlock(&tty->lock);
}

/* ---- set-up ---- */

int tty_init_dev(struct tty_struct *tty, const char *name, const struct tty_operations *ops)
{
	tty->name = name;
	tty->ops = ops;
	tty->device = 0;
	INIT_LIST_HEAD(&tty->node);
	mutex_init(&tty->lock);
	tty->count = 0;
	INIT_LIST_HEAD(&tty->tty_files);
	tty->termios = tty_std_termios;
	mutex_init(&tty->winsize_mutex);
	memset(&tty->winsize, 0, sizeof(tty->winsize));
	spin_lock_init(&tty->ctrl_lock);
	tty->session = tty->pgrp = NULL;
	tty_buffer_init(tty);
	mutex_init(&tty->ldisc_lock);
	mutex_init(&tty->atomic_read_lock);
	init_waitqueue_head(&tty->read_wait);
	mutex_init(&tty->atomic_write_lock);
	mutex_init(&tty->output_lock);
	tty->stopped = tty->tco_stopped = false;
	tty->xmit_head = tty->xmit_tail = 0;
	init_waitqueue_head(&tty->write_wait);
	return n_tty_open(tty);
}

void tty_free_dev(struct tty_struct *tty)
{
	tty_buffer_flush_work(tty);
	n_tty_close(tty);
}

int tty_register(struct tty_struct *tty, dev_t device, bool console)
{
	struct tty_struct *t;
	bool major_known = false;
	int err = 0;

	mutex_lock(&tty_mutex);
	list_for_each_entry(t, &tty_devices, node)
		if (MAJOR(t->device) == MAJOR(device))
			major_known = true;
	if (!major_known)
		err = register_chrdev(MAJOR(device), tty->name, &tty_fops);
	if (!err) {
		tty->device = device;
		list_add_tail(&tty->node, &tty_devices);
		if (console)
			console_tty = tty;
	}
	mutex_unlock(&tty_mutex);
	return err;
}

void tty_init(void)
{
	tty_buffer_worker_init();
	if (register_chrdev(TTYAUX_MAJOR, "/dev/tty", &tty_fops))
		pr_err("tty: major %u is taken\n", TTYAUX_MAJOR);
	pl011_tty_init();
}
