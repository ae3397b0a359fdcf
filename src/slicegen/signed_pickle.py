"""Pickles signed with a per-user key, for caches kept inside a workspace.

Unpickling runs code, and a workspace is often someone else's clone: a cache file planted in it
must never be loaded. Each file starts with an HMAC-SHA256 of its pickle under a random key in the
user's private cache folder; a file signed by anyone else (or damaged) reads as absent.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
from functools import cache
from pathlib import Path

from slicegen.user_cache import private_dir

_DIGEST = hashlib.sha256().digest_size


@cache
def _key() -> bytes | None:
    folder = private_dir("keys")
    if folder is None:
        return None
    path = folder / "cache-signing.key"
    with contextlib.suppress(FileExistsError, OSError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(32))
    try:
        info = path.lstat()
        if path.is_symlink() or info.st_uid != os.getuid() or info.st_mode & 0o077:
            return None
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == 32 else None


def dump(path: Path, data: object) -> None:
    """Write ``data`` signed, through a temporary file and a rename; no key, no file."""
    key = _key()
    if key is None:
        return
    payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(hmac.digest(key, payload, "sha256") + payload)
    tmp.replace(path)


def load(path: Path) -> object | None:
    """The data in ``path`` if this user signed it; None if absent, foreign or damaged."""
    key = _key()
    if key is None:
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    signature, payload = blob[:_DIGEST], blob[_DIGEST:]
    if not hmac.compare_digest(signature, hmac.digest(key, payload, "sha256")):
        return None
    try:
        data: object = pickle.loads(payload)
    except Exception:  # signed by us but unreadable (e.g. written by another slicegen version)
        return None
    return data
