// SPDX-License-Identifier: MIT
/*
 * Per-CPU kernel threads along the seed's graphs: smpboot_register_percpu_thread ->
 * __smpboot_create_thread (kthread_create_on_cpu, kthread_park, ->create) and
 * smpboot_unpark_thread; each thread runs smpboot_thread_fn.
 */
#include <kairos/bug.h>
#include <kairos/kthread.h>
#include <kairos/percpu.h>
#include <kairos/preempt.h>
#include <kairos/sched.h>
#include <kairos/slab.h>
#include <kairos/smp.h>
#include <kairos/smpboot.h>
#include <kairos/spinlock.h>
#include <uapi/errno.h>

/* Registered descriptors. */
static LIST_HEAD(hotplug_threads);
static DEFINE_SPINLOCK(hotplug_threads_lock);

/* Where a thread is in the seed's state machine. */
enum {
	HP_THREAD_NONE = 0,	/* setup() not yet run */
	HP_THREAD_ACTIVE,
	HP_THREAD_PARKED,	/* park() ran; unpark() is due */
};

struct smpboot_thread_data {
	unsigned int cpu;
	unsigned int status;
	struct smp_hotplug_thread *ht;
};

/* The seed's smpboot_thread_fn: stop, park, set up or resume, then work or sleep. */
static int smpboot_thread_fn(void *data)
{
	struct smpboot_thread_data *td = data;
	struct smp_hotplug_thread *ht = td->ht;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		/* Until we sleep or run thread_fn: a wake-up between check and sleep is kept
		 * (state), and nothing moves us off this CPU meanwhile. */
		preempt_disable();
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			preempt_enable();
			/* Only a thread that ran setup() is cleaned up. */
			if (ht->cleanup && td->status != HP_THREAD_NONE)
				ht->cleanup(td->cpu, cpu_online(td->cpu));
			kfree(td);
			return 0;
		}

		if (kthread_should_park()) {
			__set_current_state(TASK_RUNNING);
			preempt_enable();
			if (ht->park && td->status == HP_THREAD_ACTIVE) {
				BUG_ON(td->cpu != smp_processor_id());
				ht->park(td->cpu);
				td->status = HP_THREAD_PARKED;
			}
			kthread_parkme();
			/* We may have been unparked to be stopped: look again. */
			continue;
		}

		BUG_ON(td->cpu != smp_processor_id());

		switch (td->status) {
		case HP_THREAD_NONE:
			__set_current_state(TASK_RUNNING);
			preempt_enable();
			if (ht->setup)
				ht->setup(td->cpu);
			td->status = HP_THREAD_ACTIVE;
			continue;
		case HP_THREAD_PARKED:
			__set_current_state(TASK_RUNNING);
			preempt_enable();
			if (ht->unpark)
				ht->unpark(td->cpu);
			td->status = HP_THREAD_ACTIVE;
			continue;
		}

		if (!ht->thread_should_run(td->cpu)) {
			preempt_enable_no_resched();
			schedule();
		} else {
			__set_current_state(TASK_RUNNING);
			preempt_enable();
			ht->thread_fn(td->cpu);
		}
	}
}

static int __smpboot_create_thread(struct smp_hotplug_thread *ht, unsigned int cpu)
{
	struct task_struct *tsk = *per_cpu_ptr(ht->store, cpu);
	struct smpboot_thread_data *td;

	if (tsk)
		return 0;
	td = kzalloc(sizeof(*td), GFP_KERNEL);
	if (!td)
		return -ENOMEM;
	td->cpu = cpu;
	td->ht = ht;

	tsk = kthread_create_on_cpu(smpboot_thread_fn, td, cpu, ht->thread_comm);
	if (IS_ERR(tsk)) {
		kfree(td);
		return PTR_ERR(tsk);
	}
	/* Parked (and off its CPU once this returns) until smpboot_unpark_thread. */
	kthread_park(tsk);
	get_task_struct(tsk);
	*per_cpu_ptr(ht->store, cpu) = tsk;
	if (ht->create)
		ht->create(cpu);
	return 0;
}

static void smpboot_unpark_thread(struct smp_hotplug_thread *ht, unsigned int cpu)
{
	struct task_struct *tsk = *per_cpu_ptr(ht->store, cpu);

	if (!ht->selfparking)
		kthread_unpark(tsk);
}

static void smpboot_destroy_threads(struct smp_hotplug_thread *ht)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct task_struct *tsk = *per_cpu_ptr(ht->store, cpu);

		if (tsk) {
			kthread_stop(tsk);
			put_task_struct(tsk);
			*per_cpu_ptr(ht->store, cpu) = NULL;
		}
	}
}

int smpboot_register_percpu_thread(struct smp_hotplug_thread *plug_thread)
{
	unsigned int cpu;
	int ret;

	for_each_online_cpu(cpu) {
		ret = __smpboot_create_thread(plug_thread, cpu);
		if (ret) {
			smpboot_destroy_threads(plug_thread);
			return ret;
		}
		smpboot_unpark_thread(plug_thread, cpu);
	}
	spin_lock(&hotplug_threads_lock);
	list_add(&plug_thread->list, &hotplug_threads);
	spin_unlock(&hotplug_threads_lock);
	return 0;
}

void smpboot_unregister_percpu_thread(struct smp_hotplug_thread *plug_thread)
{
	spin_lock(&hotplug_threads_lock);
	list_del(&plug_thread->list);
	spin_unlock(&hotplug_threads_lock);
	smpboot_destroy_threads(plug_thread);
}
