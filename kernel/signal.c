// SPDX-License-Identifier: MIT
/*
 * Signals. For now only what the entry code needs: a fault user space cannot recover
 * from ends the process. Delivery, handlers and job control follow.
 */
#include <kairos/sched.h>
#include <kairos/signal.h>

void force_sig(int sig)
{
	do_exit(sig);
}

void force_sig_fault(int sig, int code __maybe_unused, void __user *addr __maybe_unused)
{
	force_sig(sig);
}

void do_signal(struct pt_regs *regs __maybe_unused)
{
}
