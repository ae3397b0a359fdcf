"""English verb forms read from lemminflect's own tables, one word's lines at a time.

lemminflect imports numpy (for its out-of-vocabulary model) and parses its whole tables (about
120,000 lines) on first use: several hundred milliseconds for a short command or a cold lint,
which need the forms of a few hundred words at most. The functions here give the same answers as
lemminflect by reading only the lines of the words asked about from lemminflect's shipped tables
and overrides files, following the same rules (overrides, hard-coded modals and auxiliaries, lower
case). Both tables are sorted by word, so a word's lines are found by bisection. Anything the
tables cannot settle (an out-of-vocabulary inflection, an odd input, a table in an unexpected
format) gives None, and the caller asks lemminflect itself.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import zlib
from functools import cache
from pathlib import Path

#: Words lemminflect hard-codes instead of reading them from its table.
_HARD_CODED = frozenset({"can", "may", "will", "shall", "must", "ought", "dare", "be"})

#: Their simple past and past participle, as lemminflect hard-codes them.
_HARD_CODED_FORMS: dict[str, dict[str, tuple[str, ...]]] = {
    "can": {"VBD": ("could",)},
    "may": {"VBD": ("might",)},
    "will": {"VBD": ("would",)},
    "shall": {"VBD": ("should",)},
    "must": {"VBD": ("must",)},
    "ought": {"VBD": ("ought",)},
    "dare": {},
    "be": {"VBD": ("was", "were"), "VBN": ("been",)},
}

#: Column of each Penn tag in a ``verb`` line: ``lemma,verb,VBD,VBN,VBG,VBZ``.
_COLUMNS = {"VBD": 2, "VBN": 3}

#: gzip trailers (CRC-32 and size of the text) of the tables known to be sorted by word; another
#: table is checked once before it is bisected.
_KNOWN_SORTED = frozenset({bytes.fromhex("2c9dd73bb6dc1b00"), bytes.fromhex("9ae0109949981000")})

_LEMMAS = "lemma_lu.csv.gz"
_INFLECTIONS = "infl_lu.csv.gz"


@cache
def _resources() -> Path | None:
    """lemminflect's resources folder, found without importing lemminflect (which loads numpy)."""
    spec = importlib.util.find_spec("lemminflect")
    locations = spec.submodule_search_locations if spec else None
    if not locations:
        return None
    folder = Path(next(iter(locations))) / "resources"
    return folder if (folder / _INFLECTIONS).is_file() else None


@cache
def _table(name: str = _INFLECTIONS) -> bytes:
    """Table ``name`` decompressed, or empty if it is missing or not sorted by word."""
    folder = _resources()
    if folder is None or not (folder / name).is_file():
        return b""
    packed = (folder / name).read_bytes()
    text = zlib.decompress(packed, wbits=31)
    if packed[-8:] not in _KNOWN_SORTED:
        keys = re.findall(rb"^[^,\n]*", text.rstrip(b"\n"), re.MULTILINE)
        if any(a > b for a, b in itertools.pairwise(keys)):
            return b""
    return text


def _lines(name: str, word: str) -> list[list[str]] | None:
    """The columns of every line of table ``name`` for ``word``; None if the table is unusable."""
    text = _table(name)
    try:
        key = word.encode("utf-8")
    except UnicodeEncodeError:
        return None
    if not text:
        return None
    lo, hi = 0, len(text)  # ``lo`` is always the start of a line
    while lo < hi:
        mid = (lo + hi) // 2
        start = text.rfind(b"\n", lo, mid) + 1 or lo
        end = text.find(b"\n", start)
        end = len(text) if end < 0 else end
        comma = text.find(b",", start, end)
        if text[start : end if comma < 0 else comma] < key:
            lo = end + 1
        else:
            hi = start
    found = []
    prefix = key + b","
    while text.startswith(prefix, lo):
        end = text.find(b"\n", lo)
        end = len(text) if end < 0 else end
        found.append(text[lo:end].decode("utf-8").strip().split(","))
        lo = end + 1
    return found


@cache
def _overrides(name: str = "infl_overrides.csv") -> dict[tuple[str, str], tuple[str, ...]]:
    """An overrides file of lemminflect: (word, tag) -> spellings."""
    folder = _resources()
    path = folder / name if folder else None
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    if path is None or not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, tag, form = line.split(",")
            out[word, tag] = (form,)
    return out


def table_participles(verb: str) -> tuple[str, ...] | None:
    """The spellings of ``verb``'s past participle as lemminflect gives them, or None if only
    lemminflect itself can tell (``verb`` must be lower-case)."""
    if not verb or verb in _HARD_CODED or not verb.isascii() or not verb.islower():
        return None
    if "," in verb or "\n" in verb or "/" in verb:
        return None
    forms = _verb_forms(verb)
    # lemminflect falls back to the simple past for regular verbs
    return None if forms is None else forms.get("VBN") or forms.get("VBD")


def table_lacks_verb(verb: str) -> bool:
    """True if lemminflect would guess ``verb``'s forms with its out-of-vocabulary model: a
    plain lower-case word with no verb line in its table and no override."""
    if not verb.isascii() or not verb.isalpha() or verb in _HARD_CODED or not _plain(verb):
        return False
    lines = _lines(_INFLECTIONS, verb)
    if lines is None or any(columns[1:2] == ["verb"] for columns in lines):
        return False
    return not any((verb, tag) in _overrides() for tag in _COLUMNS)


def _lower(spellings: tuple[str, ...]) -> tuple[str, ...]:
    """lemminflect gives the forms of a lower-case verb in lower case (``okay`` -> ``ok'd``)."""
    return tuple(spelling.lower() for spelling in spellings)


def _plain(word: str) -> bool:
    """True if the tables settle ``word`` exactly: lower-case as lemminflect sees it (its case
    style is "lower"), and nothing its line parsing would split or strip."""
    if word.isupper() or word[:1].isupper() or word != word.strip():
        return False
    return "," not in word and "\n" not in word


def _lemmas(word: str, upos: str) -> tuple[str, ...] | None:
    """``getAllLemmas(word, upos)[upos]`` (``()`` if it has none) for a lower-case ``word``, or
    None if the table cannot tell."""
    if not _plain(word):
        return None
    lines = _lines(_LEMMAS, word)
    if lines is None:
        return None
    lemmas: tuple[str, ...] = ()
    for columns in lines:
        if len(columns) != 3:
            return None
        # lemminflect keys the lemmas by upper-cased category, with "modal" read as "AUX"
        category = columns[1].upper()
        if (category if category != "MODAL" else "AUX") == upos:
            lemmas = tuple(columns[2].split("/"))
    lemmas = _overrides("lemma_overrides.csv").get((word, upos), lemmas)
    return _lower(lemmas)


def _verb_lemmas(word: str) -> tuple[str, ...] | None:
    """``getAllLemmas(word, upos="VERB")["VERB"]`` (or ``()``) for a lower-case ``word``."""
    return _lemmas(word, "VERB")


def table_noun_lemmas(word: str) -> tuple[str, ...] | None:
    """``getAllLemmas(word, upos="NOUN")["NOUN"]`` (``()`` if the table holds none: lemminflect
    would guess with its out-of-vocabulary model) for a lower-case ``word``, or None if only
    lemminflect itself can tell."""
    return _lemmas(word, "NOUN")


def table_noun_lemma(word: str) -> str | None:
    """``getLemma(word, upos="NOUN")[0]`` for a lower-case ``word`` in lemminflect's table (the
    singular of a noun), or None if lemminflect would guess it with its out-of-vocabulary model
    or only lemminflect itself can tell."""
    lemmas = table_noun_lemmas(word)
    return lemmas[0] if lemmas else None


def _verb_forms(lemma: str) -> dict[str, tuple[str, ...]] | None:
    """The simple past and past participle lemminflect holds for ``lemma`` (as
    ``getAllInflections(lemma)``), or None if the table cannot tell."""
    if not _plain(lemma):
        return None
    forms: dict[str, tuple[str, ...]] = {}
    if lemma in _HARD_CODED:
        forms = dict(_HARD_CODED_FORMS[lemma])
    else:
        lines = _lines(_INFLECTIONS, lemma)
        if lines is None:
            return None
        for columns in lines:
            if columns[1] != "verb":
                continue
            for tag, column in _COLUMNS.items():
                spellings = tuple(columns[column].split("/")) if column < len(columns) else ("",)
                if len(spellings) > 1 or spellings[0]:
                    forms[tag] = spellings
    overrides = _overrides()
    for tag in _COLUMNS:
        if (lemma, tag) in overrides:
            forms[tag] = overrides[lemma, tag]
    return {tag: _lower(spellings) for tag, spellings in forms.items()}


def table_is_base_verb(word: str) -> bool | None:
    """Whether lower-case ``word`` is among its own verb lemmas in lemminflect, or None if only
    lemminflect itself can tell."""
    lemmas = _verb_lemmas(word)
    return None if lemmas is None else word in lemmas


def table_is_past_participle(word: str) -> bool | None:
    """Whether lower-case ``word`` is the past participle or simple past of one of its verb
    lemmas in lemminflect, or None if only lemminflect itself can tell (a lemma whose participle
    lemminflect would guess with its out-of-vocabulary model)."""
    lemmas = _verb_lemmas(word)
    if lemmas is None:
        return None
    unsure = False
    for lemma in lemmas:
        forms = _verb_forms(lemma)
        if forms is None:
            unsure = True
            continue
        participle = forms.get("VBN") or forms.get("VBD")
        if word in forms.get("VBD", ()) or word in (participle or ()):
            return True
        unsure = unsure or participle is None
    return None if unsure else False
