"""What every reader does first: decide whether bytes are readable text, and find suppressions.

Both stacks comment with ``#``, so one pattern finds ``# slicegen: ignore[SG101] reason`` (this
line), ``# slicegen: ignore-file[SG101] reason`` (the whole file) and the bare forms without codes
(every code). The reason may start with ``--`` (``ignore[SG101] -- legacy name``).
"""

from __future__ import annotations

import ast
import codecs
import io
import re
from functools import lru_cache

from slicegen.model.readers.newer_python import parse_newer
from slicegen.model.workspace import Suppression
from slicegen.stacks.artifacts import (
    GROUPED_STEMS,
    TECHNICAL_FOLDERS,
    kind_from_stem,
    split_file_version,
)

#: What an Elixir reader records among a module's functions for its Ecto ``embedded_schema``
#: block: a struct with no table, which a command in ``commands/`` may be (ordo's).
EMBEDDED = "embedded_schema"

TYPE_STRING = re.compile(r"[a-z][a-z0-9_]*:v\d+")
_SUPPRESSION = re.compile(
    r"#\s*slicegen:\s*ignore(?P<file>-file)?(?:\[(?P<codes>[A-Za-z0-9,\s]*)\])?(?P<reason>[^\n]*)"
)


def decode(data: bytes, cookie: bool = False) -> tuple[str | None, str | None]:
    """The text of ``data``, or an error saying why it is not UTF-8 source. With ``cookie``
    (Python), a file that is not UTF-8 may declare its encoding (PEP 263: ``# -*- coding:
    latin-1 -*-`` in its first two lines), as Python itself reads it."""
    if b"\x00" in data:
        return None, "binary file (contains NUL bytes); remove it or exclude it"
    if cookie and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]  # Python reads a UTF-8 file's byte order mark
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        declared = _declared_encoding(data) if cookie else None
        if declared is not None:
            try:
                return data.decode(declared), None
            except (UnicodeDecodeError, LookupError):
                pass
        return None, f"not valid UTF-8 (byte {exc.start}); re-encode the file as UTF-8"


def _declared_encoding(data: bytes) -> str | None:
    """The encoding other than UTF-8 that a Python file's coding cookie declares, or None."""
    import tokenize  # here: few files need it, and every run would import it

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:  # an unknown encoding, or a cookie that contradicts a BOM
        return None
    return None if encoding in ("utf-8", "utf-8-sig") else encoding


def find_suppressions(text: str) -> tuple[Suppression, ...]:
    """Every suppression comment in ``text``, with its 1-based line and column."""
    if "slicegen:" not in text:
        return ()
    found = []
    for match in _SUPPRESSION.finditer(text):
        start = match.start()
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        raw_codes = match.group("codes") or ""
        codes = tuple(c.strip().upper() for c in raw_codes.split(",") if c.strip())
        found.append(
            Suppression(
                codes=codes,
                line=line,
                col=col,
                file_level=bool(match.group("file")),
                reason=match.group("reason").strip().lstrip("-:").strip(),  # "-- why" or "why"
            )
        )
    return tuple(found)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@lru_cache(maxsize=8)
def parse_python(text: str) -> ast.Module | None:
    """``ast.parse(text)`` or None on a syntax error or nesting too deep to parse, memoised for
    callers that read one file twice (a command's fields, then its docstring). Read only."""
    try:
        return ast.parse(text)
    except SyntaxError:
        return parse_newer(text)  # Python 3.12's type parameters, on an older interpreter
    except (ValueError, RecursionError, MemoryError):
        return None


def named_as(path: str, kind: str) -> bool:
    """Whether the file's name, grouped name (``events.py``) or folder (``events/``) may make
    it a ``kind`` of artifact (``command``, ``event``), as the model decides kinds by name."""
    folder, _, name = path.rpartition("/")
    return _named_as(folder.rpartition("/")[2], name, kind)


@lru_cache(maxsize=1 << 16)
def _named_as(folder: str, name: str, kind: str) -> bool:
    """:func:`named_as` of a file ``name`` in a folder named ``folder`` (a tree repeats both)."""
    stem = name.rpartition(".")[0] or name
    return (
        kind_from_stem(stem) == kind
        or GROUPED_STEMS.get(split_file_version(stem)[0]) == kind
        or TECHNICAL_FOLDERS.get(folder) == kind
    )
