"""Reading a file of a tree that may be hostile: a regular file, never through a symlink, capped.

The path is ``lstat``-ed first (a symlink, FIFO, device, socket or folder is refused unopened),
then opened with ``O_NOFOLLOW | O_NONBLOCK`` and the descriptor ``fstat``-ed: if the path was
swapped for something else in between, the open fails or the check refuses it, and no read ever
blocks or runs forever. A file over :data:`MAX_BYTES` is refused before a byte is read. Only
``os`` and ``stat`` are imported: the lint replay reads config files through it.
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from pathlib import Path

#: The most bytes slicegen reads of one file of a workspace (sources, ignore files, documents).
MAX_BYTES = 2 * 1024 * 1024
_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_KINDS = (
    (stat.S_ISLNK, "a symlink (slicegen does not follow symlinks)"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO, not a regular file"),
    (stat.S_ISCHR, "a character device, not a regular file"),
    (stat.S_ISBLK, "a block device, not a regular file"),
    (stat.S_ISSOCK, "a socket, not a regular file"),
)


class Refused(OSError):
    """A path slicegen will not read; ``reason`` says why in a few words, ``info`` is the
    ``lstat`` or ``fstat`` that decided it."""

    def __init__(self, reason: str, info: os.stat_result) -> None:
        super().__init__(reason)
        self.reason = reason
        self.info = info


def kind(mode: int) -> str | None:
    """What a file of ``mode`` is when it is no regular file (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular(path: str | Path, limit: int = MAX_BYTES) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at ``path`` and its ``fstat``.

    Raises :class:`Refused` for a symlink, anything but a regular file, or a file over
    ``limit`` bytes; any other OSError (missing, unreadable) as ``os.open`` raises it."""
    fd, info = open_regular(path)
    try:
        return read_open(fd, info, limit), info
    finally:
        os.close(fd)


def open_regular(path: str | Path) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file at ``path`` (the caller closes it) and its ``fstat``;
    :class:`Refused` for a symlink or anything but a regular file."""
    first = os.lstat(path)
    what = kind(first.st_mode)
    if what is not None:
        raise Refused(f"is {what}", first)
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        what = kind(info.st_mode)
        if what is not None or (info.st_dev, info.st_ino) != (first.st_dev, first.st_ino):
            raise Refused(f"is {what or 'a file that changed while it was opened'}", info)
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def read_open(fd: int, info: os.stat_result, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a descriptor :func:`open_regular` gave; :class:`Refused` over ``limit``."""
    if info.st_size > limit:
        raise Refused(_too_large(info.st_size, limit), info)
    chunks: list[bytes] = []
    left = limit + 1  # one byte more: a file that grew past the cap is refused too
    while left > 0:
        chunk = os.read(fd, min(left, max(info.st_size + 1, 1 << 16)))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    if left <= 0:
        raise Refused(f"grew past the {limit:,} bytes slicegen reads of a file", info)
    return b"".join(chunks) if len(chunks) != 1 else chunks[0]


def read_text_or_none(path: str | Path, limit: int = MAX_BYTES) -> str | None:
    """The UTF-8 text of a regular file, or None when it is absent, refused or not UTF-8."""
    try:
        return read_regular(path, limit)[0].decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _too_large(size: int, limit: int) -> str:
    return f"is {size:,} bytes, over the {limit:,} bytes slicegen reads of a file"
