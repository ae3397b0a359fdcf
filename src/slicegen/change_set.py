"""The change set: every file a command creates or edits, planned in memory, then shown or applied.

A command adds generated files (:meth:`ChangeSet.add`) and structured edits of existing files
(:meth:`ChangeSet.edit`). :meth:`ChangeSet.plan` gives each file a status, Rails-style:

- ``create``: the file does not exist yet;
- ``identical``: the file already holds exactly this content (a re-run is a no-op);
- ``update``: a structured edit of an existing file (router, public API, type mapper);
- ``conflict``: a generated file exists with other content, the user's work: never overwritten
  unless ``force`` is given, in which case the status is ``force``.

:func:`apply_change_set` writes atomically across files under the workspace lock (see
:mod:`slicegen.transaction`): a conflict aborts the whole command and writes nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from slicegen.errors import ConflictError, SlicegenError
from slicegen.safe_files import (
    TooBig,
    UnsafePath,
    limit_for,
    read_named_file,
    too_big_fix,
    walk_down,
)


class Status(StrEnum):
    CREATE = "create"
    IDENTICAL = "identical"
    UPDATE = "update"
    CONFLICT = "conflict"
    FORCE = "force"
    REMOVE = "remove"


WRITES = (Status.CREATE, Status.UPDATE, Status.FORCE, Status.REMOVE)


@dataclass(frozen=True)
class PlannedFile:
    """One file of a plan: where, what is there now, what would be there, and its status."""

    path: str
    old: str | None
    new: str
    status: Status

    def diff(self) -> str:
        """A unified diff from the current content to the planned one."""
        before = (self.old or "").splitlines(keepends=True)
        after = self.new.splitlines(keepends=True)
        lines = difflib.unified_diff(
            before,
            after,
            fromfile="/dev/null" if self.old is None else f"a/{self.path}",
            tofile="/dev/null" if self.status is Status.REMOVE else f"b/{self.path}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass
class _Pending:
    content: str
    structured: bool
    removed: bool = False


def safe_relative(root: Path, path: str) -> str:
    """Normalise ``path`` (relative to ``root``) or refuse it if it could leave the root."""
    if not path or "\x00" in path:
        raise SlicegenError(f"refusing to write {path!r}: not a usable path")
    pure = PurePosixPath(path.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts:
        raise SlicegenError(
            f"refusing to write {path!r}: it leaves the workspace root {root}; "
            "use a path inside the workspace"
        )
    if not pure.parts:
        raise SlicegenError(f"refusing to write {path!r}: it names the workspace root, not a file")
    try:
        target = (root / pure).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a loop, a name too long, a surrogate
        raise SlicegenError(f"refusing to write {path!r}: it cannot be resolved ({exc})") from None
    if not target.is_relative_to(root.resolve()):
        raise SlicegenError(
            f"refusing to write {path!r}: it resolves through a symlink to {target}, "
            f"outside the workspace root {root}; remove the link or write elsewhere"
        )
    return pure.as_posix()


def read_text(path: Path) -> str | None:
    """A file's text exactly as stored (line endings kept), or None if it does not exist."""
    try:
        # A link inside the workspace is followed (its target was checked to stay inside); a
        # FIFO, device or huge file is refused unopened or unread, so nothing can hang.
        data = read_named_file(path, limit_for(path))
    except FileNotFoundError:
        return None
    except TooBig as exc:
        raise SlicegenError(f"{path} {exc.reason}: {too_big_fix(path)}") from None
    except UnsafePath as exc:
        raise SlicegenError(
            f"{path} {exc.reason}; slicegen only edits regular files: replace it with one"
        ) from None
    except IsADirectoryError:
        raise SlicegenError(f"{path} is a directory where slicegen expects a file") from None
    except OSError as exc:
        raise SlicegenError(f"cannot read {path}: {exc.strerror}; check its permissions") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SlicegenError(f"{path} is not UTF-8 text; slicegen edits only UTF-8 files") from None


class ChangeSet:
    """File creations and edits planned in memory, relative to a workspace root."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._pending: dict[str, _Pending] = {}
        self.notes: list[str] = []  # what the command could not do, told after the summary
        self.read_from_disk: set[str] = set()  # the inputs a command took from the workspace

    def note(self, text: str) -> None:
        """Tell the user, once the change set is written, about a file left as it was."""
        if text not in self.notes:
            self.notes.append(text)

    def add(self, path: str, content: str, *, generated: bool = True) -> None:
        """Plan a generated file. An existing different file is a conflict. A file that is not
        ``generated`` (the user's, moved) is not recorded in the manifest."""
        rel = safe_relative(self.root, path)
        previous = self._pending.get(rel)
        structured = not generated or bool(
            previous and previous.structured and not previous.removed
        )
        self._pending[rel] = _Pending(content, structured)

    def edit(self, path: str, transform: Callable[[str], str]) -> None:
        """Plan a structured edit of an existing (or already planned) file."""
        rel = safe_relative(self.root, path)
        current = self.read(rel)
        if current is None:
            raise SlicegenError(
                f"{rel} does not exist: slicegen needs it to register the change; "
                "restore it or re-run the command that creates it"
            )
        previous = self._pending.get(rel)
        structured = previous.structured if previous else True
        try:
            updated = transform(current)
        except SlicegenError as exc:  # name the file the edit could not be made in
            raise type(exc)(f"{rel}: {exc.message}") from None
        self._pending[rel] = _Pending(updated, structured)

    def remove(self, path: str) -> None:
        """Plan the deletion of a file (nothing happens if it does not exist)."""
        rel = safe_relative(self.root, path)
        self._pending[rel] = _Pending("", structured=True, removed=True)

    def read(self, path: str) -> str | None:
        """The planned content of ``path`` if any, else what is on disk, else None."""
        rel = safe_relative(self.root, path)
        if rel in self._pending:
            pending = self._pending[rel]
            return None if pending.removed else pending.content
        self.read_from_disk.add(rel)
        return read_text(self.root / rel)

    def on_disk(self, path: str) -> str | None:
        """What is on disk at ``path`` now, whatever is planned."""
        return read_text(self.root / safe_relative(self.root, path))

    def exists(self, path: str) -> bool:
        rel = safe_relative(self.root, path)
        if rel in self._pending:
            return not self._pending[rel].removed
        return (self.root / rel).exists()

    def files_under(self, folder: str) -> list[str]:
        """The files on disk below ``folder``, sorted (caches and build folders left out)."""
        found = []
        top = self.root / safe_relative(self.root, folder)
        for parent, dirs, names in walk_down(top):  # a loop: folders may nest thousands deep
            dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "_build", "deps"))
            rel = Path(parent).relative_to(self.root).as_posix()
            found += [f"{rel}/{name}" for name in sorted(names)]
        return found

    def planned(self) -> dict[str, tuple[str | None, bool]]:
        """Each planned path: its content (None: removed) and whether it is a structured edit."""
        return {
            rel: (None if p.removed else p.content, p.structured)
            for rel, p in self._pending.items()
        }

    def paths(self) -> list[str]:
        return list(self._pending)

    def plan(self, force: bool = False) -> list[PlannedFile]:
        """Each planned file with its status against what is on disk now."""
        for rel in self._pending:
            for parent in PurePosixPath(rel).parents:
                if parent.as_posix() in self._pending and not self._pending[rel].removed:
                    raise SlicegenError(
                        f"cannot write both '{parent}' and '{rel}': a file cannot also be a "
                        "folder; rename one of them"
                    )
        planned = []
        for rel, pending in self._pending.items():
            old = read_text(self.root / rel)
            if pending.removed:
                if old is not None:
                    planned.append(PlannedFile(rel, old, "", Status.REMOVE))
                continue
            if old is None:
                status = Status.CREATE
            elif old == pending.content:
                status = Status.IDENTICAL
            elif pending.structured:
                status = Status.UPDATE
            else:
                status = Status.FORCE if force else Status.CONFLICT
            planned.append(PlannedFile(rel, old, pending.content, status))
        return planned


def check_conflicts(plan: list[PlannedFile]) -> None:
    """Raise :class:`ConflictError` naming every conflicting file."""
    conflicts = [p.path for p in plan if p.status is Status.CONFLICT]
    if conflicts:
        raise ConflictError(
            f"{len(conflicts)} file(s) exist with other content: {', '.join(conflicts)}; "
            "nothing was written (use --dry-run to see the diff, --force to overwrite)"
        )


def format_status(plan: list[PlannedFile]) -> str:
    """Rails-style status lines: ``      create  path``."""
    return "".join(f"{p.status.value:>12}  {p.path}\n" for p in plan)


def format_dry_run(plan: list[PlannedFile]) -> str:
    """Status lines followed by the unified diff of every file that would change."""
    diffs = "".join(p.diff() for p in plan if p.status is not Status.IDENTICAL)
    return format_status(plan) + diffs
