// SPDX-License-Identifier: MIT
/*
 * The PID allocator on a private namespace below the root (the tests run in PID 1, whose
 * children may go there): one number per level, the cyclic search that wraps at pid_max
 * to RESERVED_PIDS, set_tid's rules, lookups from either level, and a namespace whose
 * first process failed taking nobody any more.
 */
#include <kairos/err.h>
#include <kairos/ktest.h>
#include <kairos/pid.h>
#include <kairos/sched.h>
#include <uapi/errno.h>
#include <uapi/sched.h>

#define REQUIRE(t, cond) do { KTEST_EXPECT(t, cond); if (!(cond)) return; } while (0)

static void free_one(struct pid *pid)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	free_pid(pid);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

static void set_last_pid(struct pid_namespace *ns, int nr)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	ns->last_pid = nr;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

KTEST(pid_alloc_levels_and_wrap)
{
	struct pid_namespace *ns = copy_pid_ns(CLONE_NEWPID, &init_pid_ns);
	struct pid *first, *a, *b, *c, *d;
	int tid;

	REQUIRE(t, !IS_ERR(ns));
	KTEST_EXPECT_EQ(t, ns->level, 1);
	/* Nothing but init may be asked for before there is one. */
	tid = 2;
	KTEST_EXPECT_EQ(t, PTR_ERR(alloc_pid(ns, &tid, 1)), -EINVAL);
	first = alloc_pid(ns, NULL, 0);
	REQUIRE(t, !IS_ERR(first));
	/* Its init, as far as set_tid is concerned (copy_process would link a task). */
	ns->child_reaper = current;
	KTEST_EXPECT_EQ(t, first->level, 1);
	KTEST_EXPECT_EQ(t, pid_nr_ns(first, ns), 1);
	KTEST_EXPECT(t, pid_nr(first) > 1);
	KTEST_EXPECT(t, find_pid_ns(1, ns) == first);
	KTEST_EXPECT(t, find_pid_ns(pid_nr(first), &init_pid_ns) == first);
	KTEST_EXPECT(t, ns_of_pid(first) == ns);
	/* A namespace the pid is not in sees 0. */
	KTEST_EXPECT_EQ(t, pid_nr_ns(&init_struct_pid, ns), 0);

	/* The last two numbers below pid_max, then round to RESERVED_PIDS. */
	set_last_pid(ns, pid_max - 3);
	a = alloc_pid(ns, NULL, 0);
	b = alloc_pid(ns, NULL, 0);
	c = alloc_pid(ns, NULL, 0);
	REQUIRE(t, !IS_ERR(a) && !IS_ERR(b) && !IS_ERR(c));
	KTEST_EXPECT_EQ(t, pid_nr_ns(a, ns), pid_max - 2);
	KTEST_EXPECT_EQ(t, pid_nr_ns(b, ns), pid_max - 1);
	KTEST_EXPECT_EQ(t, pid_nr_ns(c, ns), RESERVED_PIDS);
	/* Taken numbers are skipped on the way round; a freed one comes back. */
	set_last_pid(ns, pid_max - 3);
	d = alloc_pid(ns, NULL, 0);
	REQUIRE(t, !IS_ERR(d));
	KTEST_EXPECT_EQ(t, pid_nr_ns(d, ns), RESERVED_PIDS + 1);
	free_one(c);
	KTEST_EXPECT(t, find_pid_ns(RESERVED_PIDS, ns) == NULL);
	set_last_pid(ns, pid_max - 1);
	c = alloc_pid(ns, NULL, 0);
	REQUIRE(t, !IS_ERR(c));
	KTEST_EXPECT_EQ(t, pid_nr_ns(c, ns), RESERVED_PIDS);

	/* set_tid: taken, out of range, more numbers than levels, then a free pair. */
	tid = RESERVED_PIDS + 1;
	KTEST_EXPECT_EQ(t, PTR_ERR(alloc_pid(ns, &tid, 1)), -EEXIST);
	tid = pid_max;
	KTEST_EXPECT_EQ(t, PTR_ERR(alloc_pid(ns, &tid, 1)), -EINVAL);
	{
		int three[3] = { 1000, 1001, 1002 }, two[2] = { 1000, 0 };

		KTEST_EXPECT_EQ(t, PTR_ERR(alloc_pid(ns, three, 3)), -EINVAL);
		two[1] = pid_nr(d);	/* taken at the root level */
		KTEST_EXPECT_EQ(t, PTR_ERR(alloc_pid(ns, two, 2)), -EEXIST);
		/* The failure gave 1000 back here. */
		KTEST_EXPECT(t, !test_bit(1000, ns->pidmap));
	}
	KTEST_EXPECT_EQ(t, ns->pid_allocated, PIDNS_ADDING | 5);

	free_one(a);
	free_one(b);
	free_one(c);
	free_one(d);
	KTEST_EXPECT(t, find_pid_ns(pid_max - 2, ns) == NULL);
	/* The namespace's end (zap_pid_ns_processes) closes it to newcomers. */
	ns->pid_allocated &= ~PIDNS_ADDING;
	KTEST_EXPECT_EQ(t, PTR_ERR(alloc_pid(ns, NULL, 0)), -ENOMEM);
	free_one(first);
	KTEST_EXPECT_EQ(t, ns->pid_allocated, 0);
	put_pid_ns(ns);
}

/* The first process of a namespace failed to be born: nobody else may enter, as Linux. */
KTEST(pid_ns_first_fork_failed)
{
	struct pid_namespace *ns = copy_pid_ns(CLONE_NEWPID, &init_pid_ns);
	struct pid *first;

	REQUIRE(t, !IS_ERR(ns));
	first = alloc_pid(ns, NULL, 0);
	REQUIRE(t, !IS_ERR(first));
	free_one(first);
	KTEST_EXPECT_EQ(t, ns->pid_allocated, 0);
	KTEST_EXPECT_EQ(t, PTR_ERR(alloc_pid(ns, NULL, 0)), -ENOMEM);
	put_pid_ns(ns);
}
