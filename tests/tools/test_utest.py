#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Host tests of the user-space test tools, printing TAP: the cpio writer (read back with
the host's cpio), mkinitramfs, and utest-run's reading of the driver's console protocol."""

import importlib.machinery
import importlib.util
import io
import os
import random
import subprocess
import sys
import tempfile
import zlib

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools")
sys.path.insert(0, TOOLS)
import newc  # noqa: E402


def load_script(name):
    loader = importlib.machinery.SourceFileLoader(name.replace("-", "_"),
                                                  os.path.join(TOOLS, name))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


utest = load_script("utest-run")
results = []


def check(name, cond, detail=""):
    results.append((bool(cond), name, detail))


def cpio_list(blob):
    out = subprocess.run(["cpio", "-itv", "--quiet"], input=blob, capture_output=True,
                         check=True).stdout.decode()
    return [line.split() for line in out.splitlines()]


def test_newc():
    a = newc.Archive()
    a.directory("/tmp", 0o1777)
    a.char_device("/dev/console", 5, 1, 0o600)
    a.file("/etc/passwd", b"root:x:0:0::/root:/bin/sh\n")
    a.symlink("/sbin/init", "/bin/busybox")
    a.file("/odd", b"abc", 0o755)
    blob = a.build()
    check("newc: archive is 4-byte aligned", len(blob) % 4 == 0)
    rows = {r[-1] if r[0][0] != "l" else r[-3]: r for r in cpio_list(blob)}
    console = rows.get("dev/console")
    check("newc: /dev/console is char device 5,1 mode 600",
          console and console[0] == "crw-------" and console[4:6] == ["5,", "1"], console)
    check("newc: parents are added before their entries", "dev" in rows and "etc" in rows
          and list(rows).index("dev") < list(rows).index("dev/console"))
    check("newc: sticky /tmp", rows.get("tmp", [""])[0] == "drwxrwxrwt", rows.get("tmp"))
    link = [r for r in cpio_list(blob) if r[-3] == "sbin/init"]
    check("newc: symlink target", link and link[0][-1] == "/bin/busybox", link)
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["cpio", "-id", "--quiet", "etc/passwd", "odd"], input=blob, cwd=d,
                       check=True)
        with open(os.path.join(d, "etc/passwd"), "rb") as f:
            check("newc: file data", f.read() == b"root:x:0:0::/root:/bin/sh\n")
        check("newc: odd-sized file padded correctly",
              open(os.path.join(d, "odd"), "rb").read() == b"abc")
    check("newc: same entries, same bytes", blob == a.build())
    try:
        a.file("/odd", b"again")
        check("newc: a path twice is refused", False)
    except ValueError:
        check("newc: a path twice is refused", True)


def test_mkinitramfs():
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "prog")
        with open(src, "wb") as f:
            f.write(b"#!/bin/sh\necho hi\n")
        os.chmod(src, 0o755)
        outs = []
        for i in range(2):
            out = os.path.join(d, f"i{i}.cpio.gz")
            subprocess.run([sys.executable, os.path.join(TOOLS, "mkinitramfs"), "-o", out,
                            "--gzip", "--file", f"/test/prog={src}"], check=True)
            with open(out, "rb") as f:
                outs.append(f.read())
        check("mkinitramfs: reproducible", outs[0] == outs[1])
        rows = cpio_list(zlib.decompress(outs[0], 31))
        names = {r[-1]: r for r in rows}
        check("mkinitramfs: skeleton and devices",
              all(n in names for n in ("proc", "sys", "tmp", "dev/null", "dev/zero",
                                       "dev/tty", "dev/console", "usr/sbin")), sorted(names))
        check("mkinitramfs: executable kept 755", names["test/prog"][0] == "-rwxr-xr-x")


def feed(console, text, rng):
    """Feed TEXT as a serial console would: CRLF line ends, arbitrary chunks."""
    data = text.replace("\n", "\r\n").encode("utf-8", "surrogateescape")
    i = 0
    while i < len(data):
        n = rng.randint(1, 40)
        console.feed(data[i:i + n])
        i += n


def driver_frame(name, output, status="exit=0", chunk=512):
    """What utest-driver prints for a test writing OUTPUT (bytes)."""
    lines, cur = [], bytearray()
    n_in_line = 0
    for c in output:
        if c == 0x0a:
            lines.append("| " + cur.decode("latin-1"))
            cur, n_in_line = bytearray(), 0
            continue
        if c == 0x5c:
            cur += b"\\\\"
        elif 0x20 <= c < 0x7f or c == 9:
            cur.append(c)
        else:
            cur += b"\\x%02x" % c
        n_in_line += 1
        if n_in_line == chunk:
            lines.append("|-" + cur.decode("latin-1"))
            cur, n_in_line = bytearray(), 0
    if n_in_line:
        lines.append("|-" + cur.decode("latin-1"))
    return (f"@@utest begin {name}\n" + "".join(l + "\n" for l in lines) +
            f"@@utest end {name} {status} bytes={len(output)} "
            f"crc32={zlib.crc32(output):08x} dropped=0 ms=5\n")


def new_console():
    return utest.UtestConsole(io.StringIO(), False, 60, 0.0)


def test_protocol():
    rng = random.Random(7)
    outputs = {
        "plain": b"hello\nworld\n",
        "nonl": b"no newline",
        "empty": b"",
        "binary": bytes(range(256)) + b"\\x41 \\\\ \n",
        "long": b"y" * 1500 + b"\n" + b"z" * 1024,
    }
    text = "Booting...\n@@utest start 5 timeout=30\n"
    text += "".join(f"@@utest plan {n}\n" for n in outputs)
    for name, out in outputs.items():
        text += driver_frame(name, out, "signal=11" if name == "nonl" else "exit=0")
    text += "@@utest done\n"
    c = new_console()
    feed(c, text, rng)
    c.finish()
    check("protocol: plan read", c.plan == list(outputs), c.plan)
    check("protocol: done seen", c.done_at is not None)
    for name, out in outputs.items():
        o = c.outcomes.get(name)
        check(f"protocol: {name} output byte for byte", o and bytes(o.output) == out,
              o and bytes(o.output)[:80])
        check(f"protocol: {name} clean", o and o.clean(), o and o.trouble())
    o = c.outcomes["nonl"]
    check("protocol: expected text of a signalled test without final newline",
          o.text() == b"no newline\n\\ No newline at end of output\n"
          b"=== killed by signal 11 (SIGSEGV)\n", o.text())
    check("protocol: expected text of an empty test",
          c.outcomes["empty"].text() == b"=== exit 0\n")

    # A kernel message between two output lines is kept aside, not taken as output.
    frame = driver_frame("t", b"one\ntwo\n").split("\n")
    frame.insert(2, "[   12.345678] random: crng init done")
    c = new_console()
    feed(c, "@@utest start 1 timeout=30\n@@utest plan t\n" + "\n".join(frame), rng)
    o = c.outcomes.get("t")
    check("protocol: kernel line between output lines is set aside",
          o and o.clean() and bytes(o.output) == b"one\ntwo\n" and
          o.foreign == ["random: crng init done"], o and (bytes(o.output), o.foreign))

    # One printed into the middle of an output line garbles it: the checksum says so.
    frame = driver_frame("t", b"one\ntwo\n").replace("| two", "| t[ 1.0] oops\nwo")
    c = new_console()
    feed(c, "@@utest start 1 timeout=30\n@@utest plan t\n" + frame, rng)
    o = c.outcomes.get("t")
    check("protocol: kernel text inside an output line is detected",
          o and o.garbled() and not o.clean())

    # A test that never ends leaves the console's current test set, for a reboot.
    c = new_console()
    feed(c, "@@utest start 2 timeout=30\n@@utest plan a\n@@utest plan b\n"
         "@@utest begin a\n| partial\n", rng)
    check("protocol: a test cut off is the current one",
          c.current is not None and c.current.name == "a" and "a" not in c.outcomes)
    how, when = c.limit()
    check("protocol: its hang deadline is its timeout plus slack",
          how == "hang" and abs(when - (c.current_since + 30 + utest.HANG_SLACK_S)) < 1e-6)


def main():
    for test in (test_newc, test_mkinitramfs, test_protocol):
        try:
            test()
        except Exception as e:  # a crash is a failure, not the end of the report
            results.append((False, f"{test.__name__} crashed", repr(e)))
    print(f"1..{len(results)}")
    for i, (ok, name, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {name}")
        if not ok and detail:
            print(f"# {detail!r}"[:300])
    return 0 if all(r[0] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
