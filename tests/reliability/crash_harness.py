"""Kill a slicegen write at a chosen file operation and classify what the workspace looks like.

Shared by ``tests/reliability/test_crash_safety.py`` (a sample of kill points) and
``benchmarks/crash_trials.py`` (every kill point of every scenario). The hook is
``SLICEGEN_KILL_AFTER_OPS=N`` (see :mod:`slicegen.transaction`): the run SIGKILLs itself after
N + 1 file operations, so N = 0, 1, ... walks through every point until a run completes.

A trial: copy the scenario's prepared workspace, run the command with the hook, then

1. snapshot the raw tree (it may be half-written while a journal is pending);
2. run the same command with ``--dry-run``: it must roll back a leftover transaction first, so its
   output is the dry run of the *before* or *after* tree, and the tree it leaves is exactly one of
   them (``.slicegen/`` ignored);
3. run the command again: it must succeed and leave exactly the *after* tree, with no transaction.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import snapshot

Tree = dict[str, bytes]
#: Storming documents log each session with the minute it ran, and Ecto migrations are named
#: after the second they were made: neither is part of the comparison.
STAMP = re.compile(r"### Session \d{4}-\d\d-\d\d \d\d:\d\d UTC")
MIGRATION = re.compile(r"(/migrations/)\d{14}_")


def blank_stamps(text: str) -> str:
    return MIGRATION.sub(r"\1<stamp>_", STAMP.sub("### Session <stamp>", text))


def tree(root: Path) -> Tree:
    """Every file below ``root`` but ``.slicegen/``, time stamps blanked (two migrations that
    differ only by their stamp stay two entries)."""
    out: Tree = {}
    for path, data in snapshot(root).items():
        key = blank_stamps(path)
        while key in out:
            key += "+"
        out[key] = blank_stamps(data.decode("utf-8", "surrogateescape")).encode(
            "utf-8", "surrogateescape"
        )
    return out


UNAVAILABLE = "is not available"  # what a stack says for a command it does not implement yet


@dataclass(frozen=True)
class Scenario:
    """A workspace to prepare and a write command to run in it."""

    name: str
    prepare: Callable[[Path], None]
    argv: tuple[str, ...]
    #: The command run after a kill (default ``argv``): it must be a no-op on the after tree.
    rerun: tuple[str, ...] = ()

    @property
    def next_run(self) -> tuple[str, ...]:
        return self.rerun or self.argv


@dataclass
class Outcome:
    """The counts a run of trials produces."""

    trials: int = 0
    raw_before: int = 0
    raw_after: int = 0
    raw_pending: int = 0  # half-written, journal pending: rolled back by the next run
    before: int = 0
    after: int = 0
    bad: list[str] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.trials += other.trials
        self.raw_before += other.raw_before
        self.raw_after += other.raw_after
        self.raw_pending += other.raw_pending
        self.before += other.before
        self.after += other.after
        self.bad.extend(other.bad)


class Unavailable(Exception):
    """The scenario's command is not implemented by the stack yet."""


class NoChange(Exception):
    """The scenario's command writes nothing (nothing to interrupt)."""


def slicegen(
    argv: tuple[str, ...] | list[str], cwd: Path, kill_after: int | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m slicegen`` in ``cwd``, optionally with the kill hook."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLICEGEN_")}
    if kill_after is not None:
        env["SLICEGEN_KILL_AFTER_OPS"] = str(kill_after)
    return subprocess.run(
        [sys.executable, "-m", "slicegen", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def must(argv: tuple[str, ...] | list[str], cwd: Path) -> str:
    """Run a command that has to succeed; its stdout."""
    proc = slicegen(argv, cwd)
    if proc.returncode != 0:
        if UNAVAILABLE in proc.stderr:
            raise Unavailable(proc.stderr.strip())
        raise AssertionError(f"slicegen {' '.join(argv)} failed: {proc.stderr.strip()}")
    return blank_stamps(proc.stdout)


class Prepared:
    """A scenario's before tree, after tree and dry runs, computed once."""

    def __init__(self, scenario: Scenario, scratch: Path) -> None:
        self.scenario = scenario
        self.scratch = scratch
        self.base = scratch / "base"
        self.base.mkdir(parents=True)
        scenario.prepare(self.base)
        self.before = tree(self.base)
        self.dry_before = self._dry(self.base)
        done = self.copy("done")
        must(scenario.argv, done)
        self.after = tree(done)
        if self.after == self.before:
            raise NoChange(scenario.name)
        self.dry_after = self._dry(done)
        must(scenario.next_run, done)
        if tree(done) != self.after:
            raise AssertionError(f"{scenario.name}: running {scenario.next_run} again changes more")
        self._count = 0

    def _dry(self, cwd: Path) -> str:
        return must([*self.scenario.next_run, "--dry-run"], cwd)

    def copy(self, name: str) -> Path:
        target = self.scratch / name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(self.base, target, symlinks=True)
        return target

    def total_ops(self) -> int:
        """The smallest N at which the hook no longer fires (the run's file operation count).

        Computed from the dry run's plan and checked with two runs (N - 1 is killed, N is not);
        found by bisection if the check fails.
        """
        guess = self.planned_ops()
        if guess > 0 and self._killed(guess - 1) and not self._killed(guess):
            return guess
        low, high = 0, 1
        while self._killed(high):
            low, high = high, high * 2
        while low < high:  # the first N that completes lies in [low, high]
            mid = (low + high) // 2
            if self._killed(mid):
                low = mid + 1
            else:
                high = mid
        return low

    def changes(self) -> list[tuple[str, str]]:
        """(status, path) of each file the command writes, from its dry run's status lines."""
        found = []
        for line in self.dry_before.splitlines():
            match = re.fullmatch(r" *(create|update|force|identical|conflict)  (\S.*)", line)
            if match is None:
                break
            if match[1] in ("create", "update", "force"):
                found.append((match[1], match[2]))
        return found

    def _new_dirs(self) -> set[Path]:
        return {
            parent
            for _, path in self.changes()
            for parent in Path(path).parents
            if parent != Path(".") and not (self.base / parent).exists()
        }

    def recovery_ops(self) -> int:
        """The file operations of rolling this plan back (one per file and per new folder)."""
        return len(self.changes()) + len(self._new_dirs())

    def planned_ops(self) -> int:
        """The file operations of :func:`slicegen.transaction.write_atomically` for this plan."""
        changes = self.changes()
        existed = sum(status != "create" for status, _ in changes)
        dirs = self._new_dirs()
        # stage each file (+ a backup of each existing one), journal (write + rename),
        # create the new folders, rename each file into place, delete the journal
        return 2 * len(changes) + existed + 2 + len(dirs) + 1

    def sample(self, ops: int, count: int) -> list[int]:
        """``count`` kill points spread over 0..ops - 1, always including a mid-rename one."""
        step = max(ops // max(count - 1, 1), 1)
        points = set(range(0, ops, step))
        points.add(self.mid_rename_point(ops))
        points.add(max(ops - 1, 0))  # after the commit, before cleaning up
        return sorted(points)

    def mid_rename_point(self, ops: int) -> int:
        """A kill point with some files renamed into place and others not (a mixed tree).

        ``N`` kills after op ``N + 1``; the renames are ops ``ops - changes .. ops - 1``.
        """
        changes = len(self.changes())
        return max(ops - changes + (changes - 1) // 2 - 1, 0)

    def _killed(self, n: int) -> bool:
        work = self.copy("probe")
        proc = slicegen(self.scenario.argv, work, kill_after=n)
        shutil.rmtree(work)
        return proc.returncode == -signal.SIGKILL

    def trial(self, kill_after: int, recovery_kill: int | None = None) -> Outcome:
        """One kill at ``kill_after``; classify and check recovery (see the module docstring).

        With ``recovery_kill``, the next run is killed too, after that many operations of its
        rollback of the first one's leftovers (a crash during recovery).
        """
        out = Outcome(trials=1)
        self._count += 1
        work = self.copy(f"trial{self._count}")
        label = f"{self.scenario.name} kill@{kill_after}"
        proc = slicegen(self.scenario.argv, work, kill_after=kill_after)
        raw = tree(work)
        journal = (work / ".slicegen" / "txn" / "journal.json").exists()
        if proc.returncode not in (0, -signal.SIGKILL):
            out.bad.append(f"{label}: exit {proc.returncode}: {proc.stderr.strip()}")
            return out
        if recovery_kill is not None:
            label += f" then kill@{recovery_kill} while recovering"
            second = slicegen(self.scenario.next_run, work, kill_after=recovery_kill)
            if second.returncode not in (0, -signal.SIGKILL):
                out.bad.append(f"{label}: exit {second.returncode}: {second.stderr.strip()}")
                return out
        if raw == self.before:
            out.raw_before += 1
        elif raw == self.after:
            out.raw_after += 1
        elif journal:
            out.raw_pending += 1
        else:
            out.bad.append(f"{label}: half-written tree with no journal to roll it back")
        dry = slicegen([*self.scenario.next_run, "--dry-run"], work)
        seen = tree(work)
        expected_dry = {_key(self.before): self.dry_before, _key(self.after): self.dry_after}
        if dry.returncode != 0:
            out.bad.append(f"{label}: dry run after the kill failed: {dry.stderr.strip()}")
        elif seen == self.before:
            out.before += 1
        elif seen == self.after:
            out.after += 1
        else:
            out.bad.append(f"{label}: after the dry run the tree is neither before nor after")
        if dry.returncode == 0 and expected_dry.get(_key(seen)) != blank_stamps(dry.stdout):
            out.bad.append(f"{label}: the dry run showed a plan for a half-written tree")
        again = slicegen(self.scenario.next_run, work)
        if again.returncode != 0:
            out.bad.append(f"{label}: the next run failed: {again.stderr.strip()}")
        elif tree(work) != self.after:
            out.bad.append(f"{label}: the next run did not produce the after tree")
        if (work / ".slicegen" / "txn").exists():
            out.bad.append(f"{label}: a transaction was left behind after the next run")
        shutil.rmtree(work)
        return out


def _key(tree: Tree) -> tuple[tuple[str, bytes], ...]:
    return tuple(sorted(tree.items()))


# --- scenarios -------------------------------------------------------------------------------


def _init(stack: str) -> Callable[[Path], None]:
    def prepare(root: Path) -> None:
        must(["init", "--stack", stack, "--app", "shop"], root)

    return prepare


def _modified_workspace(root: Path) -> None:
    """An initialised workspace the user has since edited: updates, re-creations and new dirs."""
    must(["init", "--app", "shop"], root)
    (root / "README.md").write_bytes(b"# shop\r\n\r\nOur shop.\r\nNo final newline")
    shutil.rmtree(root / "design_docs")
    (root / ".gitignore").write_bytes(b"*.pyc\n__pycache__/")
    (root / "notes.txt").write_text("the user's own file\n")


def _existing_project(root: Path) -> None:
    """A project without slicegen yet: init adds its files beside the user's."""
    (root / "README.md").write_text("# legacy\n\nSome text.\n")
    (root / "src").mkdir()
    (root / "src" / "main.py").write_text("print('hi')\n")


def _with_domain(stack: str) -> Callable[[Path], None]:
    def prepare(root: Path) -> None:
        _init(stack)(root)
        must(["new-domain", "accounts"], root)

    return prepare


def scenarios() -> list[Scenario]:
    """Every scenario; those whose command the stacks do not implement yet are found by probing."""
    found = [
        Scenario(
            "init --force over an edited workspace",
            _modified_workspace,
            ("init", "--app", "shop", "--force"),
        ),
        Scenario(
            "init in an empty folder",
            lambda root: None,
            ("init", "--app", "shop"),
            rerun=("init", "--app", "shop", "--force"),
        ),
        Scenario(
            "init in an existing project",
            _existing_project,
            ("init", "--app", "shop"),
            rerun=("init", "--app", "shop", "--force"),
        ),
    ]
    for stack in ("python", "elixir"):
        found += [
            Scenario(f"{stack} new-domain", _init(stack), ("new-domain", "accounts")),
            Scenario(
                f"{stack} add-slice",
                _with_domain(stack),
                (
                    "add-slice",
                    "accounts",
                    "initialize_account",
                    "-f",
                    "email:str",
                    "-f",
                    "age:int?",
                    "-p",
                    "account_summary",
                ),
            ),
        ]
    return found


def prepare(scenario: Scenario, scratch: Path) -> Prepared | None:
    """The scenario prepared, or None if a stack does not implement its commands yet."""
    try:
        return Prepared(scenario, scratch)
    except Unavailable:
        return None
