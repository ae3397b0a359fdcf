"""Startup time of ``slicegen --help`` and ``--version`` beside ``python -c pass``.

Prints the median of 20 runs of each (target: ``slicegen --help`` median <= 80 ms), and checks that
the help and version paths import neither copier, libcst nor tree-sitter.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 20
HEAVY = ("copier", "libcst", "tree_sitter", "typer", "pydantic", "jinja2")


def median_ms(argv: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def heavy_imports(args: list[str]) -> list[str]:
    code = (
        f"import sys; from slicegen.entry import main; main({args!r}); "
        "print('MODULES:' + ','.join(sorted(m for m in sys.modules "
        f"if m.split('.')[0] in {HEAVY!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    line = out.stdout.rsplit("MODULES:", 1)[1].strip()
    return [m for m in line.split(",") if m]


def main() -> None:
    exe = str(Path(sys.executable).with_name("slicegen"))
    if not Path(exe).exists():
        exe = shutil.which("slicegen") or exe
    rows = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("slicegen --help", [exe, "--help"]),
        ("slicegen --version", [exe, "--version"]),
        ("python -m slicegen --help", [sys.executable, "-m", "slicegen", "--help"]),
    ]
    print(f"median of {RUNS} runs")
    for label, argv in rows:
        print(f"  {label:<28} {median_ms(argv):7.1f} ms")
    for args in (["--help"], ["--version"]):
        loaded = heavy_imports(args)
        print(f"  heavy modules imported by {' '.join(args)}: {', '.join(loaded) or 'none'}")
    print("target: slicegen --help median <= 80 ms")


if __name__ == "__main__":
    main()
