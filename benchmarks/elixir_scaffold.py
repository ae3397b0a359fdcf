"""Benchmark: the elixir stack's ``add-slice`` as a domain grows.

Each ``add-slice`` renders eight files and makes tree-sitter located edits in the router, the type
mapper, the aggregate and the public API, files that grow with every slice. This prints, for a
domain that already has 0, 25 and 100 slices, the median time to plan one more slice (templates,
parses, edits, statuses; nothing written) and to execute it (planned and written atomically),
both in-process with the modules already imported.

    python benchmarks/elixir_scaffold.py [--runs 7]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from slicegen.change_set import ChangeSet
from slicegen.execute import execute
from slicegen.scaffold import commands
from slicegen.workspace import find_workspace

VERBS = (
    "open",
    "close",
    "suspend",
    "verify",
    "approve",
    "reject",
    "archive",
    "restore",
    "audit",
    "settle",
)
NOUNS = (
    "account",
    "ledger",
    "invoice",
    "ticket",
    "order",
    "profile",
    "voucher",
    "contract",
    "budget",
    "payment",
    "mandate",
    "report",
    "claim",
)


def command_names() -> list[str]:
    return [f"{verb}_{noun}" for noun in NOUNS for verb in VERBS]


def grow(root: Path, count: int, names: list[str]) -> None:
    ws = find_workspace(root)
    for name in names[:count]:
        build = commands.add_slice(ws, "accounts", name, None, ["email:str", "score:int"], [])
        execute(root, build, out=io.StringIO())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    names = command_names()
    print("existing slices | plan add-slice (ms) | execute add-slice (ms)")
    for existing in (0, 25, 100):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            execute(
                root, commands.init_workspace(root, "elixir", "reckon", False), out=io.StringIO()
            )
            execute(
                root, commands.new_domain(find_workspace(root), "accounts", None), out=io.StringIO()
            )
            grow(root, existing, names)
            ws = find_workspace(root)
            plan_ms, exec_ms = [], []
            for run in range(runs):
                name = names[existing + run]
                build = commands.add_slice(ws, "accounts", name, None, ["email:str"], ["summary"])
                start = time.perf_counter()
                changes = ChangeSet(root)
                build(changes)
                changes.plan()
                plan_ms.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                execute(root, build, out=io.StringIO())
                exec_ms.append((time.perf_counter() - start) * 1000)
            print(
                f"{existing:>15} | {statistics.median(plan_ms):>19.1f} | "
                f"{statistics.median(exec_ms):>22.1f}"
            )


if __name__ == "__main__":
    main()
