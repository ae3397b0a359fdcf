"""Writing slicegen's cache files inside a workspace that may be hostile.

A cache folder is used only when it is a real folder of this user (not a symlink planted to send
the writes elsewhere), and a file is written to a fresh temporary name opened with ``O_EXCL |
O_NOFOLLOW`` and then renamed over the target: a rename replaces a planted symlink instead of
writing through it. Only ``os`` and ``stat`` are imported (the lint replay remembers through it).
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from pathlib import Path

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def own_folder(path: str | Path, create: bool = True) -> bool:
    """Whether ``path`` is a folder of this user and no symlink (made first with ``create``)."""
    if create:
        try:  # noqa: SIM105  (contextlib is not loaded on the replay's path)
            os.mkdir(path, 0o777)
        except OSError:
            pass  # there already, or cannot be made: the check below tells
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()


def write_atomic(path: str | Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` through a new temporary file; OSError when it fails."""
    target = os.fspath(path)
    tmp = f"{target}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
    fd = os.open(tmp, _FLAGS, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        try:  # noqa: SIM105
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_if_absent(path: str | Path, data: bytes) -> None:
    """Write ``path`` when nothing is there (not even a symlink); never through a symlink."""
    if not os.path.lexists(path):
        write_atomic(path, data)
