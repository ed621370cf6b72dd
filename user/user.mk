# User space for the user-space tests (docs/testing.md, "User-space tests").
#
# Linux arm64 programs, static, built with the cross compiler: user/tests/NAME.c ->
# build/user/tests/NAME, user/bench/NAME.c -> build/user/bench/NAME, and the test
# driver user/utest-driver.c. Tests named dyn_*.c are linked dynamically instead, against
# the cross toolchain's glibc; they run on Debian's (the same 2.36) in the initramfs.
# Debian's busybox, Linux kernel and dynamic tools (chrt, nice, pstree, glibc's ld.so and
# libraries: build/deps/dyntools/root/) come from scripts/fetch-deps (build/deps/, cached).
# Three initramfs images:
#
#   build/initramfs.cpio.gz    busybox, the dynamic tools, /init -> busybox init, a shell
#                              on the console
#   build/utest-initramfs.cpio the same plus /test/NAME for every test and /test/driver
#   build/bench-initramfs.cpio busybox (no dynamic tools), /bench/NAME for every
#                              benchmark, /bench/driver, /bench/tiny_true (performance.md)
#
# tools/utest-run boots either with Linux or Kairos and compares the tests' output;
# tools/bench-run boots both with the benchmarks and compares their figures.

UCC	:= $(CROSS)gcc
UCFLAGS	:= -static -O2 -Wall -g
UCFLAGS_DYN := -O2 -Wall -g

USER_TESTS := $(sort $(patsubst user/tests/%.c,%,$(wildcard user/tests/*.c)))
USER_BENCH := $(sort $(patsubst user/bench/%.c,%,$(wildcard user/bench/*.c)))
USER_TEST_BINS := $(USER_TESTS:%=$(BUILD)/user/tests/%)
USER_BENCH_BINS := $(USER_BENCH:%=$(BUILD)/user/bench/%)
UTEST_DRIVER := $(BUILD)/user/utest-driver
BENCH_DRIVER := $(BUILD)/user/bench-driver
BENCH_TRUE := $(BUILD)/user/bench-true

DEPS := $(BUILD)/deps
BUSYBOX := $(DEPS)/busybox/busybox
BUSYBOX_APPLETS := $(DEPS)/busybox/applets
LINUX_IMAGE := $(DEPS)/linux/Image
DYNTOOLS := $(DEPS)/dyntools/VERSION

INITRAMFS := $(BUILD)/initramfs.cpio.gz
UTEST_INITRAMFS := $(BUILD)/utest-initramfs.cpio
BENCH_INITRAMFS := $(BUILD)/bench-initramfs.cpio
ROOTFS_FILES := $(shell find user/rootfs)
MKINITRAMFS := $(PYTHON) tools/mkinitramfs
MKINITRAMFS_DEPS := tools/mkinitramfs tools/newc.py $(ROOTFS_FILES) $(BUSYBOX) $(BUSYBOX_APPLETS) \
	$(DYNTOOLS)
BUSYBOX_ROOTFS := --busybox $(BUSYBOX) --applets $(BUSYBOX_APPLETS) --tree user/rootfs \
	--tree $(DEPS)/dyntools/root
UTEST_RUN := $(PYTHON) tools/utest-run

# The same command line boots Linux and Kairos; utest-run adds rdinit=/test/driver.
BOOT_APPEND := console=ttyAMA0 nokaslr

.PHONY: user initramfs record-expected record-expected-all user-check user-check-all \
	linux-check linux-check-all shell-check shell-check-all run-linux distclean

$(BUILD)/user/%: user/%.c
	@mkdir -p $(dir $@)
	@echo "  UCC     $<"; $(UCC) $(UCFLAGS) $< -o $@
$(BUILD)/user/tests/dyn_%: user/tests/dyn_%.c
	@mkdir -p $(dir $@)
	@echo "  UCC     $< (dynamic)"; $(UCC) $(UCFLAGS_DYN) $< -o $@

# The bench driver starts at bench_entry (it reads the counter first); the exec
# benchmark's target is a page of code without a C library.
$(USER_BENCH_BINS): user/bench/bench.h
$(BENCH_DRIVER): UCFLAGS += -Wl,-e,bench_entry
$(UTEST_DRIVER) $(BENCH_DRIVER): user/driver_console.h
$(BENCH_TRUE): UCFLAGS := -static -nostdlib -O2 -Wall

user: $(USER_TEST_BINS) $(USER_BENCH_BINS) $(UTEST_DRIVER) $(BENCH_DRIVER) $(BENCH_TRUE)

# Downloads: made once, never remade by a newer script (delete build/deps/ for that).
$(BUSYBOX_APPLETS): $(BUSYBOX)
$(BUSYBOX):
	@scripts/fetch-deps busybox
$(LINUX_IMAGE):
	@scripts/fetch-deps linux
$(DYNTOOLS):
	@scripts/fetch-deps dyntools

# The set of tests, as a file that changes only when a test is added or removed.
$(BUILD)/user/tests.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(USER_TESTS)' | cmp -s - $@ || echo '$(USER_TESTS)' > $@
.PHONY: FORCE
FORCE:

$(INITRAMFS): $(MKINITRAMFS_DEPS)
	@echo "  INITRAMFS $@"; $(MKINITRAMFS) --gzip -o $@ $(BUSYBOX_ROOTFS)

# Not compressed: unpacking is then quick even on a young kernel. Test binaries are
# stripped in the archive (build/user/ keeps their symbols for gdb).
$(UTEST_INITRAMFS): $(MKINITRAMFS_DEPS) $(USER_TEST_BINS) $(UTEST_DRIVER) $(BUILD)/user/tests.list
	@echo "  INITRAMFS $@"; $(MKINITRAMFS) -o $@ $(BUSYBOX_ROOTFS) --strip $(CROSS)strip \
		--file /test/driver=$(UTEST_DRIVER) \
		$(foreach t,$(USER_TESTS),--file /test/$(t)=$(BUILD)/user/tests/$(t))

$(BUILD)/user/bench.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(USER_BENCH)' | cmp -s - $@ || echo '$(USER_BENCH)' > $@

# Without the dynamic tools: they would only add to the memory both kernels need.
BENCH_ROOTFS := --busybox $(BUSYBOX) --applets $(BUSYBOX_APPLETS) --tree user/rootfs
$(BENCH_INITRAMFS): $(filter-out $(DYNTOOLS),$(MKINITRAMFS_DEPS)) $(USER_BENCH_BINS) \
		$(BENCH_DRIVER) $(BENCH_TRUE) $(BUILD)/user/bench.list
	@echo "  INITRAMFS $@"; $(MKINITRAMFS) -o $@ $(BENCH_ROOTFS) --strip $(CROSS)strip \
		--file /bench/driver=$(BENCH_DRIVER) --file /bench/tiny_true=$(BENCH_TRUE) \
		$(foreach b,$(USER_BENCH),--file /bench/$(b)=$(BUILD)/user/bench/$(b))

initramfs: $(INITRAMFS) $(UTEST_INITRAMFS) $(BENCH_INITRAMFS)

# Record tests/user/expected/ from Debian's Linux (commit the result).
record-expected:
	@scripts/setup.sh
	@$(MAKE) --no-print-directory record-expected-all
record-expected-all: $(UTEST_INITRAMFS) $(LINUX_IMAGE)
	$(UTEST_RUN) --kernel linux --initrd $(UTEST_INITRAMFS) --record

# Compare a kernel's output with tests/user/expected/: Kairos, or USER_KERNEL=linux.
USER_KERNEL ?= $(KERNEL_IMAGE)
USER_KERNEL_NAME := $(if $(filter linux,$(USER_KERNEL)),linux,kairos)
USER_KERNEL_FILE := $(if $(filter linux,$(USER_KERNEL)),$(LINUX_IMAGE),$(USER_KERNEL))
user-check:
	@scripts/setup.sh
	@$(MAKE) --no-print-directory user-check-all
user-check-all: $(USER_KERNEL_FILE) $(UTEST_INITRAMFS)
	@$(PYTHON) tools/run-tests \
		'user:$(USER_KERNEL_NAME):--kernel $(USER_KERNEL) --initrd $(UTEST_INITRAMFS)'

# Run every test on Kairos and on Linux in one go and compare them with each other.
linux-check:
	@scripts/setup.sh
	@$(MAKE) --no-print-directory linux-check-all
linux-check-all: $(KERNEL_IMAGE) $(LINUX_IMAGE) $(UTEST_INITRAMFS)
	@$(PYTHON) tools/run-tests \
		'user:kairos-vs-linux:--kernel $(KERNEL_IMAGE) --against linux --initrd $(UTEST_INITRAMFS)'

# Boot the busybox initramfs and play each shell session on it (USER_KERNEL), at -smp 4.
SHELL_SESSIONS := $(wildcard tests/user/shell/*.session)
shell_suite = 'user:shell-$(notdir $(basename $(1)))-$(2):--kernel $(3) --smp 4 --shell $(1) \
	--initrd $(INITRAMFS) --name shell-$(notdir $(basename $(1)))-$(2)'
shell-check:
	@scripts/setup.sh
	@$(MAKE) --no-print-directory shell-check-all
shell-check-all: $(USER_KERNEL_FILE) $(INITRAMFS)
	@$(PYTHON) tools/run-tests $(foreach s,$(SHELL_SESSIONS),\
		$(call shell_suite,$(s),$(USER_KERNEL_NAME),$(USER_KERNEL)))

# What `make test` runs of all this, on Kairos: every user test against Linux's recorded
# output at -smp 2 and -smp 4, every shell session, and every benchmark once with tiny
# sizes (it fails only if one crashes or prints no figure, never on speed).
USER_TEST_DEPS := $(UTEST_INITRAMFS) $(INITRAMFS) $(BENCH_INITRAMFS)
USER_SUITES := \
	'user:user-smp2:--kernel $(KERNEL_IMAGE) --smp 2 --initrd $(UTEST_INITRAMFS) --name user-smp2' \
	'user:user-smp4:--kernel $(KERNEL_IMAGE) --smp 4 --initrd $(UTEST_INITRAMFS) --name user-smp4' \
	'bench:bench-smoke:--kernel $(KERNEL_IMAGE) --initrd $(BENCH_INITRAMFS)' \
	$(foreach s,$(SHELL_SESSIONS),$(call shell_suite,$(s),kairos,$(KERNEL_IMAGE)))

# Debian's Linux with the busybox initramfs on this terminal (quit: Ctrl-A then X).
run-linux:
	@scripts/setup.sh
	@$(MAKE) --no-print-directory $(LINUX_IMAGE) $(INITRAMFS)
	$(QEMU) $(QEMU_ARGS) -kernel $(LINUX_IMAGE) -initrd $(INITRAMFS) \
		-append "$(strip $(BOOT_APPEND) $(APPEND))"

# `make clean` keeps the downloads in build/deps/; this removes them too.
distclean:
	rm -rf $(BUILD)
