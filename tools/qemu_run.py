# SPDX-License-Identifier: MIT
"""Running a kernel in QEMU for the test tools (tools/ktest-run, tools/utest-run).

run_qemu() starts QEMU in its own process group, feeds its console to a Console
subclass line by line, types what the console asks for, and returns when QEMU exits or
a deadline passes; QEMU never outlives it. A Console decides the deadlines: the overall
timeout, or an earlier one of its own (after a panic, after the last result, ...).
"""

import codecs
import ctypes
import os
import re
import selectors
import signal
import subprocess
import sys
import time

# printk may prefix lines with "[    0.123456] ".
TIMESTAMP_RE = re.compile(r"^\[\s*\d+\.\d+\]\s?")
PANIC_RE = re.compile(r"^Kernel panic - not syncing: ?(.*)$")
PANIC_END_RE = re.compile(r"^---\[ end Kernel panic - not syncing:")
# After the end-of-panic marker the machine halts but QEMU keeps running; wait this
# long for trailing output (other CPUs' messages) before killing it.
PANIC_GRACE_S = 0.5


class Interrupted(Exception):
    """A stop signal arrived; raised so the callers' cleanup runs."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def stop_on_signal(signum, _frame):
    # Ignore repeats (Ctrl-C pressed twice, or SIGINT to the whole process
    # group followed by SIGTERM from a parent) so that a second signal
    # cannot abort the cleanup half-way.
    for s in STOP_SIGNALS:
        signal.signal(s, signal.SIG_IGN)
    raise Interrupted(signum)


def install_stop_handlers():
    # A signal that was ignored when we started (e.g. SIGINT for a
    # background job) stays ignored, as the parent intended.
    for s in STOP_SIGNALS:
        if signal.getsignal(s) is not signal.SIG_IGN:
            signal.signal(s, stop_on_signal)


def qemu_command(kernel, smp, mem, append, machine="virt,gic-version=3",
                 initrd=None, dtb=None):
    cmd = ["qemu-system-aarch64",
           "-M", machine, "-cpu", "cortex-a72",
           "-smp", str(smp), "-m", mem,
           "-nographic", "-no-reboot",
           "-kernel", kernel, "-append", append]
    if initrd:
        cmd += ["-initrd", initrd]
    if dtb:
        cmd += ["-dtb", dtb]
    return cmd


class Console:
    """Splits the raw console stream into lines; subclasses give them meaning.

    line(text) is called for every complete line ('\\r' removed, nothing else);
    limit() may return (how, monotonic_time): stop at that time, reporting how;
    take_input() returns bytes to type on the console now (b"" for none).
    """

    def __init__(self, log, verbose):
        self.log = log
        self.verbose = verbose
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.partial = ""   # the line being received (a prompt, say)
        self.lines = []     # every console line, timestamp-stripped

    def feed(self, data):
        text = self.decoder.decode(data).replace("\r", "")
        self._emit(text)
        *complete, self.partial = (self.partial + text).split("\n")
        for line in complete:
            self.lines.append(TIMESTAMP_RE.sub("", line).rstrip())
            self.line(line)

    def finish(self):
        """Flush a trailing line that never got its newline (e.g. at a hang)."""
        text = self.decoder.decode(b"", final=True).replace("\r", "")
        self._emit(text)
        rest = self.partial + text
        self.partial = ""
        if rest:
            self.lines.append(TIMESTAMP_RE.sub("", rest).rstrip())
            self.line(rest)

    def _emit(self, text):
        # Written as it arrives so a hung run's log is complete up to the hang.
        self.log.write(text)
        self.log.flush()
        if self.verbose:
            sys.stderr.write(text)
            sys.stderr.flush()

    def tail(self, count=5):
        return " | ".join(l for l in self.lines[-count:] if l) or "(no output)"

    def line(self, text):
        pass

    def limit(self):
        return None

    def take_input(self):
        return b""


def die_with_parent():
    """In the QEMU child: get SIGKILLed by Linux if our process dies.

    Backstop for what the cleanup in run_qemu() cannot cover: the tool being
    SIGKILLed, or a signal landing right after QEMU was spawned.
    """
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


# How often an interactive console is asked for input while QEMU prints nothing.
INPUT_POLL_S = 0.1


def run_qemu(cmd, console, timeout, interactive=False):
    """Run QEMU until it exits or a deadline passes.

    Returns (how, status): how is "exit" (status is QEMU's exit status), "timeout"
    (the overall timeout passed) or the how of the console's limit() that passed
    (status None: we killed QEMU). With interactive, QEMU's stdin is a pipe that
    console.take_input() fills; otherwise /dev/null.
    """
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if interactive else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True,  # own process group
                            preexec_fn=die_with_parent)
    try:
        fd = proc.stdout.fileno()
        sel = selectors.DefaultSelector()
        sel.register(fd, selectors.EVENT_READ)
        overall = time.monotonic() + timeout
        while True:
            how, deadline = "timeout", overall
            limit = console.limit()
            if limit is not None and limit[1] < deadline:
                how, deadline = limit
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            # Interactive consoles may want to type while QEMU is silent (a key
            # while a command runs): look again every INPUT_POLL_S.
            if sel.select(min(remaining, INPUT_POLL_S) if interactive else remaining):
                data = os.read(fd, 65536)
                if not data:
                    # QEMU closed its output: it has exited by itself.
                    console.finish()
                    return "exit", proc.wait()
                console.feed(data)
            elif not interactive:
                continue
            if interactive:
                typed = console.take_input()
                if typed:
                    try:
                        proc.stdin.write(typed)
                        proc.stdin.flush()
                    except BrokenPipeError:
                        pass
        console.finish()
        return how, None
    finally:
        # Whatever happened (verdict reached, a stop signal, a bug here),
        # never leave QEMU behind. Only signal the group while the child is
        # unreaped, so the id cannot have been reused by someone else.
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        proc.stdout.close()
        if proc.stdin:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass
