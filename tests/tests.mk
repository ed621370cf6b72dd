# `make test`: host unit tests, the kernel's own tests in QEMU at several CPU counts and
# entry levels, and boots that must end in a well-formed oops. tools/run-tests runs the
# suites one after another and ends with "N passed, N failed".

KTEST_RUN := --kernel $(KERNEL_IMAGE)
EL2_MACHINE := --machine virt,gic-version=3,virtualization=on

KERNEL_SUITES := \
	'kernel:smp1:$(KTEST_RUN) --smp 1' \
	'kernel:smp2:$(KTEST_RUN) --smp 2' \
	'kernel:smp4:$(KTEST_RUN) --smp 4' \
	'kernel:el2-smp2:$(KTEST_RUN) --smp 2 $(EL2_MACHINE)' \
	'kernel:smp64-boot:$(KTEST_RUN) --smp 64 --append ktest=all_cpus_online --timeout 300' \
	'kernel:oops-unmapped:$(KTEST_RUN) --smp 2 --append ktest=oops_unmapped --expect-oops --expect-function ktest_oops_unmapped' \
	'kernel:oops-bug:$(KTEST_RUN) --smp 2 --append ktest=oops_spinlock_recursion --expect-oops --expect-function ktest_oops_spinlock_recursion' \
	'kernel:oops-stack-overflow:$(KTEST_RUN) --smp 2 --append ktest=oops_stack_overflow --expect-oops --expect-function overflow_on_this_cpu'

test-all: $(KERNEL_IMAGE) host-tests
	@$(PYTHON) tools/run-tests $(foreach b,$(HOST_TEST_BINS),host:$(b)) $(KERNEL_SUITES)
