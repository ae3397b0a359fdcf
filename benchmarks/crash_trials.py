"""Crash trials: SIGKILL slicegen writes at every file operation and check the workspace.

For every scenario of ``tests/reliability/crash_harness.py`` whose command the stacks implement
(``init``, and ``new-domain``/``add-slice`` per stack once they exist), and then for seeded random
edits of an initialised workspace re-initialised with ``--force`` until at least ``--min-trials``
trials ran, it kills the run after each op count from 0 to the total (and, once per scenario, kills
the next run again at each step of its rollback), and counts how the workspace looks right after
the kill (before / after / half-written with a pending journal) and after the next run's automatic
recovery (before / after / bad). Exits 1 if any trial is bad.

    .venv/bin/python benchmarks/crash_trials.py [--min-trials 100] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.crash_harness import (
    NoChange,
    Outcome,
    Prepared,
    Scenario,
    must,
    prepare,
    scenarios,
)


def random_edit(seed: int, stack: str) -> Scenario:
    """An initialised workspace with seeded random deletions, appends and CRLF conversions."""

    def prepare_tree(root: Path) -> None:
        rng = random.Random(seed)
        must(["init", "--stack", stack, "--app", "shop"], root)
        files = sorted(
            p
            for p in root.rglob("*")
            if p.is_file() and ".slicegen" not in p.parts and p.name != "slicegen.toml"
        )
        choices = [
            rng.choice(["keep", "delete", "delete", "append", "crlf", "chop"]) for _ in files
        ]
        if set(choices) == {"keep"}:
            choices[rng.randrange(len(files))] = "delete"
        for path, choice in zip(files, choices, strict=True):
            if choice == "delete":
                path.unlink()
            elif choice == "append":
                path.write_bytes(path.read_bytes() + b"user line\n")
            elif choice == "crlf":
                path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
            elif choice == "chop":
                path.write_bytes(path.read_bytes().rstrip(b"\n"))
        for folder in sorted({p.parent for p in files}, reverse=True):
            if folder != root and rng.random() < 0.2 and folder.exists():
                for leftover in sorted(folder.rglob("*"), reverse=True):
                    leftover.rmdir() if leftover.is_dir() else leftover.unlink()
                folder.rmdir()

    return Scenario(
        f"{stack} init --force, random edit #{seed}",
        prepare_tree,
        ("init", "--stack", stack, "--app", "shop", "--force"),
    )


def run(prepared: Prepared, total: Outcome) -> None:
    ops = prepared.total_ops()
    outcome = Outcome()
    for kill_after in range(ops + 1):
        outcome.add(prepared.trial(kill_after))
    # a second kill while the next run rolls the first one back, at each of its operations
    first = prepared.mid_rename_point(ops)
    for second in range(prepared.recovery_ops() + 1):
        outcome.add(prepared.trial(first, recovery_kill=second))
    total.add(outcome)
    print(
        f"{prepared.scenario.name:<48} ops={ops:>4} trials={outcome.trials:>4} "
        f"before={outcome.before:>4} after={outcome.after:>4} bad={len(outcome.bad)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    total = Outcome()
    started = time.perf_counter()
    skipped = []
    with tempfile.TemporaryDirectory(prefix="slicegen-crash-") as scratch:
        for index, scenario in enumerate(scenarios()):
            prepared = prepare(scenario, Path(scratch) / f"s{index}")
            if prepared is None:
                skipped.append(scenario.name)
                continue
            run(prepared, total)
        seed = args.seed
        while total.trials < args.min_trials:
            stack = ("python", "elixir")[seed % 2]
            try:
                prepared = prepare(random_edit(seed, stack), Path(scratch) / f"r{seed}")
            except NoChange:  # the edits were all kept by the re-init: nothing to interrupt
                prepared = None
            if prepared is not None:
                run(prepared, total)
            seed += 1
    elapsed = time.perf_counter() - started
    if skipped:
        print(f"skipped (not implemented by the stack yet): {', '.join(skipped)}")
    print(
        f"trials: {total.trials}  right after the kill: before={total.raw_before} "
        f"after={total.raw_after} half-written-with-journal={total.raw_pending}"
    )
    print(
        f"after automatic recovery: before={total.before} after={total.after} "
        f"bad={len(total.bad)}  ({elapsed:.0f}s)"
    )
    for problem in total.bad[:20]:
        print(f"  BAD {problem}")
    return 1 if total.bad else 0


if __name__ == "__main__":
    sys.exit(main())
