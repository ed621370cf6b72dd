/* SPDX-License-Identifier: MIT */
/*
 * What a task moved through read- and write-type system calls (/proc/PID/io): bytes
 * and calls. Kept per task, folded into its signal_struct when it is released, and from
 * there into the parent's when it is reaped, as Linux does. Only the task itself
 * changes its own counts; readers in other tasks may see them a little behind.
 */
#ifndef KAIROS_TASK_IO_ACCOUNTING_H
#define KAIROS_TASK_IO_ACCOUNTING_H

#include <kairos/types.h>

struct task_io_accounting {
	u64 rchar;	/* bytes read */
	u64 wchar;	/* bytes written */
	u64 syscr;	/* read calls */
	u64 syscw;	/* write calls */
};

static inline void task_io_accounting_add(struct task_io_accounting *dst,
					  const struct task_io_accounting *src)
{
	dst->rchar += src->rchar;
	dst->wchar += src->wchar;
	dst->syscr += src->syscr;
	dst->syscw += src->syscw;
}

#endif
