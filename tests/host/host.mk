# SPDX-License-Identifier: MIT
#
# Host unit tests for lib/, included by the top-level Makefile.
#
# `make host-tests` builds one sanitizer-instrumented program per library
# module into $(BUILD)/host/; each prints TAP and exits non-zero on failure.
# Running them is the test driver's job: it gets the list from
# HOST_TEST_BINS. Everything this fragment writes is under $(BUILD)/host/.
#
# Expects BUILD and HOSTCC to be set before inclusion (defaults below).

BUILD ?= build
HOSTCC ?= gcc
HOST_QEMU ?= qemu-system-aarch64

HOST_OUT := $(BUILD)/host
HOST_SRC := tests/host

# host_prefix.h renames the kernel's libc-named functions; see the header.
HOST_TEST_CFLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -Iinclude -D__KAIROS_HOST__ \
	-include $(HOST_SRC)/host_prefix.h -MMD -MP
HOST_TEST_LDFLAGS := -fsanitize=address,undefined -pthread

HOST_TESTS := string vsprintf rbtree bitmap fdt cmdline chacha
HOST_TEST_BINS := $(HOST_TESTS:%=$(HOST_OUT)/test_%)

# lib/ modules each test links against.
host_libs_string := string
host_libs_vsprintf := vsprintf string
host_libs_rbtree := rbtree
host_libs_bitmap := bitmap
host_libs_fdt := fdt string
host_libs_cmdline := cmdline kstrtox string
host_libs_chacha := chacha string

host_extra_fdt := $(HOST_OUT)/fdt_blobs.o

HOST_DTB_SMP4 := $(HOST_OUT)/virt-smp4.dtb
HOST_DTB_SMP8 := $(HOST_OUT)/virt-smp8.dtb

# Keep whatever default goal the including Makefile has (or will have).
host_saved_goal := $(.DEFAULT_GOAL)

.PHONY: host-tests
host-tests: $(HOST_TEST_BINS)

$(HOST_OUT)/lib/%.o: lib/%.c $(HOST_SRC)/host_prefix.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_TEST_CFLAGS) -c $< -o $@

$(HOST_OUT)/%.o: $(HOST_SRC)/%.c $(HOST_SRC)/host_prefix.h $(HOST_SRC)/tap.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_TEST_CFLAGS) -c $< -o $@

$(HOST_OUT)/fdt_blobs.o: $(HOST_SRC)/fdt_blobs.S $(HOST_DTB_SMP4) $(HOST_DTB_SMP8)
	@mkdir -p $(@D)
	$(HOSTCC) -DDTB_SMP4='"$(HOST_DTB_SMP4)"' -DDTB_SMP8='"$(HOST_DTB_SMP8)"' \
		-c $< -o $@

# Real device trees of the machine the kernel targets, straight from QEMU.
$(HOST_DTB_SMP4):
	@mkdir -p $(@D)
	$(HOST_QEMU) -M virt,gic-version=3,dumpdtb=$@ -cpu cortex-a72 \
		-smp 4 -m 1G -display none

# -append is refused without -kernel; the empty kernel is never run.
$(HOST_DTB_SMP8):
	@mkdir -p $(@D)
	$(HOST_QEMU) -M virt,gic-version=3,dumpdtb=$@ -cpu cortex-a72 \
		-smp 8 -m 2G -display none -kernel /dev/null \
		-append "console=ttyAMA0 ktest=all"

define host_test_rule
$(HOST_OUT)/test_$(1): $(HOST_OUT)/test_$(1).o \
		$(host_libs_$(1):%=$(HOST_OUT)/lib/%.o) $(host_extra_$(1))
	$$(HOSTCC) $$(HOST_TEST_LDFLAGS) $$^ -o $$@
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))

-include $(wildcard $(HOST_OUT)/*.d $(HOST_OUT)/lib/*.d)

.DEFAULT_GOAL := $(host_saved_goal)

# ---- mm: memblock, the buddy allocator and slab -------------------------------------
# mm/*.c compile unchanged against the shims in tests/host/include/asm/ (a linear map
# over a test arena, a fake current, an IRQ flag); tests/host/mm_support.c stands in for
# kernel/ (panic, printk, spinlocks). No host_prefix.h: mm/ uses the C library's memset.
MM_HOST_CFLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror -D__KAIROS_HOST__ \
	-Itests/host/include -Iinclude -Iarch/arm64/include
MM_HOST_HDRS := $(wildcard include/kairos/*.h tests/host/include/asm/*.h) \
	$(HOST_SRC)/mm_support.h $(HOST_SRC)/tap.h
MM_HOST_TESTS := memblock page_alloc slab
MM_HOST_BINS := $(MM_HOST_TESTS:%=$(HOST_OUT)/test_%)
mm_host_srcs_memblock := mm/memblock.c
mm_host_srcs_page_alloc := mm/memblock.c mm/page_alloc.c
mm_host_srcs_slab := mm/memblock.c mm/page_alloc.c mm/slab.c

HOST_TEST_BINS += $(MM_HOST_BINS)
host-tests: $(MM_HOST_BINS)

define mm_host_test_rule
$(HOST_OUT)/test_$(1): $(HOST_SRC)/test_$(1).c $(HOST_SRC)/mm_support.c \
		$(mm_host_srcs_$(1)) $(MM_HOST_HDRS)
	@mkdir -p $$(@D)
	$$(HOSTCC) $$(MM_HOST_CFLAGS) $$(filter %.c,$$^) -o $$@
endef
$(foreach t,$(MM_HOST_TESTS),$(eval $(call mm_host_test_rule,$(t))))

# ---- sched: the fair class's arithmetic ----------------------------------------------
# kernel/sched/fair.c compiles unchanged against the same asm/ shims as mm/ (the arch
# headers it pulls in are parsed, their inline assembly never used); the test stubs the
# core functions it links against. -Wno-unused-parameter as in the kernel build: class
# hooks share one signature whether or not they use every argument.
SCHED_HOST_CFLAGS := $(MM_HOST_CFLAGS) -Wno-unused-parameter
SCHED_HOST_HDRS := $(wildcard include/kairos/*.h tests/host/include/asm/*.h) \
	kernel/sched/sched.h $(HOST_SRC)/tap.h $(HOST_SRC)/rand.h
SCHED_HOST_TESTS := fair_math
SCHED_HOST_BINS := $(SCHED_HOST_TESTS:%=$(HOST_OUT)/test_%)
sched_host_srcs_fair_math := kernel/sched/fair.c lib/rbtree.c lib/bitmap.c

HOST_TEST_BINS += $(SCHED_HOST_BINS)
host-tests: $(SCHED_HOST_BINS)

define sched_host_test_rule
$(HOST_OUT)/test_$(1): $(HOST_SRC)/test_$(1).c $(sched_host_srcs_$(1)) $(SCHED_HOST_HDRS)
	@mkdir -p $$(@D)
	$$(HOSTCC) $$(SCHED_HOST_CFLAGS) $$(filter %.c,$$^) -o $$@
endef
$(foreach t,$(SCHED_HOST_TESTS),$(eval $(call sched_host_test_rule,$(t))))

# ---- fs: inflate, CRC-32 and cpio (begin) ---------------------------------------------
# test_inflate decodes a corpus the host's gzip and Python's zlib compress at build time
# (tests/host/mkinflate.py); test_cpio reads the test initramfs that tests/tests.mk
# builds with the host's cpio. Both find their files through absolute paths compiled in.
FS_HOST_TESTS := inflate cpio
FS_HOST_BINS := $(FS_HOST_TESTS:%=$(HOST_OUT)/test_%)
INFLATE_CORPUS := $(HOST_OUT)/inflate
host_libs_inflate := inflate crc32 string
host_libs_cpio := cpio crc32 string

HOST_TEST_BINS += $(FS_HOST_BINS)
host-tests: $(FS_HOST_BINS)

$(INFLATE_CORPUS)/corpus.list: $(HOST_SRC)/mkinflate.py
	$(PYTHON) $< $(INFLATE_CORPUS)

$(HOST_OUT)/test_inflate.o: $(INFLATE_CORPUS)/corpus.list
$(HOST_OUT)/test_inflate.o: HOST_TEST_CFLAGS += -DINFLATE_CORPUS='"$(abspath $(INFLATE_CORPUS))"'
$(HOST_OUT)/test_cpio.o: $(BUILD)/test-initramfs.stamp
$(HOST_OUT)/test_cpio.o: HOST_TEST_CFLAGS += -DTEST_INITRAMFS_DIR='"$(abspath $(BUILD))"'

$(foreach t,$(FS_HOST_TESTS),$(eval $(call host_test_rule,$(t))))
# ---- fs: inflate, CRC-32 and cpio (end) -----------------------------------------------
