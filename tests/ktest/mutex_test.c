// SPDX-License-Identifier: MIT
/*
 * Mutex optimistic spinning (kernel/locking/mutex.c): a locker spins, without sleeping,
 * while the owner runs on another CPU; it stops and queues when the owner blocks or when
 * someone has queued before it (who then gets the mutex first); and mutual exclusion
 * holds with every CPU spinning. The FIFO handover and the lost-update test of sleeping
 * waiters are in sleep_test.c.
 */
#include <asm/processor.h>
#include <kairos/atomic.h>
#include <kairos/completion.h>
#include <kairos/delay.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>
#include <kairos/mutex.h>
#include <kairos/percpu.h>
#include <kairos/sched.h>
#include <kairos/smp.h>
#include <kairos/time.h>

#include "ktest_kthread.h"

/* Generous: an emulated CPU on a busy host may not run for seconds. */
#define PATIENCE_NS		(20 * NSEC_PER_SEC)

#define wait_until(cond) ({						\
	u64 __t0 = ktime_get_ns();					\
	while (!(cond) && ktime_get_ns() - __t0 < PATIENCE_NS)		\
		msleep(1);						\
	(cond);								\
})

static int wait_for_stop(int ret)
{
	ktest_wait_for_stop();
	return ret;
}

static int mutex_waiters(struct mutex *lock)
{
	struct list_head *pos;
	int n = 0;

	spin_lock(&lock->wait_lock);
	list_for_each(pos, &lock->wait_list)
		n++;
	spin_unlock(&lock->wait_lock);
	return n;
}

/* Two distinct online CPUs, neither the caller's if there are enough. */
static void pick_cpus(unsigned int *a, unsigned int *b)
{
	unsigned int self = smp_processor_id(), cpu, n = 0, found[2];

	for_each_online_cpu(cpu)
		if (n < 2 && (cpu != self || num_online_cpus() < 3))
			found[n++] = cpu;
	*a = found[0];
	*b = found[1];
}

static struct {
	struct mutex lock;
	atomic_t trying;	/* the locker is about to call mutex_lock */
	atomic_t owner_running;	/* the holder busy-holds from now on */
	atomic_t release;	/* the holder unlocks once this is set */
	bool spun;		/* the locker got the mutex by spinning, never asleep */
	int order[2];
	atomic_t next;
	struct completion held, done;
} sp;

static void sp_reset(void)
{
	mutex_init(&sp.lock);
	atomic_set(&sp.trying, 0);
	atomic_set(&sp.owner_running, 0);
	atomic_set(&sp.release, 0);
	atomic_set(&sp.next, 0);
	sp.spun = false;
	init_completion(&sp.held);
	init_completion(&sp.done);
}

static struct task_struct *start_on(int (*fn)(void *), void *arg, unsigned int cpu)
{
	struct task_struct *p = kthread_create_on_cpu(fn, arg, cpu, "ktest-spin/%u");

	if (!IS_ERR(p))
		wake_up_process(p);
	return p;
}

/* Holds the mutex running, never sleeping, for 20 ms after the locker starts. */
static int busy_holder_fn(void *arg)
{
	mutex_lock(&sp.lock);
	complete(&sp.held);
	while (!atomic_read_acquire(&sp.trying))
		cpu_relax();
	mdelay(20);
	mutex_unlock(&sp.lock);
	return wait_for_stop(0);
}

static int spin_locker_fn(void *arg)
{
	/* Pinned: these are this CPU's figures all along. */
	unsigned long spins = this_cpu_ptr(&mutex_stat)->spin_acquired;
	unsigned long nvcsw = current->nvcsw;

	atomic_set_release(&sp.trying, 1);
	mutex_lock(&sp.lock);
	sp.spun = current->nvcsw == nvcsw &&
		  this_cpu_ptr(&mutex_stat)->spin_acquired != spins;
	mutex_unlock(&sp.lock);
	complete(&sp.done);
	return wait_for_stop(0);
}

/*
 * A mutex held by a task running on another CPU is taken by spinning: the locker never
 * sleeps. Another task may preempt the holder now and then (the locker then rightly
 * sleeps), so it is enough that one of ten tries spins.
 */
KTEST(mutex_spins_while_owner_runs)
{
	unsigned int a, b;
	bool spun = false;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	pick_cpus(&a, &b);
	for (int try = 0; try < 10 && !spun; try++) {
		struct task_struct *holder, *locker;

		sp_reset();
		holder = start_on(busy_holder_fn, NULL, a);
		KTEST_EXPECT(t, !IS_ERR(holder));
		if (IS_ERR(holder))
			return;
		wait_for_completion(&sp.held);
		locker = start_on(spin_locker_fn, NULL, b);
		KTEST_EXPECT(t, !IS_ERR(locker));
		if (IS_ERR(locker)) {
			atomic_set_release(&sp.trying, 1);
			kthread_stop(holder);
			return;
		}
		wait_for_completion(&sp.done);
		spun = sp.spun;
		KTEST_EXPECT_EQ(t, kthread_stop(holder), 0);
		KTEST_EXPECT_EQ(t, kthread_stop(locker), 0);
		KTEST_EXPECT(t, !mutex_is_locked(&sp.lock));
	}
	KTEST_EXPECT(t, spun);
}

/* Holds the mutex asleep until released. */
static int sleeping_holder_fn(void *arg)
{
	mutex_lock(&sp.lock);
	complete(&sp.held);
	while (!atomic_read_acquire(&sp.release))
		msleep(1);
	mutex_unlock(&sp.lock);
	return wait_for_stop(0);
}

static int locker_fn(void *arg)
{
	atomic_set_release(&sp.trying, 1);
	mutex_lock(&sp.lock);
	sp.order[atomic_inc_return(&sp.next) - 1] = (int)(long)arg;
	mutex_unlock(&sp.lock);
	complete(&sp.done);
	return wait_for_stop(0);
}

/*
 * The owner sleeps: a locker does not spin on it for ever but queues, and the owner's
 * unlock hands the mutex over.
 */
KTEST(mutex_spinner_queues_when_owner_sleeps)
{
	struct task_struct *holder, *locker;
	unsigned int a, b;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	pick_cpus(&a, &b);
	sp_reset();
	holder = start_on(sleeping_holder_fn, NULL, a);
	KTEST_EXPECT(t, !IS_ERR(holder));
	if (IS_ERR(holder))
		return;
	wait_for_completion(&sp.held);
	locker = start_on(locker_fn, (void *)1L, b);
	KTEST_EXPECT(t, !IS_ERR(locker));
	if (!IS_ERR(locker))
		KTEST_EXPECT(t, wait_until(mutex_waiters(&sp.lock) == 1));
	KTEST_EXPECT_EQ(t, atomic_read(&sp.next), 0);
	atomic_set_release(&sp.release, 1);
	if (!IS_ERR(locker)) {
		wait_for_completion(&sp.done);
		KTEST_EXPECT_EQ(t, sp.order[0], 1);
		KTEST_EXPECT_EQ(t, kthread_stop(locker), 0);
	}
	KTEST_EXPECT_EQ(t, kthread_stop(holder), 0);
	KTEST_EXPECT(t, !mutex_is_locked(&sp.lock));
}

/* Sleeps holding the mutex until told to run, then runs holding it until released. */
static int waking_holder_fn(void *arg)
{
	mutex_lock(&sp.lock);
	complete(&sp.held);
	while (!atomic_read_acquire(&sp.owner_running))
		msleep(1);
	atomic_set_release(&sp.owner_running, 2);
	while (!atomic_read_acquire(&sp.release))
		cpu_relax();
	mutex_unlock(&sp.lock);
	return wait_for_stop(0);
}

/*
 * Spinning never jumps the queue: with a waiter queued, a newcomer queues behind it even
 * while the owner runs (the mutex is the waiter's at unlock, so spinning cannot win),
 * and they get it in that order.
 */
KTEST(mutex_spinner_queues_behind_waiter)
{
	struct task_struct *holder, *first, *second = NULL;
	unsigned int a, b;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	pick_cpus(&a, &b);
	sp_reset();
	holder = start_on(waking_holder_fn, NULL, a);
	KTEST_EXPECT(t, !IS_ERR(holder));
	if (IS_ERR(holder))
		return;
	wait_for_completion(&sp.held);
	/* The owner sleeps: the first locker queues. */
	first = start_on(locker_fn, (void *)1L, b);
	KTEST_EXPECT(t, !IS_ERR(first));
	if (IS_ERR(first))
		goto release;
	KTEST_EXPECT(t, wait_until(mutex_waiters(&sp.lock) == 1));
	/* The owner runs: the second must queue all the same. */
	atomic_set_release(&sp.owner_running, 1);
	KTEST_EXPECT(t, wait_until(atomic_read_acquire(&sp.owner_running) == 2));
	second = start_on(locker_fn, (void *)2L, b);
	KTEST_EXPECT(t, !IS_ERR(second));
	if (IS_ERR(second))
		second = NULL;
	else
		KTEST_EXPECT(t, wait_until(mutex_waiters(&sp.lock) == 2));
release:
	atomic_set_release(&sp.owner_running, 2);
	atomic_set_release(&sp.release, 1);
	if (!IS_ERR(first)) {
		KTEST_EXPECT(t, wait_until(atomic_read(&sp.next) == (second ? 2 : 1)));
		KTEST_EXPECT_EQ(t, sp.order[0], 1);
		if (second) {
			KTEST_EXPECT_EQ(t, sp.order[1], 2);
			KTEST_EXPECT_EQ(t, kthread_stop(second), 0);
		}
		KTEST_EXPECT_EQ(t, kthread_stop(first), 0);
	}
	KTEST_EXPECT_EQ(t, kthread_stop(holder), 0);
	KTEST_EXPECT(t, !mutex_is_locked(&sp.lock));
}

#define SPIN_THREADS_PER_CPU	3
#define SPIN_ROUNDS		300

static struct {
	struct mutex lock;
	/* Plain: only the mutex keeps them equal and every increment. */
	unsigned long a, b;
	int inside, max_inside;
	atomic_t torn;		/* a and b seen different inside the lock */
	atomic_t done;
} sc;

static int spin_contention_fn(void *arg)
{
	for (int i = 0; i < SPIN_ROUNDS; i++) {
		unsigned long a;

		mutex_lock(&sc.lock);
		if (++sc.inside > sc.max_inside)
			sc.max_inside = sc.inside;
		a = READ_ONCE(sc.a);
		if (a != READ_ONCE(sc.b))
			atomic_inc_return(&sc.torn);
		WRITE_ONCE(sc.a, a + 1);
		/* Short, running: lockers on other CPUs spin rather than sleep. */
		udelay(1);
		WRITE_ONCE(sc.b, READ_ONCE(sc.b) + 1);
		sc.inside--;
		mutex_unlock(&sc.lock);
	}
	atomic_inc_return(&sc.done);
	return wait_for_stop(0);
}

/* Threads on every CPU take one mutex for short, running sections: nothing is lost. */
KTEST(mutex_spin_contention_every_cpu)
{
	struct task_struct *tasks[NR_CPUS * SPIN_THREADS_PER_CPU];
	unsigned int cpu, n = 0;

	mutex_init(&sc.lock);
	sc.a = sc.b = 0;
	sc.inside = sc.max_inside = 0;
	atomic_set(&sc.torn, 0);
	atomic_set(&sc.done, 0);
	for_each_online_cpu(cpu) {
		for (int i = 0; i < SPIN_THREADS_PER_CPU; i++) {
			struct task_struct *p = kthread_create_on_cpu(spin_contention_fn, NULL,
								      cpu, "ktest-spin/%u");

			KTEST_EXPECT(t, !IS_ERR(p));
			if (IS_ERR(p))
				goto stop;
			tasks[n++] = p;
		}
	}
	for (unsigned int i = 0; i < n; i++)
		wake_up_process(tasks[i]);
	KTEST_EXPECT(t, wait_until(atomic_read(&sc.done) == (int)n));
	KTEST_EXPECT_EQ(t, sc.a, (unsigned long)n * SPIN_ROUNDS);
	KTEST_EXPECT_EQ(t, sc.b, (unsigned long)n * SPIN_ROUNDS);
	KTEST_EXPECT_EQ(t, atomic_read(&sc.torn), 0);
	KTEST_EXPECT_EQ(t, sc.max_inside, 1);
	KTEST_EXPECT(t, !mutex_is_locked(&sc.lock));
	for (unsigned int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kthread_stop(tasks[i]), 0);
	return;
stop:
	/* Threads never woken are stopped before they run. */
	for (unsigned int i = 0; i < n; i++)
		kthread_stop(tasks[i]);
}
