/* SPDX-License-Identifier: MIT */
/* schedsim: current is the task the executing simulated CPU runs (its __switch_to says). */
#ifndef ASM_CURRENT_H
#define ASM_CURRENT_H

struct task_struct;

extern struct task_struct *sim_current[];
extern unsigned int sim_cpu_id;

static inline struct task_struct *get_current(void)
{
	return sim_current[sim_cpu_id];
}
#define current get_current()

#endif
