"""The lint cache under ``<workspace>/.slicegen_cache/``.

Two layers: per file, what the reader found, keyed by path and checked by stat then by content
hash (a touched but unchanged file is not parsed again); per run, the findings of the last run,
keyed by a fingerprint of the tree's stats, the settings and slicegen's code, so an unchanged
tree is answered without reading any file. Cache files are tool state (like ruff's), written
with a rename and signed with a per-user key (:mod:`slicegen.signed_pickle`): a damaged or
foreign cache, such as one committed to a cloned repository, is ignored and rebuilt.

The per-file entries are kept in :data:`SHARDS` files by a hash of the path, each a signed
:mod:`marshal` payload of plain tuples (fast to read, nothing in it can run code); a run writes
only the shards whose entries changed, and a damaged or foreign shard costs only its own files.
"""

from __future__ import annotations

import hashlib
import marshal
import zlib
from functools import partial
from pathlib import Path
from typing import Any

from slicegen import __version__, signed_pickle
from slicegen.constants import CACHE_DIR
from slicegen.lint.finding import Finding
from slicegen.lint.words import Words
from slicegen.model.load import Entry
from slicegen.model.workspace import Call, Definition, FileInfo, ImportRef, StringUse, Suppression
from slicegen.own_code import code_key
from slicegen.safe_files import own_folder, write_if_absent

#: The shape of the records the entries are encoded from (and the number of shards): a change
#: of fields is a new schema, so an entry is never decoded into the wrong field.
SHARDS = 32
_RECORDS = (Entry, FileInfo, Definition, StringUse, ImportRef, Call, Suppression)
_SHAPE = zlib.crc32(repr(([r._fields for r in _RECORDS], SHARDS)).encode())
SCHEMA = f"3-{__version__}-{_SHAPE:08x}"
#: What each payload holds beside its data: the schema and slicegen's code (an edited reader
#: or rule makes every entry a miss, without a new set of file names).
_STAMP = f"{SCHEMA}-{code_key()}"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# slicegen lint cache; safe to delete\n"


def shard_of(path: str) -> int:
    """The shard that holds ``path``'s entry."""
    return zlib.crc32(path.encode()) % SHARDS


class LintCache:
    """Per-file entries and the last run's findings; ``save`` writes what changed."""

    def __init__(self, root: Path, slot: str = "") -> None:
        """``slot`` names the last-run file: runs of different selections keep their own."""
        self.dir = root / CACHE_DIR
        self._run_path = self.dir / f"run-{SCHEMA}{'-' + slot if slot else ''}.pickle"
        self._words_path = self.dir / f"words-{SCHEMA}.pickle"
        self._loaded: dict[str, Entry] | None = None  # read on first use: a warm run never needs it
        self._shard: dict[str, int] = {}  # path -> its shard, for the entries read
        self._dirty: set[int] = set()
        self._memos: dict[str, dict[str, Any]] = {}  # by rule, each read on first use
        self._memos_saved: dict[str, dict[str, Any]] = {}
        self._sharded: set[str] = set()  # the memos kept by path (see :meth:`rule_memo`)
        self._words_keys: dict[tuple[bytes, ...], str] = {}

    def shard_path(self, index: int) -> Path:
        return self.dir / f"files-{SCHEMA}-{index:02d}.marshal"

    @property
    def _entries(self) -> dict[str, Entry]:
        if self._loaded is None:
            self._loaded = {}
            for index in range(SHARDS):
                found = _decode(signed_pickle.load_signed(self.shard_path(index)), index)
                if found is None:
                    self._dirty.add(index)  # missing, damaged or foreign: rewrite it
                    continue
                self._loaded.update(found)
                self._shard.update(dict.fromkeys(found, index))
        return self._loaded

    def get(self, path: str) -> Entry | None:
        return self._entries.get(path)

    def entries(self) -> dict[str, Entry]:
        """Every entry by path (read only: :meth:`put` and :meth:`prune` change them)."""
        return self._entries

    def put(self, path: str, entry: Entry) -> None:
        self._entries[path] = entry
        index = self._shard.get(path)
        if index is None:
            index = self._shard[path] = shard_of(path)
        self._dirty.add(index)

    def prune(self, keep: set[str]) -> None:
        """Forget files that are gone."""
        gone = [p for p in self._entries if p not in keep]
        for p in gone:
            del self._entries[p]
            index = self._shard.pop(p, -1)
            self._dirty.add(index if index >= 0 else shard_of(p))

    def file_keys(self, paths: list[str]) -> list[tuple[str, int, str] | None]:
        """What each file's entry was read from (content digest, read mode, a digest of the
        trigger words), None for a file without an entry."""
        entries, known = self._entries, self._words_keys
        out: list[tuple[str, int, str] | None] = []
        for path in paths:
            entry = entries.get(path)
            if entry is None:
                out.append(None)
                continue
            words = known.get(entry.words)
            if words is None:
                words = hashlib.blake2b(repr(entry.words).encode(), digest_size=8).hexdigest()
                known[entry.words] = words
            out.append((entry.digest, entry.mode, words))
        return out

    def rule_memo(self, name: str, by_path: bool = False) -> dict[str, Any]:
        """A rule's own results of earlier runs, kept if changed (values: plain data). Each
        memo has a file of its own: a run reads the memos its rules ask for, and writes only
        those that changed (an edited event's shapes, not the parsed lock). A memo keyed
        ``by_path`` (a value per file, or per domain) is kept in :data:`SHARDS` files by the key's
        :func:`shard_of`: a run writes only the shards holding a changed value."""
        memo = self._memos.get(name)
        if memo is None:
            if by_path:
                memo = {}
                for index in range(SHARDS):
                    found = _load(self._memo_path(name, index))
                    if isinstance(found, dict):
                        memo.update(found)
                self._sharded.add(name)
            else:
                found = _load(self._memo_path(name))
                memo = found if isinstance(found, dict) else {}
            self._memos[name] = memo
            self._memos_saved[name] = dict(memo)
        return memo

    def _memo_path(self, name: str, index: int | None = None) -> Path:
        plain = name.isascii() and name.replace("-", "").isalnum()
        tag = name if plain else hashlib.blake2b(name.encode(), digest_size=8).hexdigest()
        shard = "" if index is None else f"-{index:02d}"
        return self.dir / f"memo-{SCHEMA}-{tag}{shard}.pickle"

    def _save_memo(self, name: str, memo: dict[str, Any]) -> None:
        """Write a memo that changed since it was read (of a sharded one, the shards whose
        values changed: each holds the values of the keys :func:`shard_of` puts there)."""
        saved = self._memos_saved.get(name, {})
        if name not in self._sharded:
            if memo != saved:
                _dump(self._memo_path(name), memo)
        else:
            gone = object()
            dirty = {shard_of(k) for k in saved.keys() - memo.keys()}
            dirty.update(
                shard_of(k)
                for k, v in memo.items()
                if (was := saved.get(k, gone)) is not v and was != v
            )
            members: dict[int, dict[str, Any]] = {index: {} for index in dirty}
            for key, value in memo.items():
                index = shard_of(key)
                if index in members:
                    members[index][key] = value
            for index in sorted(members):
                _dump(self._memo_path(name, index), members[index])
        self._memos_saved[name] = dict(memo)

    def words(self) -> Words:
        """The naming verdicts of earlier runs."""
        known = _load(self._words_path)
        return Words(known if isinstance(known, dict) else None)

    def save_words(self, words: Words) -> None:
        if words.changed:
            try:
                if own_folder(self.dir):
                    _dump(self._words_path, words.known)
            except OSError:
                pass

    def run_findings(self, fingerprint: str) -> list[Finding] | None:
        data = _load(self._run_path)
        if not (isinstance(data, tuple) and len(data) == 2 and data[0] == fingerprint):
            return None
        return list(data[1])

    def save(self, fingerprint: str | None, findings: list[Finding]) -> None:
        """Write the entries (if changed) and, unless ``fingerprint`` is None, this run's
        findings and the rules' memos; never fails the run."""
        try:
            if not own_folder(self.dir):
                return  # a symlink or someone else's folder: the caches are not kept there
            write_if_absent(self.dir / "CACHEDIR.TAG", _TAG.encode())
            write_if_absent(self.dir / ".gitignore", b"*\n")
            if self._loaded is not None and self._dirty:
                self._save_shards()
            if fingerprint is None:
                return
            _dump(self._run_path, (fingerprint, findings))
            for name, memo in self._memos.items():
                self._save_memo(name, memo)
        except OSError:
            pass

    def _save_shards(self) -> None:
        entries = self._loaded or {}
        members: dict[int, list[tuple[str, Entry]]] = {index: [] for index in self._dirty}
        shard = self._shard
        for path, entry in entries.items():
            index = shard.get(path)
            if index is None:
                index = shard[path] = shard_of(path)
            if index in members:
                members[index].append((path, entry))
        for index in sorted(members):
            signed_pickle.dump_signed(self.shard_path(index), _encode(index, members[index]))
        self._dirty.clear()


def _dump(path: Path, data: object) -> None:
    """Pickle ``data`` signed, stamped with this slicegen's schema and code."""
    signed_pickle.dump(path, (_STAMP, data))


def _load(path: Path) -> object | None:
    """What :func:`_dump` wrote, if this user signed it with this slicegen; else None."""
    found = signed_pickle.load(path)
    if not (isinstance(found, tuple) and len(found) == 2 and found[0] == _STAMP):
        return None
    data: object = found[1]
    return data


def fingerprint(*parts: Any) -> str:
    """A stable hash of the run's inputs (plain data): each part's :mod:`marshal` bytes (of
    version 0, which refers to no earlier object: equal values, equal bytes), else its repr.
    A hundred thousand files' stats are marshalled in a fraction of the time their repr takes."""
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        try:
            digest.update(b"m" + marshal.dumps(part, 0))  # self-delimiting
        except ValueError:  # an object marshal cannot write
            digest.update(b"r" + repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


# --- entries as plain tuples ----------------------------------------------------------------
#
# A shard is ``marshal.dumps((SCHEMA, index, tables, rows))``. Equal trigger-word tuples and equal
# nested record tuples (many files share their imports) are stored once, in ``tables``, and
# rows refer to them by number: fewer objects to read, and records shared between entries.

#: FileInfo's fields of nested records, in the order of the tables after the trigger words.
_NESTED = (Definition, StringUse, ImportRef, Call, Suppression)


def _encode(index: int, members: list[tuple[str, Entry]]) -> bytes:
    """Shard ``index`` holding ``members`` (path, entry) as a marshal payload."""
    tables: list[dict[Any, int]] = [{(): 0} for _ in range(1 + len(_NESTED))]
    words, definitions, strings, imports, calls, suppressions = tables
    rows = []
    for path, entry in members:
        info = entry.info
        rows.append(
            (
                path,
                entry.mtime_ns,
                entry.size,
                entry.digest,
                entry.mode,
                words.setdefault(entry.words, len(words)),
                info.language,
                info.parsed,
                info.error,
                info.error_line,
                info.error_col,
                definitions.setdefault(info.definitions, len(definitions)),
                strings.setdefault(info.strings, len(strings)),
                imports.setdefault(info.imports, len(imports)),
                calls.setdefault(info.calls, len(calls)),
                suppressions.setdefault(info.suppressions, len(suppressions)),
                info.doc,
                info.class_fields,
                info.event_shapes,
            )
        )
    plain = [tuple(words)] + [tuple(tuple(map(tuple, v)) for v in t) for t in tables[1:]]
    return marshal.dumps((_STAMP, index, plain, rows))


_new = tuple.__new__


def decode_shard(payload: bytes | None, index: int) -> dict[str, Entry] | None:
    """The entries of shard ``index`` as :class:`LintCache` wrote them (see :func:`_decode`)."""
    return _decode(payload, index)


def _decode(payload: bytes | None, index: int) -> dict[str, Entry] | None:
    """The entries of shard ``index``; None unless ``payload`` is such a shard of this schema."""
    if payload is None:
        return None
    try:
        schema, found, plain, rows = marshal.loads(payload)
        if schema != _STAMP or found != index or len(plain) != 1 + len(_NESTED):
            return None
        words = plain[0]
        definitions, strings, imports, calls, suppressions = (
            [tuple(map(partial(_new, record), value)) for value in values]
            for record, values in zip(_NESTED, plain[1:], strict=True)
        )
        out: dict[str, Entry] = {}
        for (
            path,
            mtime_ns,
            size,
            digest,
            mode,
            word_index,
            language,
            parsed,
            error,
            error_line,
            error_col,
            definitions_index,
            strings_index,
            imports_index,
            calls_index,
            suppressions_index,
            doc,
            class_fields,
            event_shapes,
        ) in rows:
            info = _new(
                FileInfo,
                (
                    path,
                    language,
                    parsed,
                    error,
                    error_line,
                    error_col,
                    definitions[definitions_index],
                    strings[strings_index],
                    imports[imports_index],
                    calls[calls_index],
                    suppressions[suppressions_index],
                    doc,
                    class_fields,
                    event_shapes,
                ),
            )
            out[path] = _new(Entry, (mtime_ns, size, digest, info, mode, words[word_index]))
    except (ValueError, TypeError, EOFError, IndexError):  # not what this slicegen writes
        return None
    return out
