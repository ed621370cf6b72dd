// SPDX-License-Identifier: MIT
/*
 * The flip buffer: a driver's receive interrupt stores bytes here, and the tty worker
 * thread hands them to the line discipline, which may sleep (it takes mutexes and sends
 * signals). When the line discipline has no room, bytes wait here; when this fills up
 * too, the driver stops taking bytes from the device until ->unthrottle, so that input
 * is held back rather than lost.
 */
#include <kairos/bug.h>
#include <kairos/kthread.h>
#include "tty.h"

static struct kthread_worker *tty_worker;

static void flush_to_ldisc(struct kthread_work *work)
{
	struct tty_struct *tty = container_of(work, struct tty_struct, buf.work);
	struct tty_bufhead *buf = &tty->buf;

	/* A terminal nobody has open receives nothing, as a closed serial port. */
	if (!READ_ONCE(tty->count)) {
		tty_buffer_flush(tty);
		return;
	}
	for (;;) {
		unsigned long flags;
		unsigned int tail, n;
		bool unthrottle;
		int taken;

		spin_lock_irqsave(&buf->lock, flags);
		tail = buf->tail;
		/* The bytes up to the end of the ring; the rest on the next round. */
		n = min(buf->head - tail, TTY_FLIPBUF_SIZE - tail % TTY_FLIPBUF_SIZE);
		spin_unlock_irqrestore(&buf->lock, flags);
		if (!n)
			return;

		/* Only this work consumes: the bytes stay put until tail moves. */
		taken = n_tty_receive_buf(tty, &buf->chars[tail % TTY_FLIPBUF_SIZE],
					  &buf->flags[tail % TTY_FLIPBUF_SIZE], n);

		spin_lock_irqsave(&buf->lock, flags);
		if (buf->tail == tail)		/* else tty_buffer_flush() emptied it */
			buf->tail += taken;
		unthrottle = buf->throttled && taken;
		if (unthrottle)
			buf->throttled = false;
		spin_unlock_irqrestore(&buf->lock, flags);
		if (unthrottle && tty->ops->unthrottle)
			tty->ops->unthrottle(tty);
		/* The line discipline is full: a reader pushes again when it made room. */
		if (taken < (int)n)
			return;
	}
}

unsigned int tty_buffer_request_room(struct tty_struct *tty, unsigned int n)
{
	struct tty_bufhead *buf = &tty->buf;
	unsigned long flags;
	unsigned int room;

	spin_lock_irqsave(&buf->lock, flags);
	room = min(n, TTY_FLIPBUF_SIZE - (buf->head - buf->tail));
	if (!room)
		buf->throttled = true;
	spin_unlock_irqrestore(&buf->lock, flags);
	return room;
}

void tty_insert_flip_char(struct tty_struct *tty, u8 ch, u8 flag)
{
	struct tty_bufhead *buf = &tty->buf;
	unsigned long flags;

	spin_lock_irqsave(&buf->lock, flags);
	BUG_ON(buf->head - buf->tail >= TTY_FLIPBUF_SIZE);
	buf->chars[buf->head % TTY_FLIPBUF_SIZE] = ch;
	buf->flags[buf->head % TTY_FLIPBUF_SIZE] = flag;
	buf->head++;
	spin_unlock_irqrestore(&buf->lock, flags);
}

void tty_flip_buffer_push(struct tty_struct *tty)
{
	kthread_queue_work(tty_worker, &tty->buf.work);
}

void tty_buffer_flush_work(struct tty_struct *tty)
{
	kthread_flush_work(&tty->buf.work);
}

void tty_buffer_flush(struct tty_struct *tty)
{
	struct tty_bufhead *buf = &tty->buf;
	unsigned long flags;
	bool unthrottle;

	spin_lock_irqsave(&buf->lock, flags);
	buf->tail = buf->head;
	unthrottle = buf->throttled;
	buf->throttled = false;
	spin_unlock_irqrestore(&buf->lock, flags);
	if (unthrottle && tty->ops->unthrottle)
		tty->ops->unthrottle(tty);
}

void tty_buffer_init(struct tty_struct *tty)
{
	struct tty_bufhead *buf = &tty->buf;

	spin_lock_init(&buf->lock);
	buf->head = buf->tail = 0;
	buf->throttled = false;
	kthread_init_work(&buf->work, flush_to_ldisc);
}

void tty_buffer_worker_init(void)
{
	tty_worker = kthread_create_worker(0, "tty");
	BUG_ON(IS_ERR(tty_worker));
}
