#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Turn `nm -n -S` output of the kernel into an assembly table of its functions.

The kernel looks addresses up in it (kernel/kallsyms.c) to name functions in an oops.
Layout, all in section .kallsyms:
  kallsyms_num              u64: number of symbols
  kallsyms_addresses[num]   u64: start addresses, ascending
  kallsyms_sizes[num]       u32: sizes in bytes (0 when nm gave none)
  kallsyms_name_offsets[num] u32: offsets into kallsyms_names
  kallsyms_names            NUL-terminated names
"""
import sys

def main():
    syms = {}
    for line in sys.stdin:
        parts = line.split()
        # "addr size type name" or "addr type name"
        if len(parts) == 4:
            addr, size, kind, name = parts
        elif len(parts) == 3:
            addr, kind, name = parts
            size = "0"
        else:
            continue
        if kind not in "tTwW" or name.startswith("$") or name.startswith(".L"):
            continue
        a = int(addr, 16)
        # Of aliases at one address keep the first, which nm sorts stably.
        syms.setdefault(a, (int(size, 16), name))
    addrs = sorted(syms)
    out = [".section .kallsyms, \"a\"", ".balign 8",
           ".globl kallsyms_num", "kallsyms_num: .quad %d" % len(addrs),
           ".globl kallsyms_addresses", "kallsyms_addresses:"]
    out += [".quad 0x%x" % a for a in addrs]
    out += [".globl kallsyms_sizes", "kallsyms_sizes:"]
    out += [".long %d" % syms[a][0] for a in addrs]
    out += [".globl kallsyms_name_offsets", "kallsyms_name_offsets:"]
    off = 0
    for a in addrs:
        out.append(".long %d" % off)
        off += len(syms[a][1]) + 1
    out += [".globl kallsyms_names", "kallsyms_names:"]
    out += [".asciz \"%s\"" % syms[a][1] for a in addrs]
    print("\n".join(out))

if __name__ == "__main__":
    main()
