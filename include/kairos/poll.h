/* SPDX-License-Identifier: MIT */
/*
 * Readiness for poll, ppoll and pselect6 (fs/select.c). A file's ->poll returns the
 * events ready now and, through poll_wait, names the wait queues whose wake-ups may
 * change that; the poller sleeps on all of them.
 */
#ifndef KAIROS_POLL_H
#define KAIROS_POLL_H

#include <kairos/wait.h>
#include <uapi/poll.h>

typedef unsigned int __poll_t;

struct file;
struct poll_table_struct;
typedef void (*poll_queue_proc)(struct file *file, wait_queue_head_t *wq,
				struct poll_table_struct *pt);

typedef struct poll_table_struct {
	poll_queue_proc qproc;		/* NULL: just asking, do not queue */
} poll_table;

static inline void poll_wait(struct file *file, wait_queue_head_t *wq, poll_table *pt)
{
	if (pt && pt->qproc && wq)
		pt->qproc(file, wq, pt);
}

#define DEFAULT_POLLMASK	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

#endif
