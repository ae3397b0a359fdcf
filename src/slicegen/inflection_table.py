"""Past participles read from lemminflect's own inflection table, one verb's line at a time.

lemminflect's ``getInflection`` imports numpy (for its out-of-vocabulary model) and parses its
whole table (about 40,000 lines) on first use: several hundred milliseconds for a short command
such as ``add-slice``, which needs the participles of a handful of verbs. For a verb in the table,
:func:`table_participles` gives the same answer as ``getInflection(verb, tag="VBN")`` by reading
only that verb's line of lemminflect's shipped table and its overrides file, following the same
rules: an override, else the table's past participle, else its simple past. Anything else (an
auxiliary or modal, a verb the table lacks, a table in an unexpected format) gives None, and the
caller asks lemminflect itself.
"""

from __future__ import annotations

import importlib.util
import zlib
from functools import cache
from pathlib import Path

#: Words lemminflect hard-codes instead of reading them from its table.
_HARD_CODED = frozenset({"can", "may", "will", "shall", "must", "ought", "dare", "be"})

#: Column of each Penn tag in a ``verb`` line: ``lemma,verb,VBD,VBN,VBG,VBZ``.
_COLUMNS = {"VBD": 2, "VBN": 3}


@cache
def _resources() -> Path | None:
    """lemminflect's resources folder, found without importing lemminflect (which loads numpy)."""
    spec = importlib.util.find_spec("lemminflect")
    locations = spec.submodule_search_locations if spec else None
    if not locations:
        return None
    folder = Path(next(iter(locations))) / "resources"
    return folder if (folder / "infl_lu.csv.gz").is_file() else None


@cache
def _table() -> bytes:
    """The inflection table, decompressed, with a leading newline so every line follows one."""
    folder = _resources()
    if folder is None:
        return b""
    return b"\n" + zlib.decompress((folder / "infl_lu.csv.gz").read_bytes(), wbits=31)


@cache
def _overrides() -> dict[tuple[str, str], tuple[str, ...]]:
    """lemminflect's inflection overrides: (lemma, tag) -> spellings."""
    folder = _resources()
    path = folder / "infl_overrides.csv" if folder else None
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    if path is None or not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lemma, tag, form = line.split(",")
            out[lemma, tag] = (form,)
    return out


def _verb_line(verb: str) -> list[str] | None:
    """The columns of ``verb``'s ``verb`` line in the table, or None."""
    table = _table()
    key = f"\n{verb},verb,".encode()
    start = table.find(key)
    if start < 0:
        return None
    end = table.find(b"\n", start + 1)
    line = table[start + 1 : end if end >= 0 else len(table)].decode("utf-8")
    columns = line.strip().split(",")
    return columns if len(columns) == 6 else None


def table_participles(verb: str) -> tuple[str, ...] | None:
    """The spellings of ``verb``'s past participle as lemminflect gives them, or None if only
    lemminflect itself can tell (``verb`` must be lower-case)."""
    if not verb or verb in _HARD_CODED or not verb.isascii() or not verb.islower():
        return None
    if "," in verb or "\n" in verb or "/" in verb:
        return None
    columns = _verb_line(verb)
    overrides = _overrides()
    for tag in ("VBN", "VBD"):  # lemminflect falls back to the simple past for regular verbs
        if (verb, tag) in overrides:
            return _lower(overrides[verb, tag])
        if columns is not None:
            spellings = tuple(columns[_COLUMNS[tag]].split("/"))
            if len(spellings) > 1 or spellings[0]:
                return _lower(spellings)
    return None


def _lower(spellings: tuple[str, ...]) -> tuple[str, ...]:
    """lemminflect gives the forms of a lower-case verb in lower case (``okay`` -> ``ok'd``)."""
    return tuple(spelling.lower() for spelling in spellings)
