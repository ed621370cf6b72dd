// SPDX-License-Identifier: MIT
/*
 * The terminal layer on a test terminal whose driver records what it is sent: bytes go
 * in through the flip buffer as a receive interrupt would put them, and come out of
 * reads on a file opened on the terminal. Line editing, EOF, echo, output processing,
 * flow control, the termios ioctls, VMIN/VTIME (times are checked as lower bounds
 * only) and input held back when the buffers are full.
 */
#include <kairos/completion.h>
#include <kairos/delay.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>
#include <kairos/slab.h>
#include <kairos/string.h>
#include <kairos/time.h>
#include <kairos/tty.h>
#include <uapi/ioctls.h>

#include "ktest_kthread.h"
#include "user_mm.h"
#include "../../drivers/tty/tty.h"

struct tty_fixture {
	struct tty_struct tty;
	int unthrottles;
	size_t out_len;
	char out[8192];		/* what the driver was sent */
};

static int cap_write(struct tty_struct *tty, const u8 *buf, int count)
{
	struct tty_fixture *fx = container_of(tty, struct tty_fixture, tty);

	for (int i = 0; i < count && fx->out_len < sizeof(fx->out); i++)
		fx->out[fx->out_len++] = buf[i];
	return count;
}

static void cap_unthrottle(struct tty_struct *tty)
{
	struct tty_fixture *fx = container_of(tty, struct tty_fixture, tty);

	fx->unthrottles++;
}

static const struct tty_operations cap_ops = {
	.write = cap_write,
	.unthrottle = cap_unthrottle,
};

static struct tty_fixture *fixture_new(void)
{
	struct tty_fixture *fx = kzalloc(sizeof(*fx), GFP_KERNEL);

	if (fx && tty_init_dev(&fx->tty, "ttytest", &cap_ops)) {
		kfree(fx);
		return NULL;
	}
	return fx;
}

static void fixture_free(struct tty_fixture *fx)
{
	tty_free_dev(&fx->tty);
	kfree(fx);
}

/* Open as /dev/console does: no controlling terminal, no job control. */
static struct file *topen(struct tty_fixture *fx, unsigned int flags)
{
	struct file *file = kzalloc(sizeof(*file), GFP_KERNEL);

	if (!file)
		return NULL;
	file->f_flags = flags;
	file->f_mode = FMODE_READ | FMODE_WRITE;
	file->f_op = &tty_fops;
	if (tty_open_file(&fx->tty, file, true)) {
		kfree(file);
		return NULL;
	}
	return file;
}

static void tclose(struct file *file)
{
	file->f_op->release(NULL, file);
	kfree(file);
}

static ssize_t tread(struct file *file, void *buf, size_t n)
{
	struct kvec kv = { buf, n };
	struct iov_iter it;
	loff_t pos = 0;

	iov_iter_kvec(&it, READ, &kv, 1, n);
	return file->f_op->read_iter(file, &it, &pos);
}

static ssize_t twrite(struct file *file, const void *buf, size_t n)
{
	struct kvec kv = { (void *)buf, n };
	struct iov_iter it;
	loff_t pos = 0;

	iov_iter_kvec(&it, WRITE, &kv, 1, n);
	return file->f_op->write_iter(file, &it, &pos);
}

/* Bytes as the receive interrupt stores them; returns once n_tty has seen them. */
static size_t feed_flag(struct tty_fixture *fx, const void *s, size_t n, u8 flag)
{
	const u8 *p = s;
	size_t i = 0;

	while (i < n) {
		unsigned int room = tty_buffer_request_room(&fx->tty, n - i);

		if (!room) {
			/* Let n_tty take what it can, as the driver's next interrupt would. */
			tty_flip_buffer_push(&fx->tty);
			tty_buffer_flush_work(&fx->tty);
			room = tty_buffer_request_room(&fx->tty, n - i);
			if (!room)
				break;
		}
		while (room--)
			tty_insert_flip_char(&fx->tty, p[i++], flag);
	}
	tty_flip_buffer_push(&fx->tty);
	tty_buffer_flush_work(&fx->tty);
	return i;
}

static void feed(struct tty_fixture *fx, const char *s)
{
	feed_flag(fx, s, strlen(s), TTY_NORMAL);
}

static bool out_is(struct tty_fixture *fx, const char *want)
{
	size_t n = strlen(want);
	bool ok = fx->out_len == n && !memcmp(fx->out, want, n);

	fx->out_len = 0;
	return ok;
}

static void set_lflag(struct tty_fixture *fx, tcflag_t set, tcflag_t clear)
{
	mutex_lock(&fx->tty.ldisc_lock);
	mutex_lock(&fx->tty.output_lock);
	{
		struct ktermios old = fx->tty.termios;

		fx->tty.termios.c_lflag = (fx->tty.termios.c_lflag | set) & ~clear;
		n_tty_set_termios(&fx->tty, &old);
	}
	mutex_unlock(&fx->tty.output_lock);
	mutex_unlock(&fx->tty.ldisc_lock);
}

/* Non-canonical mode with these VMIN and VTIME. */
static void set_raw(struct tty_fixture *fx, cc_t vmin, cc_t vtime)
{
	mutex_lock(&fx->tty.ldisc_lock);
	mutex_lock(&fx->tty.output_lock);
	{
		struct ktermios old = fx->tty.termios;

		fx->tty.termios.c_lflag &= ~(ICANON | ECHO);
		fx->tty.termios.c_cc[VMIN] = vmin;
		fx->tty.termios.c_cc[VTIME] = vtime;
		n_tty_set_termios(&fx->tty, &old);
	}
	mutex_unlock(&fx->tty.output_lock);
	mutex_unlock(&fx->tty.ldisc_lock);
}

#define SETUP(fx, file, flags)						\
	struct tty_fixture *fx = fixture_new();				\
	struct file *file = fx ? topen(fx, flags) : NULL;		\
	KTEST_EXPECT(t, fx && file);					\
	if (!fx || !file) {						\
		if (fx)							\
			fixture_free(fx);				\
		return;							\
	}

#define TEARDOWN(fx, file) do {						\
	tclose(file);							\
	fixture_free(fx);						\
} while (0)

/* Linux's tty_std_termios for a serial console: `stty -g` on ttyAMA0 in QEMU says
 * 500:5:cbf:8a3b:3:1c:7f:15:4:0:1:0:11:13:1a:0:12:f:17:16:0:... at 38400 baud. */
KTEST(tty_default_termios)
{
	static const cc_t cc[NCCS] = { 3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0,
				       0x12, 0xf, 0x17, 0x16, 0 };
	SETUP(fx, file, O_RDWR);
	struct ktermios *tio = &fx->tty.termios;

	KTEST_EXPECT_EQ(t, tio->c_iflag, 0x500);
	KTEST_EXPECT_EQ(t, tio->c_oflag, 0x5);
	KTEST_EXPECT_EQ(t, tio->c_cflag, 0xcbf);
	KTEST_EXPECT_EQ(t, tio->c_lflag, 0x8a3b);
	KTEST_EXPECT_EQ(t, tio->c_line, 0);
	KTEST_EXPECT(t, !memcmp(tio->c_cc, cc, NCCS));
	KTEST_EXPECT_EQ(t, tio->c_ispeed, 38400);
	KTEST_EXPECT_EQ(t, tio->c_ospeed, 38400);
	KTEST_EXPECT_EQ(t, sizeof(struct termios), 36);
	KTEST_EXPECT_EQ(t, sizeof(struct termios2), 44);
	KTEST_EXPECT_EQ(t, sizeof(struct ktermios), sizeof(struct termios2));
	TEARDOWN(fx, file);
}

/* A line arrives whole, CR mapped to NL, echoed with ONLCR. */
KTEST(tty_canon_line_and_echo)
{
	SETUP(fx, file, O_RDWR | O_NONBLOCK);
	char buf[64];

	feed(fx, "hel");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), -EAGAIN);
	feed(fx, "lo\r");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 6);
	KTEST_EXPECT(t, !memcmp(buf, "hello\n", 6));
	KTEST_EXPECT(t, out_is(fx, "hello\r\n"));
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), -EAGAIN);
	/* Two lines: one read returns one line. */
	feed(fx, "ab\ncd\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 3);
	KTEST_EXPECT(t, !memcmp(buf, "ab\n", 3));
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 3);
	KTEST_EXPECT(t, !memcmp(buf, "cd\n", 3));
	/* A short buffer takes the line in pieces. */
	feed(fx, "abcdef\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, 4), 4);
	KTEST_EXPECT(t, !memcmp(buf, "abcd", 4));
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 3);
	KTEST_EXPECT(t, !memcmp(buf, "ef\n", 3));
	TEARDOWN(fx, file);
}

/* ERASE (DEL), KILL (^U), WERASE (^W) and what they echo with ECHOE/ECHOKE. */
KTEST(tty_canon_editing)
{
	SETUP(fx, file, O_RDWR | O_NONBLOCK);
	char buf[64];

	feed(fx, "abx\177c\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 4);
	KTEST_EXPECT(t, !memcmp(buf, "abc\n", 4));
	KTEST_EXPECT(t, out_is(fx, "abx\b \bc\r\n"));

	feed(fx, "abc\025de\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 3);
	KTEST_EXPECT(t, !memcmp(buf, "de\n", 3));
	KTEST_EXPECT(t, out_is(fx, "abc\b \b\b \b\b \bde\r\n"));

	feed(fx, "foo bar\027baz\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 8);
	KTEST_EXPECT(t, !memcmp(buf, "foo baz\n", 8));
	KTEST_EXPECT(t, out_is(fx, "foo bar\b \b\b \b\b \bbaz\r\n"));

	/* Erasing past the start of the line does nothing; ^H is just a character. */
	feed(fx, "\177\177a\b\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 3);
	KTEST_EXPECT(t, !memcmp(buf, "a\b\n", 3));
	KTEST_EXPECT(t, out_is(fx, "a^H\r\n"));

	/* A control character echoed as ^X takes two columns to erase. */
	feed(fx, "a\001\177\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 2);
	KTEST_EXPECT(t, out_is(fx, "a^A\b \b\b \b\r\n"));

	/* Without ECHOE, the erase character itself is echoed. */
	set_lflag(fx, 0, ECHOE);
	feed(fx, "ab\177\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 2);
	KTEST_EXPECT(t, out_is(fx, "ab^?\r\n"));
	/* KILL without ECHOKE: the kill character and a newline (ECHOK). */
	feed(fx, "ab\025c\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 2);
	KTEST_EXPECT(t, out_is(fx, "ab^U\r\nc\r\n"));
	TEARDOWN(fx, file);
}

/* A tab is erased back to where it started, counted from the line's first column. */
KTEST(tty_canon_erase_tab)
{
	SETUP(fx, file, O_RDWR | O_NONBLOCK);
	char buf[64];

	KTEST_EXPECT_EQ(t, twrite(file, "$ ", 2), 2);	/* a prompt: the line starts at 2 */
	feed(fx, "ab\t\177\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 3);
	/* The tab went from column 4 to 8: four backspaces. */
	KTEST_EXPECT(t, out_is(fx, "$ ab\t\b\b\b\b\r\n"));
	TEARDOWN(fx, file);
}

/* EOF (^D): ends the line without itself; alone, it reads as end of file. */
KTEST(tty_canon_eof)
{
	SETUP(fx, file, O_RDWR | O_NONBLOCK);
	char buf[64];
	int n = -1;

	feed(fx, "abc\004");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 3);
	KTEST_EXPECT(t, !memcmp(buf, "abc", 3));
	KTEST_EXPECT(t, out_is(fx, "abc"));	/* EOF is not echoed */
	feed(fx, "\004");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 0);
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), -EAGAIN);
	/* A reader's buffer filled exactly up to the EOF takes the EOF too. */
	feed(fx, "xyz\004q\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, 3), 3);
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 2);
	KTEST_EXPECT(t, !memcmp(buf, "q\n", 2));
	/* FIONREAD counts complete lines without their EOFs. */
	feed(fx, "ab\004cd\npartial");
	{
		struct mm_struct *mm = enter_new_mm();
		unsigned long a = mm ? umap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, 0) : 0;

		KTEST_EXPECT(t, mm && !IS_ERR_VALUE(a));
		if (mm && !IS_ERR_VALUE(a)) {
			KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, FIONREAD, a), 0);
			KTEST_EXPECT_EQ(t, get_user(n, (int __user *)uptr(a)), 0);
			KTEST_EXPECT_EQ(t, n, 5);
		}
		if (mm)
			leave_mm(mm);
	}
	TEARDOWN(fx, file);
}

/* A line holds 4095 bytes and its end; more replace the last one, and the newline
 * still ends it. */
KTEST(tty_canon_line_limit)
{
	SETUP(fx, file, O_RDWR | O_NONBLOCK);
	char *buf = kmalloc(8192, GFP_KERNEL), *in = kmalloc(5000, GFP_KERNEL);

	KTEST_EXPECT(t, buf && in);
	if (buf && in) {
		memset(in, 'a', 5000);
		in[4999] = 'b';
		KTEST_EXPECT_EQ(t, feed_flag(fx, in, 5000, TTY_NORMAL), 5000);
		feed(fx, "\n");
		KTEST_EXPECT_EQ(t, tread(file, buf, 8192), 4096);
		KTEST_EXPECT_EQ(t, buf[4094], 'a');
		KTEST_EXPECT_EQ(t, buf[4095], '\n');
		/* Erase still works on a full line (the first one takes the byte in the
		 * overflow place too, as in Linux). */
		KTEST_EXPECT_EQ(t, feed_flag(fx, in, 5000, TTY_NORMAL), 5000);
		feed(fx, "\177\177\n");
		KTEST_EXPECT_EQ(t, tread(file, buf, 8192), 4094);
		KTEST_EXPECT_EQ(t, buf[4092], 'a');
		KTEST_EXPECT_EQ(t, buf[4093], '\n');
		feed(fx, "ok\n");
		KTEST_EXPECT_EQ(t, tread(file, buf, 8192), 3);
	}
	kfree(buf);
	kfree(in);
	TEARDOWN(fx, file);
}

/* LNEXT (^V) takes the next byte literally; echo shows ^ then the byte over it. */
KTEST(tty_canon_lnext_and_reprint)
{
	SETUP(fx, file, O_RDWR | O_NONBLOCK);
	char buf[64];

	feed(fx, "\026\003\026\177\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 3);
	KTEST_EXPECT(t, !memcmp(buf, "\003\177\n", 3));
	KTEST_EXPECT(t, out_is(fx, "^\b^C^\b^?\r\n"));
	/* REPRINT (^R) shows the line again. */
	feed(fx, "ab\022c\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 4);
	KTEST_EXPECT(t, out_is(fx, "ab^R\r\nabc\r\n"));
	TEARDOWN(fx, file);
}

/* Input processing flags: IGNCR, INLCR, ISTRIP, and ICRNL off. */
KTEST(tty_input_flags)
{
	SETUP(fx, file, O_RDWR | O_NONBLOCK);
	char buf[64];

	fx->tty.termios.c_iflag = IGNCR;
	set_lflag(fx, 0, 0);
	feed(fx, "a\rb\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 3);
	KTEST_EXPECT(t, !memcmp(buf, "ab\n", 3));

	fx->tty.termios.c_iflag = INLCR | ISTRIP;
	set_lflag(fx, 0, 0);
	set_raw(fx, 0, 0);
	feed(fx, "\n\xe1");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 2);
	KTEST_EXPECT(t, !memcmp(buf, "\ra", 2));
	TEARDOWN(fx, file);
}

/* Signal characters: echoed as ^C etc., and the input so far is flushed (NOFLSH keeps it). */
KTEST(tty_isig_flush)
{
	SETUP(fx, file, O_RDWR | O_NONBLOCK);
	char buf[64];

	feed(fx, "abc");
	feed(fx, "\003");
	KTEST_EXPECT(t, out_is(fx, "abc^C"));
	/* Echoes not yet sent go with the rest of the output. */
	feed(fx, "xy\003");
	KTEST_EXPECT(t, out_is(fx, "^C"));
	feed(fx, "d\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 2);
	KTEST_EXPECT(t, !memcmp(buf, "d\n", 2));
	set_lflag(fx, NOFLSH, 0);
	feed(fx, "ab\034cd\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 5);
	KTEST_EXPECT(t, !memcmp(buf, "abcd\n", 5));
	/* Without ISIG they are data. */
	set_lflag(fx, 0, ISIG);
	feed(fx, "\003\032\n");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 3);
	TEARDOWN(fx, file);
}

/* Output processing: ONLCR, OCRNL, ONOCR, tab expansion, OPOST off. */
KTEST(tty_output_processing)
{
	SETUP(fx, file, O_RDWR);

	KTEST_EXPECT_EQ(t, twrite(file, "a\nb\n", 4), 4);
	KTEST_EXPECT(t, out_is(fx, "a\r\nb\r\n"));
	fx->tty.termios.c_oflag |= XTABS;
	KTEST_EXPECT_EQ(t, twrite(file, "ab\tc", 4), 4);
	KTEST_EXPECT(t, out_is(fx, "ab      c"));
	KTEST_EXPECT_EQ(t, twrite(file, "\n", 1), 1);	/* back to column 0 */
	KTEST_EXPECT(t, out_is(fx, "\r\n"));
	fx->tty.termios.c_oflag = OPOST | OCRNL | ONOCR;
	KTEST_EXPECT_EQ(t, twrite(file, "\rx\r", 3), 3);
	KTEST_EXPECT(t, out_is(fx, "x\n"));
	fx->tty.termios.c_oflag = 0;
	KTEST_EXPECT_EQ(t, twrite(file, "a\n", 2), 2);
	KTEST_EXPECT(t, out_is(fx, "a\n"));
	TEARDOWN(fx, file);
}

/* ^S stops output (writes are kept), ^Q lets it go; TCOOFF/TCOON likewise. */
KTEST(tty_flow_control)
{
	SETUP(fx, file, O_RDWR | O_NONBLOCK);
	struct mm_struct *mm;
	unsigned long a;
	int n = -1;

	feed(fx, "\023");
	KTEST_EXPECT(t, out_is(fx, ""));
	KTEST_EXPECT_EQ(t, twrite(file, "xyz", 3), 3);
	KTEST_EXPECT(t, out_is(fx, ""));
	mm = enter_new_mm();
	a = mm ? umap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, 0) : 0;
	KTEST_EXPECT(t, mm && !IS_ERR_VALUE(a));
	if (mm && !IS_ERR_VALUE(a)) {
		KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TIOCOUTQ, a), 0);
		KTEST_EXPECT_EQ(t, get_user(n, (int __user *)uptr(a)), 0);
		KTEST_EXPECT_EQ(t, n, 3);
	}
	feed(fx, "\021");
	KTEST_EXPECT(t, out_is(fx, "xyz"));
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCXONC, TCOOFF), 0);
	KTEST_EXPECT_EQ(t, twrite(file, "ab", 2), 2);
	feed(fx, "\021");		/* ^Q does not undo TCOOFF */
	KTEST_EXPECT(t, out_is(fx, ""));
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCXONC, TCOON), 0);
	KTEST_EXPECT(t, out_is(fx, "ab"));
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCXONC, 7), -EINVAL);
	/* TCOFLUSH drops what a stopped terminal holds. */
	feed(fx, "\023");
	KTEST_EXPECT_EQ(t, twrite(file, "zz", 2), 2);
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCFLSH, TCOFLUSH), 0);
	feed(fx, "\021");
	KTEST_EXPECT(t, out_is(fx, ""));
	if (mm)
		leave_mm(mm);
	TEARDOWN(fx, file);
}

/* TCGETS/TCSETS and the termios2 forms, through user memory. */
KTEST(tty_termios_ioctls)
{
	SETUP(fx, file, O_RDWR | O_NONBLOCK);
	struct mm_struct *mm = enter_new_mm();
	unsigned long a = mm ? umap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, 0) : 0;
	struct termios2 t2;
	struct termios tio;
	char buf[8];

	KTEST_EXPECT(t, mm && !IS_ERR_VALUE(a));
	if (!mm || IS_ERR_VALUE(a))
		goto out;
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCGETS, a), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&tio, uptr(a), sizeof(tio)), 0);
	KTEST_EXPECT_EQ(t, tio.c_lflag, 0x8a3b);
	KTEST_EXPECT_EQ(t, tio.c_cc[VERASE], 0177);

	/* Raw mode as a line editor sets it: bytes come one by one, unechoed. */
	tio.c_lflag &= ~(ICANON | ECHO);
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	tio.c_cflag = (tio.c_cflag & ~CBAUD) | B115200;
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), &tio, sizeof(tio)), 0);
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCSETSW, a), 0);
	feed(fx, "q");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 1);
	KTEST_EXPECT(t, out_is(fx, ""));
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCGETS2, a), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&t2, uptr(a), sizeof(t2)), 0);
	KTEST_EXPECT_EQ(t, t2.c_ospeed, 115200);
	KTEST_EXPECT_EQ(t, t2.c_ispeed, 115200);

	/* BOTHER: any speed. */
	t2.c_cflag = (t2.c_cflag & ~CBAUD) | BOTHER;
	t2.c_ospeed = t2.c_ispeed = 12345;
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), &t2, sizeof(t2)), 0);
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCSETS2, a), 0);
	KTEST_EXPECT_EQ(t, fx->tty.termios.c_ospeed, 12345);

	/* Back to canonical: what was typed in raw mode becomes a line. */
	feed(fx, "xy");
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCGETS, a), 0);
	KTEST_EXPECT_EQ(t, copy_from_user(&tio, uptr(a), sizeof(tio)), 0);
	tio.c_lflag |= ICANON;
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), &tio, sizeof(tio)), 0);
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCSETS, a), 0);
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 2);
	/* TCSETSF drops pending input. */
	feed(fx, "gone\n");
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCSETSF, a), 0);
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), -EAGAIN);
	/* TIOCSTI: input as if typed (root may, for any terminal). */
	KTEST_EXPECT_EQ(t, copy_to_user(uptr(a), "k\n", 2), 0);
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TIOCSTI, a), 0);
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TIOCSTI, a + 1), 0);
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TIOCSTI, 8), -EFAULT);
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 2);
	KTEST_EXPECT(t, !memcmp(buf, "k\n", 2));

	/* Window size: kept as given. */
	KTEST_EXPECT_EQ(t, put_user(0x00500018U, (u32 __user *)uptr(a)), 0);	/* 24x80 */
	KTEST_EXPECT_EQ(t, put_user(0U, (u32 __user *)uptr(a + 4)), 0);
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TIOCSWINSZ, a), 0);
	KTEST_EXPECT_EQ(t, fx->tty.winsize.ws_row, 24);
	KTEST_EXPECT_EQ(t, fx->tty.winsize.ws_col, 80);

	/* Bad pointers, bad requests. */
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCGETS, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCSETS, 16), -EFAULT);
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TIOCGWINSZ, -1UL), -EFAULT);
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TCFLSH, 3), -EINVAL);
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, 0x5499, a), -ENOTTY);
	/* Not a controlling terminal of this (kernel) thread's session. */
	KTEST_EXPECT_EQ(t, file->f_op->unlocked_ioctl(file, TIOCGPGRP, a), -ENOTTY);
out:
	if (mm)
		leave_mm(mm);
	TEARDOWN(fx, file);
}

struct reader {
	struct file *file;
	size_t len;
	ssize_t ret;
	u64 t_done;
	bool finished;
	struct completion done;
	char buf[512];
};

static int reader_fn(void *data)
{
	struct reader *r = data;

	r->ret = tread(r->file, r->buf, r->len);
	r->t_done = ktime_get_ns();
	WRITE_ONCE(r->finished, true);
	complete(&r->done);
	ktest_wait_for_stop();
	return 0;
}

static struct task_struct *reader_start(struct reader *r, struct file *file, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->file = file;
	r->len = len;
	init_completion(&r->done);
	return kthread_run(reader_fn, r, "ktest_ttyrd");
}

/* Whether the reader finished within ms. */
static bool reader_done_within(struct reader *r, unsigned int ms)
{
	return wait_for_completion_timeout(&r->done, msecs_to_jiffies(ms)) != 0;
}

/* Let a reader that is still waiting go (enough bytes for any VMIN), and stop it. */
static void reader_stop(struct tty_fixture *fx, struct task_struct *k, struct reader *r)
{
	if (IS_ERR(k))
		return;
	for (int i = 0; i < 10 && !READ_ONCE(r->finished); i++) {
		feed(fx, "\n##########################################################"
			 "################################################################"
			 "################################################################"
			 "################################################################");
		reader_done_within(r, 100);
	}
	kthread_stop(k);
}

/* VMIN > 0, VTIME 0: the read waits for VMIN bytes. */
KTEST(tty_vmin_only)
{
	SETUP(fx, file, O_RDWR);
	static struct reader r;
	struct task_struct *k;

	set_raw(fx, 3, 0);
	k = reader_start(&r, file, 10);
	KTEST_EXPECT(t, !IS_ERR(k));
	feed(fx, "a");
	KTEST_EXPECT(t, !reader_done_within(&r, 300));
	feed(fx, "bc");
	KTEST_EXPECT(t, reader_done_within(&r, 5000));
	KTEST_EXPECT_EQ(t, r.ret, 3);
	KTEST_EXPECT(t, !memcmp(r.buf, "abc", 3));
	reader_stop(fx, k, &r);
	/* A count below VMIN is enough. */
	feed(fx, "xy");
	k = reader_start(&r, file, 1);
	KTEST_EXPECT(t, reader_done_within(&r, 5000));
	KTEST_EXPECT_EQ(t, r.ret, 1);
	reader_stop(fx, k, &r);
	TEARDOWN(fx, file);
}

/* VMIN 0, VTIME 0: what is there, possibly nothing, at once. */
KTEST(tty_vmin0_vtime0)
{
	SETUP(fx, file, O_RDWR);
	char buf[16];

	set_raw(fx, 0, 0);
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 0);
	feed(fx, "ab");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 2);
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 0);
	TEARDOWN(fx, file);
}

/* VMIN 0, VTIME > 0: at most VTIME tenths for the first byte, which ends the read. */
KTEST(tty_vtime_only)
{
	SETUP(fx, file, O_RDWR);
	static struct reader r;
	struct task_struct *k;
	u64 t0;

	set_raw(fx, 0, 2);
	t0 = ktime_get_ns();
	k = reader_start(&r, file, 10);
	KTEST_EXPECT(t, !IS_ERR(k));
	KTEST_EXPECT(t, reader_done_within(&r, 10000));
	KTEST_EXPECT_EQ(t, r.ret, 0);
	KTEST_EXPECT(t, r.t_done - t0 >= 200 * NSEC_PER_MSEC);
	reader_stop(fx, k, &r);

	set_raw(fx, 0, 100);		/* ten seconds: ended by the byte */
	k = reader_start(&r, file, 10);
	msleep(50);
	feed(fx, "z");
	KTEST_EXPECT(t, reader_done_within(&r, 5000));
	KTEST_EXPECT_EQ(t, r.ret, 1);
	reader_stop(fx, k, &r);
	TEARDOWN(fx, file);
}

/* VMIN > 0, VTIME > 0: no timer before the first byte, then VTIME between bytes. */
KTEST(tty_vmin_vtime)
{
	SETUP(fx, file, O_RDWR);
	static struct reader r;
	struct task_struct *k;
	u64 t0;

	set_raw(fx, 5, 1);
	k = reader_start(&r, file, 10);
	KTEST_EXPECT(t, !IS_ERR(k));
	KTEST_EXPECT(t, !reader_done_within(&r, 400));	/* VTIME has not started */
	t0 = ktime_get_ns();
	feed(fx, "ab");
	KTEST_EXPECT(t, reader_done_within(&r, 5000));
	KTEST_EXPECT_EQ(t, r.ret, 2);
	KTEST_EXPECT(t, r.t_done - t0 >= 100 * NSEC_PER_MSEC);
	reader_stop(fx, k, &r);
	/* VMIN bytes end it before the timer. */
	set_raw(fx, 2, 100);
	k = reader_start(&r, file, 10);
	feed(fx, "cd");
	KTEST_EXPECT(t, reader_done_within(&r, 5000));
	KTEST_EXPECT_EQ(t, r.ret, 2);
	reader_stop(fx, k, &r);
	TEARDOWN(fx, file);
}

/* A blocked canonical reader wakes for a complete line, not before. */
KTEST(tty_canon_blocking_read)
{
	SETUP(fx, file, O_RDWR);
	static struct reader r;
	struct task_struct *k;

	k = reader_start(&r, file, 100);
	KTEST_EXPECT(t, !IS_ERR(k));
	feed(fx, "partial");
	KTEST_EXPECT(t, !reader_done_within(&r, 300));
	feed(fx, " line\r");
	KTEST_EXPECT(t, reader_done_within(&r, 5000));
	KTEST_EXPECT_EQ(t, r.ret, 13);
	KTEST_EXPECT(t, !memcmp(r.buf, "partial line\n", 13));
	reader_stop(fx, k, &r);
	TEARDOWN(fx, file);
}

/* poll: readable once a line is complete (canonical) or VMIN bytes wait; writable. */
KTEST(tty_poll)
{
	SETUP(fx, file, O_RDWR | O_NONBLOCK);
	char buf[16];

	KTEST_EXPECT_EQ(t, file->f_op->poll(file, NULL), POLLOUT | POLLWRNORM);
	feed(fx, "ab");
	KTEST_EXPECT_EQ(t, file->f_op->poll(file, NULL) & POLLIN, 0);
	feed(fx, "\n");
	KTEST_EXPECT_EQ(t, file->f_op->poll(file, NULL) & (POLLIN | POLLRDNORM),
			POLLIN | POLLRDNORM);
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 3);
	set_raw(fx, 2, 0);
	feed(fx, "a");
	KTEST_EXPECT_EQ(t, file->f_op->poll(file, NULL) & POLLIN, 0);
	feed(fx, "b");
	KTEST_EXPECT_EQ(t, file->f_op->poll(file, NULL) & POLLIN, POLLIN);
	/* Stopped output with a full transmit buffer is not writable. */
	fx->tty.termios.c_iflag |= IXON;
	set_lflag(fx, 0, 0);
	feed(fx, "\023");
	while (twrite(file, "0123456789abcdef", 16) > 0)
		;
	KTEST_EXPECT_EQ(t, twrite(file, "x", 1), -EAGAIN);
	KTEST_EXPECT_EQ(t, file->f_op->poll(file, NULL) & POLLOUT, 0);
	feed(fx, "\021");
	KTEST_EXPECT_EQ(t, file->f_op->poll(file, NULL) & POLLOUT, POLLOUT);
	TEARDOWN(fx, file);
}

/* Nothing is lost when nobody reads: the flip buffer fills, the driver is told to
 * stop, and is let go again once a reader makes room. */
KTEST(tty_input_throttle)
{
	SETUP(fx, file, O_RDWR | O_NONBLOCK);
	size_t total = 4095 + TTY_FLIPBUF_SIZE + 100, got = 0, fed;
	char *in = kmalloc(total, GFP_KERNEL), *buf = kmalloc(8192, GFP_KERNEL);
	bool same = true;
	int unthrottles;

	KTEST_EXPECT(t, in && buf);
	if (!in || !buf)
		goto out;
	for (size_t i = 0; i < total; i++)
		in[i] = 'A' + i % 26;
	set_raw(fx, 1, 0);
	fed = feed_flag(fx, in, total, TTY_NORMAL);
	KTEST_EXPECT_EQ(t, fed, 4095 + TTY_FLIPBUF_SIZE);	/* the rest must wait */
	unthrottles = fx->unthrottles;
	while (got < total) {
		ssize_t n = tread(file, buf, 8192);

		if (n <= 0) {
			if (fed == total)
				break;
			fed += feed_flag(fx, in + fed, total - fed, TTY_NORMAL);
			continue;
		}
		for (ssize_t i = 0; i < n; i++)
			same &= buf[i] == in[got + i];
		got += n;
		tty_buffer_flush_work(&fx->tty);
	}
	KTEST_EXPECT_EQ(t, got, total);
	KTEST_EXPECT(t, same);
	KTEST_EXPECT(t, fx->unthrottles > unthrottles);
out:
	kfree(in);
	kfree(buf);
	TEARDOWN(fx, file);
}

/* Breaks and parity errors, as n_tty takes them under the termios flags. */
KTEST(tty_break_and_parity)
{
	SETUP(fx, file, O_RDWR | O_NONBLOCK);
	char buf[16];

	set_raw(fx, 0, 0);
	feed_flag(fx, "\0", 1, TTY_BREAK);		/* plain: a NUL */
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 1);
	KTEST_EXPECT_EQ(t, buf[0], 0);
	fx->tty.termios.c_iflag |= IGNBRK;
	feed_flag(fx, "\0", 1, TTY_BREAK);
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 0);
	fx->tty.termios.c_iflag = PARMRK | INPCK;
	set_lflag(fx, 0, 0);
	feed_flag(fx, "x", 1, TTY_PARITY);
	feed(fx, "\377");
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 5);
	KTEST_EXPECT(t, !memcmp(buf, "\377\0x\377\377", 5));
	fx->tty.termios.c_iflag = 0;			/* no INPCK: the byte as it came */
	feed_flag(fx, "y", 1, TTY_FRAME);
	KTEST_EXPECT_EQ(t, tread(file, buf, sizeof(buf)), 1);
	KTEST_EXPECT_EQ(t, buf[0], 'y');
	TEARDOWN(fx, file);
}
