"""Reading a tree into the workspace model: walk, lay out, read files (cached, in parallel), build.

This is the only place that reads source files. A :class:`FileStore` (the lint cache, or nothing)
answers for files whose stat or content hash it has seen; the rest are read by a process pool when
there are many of them, so both cores parse.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from slicegen import naming
from slicegen.model.build import build_model
from slicegen.model.discovery import (
    GROUPED_STEMS,
    TECHNICAL_FOLDERS,
    DomainPlace,
    Layout,
    Tree,
    infer_layout,
    kind_from_stem,
    split_file_version,
    walk,
)
from slicegen.model.workspace import FileInfo, Language, WorkspaceModel

if TYPE_CHECKING:
    from slicegen.config import Config

#: Below this many files to read, a process pool costs more than it saves.
POOL_THRESHOLD = 200
_TRIGGERS = (
    b"dispatch",
    b"subscribe",
    b"publish",
    b"broadcast",
    b"event_type",
    b"topic",
    b":facts:",
)
_TYPE_STRING_BYTES = re.compile(rb":v\d")  # the cheap part of a type string, searched first


class Entry(NamedTuple):
    """What the store remembers about one file."""

    mtime_ns: int
    size: int
    digest: str
    info: FileInfo
    mode: int  # the read mode it was made with (see ``Job``)
    words: tuple[bytes, ...] = ()  # the extra trigger words it was read with

    def serves(self, mode: int, words: tuple[bytes, ...]) -> bool:
        """Whether this entry answers a read in ``mode`` with trigger ``words``."""
        info = self.info
        if info.parsed or info.error is not None or mode == NO_PARSE:
            return True
        return mode == TRIGGERED and self.mode == TRIGGERED and self.words == words


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


#: Read modes: decode only; parse when the bytes mention what rules look for; always parse.
NO_PARSE, TRIGGERED, PARSE = 0, 1, 2
#: relative path, read mode, the digest the store knows ("" if none), extra trigger words
Job = tuple[str, int, str, tuple[bytes, ...]]
Result = tuple[str, int, int, str, FileInfo | None]


def read_file(
    root: str, rel: str, mode: int, known: str = "", words: tuple[bytes, ...] = ()
) -> Result:
    """Read and parse one file; never raises (an unreadable file is a FileInfo with an error).

    The info is None when the content hash equals ``known``: the stored info still holds.
    """
    from slicegen.model.readers.elixir import read_elixir
    from slicegen.model.readers.python import read_python

    language: Language = "python" if rel.endswith(".py") else "elixir"
    full = os.path.join(root, rel)
    try:
        with open(full, "rb") as handle:
            info = os.fstat(handle.fileno())
            data = handle.read()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        error = FileInfo(
            rel, language, error=f"cannot be read ({reason}); fix its permissions or exclude it"
        )
        return rel, 0, -1, "", error
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if digest == known:
        return rel, info.st_mtime_ns, info.st_size, digest, None
    wanted = mode == PARSE or (
        mode == TRIGGERED
        and (
            any(t in data for t in _TRIGGERS)
            or any(w in data for w in words)
            or bool(_TYPE_STRING_BYTES.search(data))
        )
    )
    reader = read_python if language == "python" else read_elixir
    try:
        parsed = reader(rel, data, wanted)
    except RecursionError:  # a safety net: pathological nesting must not end the run
        parsed = FileInfo(rel, language, error="nested too deeply to check; simplify it")
    return rel, info.st_mtime_ns, info.st_size, digest, parsed


def _read_batch(root: str, batch: list[Job]) -> list[Result]:
    return [read_file(root, rel, mode, known, words) for rel, mode, known, words in batch]


def _read_all(root: Path, jobs: list[Job], workers: int) -> Iterable[Result]:
    if workers <= 1 or len(jobs) < POOL_THRESHOLD:
        return _read_batch(str(root), jobs)
    from concurrent.futures import ProcessPoolExecutor

    size = max(16, len(jobs) // (workers * 8))
    batches = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    out: list[Result] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(_read_batch, [str(root)] * len(batches), batches):
            out.extend(result)
    return out


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


def read_mode(
    rel: str,
    layout: Layout,
    words: dict[str, tuple[bytes, ...]],
    roots: dict[str, int] | None = None,
) -> tuple[int, tuple[bytes, ...]]:
    """How to read a file: parse slices, facts, technical folders, artifact-named files and a
    domain's top-level files; parse any other file only when its bytes mention dispatch, topics,
    type strings or (inside a domain) another domain, which is all the rules look for there.

    ``roots`` (:func:`domain_index`) finds the file's domain by its folders, not by a scan."""
    if layout.facts_dir and rel.startswith(layout.facts_dir + "/"):
        return PARSE, ()
    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    dom = _domain_of(rel, layout, roots if roots is not None else domain_index(layout))
    if dom is None:
        return TRIGGERED, ()
    inner = rel[len(dom.root) + 1 :].split("/")
    if (
        len(inner) == 1
        or inner[0] == "domain"
        or any(p in TECHNICAL_FOLDERS for p in inner[:-1])
        or kind_from_stem(stem) is not None
        or split_file_version(stem)[0] in GROUPED_STEMS
    ):
        return PARSE, ()
    return TRIGGERED, words.get(dom.root, ())


def domain_index(layout: Layout) -> dict[str, int]:
    """Each domain root -> its first position in ``layout.domains``."""
    index: dict[str, int] = {}
    for i, dom in enumerate(layout.domains):
        index.setdefault(dom.root, i)
    return index


def _domain_of(rel: str, layout: Layout, roots: dict[str, int]) -> DomainPlace | None:
    """The first domain (in layout order) whose root holds ``rel``."""
    best: int | None = None
    end = rel.rfind("/")
    while end > 0:
        i = roots.get(rel[:end])
        if i is not None and (best is None or i < best):
            best = i
        end = rel.rfind("/", 0, end)
    return layout.domains[best] if best is not None else None


def load_model(
    root: Path,
    config: Config | None,
    *,
    store: FileStore | None = None,
    parse: bool = True,
    parse_all: bool = False,
    workers: int | None = None,
    tree: Tree | None = None,
) -> Loaded:
    """Build the model of the tree at ``root``.

    Every source file of the stack is read (decode errors and suppressions are found for all)
    and parsed when a rule may need what is in it (see :func:`read_mode`), or always with
    ``parse_all``; nothing is parsed when not ``parse`` (rules that read only names and paths).
    """
    lint = config.lint if config is not None else None
    if tree is None:
        tree = walk(root, lint.exclude if lint else [], lint.respect_gitignore if lint else True)
    layout = infer_layout(tree, config)
    suffixes = (".py",) if layout.stack == "python" else (".ex", ".exs")
    words = _domain_words(layout)
    roots = domain_index(layout)
    files: dict[str, FileInfo] = {}
    jobs: list[Job] = []
    known: dict[str, Entry] = {}
    for rel, (mtime, size) in tree.stats.items():
        if not rel.endswith(suffixes):
            continue
        mode, extra = read_mode(rel, layout, words, roots) if parse else (NO_PARSE, ())
        if parse_all and parse:
            mode, extra = PARSE, ()
        entry = store.get(rel) if store is not None else None
        if entry is None or not entry.serves(mode, extra):
            jobs.append((rel, mode, "", extra))
        elif entry.mtime_ns == mtime and entry.size == size and size >= 0:
            files[rel] = entry.info
        else:
            known[rel] = entry
            jobs.append((rel, mode, entry.digest, extra))
    modes = {rel: (mode, extra) for rel, mode, _, extra in jobs}
    count = workers if workers is not None else (os.cpu_count() or 1)
    for rel, mtime, size, digest, maybe in _read_all(root, jobs, count):
        info = maybe if maybe is not None else known[rel].info
        files[rel] = info
        if store is not None and size >= 0:
            store.put(rel, Entry(mtime, size, digest, info, *modes[rel]))
    model = build_model(tree, layout, files)
    return Loaded(model, tree, layout, len(jobs))
