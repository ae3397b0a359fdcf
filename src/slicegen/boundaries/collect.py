"""Reading a workspace's domain files into dependency records, with a content-hash cache.

The cache (``.slicegen_cache/boundaries-v1.json``) maps each file to its size, mtime, content
digest, module name and record: an unchanged file is neither read nor parsed again; a touched file
whose content is the same is read and hashed but not parsed.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from slicegen.boundaries.check import check
from slicegen.boundaries.domains import DomainMap, discover
from slicegen.boundaries.imports_elixir import extract_elixir
from slicegen.boundaries.imports_python import extract_python
from slicegen.boundaries.records import DataUse, FileDependencies, ModuleUse, Violation
from slicegen.config import Config

CACHE_DIR = ".slicegen_cache"
CACHE_FILE = "boundaries-v1.json"
PRUNE = frozenset({"__pycache__", "_build", "deps", "node_modules", "cover"})
SUFFIXES = {"python": (".py",), "elixir": (".ex", ".exs")}


def run(
    root: Path,
    config: Config,
    *,
    paths: Iterable[str] | None = None,
    use_cache: bool = True,
    config_path: str = "slicegen.toml",
) -> list[Violation]:
    """Discover the domains, read their files (or ``paths``), and check the boundaries."""
    domains = discover(root, config)
    files = collect(root, domains, paths, exclude=config.lint.exclude, use_cache=use_cache)
    return check(files, config.lint.boundaries, domains, config_path=config_path)


def domain_files(root: Path, domains: DomainMap, exclude: Iterable[str] = ()) -> list[str]:
    """Workspace-relative paths of the source files inside every domain, sorted."""
    patterns = list(exclude)
    out: list[str] = []
    for domain in domains.domains:
        suffixes = SUFFIXES[domain.stack]
        for folder, dirs, names in os.walk(root / domain.path):
            dirs[:] = sorted(d for d in dirs if d not in PRUNE and not d.startswith("."))
            rel_folder = Path(folder).relative_to(root).as_posix()
            for name in names:
                if name.endswith(suffixes):
                    rel = f"{rel_folder}/{name}"
                    if not any(fnmatch.fnmatch(rel, p) for p in patterns):
                        out.append(rel)
    return sorted(set(out))


def collect(
    root: Path,
    domains: DomainMap,
    paths: Iterable[str] | None = None,
    *,
    exclude: Iterable[str] = (),
    use_cache: bool = True,
) -> list[FileDependencies]:
    """The dependency record of each file (all domain files unless ``paths`` is given)."""
    rels = sorted(paths) if paths is not None else domain_files(root, domains, exclude)
    cache = _load(root) if use_cache else {}
    fresh: dict[str, list[Any]] = {}
    records: list[FileDependencies] = []
    for rel in rels:
        record, entry = _one(root, rel, domains, cache.get(rel))
        if record is not None:
            records.append(record)
            fresh[rel] = entry
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
    root: Path, rel: str, domains: DomainMap, cached: list[Any] | None
) -> tuple[FileDependencies | None, list[Any]]:
    path = f"{root}/{rel}"
    try:
        stat = os.stat(path)
    except OSError:
        return None, []
    module, is_package = domains.python_module(rel) if rel.endswith(".py") else ("", False)
    if cached and cached[:2] == [stat.st_size, stat.st_mtime_ns] and cached[3] == module:
        return _decode(cached[4]), cached
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        return FileDependencies(rel, _stack(rel), module, error=f"cannot read: {exc}"), []
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    if cached and cached[2] == digest and cached[3] == module:
        return _decode(cached[4]), [stat.st_size, stat.st_mtime_ns, digest, module, cached[4]]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return FileDependencies(rel, _stack(rel), module, error=f"not UTF-8: {exc}"), []
    record = _extract(rel, text, module, is_package)
    return record, [stat.st_size, stat.st_mtime_ns, digest, module, _encode(record)]


def _stack(rel: str) -> Any:
    return "python" if rel.endswith(".py") else "elixir"


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
    try:
        raw = json.loads((root / CACHE_DIR / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def _save(root: Path, entries: dict[str, list[Any]]) -> None:
    folder = root / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        tmp = folder / f"{CACHE_FILE}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(entries, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, folder / CACHE_FILE)
    except OSError:
        pass  # a cache that cannot be written only costs time
