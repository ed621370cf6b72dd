/* SPDX-License-Identifier: MIT */
/*
 * schedsim: per-CPU data. The section has a C-identifier name so that the host linker
 * provides __start_sim_percpu/__stop_sim_percpu; the simulator copies it once per CPU.
 * "This CPU" is the simulated CPU whose code the host is executing.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#define PER_CPU_SECTION	"sim_percpu"

extern unsigned long __per_cpu_offset[];
extern unsigned int sim_cpu_id;

static inline unsigned long __my_cpu_offset(void)
{
	return __per_cpu_offset[sim_cpu_id];
}

#endif
