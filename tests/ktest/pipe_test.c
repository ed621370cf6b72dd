// SPDX-License-Identifier: MIT
/*
 * Pipes and FIFOs through the kernel API: Linux's buffering (16 pages, merging small
 * writes, PIPE_BUF atomicity), non-blocking and blocking ends, end of file, EPIPE,
 * interrupted waits, poll masks, packet mode, resizing, and FIFO opens.
 */
#include <kairos/delay.h>
#include <kairos/kthread.h>
#include <kairos/pipe_fs_i.h>
#include <kairos/slab.h>
#include <kairos/string.h>

#include "fs_fixture.h"
#include "ktest_kthread.h"

#define PIPE_SIZE	(PIPE_DEF_BUFFERS * PAGE_SIZE)
#define PATIENCE_NS	(20 * NSEC_PER_SEC)

#define wait_until(cond) ({						\
	u64 __t0 = ktime_get_ns();					\
	while (!(cond) && ktime_get_ns() - __t0 < PATIENCE_NS)		\
		msleep(1);						\
	(cond);								\
})

static char big[PIPE_SIZE + 2 * PAGE_SIZE];

static __poll_t poll_now(struct file *file)
{
	return file->f_op->poll(file, NULL);
}

/* Both ends; false (and a failure) if the pipe could not be made. */
static bool make_pipe(struct ktest_ctx *t, struct file **res, int flags)
{
	int err = create_pipe_files(res, flags);

	KTEST_EXPECT_EQ(t, err, 0);
	return !err;
}

KTEST(pipe_buffering)
{
	struct file *p[2];
	char buf[300];

	if (!make_pipe(t, p, O_NONBLOCK))
		return;
	KTEST_EXPECT_EQ(t, kernel_read(p[0], buf, 10, NULL), -EAGAIN);
	KTEST_EXPECT_EQ(t, kernel_write(p[1], "hello", 5, NULL), 5);
	KTEST_EXPECT_EQ(t, kernel_write(p[1], " world", 6, NULL), 6);
	KTEST_EXPECT_EQ(t, kernel_read(p[0], buf, sizeof(buf), NULL), 11);
	KTEST_EXPECT(t, !memcmp(buf, "hello world", 11));
	KTEST_EXPECT_EQ(t, kernel_read(p[1], buf, 1, NULL), -EBADF);
	KTEST_EXPECT_EQ(t, kernel_write(p[0], "x", 1, NULL), -EBADF);
	KTEST_EXPECT_EQ(t, vfs_llseek(p[0], 0, SEEK_SET), -ESPIPE);

	/* 64 KiB fit; then nothing, not even one byte. */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 4096);
	KTEST_EXPECT_EQ(t, kernel_write(p[1], big, PIPE_SIZE + 1, NULL), PIPE_SIZE);
	KTEST_EXPECT_EQ(t, kernel_write(p[1], "x", 1, NULL), -EAGAIN);
	/* A byte read leaves the first page in use: still full. */
	KTEST_EXPECT_EQ(t, kernel_read(p[0], buf, 1, NULL), 1);
	KTEST_EXPECT_EQ(t, kernel_write(p[1], "x", 1, NULL), -EAGAIN);
	KTEST_EXPECT_EQ(t, kernel_read(p[0], buf + 1, 299, NULL), 299);
	KTEST_EXPECT(t, !memcmp(buf, big, 300));
	for (size_t done = 300; done < PIPE_SIZE;) {
		ssize_t n = kernel_read(p[0], buf, sizeof(buf), NULL);

		if (n <= 0 || memcmp(buf, big + done, n)) {
			ktest_fail(t, __FILE__, __LINE__, "read %zd at %zu", n, done);
			break;
		}
		done += n;
	}
	KTEST_EXPECT_EQ(t, kernel_read(p[0], buf, 1, NULL), -EAGAIN);

	/*
	 * PIPE_BUF atomicity: with 100 bytes of room in the last page and no free page, a
	 * 200-byte write does not go in part; a 100-byte one merges.
	 */
	KTEST_EXPECT_EQ(t, kernel_write(p[1], big, PIPE_SIZE - 100, NULL), PIPE_SIZE - 100);
	KTEST_EXPECT_EQ(t, kernel_write(p[1], big, 200, NULL), -EAGAIN);
	KTEST_EXPECT_EQ(t, kernel_write(p[1], big, 100, NULL), 100);
	/* Past PIPE_BUF, a non-blocking write takes what fits. */
	KTEST_EXPECT_EQ(t, kernel_read(p[0], big + PIPE_SIZE, PAGE_SIZE, NULL), PAGE_SIZE);
	KTEST_EXPECT_EQ(t, kernel_write(p[1], big, 2 * PAGE_SIZE, NULL), PAGE_SIZE);
	fput(p[0]);
	fput(p[1]);
}

KTEST(pipe_eof_and_epipe)
{
	struct file *p[2];
	char buf[8];

	if (!make_pipe(t, p, 0))
		return;
	KTEST_EXPECT_EQ(t, kernel_write(p[1], "abc", 3, NULL), 3);
	KTEST_EXPECT_EQ(t, poll_now(p[0]), POLLIN | POLLRDNORM);
	KTEST_EXPECT_EQ(t, poll_now(p[1]), POLLOUT | POLLWRNORM);
	fput(p[1]);
	/* What was written stays readable; then end of file, without blocking. */
	KTEST_EXPECT_EQ(t, poll_now(p[0]), POLLIN | POLLRDNORM | POLLHUP);
	KTEST_EXPECT_EQ(t, kernel_read(p[0], buf, sizeof(buf), NULL), 3);
	KTEST_EXPECT_EQ(t, kernel_read(p[0], buf, sizeof(buf), NULL), 0);
	KTEST_EXPECT_EQ(t, poll_now(p[0]), POLLHUP);
	fput(p[0]);
}

struct pipe_thread {
	struct file *file;
	char *buf;
	size_t len;
	ssize_t ret;
	bool done;
};

static int pipe_reader(void *arg)
{
	struct pipe_thread *pt = arg;

	pt->ret = kernel_read(pt->file, pt->buf, pt->len, NULL);
	/* An interrupted read: the fake signal goes with it. */
	__atomic_fetch_and(&current->thread_info.flags, ~(1UL << TIF_SIGPENDING),
			   __ATOMIC_SEQ_CST);
	WRITE_ONCE(pt->done, true);
	ktest_wait_for_stop();
	return 0;
}

static int pipe_writer(void *arg)
{
	struct pipe_thread *pt = arg;

	pt->ret = kernel_write(pt->file, pt->buf, pt->len, NULL);
	WRITE_ONCE(pt->done, true);
	ktest_wait_for_stop();
	return 0;
}

/* Writing without readers: EPIPE (and SIGPIPE, which goes to a thread of its own). */
KTEST(pipe_epipe)
{
	struct pipe_thread w = { .buf = (char *)"abc", .len = 3 };
	struct task_struct *writer;
	struct file *p[2];

	if (!make_pipe(t, p, 0))
		return;
	fput(p[0]);
	KTEST_EXPECT_EQ(t, poll_now(p[1]), POLLOUT | POLLWRNORM | POLLERR);
	w.file = p[1];
	writer = kthread_run(pipe_writer, &w, "pipe_writer");
	KTEST_EXPECT(t, wait_until(READ_ONCE(w.done)));
	KTEST_EXPECT_EQ(t, w.ret, -EPIPE);
	kthread_stop(writer);
	fput(p[1]);
}

static bool sleeping(struct task_struct *p)
{
	return READ_ONCE(p->__state) == TASK_INTERRUPTIBLE;
}

/* A reader waits for data and a writer for room; each wakes the other. */
KTEST(pipe_blocking)
{
	struct pipe_thread r = { .len = 64 }, w = { .buf = big, .len = PIPE_SIZE + 3000 };
	struct task_struct *reader, *writer;
	char buf[64], *all;
	struct file *p[2];
	size_t got = 0;

	all = kmalloc(w.len, GFP_KERNEL);
	KTEST_EXPECT(t, all != NULL);
	if (!all || !make_pipe(t, p, 0)) {
		kfree(all);
		return;
	}
	r.file = p[0];
	r.buf = buf;
	reader = kthread_run(pipe_reader, &r, "pipe_reader");
	KTEST_EXPECT(t, wait_until(sleeping(reader)));
	KTEST_EXPECT(t, !READ_ONCE(r.done));
	KTEST_EXPECT_EQ(t, kernel_write(p[1], "wake", 4, NULL), 4);
	KTEST_EXPECT(t, wait_until(READ_ONCE(r.done)));
	KTEST_EXPECT_EQ(t, r.ret, 4);
	KTEST_EXPECT(t, !memcmp(buf, "wake", 4));
	kthread_stop(reader);

	/* More than fits: the writer sleeps until reads make room, then finishes. */
	for (size_t i = 0; i < w.len; i++)
		big[i] = (char)(i * 13 + i / 4096);
	w.file = p[1];
	writer = kthread_run(pipe_writer, &w, "pipe_writer");
	KTEST_EXPECT(t, wait_until(sleeping(writer)));
	KTEST_EXPECT(t, !READ_ONCE(w.done));
	while (got < w.len) {
		ssize_t n = kernel_read(p[0], all + got, w.len - got, NULL);

		if (n <= 0) {
			ktest_fail(t, __FILE__, __LINE__, "read %zd after %zu", n, got);
			break;
		}
		got += n;
	}
	KTEST_EXPECT(t, wait_until(READ_ONCE(w.done)));
	KTEST_EXPECT_EQ(t, w.ret, w.len);
	KTEST_EXPECT(t, !memcmp(all, big, w.len));
	kthread_stop(writer);
	kfree(all);
	fput(p[0]);
	fput(p[1]);
}

/* A signal ends a read that got nothing with -ERESTARTSYS. */
KTEST(pipe_interrupted)
{
	struct pipe_thread r = { .len = 8 };
	struct task_struct *reader;
	struct file *p[2];
	char buf[8];

	if (!make_pipe(t, p, 0))
		return;
	r.file = p[0];
	r.buf = buf;
	reader = kthread_run(pipe_reader, &r, "pipe_reader");
	KTEST_EXPECT(t, wait_until(sleeping(reader)));
	__atomic_fetch_or(&reader->thread_info.flags, 1UL << TIF_SIGPENDING, __ATOMIC_SEQ_CST);
	wake_up_state(reader, TASK_INTERRUPTIBLE);
	KTEST_EXPECT(t, wait_until(READ_ONCE(r.done)));
	KTEST_EXPECT_EQ(t, r.ret, -ERESTARTSYS);
	kthread_stop(reader);
	fput(p[0]);
	fput(p[1]);
}

/* O_DIRECT: each write a packet, each read at most one, its rest dropped. */
KTEST(pipe_packets)
{
	struct file *p[2];
	char buf[16];

	if (!make_pipe(t, p, O_NONBLOCK | O_DIRECT))
		return;
	KTEST_EXPECT_EQ(t, kernel_write(p[1], "abc", 3, NULL), 3);
	KTEST_EXPECT_EQ(t, kernel_write(p[1], "defg", 4, NULL), 4);
	KTEST_EXPECT_EQ(t, kernel_write(p[1], "hi", 2, NULL), 2);
	KTEST_EXPECT_EQ(t, kernel_read(p[0], buf, sizeof(buf), NULL), 3);
	KTEST_EXPECT(t, !memcmp(buf, "abc", 3));
	KTEST_EXPECT_EQ(t, kernel_read(p[0], buf, 2, NULL), 2);
	KTEST_EXPECT(t, !memcmp(buf, "de", 2));
	KTEST_EXPECT_EQ(t, kernel_read(p[0], buf, sizeof(buf), NULL), 2);
	KTEST_EXPECT(t, !memcmp(buf, "hi", 2));
	KTEST_EXPECT_EQ(t, kernel_read(p[0], buf, sizeof(buf), NULL), -EAGAIN);
	fput(p[0]);
	fput(p[1]);
}

KTEST(pipe_resize)
{
	struct file *p[2];
	char buf[16];

	if (!make_pipe(t, p, O_NONBLOCK))
		return;
	KTEST_EXPECT_EQ(t, pipe_fcntl(p[0], F_GETPIPE_SZ, 0), PIPE_SIZE);
	KTEST_EXPECT_EQ(t, pipe_fcntl(p[1], F_SETPIPE_SZ, 1), PAGE_SIZE);
	KTEST_EXPECT_EQ(t, pipe_fcntl(p[0], F_GETPIPE_SZ, 0), PAGE_SIZE);
	KTEST_EXPECT_EQ(t, kernel_write(p[1], big, 2 * PAGE_SIZE, NULL), PAGE_SIZE);
	KTEST_EXPECT_EQ(t, pipe_fcntl(p[1], F_SETPIPE_SZ, 3 * PAGE_SIZE), 4 * PAGE_SIZE);
	/* The data moved with the ring. */
	KTEST_EXPECT_EQ(t, kernel_read(p[0], buf, 4, NULL), 4);
	KTEST_EXPECT(t, !memcmp(buf, big, 4));
	KTEST_EXPECT_EQ(t, kernel_write(p[1], big, 4 * PAGE_SIZE, NULL), 3 * PAGE_SIZE);
	/* Four pages in use: two cannot hold them. */
	KTEST_EXPECT_EQ(t, pipe_fcntl(p[1], F_SETPIPE_SZ, 2 * PAGE_SIZE), -EBUSY);
	KTEST_EXPECT_EQ(t, pipe_fcntl(p[1], F_SETPIPE_SZ, 0x80000001U), -EINVAL);
	fput(p[0]);
	fput(p[1]);
}

struct fifo_opener {
	const struct vfs_ctx *ctx;
	int flags;
	struct file *file;
	bool done;
};

static int fifo_open_thread(void *arg)
{
	struct fifo_opener *o = arg;

	o->file = filp_open(o->ctx, "fifo", o->flags, 0);
	WRITE_ONCE(o->done, true);
	ktest_wait_for_stop();
	return 0;
}

/* A FIFO's ends meet through the name; each open waits for the other side. */
KTEST(pipe_fifo)
{
	struct fifo_opener o = { .flags = O_RDONLY };
	struct file *r, *w, *rw;
	struct task_struct *opener;
	struct fs_fixture f;
	struct path path;
	struct kstat st;
	char buf[8];

	if (!fs_setup(t, &f))
		return;
	KTEST_EXPECT_EQ(t, do_mknodat(&f.ctx, "fifo", S_IFIFO | 0666, 0), 0);
	KTEST_EXPECT_EQ(t, vfs_statx(&f.ctx, "fifo", 0, &st), 0);
	KTEST_EXPECT_EQ(t, st.mode, S_IFIFO | 0644);
	/* No reader: a non-blocking writer is refused, a non-blocking reader is not. */
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open(&f.ctx, "fifo", O_WRONLY | O_NONBLOCK, 0)), -ENXIO);
	r = filp_open(&f.ctx, "fifo", O_RDONLY | O_NONBLOCK, 0);
	KTEST_EXPECT(t, !IS_ERR(r));
	if (IS_ERR(r))
		goto out;
	/* No writer has come yet: no hang-up either. */
	KTEST_EXPECT_EQ(t, poll_now(r), 0);
	KTEST_EXPECT_EQ(t, kernel_read(r, buf, 1, NULL), 0);
	w = filp_open(&f.ctx, "fifo", O_WRONLY | O_NONBLOCK, 0);
	KTEST_EXPECT(t, !IS_ERR(w));
	if (!IS_ERR(w)) {
		KTEST_EXPECT_EQ(t, kernel_write(w, "fifo", 4, NULL), 4);
		fput(w);
	}
	KTEST_EXPECT_EQ(t, poll_now(r), POLLIN | POLLRDNORM | POLLHUP);
	KTEST_EXPECT_EQ(t, kernel_read(r, buf, sizeof(buf), NULL), 4);
	KTEST_EXPECT(t, !memcmp(buf, "fifo", 4));
	fput(r);
	/* The last close frees the pipe: the next open makes a new one. */
	KTEST_EXPECT_EQ(t, kern_path(&f.ctx, "fifo", 0, &path), 0);
	KTEST_EXPECT(t, !path.dentry->d_inode->i_pipe);
	path_put(&path);

	/* A blocking reader waits for a writer. */
	o.ctx = &f.ctx;
	opener = kthread_run(fifo_open_thread, &o, "fifo_open");
	KTEST_EXPECT(t, wait_until(sleeping(opener)));
	KTEST_EXPECT(t, !READ_ONCE(o.done));
	w = filp_open(&f.ctx, "fifo", O_WRONLY, 0);
	KTEST_EXPECT(t, !IS_ERR(w));
	KTEST_EXPECT(t, wait_until(READ_ONCE(o.done)));
	KTEST_EXPECT(t, !IS_ERR(o.file));
	kthread_stop(opener);
	if (!IS_ERR(w)) {
		KTEST_EXPECT_EQ(t, kernel_write(w, "ab", 2, NULL), 2);
		fput(w);
	}
	if (!IS_ERR(o.file)) {
		KTEST_EXPECT_EQ(t, kernel_read(o.file, buf, sizeof(buf), NULL), 2);
		KTEST_EXPECT_EQ(t, kernel_read(o.file, buf, sizeof(buf), NULL), 0);
		fput(o.file);
	}

	/* O_RDWR never waits: it is its own reader and writer. */
	rw = filp_open(&f.ctx, "fifo", O_RDWR, 0);
	KTEST_EXPECT(t, !IS_ERR(rw));
	if (!IS_ERR(rw)) {
		KTEST_EXPECT_EQ(t, kernel_write(rw, "self", 4, NULL), 4);
		KTEST_EXPECT_EQ(t, kernel_read(rw, buf, sizeof(buf), NULL), 4);
		fput(rw);
	}
out:
	fs_teardown(t, &f);
}
