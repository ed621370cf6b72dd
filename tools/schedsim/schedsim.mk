# SPDX-License-Identifier: MIT
#
# schedsim: the kernel's scheduler, unchanged, on a simulated machine (tools/schedsim/README.md).
# Included by the top-level Makefile, which sets BUILD, HOSTCC and PYTHON.
#
#   make schedsim                      build $(SCHEDSIM) (-O2) and $(SCHEDSIM_ASAN) (sanitizers)
#   make sim W=tests/sched/foo.sim     run one workload (TRACE=file, CHROME=file optional)
#   make sim-tests                     run every tests/sched/*.sim through tools/run-tests
#
# SCHEDSIM_SUITES lists the run-tests specs (sim:BINARY:WORKLOAD), one per workload, run
# with the sanitizer build.

BUILD ?= build
HOSTCC ?= gcc
PYTHON ?= /usr/bin/python3

SCHEDSIM_OUT := $(BUILD)/schedsim
SCHEDSIM := $(SCHEDSIM_OUT)/schedsim
SCHEDSIM_ASAN := $(SCHEDSIM_OUT)/schedsim-asan

# The scheduler and what it stands on, compiled exactly as in the kernel, against the
# headers in tools/schedsim/include/asm/ where the kernel would see arch/arm64's.
# All of kernel/sched/: policy only, by design (../shared/DESIGN.md). Tasks come from
# tools/schedsim/task.c: the kernel's fork, exit and pid make user processes.
# debug.c is /proc's text view of the queues (seq_file), not policy: the kernel's alone.
SCHEDSIM_KERNEL_SRCS := $(sort $(filter-out kernel/sched/debug.c,$(wildcard kernel/sched/*.c))) \
	kernel/stop_machine.c kernel/smpboot.c kernel/kthread.c kernel/softirq.c \
	kernel/locking/spinlock.c kernel/locking/mutex.c \
	kernel/time/hrtimer.c kernel/time/timer.c kernel/time/tick-sched.c \
	kernel/time/sched_clock.c kernel/time/sleep.c \
	lib/rbtree.c lib/bitmap.c lib/string.c lib/vsprintf.c
SCHEDSIM_TOOL_SRCS := $(wildcard tools/schedsim/*.c)
SCHEDSIM_SRCS := $(SCHEDSIM_KERNEL_SRCS) $(SCHEDSIM_TOOL_SRCS)

# Hidden: a kernel function named like a C library one (sched_yield) must not replace it
# for the C library's and the sanitizer runtimes' own calls.
SCHEDSIM_CFLAGS := -std=gnu11 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fno-strict-aliasing -fno-common -fvisibility=hidden -D__KAIROS_HOST__ \
	-Itools/schedsim/include -Iinclude -Iarch/arm64/include -MMD -MP
# Kernel code calls lib/'s memset, snprintf, ...: renamed so as not to replace the C library's.
SCHEDSIM_KERNEL_FLAGS := -include tests/host/host_prefix.h
SCHEDSIM_O2_FLAGS := -O2
SCHEDSIM_ASAN_FLAGS := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

SCHEDSIM_O2_OBJS := $(SCHEDSIM_SRCS:%.c=$(SCHEDSIM_OUT)/o2/%.o)
SCHEDSIM_ASAN_OBJS := $(SCHEDSIM_SRCS:%.c=$(SCHEDSIM_OUT)/asan/%.o)

SCHEDSIM_WORKLOADS := $(sort $(wildcard tests/sched/*.sim))
SCHEDSIM_SUITES := $(SCHEDSIM_WORKLOADS:%=sim:$(SCHEDSIM_ASAN):%)

schedsim_saved_goal := $(.DEFAULT_GOAL)

.PHONY: schedsim sim sim-tests
schedsim: $(SCHEDSIM) $(SCHEDSIM_ASAN)

schedsim_flags = $(SCHEDSIM_CFLAGS) $(if $(filter tools/%,$<),,$(SCHEDSIM_KERNEL_FLAGS))

$(SCHEDSIM_OUT)/o2/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(schedsim_flags) $(SCHEDSIM_O2_FLAGS) -c $< -o $@

$(SCHEDSIM_OUT)/asan/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(schedsim_flags) $(SCHEDSIM_ASAN_FLAGS) -c $< -o $@

$(SCHEDSIM): $(SCHEDSIM_O2_OBJS)
	$(HOSTCC) $^ -o $@

$(SCHEDSIM_ASAN): $(SCHEDSIM_ASAN_OBJS)
	$(HOSTCC) -fsanitize=address,undefined $^ -o $@

sim: $(SCHEDSIM)
	@test -n "$(W)" || { echo "usage: make sim W=tests/sched/foo.sim [TRACE=f] [CHROME=f]"; exit 2; }
	$(SCHEDSIM) $(if $(TRACE),--trace $(TRACE)) $(if $(CHROME),--chrome $(CHROME)) $(W)

sim-tests: $(SCHEDSIM_ASAN)
	@$(PYTHON) tools/run-tests -j $(shell nproc) $(SCHEDSIM_SUITES)

-include $(SCHEDSIM_O2_OBJS:.o=.d) $(SCHEDSIM_ASAN_OBJS:.o=.d)

.DEFAULT_GOAL := $(schedsim_saved_goal)
