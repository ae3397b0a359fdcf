"""Startup time of ``slicegen --help`` and ``--version`` beside ``python -c pass``.

Prints the median of 20 runs of each (target: ``slicegen --help`` median <= 80 ms), and checks that
the help and version paths import neither copier, libcst nor tree-sitter. The last row is a cold
``slicegen lint --no-cache`` of a one-file workspace with a ``slicegen.toml`` (what lint pays
before its tree matters); its heavy modules are listed too (pydantic only for a bad config).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
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


def heavy_imports(args: list[str], cwd: Path | None = None) -> list[str]:
    code = (
        "import sys; from slicegen.entry import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print('MODULES:' + ','.join(sorted({m.split('.')[0] for m in sys.modules} "
        f"& set({HEAVY!r}))))"
    )
    argv = [sys.executable, "-c", code]
    out = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=cwd)
    line = out.stdout.rsplit("MODULES:", 1)[1].strip()
    return [m for m in line.split(",") if m]


def main() -> None:
    exe = str(Path(sys.executable).with_name("slicegen"))
    if not Path(exe).exists():
        exe = shutil.which("slicegen") or exe
    tree = Path(tempfile.mkdtemp(prefix="slicegen-startup-"))
    (tree / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n', encoding="utf-8")
    (tree / "src" / "shop").mkdir(parents=True)
    (tree / "src" / "shop" / "__init__.py").write_text("", encoding="utf-8")
    lint = ["lint", "--no-cache", "--format", "json", str(tree)]
    rows = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("slicegen --help", [exe, "--help"]),
        ("slicegen --version", [exe, "--version"]),
        ("python -m slicegen --help", [sys.executable, "-m", "slicegen", "--help"]),
        ("slicegen lint --no-cache (1 file)", [exe, *lint]),
    ]
    print(f"median of {RUNS} runs")
    for label, argv in rows:
        print(f"  {label:<33} {median_ms(argv):7.1f} ms")
    for args in (["--help"], ["--version"], lint):
        loaded = heavy_imports(args, tree)
        shown = " ".join(args[:2])
        print(f"  heavy modules imported by {shown}: {', '.join(loaded) or 'none'}")
    shutil.rmtree(tree, ignore_errors=True)
    print("target: slicegen --help median <= 80 ms")


if __name__ == "__main__":
    main()
