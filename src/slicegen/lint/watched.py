"""The disk changes a re-lint takes from a file watcher's report instead of stat-ing the tree.

An editor's file watcher (LSP ``workspace/didChangeWatchedFiles``) says which paths were
created, changed or deleted. :func:`disk_changes` turns those paths into what
:func:`slicegen.lint.delta.relint` would have found by stat-ing every source file and folder,
looking only at the reported ones:

- a source file the walk kept: read again (whatever its stats say), unless it is gone or no
  longer a regular file (then only a full run is safe);
- anything else the walk kept or read (a folder, another file, a ``.gitignore``), a storming
  document or the event lock: a full run;
- a path the walk did not keep: nothing, when it is not there now or the walk would leave it
  out (a tool folder, an ``exclude`` glob, a ``.gitignore`` line); else it is new to the tree,
  and a full run.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from slicegen.model.discovery import walk_skips

if TYPE_CHECKING:
    from slicegen.lint.delta import LintState

#: Where the state's memo keeps :func:`_unreadable`'s answer.
UNREADABLE = "unreadable at the walk"


def disk_changes(
    root: Path, state: LintState, paths: Collection[str]
) -> tuple[dict[str, tuple[int, int]], set[str]] | None:
    """Each source file's stats after the reported changes of ``paths`` (relative to ``root``),
    and the files to read again; None when only a full run is safe."""
    tree, base = state.tree, str(root) + os.sep
    disk = dict(state.disk)
    # files unreadable at the walk are tried again on every run, as when stat-ing the tree
    moved = set(_unreadable(state))
    walked: set[str] | None = None
    docs = {os.path.relpath(path, root) for path, _, _ in state.docs}
    for rel in paths:
        if rel in state.disk:
            try:
                info = os.lstat(base + rel)
            except OSError:
                return None  # gone: the tree changed
            if not stat.S_ISREG(info.st_mode):
                return None
            disk[rel] = (info.st_mtime_ns, info.st_size)
            moved.add(rel)
            continue
        walked = walked if walked is not None else set(tree.files)
        if rel in docs or rel in walked or rel in tree.dir_stats or rel in tree.ignore_stats:
            return None
        if _new_to_tree(root, rel, state):
            return None
    return disk, moved


def _new_to_tree(root: Path, rel: str, state: LintState) -> bool:
    """Whether ``rel``, which the walk did not keep, would be walked now: it is there, and the
    entry it lies under in the nearest walked folder is not one the walk leaves out."""
    full = root / rel
    if not full.is_symlink() and not full.exists():
        return False
    tree, entry = state.tree, rel
    while "/" in entry and entry.rpartition("/")[0] not in tree.dir_stats:
        entry = entry.rpartition("/")[0]
    if "/" not in entry and "" not in tree.dir_stats:
        return True  # the walk saw no folder at all: unsure
    is_dir = entry != rel or (full.is_dir() and not full.is_symlink())
    return not walk_skips(root, entry, is_dir, list(state.lint.exclude), tree)


def _unreadable(state: LintState) -> frozenset[str]:
    """The source files the walk could not stat (worked out once per walk)."""
    found: frozenset[str] | None = state.memo.get(UNREADABLE)
    if found is None or state.memo.get(UNREADABLE + " of") is not state.tree:
        found = frozenset(rel for rel, (_, size) in state.tree.stats.items() if size < 0)
        state.memo[UNREADABLE], state.memo[UNREADABLE + " of"] = found, state.tree
    return found
