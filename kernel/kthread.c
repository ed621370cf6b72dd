// SPDX-License-Identifier: MIT
/*
 * Kernel threads along the seed's graphs ("Process and Thread"):
 *
 *   __kthread_create_on_node: queue a request on kthread_create_list, wake kthreadd, wait,
 *       then name the thread, reset its policy and CPU mask
 *   kthreadd: endless loop over kthread_create_list -> create_kthread -> kernel_thread(kthread)
 *   kthread: allocate struct kthread, complete 'done', sleep; unless told to stop,
 *       __kthread_parkme then threadfn; then exit
 *   __kthread_create_worker / kthread_worker_fn: a thread that runs queued works
 *
 * Stop and park are flags in struct kthread that the thread polls; the thread answers
 * a park with the 'parked' completion and its exit with 'exited'.
 */
#include <kairos/bug.h>
#include <kairos/completion.h>
#include <kairos/cpumask.h>
#include <kairos/kthread.h>
#include <kairos/preempt.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/slab.h>
#include <kairos/smp.h>
#include <kairos/sprintf.h>
#include <uapi/errno.h>
#include <uapi/sched.h>

struct task_struct *kthreadd_task;

/* struct kthread flags (bit numbers) */
enum {
	KTHREAD_IS_PER_CPU,
	KTHREAD_SHOULD_STOP,
	KTHREAD_SHOULD_PARK,
};

struct kthread {
	unsigned long flags;
	unsigned int cpu;		/* for IS_PER_CPU: where unpark puts it back */
	long result;			/* what kthread_exit was given */
	int (*threadfn)(void *data);
	void *data;
	struct completion parked;
	struct completion exited;
};

/* A request to kthreadd; 'done' is the creator's (on its stack). */
struct kthread_create_info {
	int (*threadfn)(void *data);
	void *data;
	struct task_struct *result;	/* the new task or ERR_PTR */
	struct completion *done;	/* NULL once the creator gave up (killed) */
	struct list_head list;
};

static DEFINE_SPINLOCK(kthread_create_lock);
static LIST_HEAD(kthread_create_list);

static struct kthread *to_kthread(struct task_struct *k)
{
	WARN_ON(!(k->flags & PF_KTHREAD));
	return k->worker_private;
}

void free_kthread_struct(struct task_struct *p)
{
	/* NULL for tasks not started by kthread() (kernel_init, kthreadd, idle). */
	kfree(p->worker_private);
	p->worker_private = NULL;
}

bool kthread_should_stop(void)
{
	return test_bit(KTHREAD_SHOULD_STOP, &to_kthread(current)->flags);
}

bool kthread_should_park(void)
{
	return test_bit(KTHREAD_SHOULD_PARK, &to_kthread(current)->flags);
}

void *kthread_data(struct task_struct *k)
{
	return to_kthread(k)->data;
}

/*
 * Set current's state so that no wake-up for another state that is already in flight can
 * overwrite it: try_to_wake_up tests the state under pi_lock.
 */
static void set_special_state(unsigned int state)
{
	unsigned long flags;

	spin_lock_irqsave(&current->pi_lock, flags);
	WRITE_ONCE(current->__state, state);
	spin_unlock_irqrestore(&current->pi_lock, flags);
}

static void __kthread_parkme(struct kthread *self)
{
	for (;;) {
		/* Only kthread_unpark's wake_up_state(TASK_PARKED) ends this sleep. */
		set_special_state(TASK_PARKED);
		if (!test_bit(KTHREAD_SHOULD_PARK, &self->flags))
			break;
		/*
		 * No preemption between announcing 'parked' and sleeping: kthread_park waits
		 * for us to be off the CPU, and a preempted (still queued) task never would be.
		 */
		preempt_disable();
		complete(&self->parked);
		preempt_enable_no_resched();
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

void kthread_parkme(void)
{
	__kthread_parkme(to_kthread(current));
}

void __noreturn kthread_exit(long result)
{
	struct kthread *self = to_kthread(current);

	self->result = result;
	complete(&self->exited);
	do_exit(result);
}

/* The first function of every kthread: announce ourselves, then wait for a wake-up. */
static int kthread(void *_create)
{
	struct kthread_create_info *create = _create;
	int (*threadfn)(void *data) = create->threadfn;
	void *data = create->data;
	struct completion *done;
	struct kthread *self;
	long ret;

	self = kzalloc(sizeof(*self), GFP_KERNEL);
	current->worker_private = self;

	/* The creator was killed while waiting: the request is ours to free. */
	done = xchg(&create->done, NULL);
	if (!done) {
		kfree(create);
		do_exit(-EINTR);
	}
	if (!self) {
		create->result = ERR_PTR(-ENOMEM);
		complete(done);
		do_exit(-ENOMEM);
	}
	self->threadfn = threadfn;
	self->data = data;
	init_completion(&self->exited);
	init_completion(&self->parked);

	__set_current_state(TASK_UNINTERRUPTIBLE);
	create->result = current;
	/* As in __kthread_parkme: the creator may bind us once we are off the CPU. */
	preempt_disable();
	complete(done);
	preempt_enable_no_resched();
	schedule();

	ret = -EINTR;
	if (!test_bit(KTHREAD_SHOULD_STOP, &self->flags)) {
		__kthread_parkme(self);
		ret = threadfn(data);
	}
	kthread_exit(ret);
}

static void create_kthread(struct kthread_create_info *create)
{
	struct completion *done;
	int pid;

	pid = kernel_thread(kthread, create, CLONE_FS | CLONE_FILES | SIGCHLD);
	if (pid < 0) {
		done = xchg(&create->done, NULL);
		if (!done) {
			kfree(create);
			return;
		}
		create->result = ERR_PTR(pid);
		complete(done);
	}
}

/* PID 2: forks every kernel thread, so that they all start from a clean context. */
int kthreadd(void *unused)
{
	struct task_struct *tsk = current;

	set_task_comm(tsk, "kthreadd");
	/* SIGCHLD ignored: our children, every kernel thread, reap themselves. */
	ignore_signals(tsk);
	/* We inherited swapper/0's binding to CPU 0; our children must not. */
	set_cpus_allowed_ptr(tsk, &cpu_possible_mask);

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (list_empty(&kthread_create_list))
			schedule();
		__set_current_state(TASK_RUNNING);

		spin_lock(&kthread_create_lock);
		while (!list_empty(&kthread_create_list)) {
			struct kthread_create_info *create;

			create = list_first_entry(&kthread_create_list,
						  struct kthread_create_info, list);
			list_del_init(&create->list);
			spin_unlock(&kthread_create_lock);

			create_kthread(create);

			spin_lock(&kthread_create_lock);
		}
		spin_unlock(&kthread_create_lock);
	}
}

static struct task_struct *__kthread_create_on_node(int (*threadfn)(void *data), void *data,
						    int node, const char namefmt[], va_list args)
{
	struct kthread_create_info *create;
	struct task_struct *task;
	struct completion done;

	init_completion(&done);
	create = kmalloc(sizeof(*create), GFP_KERNEL);
	if (!create)
		return ERR_PTR(-ENOMEM);
	create->threadfn = threadfn;
	create->data = data;
	create->done = &done;

	spin_lock(&kthread_create_lock);
	list_add_tail(&create->list, &kthread_create_list);
	spin_unlock(&kthread_create_lock);

	wake_up_process(kthreadd_task);
	if (unlikely(wait_for_completion_killable(&done))) {
		/* Killed before kthreadd or the new thread answered: leave them the request. */
		if (xchg(&create->done, NULL))
			return ERR_PTR(-EINTR);
		/* Too late: the answer is on its way, and 'done' lives on our stack. */
		wait_for_completion(&done);
	}
	task = create->result;
	if (!IS_ERR(task)) {
		static const struct sched_param param = { .sched_priority = 0 };
		char name[TASK_COMM_LEN];

		vsnprintf(name, sizeof(name), namefmt, args);
		set_task_comm(task, name);
		/* Whatever kthreadd's policy and mask were, a new kthread starts plain. */
		sched_setscheduler_nocheck(task, SCHED_NORMAL, &param);
		set_cpus_allowed_ptr(task, &cpu_possible_mask);
	}
	kfree(create);
	return task;
}

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
					   const char namefmt[], ...)
{
	struct task_struct *task;
	va_list args;

	va_start(args, namefmt);
	task = __kthread_create_on_node(threadfn, data, node, namefmt, args);
	va_end(args);
	return task;
}

/*
 * p has announced, through a completion and with preemption off, that it is going to sleep
 * in state: wait until the switch away from it has finished, so that it may be rebound.
 */
static bool wait_task_inactive(struct task_struct *p, unsigned int state)
{
	while (smp_load_acquire(&p->on_cpu))
		cpu_relax();
	return READ_ONCE(p->__state) == state && !READ_ONCE(p->on_rq);
}

static void __kthread_bind(struct task_struct *p, unsigned int cpu, unsigned int state)
{
	struct cpumask mask = CPU_MASK_NONE;

	if (WARN_ON(!wait_task_inactive(p, state)))
		return;
	cpumask_set_cpu(cpu, &mask);
	kthread_bind_mask(p, &mask);
}

void kthread_bind(struct task_struct *p, unsigned int cpu)
{
	__kthread_bind(p, cpu, TASK_UNINTERRUPTIBLE);
}

struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data), void *data,
					  unsigned int cpu, const char *namefmt)
{
	struct task_struct *p;
	struct kthread *kthread;

	p = kthread_create_on_node(threadfn, data, NUMA_NO_NODE, namefmt, cpu);
	if (IS_ERR(p))
		return p;
	kthread_bind(p, cpu);
	kthread = to_kthread(p);
	kthread->cpu = cpu;
	set_bit(KTHREAD_IS_PER_CPU, &kthread->flags);
	return p;
}

void kthread_unpark(struct task_struct *k)
{
	struct kthread *kthread = to_kthread(k);

	if (!test_bit(KTHREAD_SHOULD_PARK, &kthread->flags))
		return;
	/* Parked per-CPU threads go back to their CPU, whatever moved them meanwhile. */
	if (test_bit(KTHREAD_IS_PER_CPU, &kthread->flags))
		__kthread_bind(k, kthread->cpu, TASK_PARKED);
	clear_bit(KTHREAD_SHOULD_PARK, &kthread->flags);
	/* __kthread_parkme either sees the flag clear or gets this wake-up. */
	wake_up_state(k, TASK_PARKED);
}

int kthread_park(struct task_struct *k)
{
	struct kthread *kthread = to_kthread(k);

	if (WARN_ON(k->flags & PF_EXITING))
		return -ENOSYS;
	if (WARN_ON(test_bit(KTHREAD_SHOULD_PARK, &kthread->flags)))
		return -EBUSY;
	set_bit(KTHREAD_SHOULD_PARK, &kthread->flags);
	if (k != current) {
		wake_up_process(k);
		wait_for_completion(&kthread->parked);
		/* Announced, now make sure it has left the CPU. */
		WARN_ON(!wait_task_inactive(k, TASK_PARKED));
	}
	return 0;
}

int kthread_stop(struct task_struct *k)
{
	struct kthread *kthread;
	int ret;

	/* The struct kthread lives until the task is freed: keep the task meanwhile. */
	get_task_struct(k);
	kthread = to_kthread(k);
	set_bit(KTHREAD_SHOULD_STOP, &kthread->flags);
	kthread_unpark(k);
	wake_up_process(k);
	wait_for_completion(&kthread->exited);
	ret = kthread->result;
	put_task_struct(k);
	return ret;
}

void kthread_init_worker(struct kthread_worker *worker)
{
	worker->flags = 0;
	spin_lock_init(&worker->lock);
	INIT_LIST_HEAD(&worker->work_list);
	worker->task = NULL;
	worker->current_work = NULL;
}

/* The seed's kthread_worker_fn: run works one by one, sleep when there are none. */
int kthread_worker_fn(void *worker_ptr)
{
	struct kthread_worker *worker = worker_ptr;
	struct kthread_work *work;

	WARN_ON(worker->task && worker->task != current);
	worker->task = current;
repeat:
	/* Full barrier: kthread_stop's flag or a queuer's wake-up is not missed. */
	set_current_state(TASK_INTERRUPTIBLE);

	if (kthread_should_stop()) {
		__set_current_state(TASK_RUNNING);
		spin_lock_irq(&worker->lock);
		worker->task = NULL;
		spin_unlock_irq(&worker->lock);
		return 0;
	}

	work = NULL;
	spin_lock_irq(&worker->lock);
	if (!list_empty(&worker->work_list)) {
		work = list_first_entry(&worker->work_list, struct kthread_work, node);
		list_del_init(&work->node);
	}
	/* Queuers wake us only while this is NULL (see kthread_insert_work). */
	worker->current_work = work;
	spin_unlock_irq(&worker->lock);

	if (work) {
		__set_current_state(TASK_RUNNING);
		work->func(work);
	} else {
		schedule();
	}
	cond_resched();
	goto repeat;
}

static struct kthread_worker *__kthread_create_worker(int cpu, unsigned int flags,
						      const char namefmt[], va_list args)
{
	struct kthread_worker *worker;
	struct task_struct *task;

	worker = kmalloc(sizeof(*worker), GFP_KERNEL);
	if (!worker)
		return ERR_PTR(-ENOMEM);
	kthread_init_worker(worker);

	task = __kthread_create_on_node(kthread_worker_fn, worker, NUMA_NO_NODE, namefmt, args);
	if (IS_ERR(task)) {
		kfree(worker);
		return ERR_PTR(PTR_ERR(task));
	}
	if (cpu >= 0)
		kthread_bind(task, cpu);
	worker->flags = flags;
	worker->task = task;
	wake_up_process(task);
	return worker;
}

struct kthread_worker *kthread_create_worker(unsigned int flags, const char namefmt[], ...)
{
	struct kthread_worker *worker;
	va_list args;

	va_start(args, namefmt);
	worker = __kthread_create_worker(-1, flags, namefmt, args);
	va_end(args);
	return worker;
}

struct kthread_worker *kthread_create_worker_on_cpu(int cpu, unsigned int flags,
						    const char namefmt[], ...)
{
	struct kthread_worker *worker;
	va_list args;

	va_start(args, namefmt);
	worker = __kthread_create_worker(cpu, flags, namefmt, args);
	va_end(args);
	return worker;
}

/* Called with worker->lock held; pos is where in the list work goes (before pos). */
static void kthread_insert_work(struct kthread_worker *worker, struct kthread_work *work,
				struct list_head *pos)
{
	list_add_tail(&work->node, pos);
	work->worker = worker;
	/* A busy worker rereads the list before it sleeps; an idle one needs waking. */
	if (!worker->current_work && likely(worker->task))
		wake_up_process(worker->task);
}

bool kthread_queue_work(struct kthread_worker *worker, struct kthread_work *work)
{
	unsigned long flags;
	bool ret = false;

	spin_lock_irqsave(&worker->lock, flags);
	if (list_empty(&work->node)) {
		kthread_insert_work(worker, work, &worker->work_list);
		ret = true;
	}
	spin_unlock_irqrestore(&worker->lock, flags);
	return ret;
}

struct kthread_flush_work {
	struct kthread_work work;
	struct completion done;
};

static void kthread_flush_work_fn(struct kthread_work *work)
{
	struct kthread_flush_work *fwork = container_of(work, struct kthread_flush_work, work);

	complete(&fwork->done);
}

void kthread_flush_work(struct kthread_work *work)
{
	struct kthread_flush_work fwork;
	struct kthread_worker *worker;
	bool noop = false;

	worker = READ_ONCE(work->worker);
	if (!worker)
		return;
	kthread_init_work(&fwork.work, kthread_flush_work_fn);
	init_completion(&fwork.done);

	spin_lock_irq(&worker->lock);
	/* Works run in list order: a flush work right behind work completes after it. */
	if (!list_empty(&work->node))
		kthread_insert_work(worker, &fwork.work, work->node.next);
	else if (worker->current_work == work)
		kthread_insert_work(worker, &fwork.work, worker->work_list.next);
	else
		noop = true;
	spin_unlock_irq(&worker->lock);

	if (!noop)
		wait_for_completion(&fwork.done);
}

void kthread_flush_worker(struct kthread_worker *worker)
{
	struct kthread_flush_work fwork;

	kthread_init_work(&fwork.work, kthread_flush_work_fn);
	init_completion(&fwork.done);
	kthread_queue_work(worker, &fwork.work);
	wait_for_completion(&fwork.done);
}

void kthread_destroy_worker(struct kthread_worker *worker)
{
	struct task_struct *task = worker->task;

	if (WARN_ON(!task))
		return;
	kthread_flush_worker(worker);
	kthread_stop(task);
	WARN_ON(!list_empty(&worker->work_list));
	kfree(worker);
}
