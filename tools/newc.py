# SPDX-License-Identifier: MIT
"""Write cpio archives in the "newc" format (what Linux's initramfs unpacker reads).

The archive is built in memory from explicit entries, so device nodes, owners and
modes need no privileges on the host. Used by tools/mkinitramfs and tools/utest-run.

    a = Archive()
    a.directory("/dev")
    a.char_device("/dev/console", 5, 1, mode=0o600)
    a.file("/init", data, mode=0o755)
    a.symlink("/sbin/init", "/bin/busybox")
    blob = a.build()             # bytes of a complete archive (with the trailer)

Entries are written sorted by path, so a directory always precedes what it contains,
and every missing parent directory is added (mode 755). Owners are 0:0, times 0 unless
given, inode numbers count up from 1: the same entries give the same bytes.
"""

import gzip
import stat

MAGIC = b"070701"
TRAILER = "TRAILER!!!"


class Archive:
    def __init__(self, mtime=0):
        self.mtime = mtime
        self.entries = {}   # path without the leading "/" -> (mode, data, rdev)

    @staticmethod
    def _key(path):
        key = path.strip("/")
        if not key or any(part in ("", ".", "..") for part in key.split("/")):
            raise ValueError(f"bad archive path {path!r}")
        return key

    def _add(self, path, mode, data=b"", rdev=(0, 0)):
        key = self._key(path)
        old = self.entries.get(key)
        if old is not None and not (stat.S_ISDIR(old[0]) and stat.S_ISDIR(mode)):
            raise ValueError(f"{path} is already in the archive")
        self.entries[key] = (mode, data, rdev)
        parent = key.rpartition("/")[0]
        while parent and parent not in self.entries:
            self.entries[parent] = (stat.S_IFDIR | 0o755, b"", (0, 0))
            parent = parent.rpartition("/")[0]

    def directory(self, path, mode=0o755):
        self._add(path, stat.S_IFDIR | mode)

    def file(self, path, data, mode=0o644):
        self._add(path, stat.S_IFREG | mode, bytes(data))

    def symlink(self, path, target):
        self._add(path, stat.S_IFLNK | 0o777, target.encode())

    def char_device(self, path, major, minor, mode=0o600):
        self._add(path, stat.S_IFCHR | mode, rdev=(major, minor))

    def __contains__(self, path):
        return self._key(path) in self.entries

    def build(self):
        out = bytearray()
        for ino, key in enumerate(sorted(self.entries), 1):
            mode, data, rdev = self.entries[key]
            nlink = 2 if stat.S_ISDIR(mode) else 1
            _header(out, key, ino, mode, nlink, self.mtime, data, rdev)
        _header(out, TRAILER, 0, 0, 1, 0, b"", (0, 0))
        return bytes(out)


def _header(out, name, ino, mode, nlink, mtime, data, rdev):
    name_bytes = name.encode() + b"\0"
    fields = (ino, mode, 0, 0, nlink, mtime, len(data), 0, 0, rdev[0], rdev[1],
              len(name_bytes), 0)
    out += MAGIC + b"".join(b"%08X" % f for f in fields)
    out += name_bytes
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)


def compress(blob):
    """gzip with a zero timestamp, so the same archive gives the same bytes."""
    return gzip.compress(blob, compresslevel=9, mtime=0)
