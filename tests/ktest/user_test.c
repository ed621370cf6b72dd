// SPDX-License-Identifier: MIT
/*
 * Per-user accounting (kernel/user.c, kernel/cred.c): one user_struct per uid, shared and
 * freed by reference; a change of real uid moves the task's count from one user to the
 * other (fork and reaping are checked from user space: rlimit_enforce).
 */
#include <kairos/cred.h>
#include <kairos/ktest.h>
#include <kairos/sched.h>

#define KT_UID	424242

KTEST(user_alloc_uid_shares_one_per_uid)
{
	struct user_struct *a = alloc_uid(KT_UID), *b = alloc_uid(KT_UID);
	struct user_struct *other = alloc_uid(KT_UID + 1), *root = alloc_uid(0);

	if (!a || !b || !other || !root)
		return ktest_skip(t, "no memory");
	KTEST_EXPECT(t, a == b);
	KTEST_EXPECT(t, a != other);
	KTEST_EXPECT(t, root == INIT_USER);
	KTEST_EXPECT_EQ(t, a->uid, KT_UID);
	KTEST_EXPECT_EQ(t, atomic_read(&a->__count), 2);
	KTEST_EXPECT_EQ(t, atomic_read(&a->processes), 0);
	free_uid(b);
	KTEST_EXPECT_EQ(t, atomic_read(&a->__count), 1);
	free_uid(a);
	free_uid(other);
	free_uid(root);
	/* Gone with its last reference: a new one starts from scratch. */
	a = alloc_uid(KT_UID);
	KTEST_EXPECT(t, a && atomic_read(&a->__count) == 1);
	if (a)
		free_uid(a);
}

KTEST(user_commit_creds_moves_the_count)
{
	struct cred saved = current->cred, new = saved;
	struct user_struct *root = current_cred()->user;
	int root_before = atomic_read(&root->processes);

	new.uid = new.euid = new.suid = new.fsuid = KT_UID;
	KTEST_EXPECT_EQ(t, commit_creds(&new), 0);
	KTEST_EXPECT(t, current_cred()->user != root);
	KTEST_EXPECT_EQ(t, current_cred()->user->uid, KT_UID);
	KTEST_EXPECT_EQ(t, atomic_read(&current_cred()->user->processes), 1);
	KTEST_EXPECT_EQ(t, atomic_read(&root->processes), root_before - 1);
	KTEST_EXPECT(t, !(current->flags & PF_NPROC_EXCEEDED));
	KTEST_EXPECT_EQ(t, commit_creds(&saved), 0);
	KTEST_EXPECT(t, current_cred()->user == root);
	KTEST_EXPECT_EQ(t, atomic_read(&root->processes), root_before);
}
