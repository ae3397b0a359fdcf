"""What the bare minimum costs in Python, for comparison with ``slicegen lint`` and ruff.

``python benchmarks/python_floor.py walk ROOT`` walks ROOT with ``os.scandir`` (skipping hidden
folders) and stats every ``.py``/``.ex``/``.exs`` file: what a plain up-to-date check of a tree
costs in Python (a reference: the lint replay does less, stat'ing the stored paths again in two
processes). ``python benchmarks/python_floor.py parse ROOT`` reads and
``ast.parse``s, in two processes, every Python file inside a ``domain/`` folder (the slice files,
which the lint rules must parse to know their classes, functions and type strings): the least a
cold run that reports syntax errors in those files must do. ``parse-one`` does the same in this
one process (no pool: the CPU floor, beside which the cold rows of ``lint_speed.py --cold`` show
what is left for slicegen's own work). Each prints the file count; time the whole process from
outside (``benchmarks/lint_speed.py`` does).
"""

from __future__ import annotations

import ast
import os
import sys
from multiprocessing import Pool

SOURCE = (".py", ".ex", ".exs")


def walk(folder: str, out: list[tuple[str, int, int]]) -> None:
    """Every source file under ``folder`` with its mtime and size."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(SOURCE):
                info = entry.stat()
                out.append((entry.path, info.st_mtime_ns, info.st_size))
            elif entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                walk(entry.path, out)


def parse_all(paths: list[str]) -> int:
    """Read and parse each file; the number that parsed."""
    done = 0
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            ast.parse(data)
            done += 1
        except SyntaxError:
            pass
    return done


def main() -> None:
    mode, root = sys.argv[1], sys.argv[2]
    found: list[tuple[str, int, int]] = []
    walk(root, found)
    if mode == "walk":
        print(len(found))
        return
    slices = [p for p, _, _ in found if p.endswith(".py") and "/domain/" in p]
    if mode == "parse-one":
        print(parse_all(slices))
        return
    chunks = [slices[i::8] for i in range(8)]
    with Pool(2) as pool:
        print(sum(pool.map(parse_all, chunks)))


if __name__ == "__main__":
    main()
