// SPDX-License-Identifier: MIT
/*
 * ppoll and pselect6. Each pass asks every file's ->poll for its events; the first pass
 * also puts an entry on each wait queue the files name (poll_wait), whose wake-up sets
 * "triggered" and wakes the poller. Nothing ready: sleep until a wake-up, the timeout
 * (an hrtimer at the deadline, which triggers too) or a signal, then ask again. A
 * signal with nothing ready is -ERESTARTNOHAND; the remaining time is written back to
 * the caller's timespec, as Linux does.
 */
#include <kairos/errno.h>
#include <kairos/hrtimer.h>
#include <kairos/mm.h>
#include <kairos/slab.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/time.h>
#include <kairos/uaccess.h>
#include "internal.h"

/* The events select() sees as readable, writable and exceptional. */
#define POLLIN_SET	(POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET	(POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET	(POLLPRI)

struct poll_table_entry {
	struct file *filp;
	wait_queue_entry_t wait;
	wait_queue_head_t *wait_address;
};

/* A page of entries; pages are chained, newest first. */
struct poll_table_page {
	struct poll_table_page *next;
	unsigned int used;
	struct poll_table_entry entries[];
};

#define ENTRIES_PER_PAGE \
	((PAGE_SIZE - sizeof(struct poll_table_page)) / sizeof(struct poll_table_entry))

struct poll_wqueues {
	poll_table pt;
	struct poll_table_page *table;
	struct task_struct *polling_task;
	int triggered;			/* a wake-up or the timer since the last sleep */
	int error;			/* no memory for an entry */
	struct hrtimer timer;
	bool timer_armed;
};

static int pollwake(wait_queue_entry_t *wait, unsigned int mode, int sync, void *key)
{
	struct poll_wqueues *pwq = wait->private;
	DECLARE_WAITQUEUE(dummy, pwq->polling_task);

	/* Seen by the poller after it set its state, or its wake-up is this one. */
	WRITE_ONCE(pwq->triggered, 1);
	return default_wake_function(&dummy, mode, sync, key);
}

static void __pollwait(struct file *filp, wait_queue_head_t *wait_address, poll_table *p)
{
	struct poll_wqueues *pwq = container_of(p, struct poll_wqueues, pt);
	struct poll_table_page *table = pwq->table;
	struct poll_table_entry *entry;

	if (!table || table->used == ENTRIES_PER_PAGE) {
		table = (struct poll_table_page *)__get_free_page(GFP_KERNEL);
		if (!table) {
			pwq->error = -ENOMEM;
			return;
		}
		table->used = 0;
		table->next = pwq->table;
		pwq->table = table;
	}
	entry = &table->entries[table->used++];
	entry->filp = get_file(filp);
	entry->wait_address = wait_address;
	init_waitqueue_func_entry(&entry->wait, pollwake);
	entry->wait.private = pwq;
	add_wait_queue(wait_address, &entry->wait);
}

static enum hrtimer_restart poll_timeout(struct hrtimer *timer)
{
	struct poll_wqueues *pwq = container_of(timer, struct poll_wqueues, timer);

	WRITE_ONCE(pwq->triggered, 1);
	wake_up_process(pwq->polling_task);
	return HRTIMER_NORESTART;
}

static void poll_initwait(struct poll_wqueues *pwq)
{
	pwq->pt.qproc = __pollwait;
	pwq->table = NULL;
	pwq->polling_task = current;
	pwq->triggered = 0;
	pwq->error = 0;
	hrtimer_init(&pwq->timer, poll_timeout);
	pwq->timer_armed = false;
}

static void poll_freewait(struct poll_wqueues *pwq)
{
	struct poll_table_page *table = pwq->table;

	if (pwq->timer_armed)
		hrtimer_cancel(&pwq->timer);
	while (table) {
		struct poll_table_page *next = table->next;

		for (unsigned int i = 0; i < table->used; i++) {
			struct poll_table_entry *entry = &table->entries[i];

			remove_wait_queue(entry->wait_address, &entry->wait);
			fput(entry->filp);
		}
		free_page((unsigned long)table);
		table = next;
	}
}

/*
 * Sleeps until a wake-up or the deadline (0: none). Returns whether the deadline has
 * passed.
 */
static bool poll_schedule_timeout(struct poll_wqueues *pwq, u64 deadline)
{
	if (deadline && !pwq->timer_armed) {
		hrtimer_start(&pwq->timer, deadline);
		pwq->timer_armed = true;
	}
	set_current_state(TASK_INTERRUPTIBLE);
	if (!READ_ONCE(pwq->triggered))
		schedule();
	__set_current_state(TASK_RUNNING);
	WRITE_ONCE(pwq->triggered, 0);
	return deadline && ktime_get_ns() >= deadline;
}

static __poll_t vfs_poll(struct file *file, poll_table *pt)
{
	if (!file->f_op->poll)
		return DEFAULT_POLLMASK;
	return file->f_op->poll(file, pt);
}

/*
 * A timeout as a deadline on the monotonic clock: 0 for none, or for a zero timeout
 * (which *zero says, and which never sleeps). EINVAL for a malformed one.
 */
static int poll_select_set_timeout(const struct timespec64 *ts, u64 *deadline, bool *zero)
{
	u64 ns;

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	*zero = !ts->tv_sec && !ts->tv_nsec;
	*deadline = 0;
	if (*zero)
		return 0;
	if (__builtin_mul_overflow((u64)ts->tv_sec, NSEC_PER_SEC, &ns) ||
	    __builtin_add_overflow(ns, (u64)ts->tv_nsec, &ns) ||
	    __builtin_add_overflow(ns, ktime_get_ns(), deadline))
		*deadline = UINT64_MAX;	/* never, as far as anyone will wait */
	return 0;
}

/*
 * The mask back as it was unless a signal interrupted (its handler then runs under the
 * temporary one), and the time left written back unless the timeout was zero or
 * absent. If that write fails the call cannot be restarted: -EINTR instead.
 */
static int poll_select_finish(u64 deadline, bool zero, struct timespec64 __user *tsp, int ret)
{
	struct timespec64 rts = { 0, 0 };
	u64 now;

	restore_saved_sigmask_unless(ret == -ERESTARTNOHAND);
	if (!tsp || zero)
		return ret;
	now = ktime_get_ns();
	if (deadline > now) {
		rts.tv_sec = (deadline - now) / NSEC_PER_SEC;
		rts.tv_nsec = (deadline - now) % NSEC_PER_SEC;
	}
	if (!copy_to_user(tsp, &rts, sizeof(rts)))
		return ret;
	return ret == -ERESTARTNOHAND ? -EINTR : ret;
}

static int get_timeout(struct timespec64 __user *tsp, u64 *deadline, bool *zero)
{
	struct timespec64 ts;

	*deadline = 0;
	*zero = false;
	if (!tsp)
		return 0;
	if (copy_from_user(&ts, tsp, sizeof(ts)))
		return -EFAULT;
	return poll_select_set_timeout(&ts, deadline, zero);
}

/* pollfds in page-sized chunks, as many as nfds needs. */
struct poll_list {
	struct poll_list *next;
	unsigned int len;
	struct pollfd entries[];
};

#define POLLFD_PER_PAGE	((PAGE_SIZE - sizeof(struct poll_list)) / sizeof(struct pollfd))

/* Negative fds are skipped (revents 0); an fd that is not open is POLLNVAL. */
static __poll_t do_pollfd(struct pollfd *pollfd, poll_table *pt)
{
	__poll_t mask = 0;
	struct file *file;

	if (pollfd->fd >= 0) {
		mask = POLLNVAL;
		file = fdget(pollfd->fd);
		if (file) {
			__poll_t filter = (u16)pollfd->events | POLLERR | POLLHUP;

			mask = vfs_poll(file, pt) & filter;
			fput(file);
		}
	}
	pollfd->revents = mask;
	return mask;
}

static int do_poll(struct poll_list *list, struct poll_wqueues *wait, u64 deadline,
		   bool zero)
{
	poll_table *pt = &wait->pt;
	bool timed_out = zero;
	int count = 0;

	if (zero)
		pt->qproc = NULL;
	for (;;) {
		for (struct poll_list *walk = list; walk; walk = walk->next) {
			for (unsigned int i = 0; i < walk->len; i++) {
				if (do_pollfd(&walk->entries[i], pt)) {
					count++;
					pt->qproc = NULL;
				}
			}
			cond_resched();
		}
		/* Every wait queue is known now: later passes only ask. */
		pt->qproc = NULL;
		if (!count) {
			count = wait->error;
			if (signal_pending(current))
				count = -ERESTARTNOHAND;
		}
		if (count || timed_out)
			break;
		timed_out = poll_schedule_timeout(wait, deadline);
	}
	return count;
}

static int do_sys_poll(struct pollfd __user *ufds, unsigned int nfds, u64 deadline, bool zero)
{
	struct poll_list *head = NULL, **tail = &head, *walk;
	struct pollfd __user *u = ufds;
	unsigned int left = nfds;
	struct poll_wqueues table;
	int err = -ENOMEM, fdcount;

	if (nfds > nofile_limit())
		return -EINVAL;
	while (left) {
		unsigned int len = min(left, (unsigned int)POLLFD_PER_PAGE);

		walk = (struct poll_list *)__get_free_page(GFP_KERNEL);
		if (!walk)
			goto out;
		walk->next = NULL;
		walk->len = len;
		*tail = walk;
		tail = &walk->next;
		err = -EFAULT;
		if (copy_from_user(walk->entries, u, len * sizeof(struct pollfd)))
			goto out;
		u += len;
		left -= len;
	}
	poll_initwait(&table);
	fdcount = do_poll(head, &table, deadline, zero);
	poll_freewait(&table);
	/* revents go back whatever the outcome. */
	err = -EFAULT;
	u = ufds;
	for (walk = head; walk; walk = walk->next)
		for (unsigned int i = 0; i < walk->len; i++, u++)
			if (put_user(walk->entries[i].revents, &u->revents))
				goto out;
	err = fdcount;
out:
	while (head) {
		walk = head->next;
		free_page((unsigned long)head);
		head = walk;
	}
	return err;
}

SYSCALL_DEFINE5(ppoll, struct pollfd __user *, ufds, unsigned int, nfds,
		struct timespec64 __user *, tsp, const sigset_t __user *, sigmask,
		size_t, sigsetsize)
{
	u64 deadline;
	bool zero;
	int ret = get_timeout(tsp, &deadline, &zero);

	if (ret)
		return ret;
	ret = set_user_sigmask(sigmask, sigsetsize);
	if (ret)
		return ret;
	ret = do_sys_poll(ufds, nfds, deadline, zero);
	return poll_select_finish(deadline, zero, tsp, ret);
}

/* The six bitmaps of select: the three asked, the three answered. */
struct fd_set_bits {
	unsigned long *in, *out, *ex;
	unsigned long *res_in, *res_out, *res_ex;
};

/*
 * Every fd in a set must be open (EBADF otherwise); the highest one, plus one, is
 * where the passes stop.
 */
static int max_select_fd(unsigned int n, const struct fd_set_bits *fds)
{
	struct files_struct *files = current->files;
	int max = 0;

	spin_lock(&files->file_lock);
	for (unsigned int fd = 0; fd < n; fd++) {
		if (!test_bit(fd, fds->in) && !test_bit(fd, fds->out) && !test_bit(fd, fds->ex))
			continue;
		if (!test_bit(fd, files->fdt.open_fds)) {
			max = -EBADF;
			break;
		}
		max = fd + 1;
	}
	spin_unlock(&files->file_lock);
	return max;
}

static int do_select(unsigned int n, struct fd_set_bits *fds, u64 deadline, bool zero)
{
	struct poll_wqueues table;
	poll_table *wait = &table.pt;
	bool timed_out = zero;
	int retval = max_select_fd(n, fds);

	if (retval < 0)
		return retval;
	n = retval;
	poll_initwait(&table);
	if (zero)
		wait->qproc = NULL;
	retval = 0;
	for (;;) {
		for (unsigned int fd = 0; fd < n; fd++) {
			bool in = test_bit(fd, fds->in), out = test_bit(fd, fds->out);
			bool ex = test_bit(fd, fds->ex);
			__poll_t mask = POLLNVAL;
			struct file *file;

			if (!in && !out && !ex)
				continue;
			file = fdget(fd);
			if (file) {
				mask = vfs_poll(file, wait);
				fput(file);
			}
			if ((mask & POLLIN_SET) && in) {
				__set_bit(fd, fds->res_in);
				retval++;
				wait->qproc = NULL;
			}
			if ((mask & POLLOUT_SET) && out) {
				__set_bit(fd, fds->res_out);
				retval++;
				wait->qproc = NULL;
			}
			if ((mask & POLLEX_SET) && ex) {
				__set_bit(fd, fds->res_ex);
				retval++;
				wait->qproc = NULL;
			}
		}
		wait->qproc = NULL;
		if (retval || timed_out || signal_pending(current))
			break;
		if (table.error) {
			retval = table.error;
			break;
		}
		timed_out = poll_schedule_timeout(&table, deadline);
	}
	poll_freewait(&table);
	return retval;
}

/*
 * n is cut to the size of the fd table (no fd can be open above it); the sets are
 * read and written in whole longs, as the ABI's fd_set is laid out. Interrupted with
 * nothing ready, the sets are left as they were.
 */
static int core_sys_select(int n, unsigned long __user *inp, unsigned long __user *outp,
			   unsigned long __user *exp, u64 deadline, bool zero)
{
	struct fd_set_bits fds;
	unsigned long __user *user[3] = { inp, outp, exp };
	unsigned long *bits;
	size_t size;
	int ret;

	if (n < 0)
		return -EINVAL;
	n = min((unsigned int)n, READ_ONCE(current->files->fdt.max_fds));
	size = BITS_TO_LONGS(n) * sizeof(long);
	bits = kzalloc(6 * size + 1, GFP_KERNEL);
	if (!bits)
		return -ENOMEM;
	fds.in = bits;
	fds.out = (void *)((char *)bits + size);
	fds.ex = (void *)((char *)bits + 2 * size);
	fds.res_in = (void *)((char *)bits + 3 * size);
	fds.res_out = (void *)((char *)bits + 4 * size);
	fds.res_ex = (void *)((char *)bits + 5 * size);
	ret = -EFAULT;
	for (int i = 0; i < 3; i++)
		if (user[i] && copy_from_user((char *)bits + i * size, user[i], size))
			goto out;
	ret = do_select(n, &fds, deadline, zero);
	if (ret < 0)
		goto out;
	if (!ret && signal_pending(current)) {
		ret = -ERESTARTNOHAND;
		goto out;
	}
	for (int i = 0; i < 3; i++)
		if (user[i] && copy_to_user(user[i], (char *)bits + (3 + i) * size, size))
			ret = -EFAULT;
out:
	kfree(bits);
	return ret;
}

/* pselect6's sixth argument: where the mask is and how big, in one struct. */
struct sigset_argpack {
	const sigset_t __user *p;
	size_t size;
};

SYSCALL_DEFINE6(pselect6, int, n, unsigned long __user *, inp, unsigned long __user *, outp,
		unsigned long __user *, exp, struct timespec64 __user *, tsp,
		struct sigset_argpack __user *, sig)
{
	struct sigset_argpack x = { NULL, 0 };
	u64 deadline;
	bool zero;
	int ret;

	if (sig && copy_from_user(&x, sig, sizeof(x)))
		return -EFAULT;
	ret = get_timeout(tsp, &deadline, &zero);
	if (ret)
		return ret;
	ret = set_user_sigmask(x.p, x.size);
	if (ret)
		return ret;
	ret = core_sys_select(n, inp, outp, exp, deadline, zero);
	return poll_select_finish(deadline, zero, tsp, ret);
}
