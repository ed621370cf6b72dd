#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Make the corpus test_inflate decompresses: inputs and their gzip'd forms.

Every input is compressed by the host's gzip at levels 1, 6 and 9, and by Python's
zlib as fixed-Huffman-only and stored-only members, so that all three block types
are covered whatever gzip chooses. One member carries a file name in its header.
Writes OUT/NAME.bin, OUT/NAME.SUFFIX.gz and OUT/corpus.list ("NAME.bin NAME.x.gz").

usage: mkinflate.py OUT
"""

import os
import random
import subprocess
import sys
import zlib


def inputs():
    rng = random.Random(1952)
    words = [b"kernel", b"inode", b"dentry", b"page", b"Huffman", b"window", b"a", b"the",
             b"of", b"cpio", b"boot", b"\n", b"zero", b"deflate"]
    text = b" ".join(rng.choice(words) for _ in range(30000))
    noise = bytes(rng.getrandbits(8) for _ in range(70000))
    far = noise[:32000]
    return {
        "empty": b"",
        "hello": b"hello, hello, hello world\n",
        "text": text,
        "random": noise,
        "zeros": bytes(300000),
        # Matches 32000 bytes back, about as far as zlib reaches (test_inflate makes
        # one of 32768 by hand).
        "far": far + far + far[:1000],
        "mixed": text[:40000] + noise[:20000] + text[:40000] + bytes(5000) + b"end\n",
    }


def zlib_gzip(data, level, strategy):
    c = zlib.compressobj(level, zlib.DEFLATED, 31, 9, strategy)
    return c.compress(data) + c.flush()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    pairs = []
    for name, data in inputs().items():
        src = os.path.join(out, name + ".bin")
        with open(src, "wb") as f:
            f.write(data)
        members = {
            "fixed": zlib_gzip(data, 9, zlib.Z_FIXED),
            "stored": zlib_gzip(data, 0, zlib.Z_DEFAULT_STRATEGY),
        }
        for level in (1, 6, 9):
            members["gzip%d" % level] = subprocess.run(
                ["gzip", "-%d" % level, "-n", "-c"], input=data, check=True,
                stdout=subprocess.PIPE).stdout
        if name == "hello":
            members["named"] = subprocess.run(["gzip", "-9", "-c", src], check=True,
                                              stdout=subprocess.PIPE).stdout
        for suffix, member in members.items():
            gz = "%s.%s.gz" % (name, suffix)
            with open(os.path.join(out, gz), "wb") as f:
                f.write(member)
            pairs.append("%s.bin %s\n" % (name, gz))
    with open(os.path.join(out, "corpus.list"), "w") as f:
        f.writelines(pairs)


if __name__ == "__main__":
    main()
