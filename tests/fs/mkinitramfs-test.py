#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Build the test initramfs from tests/fs/initramfs-test/ and its manifest.

Git keeps neither modes beyond 644/755, nor hard links, FIFOs, empty directories or
times, so this copies the directory into OUT/initramfs-test/ and adds those there.
Then it archives it with the host's cpio (newc and crc formats, owner 1234:5678) and
gzip, and writes the manifest the tests check the unpacked tree against, one line per
entry:

    TYPE MODE UID GID NLINK SIZE MTIME EXTRA PATH

TYPE is d, f, l or p; MODE the permission bits in octal; SIZE '-' for directories and
FIFOs; EXTRA the CRC-32 of a file's data (hex), a symlink's target, or '-'.

usage: mkinitramfs-test.py SRC OUT
"""

import os
import random
import shutil
import stat
import subprocess
import sys
import zlib

OWNER = "1234:5678"
BASE_MTIME = 1700000000


def build_tree(src, root):
    if os.path.exists(root):
        shutil.rmtree(root)
    shutil.copytree(src, root, symlinks=True)
    rng = random.Random(42)
    # Several pages of data, half of it incompressible: many gzip blocks and windows.
    big = bytes(rng.getrandbits(8) for _ in range(40000)) + b"Kairos " * 6000
    with open(os.path.join(root, "big.bin"), "wb") as f:
        f.write(big)
    open(os.path.join(root, "empty"), "wb").close()
    with open(os.path.join(root, "etc/secret"), "w") as f:
        f.write("only the owner reads this\n")
    with open(os.path.join(root, "bin/suidtool"), "w") as f:
        f.write("set-user-ID survives the chown before the chmod\n")
    for d in ("emptydir", "tmp", "shared"):
        os.mkdir(os.path.join(root, d))
    os.link(os.path.join(root, "etc/config"), os.path.join(root, "etc/config.hard"))
    os.symlink("hello.txt", os.path.join(root, "link-to-hello"))
    os.symlink("/etc/config", os.path.join(root, "abs-link"))
    os.symlink("does-not-exist", os.path.join(root, "dangling"))
    os.symlink("a/b", os.path.join(root, "dirlink"))
    os.mkfifo(os.path.join(root, "pipe"))
    modes = {"bin/tool": 0o755, "bin/suidtool": 0o4755, "etc/secret": 0o600,
             "tmp": 0o1777, "shared": 0o2775, "emptydir": 0o700}
    entries = sorted(walk(root))
    for i, rel in enumerate(entries):
        path = os.path.join(root, rel)
        st = os.lstat(path)
        if not stat.S_ISLNK(st.st_mode):
            default = 0o755 if stat.S_ISDIR(st.st_mode) else 0o644
            os.chmod(path, modes.get(rel, default))
    # Directories last, deepest first: setting a child's time does not touch its parent.
    for i, rel in sorted(enumerate(entries), key=lambda e: -e[1].count("/")):
        os.utime(os.path.join(root, rel), (BASE_MTIME + i, BASE_MTIME + i),
                 follow_symlinks=False)
    return entries


def walk(root):
    yield "."
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            yield os.path.relpath(os.path.join(dirpath, name), root)


def manifest(root, entries):
    lines = []
    for rel in entries:
        path = os.path.join(root, rel)
        st = os.lstat(path)
        mode = stat.S_IMODE(st.st_mode)
        if stat.S_ISDIR(st.st_mode):
            subdirs = sum(1 for e in os.scandir(path) if e.is_dir(follow_symlinks=False))
            kind, nlink, size, extra = "d", 2 + subdirs, "-", "-"
        elif stat.S_ISLNK(st.st_mode):
            target = os.readlink(path)
            kind, nlink, size, extra = "l", 1, str(len(target)), target
        elif stat.S_ISFIFO(st.st_mode):
            kind, nlink, size, extra = "p", st.st_nlink, "-", "-"
        else:
            with open(path, "rb") as f:
                data = f.read()
            kind, nlink, size = "f", st.st_nlink, str(len(data))
            extra = "%08x" % zlib.crc32(data)
        uid, gid = OWNER.split(":")
        lines.append(f"{kind} {mode:o} {uid} {gid} {nlink} {size} {int(st.st_mtime)} {extra} {rel}")
    return "\n".join(lines) + "\n"


def cpio(root, fmt):
    names = "".join(rel + "\n" for rel in sorted(walk(root)))
    return subprocess.run(["cpio", "--quiet", "-o", "-H", fmt, "-R", OWNER, "--reproducible"],
                          input=names.encode(), cwd=root, check=True,
                          stdout=subprocess.PIPE).stdout


def main():
    src, out = sys.argv[1:3]
    root = os.path.join(out, "initramfs-test")
    entries = build_tree(src, root)
    newc = cpio(root, "newc")
    outputs = {
        "test-initramfs.cpio": newc,
        "test-initramfs-crc.cpio": cpio(root, "crc"),
        "test-initramfs.cpio.gz": subprocess.run(["gzip", "-9", "-n"], input=newc, check=True,
                                                 stdout=subprocess.PIPE).stdout,
        "test-initramfs.manifest": manifest(root, entries).encode(),
    }
    for name, data in outputs.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
