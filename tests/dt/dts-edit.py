#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Make a broken variant of a device tree source, as `dtc -O dts` prints it.

Nodes are picked by what drivers look them up by, not by path, so the edits
keep working when QEMU renames a node:

  --delete-node COMPAT         drop every node whose compatible lists COMPAT
  --delete-type TYPE           drop every node whose device_type is TYPE
  --delete-prop COMPAT PROP    drop property PROP of nodes compatible with COMPAT

Exits 1 if an edit matched nothing: a variant identical to the original would
make its test pass or fail for the wrong reason.
"""

import argparse
import re
import sys

NODE_START_RE = re.compile(r"^\s*[^=;]*\{\s*$")
NODE_END_RE = re.compile(r"^\s*\};\s*$")
PROP_RE = re.compile(r'^\s*([\w,.#+?-]+)\s*(?:=\s*(.*?))?;\s*$')


def parse_nodes(lines):
    """(start, end, props) for each node: its line range and its own properties."""
    nodes, stack = [], []
    for i, line in enumerate(lines):
        if NODE_START_RE.match(line):
            stack.append((i, {}, {}))
        elif NODE_END_RE.match(line):
            start, props, prop_lines = stack.pop()
            nodes.append((start, i, props, prop_lines))
        elif stack:
            m = PROP_RE.match(line)
            if m:
                stack[-1][1][m.group(1)] = m.group(2) or ""
                stack[-1][2][m.group(1)] = i
    if stack:
        sys.exit("dts-edit: unbalanced braces")
    return nodes


def strings(value):
    """The strings of a "a\\0b" string-list property value."""
    if not value.startswith('"'):
        return []
    return [s for s in value.strip('"').split("\\0") if s]


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--delete-node", metavar="COMPAT", action="append", default=[])
    p.add_argument("--delete-type", metavar="TYPE", action="append", default=[])
    p.add_argument("--delete-prop", metavar=("COMPAT", "PROP"), nargs=2,
                   action="append", default=[])
    args = p.parse_args()

    with open(args.input, encoding="utf-8") as f:
        lines = f.read().split("\n")
    drop = set()
    unmatched = set(args.delete_node) | set(args.delete_type) | \
        {f"{c} {pr}" for c, pr in args.delete_prop}
    for start, end, props, prop_lines in parse_nodes(lines):
        compat = strings(props.get("compatible", ""))
        dtype = strings(props.get("device_type", ""))
        for c in args.delete_node:
            if c in compat:
                drop.update(range(start, end + 1))
                unmatched.discard(c)
        for t in args.delete_type:
            if t in dtype:
                drop.update(range(start, end + 1))
                unmatched.discard(t)
        for c, pr in args.delete_prop:
            if c in compat and pr in prop_lines:
                drop.add(prop_lines[pr])
                unmatched.discard(f"{c} {pr}")
    if unmatched:
        sys.exit(f"dts-edit: nothing matched {', '.join(sorted(unmatched))}")
    with open(args.output, "w", encoding="utf-8") as f:
        f.write("\n".join(l for i, l in enumerate(lines) if i not in drop))


if __name__ == "__main__":
    main()
