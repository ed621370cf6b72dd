/* SPDX-License-Identifier: MIT */
/*
 * Pipes and FIFOs (fs/pipe.c): a ring of page buffers between readers and writers.
 * An anonymous pipe's inode lives in pipefs; a FIFO's in its file system, which
 * points at the pipe while the FIFO is open (inode->i_pipe).
 */
#ifndef KAIROS_PIPE_FS_I_H
#define KAIROS_PIPE_FS_I_H

#include <kairos/fs.h>
#include <kairos/mutex.h>
#include <kairos/wait.h>

#define PIPE_DEF_BUFFERS	16		/* 64 KiB, as Linux */
#define PIPE_BUF_FLAG_PACKET	0x1		/* O_DIRECT: one write, one read */
#define PIPE_BUF_FLAG_CAN_MERGE	0x2		/* small writes may add to it */

struct pipe_buffer {
	void *page;
	unsigned int offset, len;
	unsigned int flags;
};

/*
 * head and tail run freely; the slot of index i is bufs[i & (ring_size - 1)]. The pipe
 * is empty at head == tail and full at max_usage buffers. mutex covers everything but
 * the wait queues; readers and writers count the open ends, r_counter and w_counter
 * every open of one (a FIFO's open waits for the other side to change them).
 */
struct pipe_inode_info {
	struct mutex mutex;
	wait_queue_head_t rd_wait, wr_wait;
	unsigned int head, tail;
	unsigned int max_usage, ring_size;
	unsigned int readers, writers;
	unsigned int files;		/* struct files open on it; under the inode's i_mutex */
	unsigned int r_counter, w_counter;
	void *tmp_page;			/* a page kept from the last emptied buffer */
	struct pipe_buffer *bufs;
};

/* The pipe behind a pipe or FIFO file, or NULL. */
struct pipe_inode_info *get_pipe_info(struct file *file);
/* F_SETPIPE_SZ and F_GETPIPE_SZ; EBADF for other files. */
long pipe_fcntl(struct file *file, unsigned int cmd, unsigned int arg);
/* The read and write ends of a new pipe (O_NONBLOCK, O_DIRECT), for pipe2 and tests. */
int create_pipe_files(struct file **res, int flags);

extern const struct file_operations pipefifo_fops;

#endif
