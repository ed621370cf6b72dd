# `make test`: host unit tests, the kernel's own tests in QEMU at several CPU counts and
# entry levels, boots that must end in a well-formed oops, and boots from a broken device
# tree that must end in a panic naming what is wrong. tools/run-tests runs the suites one
# after another and ends with "N passed, N failed".

KTEST_RUN := --kernel $(KERNEL_IMAGE)
EL2_MACHINE := --machine virt,gic-version=3,virtualization=on

# Device trees with a node missing or broken, made from QEMU's own: each must end the
# boot in a panic that names the node. QEMU rewrites /memory and /psci in a -dtb it is
# given, so those two cannot be tested this way.
DT_DIR := $(BUILD)/dt
DT_EDIT_no-timer := --delete-node arm,armv8-timer
DT_EDIT_timer-no-irq := --delete-prop arm,armv8-timer interrupts
DT_EDIT_no-gic := --delete-node arm,gic-v3
DT_EDIT_gic-no-reg := --delete-prop arm,gic-v3 reg
DT_EDIT_cpu-no-reg := --delete-prop arm,cortex-a72 reg
DT_VARIANTS := no-timer timer-no-irq no-gic gic-no-reg cpu-no-reg
DT_DTBS := $(DT_VARIANTS:%=$(DT_DIR)/%.dtb)

# The DTB is dumped for the machine the suites boot (--smp 2, ktest-run's 512M).
$(DT_DIR)/virt.dts: tests/tests.mk
	@mkdir -p $(DT_DIR)
	$(QEMU) -M virt,gic-version=3,dumpdtb=$(DT_DIR)/virt.dtb -cpu cortex-a72 -smp 2 -m 512M \
		-nographic > /dev/null
	dtc -q -I dtb -O dts -o $@ $(DT_DIR)/virt.dtb

$(DT_DTBS): $(DT_DIR)/%.dtb: $(DT_DIR)/virt.dts tests/dt/dts-edit.py
	$(PYTHON) tests/dt/dts-edit.py $(DT_EDIT_$*) $< $(DT_DIR)/$*.dts
	dtc -q -I dts -O dtb -o $@ $(DT_DIR)/$*.dts

.PHONY: test-dtbs
test-dtbs: $(DT_DTBS)

DT_RUN := $(KTEST_RUN) --smp 2 --timeout 60

KERNEL_SUITES := \
	'kernel:smp1:$(KTEST_RUN) --smp 1' \
	'kernel:smp2:$(KTEST_RUN) --smp 2' \
	'kernel:smp2-nohz-off:$(KTEST_RUN) --smp 2 --append "ktest=nohz_off_every_cpu_ticks,tick_on_every_busy_cpu,sched_softirq_runs_on_every_busy_cpu,balance_spreads_hogs_from_one_cpu,cputime_idle_time_while_sleeping nohz=off"' \
	'kernel:smp4:$(KTEST_RUN) --smp 4' \
	'kernel:smp8:$(KTEST_RUN) --smp 8 --timeout 600' \
	'kernel:el2-smp2:$(KTEST_RUN) --smp 2 $(EL2_MACHINE)' \
	'kernel:smp64-boot:$(KTEST_RUN) --smp 64 --append ktest=all_cpus_online --timeout 300' \
	'kernel:kbench-smoke:$(KTEST_RUN) --smp 2 --append bench=all --timeout 300' \
	'kernel:oops-unmapped:$(KTEST_RUN) --smp 2 --append ktest=oops_unmapped --expect-oops --expect-function ktest_oops_unmapped' \
	'kernel:oops-bug:$(KTEST_RUN) --smp 2 --append ktest=oops_spinlock_recursion --expect-oops --expect-function ktest_oops_spinlock_recursion' \
	'kernel:oops-stack-overflow:$(KTEST_RUN) --smp 2 --append ktest=oops_stack_overflow --expect-oops --expect-function overflow_on_this_cpu' \
	'kernel:oops-foreign-unlock:$(KTEST_RUN) --smp 2 --append ktest=oops_spinlock_foreign_unlock --expect-oops --expect-function do_raw_spin_unlock' \
	'kernel:dt-no-timer:$(DT_RUN) --dtb $(DT_DIR)/no-timer.dtb --expect-panic "no node compatible with \"arm,armv8-timer\""' \
	'kernel:dt-timer-no-irq:$(DT_RUN) --dtb $(DT_DIR)/timer-no-irq.dtb --expect-panic "arm,armv8-timer has no virtual timer interrupt"' \
	'kernel:dt-no-gic:$(DT_RUN) --dtb $(DT_DIR)/no-gic.dtb --expect-panic "no node compatible with \"arm,gic-v3\""' \
	'kernel:dt-gic-no-reg:$(DT_RUN) --dtb $(DT_DIR)/gic-no-reg.dtb --expect-panic "arm,gic-v3 has no distributor reg"' \
	'kernel:dt-cpu-no-reg:$(DT_RUN) --dtb $(DT_DIR)/cpu-no-reg.dtb --expect-panic "cpu node cpu@[0-9]+ has no reg"'

test-all: $(KERNEL_IMAGE) host-tests test-dtbs $(SCHEDSIM_ASAN) $(USER_TEST_DEPS)
	@$(PYTHON) tools/run-tests $(foreach b,$(HOST_TEST_BINS),host:$(b)) $(SCHEDSIM_SUITES) \
		$(KERNEL_SUITES) $(USER_SUITES)

# `make bench` (docs/performance.md): the user-space benchmarks (user/bench/) on Kairos and
# on Debian's Linux in the same QEMU, BENCH_ROUNDS boots of each, alternating, then the
# smallest -m each runs them at; and the in-kernel micro-benchmarks (tests/kbench/),
# BENCH_RUNS boots. One report: build/bench/report.md and report.json.
#   ICOUNT=1       both kernels under -icount shift=$(ICOUNT_SHIFT),sleep=off: instruction
#                  counts that the host's load does not change (no in-kernel ones then)
#   LINUX_KASLR=1  Linux as Debian boots it (KASLR, so page-table isolation) as well
#   BENCH_MINMEM=0 skip the bisection of -m
BENCH_RUNS ?= 3
BENCH_ROUNDS ?= 4
BENCH_MINMEM ?= 1
ICOUNT ?=
ICOUNT_SHIFT ?= 0
BENCH_DIR := $(BUILD)/bench
BENCH_RUN_ARGS := --rounds $(BENCH_ROUNDS) --out $(BENCH_DIR)/user.json \
	$(if $(filter 1,$(BENCH_MINMEM)),--min-mem) $(if $(ICOUNT),--icount $(ICOUNT_SHIFT)) \
	$(if $(LINUX_KASLR),--linux-kaslr)
.PHONY: bench bench-all
bench:
	@scripts/setup.sh
	@$(MAKE) --no-print-directory bench-all

bench-all: $(KERNEL_IMAGE) $(LINUX_IMAGE) $(BENCH_INITRAMFS)
	@rm -rf $(BENCH_DIR) && mkdir -p $(BENCH_DIR)
	@$(if $(ICOUNT),true,for i in $$(seq $(BENCH_RUNS)); do \
		$(PYTHON) tools/ktest-run $(KTEST_RUN) --smp 2 --append bench=all --timeout 300 \
			--name bench-$$i --log $(BENCH_DIR)/kernel-$$i.log > /dev/null || exit 1; \
		$(PYTHON) tools/ktest-run $(KTEST_RUN) --smp 64 --append bench=load_balance_pass \
			--timeout 300 --name bench64-$$i --log $(BENCH_DIR)/kernel-smp64-$$i.log \
			> /dev/null || exit 1; \
	done)
	@$(PYTHON) tools/bench-run $(BENCH_RUN_ARGS); status=$$?; \
	$(PYTHON) tools/bench-report $(BENCH_DIR) --user $(BENCH_DIR)/user.json \
		$$(ls $(BENCH_DIR)/kernel-*.log 2> /dev/null) && exit $$status

# ---- fs: the test initramfs (begin) ---------------------------------------------------
# tests/fs/mkinitramfs-test.py turns tests/fs/initramfs-test/ into cpio archives (newc,
# crc, gzip'd newc) and a manifest of what unpacking them must give. The kernel embeds
# the newc ones and the manifest (tests/ktest/initramfs_blob.S); one suite also boots
# with the gzip'd archive as the boot loader's initrd; test_cpio reads all three.
TEST_INITRAMFS_STAMP := $(BUILD)/test-initramfs.stamp
TEST_INITRAMFS_BLOB := $(BUILD)/k/tests/ktest/initramfs_blob.S.o

$(TEST_INITRAMFS_STAMP): tests/fs/mkinitramfs-test.py $(shell find tests/fs/initramfs-test)
	@mkdir -p $(BUILD)
	$(PYTHON) tests/fs/mkinitramfs-test.py tests/fs/initramfs-test $(BUILD)
	@touch $@

$(TEST_INITRAMFS_BLOB): $(TEST_INITRAMFS_STAMP)
$(TEST_INITRAMFS_BLOB): KASFLAGS += -DTEST_INITRAMFS_CPIO='"$(BUILD)/test-initramfs.cpio"' \
	-DTEST_INITRAMFS_GZ='"$(BUILD)/test-initramfs.cpio.gz"' \
	-DTEST_INITRAMFS_MANIFEST='"$(BUILD)/test-initramfs.manifest"'

KERNEL_SUITES += \
	'kernel:initramfs-boot:$(KTEST_RUN) --smp 2 --initrd $(BUILD)/test-initramfs.cpio.gz --append ktest=initramfs_from_bootloader'
# ---- fs: the test initramfs (end) -----------------------------------------------------

# ---- user: the user-space test tools, on the host (begin) ----------------------------
# tools/newc.py, tools/mkinitramfs and utest-run's reading of the test driver's console,
# without QEMU. The user-space tests themselves are not in `make test` until Kairos runs
# user programs (docs/testing.md).
KERNEL_SUITES += 'host:tests/tools/test_utest.py'
# ---- user (end) -----------------------------------------------------------------------
