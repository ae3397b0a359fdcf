"""The result of a whole run, reused while no file, directory or setting it depended on changed.

Stored in ``.slicegen_cache/boundaries-result-v1.json``: a key (a digest of the settings and of
slicegen's code), the mtime of every directory whose entries decided which files exist, the size
and mtime of every file read, and the findings. Like every cache file lint trusts, it is signed
with the per-user key (:mod:`slicegen.signed_pickle`): a planted or forged one reads as absent.
Checking it costs one ``stat`` per file and directory; it needs no config parsing, so
``python -m slicegen.boundaries`` answers a warm run without importing pydantic.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from slicegen import __version__, signed_pickle
from slicegen.boundaries.records import Violation
from slicegen.constants import CACHE_DIR, CONFIG_NAMES
from slicegen.own_code import code_key
from slicegen.safe_files import own_folder, read_regular, write_if_absent

RESULT_FILE = "boundaries-result-v1.json"
FORMAT = "boundaries-2"  # bump when extraction or checking changes what a run finds


def key_of(*parts: str | bytes) -> str:
    """A digest of the settings a result depends on (and of this slicegen's version and code)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (FORMAT, __version__, code_key(), *parts):
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def config_key(config_path: Path) -> str | None:
    """The key for results computed with the config file at ``config_path``."""
    try:
        return key_of(str(config_path.resolve()), read_regular(config_path)[0])
    except OSError:  # unreadable, a symlink or no regular file: no cached result
        return None


def lookup(root: Path, key: str) -> list[Violation] | None:
    """The stored findings for ``key`` if nothing they depend on changed, else None."""
    raw = read_json(root, RESULT_FILE)
    if not isinstance(raw, dict) or raw.get("key") != key:
        return None
    base = str(root)
    for rel, mtime in raw["dirs"].items():
        try:
            if os.stat(f"{base}/{rel}" if rel != "." else base).st_mtime_ns != mtime:
                return None
        except OSError:
            return None
    for rel, (size, mtime) in raw["files"].items():
        try:
            stat = os.stat(f"{base}/{rel}")
        except OSError:
            return None
        if stat.st_size != size or stat.st_mtime_ns != mtime:
            return None
    return [
        Violation(code, path, line, column, message, tuple(key))
        for code, path, line, column, message, key in raw["violations"]
    ]


def lookup_for_start(start: Path) -> tuple[Path, list[Violation]] | None:
    """Findings for a run started in ``start`` whose config file sits in ``start``, if still
    valid (the config file being the one a run from there would find)."""
    for name in CONFIG_NAMES:
        candidate = start / name
        if candidate.is_file():
            key = config_key(candidate)
            found = lookup(start, key) if key else None
            return (candidate, found) if found is not None else None
    return None


def store(
    root: Path,
    key: str,
    dirs: list[str],
    files: dict[str, tuple[int, int]],
    violations: list[Violation],
) -> None:
    """Record the findings of a run; an unwritable cache only costs time."""
    stamps: dict[str, int] = {}
    for rel in dirs:
        try:
            stamps[rel or "."] = os.stat(root / rel).st_mtime_ns
        except OSError:
            return
    payload: dict[str, Any] = {
        "key": key,
        "dirs": stamps,
        "files": files,
        "violations": [
            [v.code, v.path, v.line, v.column, v.message, list(v.key)] for v in violations
        ],
    }
    write_json(root, RESULT_FILE, payload)


def write_json(root: Path, name: str, payload: object) -> None:
    """Write ``payload`` as JSON signed with the per-user key in ``<root>/.slicegen_cache/<name>``
    through a rename; never fails: a cache that cannot be written only costs time."""
    folder = root / CACHE_DIR
    try:
        if not own_folder(folder):
            return  # a symlink or someone else's folder: nothing is written through it
        write_if_absent(folder / ".gitignore", b"*\n")
        data = json.dumps([code_key(), payload], separators=(",", ":")).encode("utf-8")
        signed_pickle.dump_signed(folder / name, data)
    except (OSError, ValueError):
        pass


def read_json(root: Path, name: str) -> object | None:
    """What :func:`write_json` stored as ``name``; None when absent, damaged, not signed by this
    user (a file planted in the tree) or written by another slicegen."""
    payload = signed_pickle.load_signed(root / CACHE_DIR / name)
    if payload is None:
        return None
    try:
        found = json.loads(payload)
    except ValueError:  # signed by us, yet damaged: a miss
        return None
    if not (isinstance(found, list) and len(found) == 2 and found[0] == code_key()):
        return None
    data: object = found[1]
    return data
