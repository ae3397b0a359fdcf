"""Replaying a repeated ``slicegen lint`` before the CLI (typer, pydantic, the rules) is imported.

After a cached run with default options (a path and ``--format`` at most), :func:`remember`
stores what it printed, its exit code and a :class:`TreeProbe`: the paths the walk kept and what
their stats were when the walk took them (each kept folder's inode, mtime and ctime, taken before
the folder was listed; each source and ``.gitignore`` file's mtime and size), the storming
documents' stats, and the content of each config file candidate that the config search looked at.

:func:`replay` stats those paths again, without listing or reading any folder: a folder's mtime
changes whenever an entry is added, removed or renamed in it, and a file's mtime or size when it
is edited, so equal stats mean the walk would keep the same paths and the lint would read the
same bytes. It prints the stored output when everything matches; otherwise it returns None and the
normal path runs. Stats within :data:`RACY_NS` of the walk are not trusted (a change in the same
clock tick would leave them equal), so such a run is not remembered. The walk follows no symlink,
so the replay compares a symlink's own (``lstat``) stats: its target never matters. The request
holds a digest of slicegen's own files (:mod:`slicegen.own_code`): an edited slicegen, such as a
changed rule, never replays an older output. Only ``os``-level work happens here: beyond what
``python -c pass`` loads, the replay imports just the built-in ``_blake2`` and ``_operator``.
"""

from __future__ import annotations

import marshal
import os
import sys

from slicegen import __version__, signed_pickle
from slicegen.colour import use_colour
from slicegen.constants import (
    CACHE_DIR,
    CONFIG_NAMES,
    OUTPUT_FORMATS,
    PROJECT_FILES,
    VCS_MARKERS,
)
from slicegen.own_code import code_key
from slicegen.safe_files import own_folder, read_regular

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (about 10 ms)
if TYPE_CHECKING:
    from typing import TextIO

    from slicegen.model.discovery import Tree

REPLAY_FILE = f"replay-{__version__}.bin"
#: Stats this close to (or after) the walk's start are not trusted: a file system may stamp a
#: later change in the same tick (1 s on ext3 or HFS+) with the same time.
RACY_NS = 1_000_000_000

#: (folders, files, symlinks, digest of the stats, storming documents' stats)
ProbeKey = tuple[list[str], list[str], list[str], int, list[tuple[str, int, int]]]
#: request, root, configured, config candidates, then the ProbeKey's parts, output, exit code
Record = tuple[
    tuple[str, ...],
    str,
    bool,
    list[bytes | None],
    list[str],
    list[str],
    list[str],
    int,
    list[tuple[str, int, int]],
    str,
    int,
]


class TreeProbe:
    """What a later run re-checks, without importing the engine, to know the tree is unchanged."""

    __slots__ = ("configured", "docs", "exclude", "key", "respect_gitignore", "root")

    def __init__(
        self,
        root: str,
        exclude: list[str],
        respect_gitignore: bool,
        docs: list[str],
        key: ProbeKey | None,
        configured: bool = True,
    ) -> None:
        self.root = root
        self.exclude = exclude
        self.respect_gitignore = respect_gitignore
        self.docs = docs  # storming documents (absolute paths), stat-checked
        self.key = key  # see :func:`tree_key`; None: the tree cannot be trusted to stay as seen
        self.configured = configured  # a config file was found (else the search went up to "/")


def stat_of(path: str) -> tuple[str, int, int]:
    """``(path, mtime_ns, size)``; size -1 when it cannot be stat'ed."""
    try:
        info = os.lstat(path)
    except OSError:
        return path, 0, -1
    return path, info.st_mtime_ns, info.st_size


def tree_key(tree: Tree, docs: list[tuple[str, int, int]]) -> ProbeKey | None:
    """The walk's folders, source and ``.gitignore`` files and symlinks, with a digest of the
    stats it took; None when one of them is racy (see :data:`RACY_NS`) or could not be read."""
    files = {**tree.stats, **tree.ignore_stats}
    limit = tree.started_ns - RACY_NS
    for _, mtime, _size in docs:
        if mtime > limit:
            return None
    for mtime, size in files.values():
        if size < 0 or mtime > limit:
            return None  # an unreadable file: always run normally
    values: list[int] = []
    for ino, mtime, ctime in tree.dir_stats.values():
        if mtime > limit:
            return None
        values += (ino, mtime, ctime)
    stats = [v for mtime_size in files.values() for v in mtime_size]
    half = 2 * _split_at(len(tree.dir_stats), len(files))  # two values per file
    digest = hash((hash(tuple(values + stats[:half])), hash(tuple(stats[half:]))))
    return list(tree.dir_stats), list(files), list(tree.links), digest, docs


#: From this many files on, a forked child stats the second half while this process does the
#: first: ``os.stat`` is most of a replay and threads cannot share it (the GIL).
FORK_AT = 4000


def _digest_now(folders: list[str], files: list[str]) -> int:
    """The digest :func:`tree_key` made, from the stats as they are now (paths relative to the
    current folder); OSError when one is gone."""
    stat = os.lstat  # the walk follows no symlink: a symlink's own stats are what it took
    half = _split_at(len(folders), len(files))
    child = _fork_digest(files[half:]) if len(files) >= FORK_AT and hasattr(os, "fork") else None
    values = [v for s in map(stat, folders) for v in (s.st_ino, s.st_mtime_ns, s.st_ctime_ns)]
    values += [v for s in map(stat, files[:half]) for v in (s.st_mtime_ns, s.st_size)]
    first = hash(tuple(values))
    second = _half_digest(files[half:]) if child is None else _child_digest(*child)
    return hash((first, second))


def _split_at(folders: int, files: int) -> int:
    """How many files this process stats (after every folder); a child stats the rest."""
    return max(0, (files - folders) // 2)


def _half_digest(files: list[str]) -> int:
    return hash(tuple(v for s in map(os.lstat, files) for v in (s.st_mtime_ns, s.st_size)))


def _fork_digest(files: list[str]) -> tuple[int, int] | None:
    """Start a child that writes :func:`_half_digest` of ``files`` to a pipe: (pid, read end)."""
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: never returns, whatever happens
        code = 1
        try:
            os.close(read)
            os.write(write, str(_half_digest(files)).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _child_digest(pid: int, read: int) -> int:
    """The child's digest; OSError when it failed (a file gone)."""
    try:
        data = os.read(read, 64)
    finally:
        os.close(read)
        _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        raise OSError("a file could not be stat'ed")
    return int(data)


def _request(path: str, output_format: str, color: bool) -> tuple[str, ...]:
    return (
        __version__,
        code_key(),  # an edited slicegen (a rule, a template) never replays an older output
        sys.version,
        os.getcwd(),
        os.path.realpath(path),
        output_format,
        str(color),
    )


def _start(path: str) -> str:
    resolved = os.path.realpath(path)
    return resolved if os.path.isdir(resolved) else os.path.dirname(resolved)


def _folders_up(start: str) -> list[str]:
    """``start`` and every folder above it, up to ``/``."""
    out = [start]
    while (parent := os.path.dirname(out[-1])) != out[-1]:
        out.append(parent)
    return out


def _content(path: str) -> bytes | None:
    """A config candidate's bytes, None when there is none; OSError when it is no regular file
    (a symlink, a FIFO), is over the read cap or unreadable: then nothing is replayed."""
    try:
        return read_regular(path)[0]
    except FileNotFoundError:
        return None


def _config_candidates(start: str, root: str, configured: bool) -> list[bytes | None]:
    """The content of every config file candidate the config search reads from ``start`` up to
    the root (None where there is no file)."""
    out: list[bytes | None] = []
    for folder in _folders_up(start):
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            out.append(_content(candidate) if os.path.lexists(candidate) else None)
        if not configured:  # a repository root found or lost moves the unconfigured root
            out.extend(
                b"marker" if os.path.lexists(os.path.join(folder, m)) else None
                for m in (*VCS_MARKERS, *PROJECT_FILES)
            )
        if configured and folder == root:
            break
    return out


def remember(
    probe: TreeProbe | None, path: object, output_format: str, color: bool, output: str, code: int
) -> None:
    """Store a default-options run's output for :func:`replay`; never fails the run."""
    if probe is None or probe.key is None:
        return
    folders, files, links, digest, docs = probe.key
    start = _start(str(path))
    try:
        configs = _config_candidates(start, probe.root, probe.configured)
    except OSError:  # a config candidate lint cannot trust to stay as read
        return
    record: Record = (
        _request(str(path), output_format, color),
        probe.root,
        probe.configured,
        configs,
        [d or "." for d in folders],
        files,
        links,
        digest,
        docs,
        output,
        code,
    )
    try:
        folder = os.path.join(probe.root, CACHE_DIR)
        if own_folder(folder, create=False):
            signed_pickle.dump_signed(os.path.join(folder, REPLAY_FILE), marshal.dumps(record))
    except (OSError, ValueError):
        pass


def parse_args(args: list[str]) -> tuple[str, str] | None:
    """``lint [PATH] [--format F]`` -> (PATH, F); None for anything else."""
    if not args or args[0] != "lint":
        return None
    path, output_format, seen_path = ".", "text", False
    rest = args[1:]
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg == "--format" and i + 1 < len(rest):
            output_format, i = rest[i + 1], i + 2
            continue
        if arg.startswith("--format="):
            output_format, i = arg[len("--format=") :], i + 1
            continue
        if arg.startswith("-") or seen_path or not arg:
            return None
        path, seen_path, i = arg, True, i + 1
    return (path, output_format) if output_format in OUTPUT_FORMATS else None


def _load(start: str) -> Record | None:
    for folder in _folders_up(start):
        path = os.path.join(folder, CACHE_DIR, REPLAY_FILE)
        if not os.path.exists(path):
            continue
        payload = signed_pickle.load_signed(path)  # damaged or foreign: None, run normally
        if payload is None:
            return None
        data: Record = marshal.loads(payload)  # ours: the signature says so
        return data if isinstance(data, tuple) and len(data) == 11 else None
    return None


def _unchanged(root: str, folders: list[str], files: list[str]) -> int:
    """The digest of the stats now; runs in ``root`` and goes back to the current folder."""
    here = os.open(".", os.O_RDONLY)
    try:
        os.chdir(root)
        return _digest_now(folders, files)
    finally:
        os.fchdir(here)
        os.close(here)


def replay(args: list[str], stream: TextIO | None = None) -> int | None:
    """Print the stored output of the same lint run and return its exit code, or None when
    the tree, settings or request changed (or nothing is stored)."""
    parsed = parse_args(args)
    if parsed is None or "_SLICEGEN_COMPLETE" in os.environ:
        return None
    out = stream or sys.stdout
    path, output_format = parsed
    try:
        start = _start(path)
        if not os.path.exists(start):
            return None
        stored = _load(start)
        if stored is None:
            return None
        request, root, configured, configs, folders, files, _links, digest, docs, output, code = (
            stored
        )
        color = output_format == "text" and use_colour(out)
        if request != _request(path, output_format, color):
            return None
        if os.path.lexists(os.path.join(root, ".slicegen", "txn")):
            return None  # a killed slicegen run left a journal: the normal run rolls it back
        if configs != _config_candidates(start, root, configured):
            return None
        if docs != [stat_of(d) for d, _, _ in docs]:
            return None
        if _unchanged(root, folders, files) != digest:
            return None
    except (OSError, RuntimeError, ValueError, TypeError, EOFError):
        return None
    out.write(output)
    return code
