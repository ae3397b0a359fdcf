"""Time ``slicegen storm``, ``storm --check`` and ``storm --export`` on a generated workspace.

Builds a python workspace of 2 domains x N slices with the real commands (in process), then prints
the median wall time of each storm operation over a few runs; given two or more sizes, how the
time grew beside the size (linear: no faster than the slices). Usage:
``python benchmarks/storm_speed.py [N ...]`` (default 20). With ``--synthetic [S ...]``
(default 1000 4000): trees of S slices written directly (as ``lint_speed.py`` writes them), and
the CPU time of ``storm`` and ``storm --check`` on each, each step's growth beside its size
ratio; a run that fails stops the benchmark.
"""

from __future__ import annotations

import itertools
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from typer.testing import CliRunner

from slicegen.cli import app

VERBS = ["approve", "cancel", "close", "confirm", "open", "pay", "reopen", "ship", "suspend"]


def run(*args: str) -> int:
    return CliRunner().invoke(app, list(args), prog_name="slicegen").exit_code


def median_seconds(args: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build(root: Path, per_domain: int) -> None:
    d = str(root)
    run("init", d, "--stack", "python", "--app", "shop")
    for domain in ("sales", "billing"):
        run("new-domain", domain, "-C", d)
        for i in range(per_domain):
            verb = VERBS[i % len(VERBS)]
            run("add-slice", domain, f"{verb}_item{i}", "-f", "note:str", "-C", d)
    run("storm", "-C", d)


def synthetic(root: Path, slices: int) -> None:
    """A python tree of ``slices`` slices over 20 domains as ``lint_speed.py`` writes them
    (without its ordinary modules), documents brought up to date by ``slicegen storm``."""
    import re

    import lint_speed as tree  # the benchmark beside this one

    files = {"slicegen.toml": 'stack = "python"\napp = "shop"\n'}
    for d in tree.DOMAINS:
        state = f"{tree.pascal(tree.singular(d))}State"
        ours = {f"src/shop/{d}/state.py": "class State:\n    closed = False\n"}
        for i in range(slices // len(tree.DOMAINS)):
            ours.update(tree.py_slice("shop", d, i))
        files.update({rel: re.sub(r"\bState\b", state, text) for rel, text in ours.items()})
    tree.write(root, files)
    tree.refresh_docs(root)


def cpu_seconds(args: list[str], cwd: Path) -> float:
    """CPU time (user + system) of ``slicegen ARGS`` in a fresh process, which must succeed (a
    failing run is no figure)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    exe = str(Path(sys.executable).with_name("slicegen"))
    done = subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"slicegen {' '.join(args)} failed ({done.returncode}): {done.stderr[-500:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main_synthetic(sizes: list[int]) -> None:
    """``storm`` and ``storm --check`` CPU time on synthetic trees of each size (best of 3), and
    each step's growth beside the size ratio (linear: at most the size ratio)."""
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for slices in sizes:
            root = Path(tmp) / f"t{slices}"
            synthetic(root, slices)
            files = sum(1 for p in root.rglob("*") if p.is_file())
            for label, args in (("storm", ["storm"]), ("storm --check", ["storm", "--check"])):
                best = min(cpu_seconds(args, root) for _ in range(3))
                times.setdefault(label, []).append(best)
                print(f"{slices:6} slices ({files:6} files)  {label:<14} cpu {best:7.2f} s")
    for label, values in times.items():
        steps = [
            f"{a} -> {b}: size {b / a:.1f}x, cpu {tb / ta:.2f}x"
            for (a, ta), (b, tb) in itertools.pairwise(zip(sizes, values, strict=True))
        ]
        print(f"{label:<14} " + "; ".join(steps))


def main() -> None:
    if sys.argv[1:2] == ["--synthetic"]:
        main_synthetic([int(a) for a in sys.argv[2:]] or [1000, 4000])
        return
    sizes = [int(a) for a in sys.argv[1:]] or [20]
    medians: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for per_domain in sizes:
            root = Path(tmp) / f"ws{per_domain}"
            build(root, per_domain)
            d = str(root)
            print(f"workspace: 2 domains, {2 * per_domain} slices")
            for label, args in (
                ("storm --check", ["storm", "--check", "-C", d]),
                ("storm (no change)", ["storm", "-C", d]),
                ("storm --export", ["storm", "--export", "-C", d]),
            ):
                seconds = median_seconds(args)
                medians.setdefault(label, []).append(seconds)
                print(f"{label:<20} median {seconds * 1000:8.1f} ms")
    if len(sizes) > 1:  # linear: the time grows by the size ratio at most
        growth = sizes[-1] / sizes[0]
        for label, times in medians.items():
            print(
                f"{label:<20} {sizes[0] * 2} -> {sizes[-1] * 2} slices ({growth:.1f}x): "
                f"time {times[-1] / times[0]:.2f}x"
            )


if __name__ == "__main__":
    main()
