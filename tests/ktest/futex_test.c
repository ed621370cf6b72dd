// SPDX-License-Identifier: MIT
/*
 * Futexes through the futex(2) entry, from kernel threads sharing one user address
 * space: argument checks and Linux's errors, keys (private, shared in a private
 * mapping, shared in a shared mapping), wake counts and bitsets, requeue, wake-op's
 * operations and comparisons, timeouts on both clocks, faults (unmapped, read-only,
 * PROT_NONE, not yet faulted in), no lost wake-ups under a ping-pong, and the robust
 * list walk at exit.
 */
#include <kairos/completion.h>
#include <kairos/delay.h>
#include <kairos/kthread.h>
#include <kairos/ktest.h>
#include <kairos/mm_types.h>
#include <kairos/printk.h>
#include <kairos/time.h>
#include <uapi/futex.h>

#include "../../kernel/futex/futex.h"
#include "ksyscall.h"
#include "user_mm.h"

#define RW		(PROT_READ | PROT_WRITE)
#define P		PAGE_SIZE
#define PRIV		FUTEX_PRIVATE_FLAG
#define INT_MAX_U	0x7fffffffUL

static u32 uval(unsigned long addr)
{
	u32 v;

	return get_user(v, (u32 __user *)uptr(addr)) ? 0xdeadbeef : v;
}

static void set_uval(unsigned long addr, u32 v)
{
	put_user(v, (u32 __user *)uptr(addr));
}

/* A struct __kernel_timespec at addr. */
static void set_uts(unsigned long addr, s64 sec, long long nsec)
{
	struct __kernel_timespec ts = { sec, nsec };

	copy_to_user(uptr(addr), &ts, sizeof(ts));
}

static long futex(unsigned long addr, int op, u32 val, unsigned long utime,
		  unsigned long addr2, u32 val3)
{
	return SYS(futex, addr, (u64)op, val, utime, addr2, val3);
}

/* A thread of the test's address space making one futex call. */
struct fcall {
	struct mm_struct *mm;
	unsigned long addr, utime, addr2;
	int op;
	u32 val, val3;
	long ret;
	struct task_struct *task;
	struct completion done;
};

static int fcall_fn(void *arg)
{
	struct fcall *c = arg;

	mmget(c->mm);
	kthread_use_mm(c->mm);
	c->ret = futex(c->addr, c->op, c->val, c->utime, c->addr2, c->val3);
	leave_mm(c->mm);
	complete(&c->done);
	return 0;
}

/* Start a thread in mm calling futex(addr, op, val, utime, -, val3). */
static void fcall_start_in(struct fcall *c, struct mm_struct *mm, unsigned long addr, int op,
			   u32 val, unsigned long utime, u32 val3)
{
	c->mm = mm;
	c->addr = addr;
	c->utime = utime;
	c->addr2 = 0;
	c->op = op;
	c->val = val;
	c->val3 = val3;
	c->ret = -1000;
	init_completion(&c->done);
	c->task = kthread_create(fcall_fn, c, "ktest_futex");
	get_task_struct(c->task);
	wake_up_process(c->task);
}

static void fcall_start(struct fcall *c, unsigned long addr, int op, u32 val, u32 val3)
{
	fcall_start_in(c, current->mm, addr, op, val, 0, val3);
}

/* Whether c's thread is queued on the futex at addr (flags: FLAGS_SHARED or 0). */
static bool fcall_queued(struct fcall *c, unsigned long addr, unsigned int flags)
{
	struct futex_hash_bucket *hb;
	struct futex_key key;
	struct futex_q *q;
	bool found = false;

	if (get_futex_key((u32 __user *)uptr(addr), flags, &key, false))
		return false;
	hb = futex_hash(&key);
	spin_lock(&hb->lock);
	list_for_each_entry(q, &hb->chain, list)
		found |= q->task == c->task && futex_match(&q->key, &key);
	spin_unlock(&hb->lock);
	put_futex_key(&key);
	return found;
}

static bool wait_queued(struct fcall *c, unsigned long addr, unsigned int flags)
{
	for (int i = 0; i < 5000; i++) {
		if (fcall_queued(c, addr, flags))
			return true;
		if (completion_done(&c->done))
			break;
		msleep(1);
	}
	printk("ktest: futex waiter not queued (finished %d, result %ld)\n",
	       completion_done(&c->done), c->ret);
	return false;
}

/* Whether c finished within ms (its result then in c->ret). */
static bool fcall_finished(struct fcall *c, unsigned int ms)
{
	for (unsigned int i = 0; i < ms; i++) {
		if (completion_done(&c->done))
			return true;
		msleep(1);
	}
	return completion_done(&c->done);
}

static void fcall_end(struct fcall *c)
{
	wait_for_completion(&c->done);
	put_task_struct(c->task);
}

KTEST(futex_argument_errors)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long a, ro;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, 2 * P, RW, 0);
	ro = umap(0, P, PROT_READ, 0);
	KTEST_EXPECT(t, !IS_ERR_VALUE(a) && !IS_ERR_VALUE(ro));
	set_uval(a, 7);

	KTEST_EXPECT_EQ(t, futex(a + 2, FUTEX_WAKE, 1, 0, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, futex(a + 1, FUTEX_WAIT | PRIV, 7, 0, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAIT, 8, 0, 0, 0), -EAGAIN);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAIT_BITSET | PRIV, 7, 0, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE_BITSET, 1, 0, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE, 1, 0, 0, 0), 0);
	/* FUTEX_CLOCK_REALTIME only with the absolute waits. */
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 7, 0, 0, 0), -ENOSYS);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, 0, 0, 0), -ENOSYS);
	/* PI futexes, FUTEX_FD and unknown commands. */
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_LOCK_PI, 0, 0, 0, 0), -ENOSYS);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_UNLOCK_PI, 0, 0, 0, 0), -ENOSYS);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_FD, 0, 0, 0, 0), -ENOSYS);
	KTEST_EXPECT_EQ(t, futex(a, 14, 0, 0, 0, 0), -ENOSYS);
	/* Requeue counts travel in the timeout argument; negative ones are refused. */
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_REQUEUE, (u32)-1, 1, a + 4, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_REQUEUE, 1, 0xffffffffUL, a + 4, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_CMP_REQUEUE, 1, 1, a + 4, 6), -EAGAIN);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_CMP_REQUEUE, 1, 1, a + 4, 7), 0);

	/* Timeouts: bad pointer, bad values. */
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAIT, 7, 0x10, 0, 0), -EFAULT);
	set_uts(a + P, 0, 1000000000);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAIT, 7, a + P, 0, 0), -EINVAL);
	set_uts(a + P, -1, 0);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAIT, 7, a + P, 0, 0), -EINVAL);
	/* A wake ignores the "timeout": it is a count there. */
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE, 1, 0x10, 0, 0), 0);

	/* Faults: a private key needs no mapping, a shared one does. */
	KTEST_EXPECT_EQ(t, futex(0x1000, FUTEX_WAIT | PRIV, 0, 0, 0, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, futex(0x1000, FUTEX_WAKE | PRIV, 1, 0, 0, 0), 0);
	KTEST_EXPECT_EQ(t, futex(0x1000, FUTEX_WAKE, 1, 0, 0, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, futex(0xffff000000001000UL, FUTEX_WAKE | PRIV, 1, 0, 0, 0), -EFAULT);
	/* A shared futex in a read-only private mapping is refused, a private one is not. */
	KTEST_EXPECT_EQ(t, futex(ro, FUTEX_WAKE, 1, 0, 0, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, futex(ro, FUTEX_WAIT | PRIV, 1, 0, 0, 0), -EAGAIN);
	leave_mm(mm);
}

KTEST(futex_timeouts)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long a;
	u64 t0, now;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, P, RW, 0);
	set_uval(a, 3);

	/* FUTEX_WAIT: relative, on the monotonic clock. */
	set_uts(a + 64, 0, 20 * NSEC_PER_MSEC);
	t0 = ktime_get_ns();
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAIT | PRIV, 3, a + 64, 0, 0), -ETIMEDOUT);
	KTEST_EXPECT(t, ktime_get_ns() - t0 >= 20 * NSEC_PER_MSEC);
	/* A zero timeout fails at once, still after checking the value. */
	set_uts(a + 64, 0, 0);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAIT | PRIV, 3, a + 64, 0, 0), -ETIMEDOUT);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAIT | PRIV, 4, a + 64, 0, 0), -EAGAIN);

	/* FUTEX_WAIT_BITSET: absolute, monotonic... */
	now = ktime_get_ns() + 20 * NSEC_PER_MSEC;
	set_uts(a + 64, now / NSEC_PER_SEC, now % NSEC_PER_SEC);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAIT_BITSET | PRIV, 3, a + 64, 0, ~0U), -ETIMEDOUT);
	KTEST_EXPECT(t, ktime_get_ns() >= now);
	set_uts(a + 64, 1, 0);		/* long past */
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAIT_BITSET | PRIV, 3, a + 64, 0, ~0U), -ETIMEDOUT);
	/* ... or on CLOCK_REALTIME. */
	now = ktime_get_real_ns() + 20 * NSEC_PER_MSEC;
	set_uts(a + 64, now / NSEC_PER_SEC, now % NSEC_PER_SEC);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME | PRIV, 3, a + 64,
				 0, ~0U), -ETIMEDOUT);
	KTEST_EXPECT(t, ktime_get_real_ns() >= now);
	leave_mm(mm);
}

KTEST(futex_wake_counts_and_bitsets)
{
	struct mm_struct *mm = enter_new_mm();
	struct fcall c[4];
	unsigned long a;
	int done;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, P, RW, 0);
	set_uval(a, 1);
	for (int i = 0; i < 3; i++)
		fcall_start(&c[i], a, FUTEX_WAIT | PRIV, 1, 0);
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT(t, wait_queued(&c[i], a, 0));
	/* A shared wake does not see private waiters (another key, as in Linux). */
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE, INT_MAX_U, 0, 0, 0), 0);
	/* nr 0 still wakes one, as Linux does. */
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE | PRIV, 0, 0, 0, 0), 1);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE | PRIV, 1, 0, 0, 0), 1);
	done = 0;
	for (int i = 0; i < 3; i++)
		done += fcall_finished(&c[i], 2000);
	KTEST_EXPECT_EQ(t, done, 2);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE | PRIV, INT_MAX_U, 0, 0, 0), 1);
	for (int i = 0; i < 3; i++) {
		fcall_end(&c[i]);
		KTEST_EXPECT_EQ(t, c[i].ret, 0);
	}

	/* Bitsets: a wake reaches the waiters whose bitset shares a bit with its own. */
	fcall_start(&c[0], a, FUTEX_WAIT_BITSET | PRIV, 1, 0x1);
	fcall_start(&c[1], a, FUTEX_WAIT_BITSET | PRIV, 1, 0x6);
	fcall_start(&c[2], a, FUTEX_WAIT | PRIV, 1, 0);		/* all bits */
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT(t, wait_queued(&c[i], a, 0));
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE_BITSET | PRIV, INT_MAX_U, 0, 0, 0x8), 1);
	KTEST_EXPECT(t, fcall_finished(&c[2], 2000));
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE_BITSET | PRIV, INT_MAX_U, 0, 0, 0x4), 1);
	KTEST_EXPECT(t, fcall_finished(&c[1], 2000));
	KTEST_EXPECT(t, !completion_done(&c[0].done));
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE | PRIV, INT_MAX_U, 0, 0, 0), 1);
	for (int i = 0; i < 3; i++) {
		fcall_end(&c[i]);
		KTEST_EXPECT_EQ(t, c[i].ret, 0);
	}
	leave_mm(mm);
}

KTEST(futex_requeue_and_wake_op_wakers)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long a, b;
	struct fcall c[4];

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, P, RW, 0);
	b = a + 128;
	set_uval(a, 1);
	set_uval(b, 0);
	for (int i = 0; i < 4; i++)
		fcall_start(&c[i], a, FUTEX_WAIT, 1, 0);
	for (int i = 0; i < 4; i++)
		KTEST_EXPECT(t, wait_queued(&c[i], a, FLAGS_SHARED));
	/* Wake one, move two to b, leave one: the count is of both. */
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_CMP_REQUEUE, 1, 2, b, 1), 3);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE, INT_MAX_U, 0, 0, 0), 1);
	KTEST_EXPECT_EQ(t, futex(b, FUTEX_WAKE, INT_MAX_U, 0, 0, 0), 2);
	for (int i = 0; i < 4; i++) {
		fcall_end(&c[i]);
		KTEST_EXPECT_EQ(t, c[i].ret, 0);
	}

	/* FUTEX_WAKE_OP: one waiter of a always, of b when b's old value compares. */
	fcall_start(&c[0], a, FUTEX_WAIT | PRIV, 1, 0);
	fcall_start(&c[1], b, FUTEX_WAIT | PRIV, 0, 0);
	KTEST_EXPECT(t, wait_queued(&c[0], a, 0));
	KTEST_EXPECT(t, wait_queued(&c[1], b, 0));
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE_OP | PRIV, 1, 1, b,
				 FUTEX_OP(FUTEX_OP_SET, 5, FUTEX_OP_CMP_NE, 0)), 1);
	KTEST_EXPECT_EQ(t, uval(b), 5);
	KTEST_EXPECT(t, fcall_finished(&c[0], 2000));
	KTEST_EXPECT(t, !completion_done(&c[1].done));
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE_OP | PRIV, 1, 1, b,
				 FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 5)), 1);
	KTEST_EXPECT_EQ(t, uval(b), 6);
	for (int i = 0; i < 2; i++) {
		fcall_end(&c[i]);
		KTEST_EXPECT_EQ(t, c[i].ret, 0);
	}
	leave_mm(mm);
}

/*
 * One operation on a word holding old, with a waiter on it: the call's result (1 when
 * the comparison held and woke it) and the word's new value.
 */
static void check_op(struct ktest_ctx *t, unsigned long a, u32 old, u32 op, long want_ret,
		     u32 want_val)
{
	struct fcall c;
	long ret;

	set_uval(a + 4, old);
	fcall_start(&c, a + 4, FUTEX_WAIT | PRIV, old, 0);
	KTEST_EXPECT(t, wait_queued(&c, a + 4, 0));
	ret = futex(a, FUTEX_WAKE_OP | PRIV, 1, 1, a + 4, op);
	KTEST_EXPECT_EQ(t, ret, want_ret);
	KTEST_EXPECT_EQ(t, uval(a + 4), want_val);
	if (ret != 1)
		futex(a + 4, FUTEX_WAKE | PRIV, 1, 0, 0, 0);
	fcall_end(&c);
	KTEST_EXPECT_EQ(t, c.ret, 0);
}

KTEST(futex_wake_op_operations)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long a, ro, none, fresh;
	struct page *page;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, P, RW, 0);
	set_uval(a, 0);
	check_op(t, a, 3, FUTEX_OP(FUTEX_OP_SET, 9, FUTEX_OP_CMP_EQ, 3), 1, 9);
	check_op(t, a, 3, FUTEX_OP(FUTEX_OP_ADD, -1, FUTEX_OP_CMP_NE, 3), 0, 2);
	check_op(t, a, 0x10, FUTEX_OP(FUTEX_OP_OR, 3, FUTEX_OP_CMP_LT, 0x11), 1, 0x13);
	check_op(t, a, 0xff, FUTEX_OP(FUTEX_OP_ANDN, 0xf, FUTEX_OP_CMP_LE, 0xfe), 0, 0xf0);
	check_op(t, a, 0xff, FUTEX_OP(FUTEX_OP_XOR, 0x1, FUTEX_OP_CMP_GT, 0xfe), 1, 0xfe);
	check_op(t, a, 5, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_GE, 6), 0, 0);
	/* The comparison is signed, its argument sign-extended from 12 bits. */
	check_op(t, a, (u32)-2, FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_LT, -1), 1, 1);
	/* FUTEX_OP_OPARG_SHIFT: 1 << oparg, the shift taken modulo 32. */
	check_op(t, a, 0, FUTEX_OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 4, FUTEX_OP_CMP_EQ, 0), 1,
		 0x10);
	check_op(t, a, 0, FUTEX_OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 33, FUTEX_OP_CMP_EQ, 0),
		 1, 0x2);
	/* An unknown op touches nothing; an unknown comparison is found after the store. */
	check_op(t, a, 4, FUTEX_OP(5, 1, FUTEX_OP_CMP_EQ, 0), -ENOSYS, 4);
	check_op(t, a, 4, FUTEX_OP(FUTEX_OP_SET, 1, 6, 0), -ENOSYS, 1);

	/* Not yet faulted in: faulted in, then done. */
	fresh = umap(0, P, RW, 0);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE_OP | PRIV, 1, 1, fresh,
				 FUTEX_OP(FUTEX_OP_ADD, 7, FUTEX_OP_CMP_EQ, 0)), 0);
	KTEST_EXPECT_EQ(t, uval(fresh), 7);
	/* Read-only, unmapped, or PROT_NONE (a present page EL1 itself could write). */
	ro = umap(0, P, PROT_READ, 0);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE_OP | PRIV, 1, 1, ro,
				 FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)), -EFAULT);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE_OP | PRIV, 1, 1, 0x1000,
				 FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)), -EFAULT);
	none = umap(0, P, RW, 0);
	set_uval(none, 42);
	page = page_at(mm, none);
	KTEST_EXPECT_EQ(t, ksys_mprotect(none, P, PROT_NONE), 0);
	KTEST_EXPECT_EQ(t, futex(a, FUTEX_WAKE_OP | PRIV, 1, 1, none,
				 FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)), -EFAULT);
	KTEST_EXPECT(t, page && *(u32 *)page_address(page) == 42);
	KTEST_EXPECT_EQ(t, futex(none, FUTEX_WAIT | PRIV, 42, 0, 0, 0), -EFAULT);
	leave_mm(mm);
}

/* Two threads hand a token back and forth; a lost wake-up shows as a timeout. */
struct pingpong {
	struct fcall c;		/* for the mm and the completion */
	unsigned long addr, ts;
	u32 me, other;
	int rounds, timeouts;
};

static int pingpong_fn(void *arg)
{
	struct pingpong *pp = arg;
	u32 v;

	mmget(pp->c.mm);
	kthread_use_mm(pp->c.mm);
	for (int i = 0; i < pp->rounds && !pp->timeouts; i++) {
		while ((v = uval(pp->addr)) != pp->me) {
			if (futex(pp->addr, FUTEX_WAIT | PRIV, v, pp->ts, 0, 0) == -ETIMEDOUT) {
				pp->timeouts++;
				break;
			}
		}
		set_uval(pp->addr, pp->other);
		futex(pp->addr, FUTEX_WAKE | PRIV, 1, 0, 0, 0);
	}
	leave_mm(pp->c.mm);
	complete(&pp->c.done);
	return 0;
}

KTEST(futex_no_lost_wakeups)
{
	struct mm_struct *mm = enter_new_mm();
	struct pingpong pp[2];
	unsigned long a;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, P, RW, 0);
	set_uval(a, 0);
	set_uts(a + 64, 5, 0);
	for (int i = 0; i < 2; i++) {
		pp[i] = (struct pingpong){ .addr = a, .ts = a + 64, .me = i, .other = !i,
					   .rounds = 1000 };
		pp[i].c.mm = mm;
		init_completion(&pp[i].c.done);
		pp[i].c.task = kthread_run(pingpong_fn, &pp[i], "ktest_pingpong/%d", i);
		KTEST_EXPECT(t, !IS_ERR(pp[i].c.task));
	}
	for (int i = 0; i < 2; i++) {
		wait_for_completion(&pp[i].c.done);
		KTEST_EXPECT_EQ(t, pp[i].timeouts, 0);
	}
	leave_mm(mm);
}

KTEST(futex_keys)
{
	struct mm_struct *mm = enter_new_mm();
	struct futex_key kp, ks, kpage, kpage2;
	struct vm_area_struct *vma;
	struct page *page;
	unsigned long a, s;
	int count;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, P, RW, 0);
	s = umap(0, P, RW, 0);
	KTEST_EXPECT_EQ(t, get_futex_key((u32 __user *)uptr(a + 8), 0, &kp, false), 0);
	KTEST_EXPECT_EQ(t, get_futex_key((u32 __user *)uptr(a + 8), FLAGS_SHARED, &ks, false), 0);
	KTEST_EXPECT(t, kp.type == FUTEX_KEY_PRIVATE && kp.ptr == mm && kp.address == a + 8);
	KTEST_EXPECT(t, ks.type == FUTEX_KEY_MM_SHARED && ks.ptr == mm);
	KTEST_EXPECT(t, !futex_match(&kp, &ks));

	/* A shared mapping: the key is the page and the offset, and holds the page. */
	mmap_write_lock(mm);
	vma = find_vma(mm, s);
	vma->vm_flags |= VM_SHARED | VM_MAYSHARE;
	mmap_write_unlock(mm);
	KTEST_EXPECT_EQ(t, get_futex_key((u32 __user *)uptr(s + 12), FLAGS_SHARED, &kpage,
					 false), 0);
	page = page_at(mm, s);		/* faulted in by the look-up */
	KTEST_EXPECT(t, page != NULL);
	KTEST_EXPECT(t, kpage.type == FUTEX_KEY_PAGE && kpage.ptr == page &&
			kpage.address == 12);
	count = page_count(page);
	KTEST_EXPECT_EQ(t, get_futex_key((u32 __user *)uptr(s + 12), FLAGS_SHARED, &kpage2,
					 false), 0);
	KTEST_EXPECT(t, futex_match(&kpage, &kpage2));
	KTEST_EXPECT_EQ(t, page_count(page), count + 1);
	put_futex_key(&kpage2);
	put_futex_key(&kpage);
	KTEST_EXPECT_EQ(t, page_count(page), count - 1);
	/* Waiting and waking work on it like any other futex. */
	set_uval(s + 12, 5);
	set_uts(a + 64, 0, 1000000);
	KTEST_EXPECT_EQ(t, futex(s + 12, FUTEX_WAIT, 5, a + 64, 0, 0), -ETIMEDOUT);
	KTEST_EXPECT_EQ(t, page_count(page), count - 1);
	leave_mm(mm);
}

/* A robust lock in user memory: its list entry, then the futex word 8 bytes on. */
#define LOCK_WORD	8

KTEST(futex_robust_list_at_exit)
{
	struct mm_struct *mm = enter_new_mm();
	unsigned long a, head, l1, l2, l3, pend;
	void __user *saved = current->robust_list;
	struct fcall c;
	u32 tid = current->pid;

	if (!mm)
		return ktest_skip(t, "no memory");
	a = umap(0, P, RW, 0);
	head = a;
	l1 = a + 64;
	l2 = a + 128;
	l3 = a + 192;
	pend = a + 256;
	/* head -> l1 -> l2 -> l3 -> head; pending: pend. */
	put_user(l1, (unsigned long __user *)uptr(head));
	put_user((long)LOCK_WORD, (long __user *)uptr(head + 8));
	put_user(pend, (unsigned long __user *)uptr(head + 16));
	put_user(l2, (unsigned long __user *)uptr(l1));
	put_user(l3, (unsigned long __user *)uptr(l2));
	put_user(head, (unsigned long __user *)uptr(l3));
	set_uval(l1 + LOCK_WORD, tid | FUTEX_WAITERS);	/* ours, with a waiter */
	set_uval(l2 + LOCK_WORD, tid + 1);		/* someone else's */
	set_uval(l3 + LOCK_WORD, tid);			/* ours, nobody waiting */
	set_uval(pend + LOCK_WORD, 0);			/* being taken: no owner yet */

	/* Robust waiters wait on shared futexes. */
	fcall_start(&c, l1 + LOCK_WORD, FUTEX_WAIT, tid | FUTEX_WAITERS, 0);
	KTEST_EXPECT(t, wait_queued(&c, l1 + LOCK_WORD, FLAGS_SHARED));
	current->robust_list = uptr(head);
	exit_robust_list(current);
	KTEST_EXPECT_EQ(t, uval(l1 + LOCK_WORD), FUTEX_WAITERS | FUTEX_OWNER_DIED);
	KTEST_EXPECT_EQ(t, uval(l2 + LOCK_WORD), tid + 1);
	KTEST_EXPECT_EQ(t, uval(l3 + LOCK_WORD), FUTEX_OWNER_DIED);
	KTEST_EXPECT_EQ(t, uval(pend + LOCK_WORD), 0);
	fcall_end(&c);
	KTEST_EXPECT_EQ(t, c.ret, 0);

	/* A list that never returns to its head, or leads nowhere: the walk just stops. */
	put_user(l1, (unsigned long __user *)uptr(l1));
	put_user(0UL, (unsigned long __user *)uptr(head + 16));
	set_uval(l1 + LOCK_WORD, tid);
	exit_robust_list(current);
	KTEST_EXPECT_EQ(t, uval(l1 + LOCK_WORD), FUTEX_OWNER_DIED);
	put_user(0x1000UL, (unsigned long __user *)uptr(l1));
	exit_robust_list(current);
	current->robust_list = uptr(0x1000);
	exit_robust_list(current);
	current->robust_list = saved;
	leave_mm(mm);
}

/*
 * A shared futex in MAP_SHARED memory is the same futex in every mm that maps the page:
 * a waiter in a fork's copy of the address space is woken from the original.
 */
KTEST(futex_shared_across_mms)
{
	struct mm_struct *mm = enter_new_mm(), *child;
	struct fcall c;
	unsigned long s;

	if (!mm)
		return ktest_skip(t, "no memory");
	s = ksys_mmap_pgoff(0, P, RW, MAP_SHARED | MAP_ANONYMOUS, -1UL, 0);
	if (IS_ERR_VALUE(s)) {
		leave_mm(mm);
		return ktest_skip(t, "no MAP_SHARED anonymous memory");
	}
	set_uval(s + 8, 1);
	child = dup_mm(mm);
	KTEST_EXPECT(t, child != NULL);
	if (!child) {
		leave_mm(mm);
		return;
	}
	/* The waiter runs in the copy; we look for it and wake it from the original. It
	 * gives up after 10 s, so that a failure cannot hang the test. */
	copy_to_user(uptr(s + 64), &(struct __kernel_timespec){ 10, 0 },
		     sizeof(struct __kernel_timespec));
	fcall_start_in(&c, child, s + 8, FUTEX_WAIT, 1, s + 64, 0);
	KTEST_EXPECT(t, wait_queued(&c, s + 8, FLAGS_SHARED));
	KTEST_EXPECT_EQ(t, futex(s + 8, FUTEX_WAKE | PRIV, 1, 0, 0, 0), 0);
	KTEST_EXPECT_EQ(t, futex(s + 8, FUTEX_WAKE, 1, 0, 0, 0), 1);
	fcall_end(&c);
	KTEST_EXPECT_EQ(t, c.ret, 0);
	mmput(child);
	leave_mm(mm);
}
