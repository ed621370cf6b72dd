/* SPDX-License-Identifier: MIT */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <kairos/config.h>
#include <kairos/types.h>

enum ipi_msg_type {
	IPI_RESCHEDULE,
	IPI_CALL_FUNC,
	IPI_CPU_STOP,
	NR_IPI
};

/* MPIDR_EL1 affinity of each logical CPU; logical CPU 0 is the one we booted on. */
extern u64 __cpu_logical_map[NR_CPUS];
#define cpu_logical_map(cpu)	__cpu_logical_map[cpu]
#define MPIDR_HWID_MASK		0xff00ffffffUL

/* What a starting secondary CPU picks up in head.S (offsets are used there). */
struct secondary_data {
	u64 stack_top;
	u64 per_cpu_offset;
	void *task;
};
extern struct secondary_data secondary_data;

void smp_init_cpus(void);		/* read the CPUs from the device tree */
void smp_init(void);			/* bring the secondaries online */
void arch_send_call_function_ipi(unsigned int cpu);
unsigned long ipi_count(unsigned int cpu, enum ipi_msg_type ipi);
void generic_smp_call_function_interrupt(void);
void call_function_init(void);

#endif
