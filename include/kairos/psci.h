/* SPDX-License-Identifier: MIT */
/* The Power State Coordination Interface: firmware calls to start CPUs and power off. */
#ifndef KAIROS_PSCI_H
#define KAIROS_PSCI_H

#include <kairos/compiler.h>
#include <kairos/types.h>

void psci_init(void);
int psci_cpu_on(u64 mpidr, phys_addr_t entry, u64 context);
void __noreturn psci_system_off(void);
void __noreturn psci_system_reset(void);

#endif
