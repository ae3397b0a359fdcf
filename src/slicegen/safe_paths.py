"""Opening files of an untrusted tree without following links, blocking, or reading without end.

A workspace may be a stranger's checkout: a file slicegen expects may be a symlink out of the
tree, a FIFO that blocks an ``open``, a device that never ends, or a hard link to a file elsewhere.
These helpers refuse all of those with :class:`UnsafePath`, whose message says what was found; the
caller turns it into its own one-line error.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

#: Flags of every open here: never follow a final symlink, never block on a FIFO.
_NO_FOLLOW = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class UnsafePath(Exception):
    """A path that is not what slicegen may use: ``reason`` says what it is instead."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def kind(mode: int) -> str:
    """What a file of ``mode`` is, in words (``a symlink``, ``a FIFO``...)."""
    for test, name in (
        (stat.S_ISLNK, "a symlink"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "a special file"


def _check(path: Path, info: os.stat_result, *, want_dir: bool, owned: bool) -> None:
    if want_dir and not stat.S_ISDIR(info.st_mode):
        raise UnsafePath(path, f"is {kind(info.st_mode)}, not a folder")
    if not want_dir and not stat.S_ISREG(info.st_mode):
        raise UnsafePath(path, f"is {kind(info.st_mode)}, not a regular file")
    if not want_dir and info.st_nlink != 1:
        raise UnsafePath(path, "is a hard link to another file")
    if owned and info.st_uid != os.geteuid():
        raise UnsafePath(path, f"belongs to user id {info.st_uid}, not to this user")


def real_dir(path: Path, *, owned: bool = False) -> bool:
    """True if ``path`` is a folder (not a link to one); False if absent; else UnsafePath."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    _check(path, info, want_dir=True, owned=owned)
    return True


def open_regular(
    path: Path, flags: int = os.O_RDONLY, *, owned: bool = False, mode: int = 0o644
) -> int:
    """A descriptor of the regular file ``path``, opened without following a final symlink.

    ``flags`` may add ``O_CREAT``/``O_RDWR``; the descriptor is blocking again once checked.
    Raises :class:`UnsafePath` for a link, a FIFO, a device, a hard link or (``owned``) a file
    of another user, and ``OSError`` for anything else (``FileNotFoundError`` if absent).
    """
    try:
        fd = os.open(path, flags | _NO_FOLLOW, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafePath(path, "is a symlink") from None
        raise
    try:
        _check(path, os.fstat(fd), want_dir=False, owned=owned)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path, limit: int, *, owned: bool = False) -> bytes:
    """The bytes of the regular file ``path``, refused (UnsafePath) if over ``limit`` bytes."""
    fd = open_regular(path, owned=owned)
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnsafePath(path, f"is larger than {limit:,} bytes")
    return data


def relative_inside(root: Path, rel: str) -> bool:
    """``rel`` is a clean relative POSIX path whose folder resolves inside ``root``.

    Only the folders are resolved: the last part itself may be a symlink, which is then used (and
    replaced or removed) as a link, never followed.
    """
    if not rel or "\x00" in rel or "\\" in rel:
        return False
    pure = PurePosixPath(rel)
    if (
        pure.is_absolute()
        or pure.as_posix() != rel
        or any(p in ("", ".", "..") for p in pure.parts)
    ):
        return False
    try:
        base = root.resolve()
        parent = (base / pure).parent.resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    return parent == base or parent.is_relative_to(base)


def read_named_file(path: Path, limit: int) -> bytes:
    """The bytes of a file the user named (a link to it is fine): refused unless regular.

    Opened without blocking, so a FIFO never hangs the run; a device or a file over ``limit``
    bytes is :class:`UnsafePath`, never read to the end.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(path, f"is {kind(info.st_mode)}, not a regular file")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnsafePath(path, f"is larger than {limit:,} bytes")
    return data
