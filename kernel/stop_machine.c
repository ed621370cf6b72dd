// SPDX-License-Identifier: MIT
/*
 * The stopper machinery of the first seed (../shared/seeds/000_*): each CPU has a
 * cpu_stopper with a lock, a list of cpu_stop_work and an enabled flag, served by
 * cpu_stopper_thread running as migration/N in the stop class. Work queued there runs at
 * once: nothing outranks the stop class.
 *
 * Works that make several stoppers wait for each other (stop_cpus, stop_machine,
 * stop_two_cpus) must be queued on all their CPUs before any other such request can
 * interleave, or two requests could each hold a stopper the other waits for: stop_cpus
 * callers are serialized by stop_cpus_mutex and queue with preemption off, and
 * stop_two_cpus queues under both stoppers' locks while no stop_cpus is queueing.
 */
#include <asm/processor.h>
#include <kairos/atomic.h>
#include <kairos/bug.h>
#include <kairos/completion.h>
#include <kairos/kthread.h>
#include <kairos/mutex.h>
#include <kairos/percpu.h>
#include <kairos/sched.h>
#include <kairos/smp.h>
#include <kairos/smpboot.h>
#include <kairos/spinlock.h>
#include <kairos/stop_machine.h>
#include <uapi/errno.h>

#include "sched/sched.h"

struct cpu_stop_done {
	atomic_t nr_todo;		/* works left to finish */
	int ret;			/* a non-zero return of any of them */
	struct completion completion;
};

struct cpu_stopper {
	struct task_struct *thread;
	spinlock_t lock;
	bool enabled;			/* is this stopper accepting works */
	struct list_head works;
	struct cpu_stop_work stop_work;	/* for stop_cpus */
	cpu_stop_fn_t fn;		/* running now, for debugging */
	unsigned long caller;
};

static DEFINE_PER_CPU(struct cpu_stopper, cpu_stopper);
static bool stop_cpus_in_progress;
static DEFINE_MUTEX(stop_cpus_mutex);

static void cpu_stop_init_done(struct cpu_stop_done *done, unsigned int nr_todo)
{
	atomic_set(&done->nr_todo, nr_todo);
	done->ret = 0;
	init_completion(&done->completion);
}

static void cpu_stop_signal_done(struct cpu_stop_done *done)
{
	if (atomic_dec_and_test(&done->nr_todo))
		complete(&done->completion);
}

/* Under stopper->lock; the caller wakes the thread once the lock is dropped. */
static void __cpu_stop_queue_work(struct cpu_stopper *stopper, struct cpu_stop_work *work)
{
	list_add_tail(&work->list, &stopper->works);
}

static bool cpu_stop_queue_work(unsigned int cpu, struct cpu_stop_work *work)
{
	struct cpu_stopper *stopper = per_cpu_ptr(&cpu_stopper, cpu);
	unsigned long flags;
	bool enabled;

	spin_lock_irqsave(&stopper->lock, flags);
	enabled = stopper->enabled;
	if (enabled)
		__cpu_stop_queue_work(stopper, work);
	else if (work->done)
		cpu_stop_signal_done(work->done);
	spin_unlock_irqrestore(&stopper->lock, flags);
	if (enabled)
		wake_up_process(stopper->thread);
	return enabled;
}

int stop_one_cpu(unsigned int cpu, cpu_stop_fn_t fn, void *arg)
{
	struct cpu_stop_done done;
	struct cpu_stop_work work = {
		.fn = fn, .arg = arg, .done = &done,
		.caller = (unsigned long)__builtin_return_address(0),
	};

	cpu_stop_init_done(&done, 1);
	if (!cpu_stop_queue_work(cpu, &work))
		return -ENOENT;
	wait_for_completion(&done.completion);
	return done.ret;
}

bool stop_one_cpu_nowait(unsigned int cpu, cpu_stop_fn_t fn, void *arg,
			 struct cpu_stop_work *work_buf)
{
	*work_buf = (struct cpu_stop_work){
		.fn = fn, .arg = arg,
		.caller = (unsigned long)__builtin_return_address(0),
	};
	return cpu_stop_queue_work(cpu, work_buf);
}

/* The lock-step of stop_machine and stop_two_cpus: each state is entered by all
 * participating stoppers before any moves on. */
enum multi_stop_state {
	MULTI_STOP_NONE,
	MULTI_STOP_PREPARE,
	MULTI_STOP_DISABLE_IRQ,
	MULTI_STOP_RUN,
	MULTI_STOP_EXIT,
};

struct multi_stop_data {
	cpu_stop_fn_t fn;
	void *data;
	unsigned int num_threads;
	const struct cpumask *active_cpus;
	enum multi_stop_state state;
	atomic_t thread_ack;
};

static void set_state(struct multi_stop_data *msdata, enum multi_stop_state newstate)
{
	atomic_set(&msdata->thread_ack, msdata->num_threads);
	smp_wmb();	/* the count is reset before anyone sees the new state */
	WRITE_ONCE(msdata->state, newstate);
}

/* The last stopper to acknowledge a state moves everyone to the next. */
static void ack_state(struct multi_stop_data *msdata)
{
	if (atomic_dec_and_test(&msdata->thread_ack))
		set_state(msdata, msdata->state + 1);
}

static int multi_cpu_stop(void *data)
{
	struct multi_stop_data *msdata = data;
	enum multi_stop_state newstate, curstate = MULTI_STOP_NONE;
	unsigned int cpu = smp_processor_id();
	unsigned long flags;
	bool is_active;
	int err = 0;

	if (msdata->active_cpus)
		is_active = cpumask_test_cpu(cpu, msdata->active_cpus);
	else
		is_active = cpu == cpumask_first(&cpu_online_mask);
	flags = arch_local_save_flags();	/* the state machine turns IRQs off */
	do {
		cpu_relax();
		newstate = READ_ONCE(msdata->state);
		if (newstate != curstate) {
			curstate = newstate;
			switch (curstate) {
			case MULTI_STOP_DISABLE_IRQ:
				local_irq_disable();
				break;
			case MULTI_STOP_RUN:
				if (is_active)
					err = msdata->fn(msdata->data);
				break;
			default:
				break;
			}
			ack_state(msdata);
		}
	} while (curstate != MULTI_STOP_EXIT);
	local_irq_restore(flags);
	return err;
}

/* Queue work on every CPU of cpumask with no other multi-stop interleaving. */
static bool queue_stop_cpus_work(const struct cpumask *cpumask, cpu_stop_fn_t fn, void *arg,
				 struct cpu_stop_done *done)
{
	unsigned int cpu;
	bool queued = false;

	/* Not preempted by a stopper we wake before all are queued. */
	preempt_disable();
	WRITE_ONCE(stop_cpus_in_progress, true);
	for_each_cpu(cpu, cpumask) {
		struct cpu_stop_work *work = &per_cpu(cpu_stopper, cpu).stop_work;

		work->fn = fn;
		work->arg = arg;
		work->done = done;
		work->caller = (unsigned long)__builtin_return_address(0);
		if (cpu_stop_queue_work(cpu, work))
			queued = true;
	}
	WRITE_ONCE(stop_cpus_in_progress, false);
	preempt_enable();
	return queued;
}

static int __stop_cpus(const struct cpumask *cpumask, cpu_stop_fn_t fn, void *arg)
{
	struct cpu_stop_done done;

	cpu_stop_init_done(&done, cpumask_weight(cpumask));
	if (!queue_stop_cpus_work(cpumask, fn, arg, &done))
		return -ENOENT;
	wait_for_completion(&done.completion);
	return done.ret;
}

int stop_cpus(const struct cpumask *cpumask, cpu_stop_fn_t fn, void *arg)
{
	int ret;

	mutex_lock(&stop_cpus_mutex);
	ret = __stop_cpus(cpumask, fn, arg);
	mutex_unlock(&stop_cpus_mutex);
	return ret;
}

int try_stop_cpus(const struct cpumask *cpumask, cpu_stop_fn_t fn, void *arg)
{
	int ret;

	if (!mutex_trylock(&stop_cpus_mutex))
		return -EAGAIN;
	ret = __stop_cpus(cpumask, fn, arg);
	mutex_unlock(&stop_cpus_mutex);
	return ret;
}

int stop_machine(cpu_stop_fn_t fn, void *data, const struct cpumask *cpus)
{
	struct multi_stop_data msdata = {
		.fn = fn,
		.data = data,
		.num_threads = num_online_cpus(),
		.active_cpus = cpus,
	};

	set_state(&msdata, MULTI_STOP_PREPARE);
	return stop_cpus(&cpu_online_mask, multi_cpu_stop, &msdata);
}

/* Queue two works under both stoppers' locks, while no stop_cpus is queueing. */
static int cpu_stop_queue_two_works(unsigned int cpu1, struct cpu_stop_work *work1,
				    unsigned int cpu2, struct cpu_stop_work *work2)
{
	struct cpu_stopper *s1 = per_cpu_ptr(&cpu_stopper, cpu1);
	struct cpu_stopper *s2 = per_cpu_ptr(&cpu_stopper, cpu2);
	struct cpu_stopper *first = s1 < s2 ? s1 : s2, *second = s1 < s2 ? s2 : s1;
	unsigned long flags;
	int err;

	for (;;) {
		spin_lock_irqsave(&first->lock, flags);
		spin_lock(&second->lock);
		if (!s1->enabled || !s2->enabled) {
			err = -ENOENT;
			break;
		}
		if (!READ_ONCE(stop_cpus_in_progress)) {
			__cpu_stop_queue_work(s1, work1);
			__cpu_stop_queue_work(s2, work2);
			err = 0;
			break;
		}
		spin_unlock(&second->lock);
		spin_unlock_irqrestore(&first->lock, flags);
		while (READ_ONCE(stop_cpus_in_progress))
			cpu_relax();
	}
	spin_unlock(&second->lock);
	spin_unlock_irqrestore(&first->lock, flags);
	if (!err) {
		/* Both woken before either runs: a stopper woken on this CPU would preempt
		 * us and spin waiting for the other one, which we would never wake. */
		preempt_disable();
		wake_up_process(s1->thread);
		wake_up_process(s2->thread);
		preempt_enable();
	}
	return err;
}

int stop_two_cpus(unsigned int cpu1, unsigned int cpu2, cpu_stop_fn_t fn, void *arg)
{
	struct cpu_stop_done done;
	struct cpu_stop_work work1, work2;
	struct cpumask active;
	struct multi_stop_data msdata = {
		.fn = fn, .data = arg, .num_threads = 2, .active_cpus = &active,
	};

	if (cpu1 == cpu2)
		return -EINVAL;
	cpumask_clear(&active);
	cpumask_set_cpu(cpu1, &active);
	work1 = work2 = (struct cpu_stop_work){
		.fn = multi_cpu_stop, .arg = &msdata, .done = &done,
		.caller = (unsigned long)__builtin_return_address(0),
	};
	cpu_stop_init_done(&done, 2);
	set_state(&msdata, MULTI_STOP_PREPARE);
	if (cpu_stop_queue_two_works(cpu1, &work1, cpu2, &work2))
		return -ENOENT;
	wait_for_completion(&done.completion);
	return done.ret;
}

/* The seed's cpu_stopper_thread: take the first work off the list, run it, repeat. */
static void cpu_stopper_thread(unsigned int cpu)
{
	struct cpu_stopper *stopper = per_cpu_ptr(&cpu_stopper, cpu);
	struct cpu_stop_work *work;

repeat:
	work = NULL;
	spin_lock_irq(&stopper->lock);
	if (!list_empty(&stopper->works)) {
		work = list_first_entry(&stopper->works, struct cpu_stop_work, list);
		list_del_init(&work->list);
	}
	spin_unlock_irq(&stopper->lock);

	if (work) {
		cpu_stop_fn_t fn = work->fn;
		void *arg = work->arg;
		struct cpu_stop_done *done = work->done;
		int ret;

		stopper->caller = work->caller;
		stopper->fn = fn;
		/* A stop work runs to completion: it must not sleep. */
		preempt_disable();
		ret = fn(arg);
		if (done) {
			if (ret)
				done->ret = ret;
			cpu_stop_signal_done(done);
		}
		preempt_enable();
		stopper->fn = NULL;
		stopper->caller = 0;
		goto repeat;
	}
}

static int cpu_stop_should_run(unsigned int cpu)
{
	struct cpu_stopper *stopper = per_cpu_ptr(&cpu_stopper, cpu);
	unsigned long flags;
	int run;

	spin_lock_irqsave(&stopper->lock, flags);
	run = !list_empty(&stopper->works);
	spin_unlock_irqrestore(&stopper->lock, flags);
	return run;
}

/* Created parked: make it cpu's stop-class task before it ever runs. */
static void cpu_stop_create(unsigned int cpu)
{
	sched_set_stop_task(cpu, per_cpu(cpu_stopper, cpu).thread);
}

static void cpu_stop_park(unsigned int cpu)
{
	struct cpu_stopper *stopper = per_cpu_ptr(&cpu_stopper, cpu);

	WARN_ON(!list_empty(&stopper->works));
}

static void stop_machine_unpark(unsigned int cpu)
{
	struct cpu_stopper *stopper = per_cpu_ptr(&cpu_stopper, cpu);
	unsigned long flags;

	spin_lock_irqsave(&stopper->lock, flags);
	stopper->enabled = true;
	spin_unlock_irqrestore(&stopper->lock, flags);
	kthread_unpark(stopper->thread);
}

static struct smp_hotplug_thread cpu_stop_threads = {
	.store = &cpu_stopper.thread,
	.thread_should_run = cpu_stop_should_run,
	.thread_fn = cpu_stopper_thread,
	.thread_comm = "migration/%u",
	.create = cpu_stop_create,
	.park = cpu_stop_park,
	.selfparking = true,
};

/*
 * As the seed's LegoOS version: called once every CPU is online (no hotplug), so the
 * parked threads smpboot created are unparked here.
 */
void __init cpu_stop_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct cpu_stopper *stopper = per_cpu_ptr(&cpu_stopper, cpu);

		spin_lock_init(&stopper->lock);
		INIT_LIST_HEAD(&stopper->works);
	}
	BUG_ON(smpboot_register_percpu_thread(&cpu_stop_threads));
	for_each_online_cpu(cpu)
		stop_machine_unpark(cpu);
}
