// SPDX-License-Identifier: MIT
/*
 * The mode ioctls: termios (TCGETS, TCSETS* and their termios2 forms with arbitrary
 * speeds), draining (TCSBRK), flushing (TCFLSH) and flow control (TCXONC). A process
 * in a background group that changes any of this gets SIGTTOU, as in Linux.
 */
#include <kairos/errno.h>
#include <kairos/sched.h>
#include <kairos/uaccess.h>
#include <uapi/ioctls.h>
#include "tty.h"

/* What the CBAUD values mean: B0..B38400, then CBAUDEX | 1..15 (B57600..B4000000). */
static const speed_t baud_table[] = {
	0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400,
	57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000,
	2000000, 2500000, 3000000, 3500000, 4000000,
};

static speed_t cbaud_to_speed(unsigned int cbaud)
{
	if (cbaud & CBAUDEX)
		cbaud = (cbaud & ~CBAUDEX) + 15;
	return cbaud < ARRAY_SIZE(baud_table) ? baud_table[cbaud] : 0;
}

speed_t tty_termios_baud_rate(const struct ktermios *termios)
{
	unsigned int cbaud = termios->c_cflag & CBAUD;

	return cbaud == BOTHER ? termios->c_ospeed : cbaud_to_speed(cbaud);
}

/* CIBAUD 0 means the output speed. */
speed_t tty_termios_input_baud_rate(const struct ktermios *termios)
{
	unsigned int cbaud = (termios->c_cflag >> IBSHIFT) & CBAUD;

	if (cbaud == B0)
		return tty_termios_baud_rate(termios);
	return cbaud == BOTHER ? termios->c_ispeed : cbaud_to_speed(cbaud);
}

static void tty_set_termios(struct tty_struct *tty, const struct ktermios *new)
{
	struct ktermios old;

	mutex_lock(&tty->ldisc_lock);
	mutex_lock(&tty->output_lock);
	old = tty->termios;
	tty->termios = *new;
	n_tty_set_termios(tty, &old);
	mutex_unlock(&tty->output_lock);
	mutex_unlock(&tty->ldisc_lock);
}

#define TERMIOS_FLUSH	1	/* discard the input first */
#define TERMIOS_WAIT	2	/* after the output drained */
#define TERMIOS_TERMIOS2 4	/* struct termios2: the speeds come too */

static int set_termios(struct tty_struct *tty, void __user *arg, int opt)
{
	struct ktermios tmp;
	int retval = tty_check_change(tty);

	if (retval)
		return retval;
	mutex_lock(&tty->ldisc_lock);
	tmp = tty->termios;
	mutex_unlock(&tty->ldisc_lock);
	/* struct termios is the head of struct termios2, which is struct ktermios. */
	if (copy_from_user(&tmp, arg, opt & TERMIOS_TERMIOS2 ? sizeof(struct termios2) :
							       sizeof(struct termios)))
		return -EFAULT;
	/* The Bnnn values, if used, give the speeds. */
	tmp.c_ispeed = tty_termios_input_baud_rate(&tmp);
	tmp.c_ospeed = tty_termios_baud_rate(&tmp);

	if (opt & TERMIOS_FLUSH)
		n_tty_flush_buffer(tty);
	if (opt & TERMIOS_WAIT) {
		tty_wait_until_sent(tty);
		if (signal_pending(current))
			return -ERESTARTSYS;
	}
	tty_set_termios(tty, &tmp);
	return 0;
}

static int get_termios(struct tty_struct *tty, void __user *arg, size_t size)
{
	struct ktermios tmp;

	mutex_lock(&tty->ldisc_lock);
	tmp = tty->termios;
	mutex_unlock(&tty->ldisc_lock);
	return copy_to_user(arg, &tmp, size) ? -EFAULT : 0;
}

static int tty_perform_flush(struct tty_struct *tty, unsigned long arg)
{
	switch (arg) {
	case TCIFLUSH:
		n_tty_flush_buffer(tty);
		break;
	case TCIOFLUSH:
		n_tty_flush_buffer(tty);
		fallthrough;
	case TCOFLUSH:
		mutex_lock(&tty->output_lock);
		tty_driver_flush_buffer(tty);
		mutex_unlock(&tty->output_lock);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int tty_xonc(struct tty_struct *tty, unsigned long arg)
{
	switch (arg) {
	case TCOOFF:
		mutex_lock(&tty->output_lock);
		if (!tty->tco_stopped) {
			tty->tco_stopped = true;
			stop_tty(tty);
		}
		mutex_unlock(&tty->output_lock);
		break;
	case TCOON:
		mutex_lock(&tty->output_lock);
		if (tty->tco_stopped) {
			tty->tco_stopped = false;
			start_tty(tty);
		}
		mutex_unlock(&tty->output_lock);
		break;
	case TCIOFF:
		if (CC(tty, VSTOP))
			tty_send_xchar(tty, CC(tty, VSTOP));
		break;
	case TCION:
		if (CC(tty, VSTART))
			tty_send_xchar(tty, CC(tty, VSTART));
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

long tty_mode_ioctl(struct tty_struct *tty, unsigned int cmd, unsigned long arg)
{
	void __user *p = (void __user *)arg;
	int retval;

	switch (cmd) {
	case TCGETS:
		return get_termios(tty, p, sizeof(struct termios));
	case TCGETS2:
		return get_termios(tty, p, sizeof(struct termios2));
	case TCSETS:
		return set_termios(tty, p, 0);
	case TCSETSW:
		return set_termios(tty, p, TERMIOS_WAIT);
	case TCSETSF:
		return set_termios(tty, p, TERMIOS_FLUSH | TERMIOS_WAIT);
	case TCSETS2:
		return set_termios(tty, p, TERMIOS_TERMIOS2);
	case TCSETSW2:
		return set_termios(tty, p, TERMIOS_TERMIOS2 | TERMIOS_WAIT);
	case TCSETSF2:
		return set_termios(tty, p, TERMIOS_TERMIOS2 | TERMIOS_FLUSH | TERMIOS_WAIT);
	}

	retval = tty_check_change(tty);
	if (retval)
		return retval;
	switch (cmd) {
	case TCSBRK:
	case TCSBRKP:
		/* tcdrain, and tcsendbreak: this hardware interface has no breaks to send. */
		tty_wait_until_sent(tty);
		return signal_pending(current) ? -EINTR : 0;
	case TCXONC:
		return tty_xonc(tty, arg);
	case TCFLSH:
		return tty_perform_flush(tty, arg);
	default:
		return -ENOTTY;
	}
}
