/* SPDX-License-Identifier: MIT */
/* Host stand-in: one fake task whose thread_info carries the preempt count. */
#ifndef ASM_CURRENT_H
#define ASM_CURRENT_H

struct task_struct;
struct thread_info;

extern struct thread_info host_thread_info;

static inline struct task_struct *get_current(void)
{
	return (struct task_struct *)&host_thread_info;
}
#define current get_current()

#endif
