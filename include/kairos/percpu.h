/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU variables. DEFINE_PER_CPU puts the variable in .data..percpu, a template that
 * setup_per_cpu_areas() copies once per CPU; each CPU keeps its offset from the template to
 * its copy where asm/percpu.h says (0, the template itself, until the copies exist).
 */
#ifndef KAIROS_PERCPU_H
#define KAIROS_PERCPU_H

#include <asm/percpu.h>
#include <kairos/compiler.h>
#include <kairos/config.h>
#include <kairos/types.h>

#define DEFINE_PER_CPU(type, name) \
	__section(PER_CPU_SECTION) __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name

extern unsigned long __per_cpu_offset[NR_CPUS];

#define SHIFT_PERCPU_PTR(ptr, off) \
	((__typeof__(ptr))((unsigned long)(ptr) + (off)))
#define per_cpu_ptr(ptr, cpu)	SHIFT_PERCPU_PTR(ptr, __per_cpu_offset[cpu])
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), cpu))
/* Callers keep preemption (or IRQs) off while they use the pointer. */
#define this_cpu_ptr(ptr)	SHIFT_PERCPU_PTR(ptr, __my_cpu_offset())
#define this_cpu_read(var)	(*this_cpu_ptr(&(var)))
#define this_cpu_write(var, v)	(*this_cpu_ptr(&(var)) = (v))

void setup_per_cpu_areas(void);

#endif
