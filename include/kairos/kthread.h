/* SPDX-License-Identifier: MIT */
/*
 * Kernel threads, as the seed's "Process and Thread" draws them: every one is forked by
 * kthreadd (PID 2) on request and starts in kthread(), which waits to be woken, parked or
 * stopped before it runs its function. Creation returns ERR_PTR(-errno) on failure.
 *
 * kthread workers: a thread running kthread_worker_fn, which executes queued works in order.
 */
#ifndef KAIROS_KTHREAD_H
#define KAIROS_KTHREAD_H

#include <kairos/compiler.h>
#include <kairos/err.h>
#include <kairos/list.h>
#include <kairos/sched.h>
#include <kairos/spinlock.h>
#include <kairos/types.h>

/* There is one memory node; the argument keeps Linux's signatures. */
#define NUMA_NO_NODE	(-1)

extern struct task_struct *kthreadd_task;
int kthreadd(void *unused);

/* A new thread sleeps until woken (wake_up_process), parked or stopped. */
struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
					   const char namefmt[], ...) __printf(4, 5);
#define kthread_create(threadfn, data, namefmt, ...) \
	kthread_create_on_node(threadfn, data, NUMA_NO_NODE, namefmt, ##__VA_ARGS__)
/* Bound to cpu, also across park/unpark; namefmt gets the CPU number ("migration/%u"). */
struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data), void *data,
					  unsigned int cpu, const char *namefmt);

#define kthread_run(threadfn, data, namefmt, ...) ({				\
	struct task_struct *__k =						\
		kthread_create(threadfn, data, namefmt, ##__VA_ARGS__);	\
	if (!IS_ERR(__k))							\
		wake_up_process(__k);						\
	__k;									\
})

/* Only for a thread that has not been woken yet (kthread_bind_mask: sched.h). */
void kthread_bind(struct task_struct *p, unsigned int cpu);

/* Tell k to stop and wait until it has: returns its function's result (or -EINTR if it
 * was stopped before it ever ran). */
int kthread_stop(struct task_struct *k);
bool kthread_should_stop(void);
bool kthread_should_park(void);
/* Returns once k sleeps in TASK_PARKED, off its CPU; 0, or -errno if k cannot park. */
int kthread_park(struct task_struct *k);
void kthread_unpark(struct task_struct *k);
void kthread_parkme(void);
void *kthread_data(struct task_struct *k);
void __noreturn kthread_exit(long result);
/* Called when the task_struct is freed (__put_task_struct). */
void free_kthread_struct(struct task_struct *p);

struct kthread_work;
typedef void (*kthread_work_func_t)(struct kthread_work *work);

struct kthread_worker {
	unsigned int flags;
	spinlock_t lock;
	struct list_head work_list;
	struct task_struct *task;
	struct kthread_work *current_work;	/* running now, NULL while idle */
};

struct kthread_work {
	struct list_head node;			/* empty unless queued */
	kthread_work_func_t func;
	struct kthread_worker *worker;		/* the last worker it was queued on */
};

#define KTHREAD_WORK_INIT(work, fn) {						\
	.node = LIST_HEAD_INIT((work).node),					\
	.func = (fn),								\
}
#define DEFINE_KTHREAD_WORK(work, fn)						\
	struct kthread_work work = KTHREAD_WORK_INIT(work, fn)

void kthread_init_worker(struct kthread_worker *worker);

static inline void kthread_init_work(struct kthread_work *work, kthread_work_func_t fn)
{
	INIT_LIST_HEAD(&work->node);
	work->func = fn;
	work->worker = NULL;
}

int kthread_worker_fn(void *worker_ptr);
struct kthread_worker *kthread_create_worker(unsigned int flags, const char namefmt[], ...)
	__printf(2, 3);
struct kthread_worker *kthread_create_worker_on_cpu(int cpu, unsigned int flags,
						    const char namefmt[], ...) __printf(3, 4);
/* False if work is already queued (it will run once, not twice). */
bool kthread_queue_work(struct kthread_worker *worker, struct kthread_work *work);
/* Wait until work, if queued or running now, has finished. */
void kthread_flush_work(struct kthread_work *work);
/* Wait until everything queued so far has run. */
void kthread_flush_worker(struct kthread_worker *worker);
/* Flush, stop the thread and free a worker from kthread_create_worker*. */
void kthread_destroy_worker(struct kthread_worker *worker);

#endif
