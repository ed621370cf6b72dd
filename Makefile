# Kairos: `make` builds the kernel, `make run` boots it, `make test` runs every test.
# The README documents the two commands a user needs; the rest are for developers.

CROSS	?= aarch64-linux-gnu-
CC	:= $(CROSS)gcc
LD	:= $(CROSS)ld
OBJCOPY	:= $(CROSS)objcopy
NM	:= $(CROSS)nm
HOSTCC	:= gcc
PYTHON	:= /usr/bin/python3

BUILD	:= build
SMP	?= 4
MEM	?= 1G
APPEND	?=
QEMU	:= qemu-system-aarch64
QEMU_ARGS := -M virt,gic-version=3 -cpu cortex-a72 -smp $(SMP) -m $(MEM) -nographic -no-reboot

# Every .c and .S under these directories is part of the kernel.
KERNEL_DIRS := arch/arm64 drivers fs init kernel mm lib tests/ktest tests/kbench
# The vDSO's sources are a shared object of their own (below), not kernel objects.
VDSO_DIR := arch/arm64/kernel/vdso
KSRCS := $(filter-out %.lds.S $(VDSO_DIR)/%,$(sort $(shell find $(KERNEL_DIRS) -name '*.c' -o -name '*.S')))
# Position-independent early boot code runs before the MMU is on (see arch/arm64/kernel/pi/).
PI_SRCS := $(filter arch/arm64/kernel/pi/%,$(KSRCS))
KOBJS := $(patsubst %,$(BUILD)/k/%.o,$(KSRCS))

GCC_INC := $(shell $(CC) -print-file-name=include 2>/dev/null)
KCFLAGS := -std=gnu11 -ffreestanding -nostdinc -isystem $(GCC_INC) -Iinclude -Iarch/arm64/include \
	-march=armv8-a -mgeneral-regs-only -mno-outline-atomics -fno-stack-protector \
	-fno-pic -fno-pie -fno-common -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-strict-aliasing \
	-O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -MMD -MP
# No jump tables, literal pools of absolute addresses or unaligned accesses before the MMU is on.
PI_CFLAGS := -mstrict-align -fno-jump-tables -fno-tree-loop-distribute-patterns
KASFLAGS := $(filter-out -std=gnu11,$(KCFLAGS)) -D__ASSEMBLY__
KLDFLAGS := -nostdlib -static -z max-page-size=4096 --no-warn-rwx-segments --build-id=none

LDS := $(BUILD)/k/kairos.lds
KERNEL_ELF := $(BUILD)/kairos.elf
KERNEL_IMAGE := $(BUILD)/Image

.PHONY: all run test debug clean setup host-tests run-qemu test-all
all: $(KERNEL_IMAGE)

# User programs, Debian's busybox and Linux, initramfs images, utest-run targets.
include user/user.mk

setup:
	@scripts/setup.sh

$(BUILD)/k/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"; $(CC) $(KCFLAGS) $(if $(filter $<,$(PI_SRCS)),$(PI_CFLAGS)) -c $< -o $@

$(BUILD)/k/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"; $(CC) $(KASFLAGS) -c $< -o $@

# The vDSO: position-independent code with no relocations, linked as a shared object,
# stripped, and embedded in the kernel's rodata by arch/arm64/kernel/vdso-image.S.
VDSO_SRCS := $(filter-out %.lds.S,$(sort $(wildcard $(VDSO_DIR)/*.c $(VDSO_DIR)/*.S)))
VDSO_OBJS := $(patsubst %,$(BUILD)/vdso/%.o,$(VDSO_SRCS))
VDSO_SO := $(BUILD)/vdso/vdso.so
VDSO_CFLAGS := $(filter-out -fno-pic -fno-pie -mno-omit-leaf-frame-pointer,$(KCFLAGS)) -fPIC -fno-builtin
VDSO_LDFLAGS := -shared -nostdlib --hash-style=sysv --build-id=none -Bsymbolic --eh-frame-hdr \
	-soname=linux-vdso.so.1 -z max-page-size=4096 -z noexecstack

$(BUILD)/vdso/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  VDSOCC  $<"; $(CC) $(VDSO_CFLAGS) -c $< -o $@

$(BUILD)/vdso/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  VDSOAS  $<"; $(CC) $(VDSO_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/vdso/vdso.lds: $(VDSO_DIR)/vdso.lds.S
	@mkdir -p $(dir $@)
	$(CC) $(KASFLAGS) -E -P -x c $< -o $@

# A relocation would need a dynamic linker to apply it: refuse the image.
$(VDSO_SO): $(VDSO_OBJS) $(BUILD)/vdso/vdso.lds
	$(LD) $(VDSO_LDFLAGS) -T $(BUILD)/vdso/vdso.lds $(VDSO_OBJS) -o $@.dbg
	@if $(CROSS)readelf -r $@.dbg | grep -q 'Relocation section'; then \
		echo "vdso: the image has relocations"; exit 1; fi
	$(OBJCOPY) -S $@.dbg $@

$(BUILD)/k/arch/arm64/kernel/vdso-image.S.o: $(VDSO_SO)
$(BUILD)/k/arch/arm64/kernel/vdso-image.S.o: KASFLAGS += -DVDSO_SO='"$(VDSO_SO)"'

$(LDS): arch/arm64/kernel/kairos.lds.S
	@mkdir -p $(dir $@)
	$(CC) $(KASFLAGS) -E -P -x c $< -o $@

# kallsyms: the symbol table is linked into the image so that an oops can name functions.
# Pass 1 links with an empty table; the table sits after all code, so text addresses do not
# move in pass 2, and the build checks that they did not.
$(BUILD)/kallsyms0.S:
	@mkdir -p $(BUILD)
	$(PYTHON) tools/kallsyms.py < /dev/null > $@

$(BUILD)/%.kallsyms.o: $(BUILD)/%.kallsyms.S
	@echo "  AS      $<"; $(CC) $(KASFLAGS) -c $< -o $@

$(BUILD)/kallsyms0.o: $(BUILD)/kallsyms0.S
	@echo "  AS      $<"; $(CC) $(KASFLAGS) -c $< -o $@

$(BUILD)/pass1.elf: $(KOBJS) $(BUILD)/kallsyms0.o $(LDS)
	$(LD) $(KLDFLAGS) -T $(LDS) $(KOBJS) $(BUILD)/kallsyms0.o -o $@

$(BUILD)/kallsyms1.S: $(BUILD)/pass1.elf tools/kallsyms.py
	$(NM) -n -S $< | $(PYTHON) tools/kallsyms.py > $@

$(BUILD)/kallsyms1.o: $(BUILD)/kallsyms1.S
	@echo "  AS      $<"; $(CC) $(KASFLAGS) -c $< -o $@

$(KERNEL_ELF): $(KOBJS) $(BUILD)/kallsyms1.o $(LDS)
	$(LD) $(KLDFLAGS) -T $(LDS) $(KOBJS) $(BUILD)/kallsyms1.o -o $@
	@$(NM) -n $(BUILD)/pass1.elf | grep -i ' t ' > $(BUILD)/text1.syms; \
	 $(NM) -n $@ | grep -i ' t ' > $(BUILD)/text2.syms; \
	 cmp -s $(BUILD)/text1.syms $(BUILD)/text2.syms || { echo "kallsyms: text moved between passes"; exit 1; }

$(KERNEL_IMAGE): $(KERNEL_ELF)
	$(OBJCOPY) -O binary $< $@

# The packages come first: nothing can be built before the cross compiler is there.
run:
	@scripts/setup.sh
	@$(MAKE) --no-print-directory run-qemu

# The busybox initramfs rides along (user/user.mk); Kairos idles until it runs user space.
run-qemu: $(KERNEL_IMAGE) $(INITRAMFS)
	@echo "Kairos in QEMU: quit with Ctrl-A then X."
	$(QEMU) $(QEMU_ARGS) -kernel $(KERNEL_IMAGE) -initrd $(INITRAMFS) \
		-append "$(strip $(BOOT_APPEND) $(APPEND))"

test:
	@scripts/setup.sh
	@$(MAKE) --no-print-directory test-all

# Starts QEMU halted with its gdb server and attaches gdb-multiarch with the kernel's symbols.
# The console goes to the terminal; gdb keeps the keyboard (QEMU reads nothing from it).
debug: setup
	@$(MAKE) --no-print-directory $(KERNEL_IMAGE) $(INITRAMFS)
	@$(QEMU) $(QEMU_ARGS) -kernel $(KERNEL_IMAGE) -initrd $(INITRAMFS) \
		-append "$(strip $(BOOT_APPEND) $(APPEND))" -S -gdb tcp::1234 < /dev/null & qemu=$$!; \
	gdb-multiarch -q $(KERNEL_ELF) -ex 'target remote :1234'; kill $$qemu 2>/dev/null; true

-include tests/host/host.mk
-include tools/schedsim/schedsim.mk
-include tests/tests.mk

# Keeps the downloads of scripts/fetch-deps (build/deps/); `make distclean` removes all.
clean:
	find $(BUILD) -mindepth 1 -maxdepth 1 ! -name deps -exec rm -rf {} + 2>/dev/null || true

-include $(KOBJS:.o=.d) $(VDSO_OBJS:.o=.d)
