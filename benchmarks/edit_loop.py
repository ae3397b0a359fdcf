"""The edit loop on the 13,543-file python tree of ``lint_speed.py``: what one edit costs.

Builds the tree (``lint_speed.build_python``), runs ``slicegen storm`` on it (which also writes
``events.lock.toml``: 2,000 event types), then prints medians of ``--repeat`` runs, each beside
its peer in the same run:

- ``slicegen lint`` after one edited file, each in a fresh process (as an editor's save hook or
  a pre-commit hook runs it), with and without SG205 (the contract check), beside
  ``ruff check --select N`` with its cache after the same edit: a helper module's comment (an
  edit no rule can see: :mod:`slicegen.lint.persist` reads that file alone), an event
  file's comment (an artifact whose record keeps all the rules read of it: unseen too) and an
  optional field added to that event (seen: a run with the per-file cache);
- what ``slicegen lsp`` does on a change, in this process (warm), against the 100 ms an editor
  should answer in: before, a full lint with the edited buffer read from memory; now, a re-lint
  from the last run's state (``run_lint(previous=...)``, :mod:`slicegen.lint.delta`), for a
  change no rule can see and for one the model sees (an event file's definitions moved): with
  the tree stat'ed in the re-lint (after a code action's command wrote files), with what a poll
  of the tree found (where nothing can watch: the server polls while a burst of typing settles,
  and that poll's cost is its own row, off the answer's path; a client without a watcher gets
  the server's own), and with a watcher (the client's or the server's) reporting what changed
  on disk (``disk_changes``, :mod:`slicegen.lint.watched`), also for an event file saved to disk
  and for the first change after the workspace was opened.

Run: ``python benchmarks/edit_loop.py [--repeat 5] [--dir PATH] [--scale 7.4] [--no-server]``
(``--scale`` builds that many times the slices and modules: 7.4 makes about 100k files;
``--no-server`` leaves out the in-process rows).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from lint_speed import build_python, refresh_docs, timed

from slicegen.lint.daemon_client import socket_name
from slicegen.lint.delta import poll, with_boundary_records
from slicegen.lint.engine import LintOptions, run_lint

EDITED = "src/shop/accounts/read_models/module_0.py"
EVENT = "src/shop/accounts/domain/register_batch0/event_v1.py"


def commented(text: str, n: int) -> str:
    """A comment appended: no definition moves."""
    return text + f"\n# edit {n}\n"


def field_added(text: str, n: int) -> str:
    """An optional field added to the event class (its stored shape changes)."""
    last = "    occurred_at: datetime\n"
    assert last in text, "the event file of lint_speed.build_python"
    return text.replace(last, f"{last}    extra_{time.time_ns()}_{n}: str | None = None\n", 1)


def median_of(
    repeat: int,
    edit: Path,
    cmd: list[str],
    root: Path,
    change: Any = commented,
    elsewhere: Callable[[], float] | None = None,
) -> tuple[float, float]:
    """Median (wall, cpu) of ``cmd`` run after editing ``edit`` (``change``) each time; the
    CPU includes what ``elsewhere`` (the CPU seconds another process has used so far, e.g. the
    lint server that answers ``cmd``) grew by during the run, so no work is hidden."""
    walls, cpus = [], []
    for n in range(repeat):
        edit.write_text(change(edit.read_text(encoding="utf-8"), n), encoding="utf-8")
        before = elsewhere() if elsewhere else 0.0
        wall, cpu = timed(cmd, root)
        walls.append(wall)
        cpus.append(cpu + (elsewhere() - before if elsewhere else 0.0))
    return statistics.median(walls), statistics.median(cpus)


def server_cpu(root: Path) -> float:
    """CPU seconds (user + system) the workspace's lint server has used so far (Linux)."""
    pid = (root / ".slicegen_cache" / (socket_name() + ".lock")).read_text().strip()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def saved_event(
    root: Path, event: Path, text: str, repeat: int
) -> tuple[list[float], list[float], int]:
    """Re-lints after the event file is saved with one more first line each time (its
    definitions move: the record changes), as the watcher reports it."""
    state = run_lint(root).state
    walls, cpus, relinted = [], [], 0
    for n in range(repeat):
        event.write_text("\n" * n + f"# saved {n}\n" + text, encoding="utf-8")
        options = LintOptions(previous=state, disk_changes=frozenset({EVENT}))
        start, cpu = time.perf_counter(), time.process_time()
        result = run_lint(root, options)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        relinted += result.relinted
        state = result.state
    event.write_text(text, encoding="utf-8")
    return walls, cpus, relinted


def first_change(root: Path, text: str, repeat: int) -> tuple[list[float], list[float], int]:
    """The first change after the full run of an opened workspace, once the server made the
    boundary check's records while idle (:func:`slicegen.lint.delta.with_boundary_records`)."""
    walls, cpus, relinted = [], [], 0
    for n in range(repeat):
        state = run_lint(root, LintOptions(overlay={EVENT: text + "\n"})).state
        assert state is not None
        state = with_boundary_records(state)
        options = LintOptions(
            overlay={EVENT: f"# first {n}\n" + text}, previous=state, disk_changes=frozenset()
        )
        start, cpu = time.perf_counter(), time.process_time()
        result = run_lint(root, options)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        relinted += result.relinted
    return walls, cpus, relinted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None, help="Build the tree here (kept).")
    parser.add_argument("--scale", type=float, default=1.0, help="Times the slices and modules.")
    parser.add_argument("--no-server", action="store_true", help="Only the fresh processes.")
    args = parser.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="slicegen-edit-"))
    root = base / "python"
    if not (root / "slicegen.toml").exists():
        files = build_python(root, args.scale)
        refresh_docs(root)
        print(f"built {files} source files in {root}")
    lock = root / "events.lock.toml"
    print(f"events.lock.toml: {lock.read_text().count('[events.') if lock.exists() else 0} types")
    bindir = Path(sys.executable).parent
    lint = [str(bindir / "slicegen"), "lint", ".", "--format", "json"]
    ruff = [str(bindir / "ruff"), "check", "--select", "N", "--exit-zero", "-q", "."]
    edit, event = root / EDITED, root / EVENT
    print(f"{sum(1 for p in root.rglob('*.py'))} python files")
    for cmd in (lint, ruff, [*lint, "--ignore", "SG205"]):
        timed(cmd, root)  # caches filled
        edit.write_text(edit.read_text(encoding="utf-8") + "\n# warm\n", encoding="utf-8")
        timed(cmd, root)  # a full run after an edit: what a later edit is judged against
    rows = {
        "slicegen lint, one file edited": median_of(args.repeat, edit, lint, root),
        "slicegen lint --ignore SG205, one file edited": median_of(
            args.repeat, edit, [*lint, "--ignore", "SG205"], root
        ),
        "ruff --select N (cache), one file edited": median_of(args.repeat, edit, ruff, root),
        "slicegen lint, an event file edited": median_of(args.repeat, event, lint, root),
        "ruff --select N (cache), an event file edited": median_of(args.repeat, event, ruff, root),
        "slicegen lint, an event's field added": median_of(
            args.repeat, event, lint, root, field_added
        ),
        "ruff --select N (cache), an event's field added": median_of(
            args.repeat, event, ruff, root, field_added
        ),
    }
    if sys.platform == "linux":  # the server's CPU is read from /proc
        daemon = [*lint, "--daemon"]
        timed(daemon, root)  # the server started, its first (full) lint done
        timed(daemon, root)
        served = partial(server_cpu, root)
        rows["slicegen lint --daemon, one file edited"] = median_of(
            args.repeat, edit, daemon, root, elsewhere=served
        )
        rows["slicegen lint --daemon, an event's field added"] = median_of(
            args.repeat, event, daemon, root, field_added, served
        )
        timed([*lint, "--stop-daemon"], root)
    peer = rows["ruff --select N (cache), one file edited"]
    for name, (wall, cpu) in rows.items():
        print(f"  {name:<48} wall {wall:6.3f} s  cpu {cpu:6.3f} s")
    for name, against in (
        ("slicegen lint, one file edited", peer),
        ("slicegen lint --ignore SG205, one file edited", peer),
        (
            "slicegen lint, an event file edited",
            rows["ruff --select N (cache), an event file edited"],
        ),
        (
            "slicegen lint, an event's field added",
            rows["ruff --select N (cache), an event's field added"],
        ),
        ("slicegen lint --daemon, one file edited", peer),
        (
            "slicegen lint --daemon, an event's field added",
            rows["ruff --select N (cache), an event's field added"],
        ),
    ):
        if name not in rows:
            continue
        wall, cpu = rows[name]
        print(f"  {name} / ruff: wall {wall / against[0]:.2f}x, cpu {cpu / against[1]:.2f}x")
    if args.no_server:
        return
    text = edit.read_text(encoding="utf-8")
    run_lint(root, LintOptions(overlay={EDITED: text}))  # the server's first lint
    changes, change_cpu = [], []
    for n in range(args.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        run_lint(root, LintOptions(overlay={EDITED: text + f"\nx_{n} = {n}\n"}))
        changes.append(time.perf_counter() - start)
        change_cpu.append(time.process_time() - cpu)
    # what the server does now: a re-lint from its last state, for a change no rule can see (a
    # line typed in a helper module) and for one the model sees (one more line inserted at the
    # top of an event file each time: every definition below moves, so the record changes)
    event_text = event.read_text(encoding="utf-8")
    lsp = {
        "a helper module's buffer": (EDITED, text, "\ny_{n} = {n}\n", ""),
        "an event file's buffer": (EVENT, event_text, "", "{lines}# edit {n}\n"),
    }
    relints: dict[str, tuple[list[float], list[float], int]] = {}
    polls: tuple[list[float], list[float]] = ([], [])
    for how in ("stat", "polled", "watcher"):
        for label, (rel, base, suffix, prefix) in lsp.items():
            state = run_lint(root, LintOptions(overlay={rel: base + "\n"})).state
            assert state is not None
            walls, cpus, relinted = [], [], 0
            for n in range(args.repeat):
                lines = "\n" * n
                buffer = prefix.format(n=n, lines=lines) + base + suffix.format(n=n)
                options = LintOptions(overlay={rel: buffer}, previous=state)
                options.disk_changes = frozenset() if how == "watcher" else None  # none changed
                if how == "polled":  # the server's poll while the burst settles: not waited for
                    start, cpu = time.perf_counter(), time.process_time()
                    options.disk_changes = poll(root, state)
                    polls[0].append(time.perf_counter() - start)
                    polls[1].append(time.process_time() - cpu)
                start, cpu = time.perf_counter(), time.process_time()
                result = run_lint(root, options)
                walls.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
                relinted += result.relinted
                assert result.state is not None
                state = result.state
            relints[f"{label}, {how}"] = (walls, cpus, relinted)
    relints["an event file saved, watcher"] = saved_event(root, event, event_text, args.repeat)
    relints["first change after opening, watcher"] = first_change(root, event_text, args.repeat)
    figures = {"full lint of one changed buffer (before)": (changes, change_cpu)}
    for label, (walls, cpus, relinted) in relints.items():
        figures[f"lsp re-lint, {label} ({relinted}/{args.repeat})"] = (walls, cpus)
    figures["lsp poll of the tree, no watcher (while a burst settles)"] = polls
    for name, (walls, cpus) in figures.items():
        print(
            f"  {name:<56} wall {statistics.median(walls):6.3f} s  "
            f"cpu {statistics.median(cpus):6.3f} s"
        )
    for name, (walls, cpus) in figures.items():
        print(
            f"  {name} / 100 ms target: wall {statistics.median(walls) / 0.1:.1f}x, "
            f"cpu {statistics.median(cpus) / 0.1:.1f}x"
        )


if __name__ == "__main__":
    main()
