"""The lint cache under ``<workspace>/.slicegen_cache/``.

Two layers: per file, what the reader found, keyed by path and checked by stat then by content
hash (a touched but unchanged file is not parsed again); per run, the findings of the last run,
keyed by a fingerprint of the tree's stats, the settings and slicegen's version, so an unchanged
tree is answered without reading any file. Cache files are tool state (like ruff's), written
with a rename and signed with a per-user key (:mod:`slicegen.signed_pickle`): a damaged or
foreign cache, such as one committed to a cloned repository, is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from slicegen import __version__, signed_pickle
from slicegen.lint.finding import Finding
from slicegen.lint.words import Words
from slicegen.model.load import Entry

CACHE_DIR = ".slicegen_cache"
SCHEMA = f"2-{__version__}"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# slicegen lint cache; safe to delete\n"


class LintCache:
    """Per-file entries and the last run's findings; ``save`` writes what changed."""

    def __init__(self, root: Path) -> None:
        self.dir = root / CACHE_DIR
        self._files_path = self.dir / f"files-{SCHEMA}.pickle"
        self._run_path = self.dir / f"run-{SCHEMA}.pickle"
        self._words_path = self.dir / f"words-{SCHEMA}.pickle"
        self._loaded: dict[str, Entry] | None = None  # read on first use: a warm run never needs it
        self._dirty = False

    @property
    def _entries(self) -> dict[str, Entry]:
        if self._loaded is None:
            self._loaded = self._load(self._files_path) or {}
        return self._loaded

    @staticmethod
    def _load(path: Path) -> dict[str, Entry] | None:
        data = signed_pickle.load(path)
        return data if isinstance(data, dict) else None

    def get(self, path: str) -> Entry | None:
        return self._entries.get(path)

    def put(self, path: str, entry: Entry) -> None:
        self._entries[path] = entry
        self._dirty = True

    def prune(self, keep: set[str]) -> None:
        """Forget files that are gone."""
        gone = [p for p in self._entries if p not in keep]
        for p in gone:
            del self._entries[p]
        self._dirty = self._dirty or bool(gone)

    def words(self) -> Words:
        """The naming verdicts of earlier runs."""
        known = signed_pickle.load(self._words_path)
        return Words(known if isinstance(known, dict) else None)

    def save_words(self, words: Words) -> None:
        if words.changed:
            try:
                self.dir.mkdir(exist_ok=True)
                _dump(self._words_path, words.known)
            except OSError:
                pass

    def run_findings(self, fingerprint: str) -> list[Finding] | None:
        data = signed_pickle.load(self._run_path)
        if not (isinstance(data, tuple) and len(data) == 2 and data[0] == fingerprint):
            return None
        return list(data[1])

    def save(self, fingerprint: str, findings: list[Finding]) -> None:
        """Write the entries (if changed) and this run's findings; never fails the run."""
        try:
            self.dir.mkdir(exist_ok=True)
            tag = self.dir / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text(_TAG, encoding="utf-8")
                (self.dir / ".gitignore").write_text("*\n", encoding="utf-8")
            if self._dirty:
                _dump(self._files_path, self._entries)
            _dump(self._run_path, (fingerprint, findings))
        except OSError:
            pass


_dump = signed_pickle.dump


def fingerprint(*parts: object) -> str:
    """A stable hash of the run's inputs (reprs of plain data)."""
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()
