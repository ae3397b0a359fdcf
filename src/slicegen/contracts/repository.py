"""The git repository ``lint --since`` reads, checked before git reads any object of it.

A tree that did not come from ``git clone`` may hold a planted ``.git``: a folder whose
``objects/info/alternates`` (or an ``objects`` symlink) names another repository's objects, a
``.git`` file or ``commondir`` naming another repository's folder, a ``core.worktree`` elsewhere.
git would read that repository's commits, and the SG205 findings would print its event fields.
So the repository's git folder must be the work tree's own ``.git`` folder, a linked worktree's
folder that links back to this work tree (``git worktree add`` writes both links), a
submodule's folder in the ``.git/modules`` of a folder above, or a folder whose index lists a
file of this work tree by that file's own device and inode (``git init --separate-git-dir``:
only a git that wrote this tree's files wrote those); its objects, and every alternate object
folder, must lie inside the work tree or that git folder. Anything else is a one-line error.
The user's own ``GIT_DIR`` or ``GIT_OBJECT_DIRECTORY`` is theirs, and is trusted.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

from slicegen.errors import SlicegenError
from slicegen.safe_files import open_regular, read_text_or_none, relative_inside

#: git follows alternates of alternates this deep, and no deeper.
_ALTERNATE_DEPTH = 5


class Foreign(SlicegenError):
    """A repository that reads, or is, a folder outside the workspace's own repository."""


def check(top: Path, git_dir: Path, common_dir: Path, root: Path) -> None:
    """Raise :class:`Foreign` unless the repository at ``top`` (as ``git rev-parse`` named its
    folders) keeps its git folder and objects to itself; ``root`` is the linted workspace."""
    top, git_dir, common_dir = (Path(os.path.realpath(p)) for p in (top, git_dir, common_dir))
    if not _inside(Path(os.path.realpath(root)), top):
        _refuse(f"its work tree is {top} (core.worktree), which does not hold {root}")
    if "GIT_DIR" not in os.environ:
        _own_git_dir(top, git_dir, common_dir)
    if "GIT_OBJECT_DIRECTORY" in os.environ:
        return
    homes = (top, common_dir)
    objects = common_dir / "objects"
    if not _inside(Path(os.path.realpath(objects)), *homes):
        _refuse(f"{objects} is a link to {os.path.realpath(objects)}")
    _alternates(objects, homes, _ALTERNATE_DEPTH)


def _own_git_dir(top: Path, git_dir: Path, common_dir: Path) -> None:
    dot_git = top / ".git"
    if dot_git.is_symlink():
        _refuse(f"{dot_git} is a symlink to {os.path.realpath(dot_git)}")
    if dot_git.is_dir():
        if git_dir != dot_git or not _inside(common_dir, top):
            _refuse(f"{dot_git} names the git folder {common_dir} (commondir)")
        return
    back = read_text_or_none(git_dir / "gitdir")  # a linked worktree's link back to its .git
    worktree = git_dir.parent.name == "worktrees" and git_dir.parent.parent == common_dir
    if worktree and back is not None and Path(os.path.realpath(back.strip())) == dot_git:
        return
    if any(
        _inside(git_dir, folder / ".git" / "modules") and (folder / ".git").is_dir()
        for folder in top.parents
    ):
        return  # a submodule: its git folder is kept in the superproject's
    if _indexes(git_dir / "index", top):
        return  # a git init --separate-git-dir: its index is of this very work tree
    _refuse(
        f"{dot_git} names {git_dir}, which is not a worktree or submodule of it, and whose "
        f"index lists no file of {top} (if it is this work tree's own git folder, run with "
        f"GIT_DIR={git_dir})"
    )


#: The most index entries looked at, and the most bytes of the index read.
_ENTRIES, _INDEX_BYTES = 16, 64 * 1024


def _indexes(index: Path, top: Path) -> bool:
    """Whether the git index ``index`` was written for the work tree ``top``: one of its first
    entries names a file of ``top`` by that very file's device and inode (as git keeps them,
    in 32 bits), which only a git that checked out or added files in ``top`` wrote. A planted
    ``.git`` file naming another repository's git folder gives that repository's index, whose
    files are elsewhere."""
    try:
        fd, _ = open_regular(index, blocking=False)
    except OSError:
        return False
    try:
        data = os.read(fd, _INDEX_BYTES)
    except OSError:
        return False
    finally:
        os.close(fd)
    if data[:4] != b"DIRC" or len(data) < 12:
        return False
    version = int.from_bytes(data[4:8], "big")
    count = min(int.from_bytes(data[8:12], "big"), _ENTRIES if version < 4 else 1)
    at = 12
    for _ in range(count):  # version 4 compresses each path but the first one's
        if at + 62 > len(data):
            return False
        dev, ino = (int.from_bytes(data[at + i : at + i + 4], "big") for i in (16, 20))
        extended = version >= 3 and data[at + 60] & 0x40
        start = at + 62 + (2 if extended else 0) + (1 if version >= 4 else 0)
        end = data.find(b"\0", start)
        if end < 0:
            return False
        name = data[start:end].decode("utf-8", "surrogateescape")
        if ino and relative_inside(top, name):
            try:
                info = os.lstat(top / name)
            except OSError:
                pass
            else:
                if (info.st_dev & 0xFFFFFFFF, info.st_ino & 0xFFFFFFFF) == (dev, ino):
                    return True
        at += (end - at + 8) // 8 * 8  # the entry, its NUL and padding to a multiple of 8
    return False


def _alternates(objects: Path, homes: tuple[Path, ...], depth: int) -> None:
    listed = objects / "info" / "alternates"
    if not os.path.lexists(listed):
        return
    text = read_text_or_none(listed)
    if text is None:
        _refuse(f"{listed} cannot be read as a regular file")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith('"'):
            _refuse(f"{listed} names a quoted path")
        folder = Path(os.path.realpath(objects / line.strip()))
        if not _inside(folder, *homes):
            _refuse(f"{listed} names {folder}")
        if depth > 1:
            _alternates(folder, homes, depth - 1)


def _inside(path: Path, *folders: Path) -> bool:
    return any(path == folder or path.is_relative_to(folder) for folder in folders)


def _refuse(why: str) -> NoReturn:
    raise Foreign(
        f"--since: the git repository reads outside itself: {why}: slicegen reads no git "
        "objects from elsewhere; lint a clone of the repository (git clone --no-local), name "
        "your own repository with GIT_DIR, or drop --since"
    )
