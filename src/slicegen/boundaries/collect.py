"""Reading a workspace's domain files into dependency records, with a content-hash cache.

The cache (``.slicegen_cache/boundaries-files-*.json``, signed like every cache lint trusts)
maps each file to its size, mtime, content
digest, module name and record: an unchanged file is neither read nor parsed again; a touched file
whose content is the same is read and hashed but not parsed.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slicegen import __version__, signed_pickle
from slicegen.boundaries import result_cache
from slicegen.boundaries.check import Whole, check, patched
from slicegen.boundaries.imports_elixir import extract_elixir
from slicegen.boundaries.imports_python import extract_python
from slicegen.boundaries.records import DataUse, FileDependencies, ModuleUse, Violation
from slicegen.boundaries.relevance import Relevance
from slicegen.constants import CACHE_DIR
from slicegen.model.discovery import is_test
from slicegen.model.domains import DomainMap, discover, is_module_glob
from slicegen.model.readers.source import decode
from slicegen.own_code import code_key
from slicegen.safe_files import UnsafePath, open_regular, read_open
from slicegen.stacks import registry

if TYPE_CHECKING:
    from slicegen.config import BoundariesConfig, Config

CACHE_FILE = f"boundaries-files-{result_cache.FORMAT}-{__version__}.json"
PRUNE = frozenset({"__pycache__", "_build", "deps", "node_modules", "cover"})


def run(
    root: Path,
    config: Config,
    *,
    paths: Iterable[str] | None = None,
    use_cache: bool = True,
    config_path: str = "slicegen.toml",
    result_key: str | None = None,
    provided: Mapping[str, list[Any]] | None = None,
    buffers: Mapping[str, str] | None = None,
) -> list[Violation]:
    """Discover the domains, read their files (or those of ``paths`` inside a domain, e.g. the
    files the lint engine walked, honouring .gitignore), and check the boundaries.

    With ``use_cache``, an unchanged tree answers from the stored result, and unchanged files
    from the per-file cache. ``result_key`` names the settings (default: a digest of ``config``).
    ``provided`` holds entries that a reader of the same bytes already made (:class:`Scan`):
    those files are not read again. ``buffers`` holds an editor's unsaved text of files, read
    instead of the disk (see :func:`collect`).
    """
    whole = use_cache and paths is None and not buffers
    key = result_key or result_cache.key_of(config.as_json(), config_path)
    if whole:
        cached = result_cache.lookup(root, key)
        if cached is not None:
            return cached
    walked: list[str] = []
    stats: dict[str, tuple[int, int]] = {}
    records = gather(
        root,
        config,
        paths=paths,
        use_cache=use_cache,
        config_path=config_path,
        provided=provided,
        buffers=buffers,
        walked=walked,
        stats=stats,
    )
    violations = records.check()
    if whole and records.domains.cacheable:
        folders = sorted({*records.domains.listed, *walked})
        result_cache.store(root, key, folders, stats, violations)
    return violations


@dataclass(frozen=True)
class Records:
    """The per-file records one check judged, with what made them: a few files can be read
    again (:meth:`redo`) and the check rerun (:meth:`check`) without reading the others."""

    root: Path
    domains: DomainMap
    relevance: Relevance
    everywhere: bool  # every source file counts (see :func:`reads_everything`)
    settings: BoundariesConfig
    config_path: str
    files: dict[str, FileDependencies]  # by path, sorted
    whole: Whole  # of ``files``

    def check(self) -> list[Violation]:
        """The boundary findings of these records."""
        files = list(self.files.values())
        return check(
            files, self.settings, self.domains, config_path=self.config_path, whole=self.whole
        )

    def recheck(
        self, old: list[Violation], fresh: Mapping[str, FileDependencies | None]
    ) -> tuple[list[Violation], Records]:
        """The findings and records once :meth:`redo`'s records replace the ones ``old`` was
        judged from: ``old`` with those files judged again when the change stays in them
        (:func:`patched`), else the check of every record."""
        before = [self.files.get(rel) for rel in fresh]
        after = list(fresh.values())
        if None not in before and None not in after:
            found = patched(
                old,
                [r for r in before if r is not None],
                [r for r in after if r is not None],
                self.settings,
                self.domains,
                self.whole,
            )
            if found is not None:
                files = {**self.files, **{r: f for r, f in fresh.items() if f is not None}}
                return found, replace(self, files=files)
        records = self.replaced(fresh)
        return records.check(), records

    def redo(
        self, rels: Iterable[str], buffers: Mapping[str, str] | None = None
    ) -> dict[str, FileDependencies | None]:
        """The records of ``rels`` now (from ``buffers`` or the disk, as :func:`run` reads
        them; None for a file it cannot open), leaving out files the check does not judge."""
        fresh: dict[str, FileDependencies | None] = {}
        for rel in sorted(rels):
            if _in_domain(rel, self.domains, everywhere=self.everywhere):
                found = collect(
                    self.root,
                    self.domains,
                    [rel],
                    use_cache=False,
                    relevance=self.relevance,
                    buffers=buffers,
                )
                fresh[rel] = found[0] if found else None
        return fresh

    def replaced(self, fresh: Mapping[str, FileDependencies | None]) -> Records:
        """These records with those of :meth:`redo` in place of the old ones."""
        files = dict(self.files)
        for rel, record in fresh.items():
            if record is None:
                files.pop(rel, None)
            else:
                files[rel] = record
        if files.keys() != self.files.keys():
            files = dict(sorted(files.items()))
        return replace(self, files=files, whole=Whole.of(list(files.values()), self.domains))


def gather(
    root: Path,
    config: Config,
    *,
    paths: Iterable[str] | None = None,
    use_cache: bool = True,
    config_path: str = "slicegen.toml",
    provided: Mapping[str, list[Any]] | None = None,
    buffers: Mapping[str, str] | None = None,
    walked: list[str] | None = None,
    stats: dict[str, tuple[int, int]] | None = None,
) -> Records:
    """The records :func:`run` checks (same arguments; the folders walked go into ``walked``,
    the stats of the files read into ``stats``)."""
    domains, broad, relevance = judging(root, config)
    if paths is None:
        paths = domain_files(root, domains, config.lint.exclude, walked, everywhere=broad)
    else:
        paths = [p for p in paths if _in_domain(p, domains, everywhere=broad)]
    files = collect(
        root,
        domains,
        paths,
        use_cache=use_cache,
        stats=stats,
        relevance=relevance,
        provided=provided,
        buffers=buffers,
    )
    by_path = {record.path: record for record in files}
    settings = config.lint.boundaries
    whole = Whole.of(files, domains)
    return Records(root, domains, relevance, broad, settings, config_path, by_path, whole)


def judging(root: Path, config: Config) -> tuple[DomainMap, bool, Relevance]:
    """What :func:`gather` judges with: the domains, whether every source file counts (see
    :func:`reads_everything`) and the relevance test."""
    domains = discover(root, config)
    broad = reads_everything(config, domains)
    return domains, broad, Relevance(domains, layers=bool(config.lint.boundaries.layers) or broad)


def redo_one(
    root: Path, domains: DomainMap, everywhere: bool, relevance: Relevance, rel: str
) -> tuple[bool, FileDependencies | None, tuple[int, int] | None]:
    """Whether the check judges ``rel``, and if so its record now (None: it cannot be
    opened) and the (size, mtime) it was read at, as :meth:`Records.redo` makes it."""
    if not _in_domain(rel, domains, everywhere=everywhere):
        return False, None, None
    stats: dict[str, tuple[int, int]] = {}
    found = collect(root, domains, [rel], use_cache=False, stats=stats, relevance=relevance)
    return True, found[0] if found else None, stats.get(rel)


def known_record(
    root: Path, rel: str, stamp: tuple[int, int], domains: DomainMap, relevance: Relevance
) -> FileDependencies | None:
    """The record the per-file cache holds for ``rel`` read at ``stamp`` (size, mtime_ns), as
    :func:`_one` would take it; None when it holds none for that read. Only that entry is
    decoded (a lookup after an edit must not decode every file's)."""
    payload = signed_pickle.load_signed(root / CACHE_DIR / CACHE_FILE)
    head = ("[" + json.dumps(code_key()) + ",{").encode()
    if payload is None or not payload.startswith(head):
        return None
    text = payload.decode("utf-8")
    key = json.dumps(rel) + ":["  # a key: a quote inside a string value is escaped
    at = next((i for i in (text.find("{" + key), text.find("," + key)) if i >= 0), -1)
    if at < 0:
        return None
    try:
        cached, _ = json.JSONDecoder().raw_decode(text, at + len(key))
    except ValueError:
        return None
    module = domains.python_module(rel)[0] if rel.endswith(".py") else ""
    if not isinstance(cached, list) or cached[:2] != list(stamp) or cached[3:4] != [module]:
        return None
    return _known(rel, cached, relevance)


def reads_everything(config: Config, domains: DomainMap) -> bool:
    """Whether every source file counts, not only those in domain folders: with domains
    declared by module namespace, module-glob layers or ``covered``."""
    settings = config.lint.boundaries
    return bool(
        settings.covered
        or any(not d.path for d in domains.domains)
        or any(is_module_glob(layer) for layer in settings.layers)
    )


def _in_domain(path: str, domains: DomainMap, *, everywhere: bool = False) -> bool:
    """Whether ``path`` is a source file the boundaries judge: in a domain (or anywhere), and
    not a test (as ArchTest and Boundary, which check the application's code only)."""
    if is_test(path):
        return False
    if everywhere:
        return path.endswith(tuple(registry.source_suffixes()))
    domain = domains.of_path(path)
    return domain is not None and path.endswith(registry.conventions(domain.stack).source_suffixes)


def domain_files(
    root: Path,
    domains: DomainMap,
    exclude: Iterable[str] = (),
    walked: list[str] | None = None,
    *,
    everywhere: bool = False,
) -> list[str]:
    """Workspace-relative paths of the source files inside every domain (or, ``everywhere``,
    of every source file), tests left out, sorted; the directories visited are appended
    to ``walked``."""
    patterns = list(exclude)
    out = [d.root_file for d in domains.domains if d.root_file]
    base = str(root)
    starts = [(d.path, registry.conventions(d.stack).source_suffixes) for d in domains.domains]
    if everywhere:
        starts = [("", tuple(registry.source_suffixes()))]
    for start, suffixes in starts:
        if not start and not everywhere:
            continue  # a domain declared by module namespace has no folder of its own
        pending = [start]
        while pending:
            rel_folder = pending.pop()
            if walked is not None:
                walked.append(rel_folder)
            try:
                entries = list(os.scandir(f"{base}/{rel_folder}" if rel_folder else base))
            except OSError:
                continue
            for entry in entries:
                name = entry.name
                rel = f"{rel_folder}/{name}" if rel_folder else name
                if entry.is_dir(follow_symlinks=False):
                    skipped = name in PRUNE or name in ("test", "tests")
                    if not skipped and not name.startswith("."):
                        pending.append(rel)
                elif (
                    name.endswith(suffixes)
                    and not is_test(rel)
                    and not (patterns and any(fnmatch.fnmatch(rel, p) for p in patterns))
                ):
                    out.append(rel)
    return sorted(set(out))


def collect(
    root: Path,
    domains: DomainMap,
    paths: Iterable[str] | None = None,
    *,
    exclude: Iterable[str] = (),
    use_cache: bool = True,
    stats: dict[str, tuple[int, int]] | None = None,
    relevance: Relevance | None = None,
    provided: Mapping[str, list[Any]] | None = None,
    buffers: Mapping[str, str] | None = None,
) -> list[FileDependencies]:
    """The dependency record of each file (all domain files unless ``paths`` is given); the
    size and mtime of each file read go into ``stats``. Files that ``relevance`` rules out get an
    empty record without being parsed. Files with an entry in ``provided`` (made by
    :meth:`Scan.entry` from the same bytes) are not read. A file in ``buffers`` (an editor's
    unsaved text) gets the record of that text, and the cache keeps its entry for the disk."""
    rels = sorted(paths) if paths is not None else domain_files(root, domains, exclude)
    cache = _load(root) if use_cache else {}
    fresh: dict[str, list[Any]] = {}
    records: list[FileDependencies] = []
    given, unsaved = provided or {}, buffers or {}
    for rel in rels:
        made, text = given.get(rel), unsaved.get(rel)
        record: FileDependencies | None
        if text is not None:
            records.append(_from_text(rel, text, domains, relevance))
            if rel in cache:
                fresh[rel] = cache[rel]
            continue
        if made is not None:
            record, entry = _from_entry(rel, made)
        else:
            record, entry = _one(root, rel, domains, cache.get(rel), relevance, use_cache)
        if record is not None:
            records.append(record)
            if entry:  # a record, or a ruled-out verdict with the key it holds under
                fresh[rel] = entry
                if stats is not None:
                    stats[rel] = (entry[0], entry[1])
    if use_cache and fresh != cache:
        _save(root, fresh)
    return records


def extract(rel: str, text: str, domains: DomainMap) -> FileDependencies:
    """One file's record from its text, by its suffix."""
    if rel.endswith(".py"):
        module, is_package = domains.python_module(rel)
        return extract_python(rel, text, module, is_package=is_package)
    return extract_elixir(rel, text)


def _extract(rel: str, text: str, module: str, is_package: bool) -> FileDependencies:
    if rel.endswith(".py"):
        return extract_python(rel, text, module, is_package=is_package)
    return extract_elixir(rel, text)


def _one(
    root: Path,
    rel: str,
    domains: DomainMap,
    cached: list[Any] | None,
    relevance: Relevance | None = None,
    use_cache: bool = True,
) -> tuple[FileDependencies | None, list[Any]]:
    """One file's record and its cache entry ``[size, mtime_ns, digest, module, encoded
    record]``, or ``[size, mtime_ns, digest, module, None, relevance key]`` for a file that
    ``relevance`` ruled out; no record (None) for a file that cannot be opened."""
    module, is_package = domains.python_module(rel) if rel.endswith(".py") else ("", False)
    try:  # a regular file only, never through a symlink (lint reports the others as SG001)
        fd, stat = open_regular(f"{root}/{rel}")
    except OSError:
        return None, []
    try:
        stamp = [stat.st_size, stat.st_mtime_ns]
        if cached and cached[:2] == stamp and cached[3] == module:
            known = _known(rel, cached, relevance)
            if known is not None:
                return known, cached
        raw = read_open(fd, stat)
    except UnsafePath:  # over the read cap: lint reports it as SG001
        return None, []
    except OSError as exc:
        failed = FileDependencies(rel, _stack(rel), module, error=f"cannot read: {exc}")
        return failed, [*stamp, "", module, _encode(failed)]
    finally:
        os.close(fd)
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest() if use_cache else ""
    return _from_bytes(rel, raw, stamp, digest, module, is_package, domains, cached, relevance)


def _from_bytes(
    rel: str,
    raw: bytes,
    stamp: list[int],
    digest: str,
    module: str,
    is_package: bool,
    domains: DomainMap,
    cached: list[Any] | None,
    relevance: Relevance | None,
) -> tuple[FileDependencies, list[Any]]:
    """One file's record and cache entry from its bytes (see :func:`_one`)."""
    if cached and digest and cached[2] == digest and cached[3] == module:
        known = _known(rel, cached, relevance)
        if known is not None:
            return known, [*stamp, *cached[2:]]
    text, error = decode(raw, cookie=rel.endswith(".py"))  # as the model's readers read it
    if text is None:
        failed = FileDependencies(rel, _stack(rel), module, error=error)
        return failed, [*stamp, digest, module, _encode(failed)]
    if relevance is not None and not relevance.matters(
        rel, text, module, is_package, domains.of_path(rel)
    ):
        return _ruled_out(rel, stamp, digest, module, relevance)
    record = _extract(rel, text, module, is_package)
    return record, [*stamp, digest, module, _encode(record)]


def _from_text(
    rel: str, text: str, domains: DomainMap, relevance: Relevance | None
) -> FileDependencies:
    """The record of a file's text that is not on disk (an editor's buffer)."""
    python = rel.endswith(".py")
    module, is_package = domains.python_module(rel) if python else ("", False)
    stamp = [-1, 0]  # no file's stats: never taken for the disk's
    record, _ = _from_bytes(
        rel, text.encode(), stamp, "", module, is_package, domains, None, relevance
    )
    return record


def _known(rel: str, cached: list[Any], relevance: Relevance | None) -> FileDependencies | None:
    """The record a matching cache entry stands for; None when it cannot be trusted here (a
    ruled-out verdict made with other domains or settings, or with no relevance check now)."""
    if cached[4] is not None:
        return _decode(cached[4])
    if relevance is not None and len(cached) > 5 and cached[5] == relevance.key:
        return FileDependencies(rel, _stack(rel), cached[3])
    return None


def _ruled_out(
    rel: str, stamp: list[int], digest: str, module: str, relevance: Relevance
) -> tuple[FileDependencies, list[Any]]:
    """The empty record of a file ``relevance`` ruled out, and its cache entry, which holds only
    under the same relevance key."""
    return FileDependencies(rel, _stack(rel), module), [*stamp, digest, module, None, relevance.key]


def _from_entry(rel: str, entry: list[Any]) -> tuple[FileDependencies, list[Any]]:
    """The record and cache entry of a :meth:`Scan.entry` (whose module is always set)."""
    if entry[4] is None:  # ruled out by relevance: the entry :func:`_one` gives such a file
        return FileDependencies(rel, _stack(rel), entry[3]), entry
    return _decode(entry[4]), entry


class Scan:
    """Makes boundary cache entries from bytes that someone else read (the lint engine's file
    readers), so that :func:`run` with ``provided`` need not read those files again."""

    def __init__(
        self, domains: DomainMap, *, layers: bool, use_cache: bool, everywhere: bool = False
    ) -> None:
        self.domains = domains
        self.relevance = Relevance(domains, layers=layers)
        self.use_cache = use_cache
        self.everywhere = everywhere  # every source file counts (see :func:`reads_everything`)

    def entry(
        self, rel: str, raw: bytes, size: int, mtime_ns: int, digest: str
    ) -> list[Any] | None:
        """The cache entry of a file the check judges, as :func:`_one` makes it (None for any
        other file); ``digest`` is the blake2b-16 hex digest of ``raw``."""
        domains = self.domains
        if not _in_domain(rel, domains, everywhere=self.everywhere):
            return None
        module, is_package = domains.python_module(rel) if rel.endswith(".py") else ("", False)
        digest = digest if self.use_cache else ""
        text, _ = decode(raw, cookie=rel.endswith(".py"))  # None: the failed record
        relevance = self.relevance
        if text is not None and not relevance.matters(
            rel, text, module, is_package, domains.of_path(rel)
        ):  # ``_ruled_out``'s entry, without the record no one reads
            return [size, mtime_ns, digest, module, None, relevance.key]
        _, entry = _from_bytes(
            rel, raw, [size, mtime_ns], digest, module, is_package, domains, None, relevance
        )
        return entry


def _stack(rel: str) -> Any:
    return registry.language_of(rel)


def _encode(record: FileDependencies) -> list[Any]:
    return [record.path, record.stack, record.module, record.uses, record.data, record.error]


def _decode(raw: list[Any]) -> FileDependencies:
    path, stack, module, uses, data, error = raw
    return FileDependencies(
        path,
        stack,
        module,
        tuple(ModuleUse(*u) for u in uses),
        tuple(DataUse(*d) for d in data),
        error,
    )


def _load(root: Path) -> dict[str, list[Any]]:
    raw = result_cache.read_json(root, CACHE_FILE)
    return raw if isinstance(raw, dict) else {}


def _save(root: Path, entries: dict[str, list[Any]]) -> None:
    result_cache.write_json(root, CACHE_FILE, entries)
