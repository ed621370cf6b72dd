// SPDX-License-Identifier: MIT
/*
 * n_tty, the line discipline of every terminal: POSIX's general terminal interface, with
 * Linux's behaviour down to the edge cases.
 *
 * Input bytes go through input processing (ISTRIP, IUCLC, ICRNL & co.), flow control
 * (IXON), signal characters (ISIG) and, in canonical mode, line editing (ERASE, WERASE,
 * KILL, LNEXT, REPRINT) into a 4096-byte read buffer, and are echoed as they come.
 * Output processing (OPOST: ONLCR & co.) turns writes into what the device gets.
 *
 * Canonical mode: complete lines sit between read_tail and canon_head, the line being
 * edited between canon_head and read_head, and read_flags marks the last byte of each
 * line. A line ended by EOF stores the EOF as __DISABLED_CHAR, which readers drop, so
 * that EOF at the start of a line reads as 0 bytes. A line that fills the buffer keeps
 * its last byte replaced by each new one, so that it can still be ended or erased: a
 * line holds at most 4095 bytes and its end.
 * Non-canonical mode: readers take everything up to commit_head; VMIN and VTIME decide
 * when a read returns.
 *
 * Everything here runs in task context: input in the tty worker (flush_to_ldisc) with
 * ldisc_lock and output_lock held, reads with ldisc_lock, writes with output_lock.
 */
#include <kairos/bitmap.h>
#include <kairos/delay.h>
#include <kairos/errno.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/slab.h>
#include <kairos/string.h>
#include <kairos/uio.h>
#include "tty.h"

#define N_TTY_BUF_SIZE	4096
#define MASK(x)		((x) & (N_TTY_BUF_SIZE - 1))
#define __DISABLED_CHAR	'\0'	/* a c_cc entry of 0 is disabled */
#define WAKEUP_CHARS	256	/* poll says writable while less than this waits */

struct n_tty_data {
	/* Input, under ldisc_lock; free-running indices into read_buf. */
	size_t read_head;		/* where the next byte goes */
	size_t commit_head;		/* non-canonical: readers may take up to here */
	size_t canon_head;		/* canonical: the end of the last complete line */
	size_t read_tail;		/* the next byte a reader gets */
	bool lnext;			/* take the next byte literally (after VLNEXT) */
	bool erasing;			/* ECHOPRT: inside "\...", echoing erased bytes */
	bool no_room;			/* input waits in the flip buffer for room here */
	DECLARE_BITMAP(char_map, 256);	/* bytes that need more than storing */
	DECLARE_BITMAP(read_flags, N_TTY_BUF_SIZE);	/* line ends */
	u8 read_buf[N_TTY_BUF_SIZE];

	/* Output, under output_lock. */
	unsigned int column;		/* of the cursor, as far as output tells */
	unsigned int canon_column;	/* where the echo of the current line began */
};

static inline u8 read_buf(struct n_tty_data *ldata, size_t i)
{
	return ldata->read_buf[MASK(i)];
}

/* Linux's <linux/ctype.h>: Latin-1, with C1 controls as control characters. */
static bool tty_iscntrl(u8 c)
{
	return c < 32 || (c >= 127 && c < 160);
}

static bool tty_isupper(u8 c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 192 && c <= 222 && c != 215);
}

static bool tty_islower(u8 c)
{
	return (c >= 'a' && c <= 'z') || (c >= 223 && c != 247);
}

static bool tty_isalnum(u8 c)
{
	return tty_isupper(c) || tty_islower(c) || (c >= '0' && c <= '9');
}

static u8 tty_tolower(u8 c)
{
	return tty_isupper(c) ? c + 32 : c;
}

static u8 tty_toupper(u8 c)
{
	return tty_islower(c) ? c - 32 : c;
}

/* A UTF-8 continuation byte takes no column of its own (IUTF8). */
static bool is_continuation(u8 c, struct tty_struct *tty)
{
	return I_FLAG(tty, IUTF8) && (c & 0xc0) == 0x80;
}

static inline void put_tty_queue(u8 c, struct n_tty_data *ldata)
{
	ldata->read_buf[MASK(ldata->read_head)] = c;
	ldata->read_head++;
}

static void reset_buffer_flags(struct n_tty_data *ldata)
{
	ldata->read_head = ldata->commit_head = ldata->canon_head = ldata->read_tail = 0;
	ldata->lnext = ldata->erasing = false;
	bitmap_zero(ldata->read_flags, N_TTY_BUF_SIZE);
}

/* A reader made room: input left in the flip buffer may come in now. */
static void n_tty_check_unthrottle(struct tty_struct *tty)
{
	struct n_tty_data *ldata = tty->disc_data;

	if (ldata->no_room) {
		ldata->no_room = false;
		tty_flip_buffer_push(tty);
	}
}

/* ---- output processing (output_lock held) ---- */

/* Room for need bytes in the transmit buffer, made by pushing it to the device. */
static unsigned int output_room(struct tty_struct *tty, unsigned int need)
{
	if (tty_write_room(tty) < need)
		tty_xmit_push(tty);
	return tty_write_room(tty);
}

/* One byte through OPOST processing: the bytes it took in the transmit buffer (0 for a
 * CR that ONOCR drops), or -1 if there was no room for them. */
static int do_output_char(u8 c, struct tty_struct *tty)
{
	struct n_tty_data *ldata = tty->disc_data;
	unsigned int space = output_room(tty, 8), spaces;

	if (!space)
		return -1;
	switch (c) {
	case '\n':
		if (O_FLAG(tty, ONLRET))
			ldata->column = 0;
		if (O_FLAG(tty, ONLCR)) {
			if (space < 2)
				return -1;
			ldata->canon_column = ldata->column = 0;
			tty_put_chars(tty, (const u8 *)"\r\n", 2);
			return 2;
		}
		ldata->canon_column = ldata->column;
		break;
	case '\r':
		if (O_FLAG(tty, ONOCR) && ldata->column == 0)
			return 0;
		if (O_FLAG(tty, OCRNL)) {
			c = '\n';
			if (O_FLAG(tty, ONLRET))
				ldata->canon_column = ldata->column = 0;
			break;
		}
		ldata->canon_column = ldata->column = 0;
		break;
	case '\t':
		spaces = 8 - (ldata->column & 7);
		if (O_FLAG(tty, TABDLY) == XTABS) {
			if (space < spaces)
				return -1;
			ldata->column += spaces;
			tty_put_chars(tty, (const u8 *)"        ", spaces);
			return spaces;
		}
		ldata->column += spaces;
		break;
	case '\b':
		if (ldata->column > 0)
			ldata->column--;
		break;
	default:
		if (!tty_iscntrl(c)) {
			if (O_FLAG(tty, OLCUC))
				c = tty_toupper(c);
			if (!is_continuation(c, tty))
				ldata->column++;
		}
		break;
	}
	tty_put_chars(tty, &c, 1);
	return 1;
}

/* The longest run from buf that OPOST leaves alone, copied in one go: its length. */
static size_t process_output_block(struct tty_struct *tty, const u8 *buf, size_t nr)
{
	struct n_tty_data *ldata = tty->disc_data;
	size_t i;

	nr = min(nr, (size_t)output_room(tty, nr));
	for (i = 0; i < nr; i++) {
		u8 c = buf[i];

		switch (c) {
		case '\n':
			if (O_FLAG(tty, ONLRET))
				ldata->column = 0;
			if (O_FLAG(tty, ONLCR))
				goto break_out;
			ldata->canon_column = ldata->column;
			break;
		case '\r':
			if (O_FLAG(tty, ONOCR) && ldata->column == 0)
				goto break_out;
			if (O_FLAG(tty, OCRNL))
				goto break_out;
			ldata->canon_column = ldata->column = 0;
			break;
		case '\t':
			goto break_out;
		case '\b':
			if (ldata->column > 0)
				ldata->column--;
			break;
		default:
			if (!tty_iscntrl(c)) {
				if (O_FLAG(tty, OLCUC))
					goto break_out;
				if (!is_continuation(c, tty))
					ldata->column++;
			}
			break;
		}
	}
break_out:
	tty_put_chars(tty, buf, i);
	return i;
}

/* ---- echo (output_lock held); an echo that finds no room is dropped ---- */

/* A byte as output processing has it. */
static void echo_char_raw(u8 c, struct tty_struct *tty)
{
	if (O_FLAG(tty, OPOST))
		do_output_char(c, tty);
	else if (output_room(tty, 1))
		tty_put_chars(tty, &c, 1);
}

/* A byte, or ^X for a control character X with ECHOCTL. */
static void echo_char(u8 c, struct tty_struct *tty)
{
	struct n_tty_data *ldata = tty->disc_data;

	if (L_FLAG(tty, ECHOCTL) && tty_iscntrl(c) && c != '\t') {
		u8 pair[2] = { '^', c ^ 0100 };

		if (output_room(tty, 2) >= 2) {
			tty_put_chars(tty, pair, 2);
			ldata->column += 2;
		}
	} else {
		echo_char_raw(c, tty);
	}
}

/* The first byte of a line is being echoed: remember its column for tab erasure. */
static void echo_set_canon_col(struct tty_struct *tty)
{
	struct n_tty_data *ldata = tty->disc_data;

	ldata->canon_column = ldata->column;
}

/* ECHOPRT: close the "\..." of erased bytes. */
static void finish_erasing(struct tty_struct *tty)
{
	struct n_tty_data *ldata = tty->disc_data;

	if (ldata->erasing) {
		echo_char_raw('/', tty);
		ldata->erasing = false;
	}
}

/* Back over an erased tab: to the tab stop before it, given the columns num_chars the
 * line used since its start (or since the previous tab, after_tab). */
static void echo_erase_tab(unsigned int num_chars, bool after_tab, struct tty_struct *tty)
{
	struct n_tty_data *ldata = tty->disc_data;
	unsigned int num_bs;

	if (!after_tab)
		num_chars += ldata->canon_column;
	num_bs = 8 - (num_chars & 7);
	if (output_room(tty, num_bs) < num_bs)
		return;
	while (num_bs--) {
		tty_put_chars(tty, (const u8 *)"\b", 1);
		if (ldata->column > 0)
			ldata->column--;
	}
}

/* ---- input (ldisc_lock and output_lock held) ---- */

/* ERASE, WERASE or KILL: remove from the line being edited, and show it. */
static void eraser(u8 c, struct tty_struct *tty)
{
	struct n_tty_data *ldata = tty->disc_data;
	enum { ERASE, WERASE, KILL } kill_type;
	unsigned int seen_alnums = 0;
	size_t head, cnt;

	if (ldata->read_head == ldata->canon_head)
		return;
	if (c == CC(tty, VERASE)) {
		kill_type = ERASE;
	} else if (c == CC(tty, VWERASE)) {
		kill_type = WERASE;
	} else {
		if (!L_FLAG(tty, ECHO)) {
			ldata->read_head = ldata->canon_head;
			return;
		}
		if (!L_FLAG(tty, ECHOK) || !L_FLAG(tty, ECHOKE) || !L_FLAG(tty, ECHOE)) {
			ldata->read_head = ldata->canon_head;
			finish_erasing(tty);
			echo_char(CC(tty, VKILL), tty);
			/* A newline if ECHOK is on and ECHOKE is off. */
			if (L_FLAG(tty, ECHOK))
				echo_char_raw('\n', tty);
			return;
		}
		kill_type = KILL;
	}

	while (ldata->read_head != ldata->canon_head) {
		head = ldata->read_head;
		/* One character, which IUTF8 may spread over several bytes. */
		do {
			head--;
			c = read_buf(ldata, head);
		} while (is_continuation(c, tty) && head != ldata->canon_head);
		/* Do not erase part of one. */
		if (is_continuation(c, tty))
			break;
		if (kill_type == WERASE) {
			/* A word is alphanumerics and '_' (BSD's ALTWERASE). */
			if (tty_isalnum(c) || c == '_')
				seen_alnums++;
			else if (seen_alnums)
				break;
		}
		cnt = ldata->read_head - head;
		ldata->read_head = head;
		if (L_FLAG(tty, ECHO)) {
			if (L_FLAG(tty, ECHOPRT)) {
				if (!ldata->erasing) {
					echo_char_raw('\\', tty);
					ldata->erasing = true;
				}
				echo_char(c, tty);
				while (--cnt > 0) {	/* the rest of a multibyte character */
					head++;
					echo_char_raw(read_buf(ldata, head), tty);
					if (ldata->column > 0)
						ldata->column--;
				}
			} else if (kill_type == ERASE && !L_FLAG(tty, ECHOE)) {
				echo_char(CC(tty, VERASE), tty);
			} else if (c == '\t') {
				unsigned int num_chars = 0;
				bool after_tab = false;

				/* The columns the line used since its start or the last tab. */
				for (size_t tail = ldata->read_head; tail != ldata->canon_head;) {
					c = read_buf(ldata, --tail);
					if (c == '\t') {
						after_tab = true;
						break;
					} else if (tty_iscntrl(c)) {
						if (L_FLAG(tty, ECHOCTL))
							num_chars += 2;
					} else if (!is_continuation(c, tty)) {
						num_chars++;
					}
				}
				echo_erase_tab(num_chars, after_tab, tty);
			} else {
				/* "\b \b" per column: ECHOCTL showed a control character in two. */
				if (tty_iscntrl(c) && L_FLAG(tty, ECHOCTL)) {
					echo_char_raw('\b', tty);
					echo_char_raw(' ', tty);
					echo_char_raw('\b', tty);
				}
				if (!tty_iscntrl(c) || L_FLAG(tty, ECHOCTL)) {
					echo_char_raw('\b', tty);
					echo_char_raw(' ', tty);
					echo_char_raw('\b', tty);
				}
			}
		}
		if (kill_type == ERASE)
			break;
	}
	if (ldata->read_head == ldata->canon_head && L_FLAG(tty, ECHO))
		finish_erasing(tty);
}

/* A signal for the foreground process group; input and output go unless NOFLSH. */
static void isig(int sig, struct tty_struct *tty)
{
	struct pid *pgrp = tty_get_pgrp(tty);

	if (pgrp)
		kill_pgrp(pgrp, sig, 1);
	put_pid(pgrp);
	if (!L_FLAG(tty, NOFLSH)) {
		tty_driver_flush_buffer(tty);
		reset_buffer_flags(tty->disc_data);
	}
}

static void n_tty_receive_break(struct tty_struct *tty)
{
	struct n_tty_data *ldata = tty->disc_data;

	if (I_FLAG(tty, IGNBRK))
		return;
	if (I_FLAG(tty, BRKINT)) {
		isig(SIGINT, tty);
		return;
	}
	if (I_FLAG(tty, PARMRK)) {
		put_tty_queue('\377', ldata);
		put_tty_queue('\0', ldata);
	}
	put_tty_queue('\0', ldata);
}

/* A byte with a framing or parity error: checked only with INPCK. */
static void n_tty_receive_parity_error(struct tty_struct *tty, u8 c)
{
	struct n_tty_data *ldata = tty->disc_data;

	if (I_FLAG(tty, INPCK)) {
		if (I_FLAG(tty, IGNPAR))
			return;
		if (I_FLAG(tty, PARMRK)) {
			put_tty_queue('\377', ldata);
			put_tty_queue('\0', ldata);
			put_tty_queue(c, ldata);
		} else {
			put_tty_queue('\0', ldata);
		}
	} else {
		put_tty_queue(c, ldata);
	}
}

static void n_tty_receive_char_flagged(struct tty_struct *tty, u8 c, u8 flag)
{
	if (flag == TTY_BREAK)
		n_tty_receive_break(tty);
	else
		n_tty_receive_parity_error(tty, c);
}

static void n_tty_receive_signal_char(struct tty_struct *tty, int sig, u8 c)
{
	isig(sig, tty);
	if (I_FLAG(tty, IXON))
		start_tty(tty);
	if (L_FLAG(tty, ECHO))
		echo_char(c, tty);
}

/* Output stopped by ^S restarts on any input with IXANY. */
static void n_tty_check_ixany(struct tty_struct *tty)
{
	if (tty->stopped && !tty->tco_stopped && I_FLAG(tty, IXON) && I_FLAG(tty, IXANY))
		start_tty(tty);
}

/* A byte that ends a line (EOF stored as __DISABLED_CHAR). */
static void n_tty_receive_line_end(struct tty_struct *tty, u8 c)
{
	struct n_tty_data *ldata = tty->disc_data;

	__set_bit(MASK(ldata->read_head), ldata->read_flags);
	put_tty_queue(c, ldata);
	ldata->canon_head = ldata->read_head;
	wake_up_interruptible(&tty->read_wait);
}

/* A byte that is just data. */
static void n_tty_receive_char(struct tty_struct *tty, u8 c)
{
	struct n_tty_data *ldata = tty->disc_data;

	n_tty_check_ixany(tty);
	if (L_FLAG(tty, ECHO)) {
		finish_erasing(tty);
		if (ldata->canon_head == ldata->read_head)
			echo_set_canon_col(tty);
		echo_char(c, tty);
	}
	/* PARMRK: a real \377 is doubled, so that it cannot start an error mark. */
	if (c == 0377 && I_FLAG(tty, PARMRK))
		put_tty_queue(c, ldata);
	put_tty_queue(c, ldata);
}

/* A byte in char_map: it may mean more than data. */
static void n_tty_receive_char_special(struct tty_struct *tty, u8 c)
{
	struct n_tty_data *ldata = tty->disc_data;

	if (I_FLAG(tty, IXON)) {
		if (c == CC(tty, VSTART)) {
			start_tty(tty);
			return;
		}
		if (c == CC(tty, VSTOP)) {
			stop_tty(tty);
			return;
		}
	}
	if (L_FLAG(tty, ISIG)) {
		if (c == CC(tty, VINTR)) {
			n_tty_receive_signal_char(tty, SIGINT, c);
			return;
		}
		if (c == CC(tty, VQUIT)) {
			n_tty_receive_signal_char(tty, SIGQUIT, c);
			return;
		}
		if (c == CC(tty, VSUSP)) {
			n_tty_receive_signal_char(tty, SIGTSTP, c);
			return;
		}
	}
	n_tty_check_ixany(tty);

	if (c == '\r') {
		if (I_FLAG(tty, IGNCR))
			return;
		if (I_FLAG(tty, ICRNL))
			c = '\n';
	} else if (c == '\n' && I_FLAG(tty, INLCR)) {
		c = '\r';
	}

	if (L_FLAG(tty, ICANON)) {
		if (c == CC(tty, VERASE) || c == CC(tty, VKILL) ||
		    (c == CC(tty, VWERASE) && L_FLAG(tty, IEXTEN))) {
			eraser(c, tty);
			return;
		}
		if (c == CC(tty, VLNEXT) && L_FLAG(tty, IEXTEN)) {
			ldata->lnext = true;
			if (L_FLAG(tty, ECHO)) {
				finish_erasing(tty);
				if (L_FLAG(tty, ECHOCTL)) {	/* "^", then back onto it */
					echo_char_raw('^', tty);
					echo_char_raw('\b', tty);
				}
			}
			return;
		}
		if (c == CC(tty, VREPRINT) && L_FLAG(tty, ECHO) && L_FLAG(tty, IEXTEN)) {
			finish_erasing(tty);
			echo_char(c, tty);
			echo_char_raw('\n', tty);
			for (size_t tail = ldata->canon_head; tail != ldata->read_head; tail++)
				echo_char(read_buf(ldata, tail), tty);
			return;
		}
		if (c == '\n') {
			if (L_FLAG(tty, ECHO) || L_FLAG(tty, ECHONL))
				echo_char_raw('\n', tty);
			n_tty_receive_line_end(tty, c);
			return;
		}
		if (c == CC(tty, VEOF)) {
			n_tty_receive_line_end(tty, __DISABLED_CHAR);
			return;
		}
		if (c == CC(tty, VEOL) || (c == CC(tty, VEOL2) && L_FLAG(tty, IEXTEN))) {
			if (L_FLAG(tty, ECHO)) {
				if (ldata->canon_head == ldata->read_head)
					echo_set_canon_col(tty);
				echo_char(c, tty);
			}
			if (c == 0377 && I_FLAG(tty, PARMRK))
				put_tty_queue(c, ldata);
			n_tty_receive_line_end(tty, c);
			return;
		}
	}

	if (L_FLAG(tty, ECHO)) {
		finish_erasing(tty);
		if (c == '\n') {
			echo_char_raw('\n', tty);
		} else {
			if (ldata->canon_head == ldata->read_head)
				echo_set_canon_col(tty);
			echo_char(c, tty);
		}
	}
	if (c == 0377 && I_FLAG(tty, PARMRK))
		put_tty_queue(c, ldata);
	put_tty_queue(c, ldata);
}

static void n_tty_receive_chars(struct tty_struct *tty, const u8 *cp, const u8 *fp, int count)
{
	struct n_tty_data *ldata = tty->disc_data;

	while (count--) {
		u8 c = *cp++, flag = *fp++;

		if (ldata->lnext) {
			ldata->lnext = false;
			if (flag != TTY_NORMAL) {
				n_tty_receive_char_flagged(tty, c, flag);
			} else {
				if (I_FLAG(tty, ISTRIP))
					c &= 0x7f;
				if (I_FLAG(tty, IUCLC) && L_FLAG(tty, IEXTEN))
					c = tty_tolower(c);
				n_tty_receive_char(tty, c);
			}
			continue;
		}
		if (flag != TTY_NORMAL) {
			n_tty_receive_char_flagged(tty, c, flag);
			continue;
		}
		if (I_FLAG(tty, ISTRIP))
			c &= 0x7f;
		if (I_FLAG(tty, IUCLC) && L_FLAG(tty, IEXTEN))
			c = tty_tolower(c);
		if (test_bit(c, ldata->char_map))
			n_tty_receive_char_special(tty, c);
		else
			n_tty_receive_char(tty, c);
	}
}

int n_tty_receive_buf(struct tty_struct *tty, const u8 *cp, const u8 *fp, int count)
{
	struct n_tty_data *ldata = tty->disc_data;
	int rcvd = 0;

	mutex_lock(&tty->ldisc_lock);
	mutex_lock(&tty->output_lock);
	while (count) {
		/* PARMRK may store three bytes for one. */
		int room = N_TTY_BUF_SIZE - (int)(ldata->read_head - ldata->read_tail);
		bool overflow = false;
		int n;

		if (I_FLAG(tty, PARMRK))
			room = (room + 2) / 3;
		room--;
		if (room <= 0) {
			/* A canonical line without an end yet takes bytes without limit (each
			 * replacing the last one), so that erase and newline still work. */
			overflow = L_FLAG(tty, ICANON) && ldata->canon_head == ldata->read_tail;
			if (overflow && room < 0)
				ldata->read_head--;
			room = overflow;
			ldata->no_room = !room;
		}
		n = min(count, room);
		if (!n)
			break;
		/* A byte with a parity error may take three places: not while overflowing. */
		if (!overflow || *fp != TTY_PARITY)
			n_tty_receive_chars(tty, cp, fp, n);
		cp += n;
		fp += n;
		count -= n;
		rcvd += n;
		if (!L_FLAG(tty, ICANON)) {
			ldata->commit_head = ldata->read_head;
			if (ldata->read_head != ldata->read_tail)
				wake_up_interruptible(&tty->read_wait);
		}
	}
	tty_xmit_push(tty);
	mutex_unlock(&tty->output_lock);
	mutex_unlock(&tty->ldisc_lock);
	return rcvd;
}

/* ---- readers ---- */

/* poll asks for VMIN bytes where a read would wait for them with no timer. */
static bool input_available_p(struct tty_struct *tty, bool poll)
{
	struct n_tty_data *ldata = tty->disc_data;
	size_t amt = poll && !CC(tty, VTIME) && CC(tty, VMIN) ? CC(tty, VMIN) : 1;

	if (L_FLAG(tty, ICANON))
		return READ_ONCE(ldata->canon_head) != READ_ONCE(ldata->read_tail);
	return READ_ONCE(ldata->commit_head) - READ_ONCE(ldata->read_tail) >= amt;
}

/* n bytes of the read buffer from tail to the reader: how many it took. */
static size_t copy_out(struct n_tty_data *ldata, size_t tail, size_t n, struct iov_iter *to)
{
	size_t first = min(n, N_TTY_BUF_SIZE - MASK(tail));
	size_t done = copy_to_iter(&ldata->read_buf[MASK(tail)], first, to);

	if (done == first && n > first)
		done += copy_to_iter(ldata->read_buf, n - first, to);
	return done;
}

/* Non-canonical: everything committed, as far as the reader takes it. */
static size_t copy_from_read_buf(struct tty_struct *tty, struct iov_iter *to, bool *fault)
{
	struct n_tty_data *ldata = tty->disc_data;
	size_t n = min(ldata->commit_head - ldata->read_tail, iov_iter_count(to));
	size_t done = copy_out(ldata, ldata->read_tail, n, to);

	ldata->read_tail += done;
	*fault = done < n;
	return done;
}

/* The reader's buffer filled exactly up to an EOF: take the EOF too, so that the next
 * read does not see an empty line. */
static void canon_skip_eof(struct n_tty_data *ldata)
{
	size_t tail = ldata->read_tail;

	if (tail == ldata->canon_head || !test_bit(MASK(tail), ldata->read_flags) ||
	    read_buf(ldata, tail) != __DISABLED_CHAR)
		return;
	__clear_bit(MASK(tail), ldata->read_flags);
	ldata->read_tail++;
}

/* Canonical: the first complete line, as far as the reader takes it. */
static size_t canon_copy_from_read_buf(struct tty_struct *tty, struct iov_iter *to,
				       bool *fault)
{
	struct n_tty_data *ldata = tty->disc_data;
	size_t tail = ldata->read_tail;
	size_t n = min(iov_iter_count(to), ldata->canon_head - tail);
	size_t eol, done, consumed;
	bool found = false;

	for (eol = tail; eol != tail + n; eol++) {
		if (test_bit(MASK(eol), ldata->read_flags)) {
			found = true;
			break;
		}
	}
	n = eol - tail;
	consumed = n + found;
	if (found && read_buf(ldata, eol) != __DISABLED_CHAR)
		n = consumed;		/* the line end is data, unless it is an EOF */
	done = copy_out(ldata, tail, n, to);
	*fault = done < n;
	if (*fault) {
		ldata->read_tail += done;
		return done;
	}
	if (found)
		__clear_bit(MASK(eol), ldata->read_flags);
	ldata->read_tail += consumed;
	if (!found)
		canon_skip_eof(ldata);
	return done;
}

ssize_t n_tty_read(struct tty_struct *tty, struct file *file, struct iov_iter *to)
{
	bool nonblock = file->f_flags & O_NONBLOCK, fault = false;
	long timeout = MAX_SCHEDULE_TIMEOUT, time = 0;
	size_t minimum = 0, copied = 0;
	ssize_t retval = 0;

	if (nonblock) {
		if (!mutex_trylock(&tty->atomic_read_lock))
			return -EAGAIN;
	} else if (mutex_lock_interruptible(&tty->atomic_read_lock)) {
		return -ERESTARTSYS;
	}
	mutex_lock(&tty->ldisc_lock);

	/*
	 * The four cases of POSIX's non-canonical reads: VMIN > 0 and VTIME > 0, VTIME is
	 * a timer between bytes, started by the first; VMIN > 0 alone waits for VMIN
	 * bytes; VTIME > 0 alone waits at most VTIME for one byte; neither returns what is
	 * there. VTIME counts tenths of a second.
	 */
	if (!L_FLAG(tty, ICANON)) {
		minimum = CC(tty, VMIN);
		if (minimum) {
			time = (HZ / 10) * CC(tty, VTIME);
		} else {
			timeout = (HZ / 10) * CC(tty, VTIME);
			minimum = 1;
		}
	}

	while (iov_iter_count(to)) {
		if (!input_available_p(tty, false)) {
			/* What the driver pushed may still be on its way. */
			mutex_unlock(&tty->ldisc_lock);
			tty_buffer_flush_work(tty);
			mutex_lock(&tty->ldisc_lock);
		}
		if (!input_available_p(tty, false)) {
			if (tty_hung_up_p(file) || !timeout)
				break;
			if (nonblock) {
				retval = -EAGAIN;
				break;
			}
			mutex_unlock(&tty->ldisc_lock);
			timeout = wait_event_interruptible_timeout(tty->read_wait,
					input_available_p(tty, false) || tty_hung_up_p(file),
					timeout);
			mutex_lock(&tty->ldisc_lock);
			if (timeout < 0) {
				retval = -ERESTARTSYS;
				break;
			}
			continue;
		}

		if (L_FLAG(tty, ICANON))
			copied += canon_copy_from_read_buf(tty, to, &fault);
		else
			copied += copy_from_read_buf(tty, to, &fault);
		n_tty_check_unthrottle(tty);
		if (fault || copied >= minimum)
			break;
		if (time)
			timeout = time;
	}
	mutex_unlock(&tty->ldisc_lock);
	mutex_unlock(&tty->atomic_read_lock);
	if (copied)
		return copied;
	return fault ? -EFAULT : retval;
}

unsigned int n_tty_inq(struct tty_struct *tty)
{
	struct n_tty_data *ldata = tty->disc_data;
	size_t n;

	mutex_lock(&tty->ldisc_lock);
	if (L_FLAG(tty, ICANON)) {
		/* Complete lines, without their EOFs. */
		n = ldata->canon_head - ldata->read_tail;
		for (size_t tail = ldata->read_tail; tail != ldata->canon_head; tail++)
			if (test_bit(MASK(tail), ldata->read_flags) &&
			    read_buf(ldata, tail) == __DISABLED_CHAR)
				n--;
	} else {
		n = ldata->read_head - ldata->read_tail;
	}
	mutex_unlock(&tty->ldisc_lock);
	return n;
}

void n_tty_flush_buffer(struct tty_struct *tty)
{
	mutex_lock(&tty->ldisc_lock);
	reset_buffer_flags(tty->disc_data);
	n_tty_check_unthrottle(tty);
	mutex_unlock(&tty->ldisc_lock);
}

/* ---- writers ---- */

ssize_t n_tty_write(struct tty_struct *tty, struct file *file, const u8 *buf, size_t nr)
{
	const u8 *b = buf;
	ssize_t retval = 0;

	for (;;) {
		if (signal_pending(current)) {
			retval = -ERESTARTSYS;
			break;
		}
		if (tty_hung_up_p(file)) {
			retval = -EIO;
			break;
		}
		mutex_lock(&tty->output_lock);
		if (O_FLAG(tty, OPOST)) {
			while (nr) {
				size_t num = process_output_block(tty, b, nr);

				b += num;
				nr -= num;
				if (!nr || do_output_char(*b, tty) < 0)
					break;
				b++;
				nr--;
			}
		} else {
			while (nr) {
				size_t num = min(nr, (size_t)output_room(tty, nr));

				if (!num)
					break;
				tty_put_chars(tty, b, num);
				b += num;
				nr -= num;
			}
		}
		tty_xmit_push(tty);
		mutex_unlock(&tty->output_lock);
		if (!nr)
			break;
		/* The transmit buffer is full and output stopped. */
		if (file->f_flags & O_NONBLOCK) {
			retval = -EAGAIN;
			break;
		}
		if (wait_event_interruptible(tty->write_wait, !READ_ONCE(tty->stopped) ||
					     tty_write_room(tty) || tty_hung_up_p(file))) {
			retval = -ERESTARTSYS;
			break;
		}
	}
	return b - buf ? b - buf : retval;
}

__poll_t n_tty_poll(struct tty_struct *tty, struct file *file, poll_table *wait)
{
	__poll_t mask = 0;

	poll_wait(file, &tty->read_wait, wait);
	poll_wait(file, &tty->write_wait, wait);
	if (!input_available_p(tty, true))
		tty_buffer_flush_work(tty);
	if (input_available_p(tty, true))
		mask |= POLLIN | POLLRDNORM;
	if (tty_hung_up_p(file))
		mask |= POLLHUP;
	if (!mutex_is_locked(&tty->atomic_write_lock) &&
	    tty_chars_in_buffer(tty) < WAKEUP_CHARS && tty_write_room(tty) > 0)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* ---- set-up ---- */

void n_tty_set_termios(struct tty_struct *tty, const struct ktermios *old)
{
	struct n_tty_data *ldata = tty->disc_data;
	unsigned long *map = ldata->char_map;

	if (!old || (old->c_lflag ^ tty->termios.c_lflag) & ICANON) {
		bitmap_zero(ldata->read_flags, N_TTY_BUF_SIZE);
		if (!L_FLAG(tty, ICANON) || ldata->read_head == ldata->read_tail) {
			ldata->canon_head = ldata->read_tail;
		} else {
			/* Into canonical mode: what was typed is one line. */
			__set_bit(MASK(ldata->read_head - 1), ldata->read_flags);
			ldata->canon_head = ldata->read_head;
		}
		ldata->commit_head = ldata->read_head;
		ldata->erasing = ldata->lnext = false;
	}

	bitmap_zero(map, 256);
	if (I_FLAG(tty, IGNCR | ICRNL))
		__set_bit('\r', map);
	if (I_FLAG(tty, INLCR))
		__set_bit('\n', map);
	if (L_FLAG(tty, ICANON)) {
		__set_bit(CC(tty, VERASE), map);
		__set_bit(CC(tty, VKILL), map);
		__set_bit(CC(tty, VEOF), map);
		__set_bit('\n', map);
		__set_bit(CC(tty, VEOL), map);
		if (L_FLAG(tty, IEXTEN)) {
			__set_bit(CC(tty, VWERASE), map);
			__set_bit(CC(tty, VLNEXT), map);
			__set_bit(CC(tty, VEOL2), map);
			if (L_FLAG(tty, ECHO))
				__set_bit(CC(tty, VREPRINT), map);
		}
	}
	if (I_FLAG(tty, IXON)) {
		__set_bit(CC(tty, VSTART), map);
		__set_bit(CC(tty, VSTOP), map);
	}
	if (L_FLAG(tty, ISIG)) {
		__set_bit(CC(tty, VINTR), map);
		__set_bit(CC(tty, VQUIT), map);
		__set_bit(CC(tty, VSUSP), map);
	}
	__clear_bit(__DISABLED_CHAR, map);

	/* Output stopped by ^S must not stay stopped once IXON is off. */
	if (old && (old->c_iflag & IXON) && !I_FLAG(tty, IXON) && !tty->tco_stopped)
		start_tty(tty);
	wake_up_interruptible(&tty->write_wait);
	wake_up_interruptible(&tty->read_wait);
}

int n_tty_open(struct tty_struct *tty)
{
	struct n_tty_data *ldata = kzalloc(sizeof(*ldata), GFP_KERNEL);

	if (!ldata)
		return -ENOMEM;
	tty->disc_data = ldata;
	mutex_lock(&tty->ldisc_lock);
	mutex_lock(&tty->output_lock);
	n_tty_set_termios(tty, NULL);
	mutex_unlock(&tty->output_lock);
	mutex_unlock(&tty->ldisc_lock);
	return 0;
}

void n_tty_close(struct tty_struct *tty)
{
	kfree(tty->disc_data);
	tty->disc_data = NULL;
}
