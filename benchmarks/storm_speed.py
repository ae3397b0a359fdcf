"""Time ``slicegen storm``, ``storm --check`` and ``storm --export`` on a generated workspace.

Builds a python workspace of 2 domains x N slices with the real commands (in process), then prints
the median wall time of each storm operation over a few runs. Usage:
``python benchmarks/storm_speed.py [N]`` (default 20).
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


def main() -> None:
    per_domain = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        d = str(root)
        run("init", d, "--stack", "python", "--app", "shop")
        for domain in ("sales", "billing"):
            run("new-domain", domain, "-C", d)
            for i in range(per_domain):
                verb = VERBS[i % len(VERBS)]
                run("add-slice", domain, f"{verb}_item{i}", "-f", "note:str", "-C", d)
        run("storm", "-C", d)
        slices = 2 * per_domain
        print(f"workspace: 2 domains, {slices} slices")
        for label, args in (
            ("storm --check", ["storm", "--check", "-C", d]),
            ("storm (no change)", ["storm", "-C", d]),
            ("storm --export", ["storm", "--export", "-C", d]),
        ):
            print(f"{label:<20} median {median_seconds(args) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
