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
from typing import TYPE_CHECKING, Protocol

from slicegen.model.build import build_model
from slicegen.model.discovery import Layout, Tree, infer_layout, walk
from slicegen.model.readers.source import TYPE_STRING
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
_TYPE_STRING_BYTES = re.compile(TYPE_STRING.pattern.encode())


@dataclass(frozen=True)
class Entry:
    """What the store remembers about one file."""

    mtime_ns: int
    size: int
    digest: str
    info: FileInfo
    mode: int  # the read mode it was made with (see ``Job``)

    def serves(self, mode: int) -> bool:
        """Whether this entry answers a read in ``mode``."""
        info = self.info
        return info.parsed or info.error is not None or (mode <= self.mode and mode < PARSE)


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
Job = tuple[str, int, str]  # relative path, read mode, the digest the store knows ("" if none)
Result = tuple[str, int, int, str, FileInfo | None]


def read_file(root: str, rel: str, mode: int, known: str = "") -> Result:
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
        and (any(t in data for t in _TRIGGERS) or bool(_TYPE_STRING_BYTES.search(data)))
    )
    reader = read_python if language == "python" else read_elixir
    return rel, info.st_mtime_ns, info.st_size, digest, reader(rel, data, wanted)


def _read_batch(root: str, batch: list[Job]) -> list[Result]:
    return [read_file(root, rel, mode, known) for rel, mode, known in batch]


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


def load_model(
    root: Path,
    config: Config | None,
    *,
    store: FileStore | None = None,
    parse: bool = True,
    parse_outside_domains: bool = False,
    workers: int | None = None,
    tree: Tree | None = None,
) -> Loaded:
    """Build the model of the tree at ``root``.

    Every source file of the stack is read (decode errors and suppressions are found for all);
    files inside a domain or the facts area are parsed, and files elsewhere only when they mention
    dispatch, topics or type strings, unless ``parse_outside_domains``; nothing is parsed
    when not ``parse`` (rules that read only names and paths).
    """
    lint = config.lint if config is not None else None
    if tree is None:
        tree = walk(root, lint.exclude if lint else [], lint.respect_gitignore if lint else True)
    layout = infer_layout(tree, config)
    suffixes = (".py",) if layout.stack == "python" else (".ex", ".exs")
    places = [d.root + "/" for d in layout.domains]
    if layout.facts_dir:
        places.append(layout.facts_dir + "/")
    files: dict[str, FileInfo] = {}
    jobs: list[Job] = []
    known: dict[str, Entry] = {}
    for rel, (mtime, size) in tree.stats.items():
        if not rel.endswith(suffixes):
            continue
        if not parse:
            mode = NO_PARSE
        elif parse_outside_domains or rel.startswith(tuple(places)):
            mode = PARSE
        else:
            mode = TRIGGERED
        entry = store.get(rel) if store is not None else None
        if entry is None or not entry.serves(mode):
            jobs.append((rel, mode, ""))
        elif entry.mtime_ns == mtime and entry.size == size and size >= 0:
            files[rel] = entry.info
        else:
            known[rel] = entry
            jobs.append((rel, mode, entry.digest))
    modes = {rel: mode for rel, mode, _ in jobs}
    count = workers if workers is not None else (os.cpu_count() or 1)
    for rel, mtime, size, digest, maybe in _read_all(root, jobs, count):
        info = maybe if maybe is not None else known[rel].info
        files[rel] = info
        if store is not None and size >= 0:
            store.put(rel, Entry(mtime, size, digest, info, modes[rel]))
    model = build_model(tree, layout, files)
    return Loaded(model, tree, layout, len(jobs))
