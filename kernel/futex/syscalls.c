// SPDX-License-Identifier: MIT
/* futex(2): decode the operation and its arguments as Linux does. */
#include <kairos/syscalls.h>
#include <kairos/time.h>

#include "futex.h"

static long do_futex(u32 __user *uaddr, int op, u32 val, const u64 *timeout,
		     u32 __user *uaddr2, u32 val2, u32 val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	unsigned int flags = 0;

	if (!(op & FUTEX_PRIVATE_FLAG))
		flags |= FLAGS_SHARED;
	if (op & FUTEX_CLOCK_REALTIME) {
		flags |= FLAGS_CLOCKRT;
		if (cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI &&
		    cmd != FUTEX_LOCK_PI2)
			return -ENOSYS;
	}
	switch (cmd) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		fallthrough;
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, flags, val, timeout, val3);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		fallthrough;
	case FUTEX_WAKE_BITSET:
		return futex_do_wake(uaddr, flags, val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, flags, uaddr2, val, val2, NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, flags, uaddr2, val, val2, &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, flags, uaddr2, val, val2, val3);
	}
	/* Priority-inheritance futexes (and the long-gone FUTEX_FD) are not implemented. */
	return -ENOSYS;
}

static bool futex_cmd_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 ||
	       cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAIT_REQUEUE_PI;
}

/*
 * The timeout of a waiting operation, as an absolute time: FUTEX_WAIT's is relative to
 * now on the monotonic clock; the others' are absolute already (on CLOCK_REALTIME with
 * FUTEX_CLOCK_REALTIME).
 */
SYSCALL_DEFINE6(futex, u32 __user *, uaddr, int, op, u32, val,
		const struct __kernel_timespec __user *, utime, u32 __user *, uaddr2, u32, val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	struct timespec64 ts;
	u64 t, *tp = NULL;

	if (utime && futex_cmd_has_timeout(cmd)) {
		if (get_timespec64(&ts, utime))
			return -EFAULT;
		if (!timespec64_valid(&ts))
			return -EINVAL;
		t = timespec64_to_ns(&ts);
		if (cmd == FUTEX_WAIT)
			t = ktime_add_safe(ktime_get_ns(), t);
		tp = &t;
	}
	/* The requeue and wake-op counts travel in the timeout argument. */
	return do_futex(uaddr, op, val, tp, uaddr2, (u32)(unsigned long)utime, val3);
}
