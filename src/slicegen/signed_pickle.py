"""Pickles (and raw payloads) signed with a per-user key, for caches kept inside a workspace.

Unpickling runs code, and a workspace is often someone else's clone: a cache file planted in it
must never be loaded. Each file starts with a MAC of its payload under a random key in the
user's private cache folder (HMAC-SHA256 for pickles, keyed BLAKE2b for the raw payloads of
:func:`dump_signed`); a file signed by anyone else (or damaged) reads as absent.

A cache file is read only when it is a regular file (never through a symlink, never a FIFO or a
device) of at most :data:`MAX_BYTES`, and written through a fresh temporary file
(:mod:`slicegen.safe_files`). Only ``os`` is imported up front: the lint replay
(:mod:`slicegen.lint.fast`) reads its signed payload before anything else is loaded.
"""

from __future__ import annotations

import os
import stat
from _operator import _compare_digest as _same  # hmac.compare_digest, without hmac and hashlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (about 10 ms)
if TYPE_CHECKING:
    from pathlib import Path

_DIGEST = 32  # bytes of HMAC-SHA256 and of the BLAKE2b MAC
_PERSON = b"slicegen-signed"  # BLAKE2b personalisation: these MACs never equal an HMAC's
_KEY_FILE = "cache-signing.key"


def _keys_dir(near: str | Path) -> str | None:
    """The keys folder of :func:`slicegen.user_cache.cache_home`; None where there is none, or
    where the checkout of the workspace holding ``near`` (a file of its state) could have
    written it (:func:`slicegen.user_cache.usable`)."""
    from slicegen.user_cache import cache_home, usable, workspace_of

    home = cache_home()
    if home is None or not usable(home, workspace_of(near)):
        return None
    return os.path.join(home, "keys")


def _private(path: str, mode_mask: int) -> bool:
    """``path`` is no symlink, is ours, and gives no one else what ``mode_mask`` names."""
    info = os.lstat(path)
    return (
        not stat.S_ISLNK(info.st_mode)
        and info.st_uid == os.getuid()
        and not info.st_mode & mode_mask
    )


_found: dict[str, bytes] = {}  # keys folder -> the key read there (a key never changes)


def read_key(near: str | Path) -> bytes | None:
    """The signing key for the workspace state file ``near`` if it exists and is private to
    this user; never creates it."""
    folder = _keys_dir(near)
    if folder is None:
        return None
    if folder in _found:
        return _found[folder]
    path = os.path.join(folder, _KEY_FILE)
    try:
        if not _private(folder, 0o022) or not _private(path, 0o077):
            return None  # someone else could plant or read files there
        with open(path, "rb") as handle:
            key = handle.read()
    except OSError:
        return None
    if len(key) != 32:
        return None
    _found[folder] = key
    return key


class _KeyCache:
    """The signing key, created on first use (mode 600 in a mode 700 folder); memoised."""

    def __init__(self) -> None:
        self._made = False

    def __call__(self, near: str | Path) -> bytes | None:
        if not self._made and _keys_dir(near) is not None:
            self._made = True
            self._make()
        return read_key(near)

    def cache_clear(self) -> None:
        from slicegen.user_cache import _judged

        self._made = False
        _found.clear()
        _judged.clear()

    @staticmethod
    def _make() -> None:
        from slicegen.user_cache import private_dir

        folder = private_dir("keys", None)  # the caller judged the folder usable
        if folder is None:
            return
        try:
            fd = os.open(folder / _KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:  # already there (or not writable): read_key judges it
            return
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(32))


_key = _KeyCache()


def signing_key(near: str | Path) -> bytes | None:
    """This user's signing key for the workspace state file ``near``, created on first use;
    None where it cannot be kept private. The transaction journal is signed with it too."""
    return _key(near)


def _mac(key: bytes, payload: bytes) -> bytes:
    try:
        from _blake2 import blake2b
    except ImportError:  # an interpreter built without it
        from hashlib import blake2b
    return blake2b(payload, digest_size=_DIGEST, key=key, person=_PERSON).digest()


def _write(path: str | Path, blob: bytes) -> None:
    from slicegen.safe_files import write_atomic

    write_atomic(path, blob)


#: The most bytes read of one cache file: a planted file costs at most this much memory.
MAX_BYTES = 128 * 1024 * 1024


def _read(path: str | Path) -> bytes | None:
    """The bytes of a regular file, never through a symlink, at most :data:`MAX_BYTES`."""
    from slicegen.safe_files import read_regular

    try:
        return read_regular(path, MAX_BYTES)[0]
    except OSError:  # absent, unreadable, a symlink, FIFO or device, or too large
        return None


def dump_signed(path: str | Path, payload: bytes) -> bytes | None:
    """Write ``payload`` signed, through a temporary file and a rename, and return its
    signature (which names this content); no key, no file (None)."""
    key = _key(path)
    if key is None:
        return None
    signature = _mac(key, payload)
    _write(path, signature + payload)
    return signature


def load_signed(path: str | Path, signature: bytes | None = None) -> bytes | None:
    """The payload in ``path`` if this user signed it with :func:`dump_signed` (and, given
    ``signature``, if that is its signature: the very content it names), else None.

    Never creates the key (the replay runs before anything was ever written)."""
    key = read_key(path)
    blob = _read(path) if key is not None else None
    if key is None or blob is None:
        return None
    mac, payload = blob[:_DIGEST], blob[_DIGEST:]
    if signature is not None and not _same(mac, signature):
        return None
    return payload if _same(mac, _mac(key, payload)) else None


def signature_of(path: str | Path) -> bytes | None:
    """The signature a :func:`dump_signed` file starts with (unchecked: :func:`load_signed`
    checks it), None if unreadable; only those bytes are read."""
    try:
        # never blocks: a FIFO planted in the cache folder must not hang the run
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError:
        return None
    try:
        head = os.read(fd, _DIGEST)
    except OSError:
        return None
    finally:
        os.close(fd)
    return head if len(head) == _DIGEST else None


def dump(path: Path, data: object) -> None:
    """Write ``data`` pickled and signed, through a temporary file and a rename."""
    import hmac
    import pickle

    key = _key(path)
    if key is None:
        return
    payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    _write(path, hmac.digest(key, payload, "sha256") + payload)


def load(path: Path) -> object | None:
    """The data in ``path`` if this user signed it; None if absent, foreign or damaged."""
    import hmac
    import pickle

    key = _key(path)
    if key is None:
        return None
    blob = _read(path)
    if blob is None:
        return None
    signature, payload = blob[:_DIGEST], blob[_DIGEST:]
    if not hmac.compare_digest(signature, hmac.digest(key, payload, "sha256")):
        return None
    try:
        data: object = pickle.loads(payload)
    except Exception:  # signed by us but unreadable (e.g. written by another slicegen version)
        return None
    return data
