"""``slicegen lint --watch``: lint, then lint again on every change and print only what changed.

Changes are watched with ``watchfiles`` (the operating system's notifications, batched); the
cache folders slicegen itself writes are not watched, so a run never triggers the next. A
finding is the same finding across runs when its file, rule, names and message are: a line that
moved is not news. Each run re-lints from the last one's state (:mod:`slicegen.lint.delta`): an
edit in one domain costs about that domain, not the tree. After the first batch (the watcher may
have started after the first run) the re-lint looks only at the paths the batch names
(:mod:`slicegen.lint.watched`), not at every file of the tree; while slicegen's own state folder
is there (a scaffolding command's transaction, whose changes are not watched), it stats the tree.
The watcher follows symbolic links to folders: a tree holding one to a folder outside it (a
planted link to ``/``) is refused (:func:`outward_link`), else the whole machine is watched.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from slicegen.constants import CACHE_DIR
from slicegen.errors import EXIT_OK
from slicegen.lint.engine import LintOptions, locate, run_lint
from slicegen.lint.finding import Finding
from slicegen.lint.output.text import finding_line
from slicegen.safe_files import walk_down
from slicegen.transaction import STATE_DIR

#: Folders whose changes never re-lint: slicegen's own state, version control, tool caches.
IGNORED = frozenset({CACHE_DIR, STATE_DIR, ".git", "__pycache__", "_build", "deps", ".venv"})

Key = tuple[str, str, tuple[str, ...], str]


def key(f: Finding) -> Key:
    return (f.path, f.code, f.names, f.message)


def line(f: Finding, mark: str) -> str:
    return f"{mark} {finding_line(f)}\n"


def relevant(path: str) -> bool:
    """Whether a changed path can change a finding (not under an :data:`IGNORED` folder)."""
    return not IGNORED.intersection(Path(path).parts)


def outward_link(root: Path) -> tuple[str, str] | None:
    """The first symbolic link below ``root`` (ignored folders too: all are watched) to a folder
    outside it, and where it leads. A file watcher follows such links: one to ``/`` would add
    a watch on every folder of the machine (the user's limit of them is shared with every
    editor) and report every change made anywhere."""
    base = os.path.realpath(root)
    for folder, dirs, _ in walk_down(root):
        for name in dirs:  # a link to a folder is listed here, and not entered
            path = os.path.join(folder, name)
            if os.path.islink(path):
                target = os.path.realpath(path)
                if os.path.commonpath([base, target]) != base:
                    return os.path.relpath(path, root), target
    return None


def watch(
    path: Path,
    options: LintOptions,
    out: TextIO | None = None,
    changes: Callable[[Path], Iterable[object]] | None = None,
) -> int:
    """Lint ``path``, print every finding, then for each batch of ``changes`` (default: the
    file system's) print the new (``+``) and fixed (``-``) findings. Ends on Ctrl+C."""
    out = out or sys.stdout
    root = locate(path)[0]
    result = run_lint(path, options)
    seen = {key(f): f for f in result.findings}
    for f in seen.values():
        out.write(line(f, " "))
    out.write(f"{len(seen)} finding(s); watching {root} for changes (Ctrl+C to stop)\n")
    out.flush()
    try:
        for count, batch in enumerate((changes or _file_changes)(root)):
            reported = reported_paths(root, batch) if count else None
            state = result.state
            if (root / STATE_DIR).exists() or (state and STATE_DIR in state.tree.dir_stats):
                reported = None  # a transaction's changes are not watched
            result = run_lint(path, replace(options, previous=result.state, disk_changes=reported))
            now = {key(f): f for f in result.findings}
            fixed = [f for k, f in seen.items() if k not in now]
            new = [f for k, f in now.items() if k not in seen]
            if fixed or new:
                out.writelines([*(line(f, "-") for f in fixed), *(line(f, "+") for f in new)])
                out.write(f"{len(new)} new, {len(fixed)} fixed, {len(now)} in all\n")
                out.flush()
            seen = now
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def reported_paths(root: Path, batch: object) -> frozenset[str] | None:
    """The paths, relative to ``root``, of a ``watchfiles`` batch of (change, path) pairs; None
    for a batch that names none (then the tree is stat'ed)."""
    found = set()
    for item in batch if isinstance(batch, set | frozenset | list) else ():
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], str)):
            return None
        full = Path(item[1])
        if not full.is_relative_to(root) or full == root:
            return None
        found.add(full.relative_to(root).as_posix())
    return frozenset(found) if found else None


def _file_changes(root: Path) -> Iterable[object]:
    from watchfiles import watch as file_changes

    return file_changes(
        root, watch_filter=lambda _change, p: relevant(p), debounce=300, raise_interrupt=False
    )
