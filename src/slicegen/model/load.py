"""Reading a tree into the workspace model: walk, lay out, read files (cached, in parallel), build.

This is the only place that reads source files: regular ones only, never through a symlink, and
at most :data:`slicegen.safe_files.MAX_BYTES` of each (:mod:`slicegen.safe_files`); any other is an
SG001 finding. A :class:`FileStore` (the lint cache, or nothing) answers for files whose stat or
content hash it has seen; the rest are read by a process pool when there are many of them, so
both cores parse. Given a :class:`Scan` (the boundary check's, passed down by the lint engine),
the same readers also make its per-file records from the bytes they read, so no file is read
twice.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from slicegen import naming
from slicegen.model.build import build_model
from slicegen.model.byte_search import Finder, linear
from slicegen.model.discovery import (
    GROUPED_STEMS,
    TECHNICAL_FOLDERS,
    DomainPlace,
    Layout,
    Tree,
    infer_layout,
    is_test,
    kind_from_stem,
    split_file_version,
    walk,
)
from slicegen.model.reads import ALL, TYPE_STRING_MARK, Reads, needles_of
from slicegen.model.workspace import FileInfo, Language, WorkspaceModel
from slicegen.safe_files import MAX_BYTES, UnsafePath, read_regular
from slicegen.stacks import registry
from slicegen.stacks.artifacts import EVENT_FOLDER, slice_named_kind

if TYPE_CHECKING:
    from slicegen.config import Config

#: Below this many files to read, a process pool costs more than it saves.
POOL_THRESHOLD = 200
_RULE_NEEDLES = frozenset(needles_of(ALL))


class Entry(NamedTuple):
    """What the store remembers about one file."""

    mtime_ns: int
    size: int
    digest: str
    info: FileInfo
    mode: int  # the read mode it was made with (see ``Job``)
    words: tuple[bytes, ...] = ()  # the trigger bytes it was read with (see ``mentions``)

    def serves(self, mode: int, words: tuple[bytes, ...]) -> bool:
        """Whether this entry answers a read in ``mode`` with trigger ``words``."""
        info = self.info
        if info.parsed or info.error is not None or mode == NO_PARSE:
            return True
        return mode in (TRIGGERED, SIFTED) and self.mode == mode and self.words == words


class Scan(Protocol):
    """Makes a per-file record from bytes the readers read (the boundary check's
    :class:`slicegen.boundaries.collect.Scan`; the loader does not import it)."""

    use_cache: bool  # whether the records are kept (so the readers hash the files)

    def entry(
        self, rel: str, raw: bytes, size: int, mtime_ns: int, digest: str
    ) -> list[Any] | None:
        """The record of the file ``rel`` (None for a file it keeps none of)."""


class FileStore(Protocol):
    def get(self, path: str) -> Entry | None: ...

    def put(self, path: str, entry: Entry) -> None: ...


@dataclass
class Loaded:
    """The model plus what it took to build it."""

    model: WorkspaceModel
    tree: Tree
    layout: Layout
    parsed: int  # files parsed in this run (not answered by the store)
    #: boundary cache entries made from the bytes read (see :class:`Scan`), by path
    boundary: dict[str, list[Any]] = field(default_factory=dict)


#: Read modes: decode only; parse when the bytes mention what rules look for; always parse;
#: parse when they mention it and the reader can find a fact in them (Python, see ``sifted``).
NO_PARSE, TRIGGERED, PARSE, SIFTED = 0, 1, 2, 3
#: relative path, read mode, the digest the store knows ("" if none), trigger bytes, whether
#: the walk found it a regular file (see :func:`slicegen.safe_files.open_regular`)
Job = tuple[str, int, str, tuple[bytes, ...], bool]
#: relative path, mtime, size (-1: unreadable), digest, info (None: ``known`` still holds),
#: boundary entry (None: no scan, or a file outside every domain)
Result = tuple[str, int, int, str, FileInfo | None, list[Any] | None]

#: What the readers of this process also make boundary entries with (set for a pool's workers).
_SCAN: Scan | None = None
#: Whether the readers hash the files (only a store or a boundary cache keeps the digests).
_DIGESTS = True


def read_file(
    root: str,
    rel: str,
    mode: int,
    known: str = "",
    words: tuple[bytes, ...] = (),
    seen_regular: bool = False,
) -> Result:
    """Read and parse one file; never raises (an unreadable file is a FileInfo with an error).

    The info is None when the content hash equals ``known``: the stored info still holds.
    ``seen_regular``: the walk's ``lstat`` found it a regular file a moment ago.
    """
    language: Language = registry.language_of(rel) or "other"
    full = f"{root}/{rel}"  # as os.path.join(root, rel) for a relative rel, without the call
    try:
        data, info = read_regular(full, seen_regular=seen_regular)
    except UnsafePath as exc:  # a symlink, FIFO, device, socket or a file over the cap: not read
        note = " (slicegen does not follow symlinks)" if exc.reason == "is a symlink" else ""
        error = FileInfo(rel, language, error=f"{exc.reason}{note}; exclude it or replace it")
        return rel, 0, -1, "", error, None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        error = FileInfo(
            rel, language, error=f"cannot be read ({reason}); fix its permissions or exclude it"
        )
        return rel, 0, -1, "", error, None
    digest = hashlib.blake2b(data, digest_size=16).hexdigest() if _DIGESTS or known else ""
    mtime, size = info.st_mtime_ns, info.st_size
    boundary = _SCAN.entry(rel, data, size, mtime, digest) if _SCAN is not None else None
    if known and digest == known:
        return rel, mtime, size, digest, None, boundary
    wanted = (
        mode == PARSE
        or (mode == TRIGGERED and mentions(data, words))
        or (mode == SIFTED and sifted(data, words, test=is_test(rel)))
    )
    reader = _READERS.get(language) or _reader(language)
    try:
        parsed = reader(rel, data, wanted)
    except (RecursionError, MemoryError):  # pathological nesting must not end the run
        parsed = FileInfo(rel, language, error="nested too deeply to check; simplify it")
    except Exception as exc:  # a reader bug costs one file, never the run
        parsed = FileInfo(
            rel,
            language,
            error=f"slicegen's reader failed on it ({type(exc).__name__}: {exc}); "
            "please report this file to slicegen, or exclude it",
        )
    return rel, mtime, size, digest, parsed, boundary


_READERS: dict[str, Callable[[str, bytes, bool], FileInfo]] = {}


def _reader(language: Language) -> Callable[[str, bytes, bool], FileInfo]:
    """The reader of ``language``, imported on first use."""
    if language == "python":
        from slicegen.model.readers.python import read_python as reader
    else:
        from slicegen.model.readers.elixir import read_elixir as reader
    _READERS[language] = reader
    return reader


def mentions(data: bytes, words: tuple[bytes, ...]) -> bool:
    """Whether ``data`` holds one of ``words`` or, if they hold :data:`TYPE_STRING_MARK`, the
    start of a type string: exactly ``any(w in data for w in words if w != TYPE_STRING_MARK)
    or (TYPE_STRING_MARK in words and re.search(TYPE_STRING_MARK, data))``, in one pass (see
    :func:`_needle_pattern`)."""
    return bool(words) and _needle_pattern(words).search(data) is not None


def sifted(data: bytes, words: tuple[bytes, ...], *, test: bool = False) -> bool:
    """Whether a Python file can give a rule a fact: it mentions ``words`` where the Python
    reader can record what they stand for (:func:`python_mentions`), and either the reader's
    byte test holds (:func:`slicegen.model.readers.python.may_hold_facts`) or it names another
    domain among ``words`` (its imports), unless it is a ``test`` file: the rules that read
    imports of another domain (SG404, SG401's router imports, a policy's source domain) leave
    tests out, and SG206's imports of a retired module are the byte test's. A file that fails
    is not parsed: what it holds is what a file mentioning none of ``words`` holds, which no
    rule reads either (only a syntax error in it goes unseen: ``--parse-all`` reports those)."""
    from slicegen.model.readers.python import may_hold_facts

    if _either_pattern(words).search(data) is None:  # most files: one pass settles them
        return False
    domains = mentions(data, _domain_part(words))
    if not (domains or python_mentions(data, words)):
        return False
    return may_hold_facts(data) or (not test and domains)


def python_mentions(data: bytes, words: tuple[bytes, ...]) -> bool:
    """Whether ``data`` holds one of the rules' words among ``words`` (not the domains' names)
    where the Python reader can record what it stands for
    (:data:`slicegen.model.readers.python.TRIGGER_SPOTS`); never more than :func:`mentions`."""
    return _python_pattern(words).search(data) is not None


@lru_cache(maxsize=256)
def _python_pattern(words: tuple[bytes, ...]) -> Finder:
    return linear(_python_spots(words))


def _python_spots(words: tuple[bytes, ...]) -> bytes:
    """The pattern of :func:`python_mentions`."""
    from slicegen.model.readers.python import TRIGGER_SPOTS

    domains = set(_domain_part(words))
    rules = [w for w in dict.fromkeys(words) if w not in domains]
    spots = [TRIGGER_SPOTS.get(w) or _as_pattern(w) for w in rules]
    return b"|".join(spots) if spots else rb"[^\x00-\xff]"  # none: matches nothing


@lru_cache(maxsize=256)
def _either_pattern(words: tuple[bytes, ...]) -> Finder:
    """One pattern found exactly where ``mentions(data, _domain_part(words))`` or
    ``python_mentions(data, words)`` holds: a file with neither (most) is read in one pass,
    not two."""
    parts = [_python_spots(words)]
    domains = _domain_part(words)
    if domains:  # ``mentions`` of no words is False
        parts.append(b"|".join(_as_pattern(w) for w in dict.fromkeys(domains)))
    return linear(b"|".join(b"(?:%s)" % part for part in parts))


@lru_cache(maxsize=256)
def _domain_part(words: tuple[bytes, ...]) -> tuple[bytes, ...]:
    """The domains' names among ``words`` (see :func:`_domain_words`: each comes with its upper
    case), not the rules' needles."""
    return tuple(w for w in words if w not in _RULE_NEEDLES or w.upper() in words)


@lru_cache(maxsize=256)
def _needle_pattern(words: tuple[bytes, ...]) -> Finder:
    """One pattern matching any of ``words`` (:data:`TYPE_STRING_MARK` as a pattern, the rest
    as bytes), searched in one pass however many words there are."""
    return linear(b"|".join(_as_pattern(w) for w in dict.fromkeys(words)))


def _as_pattern(word: bytes) -> bytes:
    """The pattern of one of ``mentions``'s words: :data:`TYPE_STRING_MARK` is one already."""
    return word if word == TYPE_STRING_MARK else re.escape(word)


def _read_batch(root: str, batch: list[Job]) -> list[Result]:
    return [read_file(root, *job) for job in batch]


def _start_worker(scan: Scan | None, digests: bool = True) -> None:
    global _SCAN, _DIGESTS
    _SCAN, _DIGESTS = scan, digests


def _read_all(
    root: Path,
    jobs: list[Job],
    workers: int,
    scan: Scan | None = None,
    while_reading: Callable[[], object] | None = None,
    digests: bool = True,
) -> Iterable[Result]:
    """Every job's result, in job order. With many jobs, this process reads beside a pool of
    ``workers - 1`` processes: it runs ``while_reading`` (after the pool started: no thread
    runs at fork), then reads the batches no worker has taken yet, from the last one back, so
    only the workers' share of the results is pickled. Without ``digests`` the files are not
    hashed (nothing keeps the digests)."""
    if workers <= 1 or len(jobs) < POOL_THRESHOLD:
        serial = _read_here(str(root), jobs, scan, digests)
        if while_reading is not None:
            while_reading()
        return serial
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import slicegen.model.readers.elixir
    import slicegen.model.readers.python  # noqa: F401  (imported once, before the fork)

    # on Linux, fork shares the parent's imports (Python 3.14 defaults to forkserver, which
    # imports them again in every worker); elsewhere the platform's default is the safe one
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    size = max(16, -(-len(jobs) // (workers * 8)))
    batches = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    done: list[list[Result] | None] = [None] * len(batches)
    with ProcessPoolExecutor(
        max_workers=workers - 1,
        mp_context=context,
        initializer=_start_worker,
        initargs=(scan, digests),
    ) as pool:
        futures = [pool.submit(_read_batch, str(root), batch) for batch in batches]
        if while_reading is not None:
            while_reading()
        for i in reversed(range(len(batches))):
            if not futures[i].cancel():  # a worker has it (and every batch before it)
                break
            done[i] = _read_here(str(root), batches[i], scan, digests)
        for i, future in enumerate(futures):
            if done[i] is None:
                done[i] = future.result()
    return [result for batch in done if batch is not None for result in batch]


def _read_here(root: str, jobs: list[Job], scan: Scan | None, digests: bool) -> list[Result]:
    """``jobs`` read in this process, as a worker reads them."""
    _start_worker(scan, digests)
    try:
        return _read_batch(root, jobs)
    finally:
        _start_worker(None)


def _domain_words(layout: Layout) -> dict[str, tuple[bytes, ...]]:
    """Per domain root: the names of the other domains (a file naming none cannot use them)."""

    def spelled(name: str) -> set[bytes]:
        # imports name it in snake (python) or Pascal (elixir) case; database variables in upper
        usual = name if layout.stack == "python" else naming.to_pascal(name)
        return {usual.encode(), name.upper().encode()}

    names = {d.root: spelled(d.name) for d in layout.domains}
    return {
        root: tuple(sorted(w for other, ws in names.items() if other != root for w in ws))
        for root in names
    }


@dataclass(frozen=True)
class Triggers:
    """What makes a file worth parsing, from what the rules read (:class:`Reads`)."""

    definitions: bool  # parse the files that define slices and artifacts, whatever they hold
    outside: tuple[bytes, ...]  # the bytes that make a file outside every domain worth parsing
    inside: dict[str, tuple[bytes, ...]]  # the same inside a domain, by domain root

    @classmethod
    def of(cls, reads: frozenset[Reads], layout: Layout) -> Triggers:
        needles = needles_of(reads)
        words = _domain_words(layout) if Reads.IMPORTS in reads else {}
        if Reads.DEFINITIONS in reads and layout.stack == "elixir":
            needles += _ELIXIR_KINDS  # a projector in any folder, events an aggregate applies
        inside = {d.root: needles + words.get(d.root, ()) for d in layout.domains}
        return cls(Reads.DEFINITIONS in reads, needles, inside)


#: What makes an Elixir file hold an artifact whatever its folder: a module that ``use``s
#: Commanded (a projection, an event handler, a process manager: ``projectors/user.ex``), or a
#: struct (an event its aggregate applies, kept beside it or in a shared app).
_ELIXIR_KINDS = (b"use Commanded.", b"defstruct")


#: What :func:`read_mode` works out once per folder (:func:`folder_place`): the folder's
#: domain, whether another domain's root holds it too, whether every file in it defines
#: (:func:`_defines`), whether its Python files do (an events folder), and its own name.
Place = tuple["DomainPlace | None", bool, bool, bool, str]


def read_mode(
    rel: str,
    layout: Layout,
    triggers: Triggers,
    roots: dict[str, int] | None = None,
    places: dict[str, Place] | None = None,
) -> tuple[int, tuple[bytes, ...]]:
    """How to read a file: parse slices, facts, technical folders, artifact-named files and a
    domain's top-level files when rules read definitions; parse any file when its bytes mention
    what the rules read (dispatch, topics, type strings, another domain: see ``triggers``).

    ``roots`` (:func:`domain_index`) finds the file's domain by its folders, not by a scan;
    ``places`` keeps what was found of each folder for the next file in it."""
    slash = rel.rfind("/")
    folder = rel[:slash] if slash > 0 else ""
    stem = rel[slash + 1 :].rsplit(".", 1)[0]
    place = places.get(folder) if places is not None else None
    if place is None:
        place = folder_place(folder, layout, roots if roots is not None else domain_index(layout))
        if places is not None:
            places[folder] = place
    dom, nested, defining, events, parent = place
    needles = triggers.outside if dom is None else triggers.inside.get(dom.root, ())
    if triggers.definitions and (
        defining or (events and rel.endswith(".py")) or _stem_defines(stem, parent, dom)
    ):
        return PARSE, ()
    if not needles:
        return NO_PARSE, ()
    # a Python file is sifted (see ``sifted``), unless it lies in a domain nested in another:
    # a relative import there may reach the other domain without naming it
    return (SIFTED if rel.endswith(".py") and not nested else TRIGGERED), needles


def folder_place(folder: str, layout: Layout, roots: dict[str, int]) -> Place:
    """What :func:`read_mode` needs of a file's ``folder`` (see :data:`Place`)."""
    dom, nested = _domain_of(folder + "/", layout, roots)
    if layout.facts_dir and (folder + "/").startswith(layout.facts_dir + "/"):
        return dom, nested, True, False, ""
    if dom is None:
        return dom, nested, False, False, ""
    inner = folder[len(dom.root) + 1 :].split("/") if folder != dom.root else []
    defining = (
        not inner  # a domain's top-level files
        or "domain" in inner  # ctx/domain/... and ctx/<module>/domain/...
        or any(p in TECHNICAL_FOLDERS for p in inner)
    )
    return dom, nested, defining, EVENT_FOLDER in inner, inner[-1] if inner else ""


def _stem_defines(stem: str, parent: str, dom: DomainPlace | None) -> bool:
    """Whether a file named ``stem`` in a folder named ``parent`` (below a domain's root; ""
    at its root) defines slices, artifacts or facts by its name."""
    return dom is not None and (
        kind_from_stem(stem) is not None
        or (bool(parent) and slice_named_kind(parent, stem) is not None)
        or split_file_version(stem)[0] in GROUPED_STEMS
    )


def domain_index(layout: Layout) -> dict[str, int]:
    """Each domain root -> its first position in ``layout.domains``."""
    index: dict[str, int] = {}
    for i, dom in enumerate(layout.domains):
        index.setdefault(dom.root, i)
    return index


def _domain_of(rel: str, layout: Layout, roots: dict[str, int]) -> tuple[DomainPlace | None, bool]:
    """The first domain (in layout order) whose root holds ``rel``, and whether another
    domain's root holds it too."""
    best: int | None = None
    holding = 0
    end = rel.rfind("/")
    while end > 0:
        i = roots.get(rel[:end])
        if i is not None:
            holding += 1
            if best is None or i < best:
                best = i
        end = rel.rfind("/", 0, end)
    return (layout.domains[best] if best is not None else None), holding > 1


@dataclass
class ReadPlan:
    """Which files to read, and how (see :func:`plan_reads`)."""

    root: Path
    tree: Tree
    layout: Layout
    files: dict[str, FileInfo]  # answered by the store
    jobs: list[Job]
    known: dict[str, Entry]
    workers: int
    store: FileStore | None  # what answered, and keeps what is read

    @property
    def pooled(self) -> bool:
        """Whether the files are read by a pool of processes."""
        return self.workers > 1 and len(self.jobs) >= POOL_THRESHOLD


def load_model(
    root: Path,
    config: Config | None,
    *,
    store: FileStore | None = None,
    reads: frozenset[Reads] = ALL,
    parse_all: bool = False,
    workers: int | None = None,
    tree: Tree | None = None,
) -> Loaded:
    """Build the model of the tree at ``root``.

    Every source file of the stack is read (decode errors and suppressions are found for all)
    and parsed when it may hold what ``reads`` asks for (see :func:`read_mode`), or always with
    ``parse_all``; nothing is parsed when ``reads`` is empty (rules that read only names and
    paths).
    """
    plan = plan_reads(
        root, config, store=store, reads=reads, parse_all=parse_all, workers=workers, tree=tree
    )
    return finish_load(plan)


def plan_reads(
    root: Path,
    config: Config | None,
    *,
    store: FileStore | None = None,
    reads: frozenset[Reads] = ALL,
    parse_all: bool = False,
    workers: int | None = None,
    tree: Tree | None = None,
    layout: Layout | None = None,
) -> ReadPlan:
    """The first half of :func:`load_model`: lay the tree out (unless the caller did, from the
    same ``tree`` and ``config``) and ask the store."""
    lint = config.lint if config is not None else None
    if tree is None:
        tree = walk(root, lint.exclude if lint else [], lint.respect_gitignore if lint else True)
    if layout is None:
        layout = infer_layout(tree, config)
    suffixes = registry.conventions(layout.stack).source_suffixes
    triggers = Triggers.of(reads, layout)
    roots = domain_index(layout)
    places: dict[str, Place] = {}
    files: dict[str, FileInfo] = {}
    jobs: list[Job] = []
    known: dict[str, Entry] = {}
    regular = tree.regular
    for rel, (mtime, size) in tree.stats.items():
        if not rel.endswith(suffixes):
            continue
        mode, extra = read_mode(rel, layout, triggers, roots, places)
        if parse_all and reads:
            mode, extra = PARSE, ()
        entry = store.get(rel) if store is not None else None
        if entry is None or not entry.serves(mode, extra):
            jobs.append((rel, mode, "", extra, rel in regular))
        elif entry.mtime_ns == mtime and entry.size == size and size >= 0:
            files[rel] = entry.info
        else:
            known[rel] = entry
            jobs.append((rel, mode, entry.digest, extra, rel in regular))
    count = workers if workers is not None else idle_cores()
    return ReadPlan(root, tree, layout, files, jobs, known, count, store)


def idle_cores() -> int:
    """How many processes read when the caller does not say: the cores that the machine's
    load (its 1-minute average) leaves idle, at least 1. On a busy machine a pool wins no time
    (measured: the same wall time or worse) and costs CPU: its workers pickle their results
    back, this process unpickles them."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average on this platform
        return cores
    return max(1, min(cores, cores - int(load)))


def finish_load(
    plan: ReadPlan,
    *,
    scan: Scan | None = None,
    while_reading: Callable[[], object] | None = None,
) -> Loaded:
    """The second half of :func:`load_model`: read the planned files and build the model.

    With ``scan``, the readers also make the boundary entries of the files they read
    (``Loaded.boundary``); ``while_reading`` runs in this process while the pool reads."""
    files, known, store = plan.files, plan.known, plan.store
    modes = {rel: (mode, extra) for rel, mode, _, extra, _ in plan.jobs}
    boundary: dict[str, list[Any]] = {}
    digests = store is not None or (scan is not None and scan.use_cache)
    results = _read_all(plan.root, plan.jobs, plan.workers, scan, while_reading, digests)
    for rel, mtime, size, digest, maybe, entry in results:
        info = maybe if maybe is not None else known[rel].info
        files[rel] = info
        if entry is not None:
            boundary[rel] = entry
        if store is not None and size >= 0:
            store.put(rel, Entry(mtime, size, digest, info, *modes[rel]))
    model = build_model(plan.tree, plan.layout, files)
    return Loaded(model, plan.tree, plan.layout, len(plan.jobs), boundary)


def read_one(root: str, rel: str, mode: int, words: tuple[bytes, ...]) -> Result:
    """One file read and parsed as :func:`finish_load` reads it (never raises)."""
    _start_worker(None, digests=False)
    try:
        return read_file(root, rel, mode, "", words)
    finally:
        _start_worker(None)


def read_buffer(rel: str, data: bytes) -> FileInfo:
    """What :func:`read_file` makes of ``data`` as the file ``rel`` (an editor's unsaved
    buffer, never on disk), always parsed; over the read cap, as the file would be, not read."""
    language: Language = "python" if rel.endswith(".py") else "elixir"
    if len(data) > MAX_BYTES:
        why = f"is {len(data):,} bytes, over the {MAX_BYTES:,} bytes slicegen reads of a file"
        return FileInfo(rel, language, error=f"{why}; exclude it or replace it")
    try:
        return (_READERS.get(language) or _reader(language))(rel, data, True)
    except Exception as exc:  # as read_file: a reader failure costs this file only
        return FileInfo(rel, language, error=f"slicegen's reader failed on it ({exc})")
