// SPDX-License-Identifier: MIT
/*
 * The vDSO's clocks: the same arithmetic as the kernel's clock_gettime (kernel/time/),
 * on the virtual counter read at EL0 and the data page. Clocks that need the kernel
 * (CPU-time clocks, unknown IDs) and a timezone request go to the system call.
 */
#include <asm/vdso/datapage.h>
#include <kairos/time.h>
#include <uapi/unistd.h>

/* Just before the text (vdso.lds.S); hidden, so reached PC-relative with no relocation. */
extern const struct vdso_data _vdso_data __attribute__((visibility("hidden")));

static long syscall2(long nr, long a0, long a1)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1) : "memory");
	return x0;
}

/*
 * CLOCK_MONOTONIC and the wall clock's offset over it, or false before the kernel filled
 * the page. The loads of the fields sit between two reads of the same even count.
 */
static bool read_clock(u64 *mono, u64 *real_offset)
{
	const volatile struct vdso_data *vd = &_vdso_data;
	u64 boot_count, ns_per_cycle, cyc;
	u32 seq, rate;

	for (;;) {
		seq = __atomic_load_n(&_vdso_data.seq, __ATOMIC_ACQUIRE);
		if (seq & 1)
			continue;
		rate = vd->rate;
		boot_count = vd->boot_count;
		ns_per_cycle = vd->ns_per_cycle;
		*real_offset = vd->real_offset;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (vd->seq == seq)
			break;
	}
	if (!rate)
		return false;
	/* As the kernel's read: not before the instructions above. */
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(cyc) :: "memory");
	*mono = arch_timer_cycles_to_ns(cyc - boot_count, rate, ns_per_cycle);
	return true;
}

/* The clocks served here, as kernel/time/ computes them; false for the others. */
static bool clock_ns(clockid_t clock, u64 *ns)
{
	u64 mono, offset;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:	/* no frequency adjustment: the monotonic clock */
	case CLOCK_BOOTTIME:		/* no suspend: the monotonic clock */
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		break;
	default:
		return false;
	}
	if (!read_clock(&mono, &offset))
		return false;
	/* The coarse clocks read the monotonic clock at the last tick. */
	if (clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE)
		mono -= mono % TICK_NSEC;
	*ns = mono;
	if (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE)
		*ns += offset;
	return true;
}

int __kernel_clock_gettime(clockid_t clock, struct __kernel_timespec *ts)
{
	u64 ns;

	if (!clock_ns(clock, &ns))
		return syscall2(__NR_clock_gettime, clock, (long)ts);
	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
	return 0;
}

int __kernel_gettimeofday(struct __kernel_old_timeval *tv, struct timezone *tz)
{
	u64 ns;

	if (tz || (tv && !clock_ns(CLOCK_REALTIME, &ns)))
		return syscall2(__NR_gettimeofday, (long)tv, (long)tz);
	if (tv) {
		tv->tv_sec = ns / NSEC_PER_SEC;
		tv->tv_usec = ns % NSEC_PER_SEC / NSEC_PER_USEC;
	}
	return 0;
}

int __kernel_clock_getres(clockid_t clock, struct __kernel_timespec *res)
{
	long long nsec;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
		nsec = 1;
		break;
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		nsec = TICK_NSEC;
		break;
	default:
		return syscall2(__NR_clock_getres, clock, (long)res);
	}
	/* A NULL res only validates the clock, as the system call does. */
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = nsec;
	}
	return 0;
}
