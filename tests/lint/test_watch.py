"""``slicegen lint --watch``: a first full report, then only new and fixed findings."""

from __future__ import annotations

import io
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from slicegen.lint.engine import LintOptions, LintResult, run_lint
from slicegen.lint.watch import relevant, reported_paths, watch

STRAY = "src/shop/accounts/domain/initialize_account/notes.bak"
#: Every wait for the watching process is bounded: one that never answers fails the test.
TIMEOUT = 60


def test_prints_only_what_changed(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python")
    out = io.StringIO()

    def changes(_root: Path) -> Iterator[object]:
        (root / STRAY).write_text("x")
        yield {"added"}
        yield {"nothing that matters"}
        (root / STRAY).unlink()
        yield {"deleted"}

    options = LintOptions(use_cache=False, ignore=["SG602"])  # the clean tree has no docs
    assert watch(root, options, out, changes) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("0 finding(s); watching")
    assert lines[1].startswith(f"+ {STRAY}:1:1: SG309 ")
    assert lines[2] == "1 new, 0 fixed, 1 in all"
    assert lines[3].startswith(f"- {STRAY}:1:1: SG309 ")  # the unchanged batch printed nothing
    assert lines[4] == "0 new, 1 fixed, 0 in all"
    assert len(lines) == 5


def test_slicegen_state_never_triggers_a_run() -> None:
    assert relevant("/ws/src/shop/accounts/app.py")
    assert not relevant("/ws/.slicegen_cache/shard-1")
    assert not relevant("/ws/.slicegen/lock")
    assert not relevant("/ws/.git/index")


def test_watch_in_a_real_process(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python")
    proc = subprocess.Popen(
        [sys.executable, "-m", "slicegen", "lint", "--watch", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    stdout = proc.stdout
    threading.Thread(target=lambda: [lines.put(x) for x in stdout], daemon=True).start()

    def until(wanted: str, poke: Callable[[int], None] | None = None) -> str:
        """The first line holding ``wanted``; ``poke`` changes the tree again while none
        comes (the watcher may not be listening yet when the first change lands)."""
        deadline, n = time.monotonic() + TIMEOUT, 0
        while time.monotonic() < deadline:
            if poke is not None:
                poke(n)
                n += 1
            try:
                got = lines.get(timeout=2)
            except queue.Empty:
                continue
            if wanted in got:
                return got
        raise AssertionError(f"no line with {wanted!r} within {TIMEOUT} s")

    try:
        until("watching")
        until("+ ", lambda n: (root / STRAY).write_text(f"edit {n}"))
        (root / STRAY).unlink()
        fixed = until("- ")
        assert f"{STRAY}:1:1: SG309" in fixed
    finally:
        proc.terminate()
        proc.wait(timeout=TIMEOUT)


def test_watch_refuses_other_formats(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python")
    done = subprocess.run(
        [sys.executable, "-m", "slicegen", "lint", "--watch", "--format", "json", str(root)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 2
    assert "--watch prints text, not 'json'" in done.stderr


def test_a_watch_leaves_the_full_run_its_last_run(make_tree: Callable[..., Path]) -> None:
    """A ``--select`` watch keeps its own last run: the next full ``slicegen lint`` of an
    unchanged tree is answered from the cache, not linted again."""
    root = make_tree("python")
    assert not run_lint(root, LintOptions()).cached_run

    def changes(_root: Path) -> Iterator[object]:
        yield {"a batch that changed nothing"}

    assert watch(root, LintOptions(select=["SG1"]), io.StringIO(), changes) == 0
    assert run_lint(root, LintOptions()).cached_run


def test_batches_after_the_first_are_relinted_from_their_paths(
    make_tree: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first batch stats the tree (the watcher may have started after the first run);
    later ones look only at the paths they name, and print what a full run finds."""
    from slicegen.lint import delta
    from slicegen.lint import watch as watching

    results: list[LintResult] = []

    def recorded(path: Path, options: LintOptions) -> LintResult:
        results.append(run_lint(path, options))
        return results[-1]

    monkeypatch.setattr(watching, "run_lint", recorded)
    root = make_tree("python")
    rel = "src/shop/accounts/domain/activate_account/event_v1.py"
    out = io.StringIO()
    runs: list[bool] = []

    def refused(*_: object) -> None:
        raise AssertionError("the tree was stat'ed")

    def changes(_root: Path) -> Iterator[object]:
        (root / STRAY).write_text("x")
        yield {(1, str(root / STRAY))}
        monkeypatch.setattr(delta, "_stat_changes", refused)
        path = root / rel
        path.write_text(path.read_text() + "\n\nclass AccountCreatedV1:\n    pass\n")
        yield {(2, str(path))}
        runs.append(True)

    options = LintOptions(use_cache=False, ignore=["SG602"])
    assert watch(root, options, out, changes) == 0
    assert runs == [True]
    assert [r.relinted for r in results] == [False, False, True]  # the new file: a full run
    lines = out.getvalue().splitlines()
    assert lines[1].startswith(f"+ {STRAY}:1:1: SG309 ")
    assert lines[3].startswith(f"+ {rel}:") and " SG306 " in lines[3]
    full = run_lint(root, options)
    assert lines[4] == f"1 new, 0 fixed, {len(full.findings)} in all"


def test_a_batch_names_its_paths_relative_to_the_root(tmp_path: Path) -> None:
    assert reported_paths(tmp_path, {(1, str(tmp_path / "src/a.py"))}) == {"src/a.py"}
    assert reported_paths(tmp_path, {(1, "/elsewhere/a.py")}) is None
    assert reported_paths(tmp_path, {"not a change"}) is None
