"""Time ``slicegen storm``, ``storm --check`` and ``storm --export`` on a generated workspace.

Builds a python workspace of 2 domains x N slices with the real commands (in process), then prints
the median wall time of each storm operation over a few runs; given two or more sizes, how the
time grew beside the size (linear: no faster than the slices). Usage:
``python benchmarks/storm_speed.py [N ...]`` (default 20).
"""

from __future__ import annotations

import statistics
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


def main() -> None:
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
