"""How close is the warm ``slicegen lint`` (the replay, :mod:`slicegen.lint.fast`) to its floor?

Runs each command ``--repeat`` times in an existing benchmark tree (``benchmarks/lint_speed.py``
builds them) and prints the median wall and CPU time (user + system) of:

- ``python -c pass``: the interpreter's start-up, the floor of any Python CLI;
- a bare walk: ``os.scandir`` every folder and ``stat`` every file, in one Python process;
- a bare stat list: ``os.stat`` every folder and source file the replay checks, nothing else;
- ``slicegen lint . --format json`` warm (replayed), and ``ruff check --select N`` warm.

Usage: ``python benchmarks/replay_floor.py --tree /tmp/lb_h1/python [--repeat 15]``
"""

from __future__ import annotations

import argparse
import marshal
import os
import statistics
import sys
import tempfile
from pathlib import Path

from lint_speed import timed  # the same timing as the lint benchmark

BARE_WALK = """
import os, sys
stack = [sys.argv[1]]
while stack:
    for e in os.scandir(stack.pop()):
        if e.is_dir(follow_symlinks=False):
            if e.name not in ('.slicegen_cache', '.ruff_cache', '.git'):
                stack.append(e.path)
        else:
            e.stat()
"""

STAT_LIST = """
import marshal, os, sys
with open(sys.argv[1], 'rb') as f:
    paths = marshal.loads(f.read())
os.chdir(sys.argv[2])
hash(tuple([v for s in map(os.stat, paths) for v in (s.st_mtime_ns, s.st_size)]))
"""


def median_of(repeat: int, cmd: list[str], cwd: Path) -> tuple[float, float]:
    runs = [timed(cmd, cwd) for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    tree: Path = args.tree.resolve()
    bindir = Path(sys.executable).parent
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from slicegen.model.discovery import walk

    walked = walk(tree, [], True)
    paths = [d or "." for d in walked.dir_stats] + list(walked.stats)
    with tempfile.NamedTemporaryFile(suffix=".marshal", delete=False) as handle:
        handle.write(marshal.dumps(paths))
    slicegen = [str(bindir / "slicegen"), "lint", ".", "--format", "json"]
    for _ in range(3):  # cache, then replay record, then a replay
        timed(slicegen, tree)
    rows = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("bare walk (scandir + stat)", [sys.executable, "-c", BARE_WALK, str(tree)]),
        ("bare stat list (replay's)", [sys.executable, "-c", STAT_LIST, handle.name, str(tree)]),
        ("slicegen lint warm (replay)", slicegen),
    ]
    ruff = bindir / "ruff"
    if ruff.exists():
        rcmd = [str(ruff), "check", "--select", "N", "--exit-zero", "-q", "."]
        timed(rcmd, tree)
        rows.append(("ruff --select N warm", rcmd))
    print(f"{tree}: {len(walked.dir_stats)} folders, {len(walked.stats)} source files")
    print(f"{'':32} {'wall s':>8} {'cpu s':>8}   (median of {args.repeat})")
    for name, cmd in rows:
        wall, cpu = median_of(args.repeat, cmd, tree)
        print(f"{name:32} {wall:8.3f} {cpu:8.3f}")
    os.unlink(handle.name)


if __name__ == "__main__":
    main()
