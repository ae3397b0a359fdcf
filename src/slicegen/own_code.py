"""A digest of slicegen's own code and built-in templates, for cache keys.

A cache made by one slicegen must never answer for another, even one of the same version string
(an edited rule in a development install): every lint cache and the replay hold this digest. It is
made from the path, size and mtime of each file of the package and of the templates, so it costs
a few hundred ``stat`` calls and reads no file. Only ``os`` and the built-in ``_blake2`` are
imported: the lint replay computes it.
"""

from __future__ import annotations

import os

_memo: list[str] = []


def code_key() -> str:
    """The digest of this slicegen's files (computed once per process)."""
    if not _memo:
        package = os.path.dirname(os.path.abspath(__file__))
        folders = [package]
        if not os.path.isdir(os.path.join(package, "templates")):  # a source checkout
            folders.append(os.path.join(os.path.dirname(os.path.dirname(package)), "templates"))
        stats: list[object] = []
        for folder in folders:
            _collect(folder, stats)
        _memo.append(_digest(repr(stats).encode()))
    return _memo[0]


def _collect(folder: str, out: list[object]) -> None:
    """Append (name, size, mtime_ns) of every file below ``folder``, folder by folder (a
    listing in another order only costs a cache miss)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    out.append(folder)
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _collect(entry.path, out)
                continue
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        out.append((entry.name, info.st_size, info.st_mtime_ns))


def _digest(data: bytes) -> str:
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter built without it
        from hashlib import blake2b
    return blake2b(data, digest_size=16).hexdigest()
