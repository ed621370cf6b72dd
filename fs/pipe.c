// SPDX-License-Identifier: MIT
/*
 * Pipes and FIFOs, as Linux has them: a ring of 16 page buffers (64 KiB). A write of
 * up to PIPE_BUF (a page) bytes is atomic: it goes whole into the last buffer if it
 * fits there, else whole into a fresh one, waiting for room if need be. Readers take
 * what there is, waiting only while the pipe is empty and has writers; with no
 * writers left they see end of file. Writing with no readers raises SIGPIPE and fails
 * with EPIPE. O_NONBLOCK makes every wait EAGAIN; a signal ends a wait with
 * -ERESTARTSYS, or with what was done so far. With O_DIRECT ("packet mode") every
 * write is a packet of its own and every read takes at most one.
 *
 * Wake-ups, as Linux's: readers sleep only on an empty pipe and writers only on a full
 * one, so a write wakes readers only if the pipe was empty before it, and a read wakes
 * writers only if it freed a slot of a full pipe. Readers and writers wait exclusively:
 * each wake-up rouses one, and one that leaves something for the next (data, room)
 * wakes the next. Pollers wait non-exclusively and are all woken. Wake-ups are sync
 * (WF_SYNC): the waker usually goes on to sleep waiting for the other side, so the
 * wakee may as well run where it is.
 *
 * A FIFO's open waits for the other side: a reader for a writer and a writer for a
 * reader, unless O_NONBLOCK (a writer then gets ENXIO) or O_RDWR.
 */
#include <kairos/bug.h>
#include <kairos/errno.h>
#include <kairos/mm.h>
#include <kairos/pipe_fs_i.h>
#include <kairos/signal.h>
#include <kairos/slab.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>
#include <uapi/ioctls.h>
#include <uapi/magic.h>
#include "internal.h"

/* The most an unprivileged F_SETPIPE_SZ may ask for (/proc/sys/fs/pipe-max-size). */
#define PIPE_MAX_SIZE	(1024 * 1024)

static struct vfsmount *pipe_mnt;

static bool pipe_empty(unsigned int head, unsigned int tail)
{
	return head == tail;
}

static unsigned int pipe_occupancy(unsigned int head, unsigned int tail)
{
	return head - tail;
}

static bool pipe_full(unsigned int head, unsigned int tail, unsigned int limit)
{
	return pipe_occupancy(head, tail) >= limit;
}

static struct pipe_buffer *pipe_buf(struct pipe_inode_info *pipe, unsigned int index)
{
	return &pipe->bufs[index & (pipe->ring_size - 1)];
}

static struct pipe_inode_info *alloc_pipe_info(void)
{
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);

	if (!pipe)
		return NULL;
	pipe->bufs = kcalloc(PIPE_DEF_BUFFERS, sizeof(*pipe->bufs), GFP_KERNEL);
	if (!pipe->bufs) {
		kfree(pipe);
		return NULL;
	}
	mutex_init(&pipe->mutex);
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	pipe->max_usage = pipe->ring_size = PIPE_DEF_BUFFERS;
	pipe->r_counter = pipe->w_counter = 1;
	return pipe;
}

static void free_pipe_info(struct pipe_inode_info *pipe)
{
	for (unsigned int i = pipe->tail; i != pipe->head; i++)
		free_page((unsigned long)pipe_buf(pipe, i)->page);
	if (pipe->tmp_page)
		free_page((unsigned long)pipe->tmp_page);
	kfree(pipe->bufs);
	kfree(pipe);
}

/* An emptied buffer's page is kept for the next write, if none is kept yet. */
static void release_buf(struct pipe_inode_info *pipe, struct pipe_buffer *buf)
{
	if (!pipe->tmp_page)
		pipe->tmp_page = buf->page;
	else
		free_page((unsigned long)buf->page);
	buf->page = NULL;
}

static bool pipe_readable(const struct pipe_inode_info *pipe)
{
	return !pipe_empty(READ_ONCE(pipe->head), READ_ONCE(pipe->tail)) ||
	       !READ_ONCE(pipe->writers);
}

static bool pipe_writable(const struct pipe_inode_info *pipe)
{
	return !pipe_full(READ_ONCE(pipe->head), READ_ONCE(pipe->tail),
			  READ_ONCE(pipe->max_usage)) || !READ_ONCE(pipe->readers);
}

static bool is_packetized(const struct file *file)
{
	return file->f_flags & O_DIRECT;
}

static ssize_t pipe_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct pipe_inode_info *pipe = file->private_data;
	size_t total_len = iov_iter_count(to);
	bool was_full = false, wake_next_reader = false;
	ssize_t ret = 0;

	if (!total_len)
		return 0;
	mutex_lock(&pipe->mutex);
	for (;;) {
		unsigned int head = pipe->head, tail = pipe->tail;

		if (!pipe_empty(head, tail)) {
			struct pipe_buffer *buf = pipe_buf(pipe, tail);
			size_t chars = min((size_t)buf->len, total_len);

			/* A short copy leaves the bytes in the pipe. */
			if (copy_to_iter((char *)buf->page + buf->offset, chars, to) < chars) {
				if (!ret)
					ret = -EFAULT;
				break;
			}
			ret += chars;
			buf->offset += chars;
			buf->len -= chars;
			if (buf->flags & PIPE_BUF_FLAG_PACKET) {
				total_len = chars;	/* the rest of the packet is dropped */
				buf->len = 0;
			}
			if (!buf->len) {
				was_full |= pipe_full(head, tail, pipe->max_usage);
				release_buf(pipe, buf);
				pipe->tail = ++tail;
			}
			total_len -= chars;
			if (!total_len)
				break;
			if (!pipe_empty(head, tail))
				continue;
		}
		if (!pipe->writers || ret)
			break;
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&pipe->mutex);
		if (was_full) {
			wake_up_interruptible_sync(&pipe->wr_wait);
			was_full = false;
		}
		if (wait_event_interruptible_exclusive(pipe->rd_wait, pipe_readable(pipe)))
			return -ERESTARTSYS;
		mutex_lock(&pipe->mutex);
		/* We were the one reader woken: what we leave is for the next. */
		wake_next_reader = true;
	}
	if (pipe_empty(pipe->head, pipe->tail))
		wake_next_reader = false;
	mutex_unlock(&pipe->mutex);
	if (was_full)
		wake_up_interruptible_sync(&pipe->wr_wait);
	if (wake_next_reader)
		wake_up_interruptible_sync(&pipe->rd_wait);
	return ret;
}

/* Nobody will ever read: SIGPIPE, even after part of a write went in, and EPIPE. */
static ssize_t broken_pipe(ssize_t done)
{
	send_sig_info(SIGPIPE, NULL, current);
	return done ? done : -EPIPE;
}

static ssize_t pipe_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct pipe_inode_info *pipe = file->private_data;
	size_t total_len = iov_iter_count(from), chars;
	bool was_empty = false, wake_next_writer = false;
	ssize_t ret = 0;

	if (!total_len)
		return 0;
	mutex_lock(&pipe->mutex);
	if (!pipe->readers) {
		ret = broken_pipe(0);
		goto out;
	}
	was_empty = pipe_empty(pipe->head, pipe->tail);
	/* What does not fill whole pages goes into the last buffer if it fits whole. */
	chars = total_len & ~PAGE_MASK;
	if (chars && !was_empty) {
		struct pipe_buffer *buf = pipe_buf(pipe, pipe->head - 1);
		size_t offset = buf->offset + buf->len;

		if ((buf->flags & PIPE_BUF_FLAG_CAN_MERGE) && offset + chars <= PAGE_SIZE) {
			if (copy_from_iter((char *)buf->page + offset, chars, from) < chars) {
				ret = -EFAULT;
				goto out;
			}
			ret = chars;
			buf->len += chars;
			if (!iov_iter_count(from))
				goto out;
		}
	}
	for (;;) {
		unsigned int head = pipe->head;

		if (!pipe->readers) {
			ret = broken_pipe(ret);
			break;
		}
		if (!pipe_full(head, pipe->tail, pipe->max_usage)) {
			struct pipe_buffer *buf = pipe_buf(pipe, head);
			void *page = pipe->tmp_page;
			size_t copied;

			if (!page)
				page = (void *)__get_free_page(GFP_KERNEL);
			if (!page) {
				if (!ret)
					ret = -ENOMEM;
				break;
			}
			pipe->tmp_page = NULL;
			copied = copy_from_iter(page, PAGE_SIZE, from);
			if (!copied) {
				pipe->tmp_page = page;
				if (!ret)
					ret = -EFAULT;
				break;
			}
			*buf = (struct pipe_buffer){
				.page = page, .len = copied,
				.flags = is_packetized(file) ? PIPE_BUF_FLAG_PACKET :
							       PIPE_BUF_FLAG_CAN_MERGE,
			};
			pipe->head = head + 1;
			ret += copied;
			if (!iov_iter_count(from) || copied < PAGE_SIZE)
				break;	/* done, or the rest faulted */
			continue;
		}
		/* Full: wait for room, after letting readers at what is there. */
		if (file->f_flags & O_NONBLOCK) {
			if (!ret)
				ret = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			if (!ret)
				ret = -ERESTARTSYS;
			break;
		}
		mutex_unlock(&pipe->mutex);
		if (was_empty)
			wake_up_interruptible_sync(&pipe->rd_wait);
		wait_event_interruptible_exclusive(pipe->wr_wait, pipe_writable(pipe));
		mutex_lock(&pipe->mutex);
		/* Readers asleep now found it empty after what we wrote so far. */
		was_empty = pipe_empty(pipe->head, pipe->tail);
		/* We were the one writer woken: room we leave is for the next. */
		wake_next_writer = true;
	}
out:
	if (pipe_full(pipe->head, pipe->tail, pipe->max_usage))
		wake_next_writer = false;
	mutex_unlock(&pipe->mutex);
	if (was_empty)
		wake_up_interruptible_sync(&pipe->rd_wait);
	if (wake_next_writer)
		wake_up_interruptible_sync(&pipe->wr_wait);
	return ret;
}

/*
 * Readable with data, or hung up once every writer has gone (a FIFO reader opened
 * before any writer came does not count that); writable with room, in error once
 * every reader has gone.
 */
static __poll_t pipe_poll(struct file *file, poll_table *wait)
{
	struct pipe_inode_info *pipe = file->private_data;
	unsigned int head, tail;
	__poll_t mask = 0;

	if (file->f_mode & FMODE_READ)
		poll_wait(file, &pipe->rd_wait, wait);
	if (file->f_mode & FMODE_WRITE)
		poll_wait(file, &pipe->wr_wait, wait);
	head = READ_ONCE(pipe->head);
	tail = READ_ONCE(pipe->tail);
	if (file->f_mode & FMODE_READ) {
		if (!pipe_empty(head, tail))
			mask |= POLLIN | POLLRDNORM;
		if (!READ_ONCE(pipe->writers) && file->f_pipe != READ_ONCE(pipe->w_counter))
			mask |= POLLHUP;
	}
	if (file->f_mode & FMODE_WRITE) {
		if (!pipe_full(head, tail, READ_ONCE(pipe->max_usage)))
			mask |= POLLOUT | POLLWRNORM;
		if (!READ_ONCE(pipe->readers))
			mask |= POLLERR;
	}
	return mask;
}

static long pipe_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = file->private_data;
	int count = 0;

	if (cmd != FIONREAD)
		return -ENOIOCTLCMD;
	mutex_lock(&pipe->mutex);
	for (unsigned int i = pipe->tail; i != pipe->head; i++)
		count += pipe_buf(pipe, i)->len;
	mutex_unlock(&pipe->mutex);
	return put_user(count, (int __user *)arg);
}

/* The last file on a pipe frees it; a FIFO's inode then has none until the next open. */
static void put_pipe_info(struct inode *inode, struct pipe_inode_info *pipe)
{
	bool last;

	inode_lock(inode);
	last = !--pipe->files;
	if (last)
		inode->i_pipe = NULL;
	inode_unlock(inode);
	if (last)
		free_pipe_info(pipe);
}

static int pipe_release(struct inode *inode, struct file *file)
{
	struct pipe_inode_info *pipe = file->private_data;

	mutex_lock(&pipe->mutex);
	if (file->f_mode & FMODE_READ)
		pipe->readers--;
	if (file->f_mode & FMODE_WRITE)
		pipe->writers--;
	/* The last of one side: the other side's sleepers must see it. */
	if (!pipe->readers != !pipe->writers) {
		wake_up_interruptible_all(&pipe->rd_wait);
		wake_up_interruptible_all(&pipe->wr_wait);
	}
	mutex_unlock(&pipe->mutex);
	put_pipe_info(inode, pipe);
	return 0;
}

/* Sleeps (pipe->mutex dropped) until *cnt moves: the other side opened. */
static int wait_for_partner(struct pipe_inode_info *pipe, unsigned int *cnt)
{
	unsigned int cur = *cnt;
	int err;

	mutex_unlock(&pipe->mutex);
	err = wait_event_interruptible(pipe->rd_wait, READ_ONCE(*cnt) != cur);
	mutex_lock(&pipe->mutex);
	return err;
}

static void wake_up_partner(struct pipe_inode_info *pipe)
{
	wake_up_interruptible_all(&pipe->rd_wait);
}

/* Opening a FIFO: the pipe is made at the first open and shared by the later ones. */
static int fifo_open(struct inode *inode, struct file *file)
{
	struct pipe_inode_info *pipe, *fresh = NULL;
	int ret = 0;

	if (!inode->i_pipe)
		fresh = alloc_pipe_info();
	inode_lock(inode);
	pipe = inode->i_pipe;
	if (!pipe && fresh) {
		inode->i_pipe = pipe = fresh;
		fresh = NULL;
	}
	if (pipe)
		pipe->files++;
	inode_unlock(inode);
	if (fresh)
		free_pipe_info(fresh);
	if (!pipe)
		return -ENOMEM;
	file->private_data = pipe;
	file->f_pipe = 0;

	mutex_lock(&pipe->mutex);
	switch (file->f_mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		pipe->r_counter++;
		if (pipe->readers++ == 0)
			wake_up_partner(pipe);
		if (!pipe->writers) {
			if (file->f_flags & O_NONBLOCK) {
				/* No hang-up until a writer has come and gone. */
				file->f_pipe = pipe->w_counter;
			} else if (wait_for_partner(pipe, &pipe->w_counter)) {
				if (!--pipe->readers)
					wake_up_interruptible(&pipe->wr_wait);
				ret = -ERESTARTSYS;
			}
		}
		break;
	case FMODE_WRITE:
		if ((file->f_flags & O_NONBLOCK) && !pipe->readers) {
			ret = -ENXIO;
			break;
		}
		pipe->w_counter++;
		if (!pipe->writers++)
			wake_up_partner(pipe);
		if (!pipe->readers && wait_for_partner(pipe, &pipe->r_counter)) {
			if (!--pipe->writers)
				wake_up_interruptible_all(&pipe->rd_wait);
			ret = -ERESTARTSYS;
		}
		break;
	case FMODE_READ | FMODE_WRITE:
		/* Never waits: it can talk to itself. */
		pipe->readers++;
		pipe->writers++;
		pipe->r_counter++;
		pipe->w_counter++;
		if (pipe->readers == 1 || pipe->writers == 1)
			wake_up_partner(pipe);
		break;
	default:
		ret = -EINVAL;
	}
	mutex_unlock(&pipe->mutex);
	if (ret)
		put_pipe_info(inode, pipe);
	return ret;
}

const struct file_operations pipefifo_fops = {
	.open = fifo_open,
	.read_iter = pipe_read,
	.write_iter = pipe_write,
	.poll = pipe_poll,
	.unlocked_ioctl = pipe_ioctl,
	.release = pipe_release,
};

struct pipe_inode_info *get_pipe_info(struct file *file)
{
	return file->f_op == &pipefifo_fops ? file->private_data : NULL;
}

/* Buffers move to the front of a new ring; there must be room for all of them. */
static long pipe_set_size(struct pipe_inode_info *pipe, unsigned int arg)
{
	unsigned int size, nr_slots, n = pipe_occupancy(pipe->head, pipe->tail);
	struct pipe_buffer *bufs;

	if (arg > (1U << 31))
		return -EINVAL;
	size = arg < PAGE_SIZE ? PAGE_SIZE : 1U << (32 - __builtin_clz(arg - 1));
	nr_slots = size >> PAGE_SHIFT;
	if (nr_slots > pipe->max_usage && size > PIPE_MAX_SIZE && !capable(CAP_SYS_RESOURCE))
		return -EPERM;
	if (nr_slots < n)
		return -EBUSY;
	bufs = kcalloc(nr_slots, sizeof(*bufs), GFP_KERNEL);
	if (!bufs)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++)
		bufs[i] = *pipe_buf(pipe, pipe->tail + i);
	kfree(pipe->bufs);
	pipe->bufs = bufs;
	pipe->tail = 0;
	pipe->head = n;
	pipe->ring_size = pipe->max_usage = nr_slots;
	wake_up_interruptible_all(&pipe->wr_wait);
	return size;
}

/* Sizes round up to a power of two pages. */
long pipe_fcntl(struct file *file, unsigned int cmd, unsigned int arg)
{
	struct pipe_inode_info *pipe = get_pipe_info(file);
	long ret;

	if (!pipe)
		return -EBADF;
	mutex_lock(&pipe->mutex);
	if (cmd == F_SETPIPE_SZ)
		ret = pipe_set_size(pipe, arg);
	else
		ret = pipe->max_usage * PAGE_SIZE;
	mutex_unlock(&pipe->mutex);
	return ret;
}

/* A pipefs inode, owned by the caller, with a pipe open at both ends. */
static struct inode *get_pipe_inode(void)
{
	struct inode *inode = new_inode(pipe_mnt->mnt_sb);
	struct pipe_inode_info *pipe;

	if (!inode)
		return NULL;
	pipe = alloc_pipe_info();
	if (!pipe) {
		iput(inode);
		return NULL;
	}
	inode->i_pipe = pipe;
	pipe->files = 2;
	pipe->readers = pipe->writers = 1;
	inode->i_fop = &pipefifo_fops;
	inode->i_mode = S_IFIFO | S_IRUSR | S_IWUSR;
	inode->i_uid = current_cred()->fsuid;
	inode->i_gid = current_cred()->fsgid;
	return inode;
}

int create_pipe_files(struct file **res, int flags)
{
	struct inode *inode = get_pipe_inode();
	int mode = flags & (O_NONBLOCK | O_DIRECT);
	struct pipe_inode_info *pipe;
	struct dentry *dentry;
	struct path path;

	if (!inode)
		return -ENOMEM;
	pipe = inode->i_pipe;
	dentry = d_make_pseudo(inode, "pipe:");
	if (!dentry) {
		free_pipe_info(pipe);
		return -ENOMEM;
	}
	path = (struct path){ pipe_mnt, dentry };
	res[0] = alloc_file(&path, O_RDONLY | mode, &pipefifo_fops);
	if (IS_ERR(res[0])) {
		inode->i_pipe = NULL;
		free_pipe_info(pipe);
		dput(dentry);
		return PTR_ERR(res[0]);
	}
	res[0]->private_data = pipe;
	res[1] = alloc_file(&path, O_WRONLY | mode, &pipefifo_fops);
	if (IS_ERR(res[1])) {
		put_pipe_info(inode, pipe);	/* the write end's share; fput frees the pipe */
		fput(res[0]);
		dput(dentry);
		return PTR_ERR(res[1]);
	}
	res[1]->private_data = pipe;
	dput(dentry);		/* the files hold the path */
	return 0;
}

SYSCALL_DEFINE2(pipe2, int __user *, fildes, int, flags)
{
	struct files_struct *files = current->files;
	struct file *res[2];
	int fd[2], err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	err = create_pipe_files(res, flags);
	if (err)
		return err;
	fd[0] = alloc_fd(files, 0, nofile_limit(), flags);
	if (fd[0] < 0) {
		err = fd[0];
		goto put_files;
	}
	fd[1] = alloc_fd(files, 0, nofile_limit(), flags);
	if (fd[1] < 0) {
		err = fd[1];
		goto put_fd0;
	}
	if (copy_to_user(fildes, fd, sizeof(fd))) {
		err = -EFAULT;
		put_unused_fd(files, fd[1]);
		goto put_fd0;
	}
	fd_install(files, fd[0], res[0]);
	fd_install(files, fd[1], res[1]);
	return 0;
put_fd0:
	put_unused_fd(files, fd[0]);
put_files:
	fput(res[0]);
	fput(res[1]);
	return err;
}

static struct dentry *pipefs_mount(struct file_system_type *type, const char *dev_name,
				   const char *data)
{
	return mount_pseudo(type, PIPEFS_MAGIC, NULL);
}

/* Mounted once, internally: nobody can mount it (it is not registered). */
static struct file_system_type pipe_fs_type = {
	.name = "pipefs",
	.mount = pipefs_mount,
	.kill_sb = kill_litter_super,
};

void init_pipe_fs(void)
{
	pipe_mnt = vfs_kern_mount(&pipe_fs_type, "pipe:", NULL);
	if (IS_ERR(pipe_mnt))
		panic("Can't mount pipefs: %ld", PTR_ERR(pipe_mnt));
}
