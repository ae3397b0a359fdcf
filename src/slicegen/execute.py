"""Running a command's change set: show it (dry run) or write it under the lock."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from slicegen import manifest
from slicegen.change_set import (
    ChangeSet,
    PlannedFile,
    Status,
    check_conflicts,
    format_dry_run,
)
from slicegen.errors import SlicegenError
from slicegen.transaction import (
    recover_pending,
    report_recovery,
    workspace_lock,
    write_atomically,
)
from slicegen.ui import is_quiet, progress, status_lines


def execute(
    root: Path,
    build: Callable[[ChangeSet], None],
    *,
    dry_run: bool = False,
    force: bool = False,
    out: TextIO | None = None,
) -> list[PlannedFile]:
    """Build a change set with ``build`` and show it (``dry_run``) or apply it atomically.

    Conflicts raise :class:`~slicegen.errors.ConflictError` before anything is written.
    """
    out = out or sys.stdout
    if dry_run:
        # A killed run may have left files half-written: plan against the tree it started from.
        recover_pending(root)
        changes = ChangeSet(root)
        with progress("planning changes"):
            build(changes)
            manifest.record(changes)
            plan = changes.plan(force)
        out.write(format_dry_run(_shown(plan)))
        out.write(_summary(_shown(plan), dry_run=True))
        _tell(changes.notes)
        return plan
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SlicegenError(
            f"cannot create the workspace folder {root} ({exc.strerror or exc}); "
            "nothing was changed: choose a folder you can write to"
        ) from None
    with workspace_lock(root):
        report_recovery(root)
        changes = ChangeSet(root)
        with progress("planning changes") as shown:
            build(changes)
            manifest.record(changes)
            plan = changes.plan(force)
            check_conflicts(plan)
            shown.update(f"writing {len(plan)} file(s)")
            write_atomically(root, plan)
    out.write(status_lines(_shown(plan), out))
    if not is_quiet():
        out.write(_summary(_shown(plan), dry_run=False))
    _tell(changes.notes)
    return plan


def _shown(plan: list[PlannedFile]) -> list[PlannedFile]:
    """The plan without slicegen's own record of what it generated (the manifest)."""
    return [p for p in plan if p.path != manifest.PATH]


def _tell(notes: list[str]) -> None:
    """The command's notes, one line each on stderr (they are warnings, never silenced)."""
    for text in notes:
        sys.stderr.write(f"note: {text}\n")


def _summary(plan: list[PlannedFile], *, dry_run: bool) -> str:
    counts: dict[Status, int] = {}
    for item in plan:
        counts[item.status] = counts.get(item.status, 0) + 1
    if all(item.status is Status.IDENTICAL for item in plan):
        return "nothing to do: every file is already up to date\n"
    parts = ", ".join(f"{n} {status.value}" for status, n in counts.items())
    prefix = "dry run, nothing written: would " if dry_run else ""
    return f"{prefix}{parts}\n"
