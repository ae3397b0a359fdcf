"""The manifest of generated files: what slicegen last wrote to each, and its hash.

``.slicegen/manifest.json`` maps each file slicegen generated (or edited while the file was still
as generated) to the SHA-256 of that text and the text itself. The remove commands use the hash
to tell a user's edit from slicegen's own text; the text is the base a later three-way merge
(``slicegen upgrade``) needs. The manifest is written in the change set of the command that
generated the files, so it is as atomic as they are; it belongs in version control.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError

PATH = ".slicegen/manifest.json"  # under transaction.STATE_DIR
FORMAT = 1


@dataclass(frozen=True)
class Generated:
    """What slicegen last wrote to one file."""

    sha256: str
    text: str


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read(cs: ChangeSet) -> dict[str, Generated]:
    """The manifest as planned in ``cs`` (or on disk); empty if there is none."""
    raw = cs.read(PATH)
    if raw is None:
        return {}
    try:
        data: Any = json.loads(raw)
        files = data["files"]
        return {path: Generated(e["sha256"], e["text"]) for path, e in files.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise SlicegenError(
            f"{PATH} is not a slicegen manifest; restore it from version control "
            "or delete it (slicegen then treats every file as the user's)"
        ) from None


def _dump(entries: dict[str, Generated]) -> str:
    files = {p: {"sha256": g.sha256, "text": g.text} for p, g in sorted(entries.items())}
    return json.dumps({"format": FORMAT, "files": files}, indent=1, ensure_ascii=False) + "\n"


def _write(cs: ChangeSet, entries: dict[str, Generated]) -> None:
    text = _dump(entries)
    if cs.exists(PATH):
        cs.edit(PATH, lambda _: text)
    else:
        cs.add(PATH, text)


def record(cs: ChangeSet) -> None:
    """Plan the manifest entries of what ``cs`` generates.

    A file the change set writes whole is recorded; a structured edit of a file is recorded only
    if the file was still as slicegen generated it (else it is the user's file, edited).
    """
    entries = read(cs)
    before = dict(entries)
    for path, (content, structured) in cs.planned().items():
        if path.startswith(".slicegen/"):
            continue
        if content is None:
            entries.pop(path, None)
            continue
        if structured:
            known = entries.get(path)
            on_disk = cs.on_disk(path)
            if known is None or on_disk is None or digest(on_disk) != known.sha256:
                continue
        entries[path] = Generated(digest(content), content)
    if entries != before:
        _write(cs, entries)


def user_changed(entries: dict[str, Generated], path: str, text: str) -> bool:
    """Whether ``text`` at ``path`` is not what slicegen last generated there."""
    known = entries.get(path)
    return known is None or known.sha256 != digest(text)
