"""Replaying a repeated ``slicegen lint`` before the CLI (typer, pydantic, the rules) is imported.

After a cached run with default options (a path, ``--format``, ``--select`` and ``--ignore`` at
most; each selection has its own replay file), :func:`remember`
stores what it printed, its exit code and a :class:`TreeProbe`: the paths the walk kept and what
their stats were when the walk took them (each kept folder's inode, mtime and ctime, taken before
the folder was listed; each source and ``.gitignore`` file's mtime and size), the storming
documents' stats, and the content of each config file candidate that the config search looked at.

:func:`replay` stats those paths again, without listing or reading any folder: a folder's mtime
changes whenever an entry is added, removed or renamed in it, and a file's mtime or size when it
is edited, so equal stats mean the walk would keep the same paths and the lint would read the
same bytes. It prints the stored output when everything matches. When only a few files' stats
changed (at most :data:`EDITS`), :mod:`slicegen.lint.persist` reads those files and prints the
stored output if no rule can see their edits; otherwise it returns None and the normal path
runs, taking the replay's walk (:func:`walked`: no folder or ``.gitignore`` changed, so the
walk would keep the same paths) and, when the edits leave them as they were, the stored SG5xx
violations. Stats within :data:`RACY_NS` of the walk are not trusted (a change in the same
clock tick would leave them equal): a racy folder or document means the run is not
remembered, a racy file is remembered as :data:`RACY` (judged by its content every time). The
walk follows no symlink, so the replay compares a symlink's own (``lstat``) stats: its target
never matters. The request holds a digest of slicegen's own files (:mod:`slicegen.own_code`):
an edited slicegen, such as a changed rule, never replays an older output. Only ``os``-level
work happens here: beyond what ``python -c pass`` loads, the replay imports just the built-in
``_blake2`` and ``_operator``.
"""

from __future__ import annotations

import marshal
import os
import sys
import time

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
#: A racy file's stats as remembered: never equal to a stat, so a replay always judges the file
#: again by its content (:mod:`slicegen.lint.persist`), never by its stats.
RACY = -1

#: (folders, files, symlinks, digest of the folders' stats, each file's mtime and size in
#: turn, storming documents' stats)
ProbeKey = tuple[list[str], list[str], list[str], int, list[int], list[tuple[str, int, int]]]
#: Files whose boundary record a run took from the run before (:func:`walked`), each with the
#: (size, mtime) the boundary check's per-file cache holds that record under
Stamps = dict[str, tuple[int, int]]
#: What answers an edit no rule can see (:func:`slicegen.lint.persist.keep`): the settings it
#: was made under, what judges a file (the kinds of artifacts each file defines, as bits; the
#: positions of the files whose cache entry holds no record the run judged; the roots of the
#: domains standing alone), the cache shards' signatures, and with the boundary rules
#: on (pickled domains, every file counts, every file relevant, the pickled SG5xx violations
#: the run found or b"", :data:`Stamps`)
Side = tuple[
    str,
    tuple[bytes, list[int], list[str]],
    list[bytes | None],
    tuple[bytes, bool, bool, bytes, Stamps] | None,
]
#: The rest of a walk a replay can hand on (:func:`walked`): the kept files that are no source
#: file, and the walk's ``exclude`` and ``respect_gitignore``
Rest = tuple[list[str], list[str], bool]
#: request, root, configured, config candidates, then the ProbeKey's parts, output, exit code,
#: what answers an edit no rule can see (:mod:`slicegen.lint.persist`; None: nothing), and the
#: rest of the walk
Record = tuple[
    tuple[str, ...],
    str,
    bool,
    list[bytes | None],
    list[str],
    list[str],
    list[str],
    int,
    list[int],
    list[tuple[str, int, int]],
    str,
    int,
    Side | None,
    Rest,
]
#: The most edited files a replay judges itself (each is read and parsed); more: a full run.
EDITS = 16


class TreeProbe:
    """What a later run re-checks, without importing the engine, to know the tree is unchanged."""

    __slots__ = (
        "configured",
        "docs",
        "exclude",
        "key",
        "others",
        "respect_gitignore",
        "root",
        "settings",
    )

    def __init__(
        self,
        root: str,
        exclude: list[str],
        respect_gitignore: bool,
        docs: list[str],
        key: ProbeKey | None,
        configured: bool = True,
        settings: str = "",
        others: list[str] | None = None,
    ) -> None:
        self.root = root
        self.exclude = exclude
        self.respect_gitignore = respect_gitignore
        self.docs = docs  # storming documents (absolute paths), stat-checked
        self.key = key  # see :func:`tree_key`; None: the tree cannot be trusted to stay as seen
        self.configured = configured  # a config file was found (else the search went up to "/")
        self.settings = settings  # the run's settings and slicegen's code (see engine.py)
        self.others = others or []  # the walk's kept files that are no source file


def stat_of(path: str) -> tuple[str, int, int]:
    """``(path, mtime_ns, size)``; size -1 when it cannot be stat'ed."""
    try:
        info = os.lstat(path)
    except OSError:
        return path, 0, -1
    return path, info.st_mtime_ns, info.st_size


def tree_key(tree: Tree, docs: list[tuple[str, int, int]]) -> ProbeKey | None:
    """The walk's folders, source and ``.gitignore`` files and symlinks, with a digest of the
    folders' stats and the files' stats (:data:`RACY` for a file changed too close to the walk:
    see :data:`RACY_NS`); None when a folder or document is racy or a file could not be read."""
    if tree.unlisted:
        return None  # a folder that could not be listed: always run normally (and warn)
    files = {**tree.stats, **tree.ignore_stats}
    limit = tree.started_ns - RACY_NS
    for _, mtime, _size in docs:
        if mtime > limit:
            return None
    stats: list[int] = []
    for mtime, size in files.values():
        if size < 0:
            return None  # an unreadable file: always run normally
        stats += (RACY, RACY) if mtime > limit else (mtime, size)
    values: list[int] = []
    for ino, mtime, ctime in tree.dir_stats.values():
        if mtime > limit:
            return None
        values += (ino, mtime, ctime)
    return list(tree.dir_stats), list(files), list(tree.links), hash(tuple(values)), stats, docs


#: From this many files on, a forked child stats the second half while this process does the
#: first: ``os.stat`` is most of a replay and threads cannot share it (the GIL).
FORK_AT = 4000


def _changes_now(
    folders: list[str], files: list[str], stats: list[int]
) -> tuple[list[int], list[int]]:
    """The folders' stats now (inode, mtime and ctime in turn, as :func:`tree_key` digests
    them), and the positions of the files whose stats differ from ``stats`` (paths relative to
    the current folder); OSError when one is gone."""
    half = len(files) // 2
    forks = len(files) >= FORK_AT and hasattr(os, "fork")
    child = _fork_changes(files, stats, half) if forks else None
    stat = os.lstat  # the walk follows no symlink: a symlink's own stats are what it took
    values = [v for s in map(stat, folders) for v in (s.st_ino, s.st_mtime_ns, s.st_ctime_ns)]
    if child is None:
        return values, _moved(files, stats, 0, len(files))
    first = _moved(files, stats, 0, half)
    return values, first + _child_changes(*child)


def _moved(files: list[str], stats: list[int], start: int, end: int) -> list[int]:
    """The positions from ``start`` to ``end`` of the files whose stats are not ``stats``'."""
    now = [v for s in map(os.lstat, files[start:end]) for v in (s.st_mtime_ns, s.st_size)]
    if now == stats[2 * start : 2 * end]:
        return []
    return [
        start + i
        for i in range(end - start)
        if now[2 * i : 2 * i + 2] != stats[2 * (start + i) : 2 * (start + i) + 2]
    ]


def _fork_changes(files: list[str], stats: list[int], half: int) -> tuple[int, int] | None:
    """Start a child that writes :func:`_moved` of the files from ``half`` on to a pipe:
    (pid, read end)."""
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
            found = _moved(files, stats, half, len(files))[: EDITS + 1]
            os.write(write, ("ok" + "".join(f",{i}" for i in found)).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _child_changes(pid: int, read: int) -> list[int]:
    """The child's positions; OSError when it failed (a file gone)."""
    try:
        data = os.read(read, 4096)
    finally:
        os.close(read)
        _, status = os.waitpid(pid, 0)
    if status != 0 or not data.startswith(b"ok"):
        raise OSError("a file could not be stat'ed")
    return [int(part) for part in data[2:].split(b",") if part]


#: ``--select`` and ``--ignore`` as given (each split on commas); select None: not given.
Selection = tuple[tuple[str, ...] | None, tuple[str, ...]]

#: Codes and prefixes a replayable selection may name (they become part of a file name).
_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def _request(path: str, output_format: str, color: bool, selection: Selection) -> tuple[str, ...]:
    return (
        __version__,
        code_key(),  # an edited slicegen (a rule, a template) never replays an older output
        sys.version,
        os.getcwd(),
        os.path.realpath(path),
        output_format,
        str(color),
        repr(selection),
    )


def replay_file(selection: Selection) -> str:
    """The replay file of a selection: each selection keeps its own, so a hook's ``--select``
    run and an editor's full run do not replace each other's output."""
    select, ignore = selection
    if select is None and not ignore:
        return REPLAY_FILE
    named = f"{'+'.join(select) if select is not None else '_'}-{'+'.join(ignore)}"
    return f"replay-{__version__}-{named}.bin"


def selection_of(select: list[str] | None, ignore: list[str] | None) -> Selection | None:
    """The replay's selection for ``--select``/``--ignore`` values as the lint reads them (an
    empty ``--select`` list is none given); None if one holds a character no rule code has
    (such a run is not remembered)."""
    chosen = _codes(select) if select else None
    ignored = _codes(ignore or [])
    codes = "".join((*(chosen or ()), *ignored))
    if not _CODE_CHARS.issuperset(codes) or len(codes) > 120:
        return None
    return chosen, ignored


def _codes(values: list[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


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
    probe: TreeProbe | None,
    path: object,
    output_format: str,
    color: bool,
    output: str,
    code: int,
    selection: Selection | None = (None, ()),
    side: Side | None = None,
) -> None:
    """Store a run's output (default options, or a ``--select``/``--ignore`` selection) for
    :func:`replay`, with ``side`` (:func:`slicegen.lint.persist.keep`); never fails the run."""
    if probe is None or probe.key is None or selection is None:
        return
    folders, files, links, digest, stats, docs = probe.key
    start = _start(str(path))
    try:
        configs = _config_candidates(start, probe.root, probe.configured)
    except OSError:  # a config candidate lint cannot trust to stay as read
        return
    record: Record = (
        _request(str(path), output_format, color, selection),
        probe.root,
        probe.configured,
        configs,
        [d or "." for d in folders],
        files,
        links,
        digest,
        stats,
        docs,
        output,
        code,
        side,
        (probe.others, probe.exclude, probe.respect_gitignore),
    )
    try:
        folder = os.path.join(probe.root, CACHE_DIR)
        if own_folder(folder, create=False):
            stored = os.path.join(folder, replay_file(selection))
            signed_pickle.dump_signed(stored, marshal.dumps(record))
    except (OSError, ValueError):
        pass


def parse_args(args: list[str]) -> tuple[str, str, Selection] | None:
    """``lint [PATH] [--format F] [--select S]... [--ignore I]...`` -> (PATH, F, selection);
    None for anything else."""
    if not args or args[0] != "lint":
        return None
    path, seen_path = ".", False
    values: dict[str, list[str]] = {"--format": [], "--select": [], "--ignore": []}
    rest = args[1:]
    i = 0
    while i < len(rest):
        arg = rest[i]
        name, equals, value = arg.partition("=")
        if name in values and equals:
            values[name].append(value)
            i += 1
            continue
        if arg in values and i + 1 < len(rest):
            values[arg].append(rest[i + 1])
            i += 2
            continue
        if arg.startswith("-") or seen_path or not arg:
            return None
        path, seen_path, i = arg, True, i + 1
    output_format = values["--format"][-1] if values["--format"] else "text"
    selection = selection_of(values["--select"], values["--ignore"])
    if output_format not in OUTPUT_FORMATS or selection is None:
        return None
    return path, output_format, selection


def _load(start: str, name: str) -> Record | None:
    for folder in _folders_up(start):
        if os.path.exists(os.path.join(folder, CACHE_DIR, name)):
            return load_record(folder, name)
    return None


def load_record(root: str, name: str) -> Record | None:
    """The replay record ``name`` stored under ``root``; None if absent, damaged or foreign."""
    payload = signed_pickle.load_signed(os.path.join(root, CACHE_DIR, name))
    if payload is None:
        return None
    data: Record = marshal.loads(payload)  # ours: the signature says so
    return data if isinstance(data, tuple) and len(data) == 14 else None


def _changes(
    root: str, folders: list[str], files: list[str], stats: list[int]
) -> tuple[list[int], list[int]]:
    """:func:`_changes_now`, run in ``root`` (then back in the current folder)."""
    here = os.open(".", os.O_RDONLY)
    try:
        os.chdir(root)
        return _changes_now(folders, files, stats)
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
    path, output_format, selection = parsed
    try:
        start = _start(path)
        if not os.path.exists(start):
            return None
        stored = _load(start, replay_file(selection))
        if stored is None:
            return None
        (
            request,
            root,
            configured,
            configs,
            folders,
            files,
            _,
            digest,
            stats,
            docs,
            output,
            code,
            _side,
            _rest,
        ) = stored
        color = output_format == "text" and use_colour(out)
        if request != _request(path, output_format, color, selection):
            return None
        if os.path.lexists(os.path.join(root, ".slicegen", "txn")):
            return None  # a killed slicegen run left a journal: the normal run rolls it back
        if configs != _config_candidates(start, root, configured):
            return None
        if docs != [stat_of(d) for d, _, _ in docs]:
            return None
        started = time.time_ns()
        values, moved = _changes(root, folders, files, stats)
        if hash(tuple(values)) != digest:
            return None
        if moved:
            # the edited files' stats, taken before any of them is read (a later edit shows)
            now = _stats_of(root, files, moved) if len(moved) <= EDITS else None
            answered, judged = _unseen(root, stored, moved, selection)
            if not answered:
                if now is not None and not any(_is_ignore_file(files[i]) for i in moved):
                    _HANDED[:] = [(root, started, stored, values, now, judged)]
                return None
    except (OSError, RuntimeError, ValueError, TypeError, EOFError):
        return None
    out.write(output)
    return code


def _unseen(
    root: str, stored: Record, moved: list[int], selection: Selection
) -> tuple[bool, tuple[bytes, Stamps] | None]:
    """Whether no rule can see the edits of the files at ``moved`` (a few files, read and
    parsed by :mod:`slicegen.lint.persist`, which also keeps their new stats), and when some
    rule can, the run's SG5xx violations (and :data:`Stamps`) if those edits leave them as
    they were."""
    if stored[12] is None or len(moved) > EDITS:
        return False, None
    from slicegen.lint.persist import answer  # the readers: only when some file changed

    return answer(root, stored, moved, replay_file(selection))


#: The walk a replay found as stored but for a few edited files' stats, which it could not
#: answer (:func:`walked` hands it to the normal run): (root, when the stats were taken, the
#: record, the folders' stats, the position, mtime and size of each file whose stats changed,
#: the pickled SG5xx violations and :data:`Stamps` when the edits leave them as they were)
_HANDED: list[
    tuple[str, int, Record, list[int], list[tuple[int, int, int]], tuple[bytes, Stamps] | None]
] = []


class Walked:
    """What a replay hands on: the walk, and the SG5xx violations when the edits leave them as
    the stored run found them (its boundary records of the edited files are the run's)."""

    __slots__ = ("stamps", "tree", "violations")

    def __init__(self, tree: Tree, judged: tuple[bytes, Stamps] | None) -> None:
        self.tree = tree
        self.violations = judged[0] if judged else None  # pickled, signed with the record
        self.stamps: Stamps = judged[1] if judged else {}


def walked(root: str, exclude: list[str], respect_gitignore: bool) -> Walked | None:
    """The walk of ``root`` the replay of this process found unchanged but for a few edited
    files, as :func:`slicegen.model.discovery.walk` makes it when it starts at the time those
    stats were taken: no folder changed (each kept folder's inode, mtime and ctime are as
    stored, and no ``.gitignore`` was edited), so the same paths are kept; the edited files'
    stats are the ones the replay took before reading them. None when the replay handed on
    no walk, or one of another root or settings. Taken once."""
    if not _HANDED:
        return None
    at, started, stored, values, moved, judged = _HANDED.pop()
    others, excluded, respects = stored[13]
    if at != root or excluded != exclude or respects != respect_gitignore:
        return None
    from pathlib import Path

    from slicegen.model.discovery import Tree

    folders, files, links, stats = stored[4], stored[5], stored[6], list(stored[8])
    for i, mtime, size in moved:
        stats[2 * i : 2 * i + 2] = mtime, size
    tree = Tree(root=Path(root), started_ns=started, links=list(links))
    for i, rel in enumerate(files):
        kept = tree.ignore_stats if _is_ignore_file(rel) else tree.stats
        kept[rel] = (stats[2 * i], stats[2 * i + 1])
    tree.dir_stats = {
        "" if rel == "." else rel: (values[3 * i], values[3 * i + 1], values[3 * i + 2])
        for i, rel in enumerate(folders)
    }
    tree.dirs = sorted(rel for rel in tree.dir_stats if rel)
    tree.files = sorted([*tree.stats, *others])
    return Walked(tree, judged)


def _stats_of(root: str, files: list[str], moved: list[int]) -> list[tuple[int, int, int]]:
    """(position, mtime, size) of each file at ``moved``; OSError when one is gone."""
    out = []
    for i in moved:
        info = os.lstat(os.path.join(root, files[i]))
        out.append((i, info.st_mtime_ns, info.st_size))
    return out


def _is_ignore_file(rel: str) -> bool:
    """Whether ``rel`` is a ``.gitignore`` file (the probe's files are sources or those)."""
    return rel == ".gitignore" or rel.endswith("/.gitignore")
