"""Reading and writing files of a tree that may be hostile: no symlink followed, no read blocking
or running forever, no write sent elsewhere.

A workspace may be a stranger's checkout: a file slicegen expects may be a symlink out of the
tree, a FIFO that blocks an ``open``, a device that never ends, or a hard link to a file elsewhere.
A file is ``lstat``-ed first (anything but a regular file is refused unopened; the lint walk's
``lstat`` serves for the sources it found regular), opened with
``O_NOFOLLOW | O_NONBLOCK`` and ``fstat``-ed: a path swapped in between fails the open or the
check. Each refusal is an :class:`UnsafePath` whose ``reason`` says what was found, for the
caller's one-line error. Cache files are written to a fresh temporary name and renamed over the
target. Only ``os``, ``stat`` and :mod:`slicegen.constants` are imported: the lint replay reads
and writes through it.
"""

from __future__ import annotations

import os
import stat

from slicegen.constants import (
    LOCK_FILE,
    LOCK_MAX_BYTES,
    MANIFEST_FILE,
    OWN_FILE_MAX_BYTES,
    OWN_FILES,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

#: The most bytes slicegen reads of one file of a workspace (sources, ignore files, documents).
MAX_BYTES = 2 * 1024 * 1024
#: Flags of every read or lock open: never follow a final symlink, never block on a FIFO.
_OPEN = (
    getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_KINDS = (
    (stat.S_ISLNK, "a symlink"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISREG, "a regular file"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class UnsafePath(OSError):
    """A path slicegen will not use: ``reason`` says why in a few words (``is a FIFO, not a
    regular file``), ``info`` is the ``lstat`` or ``fstat`` that decided it (if any)."""

    def __init__(self, path: str | Path, reason: str, info: os.stat_result | None = None) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.info = info


class TooBig(UnsafePath):
    """A regular file over the bytes slicegen reads of it (:func:`limit_for`)."""


#: What to do about one of slicegen's own files that is too big to read.
_OWN_FIXES = {
    LOCK_FILE: "restore it from git, or delete it and run 'slicegen storm' to lock the current "
    "shapes",
    MANIFEST_FILE: "restore it from git, or delete it (slicegen then treats every file as the "
    "user's)",
}


def too_big_fix(path: str | os.PathLike[str]) -> str:
    """What to do about ``path``, a :class:`TooBig` file: slicegen's own files are restored or
    written anew, any other is made smaller."""
    name = os.fspath(path).replace(os.sep, "/")
    own = (fix for f, fix in _OWN_FIXES.items() if name == f or name.endswith(f"/{f}"))
    return next(own, "split it into smaller files, or restore it from git")


def kind(mode: int) -> str:
    """What a file of ``mode`` is, in words (``a symlink``, ``a FIFO``...)."""
    return next((name for test, name in _KINDS if test(mode)), "a special file")


def _not_regular(mode: int) -> str | None:
    """Why a file of ``mode`` is refused, None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return "is a symlink" if stat.S_ISLNK(mode) else f"is {kind(mode)}, not a regular file"


def _check_owner(path: str | Path, info: os.stat_result, owned: bool) -> None:
    if owned and info.st_uid != os.geteuid():
        raise UnsafePath(path, f"belongs to user id {info.st_uid}, not to this user", info)


def real_dir(path: str | Path, *, owned: bool = False) -> bool:
    """True if ``path`` is a folder (not a link to one) and, with ``owned``, of this user; False
    if absent; else :class:`UnsafePath`."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafePath(path, f"is {kind(info.st_mode)}, not a folder", info)
    _check_owner(path, info, owned)
    return True


def open_regular(
    path: str | Path,
    flags: int = os.O_RDONLY,
    *,
    owned: bool = False,
    single_link: bool = False,
    mode: int = 0o644,
    blocking: bool = True,
    seen_regular: bool = False,
) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file ``path`` (the caller closes it) and its ``fstat``.

    ``flags`` may add ``O_CREAT``/``O_RDWR``; the descriptor is blocking again once checked
    (unless not ``blocking``: a regular file reads the same either way, so a caller that only
    reads it saves the two system calls). With ``seen_regular`` the caller has just
    ``lstat``-ed ``path`` and found a regular file (the walk of a tree): that is not repeated,
    and the ``fstat`` after the open still refuses anything else.
    Raises :class:`UnsafePath` for a symlink, anything but a regular file, a file swapped while
    it was opened, a hard link (``single_link``) or a file of another user (``owned``); any other
    OSError (``FileNotFoundError`` if absent, unreadable) as ``os.open`` raises it.
    """
    first: os.stat_result | None = None
    try:
        if not seen_regular:
            first = os.lstat(path)
    except FileNotFoundError:
        if not flags & os.O_CREAT:
            raise
    if first is not None and (why := _not_regular(first.st_mode)) is not None:
        raise UnsafePath(path, why, first)
    try:
        fd = os.open(path, flags | _OPEN, mode)
    except OSError:
        if os.path.islink(path):  # swapped for a symlink since the lstat (ELOOP)
            raise UnsafePath(path, "is a symlink", first) from None
        raise
    try:
        info = os.fstat(fd)
        why = _not_regular(info.st_mode)
        swapped = first is not None and (info.st_dev, info.st_ino) != (first.st_dev, first.st_ino)
        if why is None and swapped:
            why = "is a file that changed while it was opened"
        if why is None and single_link and info.st_nlink != 1:
            why = "is a hard link to another file"
        if why is not None:
            raise UnsafePath(path, why, info)
        _check_owner(path, info, owned)
        if blocking:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def limit_for(path: str | os.PathLike[str]) -> int:
    """The most bytes slicegen reads of ``path``: :data:`MAX_BYTES`, or more for the files it
    writes for itself, which grow with the tree (the event lock, the manifest)."""
    name = os.fspath(path).replace(os.sep, "/")
    if name == LOCK_FILE or name.endswith(f"/{LOCK_FILE}"):
        return LOCK_MAX_BYTES
    own = any(name == f or name.endswith(f"/{f}") for f in OWN_FILES)
    return OWN_FILE_MAX_BYTES if own else MAX_BYTES


def read_open(fd: int, info: os.stat_result, limit: int = MAX_BYTES, path: str = "") -> bytes:
    """The bytes of a descriptor :func:`open_regular` gave; :class:`UnsafePath` over ``limit``."""
    if info.st_size > limit:
        raise TooBig(
            path,
            f"is {info.st_size:,} bytes, over the {limit:,} bytes slicegen reads of a file",
            info,
        )
    chunks: list[bytes] = []
    left = limit + 1  # one byte more: a file that grew past the cap is refused too
    while left > 0:
        chunk = os.read(fd, min(left, max(info.st_size + 1, 1 << 16)))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    if left <= 0:
        raise TooBig(path, f"grew past the {limit:,} bytes slicegen reads of a file", info)
    return b"".join(chunks) if len(chunks) != 1 else chunks[0]


def read_regular(
    path: str | Path,
    limit: int = MAX_BYTES,
    *,
    owned: bool = False,
    single_link: bool = False,
    seen_regular: bool = False,
) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at ``path`` and its ``fstat``: :func:`open_regular` (which
    see for ``seen_regular``), then :func:`read_open` (refused over ``limit`` bytes)."""
    fd, info = open_regular(
        path, owned=owned, single_link=single_link, blocking=False, seen_regular=seen_regular
    )
    try:
        return read_open(fd, info, limit, os.fspath(path)), info
    finally:
        os.close(fd)


def read_text_or_none(path: str | Path, limit: int = MAX_BYTES) -> str | None:
    """The UTF-8 text of a regular file, or None when it is absent, refused or not UTF-8."""
    try:
        return read_regular(path, limit)[0].decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def read_named_file(path: Path, limit: int) -> bytes:
    """The bytes of a file the user named (a link to it is fine): refused unless regular.

    Opened without blocking, so a FIFO never hangs the run; a device or a file over ``limit``
    bytes is :class:`UnsafePath`, never read to the end.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(path, f"is {kind(info.st_mode)}, not a regular file", info)
        os.set_blocking(fd, True)
        return read_open(fd, info, limit, os.fspath(path))
    finally:
        os.close(fd)


def through_link(root: Path, rel: str) -> bool:
    """Whether a folder between ``root`` and ``rel`` (relative, '/'-separated) is a symlink:
    ``O_NOFOLLOW`` guards the last part only, and lint follows no symlinked folder."""
    return linked_below(root, (root / rel).parent)


def linked_below(root: Path, path: Path) -> bool:
    """Whether ``path`` or a folder between ``root`` and it is a symlink."""
    while path != root and path != path.parent:
        if path.is_symlink():
            return True
        path = path.parent
    return False


def walk_down(top: str | Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk(top)``, top-down, in the same order and with the same answers (a symlink to
    a folder is listed among the folders but not entered; ``dirs`` may be pruned in place),
    by a loop instead of recursion: Python 3.11's ``os.walk`` (and ``Path.rglob``) fail with a
    RecursionError below about a thousand nested folders, which a planted tree can have."""
    pending = [os.fspath(top)]
    while pending:
        folder = pending.pop()
        dirs: list[str] = []
        files: list[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    (dirs if is_dir else files).append(entry.name)
        except OSError:
            continue
        yield folder, dirs, files
        below = [os.path.join(folder, name) for name in dirs]
        pending.extend(path for path in reversed(below) if not os.path.islink(path))


def holds_name_ending(top: str | Path, suffix: str, besides: str = "") -> bool:
    """``any(Path(top).rglob("*" + suffix))`` without recursion: whether an entry of ``top``
    or of a folder below it (symlinked folders not entered) is named ``*suffix``, other than
    ``besides``."""
    return any(
        name.endswith(suffix) and name != besides
        for _, dirs, files in walk_down(top)
        for name in (*dirs, *files)
    )


def relative_inside(root: Path, rel: str) -> bool:
    """``rel`` is a clean relative POSIX path whose folder resolves inside ``root``.

    Only the folders are resolved: the last part itself may be a symlink, which is then used (and
    replaced or removed) as a link, never followed.
    """
    from pathlib import PurePosixPath  # not at import time: the lint replay loads this module

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


#: The folders whose leftover temporary files this process has removed (once per folder).
_swept: set[str] = set()


def write_atomic(path: str | Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` through a new temporary file; OSError when it fails.
    A process killed between the two (SIGKILL, SIGTERM) leaves its temporary file: the first
    write into a folder removes those of writers that are gone (:func:`remove_leftovers`)."""
    target = os.fspath(path)
    folder = os.path.dirname(target) or "."
    if folder not in _swept:
        _swept.add(folder)
        remove_leftovers(folder)
    tmp = f"{target}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
    fd = os.open(tmp, _WRITE, 0o644)
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


def remove_leftovers(folder: str) -> None:
    """Remove the temporary files :func:`write_atomic` left in ``folder`` (named
    ``<target>.<pid>.<12 hex digits>.tmp``, regular, this user's) whose process is gone."""
    try:
        names = [n for n in os.listdir(folder) if n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        parts = name.rsplit(".", 3)
        if len(parts) != 4 or not parts[1].isdigit() or len(parts[2]) != 12:
            continue
        try:
            int(parts[2], 16)
            os.kill(int(parts[1]), 0)
            continue  # its writer runs (or is another user's)
        except ProcessLookupError:
            pass
        except (OSError, ValueError, OverflowError):
            continue
        full = os.path.join(folder, name)
        try:
            info = os.lstat(full)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid():
                os.unlink(full)
        except OSError:
            pass


def write_if_absent(path: str | Path, data: bytes) -> None:
    """Write ``path`` when nothing is there (not even a symlink); never through a symlink."""
    if not os.path.lexists(path):
        write_atomic(path, data)
