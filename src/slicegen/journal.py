"""The transaction journal: what a write staged, signed so that only this user's runs are undone.

A journal in ``.slicegen/txn/`` tells the next run which files to put back or delete; a cloned tree
could plant one. So the journal is signed with the per-user key that signs the lint caches
(:mod:`slicegen.signed_pickle`), and one is accepted only if its signature holds, it is a regular
file of this user's, and each entry names, by a clean relative path whose folders stay inside the
workspace, a file its own staging folder backs up or created. Anything else is
:class:`UntrustedJournal`, and nothing is touched.
"""

from __future__ import annotations

import hmac
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from slicegen import signed_pickle
from slicegen.naming import quoted
from slicegen.safe_files import UnsafePath, read_regular, real_dir, relative_inside

JOURNAL = "journal.json"
_MAGIC = b"SGJ1"
_DIGEST = 32
_CONTEXT = b"slicegen-journal\x00"  # a journal's MAC never equals a cache file's
MAX_JOURNAL_BYTES = 32 * 1024 * 1024
#: Paths a journal may never name: slicegen's own state.
_STATE = (".slicegen/txn", ".slicegen/lock")


class UntrustedJournal(Exception):
    """A journal slicegen did not write for this workspace (or cannot prove it did)."""


@dataclass(frozen=True)
class Entry:
    """One staged file: its workspace path, its index in ``new/``/``old/``, if it existed."""

    path: str
    index: int
    existed: bool


@dataclass(frozen=True)
class Journal:
    """The files a transaction writes and the folders it creates (parents first)."""

    files: list[Entry]
    dirs: list[str]

    def as_data(self) -> dict[str, list[object]]:
        files: list[object] = [e.__dict__.copy() for e in self.files]
        return {"files": files, "dirs": list(self.dirs)}


def _mac(key: bytes, payload: bytes) -> bytes:
    return hmac.digest(key, _CONTEXT + payload, "sha256")


def encode(journal: Journal, txn: Path) -> bytes:
    """The journal file's bytes for the folder ``txn``: a marker, the MAC (zeros when this user
    has no key), the JSON."""
    payload = json.dumps(journal.as_data()).encode("utf-8")
    key = signed_pickle.signing_key(txn / JOURNAL)
    return _MAGIC + (_mac(key, payload) if key else bytes(_DIGEST)) + payload


def load(root: Path, txn: Path) -> Journal:
    """The journal in ``txn``, checked; :class:`UntrustedJournal` says why one is refused."""
    try:
        blob = read_regular(txn / JOURNAL, MAX_JOURNAL_BYTES, owned=True, single_link=True)[0]
    except UnsafePath as exc:
        raise UntrustedJournal(f"it {exc.reason}") from None
    start = len(_MAGIC)
    head, mac, payload = blob[:start], blob[start : start + _DIGEST], blob[start + _DIGEST :]
    if head != _MAGIC:
        raise UntrustedJournal("it is not a journal slicegen wrote")
    key = signed_pickle.signing_key(txn / JOURNAL)
    if key is None:
        raise UntrustedJournal("it cannot be verified: this user has no private signing key")
    if not hmac.compare_digest(mac, _mac(key, payload)):
        raise UntrustedJournal("its signature is not this user's: a run of yours did not write it")
    try:
        journal = _parse(json.loads(payload.decode("utf-8")))
    except (ValueError, TypeError, KeyError) as exc:
        raise UntrustedJournal(f"it is malformed ({type(exc).__name__})") from None
    check(root, txn, journal)
    return journal


def _parse(data: object) -> Journal:
    if not isinstance(data, dict) or set(data) != {"files", "dirs"}:
        raise ValueError("not a journal object")
    files, dirs = data["files"], data["dirs"]
    if not isinstance(files, list) or not isinstance(dirs, list):
        raise TypeError("files and dirs must be lists")
    entries = []
    for position, item in enumerate(files):
        if not isinstance(item, dict) or set(item) != {"path", "index", "existed"}:
            raise ValueError("bad entry")
        path, index, existed = item["path"], item["index"], item["existed"]
        if not isinstance(path, str) or type(index) is not int or not isinstance(existed, bool):
            raise TypeError("bad entry types")
        if index != position:
            raise ValueError("entries out of order")
        entries.append(Entry(path, index, existed))
    if not all(isinstance(folder, str) for folder in dirs):
        raise TypeError("bad folder")
    return Journal(entries, [str(folder) for folder in dirs])


def _outside(rel: str) -> str:
    return f"it names {quoted(rel, 80)}, which is not a path inside the workspace it may touch"


def check_path(root: Path, rel: str) -> None:
    """Refuse ``rel`` unless it is a clean relative path inside ``root`` and not slicegen state."""
    state = any(rel == s or rel.startswith(s + "/") for s in _STATE)
    if state or not relative_inside(root, rel):
        raise UntrustedJournal(_outside(rel))


def check(root: Path, txn: Path, journal: Journal) -> None:
    """Each entry inside ``root``, each folder a parent of an entry, each backup a plain file."""
    try:
        for sub in ("new", "old"):
            real_dir(txn / sub, owned=True)
    except UnsafePath as exc:
        raise UntrustedJournal(
            f"its staging folder {os.path.basename(exc.path)} {exc.reason}"
        ) from None
    parents: set[str] = set()
    for entry in journal.files:
        check_path(root, entry.path)
        parts = entry.path.split("/")
        parents.update("/".join(parts[:n]) for n in range(1, len(parts)))
        backup = txn / "old" / str(entry.index)
        try:
            info = os.lstat(backup)
        except FileNotFoundError:
            continue
        if not entry.existed or not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
            raise UntrustedJournal(f"its backup {backup.name} is not one its run staged")
    for folder in journal.dirs:
        if folder not in parents:
            raise UntrustedJournal(_outside(folder))
        check_path(root, folder)
